"""Usable at 1366×768 and on a phone (375×812) for looking up status: no page scrolls sideways.

Debian's Chromium, driven by Playwright, opens the pages a unit and the office look things up
on (home, tasks, form, targets, boards, review, submission) at both sizes and checks that the
page is no wider than the window (``scrollWidth <= innerWidth``): wide tables scroll inside
their own box instead. Each page is photographed when PLANWATCH_SHOTS names a folder
(browser_support.shots_folder), for people to look at.

Skipped when Chromium or Playwright is missing, unless PLANWATCH_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from browser_support import serve, shots_folder, skip_without_browser
from sqlalchemy import select
from web_support import AREA_A, PASSWORD, add_account

from planwatch.collect.history import latest_submissions
from planwatch.demo import DemoSummary
from planwatch.store.models import Unit
from planwatch.store.workspace import Workspace, open_workspace
from planwatch.web.app import create_app
from planwatch.web.permissions import Grant

SIZES = {"phone": (375, 812), "laptop": (1366, 768)}


skip_without_browser()

from playwright.sync_api import Browser, Page  # noqa: E402


@dataclass
class Served:
    workspace: Workspace
    url: str
    unit_id: int
    submission_id: int
    year: int


@pytest.fixture(scope="module")
def served(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    path = tmp_path_factory.mktemp("phone") / "ws"
    shutil.copytree(demo.path, path)
    ws = open_workspace(path)
    with ws.session() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.area_code == AREA_A, Unit.name == "区卫生健康局"))
        assert unit_id is not None
        latest = max(latest_submissions(session, area_code=AREA_A, unit_id=unit_id), key=lambda s: s.year)
        sub_id, year = latest.id, latest.year
    add_account(ws, "phone-unit", Grant("filler", AREA_A, unit_id))
    add_account(ws, "phone-office", Grant("office_admin", AREA_A))
    try:
        with serve(create_app(ws, secret="phone-test-" + "p" * 40), lifespan=False) as url:
            yield Served(ws, url, unit_id, sub_id, year)
    finally:
        ws.close()


def _log_in(page: Page, served: Served, username: str) -> None:
    page.goto(f"{served.url}/login")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url, "登录失败"


def _pages(served: Served) -> dict[str, list[tuple[str, str]]]:
    unit, sub, year = served.unit_id, served.submission_id, served.year
    return {
        "phone-unit": [
            ("home", "/"),
            ("tasks", f"/units/{unit}/tasks"),
            ("form", f"/units/{unit}/form?year={year}"),
            ("unit-targets", f"/units/{unit}/targets"),
            ("unit-submission", f"/submissions/{sub}"),
        ],
        "phone-office": [
            ("progress", f"/areas/{AREA_A}/progress"),
            ("progress-board", f"/boards/progress?area={AREA_A}"),
            ("target-board", f"/boards/targets?area={AREA_A}"),
            ("review-list", f"/areas/{AREA_A}/review?state=approved"),
            ("review", f"/review/{sub}"),
            ("submission", f"/submissions/{sub}"),
            ("units", f"/areas/{AREA_A}/units"),
        ],
    }


@pytest.mark.parametrize("size", list(SIZES))
def test_no_page_scrolls_sideways(served: Served, browser: Browser, size: str) -> None:
    width, height = SIZES[size]
    shots = shots_folder("phone")
    too_wide = []
    # One context and page for both accounts: each new context costs Chromium about a second of
    # CPU (its renderer processes start afresh), so the second account logs in on the same page
    # once the first one's cookies are gone, as on a shared computer after 退出.
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    try:
        page = context.new_page()
        for username, pages in _pages(served).items():
            context.clear_cookies()
            _log_in(page, served, username)
            for name, path in pages:
                response = page.goto(served.url + path)
                assert response is not None and response.status == 200, (name, response and response.status)
                page.wait_for_load_state("load")
                if shots is not None:
                    page.screenshot(path=str(shots / f"{size}-{name}.png"))
                scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if scroll > inner:
                    too_wide.append(f"{name} {path}: {scroll} > {inner}")
    finally:
        context.close()
    assert not too_wide, f"{size} 页面横向溢出: {too_wide}"


def test_wide_tables_scroll_inside_their_box_on_a_phone(served: Served, browser: Browser) -> None:
    """The form's table is wider than a phone: its box scrolls, even with JavaScript off."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{served.url}/login")
        page.locator('input[name="username"]').fill("phone-unit")
        page.locator('input[name="password"]').fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="登录", exact=True).click()
        page.goto(f"{served.url}/units/{served.unit_id}/form?year={served.year}")
        box = page.locator("div.scroll").first
        inner, outer = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert inner > outer  # the table is wider than the screen and scrolls in its box
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
