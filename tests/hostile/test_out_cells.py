"""Issue 11 item 1: text from plans and users never becomes a formula in planwatch's outputs.

Each hostile text of ``out_cases.yaml`` goes through every writer — the shared cell helper,
the figures template (unit, indicator, target and metadata cells), the self-evaluation
template (evidence), the report workbook (titles, captions, headers, cells, notes) and the
CSV of ``assess --format csv`` — and each written file is scanned cell by cell and in its raw
XML for a formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook, load_workbook
from out_support import CELLS, cli_workspace, scan
from sqlalchemy import select
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.collect.selfeval.targets import QualitativeTarget
from planwatch.collect.selfeval.template import EvaluationRow, EvaluationSpec, write_evaluation_template
from planwatch.report.model import Column, Document, Paragraph, Table
from planwatch.report.xlsx_writer import write_xlsx
from planwatch.safe_output import csv_field, csv_safe_frame, put
from planwatch.store import models as m
from planwatch.store.db import make_engine, make_sessionmaker

runner = CliRunner()
TEXTS = [c["text"] for c in CELLS]
FORMULA_LIKE = [c for c in CELLS if c["quote"]]


def test_openpyxl_alone_would_write_a_formula() -> None:
    """The hazard is real: assigning the text the naive way makes a formula cell."""
    ws = Workbook().active
    assert ws is not None
    assert ws.cell(1, 1, "=0.85/千（2025年）").data_type == "f"
    assert ws.cell(2, 1, "#N/A").data_type == "e"


@pytest.mark.parametrize("case", CELLS, ids=[repr(c["text"])[:30] for c in CELLS])
def test_cell_helper_writes_text_as_typed(case: dict, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    put(ws, 1, 1, case["text"])
    put(ws, 2, 1, 0.85)
    put(ws, 3, 1, float("nan"))
    wb.save(tmp_path / "c.xlsx")
    found = scan([tmp_path / "c.xlsx"])
    assert found.formulas == []
    back = load_workbook(tmp_path / "c.xlsx").active
    assert back is not None
    cell = back["A1"]
    assert (cell.value, cell.data_type, bool(cell.quotePrefix)) == (case["xlsx"], "s", case["quote"])
    assert (back["A2"].value, back["A2"].data_type) == (0.85, "n")  # numbers stay numbers
    assert back["A3"].value is None


@pytest.mark.parametrize("case", CELLS, ids=[repr(c["text"])[:30] for c in CELLS])
def test_csv_field_neutralised_as_owasp_says(case: dict) -> None:
    assert csv_field(case["text"]) == case["csv"]
    frame = csv_safe_frame(pl.DataFrame({"name": [case["text"]], "value": [-1.5]}))
    rows = list(csv.reader(io.StringIO(frame.write_csv(), newline="")))
    assert rows[1] == [case["csv"], "-1.5"]


def _hostile_catalogue(ws_dir: Path) -> None:
    """The district's first indicator renamed, and a target written with ``=``."""
    engine = make_engine(f"sqlite:///{ws_dir / 'planwatch.sqlite'}")
    try:
        with make_sessionmaker(engine)() as s, s.begin():
            ind = s.scalars(select(m.Indicator).where(m.Indicator.code == "W01-03")).one()
            ind.name = '=HYPERLINK("http://evil.example/x","详见附件")'
            tv = s.scalars(select(m.TargetValue)).first()
            assert tv is not None
            s.add(m.TargetValue(indicator_id=ind.id, area_code=tv.area_code, plan_id=tv.plan_id,
                                target_id=tv.target_id, comparator="=", value=0.85, unit="/千",
                                target_year=2025, baseline_year=2020, raw="=0.85/千"))
    finally:
        engine.dispose()


