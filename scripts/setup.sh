#!/usr/bin/env bash
# Idempotent setup: Python 3.10 virtual environment in .venv/ with the pinned requirements.
# Re-installs only when requirements.txt or requirements.lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  local candidates=()
  [ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
  candidates+=(python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
  for d in "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /root/.pyenv/versions/3.10*/bin/python3.10 /opt/python*/bin/python3.10; do
    [ -x "$d" ] && candidates+=("$d")
  done
  for c in "${candidates[@]}"; do
    # A pyenv shim exists even when 3.10 is not the active version, so run it to be sure.
    if out=$("$c" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) && [ "$out" = "3.10" ]; then
      command -v "$c" 2>/dev/null || echo "$c"
      return 0
    fi
  done
  return 1
}

venv_ok() {
  [ -x .venv/bin/python ] && [ "$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "3.10" ]
}

if ! venv_ok; then
  if ! py=$(find_python310); then
    echo "ERROR: Rasa 3.6 needs Python 3.10, and no working python3.10 was found." >&2
    echo "Fix: install it (e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10 python3.10-venv')," >&2
    echo "     or point PYTHON310=/path/to/python3.10 at one, then run 'make setup' again." >&2
    exit 1
  fi
  echo "==> creating .venv with $py"
  rm -rf .venv
  "$py" -m venv .venv
fi

stamp=.venv/.requirements.sha256
want=$(cat requirements.txt requirements.lock | sha256sum | cut -d' ' -f1)
UV_VERSION=0.5.11  # the installer (PyPI); the installed set is requirements.lock either way
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing pinned requirements into .venv (under a minute with uv, ~3 with pip)"
  installing_since=$(date +%s)
  if .venv/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" 2>/dev/null \
      && .venv/bin/uv pip install --quiet --python .venv/bin/python -r requirements.txt \
           -c requirements.lock; then
    :
  else
    echo "==> uv unavailable or failed; installing with pip"
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt \
      -c requirements.lock
  fi
  echo "$want" > "$stamp"
  echo "==> installed in $(( $(date +%s) - installing_since )) s"
fi
mkdir -p var models
# The before-commit check (no generated file enters git), in a git checkout only.
if [ -d .git ] && [ "$(git config --get core.hooksPath 2>/dev/null)" != ".githooks" ]; then
  git config core.hooksPath .githooks
fi
