#!/usr/bin/env bash
# `make run-prod`: the production profile on this machine. PostgreSQL tracker store, Redis lock
# store (endpoints.prod.yml), 2 action servers and 2 Rasa replicas, each kind behind an nginx
# round-robin load balancer, and the web service. Ctrl-C stops everything this script started.
#
# Settings: deploy/prod.env if present, else deploy/prod.env.example (variables already set in
# the environment win over both). Ports (environment):
#   RASA_PORT=5005    nginx -> Rasa replicas RASA_REPLICA_PORTS="5006 5007"
#   ACTION_PORT=5055  nginx -> action servers ACTION_REPLICA_PORTS="5056 5057"
#   WEB_PORT=8080     web service (trainee page, trainer review)
# Logs, the generated nginx.conf and nginx's pid/temp files: var/prod/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ROOT=$PWD
PROD=$ROOT/var/prod
private_dir var  # logs, the generated settings and everything under var/: owner only
mkdir -p "$PROD/nginx-temp"

env_file=deploy/prod.env
if [ ! -f "$env_file" ]; then
  # No settings of your own: the example's, with freshly generated secrets (never the public
  # example ones), kept in var/prod/prod.env for the next run.
  env_file=$PROD/prod.env
  if [ ! -f "$env_file" ]; then
    write_with_secrets deploy/prod.env.example "$env_file" \
      RASA_TOKEN PTSP_TRAINER_PASSWORD PTSP_WEB_SECRET PTSP_CHANNEL_TOKEN
    echo "==> created $env_file: deploy/prod.env.example with generated secrets (mode 600)"
  else
    # Settings added to the example since this file was generated (e.g. RabbitMQ) are added
    # with the example's values, so an older generated file keeps working.
    while IFS= read -r line; do
      key=${line%%=*}
      grep -q "^${key}=" "$env_file" || { echo "$line" >>"$env_file"; echo "==> added $key to $env_file"; }
    done < <(grep -E '^[A-Z_]+=' deploy/prod.env.example)
  fi
fi
echo "==> settings from $env_file"
saved_env=$(export -p)  # the caller's environment wins over the file
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
eval "$saved_env"
for name in RASA_TOKEN PTSP_TRAINER_PASSWORD PTSP_WEB_SECRET PTSP_CHANNEL_TOKEN; do
  if [[ "${!name:-}" == change-me* ]]; then
    echo "ERROR: $name is still the public example value of deploy/prod.env.example;" \
         "set your own secret in deploy/prod.env (copy the example) or unset it" >&2
    exit 1
  fi
done

RASA_REPLICA_PORTS=${RASA_REPLICA_PORTS:-"5006 5007"}
ACTION_REPLICA_PORTS=${ACTION_REPLICA_PORTS:-"5056 5057"}
bash scripts/setup_system.sh  # nginx-light when missing
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
# Rasa reaches the action servers only through the local load balancer.
export ACTION_SERVER_URL="http://127.0.0.1:${ACTION_PORT}/webhook"
PROXY_READ_TIMEOUT=${PROXY_READ_TIMEOUT:-310s}  # > Rasa's 300 s action timeout

export PTSP_SECURE_COOKIES=${PTSP_SECURE_COOKIES:-true}  # the production profile's default
if [ -z "${RASA_TOKEN:-}" ]; then
  echo "ERROR: RASA_TOKEN is empty: --enable-api without a token would leave Rasa's HTTP API open" >&2
  exit 1
