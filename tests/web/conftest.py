"""Fixtures of the web tests (see web_support for what the site holds)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import AREA_A, AREA_B, ROLES, Clock, Site, add_account, grant_for

from planwatch.demo import DemoSummary
from planwatch.store.models import Submission, Unit
from planwatch.store.workspace import open_workspace
from planwatch.web.app import create_app


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
