#!/usr/bin/env bash
# Practice in the terminal: `rasa shell`, with the action server started if none is running.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
mkdir -p var
ACTION_PID=""
start_action_server
trap '[ -n "$ACTION_PID" ] && kill "$ACTION_PID" 2>/dev/null || true' EXIT
cat <<'MSG'

  Anda berperan sebagai petugas loket PTSP; asisten berperan sebagai pelanggan.
  Ketik "mulai latihan" untuk skenario acak, atau mis.
  /start_scenario{"scenario":"renewal_incomplete"} untuk skenario tertentu;
  atau langsung sapa pelanggan (skenario dasar).
  Ketik /selesai untuk ringkasan, /restart lalu "mulai latihan" untuk kunjungan baru,
  /stop untuk keluar. Tunggu sampai muncul "Your input ->".

MSG
.venv/bin/python -m channels.launch shell --quiet --model models --endpoints endpoints.yml --port "${SHELL_PORT:-5006}"
