#!/usr/bin/env bash
# `rasa data validate`, failing on any warning that is not explained in
# tests/validate_allowlist.txt (one regular expression per line, with a comment saying why).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(.venv/bin/rasa data validate --domain domain.yml --data data --config config.yml 2>&1) || {
  echo "$out"; echo "FAIL: rasa data validate reported errors" >&2; exit 1; }
warnings=$(printf '%s\n' "$out" | grep -o 'UserWarning: .*' | sed 's/^UserWarning: //' || true)
allow=$(grep -v '^\s*#' tests/validate_allowlist.txt | grep -v '^\s*$' || true)
unexplained=$(printf '%s\n' "$warnings" | grep -v '^$' | grep -v -E -f <(printf '%s\n' "$allow") || true)
if [ -n "$unexplained" ]; then
  echo "FAIL: unexplained warnings from rasa data validate:" >&2
  printf '%s\n' "$unexplained" >&2
  exit 1
fi
echo "rasa data validate: clean ($(printf '%s\n' "$warnings" | grep -c . || true) explained warning(s), see tests/validate_allowlist.txt)"
