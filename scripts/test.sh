#!/usr/bin/env bash
# Set up, then run the whole test suite (SQLite always; PostgreSQL when a server is reachable).
# Extra arguments go to pytest: `-n auto --dist loadfile` runs it on pytest-xdist workers, one
# test file per worker (not the default: on the shared 2-core machine it measured slower).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: treating as failure" >&2
  exit 1
fi
exit "$status"
