#!/usr/bin/env bash
# Training time from scratch, as a ratio against a vanilla `rasa init` bot trained in the same
# run: trains config.yml + domain.yml + data/ into a temporary directory (models/ is not
# touched, no cache is reused), then `rasa init` in another one, and prints both and the ratio.
# ~3 minutes on 2 cores.
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
mkdir "$out/vanilla"
vstart=$(date +%s.%N)
(cd "$out/vanilla" && RASA_CACHE_DIRECTORY="$out/vanilla-cache" \
  "$OLDPWD/.venv/bin/rasa" init --no-prompt --init-dir . >"$out/vanilla.log" 2>&1) \
  || { tail -n 40 "$out/vanilla.log"; exit 1; }
vend=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v m="$size" -v vs="$vstart" -v ve="$vend" 'BEGIN {
  printf "training from scratch: %.0f s (%.1f min), model %s MB\n", e - s, (e - s) / 60, m
  printf "vanilla rasa init, same run: %.0f s; ratio ours / vanilla: %.2fx\n", ve - vs,
         (e - s) / (ve - vs) }'
