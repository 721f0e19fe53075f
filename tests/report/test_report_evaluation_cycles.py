"""Mid-term and final evaluations: one self-evaluation per target and unit (the cycle's own,
else the latest yearly one), and the data problems (迟报, 数据冲突) the annual report shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import docx
import polars as pl
import pytest
from report_support import SZ, WOMEN, make_report_data

from planwatch.assess.frames import CONFLICT_SCHEMA, LATE_SCHEMA
from planwatch.report.builders import build_evaluation
from planwatch.report.builders.evaluation import latest_self_evaluations
from planwatch.report.data import ReportData
from planwatch.report.kinds import generate

HEALTH = "建立健全妇女健康服务体系"
LAW = "妇女权益保障机制更加健全"


def _entry(target: str, unit: str, cycle: str, year: int, rating: str) -> dict[str, object]:
    return dict(area_code=SZ, target_text=target, lead_unit=unit, plan=WOMEN,
                domain="妇女与健康", year=year, rating=rating,
                evidence=f"{unit}{cycle}自评依据", cycle=cycle)


ENTRIES = [
    _entry(HEALTH, "区卫生健康局", "2022", 2022, "未完成"),
    _entry(HEALTH, "区卫生健康局", "midterm", 2023, "基本完成"),
    _entry(HEALTH, "区妇联", "2022", 2022, "完成"),           # no mid-term entry: keep 2022
    _entry(LAW, "区司法局", "2023", 2023, "未完成"),
    _entry(LAW, "区司法局", "midterm", 2023, "完成"),          # same year: the cycle's own wins
    _entry(LAW, "区司法局", "2024", 2024, "基本完成"),
    _entry(LAW, "区司法局", "final", 2025, "完成"),
]


def _data(year: int, entries: list[dict[str, object]] = ENTRIES) -> ReportData:
    base = make_report_data(year)
    plans = pl.DataFrame([dict(plan=WOMEN, area_code=SZ, subject="women", issuer="",
                               doc_number="", period_start=2021, period_end=2025)])
    return replace(base, self_evaluations=pl.DataFrame(entries), plans=plans)


def _ratings(frame: pl.DataFrame) -> dict[tuple[str, str], tuple[str, str]]:
    return {(r["target_text"], r["lead_unit"]): (r["cycle"], r["rating"])
            for r in frame.iter_rows(named=True)}


def test_midterm_takes_the_midterm_entry_else_the_latest_yearly() -> None:
    chosen = latest_self_evaluations(pl.DataFrame(ENTRIES), 2023, "midterm")
    assert chosen.height == 3
    assert _ratings(chosen) == {
        (HEALTH, "区卫生健康局"): ("midterm", "基本完成"),
        (HEALTH, "区妇联"): ("2022", "完成"),
        (LAW, "区司法局"): ("midterm", "完成"),
    }


def test_final_takes_the_final_entry_else_the_latest_up_to_the_year() -> None:
    assert _ratings(latest_self_evaluations(pl.DataFrame(ENTRIES), 2025, "final"))[
        (LAW, "区司法局")] == ("final", "完成")
    without_final = [e for e in ENTRIES if e["cycle"] != "final"]
    assert _ratings(latest_self_evaluations(pl.DataFrame(without_final), 2025, "final"))[
        (LAW, "区司法局")] == ("2024", "基本完成")
    # A final report dated before the final entry does not see it.
    assert _ratings(latest_self_evaluations(pl.DataFrame(ENTRIES), 2024, "final"))[
        (LAW, "区司法局")] == ("2024", "基本完成")


def test_without_a_cycle_column_the_latest_year_wins() -> None:
    frame = pl.DataFrame(ENTRIES).drop("cycle").filter(pl.col("lead_unit") != "区司法局")
    chosen = latest_self_evaluations(frame, 2023, "midterm")
    assert dict(zip(chosen["lead_unit"], chosen["rating"], strict=True)) == {
        "区卫生健康局": "基本完成", "区妇联": "完成"}


def test_midterm_docx_shows_each_unit_once(tmp_path: Path) -> None:
    data = _data(2023)
    doc = build_evaluation(data, WOMEN, SZ, "midterm")
    section = next(s for s in doc.sections if s.title == "定性目标自评情况")
    assert section.blocks[0].text.startswith(  # type: ignore[union-attr]
        "定性目标共有3项自评结果，其中完成2项、基本完成1项、未完成0项")

    paths = generate(data, ["midterm"], tmp_path, formats=["docx"], plans=[WOMEN])
    (path,) = [p for p in paths if p.suffix == ".docx"]
    (table,) = [[[c.text for c in r.cells] for r in t.rows]
                for t in docx.Document(str(path)).tables if t.rows[0].cells[0].text == "领域"
                and "自评" in [c.text for c in t.rows[0].cells]]
    assert [(r[2], r[3], r[4]) for r in table[1:]] == [
        ("区卫生健康局", "基本完成", "中期评估"),
        ("区妇联", "完成", "2022年度"),
        ("区司法局", "完成", "中期评估"),
    ]


def _with_problems(data: ReportData) -> ReportData:
    late = pl.DataFrame([
        dict(area_code=SZ, unit="区卫生健康局", year=2022, due=dt.date(2023, 3, 31),
             submitted=dt.date(2023, 4, 6)),
        dict(area_code=SZ, unit="区教育和体育局", year=2023, due=dt.date(2024, 3, 31),
             submitted=dt.date(2024, 4, 9)),
    ], schema=LATE_SCHEMA)
    conflicts = pl.DataFrame([
        dict(indicator_code="W02", area_code=SZ, breakdown="total", year=2022,
             values=[81.0, 79.5]),
    ], schema=CONFLICT_SCHEMA)
    return replace(data, late=late, conflicts=conflicts)


@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_evaluation_lists_late_reports_and_conflicts(kind: str, tmp_path: Path) -> None:
    data = _with_problems(_data(2023))
    paths = generate(data, [kind], tmp_path, formats=["docx"], plans=[WOMEN],
                     preview=kind == "final")  # 2023 is before the target year
    (path,) = [p for p in paths if p.suffix == ".docx"]
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    # Only the units of the women's plan: the education bureau leads W04 (women's plan).
    assert "迟报：2021—2023年，区卫生健康局、区教育和体育局共有2次数据晚于截止日报送。" in text
    assert "数据冲突：1项数据由不同单位报送的数值不一致" in text
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    late = next(t for t in tables if t[0][0] == "报送单位")
    assert late[1] == ["区卫生健康局", "市中区", "2022年数据于2023-04-06提交，晚于截止日2023-03-31"]
    conflict = next(t for t in tables if t[0][:3] == ["指标", "地区", "年份"])
    assert conflict[1][:4] == ["宫颈癌筛查率", "市中区", "2022", "81%、79.5%"]


def test_evaluation_without_problems_says_so() -> None:
    doc = build_evaluation(_data(2023), WOMEN, SZ, "midterm")
    section = next(s for s in doc.sections if s.title == "数据质量")
    assert [b.text for b in section.blocks] == [  # type: ignore[union-attr]
        "2021—2023年未发现迟报和数据冲突。"]
