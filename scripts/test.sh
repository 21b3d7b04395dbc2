#!/usr/bin/env bash
# The full test run (make test / CI). Expects scripts/setup.sh and scripts/train.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=3
mkdir -p results var
source scripts/common.sh  # the ports (rasa test reads endpoints.yml: ${ACTION_PORT})

echo "==> lint (ruff)"
.venv/bin/ruff check .

bash scripts/setup_system.sh

echo "==> rasa data validate"
bash scripts/validate.sh

echo "==> pytest"
.venv/bin/python -m pytest -q tests

echo "==> rasa test core: test stories (NLU + dialogue) with --fail-on-prediction-errors"
.venv/bin/rasa test core --model models --stories tests/stories --out results/core \
  --fail-on-prediction-errors

echo "==> rasa test nlu: held-out clerk utterances (never trained on)"
.venv/bin/rasa test nlu --model models --nlu tests/nlu_holdout.yml --out results/nlu --domain domain.yml
.venv/bin/python scripts/check_nlu_report.py results/nlu/intent_report.json --min-accuracy 0.98

echo "==> rasa test nlu: clerk moves in chat style and regional courtesy (independent author, never trained on)"
.venv/bin/rasa test nlu --model models --nlu tests/nlu_registers.yml --out results/nlu_registers --domain domain.yml
.venv/bin/python scripts/check_nlu_report.py results/nlu_registers/intent_report.json --min-accuracy 0.90