fi
[ -x "$NGINX" ] || { echo "ERROR: nginx not found (apt-get install -y nginx-light)" >&2; exit 1; }
if ! ls models/*.tar.gz >/dev/null 2>&1; then
  echo "ERROR: no trained model in models/ (make train)" >&2; exit 1
fi

port_open() {  # port_open HOST PORT — something accepts TCP connections there
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}
is_local() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ] || [ "$1" = ::1 ]; }
wait_port() {  # wait_port HOST PORT SECONDS
  local i=0
  until port_open "$1" "$2"; do
    i=$((i + 1)); [ "$i" -ge "$3" ] && return 1; sleep 1
  done
}

for port in "$RASA_PORT" "$ACTION_PORT" "$WEB_PORT" $RASA_REPLICA_PORTS $ACTION_REPLICA_PORTS; do
  if port_open 127.0.0.1 "$port"; then
    echo "ERROR: port $port is already in use (make run still running?); set the *_PORT(S) variables" >&2
    exit 1
  fi
done

# --- PostgreSQL and Redis ---------------------------------------------------------------------
if ! port_open "$DB_HOST" "$DB_PORT"; then
  if is_local "$DB_HOST"; then
    version=$(ls /etc/postgresql | sort -V | tail -1)
    echo "==> starting PostgreSQL $version (cluster main)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_port "$DB_HOST" "$DB_PORT" 30 || { echo "ERROR: PostgreSQL did not come up" >&2; exit 1; }
  else
    echo "ERROR: PostgreSQL at $DB_HOST:$DB_PORT does not answer" >&2; exit 1
  fi
fi
if ! port_open "$REDIS_HOST" "$REDIS_PORT"; then
  if is_local "$REDIS_HOST"; then
    echo "==> starting Redis on :$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    wait_port "$REDIS_HOST" "$REDIS_PORT" 30 || { echo "ERROR: Redis did not come up" >&2; exit 1; }
  else
    echo "ERROR: Redis at $REDIS_HOST:$REDIS_PORT does not answer" >&2; exit 1
  fi
fi
psql_admin() {  # psql on the maintenance database as DB_USER
  PGPASSWORD="${DB_PASSWORD}" PGCONNECT_TIMEOUT=10 psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" \
    -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME//\'/\'\'}'")" != 1 ]; then
  echo "==> creating database $DB_NAME"
  psql_admin -c "CREATE DATABASE \"${DB_NAME//\"/\"\"}\""
fi
# The web service reads the review data from the same database. review/store.py only reads
# endpoints files whose tracker store type is `SQL`, so it gets the URL directly.
export PTSP_ENDPOINTS=endpoints.prod.yml
if [ -z "${PTSP_TRACKER_DB_URL:-}" ]; then
  PTSP_TRACKER_DB_URL=$(.venv/bin/python -c 'import os, sqlalchemy as sa; e = os.environ
print(sa.engine.URL.create("postgresql", username=e["DB_USER"] or None,
      password=e["DB_PASSWORD"] or None, host=e["DB_HOST"], port=int(e["DB_PORT"]),
      database=e["DB_NAME"]).render_as_string(hide_password=False))')
  export PTSP_TRACKER_DB_URL
fi
# The review's own tables (review store, notes, accounts, audit) in the same PostgreSQL
# database unless set otherwise; they never clash with Rasa's `events` table.
export PTSP_REVIEW_DB_URL=${PTSP_REVIEW_DB_URL:-$PTSP_TRACKER_DB_URL}

# --- processes ----------------------------------------------------------------------------------
pids=()
names=()
cleanup() { stop_started; }
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT
started() { pids+=("$1"); names+=("$2"); }

for port in $ACTION_REPLICA_PORTS; do
  echo "==> starting action server on :$port (log: var/prod/actions-$port.log)"
  SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --actions actions --port "$port" \
    >"$PROD/actions-$port.log" 2>&1 &
  started "$!" "action server :$port"
done

# nginx: generated config, everything under var/prod (runs as any user), in the foreground.
export ACTION_PORT RASA_PORT ACTION_REPLICA_PORTS RASA_REPLICA_PORTS PROXY_READ_TIMEOUT
bash scripts/prod_nginx_conf.sh "$PROD" >"$PROD/nginx.conf"
"$NGINX" -t -q -p "$PROD/" -e "$PROD/nginx-error.log" -c "$PROD/nginx.conf"
echo "==> starting nginx: :$ACTION_PORT -> $ACTION_REPLICA_PORTS, :$RASA_PORT -> $RASA_REPLICA_PORTS (config: var/prod/nginx.conf)"
"$NGINX" -p "$PROD/" -e "$PROD/nginx-error.log" -c "$PROD/nginx.conf" &
started "$!" "nginx"
for port in $ACTION_REPLICA_PORTS; do wait_http "http://127.0.0.1:$port/health" 120; done
wait_http "http://127.0.0.1:${ACTION_PORT}/health" 30

# The API token reaches Rasa through the environment: channels/launch.py adds --auth-token
# inside the process, so it is on no command line (ps shows those to every local user).
export RASA_TOKEN
for port in $RASA_REPLICA_PORTS; do
  echo "==> starting Rasa replica on :$port (endpoints.prod.yml; log: var/prod/rasa-$port.log)"
  .venv/bin/python -m channels.launch run --model models --endpoints endpoints.prod.yml --credentials credentials.yml \
    --interface 127.0.0.1 --port "$port" --enable-api \
    >"$PROD/rasa-$port.log" 2>&1 &
  started "$!" "Rasa replica :$port"
done
for port in $RASA_REPLICA_PORTS; do wait_http "http://127.0.0.1:$port/" 300; done
wait_http "http://127.0.0.1:${RASA_PORT}/" 30

echo "==> starting web service on :${WEB_PORT} (log: var/prod/web.log)"
RASA_URL="http://127.0.0.1:${RASA_PORT}" WEB_PORT="$WEB_PORT" .venv/bin/python -m web \
  --host "${PTSP_BIND:-127.0.0.1}" >"$PROD/web.log" 2>&1 &
started "$!" "web service"
wait_http "http://127.0.0.1:${WEB_PORT}/healthz" 60

echo
echo "Ready (production profile)."
echo "  Trainee page:    http://localhost:${WEB_PORT}/"
echo "  Trainer review:  http://localhost:${WEB_PORT}/review"
if [ -n "${PTSP_TRAINER_PASSWORD:-}" ]; then
  echo "                   (password: \$PTSP_TRAINER_PASSWORD from $env_file)"
else
  echo "                   (password: in ${PTSP_DATA_DIR:-var}/trainer_password)"
fi
echo "  Citizen (REST):  http://localhost:${RASA_PORT}/webhooks/rest/webhook  (nginx -> :${RASA_REPLICA_PORTS// /, :})"
echo "  Rasa HTTP API:   enabled, token \$RASA_TOKEN"
echo "  Action servers:  http://127.0.0.1:${ACTION_PORT}/webhook  (nginx -> :${ACTION_REPLICA_PORTS// /, :})"
echo "  Tracker store:   postgresql ${DB_USER}@${DB_HOST}:${DB_PORT}/${DB_NAME} (table events)"
echo "  Lock store:      redis ${REDIS_HOST}:${REDIS_PORT} db ${REDIS_DB} (keys ptsp:lock:*)"
echo "  Logs:            var/prod/"
echo "  curl -s -XPOST localhost:${RASA_PORT}/webhooks/rest/webhook -d '{\"sender\":\"demo\",\"message\":\"Selamat pagi Pak\"}'"
echo "Press Ctrl-C to stop."

# A replica that dies is what the other one is for: keep serving while nginx, the web service
# and at least one replica of each kind are alive.
while true; do
  wait -n "${pids[@]}" || true
  alive_rasa=0 alive_actions=0 fatal=""
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      case ${names[$i]} in
        "Rasa replica"*) alive_rasa=$((alive_rasa + 1)) ;;
        "action server"*) alive_actions=$((alive_actions + 1)) ;;
      esac
    else
      echo "==> ${names[$i]} (pid ${pids[$i]}) exited"
      case ${names[$i]} in nginx | "web service") fatal=1 ;; esac
      unset "pids[$i]" "names[$i]"
    fi
  done
  if [ -n "$fatal" ] || [ "$alive_rasa" = 0 ] || [ "$alive_actions" = 0 ]; then
    echo "==> cannot serve any more"; exit 1
  fi
  echo "==> still serving: $alive_rasa Rasa replica(s), $alive_actions action server(s)"
done
