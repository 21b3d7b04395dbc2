#!/usr/bin/env bash
# Trains a model only when config, domain or training data changed since the last one.
# The model file name carries a hash of those inputs: models/ptsp-<hash>.tar.gz.
set -euo pipefail
cd "$(dirname "$0")/.."
# The NLU tokenizer normalises with the scorer's normaliser: its code and lexicon are inputs too.
hash=$(find config.yml domain.yml data actions/scoring/nlu.py actions/scoring/text.py \
  actions/scoring/data/lexicon.yml -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' \) \
  -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
# The learned half of the scorer (actions/scoring/learned.py), cached in models/ per rated sets.
.venv/bin/python -m actions.scoring fit 2>/dev/null | tail -1
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
