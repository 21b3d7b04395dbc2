#!/usr/bin/env bash
# Practice in the terminal (make shell [TRAINEE=ID]): in Indonesian from the first line to /stop.
# Sets up and trains on first use (output in var/shell_setup.log), starts the action server if
# none answers, then web/terminal.py talks with the citizen.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
mkdir -p var
echo "Menyiapkan latihan di terminal… (pertama kali dapat memakan beberapa menit)"
if ! { bash scripts/setup.sh && bash scripts/train.sh; } >var/shell_setup.log 2>&1; then
  echo "Persiapan gagal. Rinciannya ada di var/shell_setup.log." >&2
  exit 1
fi
ACTION_PID=""
start_action_server >>var/shell_setup.log 2>&1 || {
  echo "Server aksi tidak dapat dijalankan. Rinciannya ada di var/actions.log." >&2
  exit 1
}
trap '[ -n "$ACTION_PID" ] && kill "$ACTION_PID" 2>/dev/null || true' EXIT
.venv/bin/python -m web.terminal --model models --endpoints endpoints.yml \
  --trainee "${TRAINEE:-}" 2>>var/shell_setup.log
