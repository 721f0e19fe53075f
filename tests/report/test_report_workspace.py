"""Reports from a real workspace (the demo), through the loader and the CLI."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import polars as pl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from planwatch.assess.inputs import load_inputs
from planwatch.cli.main import app
from planwatch.collect import breakdowns as bd
from planwatch.demo import DemoSummary
from planwatch.report import docx_writer
from planwatch.report.builders import build_annual, build_warnings
from planwatch.report.builders.warning_entries import TARGET_JUDGED, collect_entries
from planwatch.report.data import ReportData, attainment, headline_rows
from planwatch.report.model import Table
from planwatch.report.workspace_data import load_report_data
from planwatch.store import models as m
from planwatch.store.unit_changes import retire_unit
from planwatch.store.workspace import open_workspace

YEAR = 2023


@pytest.fixture(scope="module")
def workspace(demo: DemoSummary) -> Path:
    return demo.path


@pytest.fixture(scope="module")
def data(workspace: Path) -> ReportData:
    with open_workspace(workspace) as ws:
        return load_report_data(ws, YEAR)


def test_loader_gives_every_plan_and_area(data: ReportData) -> None:
    assert set(data.area_codes()) == {"370103", "370406"}
    assert data.area_name("370406") == "山亭区"
    titles = data.plan_titles()
    assert "济南市市中区“十四五”妇女发展规划" in titles
    assert "山亭区“十四五”儿童发展规划" in titles
    assert data.observations.get_column("year").max() == 2024  # the loader keeps all years
    assert data.target_units.filter(pl.col("role") == "responsible").height > 0
    assert data.reporters.height > 0
    # Only the year's figures count for the year's assessment.
    assert data.result.get_column("latest_year").drop_nulls().max() == YEAR


def test_cli_annual_matches_the_assessment(data: ReportData, workspace: Path,
                                           tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "report", "annual", str(workspace), "--year", str(YEAR), "--plan", "妇女",
        "--area", "市中区", "--format", "docx,xlsx", "-o", str(out),
    ])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == ["济南市市中区“十四五”妇女发展规划2023年度监测报告.docx",
                     "济南市市中区“十四五”妇女发展规划2023年度监测报告.xlsx"]
    plan = "济南市市中区“十四五”妇女发展规划"
    rows = headline_rows(data.result.filter(
        (pl.col("plan") == plan) & (pl.col("area_code") == "370103")))
    att = attainment(rows)
    d = docx.Document(str(out / files[0]))
    text = "\n".join(p.text for p in d.paragraphs)
    assert f"指标共{att.total}项" in text
    # The status table's total row equals the assessment's counts.
    status_table = d.tables[0]
    total = [c.text for c in status_table.rows[-1].cells]
    assert total[0] == "合计" and total[1] == str(att.total)
    assert total[2:8] == [str(n) for n in att.counts.values()]

    wb = openpyxl.load_workbook(out / files[1])
    ws = wb["总体情况"]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    total_row = next(r for r in values if r[0] == "合计")
    assert total_row[1] == att.total
    assert total_row[8] == pytest.approx(att.rate)


def test_cli_reports_bad_input_clearly(workspace: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bad_kind = runner.invoke(app, ["report", "monthly", str(workspace), "--year", "2023"])
    assert bad_kind.exit_code == 1 and "monthly" in bad_kind.output
    bad_area = runner.invoke(app, ["report", "annual", str(workspace), "--year", "2023",
                                   "--area", "历下区", "-o", str(tmp_path)])
    assert bad_area.exit_code == 1 and "历下区" in bad_area.output
    no_ws = runner.invoke(app, ["report", "annual", str(tmp_path / "none"), "--year", "2023"])
    assert no_ws.exit_code == 1
    assert not any(tmp_path.iterdir())


def test_cli_dates_the_report_as_asked(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "report", "annual", str(workspace), "--year", str(YEAR), "--plan", "妇女",
        "--area", "市中区", "--format", "docx,html", "-o", str(out), "--date", "2025-03-01",
        "--jobs", "1",
    ])
    assert result.exit_code == 0, result.output
    [word, page] = sorted(out.iterdir())
    d = docx.Document(str(word))
    assert d.core_properties.created.date() == dt.date(2025, 3, 1)
    texts = [p.text for p in d.paragraphs]
    body = texts[:texts.index("附录一 监测指标完成情况")]  # the appendices follow the signature
    assert body[-2:] == ["市中区妇女儿童工作委员会办公室", "2025年3月1日"]
    html = page.read_text(encoding="utf-8")
    assert re.findall(r'<p class="sign">([^<]*)</p>', html) == [
        "市中区妇女儿童工作委员会办公室", "2025年3月1日"]


@pytest.mark.parametrize("text", ["2025-02-30", "明天"])
def test_cli_refuses_a_date_that_is_not_a_day(workspace: Path, tmp_path: Path, text: str) -> None:
    result = CliRunner().invoke(app, [
        "report", "annual", str(workspace), "--year", str(YEAR), "-o", str(tmp_path / "out"),
        "--date", text,
    ])
    assert result.exit_code == 1
    assert "--date" in result.output and text in result.output and "有效日期" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_interrupted_run_keeps_whole_files_only(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real_build = docx_writer.DocxWriter.build

    def build_then_interrupt(self: docx_writer.DocxWriter, model: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_build(self, model)  # type: ignore[arg-type]

    monkeypatch.setattr(docx_writer.DocxWriter, "build", build_then_interrupt)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "report", "annual", str(workspace), "--year", str(YEAR), "--format", "docx",
        "-o", str(out), "--jobs", "1",  # the patched writer exists in this process only
    ])
    assert result.exit_code == 130
    assert "已中断" in result.output
    files = sorted(out.iterdir())
    assert len(files) == 2
    for f in files:
        assert f.suffix == ".docx"
        docx.Document(str(f))  # opens: whole file


def test_standard_set_for_the_demo(demo_reports: list[Path]) -> None:
    """The set ``write_standard_reports`` wrote for the demo (conftest's ``demo_reports``, of
    2024, read by the other read-back tests too): both plans of both districts, no annual
    report of the other policy documents, the warnings list, compendium and matrix."""
    year = 2024
    names = {p.name for p in demo_reports}
    for title in ("济南市市中区“十四五”妇女发展规划", "济南市市中区“十四五”儿童发展规划",
                  "山亭区“十四五”妇女发展规划", "山亭区“十四五”儿童发展规划"):
        assert f"{title}{year}年度监测报告.docx" in names
    assert not any("政务公开" in n for n in names)
    assert f"{year}年度规划监测预警清单.docx" in names
    assert f"市中区妇女儿童统计资料（{year}）.xlsx" in names
    assert f"山亭区妇女儿童发展规划任务分工及{year}年落实情况表.docx" in names
    assert all(p.exists() for p in demo_reports)
    assert not list(demo_reports[0].parent.glob(".*.part"))


def _table(doc: object, caption_part: str) -> object:
    return next(b for _, s in doc.walk() for b in s.blocks  # type: ignore[attr-defined]
                if getattr(b, "caption", "").find(caption_part) >= 0)


def test_late_reports_are_in_the_chase_list(data: ReportData) -> None:
    late = data.late.filter((pl.col("year") == YEAR) & (pl.col("area_code") == "370406"))
    assert late.height > 0, "the demo has late submissions"
    unit = late.row(0, named=True)["unit"]
    chase = next(s for s in build_warnings(data).sections if s.title == "催报清单")
    area = next(s for s in chase.sections if s.title == "山亭区")
    table = next(t for t in area.blocks if isinstance(t, Table) and "迟报" in t.caption)
    row = next(r for r in table.rows if r[0] == unit)
    assert f"{YEAR}年数据于" in str(row[1]) and "晚于截止日" in str(row[1])


def test_conflicting_figure_is_listed_not_used(workspace: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(workspace, copy)
    with open_workspace(copy) as ws:
        with ws.session() as s:
            # An approved total figure of the report year for an indicator with a target.
            targeted = select(m.TargetValue.indicator_id, m.TargetValue.area_code)
            obs = s.scalars(
                select(m.Observation)
                .join(m.Submission, m.Submission.id == m.Observation.submission_id)
                .where(m.Submission.state == "approved", m.Observation.year == YEAR,
                       m.Observation.breakdown == "total",
                       m.Observation.indicator_id.in_(targeted.with_only_columns(
                           m.TargetValue.indicator_id)))
                .order_by(m.Observation.id)
            ).first()
            sub = obs.submission
            other = s.scalars(select(m.Unit).where(
                m.Unit.area_code == sub.area_code, m.Unit.id != sub.unit_id)).first()
            revision = max(s.scalars(select(m.Submission.revision).where(
                m.Submission.area_code == sub.area_code, m.Submission.unit_id == other.id,
                m.Submission.year == sub.year)).all(), default=0) + 1
            rival = m.Submission(area_code=sub.area_code, unit_id=other.id, year=sub.year,
                                 revision=revision, state="approved", created_by="test")
            rival.observations.append(m.Observation(
                indicator_id=obs.indicator_id, area_code=obs.area_code, year=obs.year,
                breakdown="total", value=obs.value + 1.5))
            s.add(rival)
            code, area, name = obs.indicator.code, obs.area_code, obs.indicator.name
            obs_value = obs.value
            values = sorted([obs.value, obs.value + 1.5])
        conflicted = load_report_data(ws, YEAR)

    # Neither figure is used: the year is missing from the series and the assessment.
    assert YEAR not in conflicted.series(code, area)
    # (its breakdown rows, reported without conflict, keep their figures)
    rows = conflicted.result.filter((pl.col("indicator_code") == code)
                                    & (pl.col("area_code") == area)
                                    & (pl.col("breakdown") == "total"))
    assert rows.height > 0
    assert YEAR not in rows.get_column("latest_year").to_list()
    # It is listed: in the data, the annual report of its plan and the warnings list.
    hit = conflicted.conflicts.filter((pl.col("indicator_code") == code)
                                      & (pl.col("area_code") == area))
    assert hit.height == 1 and hit.row(0, named=True)["values"] == values
    plan = rows.row(0, named=True)["plan"]
    annual = build_annual(conflicted, plan, area)
    table = _table(annual, "数据冲突清单")
    listed = next(r for r in table.rows if str(r[0]).startswith(name))  # type: ignore[attr-defined]
    assert listed[2] == str(YEAR)
    problems = next(s for s in annual.sections if s.title == "存在问题及原因")
    quality = next(s for s in problems.sections if s.title == "数据质量")
    assert name in quality.blocks[0].text  # type: ignore[union-attr]
    warnings = build_warnings(conflicted)
    assert warnings.sections[-1].title.startswith("数据冲突")
    assert any(str(r[0]).startswith(name) for r in _table(warnings, "数据冲突清单").rows)  # type: ignore[attr-defined]
    # Without the rival the same figure is used (the test can tell the difference).
    with open_workspace(workspace) as ws:
        clean = load_report_data(ws, YEAR)
    assert clean.conflicts.is_empty()
    assert clean.series(code, area)[YEAR] == obs_value


def test_self_evaluations_carry_their_cycle(workspace: Path, data: ReportData) -> None:
    """The report loader reads the cycle beside what the assessment's loader gives."""
    with open_workspace(workspace) as ws, ws.sessions() as session:
        assessed = load_inputs(session, areas=None, deadlines=ws.config.deadlines)
    ours = data.self_evaluations
    assert set(ours.get_column("cycle").unique()) == {"midterm"}  # what the demo enters
    columns = list(assessed.self_evaluations.columns)
    assert sorted(ours.select(columns).rows()) == sorted(assessed.self_evaluations.rows())


