#!/usr/bin/env bash
# Set up, then run the whole test suite (SQLite always; PostgreSQL when a server is reachable).
# Extra arguments go to pytest. By default the tests run on pytest-xdist workers, one per core
# (`-n auto`): on a quiet 2-core machine the whole suite took 107–118 s on two (2026-12-01).
# `--dist loadfile` keeps each test file on one worker, so a module's fixtures are made
# once; `--no-loadscope-reorder` keeps the order tests/conftest.py gives the files (longest
# first, the demo's builder first) instead of xdist's "most tests first". Give `-n 0` (or any
# `-n`/`--dist` of your own) to choose otherwise: `bash scripts/test.sh -n 0` runs serially.
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
xdist=(-n auto --dist loadfile --no-loadscope-reorder)
for arg in "$@"; do
  case "$arg" in
    -n|-n*|--numprocesses|--numprocesses=*|--dist|--dist=*|no:xdist|-pno:xdist) xdist=() ;;
  esac
done
# The tests' files (workspaces, SQLite databases, reports, the browsers' profiles) on a RAM disk
# when the machine has one with room to spare and TMPDIR names no other place: thousands of
# small files are made and removed, and on a disk each costs the kernel journal work. Back to
# back on 2 cores (2026-12-01): 94 s on /dev/shm against 98 and 104 s on /tmp, with 19 s of
# system CPU against 21–22 s. A run needs about 0.6 GB there at its peak, and only runs on
# xdist workers use it: they remove their folder when every test passed, whereas a serial run
# leaves pytest's last three (pytest-of-USER), which would hold the memory.
if [ "${#xdist[@]}" -gt 0 ] && [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && [ -k /dev/shm ]; then
  free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
  if [ "${free_kb:-0}" -gt 4194304 ]; then
    export TMPDIR=/dev/shm
  fi
fi
.venv/bin/python -m pytest ${xdist[@]+"${xdist[@]}"} "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: treating as failure" >&2
  exit 1
fi
exit "$status"
