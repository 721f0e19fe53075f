"""任务分工及落实情况表: the 落实情况 column, one role per unit and target, the plan's order.

Read back from the demo's files (docx, xlsx) and checked against the assessment and the
self-evaluations the cells come from; hand-built data covers the edges the demo may not
have (a unit named both 牵头 and 参与, a self-evaluation only in a later cycle).
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import polars as pl
import pytest

from planwatch.demo import DemoSummary
from planwatch.report.builders.units import NOT_REPORTED, build_units
from planwatch.report.builders.warning_entries import member_order
from planwatch.report.data import QUALITATIVE_UNITS_COLUMNS, ReportData, headline_rows
from planwatch.report.model import Document, Section, Table
from planwatch.report.workspace_data import load_report_data
from planwatch.store.workspace import open_workspace
from tests.report.report_support import SZ, WOMEN, make_report_data

YEAR = 2024


def _tables(section: Section) -> list[Table]:
    found = [b for b in section.blocks if isinstance(b, Table)]
    for sub in section.sections:
        found += _tables(sub)
    return found


def _unit_tables(doc: Document) -> dict[str, Table]:
    """Unit → its 承担的目标 table."""
    return {t.caption.removesuffix("承担的目标"): t
            for s in doc.sections for t in _tables(s) if t.caption.endswith("承担的目标")}


@pytest.fixture(scope="module")
def demo_data(demo: DemoSummary) -> ReportData:
    with open_workspace(demo.path) as ws:
        return load_report_data(ws, YEAR)


@pytest.fixture(scope="module")
def demo_docs(demo_data: ReportData) -> dict[str, Document]:
    return {a: build_units(demo_data, a) for a in demo_data.area_codes()}


@pytest.fixture(scope="module")
def demo_files(demo_reports: list[Path]) -> list[Path]:
    """The matrices of the demo's standard set (of YEAR, as their names say): ``units`` for
    every area in docx and xlsx, the very files ``generate(demo_data, ["units"], …)`` would
    write again through the same jobs and writers."""
    files = [p for p in demo_reports if p.name.endswith(f"任务分工及{YEAR}年落实情况表{p.suffix}")]
    assert sorted(p.suffix for p in files) == [".docx", ".docx", ".xlsx", ".xlsx"], files
    return files


def test_column_in_xlsx_and_docx(demo_files: list[Path]) -> None:
    xlsx = [p for p in demo_files if p.suffix == ".xlsx"]
    docxs = [p for p in demo_files if p.suffix == ".docx"]
    assert xlsx and docxs
    for path in xlsx:
        wb = openpyxl.load_workbook(path, read_only=True)
        values = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                  for c in row if isinstance(c, str)]
        assert values.count("落实情况") >= 5, path.name
        statuses = [v for v in values if v.startswith(("已实现（", "基本实现（", NOT_REPORTED))]
        assert statuses, path.name
    for path in docxs:
        d = docx.Document(str(path))
        headed = [t for t in d.tables if "落实情况" in [c.text for c in t.rows[0].cells]]
        assert len(headed) >= 5, path.name
        col = [c.text for c in headed[0].rows[0].cells].index("落实情况")
        assert all(row.cells[col].text.strip() for t in headed for row in t.rows[1:])


def test_one_role_per_unit_and_target(demo_docs: dict[str, Document]) -> None:
    for doc in demo_docs.values():
        for unit, table in _unit_tables(doc).items():
            names = table.column("目标（领域：指标）")
            assert len(names) == len(set(names)), unit


def test_lead_wins_over_responsible() -> None:
    data = make_report_data()
    both = pl.DataFrame([dict(target_id="T1", unit="区卫生健康局", role="responsible", seq=1)])
    data.target_units = pl.concat([data.target_units, both])
    tables = _unit_tables(build_units(data, SZ))
    roles = [r for n, r in zip(tables["区卫生健康局"].column("目标（领域：指标）"),
                               tables["区卫生健康局"].column("角色"), strict=True)
             if "孕产妇死亡率" in str(n)]
    assert roles == ["牵头"]


def test_units_in_plan_order(demo_data: ReportData, demo_docs: dict[str, Document]) -> None:
    for area, doc in demo_docs.items():
        listed = list(_unit_tables(doc))
        order = member_order(demo_data, area)
        known = [u for u in listed if u in order]
        assert known == sorted(known, key=order.index)
        assert listed != sorted(listed) or len(listed) < 3


def test_quantitative_cell_matches_assessment(demo_data: ReportData,
                                              demo_docs: dict[str, Document]) -> None:
    """A hand-checked cell: the first lead unit's first target with a figure."""
    area = demo_data.area_codes()[0]
    rows = headline_rows(demo_data.result.filter(
        (pl.col("area_code") == area) & pl.col("latest_value").is_not_null()
        & (pl.col("unit") == "%")))
    row = rows.row(0, named=True)
    lead = demo_data.units_of(row["target_id"], "lead")[0]
    table = _unit_tables(demo_docs[area])[lead]
    cells = dict(zip(table.column("目标（领域：指标）"), table.column("落实情况"), strict=True))
    label = next(n for n in cells if str(n).startswith(f"{row['domain']}：")
                 and row["indicator_name"] in str(n))
    decimals = int(row["decimals"]) if row.get("decimals") is not None else 1
    figure = f"{row['latest_value']:.{decimals}f}".rstrip("0").rstrip(".")
    assert cells[label] == f"{row['status']}（{row['latest_year']}年{figure}%）"


