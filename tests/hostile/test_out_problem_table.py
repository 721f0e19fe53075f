"""Issue 11 item 7: the problem table shows the whole place and message at 80 columns and
through a pipe (where Rich assumes 80), folded onto more lines; ``--format json`` stays JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook
from out_support import cli_workspace
from typer.testing import CliRunner

from planwatch.cli.main import app

LONG = "W01_nonnumeric_一个很长的文件名_because_clerks_name_files_like_this_2023年度.xlsx"


def _bad_workbook(tmp_path: Path, ws_dir: Path, value: str = "十二点五（待核实，见附件三第二部分说明）",
                  name: str = LONG) -> Path:
    runner = CliRunner()
    out = tmp_path / "tpl"
    result = runner.invoke(app, ["template", str(ws_dir), "--unit", "区卫生健康局", "--year", "2023",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    (tpl,) = out.glob("*.xlsx")
    wb = load_workbook(tpl)
    ws = wb["数据填报"]
    ws["I4"] = value
    path = tmp_path / name
    wb.save(path)
    return path


def _rows(table: list[str]) -> list[list[str]]:
    """Each table row's cells with their folded lines joined again (spaces dropped): a new
    row starts where the 级别 column is filled."""
    rows: list[list[str]] = []
    for line in table:
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells[0]:
            rows.append(["" for _ in cells])
        for i, c in enumerate(cells):
            rows[-1][i] += c
    return rows


def test_problem_table_folds_at_80_columns_when_piped(tmp_path: Path) -> None:
    ws_dir = cli_workspace(tmp_path / "ws")
    path = _bad_workbook(tmp_path, ws_dir)
    runner = CliRunner(env={"COLUMNS": "80"})
    result = runner.invoke(app, ["import", str(ws_dir), str(path)])  # CliRunner output is a pipe
    assert result.exit_code == 1
    lines = result.output.splitlines()
    table = [ln for ln in lines if ln.startswith(("┃", "│", "┏", "└", "┡"))]
    assert table and max(len(ln) for ln in table) <= 80
    assert "…" not in result.output
    report = json.loads(CliRunner().invoke(app, ["import", str(ws_dir), str(path), "--format", "json"]).output)
    problems = report["files"][0]["errors"] + report["files"][0]["warnings"]
    assert problems
    shown = {(r[1], r[2], r[3]) for r in _rows(table)}
    assert len(shown) == len(problems) == 5
    for p in problems:
        place = f"{p['file']}!{p['sheet']}!{p['column']}{p['row']}"
        assert (p["code"], place, re.sub(r"\s+", "", p["message"])) in shown, (place, shown)


def test_json_format_is_machine_readable_at_any_width(tmp_path: Path) -> None:
    ws_dir = cli_workspace(tmp_path / "ws")
    path = _bad_workbook(tmp_path, ws_dir)
    result = CliRunner(env={"COLUMNS": "40"}).invoke(app, ["import", str(ws_dir), str(path), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    (f,) = data["files"]
    assert f["accepted"] is False and f["file"] == LONG
    assert any(p["row"] == 4 and p["column"] == "I" for p in f["errors"])


def test_what_a_clerk_typed_is_shown_as_typed_not_as_markup(tmp_path: Path) -> None:
    """Rich markup in a cell or a file name ("[/]" used to raise MarkupError) is printed literally."""
    ws_dir = cli_workspace(tmp_path / "ws")
    path = _bad_workbook(tmp_path, ws_dir, value="[/]约[bold]12[/bold]", name="[red]卫健局[bold].xlsx")
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["import", str(ws_dir), str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "[red]卫健局[bold].xlsx: 已拒绝" in result.output
    assert "“[/]约[bold]12[/bold]”" in result.output
