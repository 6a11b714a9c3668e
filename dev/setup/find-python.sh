#!/usr/bin/env bash
# Prints the interpreter venv/ is built from. Python 3.10 is preferred: it is the newest
# version the Python `deltacat` package supports, so `deltacat_cpp` and `deltacat` can share
# one interpreter and one pyarrow. Falls back to python3 (the build itself needs only 3.9+).
set -euo pipefail
if [ -n "${DELTACAT_PYTHON:-}" ]; then
  echo "$DELTACAT_PYTHON"; exit 0
fi
for candidate in \
    "$(command -v python3.10 2>/dev/null || true)" \
    "$HOME"/.pyenv/versions/3.10*/bin/python3.10 \
    /usr/local/bin/python3.10 /usr/bin/python3.10; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import venv' >/dev/null 2>&1; then
    echo "$candidate"; exit 0
  fi
done
command -v python3
