"""Fixtures of the web tests (see web_support for what the site holds)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import AREA_A, AREA_B, ROLES, Clock, Site, add_account, grant_for

from planwatch.demo import DemoSummary
from planwatch.store.models import Submission, Unit
from planwatch.store.workspace import open_workspace
from planwatch.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def site(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    path = tmp_path_factory.mktemp("web") / "ws"
    shutil.copytree(demo.path, path)
    ws = open_workspace(path)
    with ws.session() as session:
        def unit(area: str, name: str) -> int:
            found = session.scalar(select(Unit.id).where(Unit.area_code == area, Unit.name == name))
            assert found is not None
            return found

        units = {"U1": unit(AREA_A, "区卫生健康局"), "U2": unit(AREA_A, "区医保局"), "U3": unit(AREA_B, "区卫生健康局")}

        def submitted(unit_id: int) -> int:
            found = session.scalar(select(Submission.id).where(Submission.unit_id == unit_id,
                                                               Submission.state != "draft")
                                   .order_by(Submission.id))
            assert found is not None
            return found

        subs = {key: submitted(uid) for key, uid in units.items()}
        draft = Submission(area_code=AREA_A, unit_id=units["U2"], year=2025, revision=1, state="draft",
                           created_by="test")
        session.add(draft)
        session.flush()
        subs["U2draft"] = draft.id
    for role in ROLES:
        add_account(ws, role, grant_for(role, units))
    clock = Clock()
    app = create_app(ws, clock=clock, secret="test-secret-" + "x" * 40)

    def factory() -> TestClient:
        return TestClient(app, follow_redirects=False)

    try:
        yield Site(ws, clock, factory, units, subs)
    finally:
        ws.close()


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Browser]:
    """Debian's Chromium under Playwright, launched once per session (a launch costs about a
    second) for every browser test module. Playwright is imported here, not at the top, so
    that the web tests run where it is missing (the browser modules skip themselves first)."""
    from browser_support import CHROMIUM
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=args, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def browser(_chromium: Browser) -> Iterator[Browser]:
    """The session's Chromium for one module; the browser contexts (cookies, pages) the module
    opened are closed after it, so no module sees another's."""
    yield _chromium
    for context in list(_chromium.contexts):
        context.close()
