# Shared helpers for the run/shell/test scripts (sourced, not executed).
# One setting per port, exported: endpoints.yml reads ${ACTION_PORT}, the web service RASA_PORT.
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export WEB_PORT="${WEB_PORT:-8080}"
# Every server listens on the loopback interface only, unless PTSP_BIND opens it (0.0.0.0).
PTSP_BIND="${PTSP_BIND:-127.0.0.1}"

private_dir() {  # private_dir DIR — DIR and what is written from now on: owner only
  umask 077
  mkdir -p "$1"
  chmod 700 "$1"
  find "$1" -maxdepth 2 -type f -exec chmod 600 {} + 2>/dev/null || true
}

random_secret() {  # random_secret — prints a fresh random secret (about 32 URL-safe characters)
  head -c 24 /dev/urandom | base64 | tr -d '/+=\n'
}

write_with_secrets() {  # write_with_secrets EXAMPLE OUT NAME... — EXAMPLE's KEY=value lines into
  # OUT (mode 600), each NAME's value replaced by a fresh random_secret. Written by bash builtins
  # only: a secret never is an argument of a command (sed -e "s|..|$secret|" would put it in
  # /proc/<pid>/cmdline, readable by every local user).
  local example=$1 out=$2 line key
  shift 2
  (
    umask 077
    while IFS= read -r line || [ -n "$line" ]; do
      key=${line%%=*}
      if [[ $line == *=* && " $* " == *" $key "* ]]; then
        printf '%s=%s\n' "$key" "$(random_secret)"
      else
        printf '%s\n' "$line"
      fi
    done <"$example" >"$out"
  )
}

wait_http() {  # wait_http URL SECONDS — poll until the URL answers 200
  local url=$1 limit=${2:-120} i=0
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -ge "$limit" ]; then echo "ERROR: $url did not come up in ${limit}s" >&2; return 1; fi
    sleep 1
  done
}

start_action_server() {  # starts the action server in the background unless one answers
  if curl -fsS -o /dev/null "http://localhost:${ACTION_PORT}/health" 2>/dev/null; then
    echo "==> action server already running on :${ACTION_PORT}"
    return 0
  fi
  echo "==> starting action server on :${ACTION_PORT} (log: var/actions.log)"
  # The action server runs any action for anyone who reaches it: loopback only, always.
  SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --actions actions --port "$ACTION_PORT" \
    >var/actions.log 2>&1 &
  ACTION_PID=$!
  wait_http "http://localhost:${ACTION_PORT}/health" 120
}

stop_started() {  # stop_started — the Ctrl-C/exit handler: kills every pid in the caller's pids array
  trap - INT TERM EXIT
  echo; echo "==> stopping"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
