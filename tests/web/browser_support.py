"""What the Playwright tests need before they import Playwright: Debian's headless Chromium and
the package. Without them the module is skipped with the reason, unless CI requires the browser.
Also how they start that Chromium (``open_browser``), the same way for every browser test."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from starlette.types import ASGIApp

CHROMIUM = Path("/usr/bin/chromium-headless-shell")
"""Chromium's headless shell (Debian package chromium-headless-shell), the build Playwright
itself runs headless tests in: the same engine as the chromium package's desktop browser,
without its windows, address bar and browser services. Chromium's own CPU for the two
Playwright files: 6.0–6.2 s against 10.2–11.3 s with the desktop browser (two runs each,
2026-11); 12.6 s for the headless shell on 2026-12-01, read per process from /proc while the
two files ran alone (about 1.3 s of it the screenshots)."""

_PLAYWRIGHT = "1.65.2"
"""The Playwright whose own ``--disable-features`` list is repeated below (pyproject.toml pins it)."""
_PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints",
    "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch", "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
_IDLE_FEATURES = (
    # A renderer started ahead for the next navigation: most are thrown away unused with their
    # context (about 0.05 s of CPU each); a navigation that needs one starts it then. With
    # Playwright's list alone the headless shell took 6.4 s of CPU for the two files, 6.1 s
    # with this one. (The desktop browser also needed its address bar's drop-down pages
    # switched off; the headless shell has no address bar.)
    "SpareRendererForSitePerProcess",
)


def chromium_args() -> list[str]:
    """Chromium's extra switches: no sandbox as root, and none of the idle work above.

    Chromium reads only the last ``--disable-features`` switch, so this one repeats Playwright's
    own list (its ``chromiumSwitches``, read from the pinned version). Under another Playwright
    that list may differ: the features are then left alone, which costs time, not a test."""
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    if version("playwright") == _PLAYWRIGHT:
        args.append("--disable-features=" + ",".join(_PLAYWRIGHT_DISABLED_FEATURES + _IDLE_FEATURES))
    return args


@contextlib.contextmanager
def open_browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright until the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=chromium_args(), headless=True)
        try:
            yield launched
        finally:
            launched.close()


class SharedBrowser:
    """One Chromium for browser tests that run one after another, launched by the first of them.

    ``close`` must come before any other test runs: while Playwright's sync API is open it marks
    an asyncio loop as running on this thread, so that ``asyncio.run`` (or anything starting a loop
    there) in a later test would fail. tests/web/conftest.py closes it after the last test in a row
    that asks for a browser."""

    def __init__(self) -> None:
        self._open: contextlib.ExitStack | None = None
        self._browser: Browser | None = None

    def get(self) -> Browser:
        if self._browser is None:
            with contextlib.ExitStack() as stack:
                self._browser = stack.enter_context(open_browser())
                self._open = stack.pop_all()
        return self._browser

    def close(self) -> None:
        opened, self._open, self._browser = self._open, None, None
        if opened is not None:
            opened.close()


@contextlib.contextmanager
def serve(app: ASGIApp, *, lifespan: bool) -> Iterator[str]:
    """``app`` served by uvicorn on a free port of 127.0.0.1, in a thread, until the block ends; its
    address. ``lifespan`` runs the application's start-up (the report worker) as ``planwatch serve`` does."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on" if lifespan else "off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn 未能启动"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def shots_folder(name: str) -> Path | None:
    """Where a browser test photographs the pages it visits, for people to look at:
    ``$PLANWATCH_SHOTS/<name>`` when PLANWATCH_SHOTS names a folder (made if missing), else
    nowhere. ``PLANWATCH_SHOTS=/tmp/shots bash scripts/test.sh tests/web/test_web_browser.py
    tests/web/test_web_phone.py`` leaves every page of both files there.

    Off unless asked for: the photographs check nothing (the assertions read the pages), and
    taking them was about 2.6 s of Chromium's 15 s of CPU for the two files (2026-12-01)."""
    root = os.environ.get("PLANWATCH_SHOTS")
    if not root:
        return None
    folder = Path(root) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def missing_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} 不存在（Debian 软件包 chromium-headless-shell，由 scripts/setup.sh 安装）"
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
