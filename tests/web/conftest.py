"""Fixtures of the web tests (see web_support for what the site holds)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache
import pytest
from browser_support import SharedBrowser
from fastapi.templating import Jinja2Templates
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import AREA_A, AREA_B, ROLES, Clock, Site, add_account, grant_for

from planwatch.demo import DemoSummary
from planwatch.store.models import Submission, Unit
from planwatch.store.workspace import open_workspace
from planwatch.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session", autouse=True)
def _one_event_loop_for_test_clients() -> Iterator[None]:
    """Test clients used outside ``with`` send their requests through one event loop, started once.

    Starlette's TestClient, when not entered, starts a thread with a new event loop for every
    request, and the application's synchronous endpoints then run on a new worker thread of
    that loop each time: a few milliseconds per request, most of the cost of a cheap page.
    A served application keeps one loop and reuses its worker threads, as the clients do with
    this portal. A client entered with ``with`` still gets its own loop and runs the
    application's lifespan (the report worker), as before.
    """
    import anyio.from_thread

    with anyio.from_thread.start_blocking_portal("asyncio") as portal, pytest.MonkeyPatch.context() as patch:
        patch.setattr(TestClient, "portal", portal)
        yield


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole run, keyed by name and checked against the source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def _templates_compiled_once() -> Iterator[None]:
    """Each application compiles each page's template once per run, not once per application.

    The tests make dozens of applications (one per module at least, some per test), each with
    its own Jinja environment, which compiles every template it renders anew: about a second of
    CPU in all. Jinja's bytecode cache hands a new environment the code an earlier one compiled
    from the same source (a changed source is compiled again); the pages rendered are the same.
    """
    from planwatch.web import app as app_module

    cache = _CompiledTemplates()

    class Templates(Jinja2Templates):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.env.bytecode_cache = cache

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_module, "Jinja2Templates", Templates)
        yield


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


_BROWSER = SharedBrowser()


@pytest.fixture
def browser() -> Browser:
    """Debian's Chromium for the Playwright tests (their modules skip first when it is missing).

    One browser for a row of tests that use it, the Playwright files' tests included when they
    run one after the other (tests/conftest.py keeps them together on one xdist worker): starting
    Playwright's driver and Chromium costs about a second of CPU each time. Each test still makes
    its own contexts, so nothing it sees (cookies, storage, pages) comes from another test."""
    return _BROWSER.get()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """The browser goes once the next test does not want it (see SharedBrowser for why)."""
    if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
        _BROWSER.close()


def pytest_sessionfinish() -> None:
    """A run interrupted in the middle of the browser tests still closes Chromium."""
    _BROWSER.close()
