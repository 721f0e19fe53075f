#!/usr/bin/env bash
# The main job: set up, build the demo workspace from the seed plans, show the result, then
# serve it as the web application (its address and one demo account per role are printed).
#   bash scripts/demo.sh              build, then serve on http://127.0.0.1:8000/ (Ctrl+C stops)
#   bash scripts/demo.sh --no-serve   build only, for scripts
# Other arguments go to `planwatch demo` (e.g. --jobs 1).
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-serve" ]; then serve=0; else args+=("$a"); fi
done
bash scripts/setup.sh
.venv/bin/planwatch demo demo-workspace --fresh "${args[@]}"
if [ "$serve" = 1 ]; then
  echo "正在启动网页应用（用上面列出的演示账号登录；Ctrl+C 停止）/ serving the demo workspace"
  exec .venv/bin/planwatch serve demo-workspace --host 127.0.0.1 --port "${PLANWATCH_PORT:-8000}"
fi
