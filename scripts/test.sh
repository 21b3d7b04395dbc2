#!/usr/bin/env bash
# The full test run (make test / CI). Expects scripts/setup.sh and scripts/train.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=3
mkdir -p results var
source scripts/common.sh  # the ports (rasa test reads endpoints.yml: ${ACTION_PORT})

# The time of each stage, printed at the end (and if a stage fails).
stages=()
stage_start=$(date +%s)
stage() {  # stage NAME — closes the running stage, opens NAME ("" closes only)
  local now; now=$(date +%s)
  if [ -n "${stage_name:-}" ]; then
    stages+=("$(printf '%5d s  %s' $((now - stage_start)) "$stage_name")")
  fi
  stage_name=$1; stage_start=$now
  if [ -n "$1" ]; then echo "==> $1"; fi
}
report() {  # on exit, whatever the outcome; the script's own exit status is kept
  local status=$?
  stage ""
  echo "==> stage times"
  printf '    %s\n' "${stages[@]}"
  exit "$status"
}
trap report EXIT

stage "lint (ruff)"
.venv/bin/ruff check .

stage "Debian packages"
bash scripts/setup_system.sh

stage "rasa data validate"
bash scripts/validate.sh

stage "pytest"
.venv/bin/python -m pytest -q --durations=15 tests

stage "rasa test core: test stories (NLU + dialogue) with --fail-on-prediction-errors"
.venv/bin/rasa test core --model models --stories tests/stories --out results/core \
  --fail-on-prediction-errors

stage "rasa test nlu: held-out clerk utterances (never trained on)"
.venv/bin/rasa test nlu --model models --nlu tests/nlu_holdout.yml --out results/nlu --domain domain.yml
.venv/bin/python scripts/check_nlu_report.py results/nlu/intent_report.json --min-accuracy 0.98

stage "rasa test nlu: clerk moves in chat style and regional courtesy (independent author, never trained on)"
.venv/bin/rasa test nlu --model models --nlu tests/nlu_registers.yml --out results/nlu_registers --domain domain.yml
.venv/bin/python scripts/check_nlu_report.py results/nlu_registers/intent_report.json --min-accuracy 0.90
