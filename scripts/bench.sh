#!/usr/bin/env bash
# Benchmarks (not part of `make test`): each prints its figures. ~40 minutes in all.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> this project against a vanilla rasa init bot, side by side (1 trainee p50, 100 typing"
echo "    trainees p95, saturation turns/s; the vanilla bot's training time) (~12 min)"
.venv/bin/python bench/bench_vanilla.py
echo "==> training time from scratch, no cache, against a vanilla rasa init training (~3 min)"
bash bench/bench_train.sh
echo "==> review store: sessions page (10,000 visits / 100,000 turns), rebuild rate (~2 min)"
.venv/bin/python bench/bench_review.py
echo "==> scoring throughput (one core)"
if command -v taskset >/dev/null; then taskset -c 0 .venv/bin/python bench/bench_scoring.py
else .venv/bin/python bench/bench_scoring.py; fi
echo "==> agreement with experts: rated replies and scripted visits (offline and live)"
.venv/bin/python bench/bench_judgement.py --live
echo "==> load like the web page: new conversation per visit, ~5 s typing, N = 1, 5, 20, 50"
.venv/bin/python bench/bench_load.py --fresh-visits --think-seconds 5 --duration 60
echo "==> worst case: no think time, scoring on vs. off side by side (~10 min)"
.venv/bin/python bench/bench_load.py --compare-scoring
