#!/usr/bin/env bash
# Installs the Debian packages the tests and `make run-prod` use when they are missing:
#   chromium     driven by Playwright for the browser tests (/usr/bin/chromium; no browser download)
#   nginx-light  the round-robin load balancer in front of the replicas (make run-prod, replica test)
#   tmux         the terminal the `make shell` test types into and reads back
# A package that cannot be installed is reported; the tests that need it then skip with that reason.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
[ ${#need[@]} -eq 0 ] && exit 0
echo "==> installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
for pkg in "${need[@]}"; do
  if ! { $SUDO apt-get install -y -q "$pkg" >/dev/null 2>&1 \
         || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q "$pkg" >/dev/null 2>&1; }; }; then
    echo "WARNING: could not install $pkg; the tests that need it will be skipped" >&2
  fi
done
# nginx-light's package scripts may start a default server on :80; the project runs its own.
if [[ " ${need[*]} " == *" nginx-light "* ]] && command -v service >/dev/null 2>&1; then
  $SUDO service nginx stop >/dev/null 2>&1 || true
fi
exit 0
