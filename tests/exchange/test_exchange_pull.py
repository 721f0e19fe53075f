"""A city made of the demo's two districts: it pulls their approved figures (市中区 from the
district's workspace directly, 山亭区 from the SDMX-CSV file the district sent), rolls them up
and assesses; its figures equal ``assess --rollup`` on one database holding both districts.

The two districts belong to different cities (济南 3701, 枣庄 3704), so the city here is a
grouping: it names its districts (``children``). The reference is the demo's own database
with 山亭区 filed under 济南市 (370100), so ``assess --rollup 370100`` rolls up the same two.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import polars as pl
import pytest
from exchange_helpers import approved_figures, fresh_workspace, observations
from sqlalchemy import func, select

import planwatch
from planwatch.demo import DemoSummary
from planwatch.store import models as m
from planwatch.store.workspace import open_workspace

CITY = "370100"
DISTRICTS = ["370103", "370406"]
YEAR = 2024


@pytest.fixture(scope="module")
def city(demo: DemoSummary, seed_workspaces: object, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("city")
    sent = folder / "shanting.csv"
    planwatch.export_data(demo.path, sent, format="sdmx", areas=["370406"])
    ws = fresh_workspace(folder / "receiver", demo, seed_workspaces)
    result = planwatch.pull_figures(ws, workspaces=[demo.path], areas=["370103"], sdmx_files=[sent], actor="市统计局")
    assert result.accepted and result.stored, [f.to_dict()["errors"] for f in result.files if not f.accepted][:2]
    return ws, sent


@pytest.fixture(scope="module")
def reference(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's database with both districts under one city: `assess --rollup` rolls up both."""
    copy = tmp_path_factory.mktemp("reference") / "ws"
    shutil.copytree(demo.path, copy)
    with sqlite3.connect(copy / "planwatch.sqlite") as conn:
        conn.execute("UPDATE area SET parent_code = ? WHERE code = '370406'", (CITY,))
    return copy


def test_the_city_holds_exactly_the_districts_approved_figures(city: tuple[Path, Path], demo: DemoSummary) -> None:
    ws, _ = city
    assert observations(ws, approved_only=True) == observations(demo.path, approved_only=True)


def test_every_pulled_figure_says_where_it_came_from(city: tuple[Path, Path], demo: DemoSummary) -> None:
    ws, sent = city
    rows = [r.to_dict() | {"source_approved_at": r.source_approved_at} for r in planwatch.pulled_figures(ws)]
    with open_workspace(demo.path) as district, district.sessions() as s:
        source = {sub.id: sub for sub in s.scalars(select(m.Submission))}
    with open_workspace(ws) as opened, opened.sessions() as s:
        mine = {sub.id: sub for sub in s.scalars(select(m.Submission))}
        unprovenanced = s.scalar(select(func.count()).select_from(m.Submission)
                                 .outerjoin(m.PulledSubmission).where(m.PulledSubmission.id.is_(None)))
    assert unprovenanced == 0 and len(rows) == len(mine)
    kinds = {r["area_code"]: (r["source_kind"], r["source"]) for r in rows}
    assert kinds["370103"] == ("workspace", demo.path.name)
    assert kinds["370406"] == ("sdmx-csv", f"{demo.path.name}（{sent.name}）")
    for r in rows:
        there = source[r["source_submission_id"]]
        assert (there.state, there.revision, there.area_code, there.year) == (
            "approved", r["source_revision"], r["area_code"], r["year"])
        assert mine[r["submission_id"]].state == "approved" and r["pulled_by"] == "市统计局"
        if r["source_kind"] == "workspace":
            assert r["source_approved_at"] == there.approved_at


def test_pulling_again_changes_nothing(city: tuple[Path, Path], demo: DemoSummary) -> None:
    ws, sent = city
    before = planwatch.pulled_figures(ws)
    again = planwatch.pull_figures(ws, workspaces=[demo.path], areas=["370103"], sdmx_files=[sent])
    assert again.accepted and all(f.unchanged for f in again.files)
    assert planwatch.pulled_figures(ws) == before


def test_the_city_roll_up_equals_assess_rollup_on_one_database(city: tuple[Path, Path], reference: Path) -> None:
    ws, _ = city
    expected = planwatch.assess_workspace(reference, YEAR, rollup=[CITY]).run.rollups[CITY]
    got = planwatch.assess_city(ws, YEAR, CITY, children=DISTRICTS).run.rollups[CITY]
    assert got.observations.height > 100
    assert got.observations.equals(expected.observations)
    assert got.problems.equals(expected.problems)


