"""Breakdowns in the reports: warnings only where they add to the total, the catalogue's
order in the compendium, and the year's largest sex or 城乡 gap in the domain paragraph."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import polars as pl
import pytest
from report_support import docx_records

from planwatch.assess import assess
from planwatch.assess import status as st
from planwatch.report.builders import build_annual, build_compendium, build_warnings
from planwatch.report.builders.gaps import largest_gap
from planwatch.report.builders.warning_entries import collect_entries
from planwatch.report.data import ReportData, note_column, sort_breakdowns
from planwatch.report.kinds import generate
from planwatch.report.model import Table

SZ = "370103"
PLAN = "市中区“十四五”儿童发展规划"
YEARS = range(2020, 2024)
# indicator → breakdown → values 2020..2023. K1's total is fine but its rural series
# regresses; K2's total is at risk like its sex series, and its rural series regresses.
SERIES: dict[str, dict[str, list[float]]] = {
    "K1": {
        "total": [6.0, 5.6, 5.2, 4.8],
        "sex=female": [6.0, 5.6, 5.2, 4.8],
        "sex=male": [6.2, 5.8, 5.4, 5.0],
        "residence=urban": [5.0, 4.6, 4.2, 3.8],
        "residence=rural": [6.0, 6.3, 6.6, 6.9],
    },
    "K2": {
        "total": [80.0, 81.0, 82.0, 83.0],
        "sex=female": [80.0, 81.0, 82.0, 83.0],
        "sex=male": [80.0, 81.0, 82.0, 83.0],
        "residence=urban": [82.0, 83.5, 85.0, 86.5],
        "residence=rural": [80.0, 79.0, 78.0, 77.0],
    },
}
TARGETS = [
    dict(target_id="T1", indicator_code="K1", area_code=SZ, kind="quantitative",
         comparator="<=", target_value=5.0, target_year=2025, unit="‰",
         lead_unit="区卫生健康局", plan=PLAN, domain="儿童与健康",
         indicator_name="5岁以下儿童死亡率"),
    dict(target_id="T2", indicator_code="K2", area_code=SZ, kind="quantitative",
         comparator=">=", target_value=95.0, target_year=2025, unit="%",
         lead_unit="区教育和体育局", plan=PLAN, domain="儿童与教育",
         indicator_name="学前教育毛入园率"),
]


def _data(order: dict[str, list[str]] | None = None) -> ReportData:
    obs = pl.DataFrame([
        dict(indicator_code=code, area_code=SZ, breakdown=b, year=y, value=v)
        for code, series in SERIES.items()
        for b, values in series.items()
        for y, v in zip(YEARS, values, strict=True)
    ])
    return ReportData(
        year=2023,
        result=assess(obs, TARGETS, 2023),
        observations=obs,
        areas={SZ: "市中区"},
        target_units=pl.DataFrame([
            dict(target_id="T1", unit="区卫生健康局", role="lead", seq=0),
            dict(target_id="T2", unit="区教育和体育局", role="lead", seq=0),
        ]),
        plans=pl.DataFrame([dict(plan=PLAN, area_code=SZ, subject="children", issuer="",
                                 doc_number="", period_start=2021, period_end=2025)]),
        breakdown_order=order or {},
    )


@pytest.fixture(scope="module")
def data() -> ReportData:
    return _data()


def _warning_rows(data: ReportData) -> dict[tuple[str, str], list[str]]:
    return {
        (str(r["indicator_code"]), str(r["breakdown"])): list(r["warnings"])
        for r in data.result.iter_rows(named=True)
    }


def _docx_tables(path: Path, header: str) -> list[list[dict[str, str]]]:
    """The rows of the Word tables with ``header``, by header."""
    return [docx_records(t) for t in docx.Document(str(path)).tables
            if header in (c.text for c in t.rows[0].cells)]


def test_breakdowns_fold_into_their_indicator(data: ReportData) -> None:
    warnings = _warning_rows(data)
    # The premise: breakdowns repeat their total's warning, and the rural series adds one.
    assert warnings[("K2", "total")] == [st.AT_RISK] == warnings[("K2", "sex=female")]
    assert st.REGRESSING in warnings[("K2", "residence=rural")]
    assert warnings[("K1", "total")] == [] and warnings[("K1", "residence=rural")]

    entries = collect_entries(data, data.result)
    assert [e.indicator_code for e in entries] == ["K1", "K2"]  # one entry per indicator
    k1, k2 = entries
    assert [(p.warning, p.breakdown) for p in k1.parts] == [(st.REGRESSING, "residence=rural")]
    assert k1.primary == st.REGRESSING
    assert k1.description().startswith("其中农村：逆向变化，2020—2023年平均每年提高0.3个千分点")
    # K2: the total's warning, then only what the rural series adds; 女/男/城镇 not repeated.
    assert [(p.warning, p.breakdown) for p in k2.parts] == [
        (st.AT_RISK, "total"), (st.REGRESSING, "residence=rural")]
    assert k2.primary == st.AT_RISK  # counted by its total's warning
    assert "；其中农村：逆向变化，" in k2.description()


def test_breakdown_judged_against_its_own_target_only(data: ReportData) -> None:
    # Give K1's male series (total fine) a 预计达标困难 judged against the area's target.
    male = (pl.col("indicator_code") == "K1") & (pl.col("breakdown") == "sex=male")
    result = data.result.with_columns(
        warnings=pl.when(male).then(pl.lit([st.AT_RISK])).otherwise(pl.col("warnings")),
        **{note_column(st.AT_RISK): pl.when(male).then(pl.lit("按趋势推算低于目标"))
           .otherwise(pl.col(note_column(st.AT_RISK)))},
    )
    (k1, _) = collect_entries(data, result)
    assert [p.breakdown for p in k1.parts] == ["residence=rural"]  # the plan set no male target
    own = result.with_columns(target_breakdown=pl.when(male).then(pl.lit("sex=male")))
    (k1, _) = collect_entries(data, own)
    assert [(p.warning, p.breakdown) for p in k1.parts] == [
        (st.AT_RISK, "sex=male"), (st.REGRESSING, "residence=rural")]


def test_warnings_list_docx_folds_breakdowns(data: ReportData, tmp_path: Path) -> None:
    doc = build_warnings(data)
    intro = doc.blocks[0].text  # type: ignore[union-attr]
    assert intro.startswith("2023年监测，市中区共有2项指标发出预警（按最主要的预警计：逆向变化1项、"
                            "预计达标困难1项）")

    (path, *_) = generate(data, ["warnings"], tmp_path, formats=["docx"])
    tables = _docx_tables(path, "预警类型")
    assert len(tables) == 2  # one table per lead unit, each indicator one row
    assert [(r["指标"], r["预警类型"]) for t in tables for r in t] == [
        ("5岁以下儿童死亡率", st.REGRESSING),
        ("学前教育毛入园率", f"{st.AT_RISK}、{st.REGRESSING}"),
    ]
    assert tables[1][0]["情况说明"].startswith("预计达标困难：按2020—2023年平均每年提高1个百分点推算")


def test_annual_warnings_one_row_per_indicator(data: ReportData, tmp_path: Path) -> None:
    doc = build_annual(data, PLAN, SZ)
    warn = next(s for s in doc.sections if s.title == "预警指标")
    assert warn.blocks[0].text.startswith(  # type: ignore[union-attr]
        "2023年共有2项指标发出预警（按最主要的预警计：逆向变化1项、预计达标困难1项）")

    (path, *_) = generate(data, ["annual"], tmp_path, formats=["docx"])
    (table,) = _docx_tables(path, "预警类型")
    assert [(r["指标"], r["牵头单位"]) for r in table] == [
        ("5岁以下儿童死亡率", "区卫生健康局"), ("学前教育毛入园率", "区教育和体育局")]


@pytest.mark.parametrize("order, expected", [
    ({}, ["合计", "女", "男", "城镇", "农村"]),
    ({"K1": ["total", "residence=urban", "residence=rural", "sex=female", "sex=male"]},
     ["合计", "城镇", "农村", "女", "男"]),
])
def test_compendium_follows_the_declared_categories(order: dict[str, list[str]],
                                                    expected: list[str],
                                                    tmp_path: Path) -> None:
    data = _data(order)
    health = build_compendium(data, SZ).sections[0].blocks[0]
    assert isinstance(health, Table)
    assert [r[1] for r in health.rows] == expected

    (path,) = generate(data, ["compendium"], tmp_path)
    sheet = openpyxl.load_workbook(path)["儿童与健康"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    k1 = [r for r in rows if r[0] == "5岁以下儿童死亡率"]
    assert [r[1] for r in k1] == expected
    rural = next(r for r in k1 if r[1] == "农村")
    assert rural[3:7] == SERIES["K1"]["residence=rural"]  # the numbers did not move


def test_default_order_puts_age_groups_by_their_lower_bound() -> None:
    keys = ["age_group=60+", "residence=rural", "age_group=18-34", "total", "sex=male",
            "age_group=35-59", "residence=urban", "sex=female"]
    assert sort_breakdowns(keys) == [
        "total", "sex=female", "sex=male", "age_group=18-34", "age_group=35-59",
        "age_group=60+", "residence=urban", "residence=rural"]


def test_domain_paragraph_names_the_largest_gap(data: ReportData, tmp_path: Path) -> None:
    rural, urban = SERIES["K1"]["residence=rural"][-1], SERIES["K1"]["residence=urban"][-1]
    gap = largest_gap(data, data.result.filter(pl.col("indicator_code") == "K1"))
    assert gap is not None and (gap.higher, gap.lower) == ("rural", "urban")
    assert gap.difference == pytest.approx(rural - urban)

    (path, *_) = generate(data, ["annual"], tmp_path, formats=["docx"])
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    # 5岁以下儿童死亡率 is a key indicator: its own sentence states the gap.
    assert (f"分城乡看，城镇为{urban:g}‰、农村为{rural:g}‰，农村高于城镇{rural - urban:.1f}个千分点"
            ) in text
    k2_urban, k2_rural = SERIES["K2"]["residence=urban"][-1], SERIES["K2"]["residence=rural"][-1]
    assert (f"分城乡看，城镇为{k2_urban:g}%、农村为{k2_rural:g}%，城镇高于农村"
            f"{k2_urban - k2_rural:g}个百分点") in text


def test_no_gap_sentence_without_breakdowns_of_the_year(data: ReportData) -> None:
    shifted = ReportData(year=2024, result=data.result, observations=data.observations,
                         areas=data.areas)
    assert largest_gap(shifted, shifted.result) is None
