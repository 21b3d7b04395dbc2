#!/usr/bin/env bash
# Prints the nginx config of the production profile run locally (scripts/run_prod.sh; the
# replica tests in tests/prod_stack.py use it too): round-robin load balancers for the action
# servers and for the Rasa replicas. Everything nginx writes goes under DIR, so it runs as any
# user; `daemon off`: nginx stays a child of whoever starts it.
#   usage: prod_nginx_conf.sh DIR > DIR/nginx.conf
#   env:   ACTION_PORT, ACTION_REPLICA_PORTS ("5056 5057"), RASA_PORT, RASA_REPLICA_PORTS
#          ("5006 5007"), PROXY_READ_TIMEOUT (310s)
set -euo pipefail
dir=$(cd "${1:?usage: prod_nginx_conf.sh DIR}" && pwd)
: "${ACTION_PORT:?}" "${RASA_PORT:?}" "${ACTION_REPLICA_PORTS:?}" "${RASA_REPLICA_PORTS:?}"
# Rasa waits up to 300 s for an action (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT): nginx must
# not give up earlier, on either hop.
timeout=${PROXY_READ_TIMEOUT:-310s}

servers() {  # one `server` line per port
  for port in $1; do
    printf '    server 127.0.0.1:%s max_fails=1 fail_timeout=10s;\n' "$port"
  done
}
# As root, nginx would run its workers as `nobody`, who may not write to DIR.
[ "$(id -u)" = 0 ] && echo "user $(id -un) $(id -gn);"
cat <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  log_format upstream '\$remote_addr [\$time_local] "\$request" \$status '
                      'upstream=\$upstream_addr upstream_status=\$upstream_status rt=\$request_time';
  access_log $dir/nginx-access.log upstream;
  client_body_temp_path $dir/nginx-temp/client_body;
  proxy_temp_path $dir/nginx-temp/proxy;
  fastcgi_temp_path $dir/nginx-temp/fastcgi;
  uwsgi_temp_path $dir/nginx-temp/uwsgi;
  scgi_temp_path $dir/nginx-temp/scgi;
  # Rasa posts the whole tracker to the action server: long visits make large bodies (the Rasa
  # server block below has its own, smaller limit).
  client_max_body_size 20m;
  client_body_buffer_size 1m;

  # Round robin. A server that refuses the connection (or does not accept it within 2 s) is
  # marked down for 10 s and the request goes to the next one. nginx never re-sends a POST that
  # already reached a server (no non_idempotent here), so an action never runs twice.
  proxy_next_upstream error timeout;
  proxy_next_upstream_tries 2;
  proxy_connect_timeout 2s;
  proxy_send_timeout $timeout;
  proxy_read_timeout $timeout;
  proxy_http_version 1.1;
  # (a location with its own proxy_set_header inherits none of these: repeat them there)
  proxy_set_header Host \$host;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header Connection "";

  upstream ptsp_actions {
$(servers "$ACTION_REPLICA_PORTS")
  }
  upstream ptsp_rasa {
$(servers "$RASA_REPLICA_PORTS")
  }

  server {
    listen $ACTION_PORT;
    location / { proxy_pass http://ptsp_actions; }
  }
  server {
    listen $RASA_PORT;
    # Requests to Rasa are small (a message: at most 100,000 characters and 8 KB of metadata):
    # the same cap as Rasa's own (channels/launch.py REQUEST_MAX_SIZE), 413 above it.
    client_max_body_size 2m;
    location / { proxy_pass http://ptsp_rasa; }
  }
}
CONF