def test_breakdown_order_comes_from_the_catalogue(data: ReportData) -> None:
    rural = data.result.filter(pl.col("breakdown") == "residence=rural")
    code = str(rural.get_column("indicator_code")[0])
    declared = data.breakdown_order[code]
    assert declared[0] == bd.TOTAL
    assert declared.index("residence=urban") < declared.index("residence=rural")
    area = str(rural.get_column("area_code")[0])
    shown = data.breakdowns(code, area)
    assert shown == [k for k in declared if k in shown]


def test_demo_warnings_do_not_repeat_the_totals(data: ReportData) -> None:
    entries = collect_entries(data, data.result)
    keys = [(e.area_code, e.indicator_code) for e in entries]
    assert len(keys) == len(set(keys))  # one entry per indicator and area
    totals = {
        (r["area_code"], r["indicator_code"]): set(r["warnings"])
        for r in data.result.filter(pl.col("breakdown") == "total").iter_rows(named=True)
    }
    subs = [(e, p) for e in entries for p in e.parts if p.breakdown != "total"]
    assert subs, "the demo's breakdowns add warnings"
    for e, p in subs:
        assert p.warning not in totals[(e.area_code, e.indicator_code)]
        assert p.warning not in TARGET_JUDGED  # the plans set no breakdown targets


def test_a_past_year_names_the_units_responsible_then(workspace: Path, tmp_path: Path) -> None:
    """区妇联 retired from 2025 (it reported 2024), 区民政局 taking its indicators over: 2024's
    report still expects them of 区妇联 (its 催报清单, its 任务分工表), 2025's of 区民政局."""
    copy = tmp_path / "ws"
    shutil.copytree(workspace, copy)
    with open_workspace(copy) as ws:
        with ws.sessions() as s, s.begin():
            retire_unit(s, "370103", "区妇联", year=2025, successor="区民政局")
        before, after = load_report_data(ws, 2024), load_report_data(ws, 2025)

    def reporting(data: ReportData, unit: str) -> set[str]:
        rows = data.reporters.filter((pl.col("area_code") == "370103") & (pl.col("unit") == unit))
        return set(rows.get_column("indicator_code").to_list())

    moved = reporting(before, "区妇联")
    assert moved and not reporting(after, "区妇联")
    assert moved <= reporting(after, "区民政局") and not moved & reporting(before, "区民政局")
