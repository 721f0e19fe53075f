#!/usr/bin/env bash
# Set up, then run the whole test suite (SQLite always; PostgreSQL when a server is reachable).
# Extra arguments go to pytest: `-n auto --dist loadfile` runs it on pytest-xdist workers, one
# test file per worker (not the default: on the shared 2-core machine it measured slower).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
# Byte-code for planwatch, written once here. With PYTHONDONTWRITEBYTECODE set (as on the CI
# machine) every Python process would otherwise compile each planwatch module it imports from
# source, again and again: the suite's subprocesses (the CLI run as a command, the report
# writers' worker processes) and pytest itself. Reading existing .pyc files is still allowed
# with that variable set; unsetting it for the run lets pytest keep its rewritten test modules.
.venv/bin/python -m compileall -q planwatch >/dev/null || exit 1
unset PYTHONDONTWRITEBYTECODE
.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: treating as failure" >&2
  exit 1
fi
exit "$status"