def test_self_evaluation_cell(demo_data: ReportData, demo_docs: dict[str, Document]) -> None:
    se = demo_data.self_evaluations.filter(pl.col("year") <= YEAR).sort("year")
    assert se.height, "the demo has self-evaluations"
    r = se.row(-1, named=True)
    table = _unit_tables(demo_docs[r["area_code"]])[r["lead_unit"]]
    cells = dict(zip(table.column("目标（领域：指标）"), table.column("落实情况"), strict=True))
    cell = str(cells[f"{r['domain']}：{r['target_text']}"])
    assert cell.startswith(f"{r['rating']}（")
    assert r["evidence"] in cell


def test_nothing_reported_shows_weibaosong() -> None:
    data = make_report_data(2023)
    later = pl.DataFrame([dict(area_code=SZ, target_text="健全儿童保护机制",
                               lead_unit="区民政局", plan="P", domain="儿童与安全",
                               year=2025, rating="完成", evidence="")])
    data.self_evaluations = pl.concat([data.self_evaluations, later], how="diagonal_relaxed")
    tables = _unit_tables(build_units(data, SZ))
    assert tables["区民政局"].column("落实情况") == [NOT_REPORTED]
    cells = tables["区卫生健康局"].column("落实情况")
    assert "基本完成（2023年度自评）：已建成妇幼保健服务网络，覆盖全部街道" in cells


def test_qualitative_targets_listed_with_their_units() -> None:
    """A qualitative target's lead that rated nothing shows 未报送; its responsible unit
    carries the lead's rating, named; a lead also named responsible is listed once."""
    data = make_report_data(2023)
    target = "建立健全妇女健康服务体系"
    data.qualitative_units = pl.DataFrame([
        dict(area_code=SZ, plan=WOMEN, domain="妇女与健康", target_text=target,
             unit=u, role=role, seq=i)
        for i, (u, role) in enumerate([("区卫生健康局", "lead"), ("区民政局", "lead"),
                                       ("区医疗保障局", "responsible"),
                                       ("区民政局", "responsible")])
    ], schema=QUALITATIVE_UNITS_COLUMNS)
    tables = _unit_tables(build_units(data, SZ))
    name = f"妇女与健康：{target}"

    def cell(unit: str) -> tuple[str, str]:
        t = tables[unit]
        rows = [(r, s) for n, r, s in zip(t.column("目标（领域：指标）"), t.column("角色"),
                                           t.column("落实情况"), strict=True) if n == name]
        assert len(rows) == 1, unit
        return str(rows[0][0]), str(rows[0][1])

    assert cell("区民政局") == ("牵头", NOT_REPORTED)
    assert cell("区卫生健康局") == (
        "牵头", "基本完成（2023年度自评）：已建成妇幼保健服务网络，覆盖全部街道")
    assert cell("区医疗保障局") == ("参与（责任单位）", "区卫生健康局自评基本完成（2023年度）")
