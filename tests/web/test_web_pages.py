"""The pages show the workspace's real data: a unit's tasks from the catalogue and its
submission, the office's units by state, a submission's figures; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from seed_workspaces import SeedWorkspaces
from sqlalchemy import func, select
from web_support import AREA_A, Clock, Site, add_account, login

from planwatch.collect.catalogue import assigned_indicators
from planwatch.collect.history import latest_submissions
from planwatch.store.models import Observation, Submission, Unit
from planwatch.store.workspace import open_workspace
from planwatch.web.app import create_app
from planwatch.web.pages_data import TASK_STATE_LABELS
from planwatch.web.permissions import Grant

PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"


def _client_at(site: Site, when: dt.datetime, username: str) -> TestClient:
    clock = Clock()
    clock.now = when
    client = TestClient(create_app(site.workspace, clock=clock, secret="p" * 40), follow_redirects=False)
    assert login(client, username).status_code == 303  # type: ignore[attr-defined]
    return client


def _cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def test_unit_tasks_list_the_catalogue_with_the_submission_state(site: Site) -> None:
    unit = site.units["U1"]
    client = _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "filler")
    html = client.get(f"/units/{unit}/tasks?year=2024").text
    with site.workspace.session() as session:
        specs = assigned_indicators(session, AREA_A, unit)
        sub = latest_submissions(session, area_code=AREA_A, unit_id=unit, year=2024)[0]
    rows = [r for r in _cells(html) if len(r) == 5]
    assert [r[0] for r in sorted(rows)] == sorted(s.code for s in specs)
    assert "2025-03-31" in html and "剩余 11 天" not in html  # already 已审定: no countdown
    assert TASK_STATE_LABELS[sub.state] in html
    assert "妇女规划 · 妇女与健康" in html and "儿童规划" in html
    assert all(r[4] for r in rows)


def test_overdue_is_marked_only_after_the_deadline(site: Site) -> None:
    unit = site.units["U1"]
    before = _client_at(site, dt.datetime(2026, 3, 20, 2, tzinfo=dt.UTC), "filler")
    html = before.get(f"/units/{unit}/tasks?year=2025").text
    assert "未填报" in html and "剩余 11 天" in html and "逾期" not in html
    after = _client_at(site, dt.datetime(2026, 4, 2, 2, tzinfo=dt.UTC), "filler")
    html = after.get(f"/units/{unit}/tasks?year=2025").text
    assert "已逾期 2 天" in html and html.count('class="badge overdue">逾期') > 10


def test_a_returned_submission_shows_its_reason_to_the_unit_and_the_office(site: Site) -> None:
    with site.workspace.session() as session:
        returned = session.scalars(select(Submission).where(Submission.state == "returned")).first()
        assert returned is not None and returned.comment
        unit = session.get(Unit, returned.unit_id)
        assert unit is not None
        reason, area, unit_id, year = returned.comment, unit.area_code, unit.id, returned.year
    add_account(site.workspace, "returned-unit", Grant("filler", area, unit_id))
    client = _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "returned-unit")
    page = client.get(f"/units/{unit_id}/tasks?year={year}").text
    assert "已退回" in page and f"退回原因：{reason}" in page
    add_account(site.workspace, "office-of-returned", Grant("office_admin", area))
    office = _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "office-of-returned")
    assert f"原因：{reason}" in office.get(f"/areas/{area}/progress?year={year}").text


def test_progress_counts_units_by_the_state_of_their_latest_submission(site: Site) -> None:
    client = _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "office_admin")
    html = client.get(f"/areas/{AREA_A}/progress?year=2024").text
    with site.workspace.session() as session:
        states = [s.state for s in latest_submissions(session, area_code=AREA_A, year=2024)]
    for state in ("approved", "reviewed", "submitted", "returned"):
        label = TASK_STATE_LABELS[state]
        assert f'<span class="label">{label}</span>{states.count(state)}' in html, label
    reported = sum(s not in ("draft", "returned") for s in states)  # a returned one is back with the unit
    assert re.search(rf'已报送单位</span>{reported} / \d+', html)


def test_a_submission_page_lists_every_figure(site: Site) -> None:
    client = _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "office_admin")
    sub_id = site.subs["U1"]
    html = client.get(f"/submissions/{sub_id}").text
    with site.workspace.session() as session:
        count = session.scalar(select(func.count()).select_from(Observation).where(Observation.submission_id == sub_id))
    assert f"数值（{count} 项）" in html and count
    figures = re.findall(r'<td class="num">([^<]*)</td>', html)  # as typed: 1000, never 1000.0
    assert figures and not [f for f in figures if re.fullmatch(r"-?\d+\.0", f)], " ".join(figures)


def test_a_user_of_two_units_chooses_on_the_home_page(site: Site) -> None:
    from planwatch.web.accounts import add_user
    from planwatch.web.audit import Actor

    with site.workspace.session() as session:
        user, _ = add_user(session, "two-units", "两单位", [Grant("filler", AREA_A, site.units["U1"]),
                                                           Grant("unit_reviewer", AREA_A, site.units["U2"])],
                           dt.datetime(2025, 1, 1, tzinfo=dt.UTC), Actor("test"), password="Planwatch#2024")
        user.must_change_password = False
    client = _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "two-units")
    home = client.get("/")
    assert home.status_code == 200
    assert f'/units/{site.units["U1"]}/tasks' in home.text and f'/units/{site.units["U2"]}/tasks' in home.text
    assert client.get(f'/units/{site.units["U2"]}/tasks').status_code == 200


def test_pages_work_on_each_database(db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces) -> None:
    """A fresh workspace (no submissions) on SQLite and PostgreSQL: every page renders."""
    url = None if db_url.startswith("sqlite") else db_url
    ws = open_workspace(seed_workspaces.make(tmp_path / "ws", [PLANS / "jinan-shizhong-2022-7.txt"], url))
    try:
        with ws.session() as session:
            unit = session.scalar(select(Unit).where(Unit.name == "区卫生健康局"))
            assert unit is not None
            unit_id, area = unit.id, unit.area_code
        add_account(ws, "unit", Grant("filler", area, unit_id))
        add_account(ws, "office", Grant("office_admin", area))
        add_account(ws, "auditor", Grant("auditor"))
        clock = Clock()
        app = create_app(ws, clock=clock, secret="q" * 40)
        for username, url_path, words in (
            ("unit", f"/units/{unit_id}/tasks", "未填报"),
            ("office", f"/areas/{area}/progress", "区卫生健康局"),
            ("office", "/admin/users", "unit"),
            ("auditor", "/audit", "登录"),
        ):
            client = TestClient(app, follow_redirects=False)
            assert login(client, username).status_code == 303  # type: ignore[attr-defined]
            page = client.get(url_path)
            assert page.status_code == 200 and words in page.text, (username, url_path)
    finally:
        ws.close()


@pytest.mark.parametrize("year", ["1999", "abc", "2101"])
def test_a_bad_year_is_refused(site: Site, year: str) -> None:
    client = _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "filler")
    assert client.get(f"/units/{site.units['U1']}/tasks?year={year}").status_code == 422
