"""The progress and target boards show the library's own numbers: 报送率 from the collection
status, targets from the assessment for the same filters; approved figures only.

The module has its own copy of the demo (the ``site`` fixture is per module): the tests at the
end change data (a pending submission, an approval, a unit's name) and run last.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from seed_workspaces import SeedWorkspaces
from sqlalchemy import func, select
from web_support import AREA_A, AREA_B, Clock, Site, add_account, login

from planwatch.assess.run import assess_workspace
from planwatch.collect.status import collection_status
from planwatch.collect.workflow import approve, review
from planwatch.store.models import Indicator, IndicatorReporter, Observation, Submission, Unit
from planwatch.store.workspace import open_workspace
from planwatch.web import boards_data
from planwatch.web.app import create_app
from planwatch.web.pages_data import OPEN_STATES
from planwatch.web.permissions import Grant

PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"


_APPS: dict[tuple[int, dt.datetime], FastAPI] = {}
"""One application per (site, time) for the whole module, as a server keeps one between requests:
its boards' assessment cache then serves the next test's same board instead of assessing the
demo again, and throws the result away when the data changes as it would for any server (the
tests that change data check that the boards follow)."""


def _client_at(site: Site, when: dt.datetime, username: str) -> TestClient:
    app = _APPS.get((id(site), when))
    if app is None:
        clock = Clock()
        clock.now = when
        app = _APPS[(id(site), when)] = create_app(site.workspace, clock=clock, secret="b" * 40)
    client = TestClient(app, follow_redirects=False)
    assert login(client, username).status_code == 303  # type: ignore[attr-defined]
    return client


def _table(html: str, css_class: str) -> list[list[str]]:
    found = re.search(rf'<table class="{css_class}">(.*?)</table>', html, re.S)
    assert found, f"no table {css_class}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S)
    cells = [[re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]
    return [c for c in cells if c]


def _approved_year(site: Site) -> int:
    with site.workspace.session() as session:
        year = session.scalar(select(func.max(Submission.year)).where(Submission.area_code == AREA_A,
                                                                      Submission.state == "approved"))
    assert year is not None
    return year


def _result(site: Site, year: int) -> pl.DataFrame:
    return assess_workspace(site.workspace, year, areas=[AREA_A]).result.filter(pl.col("area_code") == AREA_A)


def _office(site: Site) -> TestClient:
    return _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "office_admin")


def test_target_board_counts_equal_the_assessment(site: Site) -> None:
    year = _approved_year(site)
    expected = _result(site, year).filter(pl.col("breakdown") == "total")
    html = _office(site).get(f"/boards/targets?area={AREA_A}").text
    assert f"截至 {year} 年" in html
    rows = _table(html, "targets")
    assert len(rows) == expected.height > 0
    assert re.search(r'id="target-count">(\d+)<', html).group(1) == str(expected.height)  # type: ignore[union-attr]
    shown = dict(re.findall(r'data-status="([^"]+)">(\d+)<', html))
    assert {k: int(v) for k, v in shown.items()} == dict(Counter(expected["status"].to_list()))
    assert Counter(r[5] for r in rows) == Counter(expected["status"].to_list())
    assert "预警清单" in html and html.count("<svg") == expected["indicator_code"].n_unique()
    assert "<script>" not in html


def test_indicator_codes_are_never_broken_at_their_hyphen(site: Site) -> None:
    """W01-04 is one word: the boards keep it on one line however narrow the column."""
    html = _office(site).get(f"/boards/targets?area={AREA_A}").text
    codes = re.findall(r'<td class="code">([A-Z]\d\d-\d\d[^<]*)</td>', html)
    assert codes and all("-" in c for c in codes)
    css = (Path(__file__).parents[2] / "planwatch/web/static/style.css").read_text(encoding="utf-8")
    assert re.search(r"td\.code \{ white-space: nowrap; \}", css)


@pytest.mark.parametrize("breakdown", ["sex", "residence", "age_group", "all"])
def test_filters_select_the_same_rows_as_the_assessment(site: Site, breakdown: str) -> None:
    year = _approved_year(site)
    result = _result(site, year)
    plan = sorted(result["plan"].unique().to_list())[0]
    lead = result.filter(pl.col("plan") == plan)["lead_unit"].value_counts(sort=True)["lead_unit"][0]
    wanted = result.filter(pl.col("plan") == plan, pl.col("lead_unit") == lead)
    if breakdown != "all":
        wanted = wanted.filter(pl.col("breakdown").str.starts_with(breakdown + "="))
    html = _office(site).get("/boards/targets", params={"area": AREA_A, "plan": plan, "lead_unit": lead,
                                                        "breakdown": breakdown}).text
    rows = [r for r in _table(html, "targets") if len(r) > 1]
    assert len(rows) == wanted.height
    assert all(r[4] == lead for r in rows)
    values = sorted(f"{v:g}" for v in wanted["latest_value"].drop_nulls().to_list())
    assert sorted(r[6].split()[0] for r in rows if r[6] != "—") == values


def test_a_bad_breakdown_filter_is_refused(site: Site) -> None:
    assert _office(site).get("/boards/targets?breakdown=bogus").status_code == 400


def test_a_unit_sees_only_the_targets_it_leads(site: Site) -> None:
    year = _approved_year(site)
    result = _result(site, year)
    own = result.filter(pl.col("lead_unit") == "区卫生健康局", pl.col("breakdown") == "total")
    client = _client_at(site, dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), "filler")
    html = client.get(f"/units/{site.units['U1']}/targets").text
    rows = _table(html, "targets")
    assert len(rows) == own.height > 0
    assert {r[1] for r in rows} == set(own["indicator_code"].to_list())
    others = set(result["lead_unit"].unique().to_list()) - {"区卫生健康局"}
    assert not any(f"<td>{o}</td>" in html for o in others)
    tasks = client.get(f"/units/{site.units['U1']}/tasks").text
    led = _table(tasks, "led")
    assert Counter(r[5].split()[0] for r in led) == Counter(own["status"].to_list())
    assert sorted(r[0] for r in led) == sorted(own["indicator_code"].to_list())


def test_one_miss_assesses_every_missing_area_once(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first board of a year assesses all areas in one run; each area's result is the one it
    would get alone, and the next areas asked for are served without another run."""
    calls: list[list[str]] = []

    def counted(workspace: object, year: int, *, areas: list[str]) -> object:
        calls.append(sorted(areas))
        return assess_workspace(site.workspace, year, areas=areas)

    monkeypatch.setattr(boards_data, "assess_workspace", counted)
    cache = boards_data.AssessmentCache(batch_areas=True)
    year = _approved_year(site)
    with site.workspace.session() as session:
        first = cache.get(site.workspace, session, AREA_A, year)
        second = cache.get(site.workspace, session, AREA_B, year)
        assert cache.get(site.workspace, session, AREA_A, year) is first
    assert calls == [sorted([AREA_A, AREA_B])] and second is first
    alone = assess_workspace(site.workspace, year, areas=[AREA_B]).result
    assert second.result.filter(pl.col("area_code") == AREA_B).equals(alone.filter(pl.col("area_code") == AREA_B))
    # Without batching (the REST API returns a run's summaries): one area per run.
    calls.clear()
    single = boards_data.AssessmentCache()
    with site.workspace.session() as session:
        single.get(site.workspace, session, AREA_A, year)
    assert calls == [[AREA_A]]


