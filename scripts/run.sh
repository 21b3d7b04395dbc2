#!/usr/bin/env bash
# Starts everything on the embedded default (SQLite tracker store in var/trackers.db).
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
private_dir var  # the tracker store, logs and secrets: readable by the owner only
pids=()
cleanup() { stop_started; }
trap cleanup INT TERM EXIT

# The web service proves with this token that it owns the web.* conversations (channels/rest.py).
if [ -z "${PTSP_CHANNEL_TOKEN:-}" ]; then
  [ -s var/channel_token ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > var/channel_token)
  PTSP_CHANNEL_TOKEN=$(cat var/channel_token)
fi
export PTSP_CHANNEL_TOKEN

ACTION_PID=""
start_action_server
[ -n "$ACTION_PID" ] && pids+=("$ACTION_PID")

echo "==> starting Rasa server on :${RASA_PORT} (REST channel; log: var/rasa.log)"
.venv/bin/python -m channels.launch run --model models --endpoints endpoints.yml \
  --credentials credentials.yml --interface "$PTSP_BIND" --port "$RASA_PORT" >var/rasa.log 2>&1 &
pids+=("$!")
wait_http "http://localhost:${RASA_PORT}/" 300

echo "==> starting web service on :${WEB_PORT} (trainee page + trainer review; log: var/web.log)"
RASA_URL="http://127.0.0.1:${RASA_PORT}" WEB_PORT="$WEB_PORT" .venv/bin/python -m web \
  --host "$PTSP_BIND" >var/web.log 2>&1 &
pids+=("$!")
wait_http "http://localhost:${WEB_PORT}/healthz" 60
echo
echo "Ready."
echo "  Trainee page:    http://localhost:${WEB_PORT}/"
echo "  Trainer review:  http://localhost:${WEB_PORT}/review"
if [ -n "${PTSP_TRAINER_PASSWORD:-}" ]; then
  echo "                   (password: \$PTSP_TRAINER_PASSWORD)"
else
  echo "                   (password: $(cat var/trainer_password), stored in var/trainer_password)"
fi
echo "  Citizen (REST):  http://localhost:${RASA_PORT}/webhooks/rest/webhook"
echo "  curl -s -XPOST localhost:${RASA_PORT}/webhooks/rest/webhook -d '{\"sender\":\"demo\",\"message\":\"Selamat pagi Pak\"}'"
echo "Conversations are stored in var/trackers.db. Press Ctrl-C to stop."
wait -n "${pids[@]}"
