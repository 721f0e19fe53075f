"""Builders on a real assessment of small hand-made series: numbers checked against it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import docx
import openpyxl
import polars as pl
import pytest
from report_support import CHILDREN, SZ, WOMEN, make_report_data

from planwatch.assess import status as st
from planwatch.report.builders import (
    build_annual,
    build_compendium,
    build_evaluation,
    build_units,
    build_warnings,
)
from planwatch.report.data import ReportData, ReportDataError, attainment, headline_rows
from planwatch.report.formatting import cell_text
from planwatch.report.kinds import KINDS, ReportKindError, generate, jobs
from planwatch.report.model import Document, Paragraph, Table
from planwatch.report.sentences import DRAFT, TODO

LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bnan\b|\bNaN\b|\binf\b")


def all_text(doc: Document) -> str:
    parts = [doc.title, doc.subtitle]
    parts += [s.title for _, s in doc.walk()]
    parts += [p.text for p in doc.paragraphs()]
    for t in doc.tables():
        parts.append(t.caption)
        parts += [str(c) for row in t.rows for c in row if c is not None]
    return "\n".join(parts)


def table(doc: Document, caption_part: str) -> Table:
    return next(t for t in doc.tables() if caption_part in t.caption)


def row_of(t: Table, first: str) -> list[object]:
    return next(r for r in t.rows if r[0] == first)


# ------------------------------------------------------------------ attainment


def test_attainment_counts_targets_not_breakdowns(report_data: ReportData) -> None:
    women = headline_rows(report_data.result.filter(pl.col("plan") == WOMEN))
    # W03 has total, female and male rows: counted once.
    assert women.height == 5
    att = attainment(women)
    expected = women.group_by("status").len()
    for status, n in expected.iter_rows():
        assert att.counts[status] == n
    assert att.monitorable == 5 - att.counts[st.INSUFFICIENT]
    assert att.rate == pytest.approx(att.counts[st.ACHIEVED] / att.monitorable)


def test_report_data_names_missing_columns() -> None:
    data = make_report_data()
    with pytest.raises(ReportDataError, match="status"):
        ReportData(year=2023, result=data.result.drop("status"), observations=data.observations)


# ------------------------------------------------------------------ annual


def test_annual_structure_and_numbers(report_data: ReportData) -> None:
    doc = build_annual(report_data, WOMEN, SZ)
    assert doc.title == f"{WOMEN}2023年度监测报告"
    assert [s.title for s in doc.sections] == [
        "总体情况", "分领域监测情况", "预警指标", "存在问题及原因", "对策建议",
        "附录一 监测指标完成情况", "附录二 评估方法说明",
    ]
    assert [s.numbered for s in doc.sections][-2:] == [False, False]
    # Domain headings state the finding after the domain's name.
    assert [s.title.split("：")[0] for s in doc.sections[1].sections] == [
        "妇女与健康", "妇女与经济", "妇女与教育"]

    rows = headline_rows(report_data.result.filter(pl.col("plan") == WOMEN))
    att = attainment(rows)
    overview = doc.sections[0].blocks[0].text  # type: ignore[union-attr]
    assert f"指标共{att.total}项" in overview
    assert (f"{att.monitorable}项指标中{att.counts[st.ACHIEVED]}项达标，"
            f"达标率{100 * att.rate:.2f}%") in overview

    status_tab = table(doc, "各领域指标监测状态")
    total_row = row_of(status_tab, "合计")
    assert total_row[1] == att.total
    assert total_row[-1] == pytest.approx(att.rate)

    # Indicator table: this year's and last year's values straight from the observations.
    health = table(doc, "妇女与健康领域")
    cervical = row_of(health, "宫颈癌筛查率")
    assert cervical[2:5] == [81.0, 83.14, pytest.approx(2.14)]
    assert cervical[5] == "不低于90%"
    result = report_data.result.filter(pl.col("indicator_code") == "W02").row(0, named=True)
    assert cervical[6] == result["status"] == st.AT_RISK
    assert cervical[7] == result["reason"]

    # Main change sentences carry the data's numbers.
    change = next(p.text for p in doc.sections[0].blocks  # type: ignore[union-attr]
                  if getattr(p, "text", "").startswith("与2022年相比"))
    assert "宫颈癌筛查率由2022年的81%提高到2023年的83.14%（+2.14个百分点）" in change
    assert "女性就业人员占比由2022年的43%降至2023年的42.2%（-0.8个百分点）" in change

    # Charts for indicators needing attention, with the target as a line.
    charts = doc.charts()
    assert charts, "domains with warnings get charts"
    cervical_chart = next(c for c in charts if c.title.startswith("宫颈癌筛查率"))
    assert cervical_chart.target == 90.0
    assert list(cervical_chart.series[0].values) == [78.0, 80.5, 81.0, 83.14]
    employment = next(c for c in charts if c.title.startswith("女性就业人员占比"))
    assert [s.name for s in employment.series] == ["市中区", "市中区（女）", "市中区（男）"]

    # Warnings: one row per warned indicator of the plan (missing figures apart), with its
    # lead units; the sentence's count is the rows'.
    warn = table(doc, "预警指标清单")
    warned = headline_rows(report_data.result.filter(pl.col("plan") == WOMEN))
    n = sum(1 for w in warned.get_column("warnings").to_list() if set(w) - {st.W_MISSING})
    assert len(warn.rows) == n
    assert row_of_col(warn, 1, "女性就业人员占比")[5] == "区人力资源社会保障局、区统计局"
    warn_text = next(s for s in doc.sections if s.title == "预警指标").blocks[0].text  # type: ignore[union-attr]
    assert warn_text.startswith(f"2023年共有{n}项指标发出预警")

    # The problems and advice are drafted and marked as a draft, not left as placeholders.
    for part in doc.sections[3:5]:
        first = part.blocks[0]
        assert isinstance(first, Paragraph) and first.style == "todo"
        assert first.text.startswith(DRAFT)
        assert part.sections, "drafted per lead unit"
    assert TODO not in all_text(doc)
    assert not LEFTOVERS.search(all_text(doc))


def test_annual_refuses_unknown_plan(report_data: ReportData) -> None:
    with pytest.raises(ValueError, match="没有"):
        build_annual(report_data, "不存在的规划", SZ)


def test_missing_this_year_value_is_labelled_with_its_year(report_data: ReportData) -> None:
    doc = build_annual(report_data, CHILDREN, SZ)
    edu = table(doc, "儿童与教育领域")
    row = row_of(edu, "学前教育毛入园率")
    assert row[3] == "94（2021年）"
    assert row[2] is None


# ------------------------------------------------------------------ evaluations


def test_midterm_lists_and_baseline(report_data: ReportData) -> None:
    doc = build_evaluation(report_data, WOMEN, SZ, "midterm")
    assert doc.title.endswith("中期评估报告")
    rows = headline_rows(report_data.result.filter(pl.col("plan") == WOMEN))
    achieved = table(doc, "已实现的目标")
    assert {r[1] for r in achieved.rows} == set(
        rows.filter(pl.col("status") == st.ACHIEVED).get_column("indicator_name").to_list()
    )
    gap = table(doc, "尚有差距的目标")
    assert {r[4] for r in gap.rows} <= {st.ON_TRACK, st.AT_RISK, st.REGRESSING}
    att = attainment(rows)
    assert f"尚有差距的指标{att.gap_count}项" in all_text(doc) and len(gap.rows) == att.gap_count
    base = table(doc, "与基期比较")
    maternal = row_of(base, "孕产妇死亡率")
    assert maternal[2:7] == [2020, 10.2, 8.1, pytest.approx(-2.1), "改善"]
    assert row_of(base, "女性就业人员占比")[6] == "退步"
    qual = table(doc, "定性目标自评")
    assert qual.rows == [["妇女与健康", "建立健全妇女健康服务体系", "区卫生健康局", "基本完成",
                          "2023年度", "已建成妇幼保健服务网络，覆盖全部街道"]]
    assert not LEFTOVERS.search(all_text(doc))


def test_midterm_lists_targets_without_data_apart_from_those_with_a_gap(
        report_data: ReportData) -> None:
    """The opening's 尚有差距的指标N项 counts monitorable targets; the list under that title
    holds the same N, and targets without data have a list of their own."""
    status = pl.col("status")
    data = dataclasses.replace(report_data, result=report_data.result.with_columns(
        pl.when(status == st.REGRESSING).then(pl.lit(st.INSUFFICIENT)).otherwise(status)
        .alias("status")))
    doc = build_evaluation(data, WOMEN, SZ, "midterm")
    rows = headline_rows(data.result.filter(pl.col("plan") == WOMEN))
    att = attainment(rows)
    assert f"尚有差距的指标{att.gap_count}项" in all_text(doc)
    assert len(table(doc, "尚有差距的目标").rows) == att.gap_count == 1
    no_data = table(doc, "数据不足、无法评估的目标")
    assert [r[4] for r in no_data.rows] == [st.INSUFFICIENT]


def test_final_without_self_evaluations_says_so() -> None:
    data = make_report_data()
    data.self_evaluations = data.self_evaluations.clear()
    doc = build_evaluation(data, CHILDREN, SZ, "final", preview=True)
    assert doc.title.endswith("终期评估报告（预览）")
    texts = [p.text for p in doc.paragraphs() if p.style == "todo"]
    assert any("尚未录入定性目标" in t for t in texts)


# ------------------------------------------------------------------ warnings, compendium, units


def test_warnings_grouped_by_area_then_lead_unit(report_data: ReportData) -> None:
    doc = build_warnings(report_data)
    assert [s.title for s in doc.sections] == ["市中区预警指标", "催报清单"]
    assert all(s.new_page for s in doc.sections)
    area = doc.sections[0]
    # Units in the order the plan names them (T1's lead first), not by character code.
    assert [s.title for s in area.sections] == [
        "区卫生健康局", "区人力资源社会保障局", "区统计局", "区教育和体育局"]
    # W03 is led by two units: one row, under the first; the second is told where it is.
    hrss = area.sections[1].blocks[1]
    assert isinstance(hrss, Table)
    assert [r[1] for r in hrss.rows] == ["女性就业人员占比"]
    assert hrss.rows[0][5] == "区妇联"
    stats = area.sections[2]
    assert [getattr(b, "text", "") for b in stats.blocks] == [
        "区统计局共同牵头、已列于其他单位名下的指标：女性就业人员占比（列于区人力资源社会保障局名下）。"]
    health = area.sections[0].blocks[1]
    assert isinstance(health, Table)
    cervical = row_of_col(health, 1, "宫颈癌筛查率")
    assert cervical[3] == st.AT_RISK
    # Least-squares slope of 78, 80.5, 81, 83.14 (2020–2023): ȳ = 80.66,
    # Σ(x−x̄)(y−ȳ) = 3.99 + 0.08 + 0.17 + 3.72 = 7.96, Σ(x−x̄)² = 5 → 1.592 a year.
    assert str(cervical[4]).startswith("预计达标困难：按2020—2023年平均每年提高1.59个百分点推算")
    outlier = row_of_col(health, 1, "孕产妇死亡率")
    assert outlier[3] == "异常值" and "2022年数值明显偏离趋势" in str(outlier[4])
    # Counts add up: 5 warned indicators = 3 + 1 + 1 rows = the summary's types; the
    # missing W04 figure is in the 催报清单, addressed to the unit that reports it.
    rows = [r for s in area.sections for t in s.blocks if isinstance(t, Table) for r in t.rows]
    assert len(rows) == 5
    summary = doc.blocks[1]
    assert isinstance(summary, Table)
    assert summary.rows == [["市中区", 5, 1, 2, 1, 1]]
    assert doc.blocks[0].text.startswith("2023年监测，市中区共有5项指标发出预警")  # type: ignore[union-attr]
    chase = doc.sections[1].sections[0].blocks[0]
    assert isinstance(chase, Table)
    assert chase.rows == [[1, "区教育和体育局", "学前教育毛入园率", "2023年无数据，最新数据为2021年"]]
    assert not LEFTOVERS.search(all_text(doc))


def row_of_col(t: Table, col: int, value: str) -> list[object]:
    return next(r for r in t.rows if r[col] == value)


def test_compendium_values_and_breakdowns(report_data: ReportData, tmp_path: Path) -> None:
    doc = build_compendium(report_data, SZ)
    assert [s.title for s in doc.sections] == [
        "妇女与健康", "妇女与经济", "妇女与教育", "儿童与健康", "儿童与教育",
    ]
    econ = doc.sections[1].blocks[0]
    assert isinstance(econ, Table)
    headers = [c.header for c in econ.columns]
    assert headers[3:7] == ["2020年", "2021年", "2022年", "2023年"]
    assert [r[1] for r in econ.rows] == ["合计", "女", "男"]
    assert econ.rows[2][3:7] == [56.0, 56.5, 57.0, 57.8]
    assert econ.rows[0][-1] == "区人力资源社会保障局"  # the reporter, not the lead list

    (xlsx,) = generate(report_data, ["compendium"], tmp_path)
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["说明", "妇女与健康", "妇女与经济", "妇女与教育", "儿童与健康", "儿童与教育"]
    ws = wb["妇女与经济"]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    male = next(r for r in values if r[1] == "男")
    assert male[3:7] == [56.0, 56.5, 57.0, 57.8]
    edu = [[c.value for c in r] for r in wb["儿童与教育"].iter_rows()]
    kinder = next(r for r in edu if r[0] == "学前教育毛入园率")
    assert kinder[3:7] == [93.0, 94.0, "—", "—"]
    assert ws.freeze_panes is not None and ws.print_title_rows


def test_units_matrix(report_data: ReportData) -> None:
    doc = build_units(report_data, SZ)
    matrix = doc.sections[0].blocks[1]
    assert isinstance(matrix, Table)
    health = row_of(matrix, "区卫生健康局")
    # Leads T1, T2, T5, T8 and the qualitative target it rated (建立健全妇女健康服务体系);
    # reports W01, W02, W05, C01 — all reported for 2023.
    assert health[1:6] == [5, 0, 4, 4, 1.0]
    assert health[6] == 1 + 1 + 1  # 异常值 (W01), 预计达标困难 (W02), 波动较大 (C01)
    edu = row_of(matrix, "区教育和体育局")
    # C03 has no 2023 figure.
    assert edu[3:6] == [3, 2, pytest.approx(2 / 3)]
    women_fed = row_of(matrix, "区妇联")
    assert women_fed[1:3] == [0, 2]
    detail = next(s for s in doc.sections[1].sections if s.title == "区教育和体育局")
    assert any("学前教育毛入园率" in getattr(b, "text", "") for b in detail.blocks)


# ------------------------------------------------------------------ jobs and files


def test_jobs_per_kind(report_data: ReportData) -> None:
    assert len(jobs(report_data, "annual")) == 2
    assert len(jobs(report_data, "annual", plans=["儿童"])) == 1
    assert len(jobs(report_data, "warnings")) == 1
    assert len(jobs(report_data, "units", areas=["市中区"])) == 1
    with pytest.raises(ReportKindError, match="monthly"):
        jobs(report_data, "monthly")
    with pytest.raises(ReportKindError, match="山亭区"):
        jobs(report_data, "annual", areas=["山亭区"])
    with pytest.raises(ReportKindError, match="no plan matches"):
        jobs(report_data, "annual", plans=["残疾人"])


def test_generated_word_files_read_back(report_data: ReportData, tmp_path: Path) -> None:
    done: list[str] = []
    paths = generate(report_data, ["annual", "warnings"], tmp_path, formats=["docx"],
                     plans=["妇女"], on_done=lambda job, _: done.append(job.kind))
    assert done == ["annual", "warnings"]
    annual = next(p for p in paths if "年度监测报告" in p.name)
    d = docx.Document(str(annual))
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、分领域监测情况", "三、预警指标",
                        "四、存在问题及原因", "五、对策建议", "附录一 监测指标完成情况",
                        "附录二 评估方法说明"]
    health = next(t for t in d.tables if t.rows[1].cells[0].text == "孕产妇死亡率")
    # Under each indicator's row, across the table, its explanation (one cell of the grid).
    below = health.rows[2]
    assert len({id(c._tc) for c in below.cells}) == 1
    assert below.cells[0].text == "评估说明：2023年为8.1/10万，已达到目标（不高于10/10万）"
    assert [c.text for c in health.rows[3].cells][:5] == ["宫颈癌筛查率", "%", "81", "83.14",
                                                          "2.14"]
    text = "\n".join(p.text for p in d.paragraphs)
    assert DRAFT in text and TODO not in text
    assert not LEFTOVERS.search(text)
    assert len(d.inline_shapes) == len(build_annual(report_data, WOMEN, SZ).charts())


def test_every_kind_builds(report_data: ReportData) -> None:
    for kind in KINDS:
        for job in jobs(report_data, kind, preview=True):
            doc = job.build()
            assert doc.sections, kind
            assert not LEFTOVERS.search(all_text(doc)), kind


def test_tables_are_numbered_one_by_one_in_reading_order(report_data: ReportData) -> None:
    """表1, 表2 … with none skipped (an empty list 无。 takes no number) and none repeated,
    in every kind; a sentence's 见表N names a table that exists."""
    for kind in KINDS:
        for job in jobs(report_data, kind, preview=True):
            doc = job.build()
            numbers = [int(m.group(1)) for t in doc.tables()
                       if (m := re.match(r"表(\d+) ", t.caption))]
            assert numbers == list(range(1, len(numbers) + 1)), (kind, job.title, numbers)
            for cited in re.findall(r"见表(\d+)", all_text(doc)):
                assert 1 <= int(cited) <= len(numbers), (kind, cited)
    # An evaluation with no 基本实现 target: its list says 无。 and takes no number.
    status = pl.col("status")
    none_basic = dataclasses.replace(report_data, result=report_data.result.with_columns(
        pl.when(status == st.BASICALLY_ACHIEVED).then(pl.lit(st.ON_TRACK)).otherwise(status)
        .alias("status")))
    doc = build_evaluation(none_basic, WOMEN, SZ, "midterm")
    captions = [t.caption for t in doc.tables()]
    assert not any("基本实现的目标" in c for c in captions)
    assert [int(re.match(r"表(\d+)", c).group(1)) for c in captions  # type: ignore[union-attr]
            if c.startswith("表")] == list(range(1, len(captions) + 1))


def test_a_rate_prints_the_same_in_the_sentence_and_the_table(report_data: ReportData) -> None:
    """达标率 to two decimals everywhere (the bureaus' way): the opening sentence and the
    status table's 合计 row of the annual report and of the evaluations say the same."""
    for doc in (build_annual(report_data, WOMEN, SZ), build_evaluation(report_data, WOMEN, SZ)):
        status = next(t for t in doc.tables() if "达标率" in [c.header for c in t.columns])
        column = status.columns[-1]
        last = status.rows[-1]
        printed = cell_text(last[-1], column)
        assert re.fullmatch(r"\d+\.\d\d%", printed), printed
        said = re.findall(r"达标率(?:（已实现÷可监测）为)?(\d+\.\d+%)", all_text(doc))
        assert said and said[0] == printed, (doc.kind, said, printed)