def test_the_city_is_assessed_on_its_rolled_up_figures(
    city: tuple[Path, Path], demo: DemoSummary, tmp_path: Path,
) -> None:
    ws = tmp_path / "city"
    shutil.copytree(city[0], ws)
    # the city's own target: one of 市中区's targets of a rate, stated for 济南市
    with open_workspace(ws) as opened, opened.session() as s:
        rate = s.scalars(select(m.TargetValue).join(m.Indicator)
                         .where(m.TargetValue.area_code == "370103", m.Indicator.is_rate,
                                m.TargetValue.comparator.is_not(None), m.TargetValue.relative.is_(None))
                         .order_by(m.TargetValue.id)).first()
        assert rate is not None
        code = rate.indicator.code
        s.add(m.TargetValue(indicator_id=rate.indicator_id, area_code=CITY, plan_id=rate.plan_id,
                            target_id=rate.target_id, comparator=rate.comparator, value=rate.value, unit=rate.unit,
                            target_year=rate.target_year, baseline_year=rate.baseline_year, raw=rate.raw))
    run = planwatch.assess_city(ws, YEAR, CITY, children=DISTRICTS).run
    rolled = run.rollups[CITY].observations.filter(pl.col("indicator_code") == code, pl.col("breakdown") == "total")
    judged = run.result.filter(pl.col("area_code") == CITY, pl.col("indicator_code") == code,
                               pl.col("breakdown") == "total")
    assert judged.height >= 1 and rolled.height >= 1
    latest = rolled.sort("year").row(-1, named=True)
    assert judged["latest_year"][0] == latest["year"]
    assert judged["latest_value"][0] == pytest.approx(latest["value"])
    assert judged["status"][0] != "数据不足"
    # and the districts' verdicts are those of the districts' own workspace
    own = planwatch.assess_workspace(demo.path, YEAR).run.result
    cols = ["area_code", "indicator_code", "breakdown", "target_value", "latest_year", "latest_value", "status"]
    cols = [c for c in cols if c in own.columns]
    pulled = run.result.filter(pl.col("area_code").is_in(DISTRICTS)).select(cols).sort(cols[:4])
    assert pulled.equals(own.select(cols).sort(cols[:4]))


def test_a_revision_the_city_approved_itself_is_not_overwritten(
    city: tuple[Path, Path], demo: DemoSummary, seed_workspaces: object, tmp_path: Path,
) -> None:
    ws = fresh_workspace(tmp_path / "receiver", demo, seed_workspaces)
    _, sent = city
    imported = planwatch.import_data(ws, [sent], actor="市统计局")
    assert imported.accepted
    first = next(f for f in imported.files if f.accepted)
    for action in ("submit", "review", "approve"):
        planwatch.move_submission(ws, first.submission_id, action, actor="市妇儿工委办")
    before = observations(ws, approved_only=False)
    result = planwatch.pull_figures(ws, sdmx_files=[sent])
    assert not result.accepted and not result.stored
    refused = [e for f in result.to_dict()["files"] for e in f["errors"]]
    assert [e["code"] for e in refused] == ["submission-locked"]
    assert observations(ws, approved_only=False) == before
    with sqlite3.connect(ws / "planwatch.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM pulled_submission").fetchone()[0] == 0


def test_a_source_that_is_not_a_workspace_is_named(tmp_path: Path, city: tuple[Path, Path]) -> None:
    with pytest.raises(planwatch.PlanwatchError) as caught:
        planwatch.pull_figures(city[0], workspaces=[tmp_path])
    assert caught.value.code == "exchange.pull_source" and "不是 planwatch 工作区" in caught.value.message


@pytest.mark.postgres
def test_the_pull_on_postgresql(
    city: tuple[Path, Path], demo: DemoSummary, seed_workspaces: object, pg_server_url: str, tmp_path: Path,
) -> None:
    ws = fresh_workspace(tmp_path / "receiver", demo, seed_workspaces, pg_server_url)
    result = planwatch.pull_figures(ws, workspaces=[demo.path], areas=["370103"], sdmx_files=[city[1]])
    assert result.accepted and result.stored
    assert approved_figures(ws) == approved_figures(demo.path)
    again = planwatch.pull_figures(ws, workspaces=[demo.path], areas=["370103"], sdmx_files=[city[1]])
    assert all(f.unchanged for f in again.files)
    got = planwatch.assess_city(ws, YEAR, CITY, children=DISTRICTS).run.rollups[CITY]
    expected = planwatch.assess_city(city[0], YEAR, CITY, children=DISTRICTS).run.rollups[CITY]
    assert got.observations.equals(expected.observations)


def test_a_district_database_url_is_a_source_too(demo: DemoSummary, seed_workspaces: object, tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path / "receiver", demo, seed_workspaces)
    url = f"sqlite:///{demo.path / 'planwatch.sqlite'}"
    result = planwatch.pull_figures(ws, workspaces=[url], areas=["370103"])
    assert result.accepted and result.stored
    assert {r.source for r in planwatch.pulled_figures(ws)} == {"planwatch.sqlite"}
    assert approved_figures(ws) == [f for f in approved_figures(demo.path) if f[1] == "370103"]
