#!/usr/bin/env bash
# Trains a model only when config, domain or training data changed since the last one.
# The model file name carries a hash of those inputs: models/ptsp-<hash>.tar.gz.
set -euo pipefail
cd "$(dirname "$0")/.."
hash=$(find config.yml domain.yml data -type f \( -name '*.yml' -o -name '*.yaml' \) -print0 | sort -z \
  | xargs -0 sha256sum | sha256sum | cut -c1-12)
model="models/ptsp-$hash.tar.gz"
if [ -f "$model" ]; then
  echo "==> model up to date: $model"
  exit 0
fi
echo "==> training $model (data, domain or config changed)"
start=$(date +%s)
.venv/bin/rasa train --config config.yml --domain domain.yml --data data --out models \
  --fixed-model-name "ptsp-$hash" --quiet
echo "==> trained in $(( $(date +%s) - start )) s"
# Keep only the current model so `rasa run` (latest model in models/) cannot pick a stale one.
find models -name 'ptsp-*.tar.gz' ! -name "ptsp-$hash.tar.gz" -delete
