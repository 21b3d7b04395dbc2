#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (Playwright drives
# /usr/bin/chromium; no browser is ever downloaded by a test tool).
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "==> installing Debian's chromium for the browser tests"
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get install -y -q chromium >/dev/null 2>&1 \
       || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null 2>&1; }; }; then
  echo "WARNING: could not install chromium; the browser tests will be skipped" >&2
fi
exit 0