def test_progress_board_rates_equal_the_collection_status(site: Site) -> None:
    when = dt.datetime(2026, 4, 2, 2, tzinfo=dt.UTC)
    client = _client_at(site, when, "leader")
    html = client.get(f"/boards/progress?area={AREA_A}&year=2025").text
    deadline = site.workspace.config.deadlines.due("annual_data", 2025)
    with site.workspace.session() as session:
        statuses = collection_status(session, 2025, deadline, when.date(), area_code=AREA_A)
    reported = sum(1 for s in statuses if s.state not in OPEN_STATES)
    assert f"{reported / len(statuses) * 100:.1f}%" in re.search(r'id="unit-rate">([^<]+)<', html).group(1)  # type: ignore[union-attr]
    by_unit = {r[0]: r for r in _table(html, "by-unit")}
    assert set(by_unit) == {s.unit for s in statuses}
    for s in statuses:
        assert by_unit[s.unit][4] == f"{s.completeness * 100:.1f}%"
    owing = {s.unit for s in statuses if s.state in OPEN_STATES}
    assert {r[0] for r in _table(html, "reminders")} == owing and owing
    per_code = Counter(c for s in statuses for c in s.expected)
    indicators = {r[0]: r for r in _table(html, "by-indicator")}
    assert {k: int(v[2]) for k, v in indicators.items()} == dict(per_code)


