"""``planwatch export`` and ``planwatch import`` with the exchange formats, and the listings'
formula safety."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from exchange_helpers import fresh_workspace
from openpyxl import load_workbook
from pysdmx.io import get_datasets
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.demo import DemoSummary
from planwatch.exchange.figures import Figure
from planwatch.exchange.tables import HEADERS, write_table

runner = CliRunner()


def test_export_then_import_sdmx_on_the_command_line(
    demo: DemoSummary, seed_workspaces: object, tmp_path: Path,
) -> None:
    out = tmp_path / "d.csv"
    done = runner.invoke(app, ["export", "sdmx", str(demo.path), "-o", str(out), "--year", "2023", "--area", "370103"])
    assert done.exit_code == 0, done.output
    assert "已导出" in done.output
    assert out.read_text(encoding="utf-8").startswith("STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA")
    fresh = fresh_workspace(tmp_path / "receiver", demo, seed_workspaces)
    # the SDMX-CSV file is recognised by its header, under any name
    renamed = tmp_path / "from-district.txt"
    renamed.write_bytes(out.read_bytes())
    checked = runner.invoke(app, ["import", str(fresh), str(renamed), "--dry-run"])
    assert checked.exit_code == 0, checked.output
    assert "would be accepted" in checked.output


def test_export_listings_and_structure(demo: DemoSummary, tmp_path: Path) -> None:
    for kind, name in (("csv", "a.csv"), ("xlsx", "a.xlsx"), ("structure", "dsd.xml"), ("structure-json", "d.json"),
                       ("sdmx-ml", "d.xml")):
        done = runner.invoke(app, ["export", kind, str(demo.path), "-o", str(tmp_path / name), "--year", "2024"])
        assert done.exit_code == 0, (kind, done.output)
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == HEADERS and all(r[3] == "2024" for r in rows[1:])
    assert {r[13] for r in rows[1:]} == {"已审定"}  # approved only, by default
    book = load_workbook(tmp_path / "a.xlsx")
    assert book["数据"].max_row == len(rows)
    assert "<str:DataStructure " in (tmp_path / "dsd.xml").read_text(encoding="utf-8")
    # SDMX-ML 3.0 data read back by pysdmx against the exported structure: the same rows as the CSV
    ml = get_datasets(tmp_path / "d.xml", tmp_path / "dsd.xml")
    assert len(ml) == 1 and len(ml[0].data) == len(rows) - 1


def test_all_states_adds_figures_not_yet_approved(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    done = runner.invoke(app, ["export", "csv", str(demo.path), "-o", str(out), "--year", "2024", "--all-states"])
    assert done.exit_code == 0, done.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        states = {r["状态"] for r in csv.DictReader(fh)}
    assert "已审定" in states and states - {"已审定"}


def test_nothing_to_export_is_an_error(demo: DemoSummary, tmp_path: Path) -> None:
    done = runner.invoke(app, ["export", "sdmx", str(demo.path), "-o", str(tmp_path / "x.csv"), "--year", "2019"])
    assert done.exit_code == 1 and "没有符合条件" in done.output


def _figure(unit: str, note: str) -> Figure:
    return Figure(indicator_code="W01-01", indicator_name="=1+1", subject="women", measure_unit="%",
                  area_code="370103", area_name="济南市市中区", year=2024, breakdown="total", value=-3.5,
                  numerator=None, denominator=None, note=note, reporting_unit=unit, submission_id=1, revision=1,
                  state="approved", approved_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC), submitted_at=None)


def test_listings_never_carry_a_formula(tmp_path: Path) -> None:
    figures = [_figure('=HYPERLINK("http://x","y")', "@SUM(A1)")]
    write_table(figures, tmp_path / "t.csv", "csv")
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as fh:
        row = list(csv.reader(fh))[1]
    assert row[2] == "'=HYPERLINK(\"http://x\",\"y\")" and row[5] == "'=1+1" and row[12] == "'@SUM(A1)"
    assert row[9] == "-3.5"  # a number stays a number
    write_table(figures, tmp_path / "t.xlsx", "xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["数据"]
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","y")' and cell.quotePrefix
    assert sheet.cell(row=2, column=10).value == -3.5
