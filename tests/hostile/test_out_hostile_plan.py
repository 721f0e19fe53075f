"""Issue 11 item 1 end to end: a plan whose unit and indicator names start like formulas or hold
path separators (``out_hostile_plan.txt``) goes through init, templates, assessment CSV and
every report workbook; nothing lands outside ``-o`` and no written cell is a formula."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from out_support import HERE, scan
from typer.testing import CliRunner

from planwatch.cli.main import app

PLAN = HERE / "out_hostile_plan.txt"
runner = CliRunner()


def _files(root: Path) -> set[Path]:
    return {Path(d) / f for d, _, files in os.walk(root) for f in files}


@pytest.mark.slow
def test_hostile_plan_through_templates_csv_and_reports(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["init", str(ws), "--plan", str(PLAN), "--area", "370103"])
    assert result.exit_code == 0, result.output
    before = _files(tmp_path)

    tpl = tmp_path / "deep" / "tpl"
    result = runner.invoke(app, ["template", str(ws), "--all-units", "--year", "2023", "-o", str(tpl)])
    assert result.exit_code == 0, result.output
    templates = sorted(tpl.glob("*.xlsx"))
    assert len(templates) == 3  # 区/../tmp/x局, @区卫生健康局, \区民政局 report an indicator
    assert {p.parent for p in _files(tmp_path) - before} == {tpl}
    found = scan(templates, {"@区卫生健康局"})
    assert found.formulas == [] and found.texts == {"@区卫生健康局": ("s", True)}

    out = tmp_path / "a.csv"
    result = runner.invoke(app, ["assess", str(ws), "--year", "2023", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 4
    names = {r["indicator_name"] for r in rows}
    assert any(n.startswith("'=HYPERLINK") for n in names), names  # the reader makes （） full-width
    leads = {r["lead_unit"] for r in rows}
    assert "'@区卫生健康局" in leads, leads
    assert not [v for r in rows for v in r.values() if v[:1] in ("=", "+", "@")]

    reports = tmp_path / "reports"
    result = runner.invoke(app, ["report", "all", str(ws), "--year", "2023", "--format", "xlsx",
                                 "-o", str(reports)])
    assert result.exit_code == 0, result.output
    books = sorted(reports.glob("*.xlsx"))
    assert len(books) == 5
    found = scan(books, {"@区卫生健康局"})
    assert found.formulas == []
    assert found.texts == {"@区卫生健康局": ("s", True)}