def test_templates_of_hostile_units_and_targets_hold_no_formula(tmp_path: Path) -> None:
    units = ["=cmd|' /C calc'!A0", "+区妇联", "@区民政局", "-区文旅局"]
    ws_dir = cli_workspace(tmp_path / "ws", units)
    _hostile_catalogue(ws_dir)
    out = tmp_path / "out"
    result = runner.invoke(app, ["template", str(ws_dir), "--all-units", "--year", "2023",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(out.glob("*.xlsx"))
    assert len(written) == 2 + len(units)  # 卫健局, 教体局 and the four
    looking = {"=0.85/千（2025年）", '=HYPERLINK("http://evil.example/x","详见附件")', *units}
    found = scan(written, looking)
    assert found.formulas == []
    assert found.cells > 200
    assert found.texts == {t: ("s", True) for t in looking}, found.texts
    # the target column: text as typed; last year's figures and sequence numbers numeric
    edu = next(p for p in written if "教育体育局" in p.name)
    data = load_workbook(edu)["数据填报"]
    assert (data["H5"].value, data["H5"].data_type) == ("=0.85/千（2025年）", "s")
    assert data["A4"].data_type == "n"


def test_self_evaluation_evidence_stays_text(tmp_path: Path) -> None:
    evidence = '=HYPERLINK("http://evil.example/x","详见附件")'
    target = QualitativeTarget(id=1, plan="=妇女规划", domain="@妇女与健康", domain_seq=1, number=1,
                               text="-健全妇女健康服务体系", area_code="370103", period_start=2021,
                               period_end=2025)
    spec = EvaluationSpec("370103", "+济南市市中区", 7, "=区妇联", "midterm",
                          [EvaluationRow(target, "完成", evidence)])
    path = write_evaluation_template(spec, tmp_path / "e.xlsx")
    found = scan([path], {evidence, "=区妇联", "=妇女规划", "@妇女与健康", "-健全妇女健康服务体系"})
    assert found.formulas == []
    assert set(found.texts.values()) == {("s", True)} and len(found.texts) == 5


def test_report_workbook_holds_no_formula(tmp_path: Path) -> None:
    doc = Document(kind="midterm", title="=报告标题", subtitle="+副标题", issuer="@办公室",
                   date_line="2024年3月")
    section = doc.section("-领域")
    section.add(Paragraph("=段落"))
    section.add(Table(
        caption="=表1",
        columns=[Column("=指标"), Column("数值", "number", 2), Column("依据")],
        rows=[[t, i * 1.5, t] for i, t in enumerate(TEXTS)] + [["合计", float("inf"), None]],
        notes=["@注"],
    ))
    path = write_xlsx(doc, tmp_path / "r.xlsx")
    looking = {c["xlsx"] for c in FORMULA_LIKE} | {"=报告标题", "=段落", "=表1", "=指标", "@注"}
    found = scan([path], looking)
    assert found.formulas == []
    missing = looking - set(found.texts)
    assert not missing, missing
    assert {v for k, v in found.texts.items()} == {("s", True)}
    ws = load_workbook(path).worksheets[0]
    numbers = [c.value for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    assert len(numbers) >= len(TEXTS) - 1  # the figures are numbers, not text


def test_assess_csv_neutralises_names_from_the_plan(tmp_path: Path) -> None:
    ws_dir = cli_workspace(tmp_path / "ws", ["=cmd|' /C calc'!A0"])
    _hostile_catalogue(ws_dir)
    out = tmp_path / "a.csv"
    result = runner.invoke(app, ["assess", str(ws_dir), "--year", "2023", "--format", "csv",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 4
    fields = [v for r in rows for v in r.values() if v]
    live = [v for v in fields if v.startswith(("=", "+", "@", "\t", "\r"))
            or (v.startswith("-") and not _is_number(v))]
    assert live == []
    hostile = next(r for r in rows if r["indicator_code"] == "W01-03")
    assert hostile["indicator_name"] == "'" + '=HYPERLINK("http://evil.example/x","详见附件")'
    assert hostile["target_value"] == "0.85"  # numbers stay numbers


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.slow
def test_seed_plans_templates_type_every_cell(tmp_path: Path) -> None:
    """Every template of the two example plans: targets (column H) text, last year's values
    (G) numbers, no formula in any of the workbooks."""
    plans = Path(__file__).resolve().parents[2] / "examples" / "plans"
    ws_dir = tmp_path / "ws"
    result = runner.invoke(app, ["init", str(ws_dir), "--plan", str(plans / "jinan-shizhong-2022-7.txt"),
                                 "--plan", str(plans / "shanting-gazette-2022-1.md")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["template", str(ws_dir), "--all-units", "--year", "2023", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(out.glob("*.xlsx"))
    assert len(written) > 40
    targets = 0
    checked: list[Path] = []

    def check_columns(path: Path, wb: Workbook) -> None:  # each workbook as the scan loaded it
        nonlocal targets
        data = wb["数据填报"]
        for row in range(4, data.max_row + 1):
            h, g = data[f"H{row}"], data[f"G{row}"]
            if h.value is not None:
                targets += 1
                assert h.data_type == "s", (path.name, h.coordinate, h.value)
            assert g.value is None or g.data_type == "n", (path.name, g.coordinate, g.value)
        checked.append(path)

    assert scan(written, each=check_columns).formulas == []
    assert checked == written
    assert targets > 100
