#!/usr/bin/env bash
# Benchmarks (not part of `make test`): each prints its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> scoring throughput (one core)"
if command -v taskset >/dev/null; then taskset -c 0 .venv/bin/python bench/bench_scoring.py
else .venv/bin/python bench/bench_scoring.py; fi
echo "==> REST turn latency, 1 trainee"
.venv/bin/python bench/bench_rest.py --visits 20 --concurrency 1
echo "==> REST turn latency, 5 trainees"
.venv/bin/python bench/bench_rest.py --visits 25 --concurrency 5
echo "==> REST turn latency, 1 trainee, scoring switched off (cost of scoring side by side)"
.venv/bin/python bench/bench_rest.py --visits 20 --concurrency 1 --no-scoring
echo "==> load: N = 1, 5, 20, 50 concurrent trainees, scoring on vs. off (~10 min)"
.venv/bin/python bench/bench_load.py --compare-scoring
echo "==> training time from scratch (~8 min)"
bash bench/bench_train.sh