def test_reminders_export_and_the_notice_on_the_unit_page(site: Site) -> None:
    near = dt.datetime(2026, 3, 28, 2, tzinfo=dt.UTC)
    office = _client_at(site, near, "office_admin")
    response = office.get(f"/boards/progress/reminders.csv?area={AREA_A}&year=2025")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2] == "单位" and "区卫生健康局" in {r[2] for r in rows[1:]}
    unit = site.units["U1"]
    assert "催报通知" in _client_at(site, near, "filler").get(f"/units/{unit}/tasks?year=2025").text
    early = _client_at(site, dt.datetime(2026, 2, 1, 2, tzinfo=dt.UTC), "filler")
    assert "催报通知" not in early.get(f"/units/{unit}/tasks?year=2025").text
    done = _client_at(site, dt.datetime(2025, 3, 28, 2, tzinfo=dt.UTC), "filler")
    assert "催报通知" not in done.get(f"/units/{unit}/tasks?year=2024").text  # 2024 already approved


def test_only_approved_figures_reach_the_board_and_an_approval_is_seen(site: Site) -> None:
    """A submitted figure marks its year 待审定 without showing; approving it updates the board."""
    year = _approved_year(site)
    client = _office(site)
    client.get(f"/boards/targets?area={AREA_A}")  # fill the cache before the change
    with site.workspace.session() as session:
        lead = session.scalar(select(Unit).where(Unit.id == site.units["U1"]))
        assert lead is not None
        code, indicator_id = session.execute(
            select(Indicator.code, Indicator.id).join(IndicatorReporter, IndicatorReporter.indicator_id == Indicator.id)
            .where(IndicatorReporter.unit_id == lead.id, Indicator.unit.is_not(None), Indicator.series_id.is_(None))
            .order_by(Indicator.code)).first()  # type: ignore[misc]
        sub = Submission(area_code=AREA_A, unit_id=lead.id, year=year + 1, revision=1, state="submitted",
                         created_by="test", submitted_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
        session.add(sub)
        session.flush()
        session.add(Observation(submission_id=sub.id, indicator_id=indicator_id, area_code=AREA_A, year=year + 1,
                                breakdown="total", value=4321.5))
        sub_id = sub.id
    html = client.get(f"/boards/targets?area={AREA_A}").text
    assert "4321.5" not in html and f"{year + 1} 待审定" in html and f"截至 {year} 年" in html
    with site.workspace.session() as session:
        review(session, sub_id, "test", at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC))
    assert f"{year + 1} 待审定" in client.get(f"/boards/targets?area={AREA_A}").text  # reviewed: still pending
    with site.workspace.session() as session:
        approve(session, sub_id, "test", at=dt.datetime(2025, 3, 3, tzinfo=dt.UTC))
    html = client.get(f"/boards/targets?area={AREA_A}").text
    assert f"截至 {year + 1} 年" in html and "4321.5" in html and f"{year + 1} 待审定" not in html
    expected = _result(site, year + 1).filter(pl.col("indicator_code") == code, pl.col("breakdown") == "total")
    assert expected["latest_value"].to_list()[0] == 4321.5


