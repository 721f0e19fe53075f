#!/usr/bin/env bash
# The main job: set up, then build the demo workspace from the seed plans and show the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/planwatch demo demo-workspace --fresh "$@"
