#!/usr/bin/env bash
# Training time from scratch: trains config.yml + domain.yml + data/ into a temporary directory
# (models/ is not touched, no cache is reused) and prints the seconds. ~1.5 minutes on 2 cores.
#   bash bench/bench_train.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d "${TMPDIR:-/tmp}/bench-train-XXXXXX")
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
# An empty working directory for the graph cache, so nothing from an earlier training is reused.
RASA_CACHE_DIRECTORY="$out/cache" .venv/bin/rasa train --config config.yml --domain domain.yml \
  --data data --out "$out" --fixed-model-name bench --quiet >"$out/train.log" 2>&1 \
  || { tail -n 40 "$out/train.log"; exit 1; }
end=$(date +%s.%N)
size=$(du -m "$out/bench.tar.gz" | cut -f1)
awk -v s="$start" -v e="$end" -v m="$size" \
  'BEGIN { printf "training from scratch: %.0f s (%.1f min), model %s MB\n", e - s, (e - s) / 60, m }'
