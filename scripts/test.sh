#!/usr/bin/env bash
# Set up, then run the whole test suite (SQLite always; PostgreSQL when a server is reachable).
# The tests run in parallel, one pytest-xdist worker per CPU, each test file on one worker (so a
# module's expensive fixtures are made once); extra arguments go to pytest, and `-n 0` after
# them runs everything in one process.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
.venv/bin/python -m pytest -n auto --dist loadfile "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: treating as failure" >&2
  exit 1
fi
exit "$status"
