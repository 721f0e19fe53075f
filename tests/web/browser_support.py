"""What the Playwright tests need before they import Playwright: Debian's Chromium and the
package. Without them the module is skipped with the reason, unless CI requires the browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def missing_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} 不存在（Debian 软件包 chromium，由 scripts/setup.sh 安装）"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "未安装 playwright（pip install -e '.[dev]'）"
    return None


def skip_without_browser() -> None:
    """Call at module level, before importing Playwright."""
    why = missing_browser()
    if why is None:
        return
    if os.environ.get("PLANWATCH_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"PLANWATCH_REQUIRE_BROWSER=1，但浏览器测试无法运行：{why}")
    pytest.skip(why, allow_module_level=True)