def test_the_reminder_export_writes_no_formula(site: Site) -> None:
    with site.workspace.session() as session:
        unit = session.get(Unit, site.units["U2"])
        assert unit is not None
        unit.name = "=HYPERLINK(\"http://x\")"
    office = _client_at(site, dt.datetime(2026, 3, 28, 2, tzinfo=dt.UTC), "office_admin")
    text = office.get(f"/boards/progress/reminders.csv?area={AREA_A}&year=2025").content.decode("utf-8-sig")
    names = [r[2] for r in csv.reader(io.StringIO(text))]
    assert "'=HYPERLINK(\"http://x\")" in names and not any(n.startswith("=") for n in names)


def test_boards_work_on_each_database(db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces) -> None:
    """A fresh workspace on SQLite and PostgreSQL with one approved and one submitted figure:
    the approved one is on the board, the submitted year is only marked 待审定."""
    url = None if db_url.startswith("sqlite") else db_url
    ws = open_workspace(seed_workspaces.make(tmp_path / "ws", [PLANS / "jinan-shizhong-2022-7.txt"], url))
    try:
        with ws.session() as session:
            unit = session.scalar(select(Unit).where(Unit.name == "区卫生健康局"))
            assert unit is not None
            unit_id, area = unit.id, unit.area_code
            indicator_id = session.scalar(
                select(Indicator.id).join(IndicatorReporter, IndicatorReporter.indicator_id == Indicator.id)
                .where(IndicatorReporter.unit_id == unit_id, Indicator.unit.is_not(None), Indicator.series_id.is_(None))
                .order_by(Indicator.code))
            assert indicator_id is not None
            for year, state, value in ((2023, "approved", 987.25), (2024, "submitted", 876.5)):
                approved = dt.datetime(year + 1, 3, 9, tzinfo=dt.UTC) if state == "approved" else None
                sub = Submission(area_code=area, unit_id=unit_id, year=year, revision=1, state=state,
                                 created_by="test", submitted_at=dt.datetime(year + 1, 3, 1, tzinfo=dt.UTC),
                                 approved_at=approved)
                session.add(sub)
                session.flush()
                session.add(Observation(submission_id=sub.id, indicator_id=indicator_id, area_code=area, year=year,
                                        breakdown="total", value=value))
        add_account(ws, "office", Grant("office_admin", area))
        add_account(ws, "unit", Grant("filler", area, unit_id))
        app = create_app(ws, clock=Clock(), secret="q" * 40)
        office = TestClient(app, follow_redirects=False)
        assert login(office, "office").status_code == 303  # type: ignore[attr-defined]
        board = office.get(f"/boards/targets?area={area}")
        assert board.status_code == 200 and "987.25" in board.text and "876.5" not in board.text
        assert "2024 待审定" in board.text and "截至 2023 年" in board.text
        progress = office.get(f"/boards/progress?area={area}&year=2024")
        assert progress.status_code == 200 and "区卫生健康局" in progress.text
        unit_client = TestClient(app, follow_redirects=False)
        assert login(unit_client, "unit").status_code == 303  # type: ignore[attr-defined]
        own = unit_client.get(f"/units/{unit_id}/tasks")
        assert own.status_code == 200 and "本单位牵头的目标" in own.text
    finally:
        ws.close()


def test_the_chart_escapes_names_and_marks_target_and_pending_years() -> None:
    from planwatch.web.boards_data import Chart, Point
    from planwatch.web.boards_svg import chart_svg

    svg = str(chart_svg(Chart("X1", "<script>alert(1)</script>", "%", [Point(2021, 10.0), Point(2022, 12.0)],
                              15.0, 2025, [2023])))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'class="target"' in svg and "目标 15（2025年）" in svg and "2023 待审定" in svg
    assert svg.count('class="dot"') == 2 and "<polyline" in svg
    empty = str(chart_svg(Chart("X2", "无数据", "", [], None, None, [])))
    assert "<svg" not in empty and "暂无已审定数据" in empty
