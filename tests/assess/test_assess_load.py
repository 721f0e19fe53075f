"""From the demo workspace's database to the assessment, and the ``planwatch assess`` CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from planwatch.assess.inputs import load_inputs
from planwatch.assess.run import assess_workspace
from planwatch.cli.main import app
from planwatch.demo import DemoSummary
from planwatch.store import models as m
from planwatch.store.workspace import open_workspace


@pytest.fixture(scope="module")
def demo_ws(demo: DemoSummary) -> Path:
    return demo.path


@pytest.fixture
def demo_copy(demo_ws: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ws"
    shutil.copytree(demo_ws, copy)
    return copy


def _an_approved_figure(session: object) -> tuple[m.Submission, m.Observation]:
    sub = session.scalars(  # type: ignore[attr-defined]
        select(m.Submission).where(m.Submission.state == "approved").order_by(m.Submission.id)
    ).first()
    obs = sub.observations[0]
    return sub, obs


def _value(observations: pl.DataFrame, code: str, area: str, breakdown: str, year: int) -> object:
    hit = observations.filter(
        (pl.col("indicator_code") == code) & (pl.col("area_code") == area)
        & (pl.col("breakdown") == breakdown) & (pl.col("year") == year)
    )
    return hit["value"].to_list()


def test_only_the_latest_approved_revision_counts(demo_copy: Path) -> None:
    with open_workspace(demo_copy) as ws:
        with ws.session() as s:
            sub, obs = _an_approved_figure(s)
            code = obs.indicator.code
            key = (code, obs.area_code, obs.breakdown, obs.year)
            newer = m.Submission(area_code=sub.area_code, unit_id=sub.unit_id, year=sub.year,
                                 revision=sub.revision + 1, state="draft", created_by="test")
            newer.observations.append(
                m.Observation(indicator_id=obs.indicator_id, area_code=obs.area_code,
                              year=obs.year, breakdown=obs.breakdown, value=obs.value + 7.0)
            )
            s.add(newer)
            old_value = obs.value
        with ws.sessions() as s:
            before = load_inputs(s).observations
        assert _value(before, *key) == [old_value]  # the draft re-import is not assessed yet
        with ws.session() as s:
            s.scalars(select(m.Submission).where(m.Submission.created_by == "test")).one().state = (
                "approved"
            )
        with ws.sessions() as s:
            after = load_inputs(s).observations
        assert _value(after, *key) == [old_value + 7.0]


def test_conflicting_figures_are_reported_not_chosen(demo_copy: Path) -> None:
    with open_workspace(demo_copy) as ws:
        with ws.session() as s:
            sub, obs = _an_approved_figure(s)
            key = (obs.indicator.code, obs.area_code, obs.breakdown, obs.year)
            other = s.scalars(
                select(m.Unit).where(m.Unit.area_code == sub.area_code, m.Unit.id != sub.unit_id)
            ).first()
            revisions = s.scalars(
                select(m.Submission.revision).where(
                    m.Submission.area_code == sub.area_code, m.Submission.unit_id == other.id,
                    m.Submission.year == sub.year,
                )
            ).all()
            rival = m.Submission(area_code=sub.area_code, unit_id=other.id, year=sub.year,
                                 revision=max(revisions, default=0) + 1, state="approved",
                                 created_by="test")
            rival.observations.append(
                m.Observation(indicator_id=obs.indicator_id, area_code=obs.area_code,
                              year=obs.year, breakdown=obs.breakdown, value=obs.value + 1.0)
            )
            s.add(rival)
            values = sorted([obs.value, obs.value + 1.0])
        with ws.sessions() as s:
            inputs = load_inputs(s)
    assert _value(inputs.observations, *key) == []
    conflict = inputs.conflicts.row(0, named=True)
    assert (conflict["indicator_code"], conflict["area_code"]) == key[:2]
    assert conflict["values"] == values


def test_assess_workspace_summaries(demo_ws: Path) -> None:
    run = assess_workspace(demo_ws, 2023)
    totals = run.result.filter(pl.col("breakdown") == "total")
    assert run.overall["n"].item() == totals.height
    assert set(run.by_area["area_code"]) == {"370103", "370406"}
    assert run.overall["monitorable"].item() == totals.filter(pl.col("status") != "数据不足").height
    assert set(run.result["status"]) <= {"已实现", "基本实现", "预计可实现", "预计达标困难", "逆向变化",
                                         "数据不足"}
    # every verdict has its sentence; every warning its note
    assert run.result["reason"].null_count() == 0
    assert run.warnings["note"].null_count() == 0
    late = run.warnings.filter(pl.col("warning") == "迟报")
    assert not late.is_empty() and late["note"].str.contains("晚于截止日").all()
    assert run.comparison.height > 0
    only = assess_workspace(demo_ws, 2023, areas=["市中区"])
    assert set(only.result["area_code"]) == {"370103"}
    with pytest.raises(ValueError, match="未知地区"):
        assess_workspace(demo_ws, 2023, areas=["北京"])


def test_cli_formats(demo_ws: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["assess", str(demo_ws), "--year", "2023", "--format", "json",
                              "--method", "un"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["method"] == "un" and data["results"]
    assert {"overall", "by_plan_domain", "by_area", "by_lead_unit"} <= set(data["summaries"])
    target = tmp_path / "a.csv"
    out = runner.invoke(app, ["assess", str(demo_ws), "--year", "2023", "--format", "csv",
                              "-o", str(target)])
    assert out.exit_code == 0, out.output
    frame = pl.read_csv(target)
    assert frame.height == len(data["results"])
    out = runner.invoke(app, ["assess", str(demo_ws), "--year", "2023", "--area", "370406"])
    assert out.exit_code == 0, out.output
    assert "达标率" in out.output and "山亭区" in out.output
    out = runner.invoke(app, ["assess", str(demo_ws), "--year", "2023", "--area", "北京"])
    assert out.exit_code == 1
    out = runner.invoke(app, ["assess", str(demo_ws), "--year", "2023", "--rollup", "370100",
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    rolled = json.loads(out.output)["rollups"]["370100"]
    assert rolled["observations"] and {o["area_code"] for o in rolled["observations"]} == {"370100"}
