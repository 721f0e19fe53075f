#!/usr/bin/env bash
# Sets up planwatch on a fresh machine: a virtual environment in .venv with pinned
# dependencies, and the Debian packages the reports need (CJK fonts, pdftotext, LibreOffice's
# headless Writer to check Word files as WPS/LibreOffice users see them) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# The interpreter for .venv: $PYTHON if given, else the distribution's own Python 3.11 or later
# (/usr/bin/python3), else the first python3 on PATH. Distributions build theirs with
# profile-guided and link-time optimisation; a Python built from source (pyenv's default, often
# first on PATH) has neither: on 2026-12-01 Debian's 3.11.2 ran the whole test suite in 195 s of
# CPU where pyenv's 3.11.7 took 233 s, and a plain loop in two thirds of the time. An existing
# .venv is kept whatever it was made with (remove it to make it again).
if [ -z "${PYTHON:-}" ]; then
  PYTHON=python3
  if /usr/bin/python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    PYTHON=/usr/bin/python3
  fi
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# pip runs when pyproject.toml has changed since the last install into this .venv (or never ran):
# asked again with nothing to do, it still took 4 s of every test run (2026-12-01).
stamp=.venv/.planwatch-installed
installed_for=$(sha256sum pyproject.toml)
if [ "$(cat "$stamp" 2>/dev/null)" != "$installed_for" ]; then
  # Gone until pip has finished: an install that fails half-way must not pass for the old one
  # if pyproject.toml is then put back as it was.
  rm -f "$stamp"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  printf '%s\n' "$installed_for" > "$stamp"
fi

# Fonts and libraries for Chinese reports; installed only when missing and when we may.
# WeasyPrint (PDF reports) needs Pango and HarfBuzz; the tests read PDFs back with poppler and
# convert Word files with LibreOffice (libreoffice-writer-nogui: `libreoffice --headless`);
# fonts-liberation2 is metric-compatible with Times New Roman, the Word files' Latin font.
# chromium-headless-shell: the browser tests drive Debian's headless Chromium through Playwright
# (no browser download; lighter than the desktop browser in the chromium package).
need=()
for pkg in fonts-noto-cjk fonts-liberation2 poppler-utils fontconfig libpango-1.0-0 \
           libpangoft2-1.0-0 libharfbuzz-subset0 libreoffice-writer-nogui chromium-headless-shell; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装系统软件包 / installing Debian packages: ${need[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) \
      || echo "警告：未能安装 ${need[*]}；报告中的中文字体、PDF 检查或浏览器测试可能不可用" >&2
  else
    echo "提示：请安装 ${need[*]}（Debian: sudo apt-get install ${need[*]}）以获得中文字体和浏览器测试" >&2
  fi
fi

# The office font names (仿宋_GB2312, 黑体 …) drawn with Noto CJK where the commercial fonts are
# missing, for LibreOffice and WeasyPrint alike (both ask fontconfig).
conf=planwatch/report/fontconfig/65-planwatch-office-cjk.conf
if [ "$(id -u)" = 0 ] && [ -d /etc/fonts/conf.d ]; then
  target=/etc/fonts/conf.d/$(basename "$conf")
else
  target=${XDG_CONFIG_HOME:-$HOME/.config}/fontconfig/conf.d/$(basename "$conf")
fi
if ! cmp -s "$conf" "$target" 2>/dev/null; then
  mkdir -p "$(dirname "$target")" && cp "$conf" "$target" && { command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true; } \
    || echo "警告：未能安装字体替换配置 $target" >&2
fi
