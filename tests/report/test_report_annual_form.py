"""The annual report's form rules, each on its own: the finding a heading states, the key
indicators a domain's prose is about, 达标率 the bureaus' way, the drafted 存在问题 and
对策建议, and what is quoted from the units' own reports."""

from __future__ import annotations

import functools
import itertools
import re
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from report_support import SZ, WOMEN, make_report_data

from planwatch.assess import status as st
from planwatch.report.builders import build_annual
from planwatch.report.builders.completion import MET, NOT_MET, completion, verdict
from planwatch.report.builders.drafts import required_pace
from planwatch.report.builders.findings import (
    Changes,
    heading_finding,
    overall_verdict,
    smooth_progress,
)
from planwatch.report.builders.key_indicators import (
    CHANGED,
    HEADLINE,
    MAX_KEY,
    MAX_WARNED,
    WARNED,
    choose_key_indicators,
)
from planwatch.report.builders.unit_reports import split_parts
from planwatch.report.data import DOCUMENTS_COLUMNS, ReportData, attainment, headline_rows
from planwatch.report.model import Document, Paragraph, Section
from planwatch.report.sentences import DRAFT, TODO, published_attainment, rate_text

ATTAINMENT = re.compile(r"(\d+)项指标中(\d+)项达标，达标率(\d+\.\d{2})%")


@functools.cache
def _women_rows() -> pl.DataFrame:
    """The women's plan's headline rows, assessed once for the module (a DataFrame is never
    changed in place: each caller's ``with_columns`` makes its own)."""
    return headline_rows(make_report_data().result.filter(pl.col("plan") == WOMEN))


def _rows(statuses: list[str]) -> pl.DataFrame:
    """Headline rows of the women's plan with their statuses replaced."""
    rows = _women_rows()
    rows = pl.concat([rows] * (len(statuses) // rows.height + 1)).head(len(statuses))
    return rows.with_columns(status=pl.Series(statuses))


def _changes(better: int, level: int, worse: int) -> Changes:
    return Changes([f"b{i}" for i in range(better)], [f"l{i}" for i in range(level)],
                   [f"w{i}" for i in range(worse)])


# ------------------------------------------------------------------ headings


@pytest.mark.parametrize(("statuses", "moves", "figures", "expected"), [
    ([st.INSUFFICIENT] * 3, (0, 0, 0), False, "监测数据尚未报送，暂无法评估"),
    ([st.INSUFFICIENT] * 3, (0, 0, 0), True, "可比数据不足，暂无法评估"),
    ([st.ACHIEVED, st.REGRESSING, st.ON_TRACK], (3, 0, 0), True,
     "可比指标均较上年改善，但1项指标出现逆向变化"),
    ([st.ACHIEVED, st.ACHIEVED], (1, 1, 0), True, "可比指标较上年改善或持平，可监测指标全部达标"),
    ([st.ACHIEVED, st.AT_RISK, st.AT_RISK], (2, 0, 1), True,
     "多数可比指标较上年改善，但2项指标预计达标困难"),
    ([st.ACHIEVED, st.BASICALLY_ACHIEVED], (1, 0, 1), True, "指标改善与退步并存，1项指标已达标"),
    ([st.ON_TRACK, st.REGRESSING], (0, 0, 2), True, "多数可比指标较上年退步，1项指标出现逆向变化"),
    ([st.ACHIEVED, st.ACHIEVED], (0, 0, 0), True, "可监测指标全部达标"),
    ([st.ON_TRACK, st.REGRESSING], (0, 0, 0), True, "尚无指标达标，1项指标出现逆向变化"),
    ([st.ACHIEVED, st.ON_TRACK], (0, 2, 0), True, "可比指标与上年持平，1项指标已达标"),
])
def test_heading_states_the_finding(statuses: list[str], moves: tuple[int, int, int],
                                    figures: bool, expected: str) -> None:
    assert heading_finding(_rows(statuses), _changes(*moves), figures) == expected


def test_heading_never_claims_what_the_numbers_do_not_show() -> None:
    statuses = [st.ACHIEVED, st.BASICALLY_ACHIEVED, st.ON_TRACK, st.AT_RISK, st.REGRESSING]
    for combo in itertools.combinations_with_replacement(statuses, 3):
        rows = _rows(list(combo))
        att = attainment(rows)
        for better, level, worse in itertools.product(range(3), repeat=3):
            text = heading_finding(rows, _changes(better, level, worse), True)
            if "改善" in text:
                assert better > 0, text
            if "均较上年改善" in text:
                assert level == 0 and worse == 0, text
            if "退步" in text:
                assert worse > 0, text
            if "全部达标" in text:
                assert att.met == att.monitorable, text
            if "逆向变化" in text:
                assert f"{att.counts[st.REGRESSING]}项指标出现逆向变化" in text
            if "预计达标困难" in text:
                assert f"{att.counts[st.AT_RISK]}项指标预计达标困难" in text


def test_smooth_progress_only_when_the_figures_support_it() -> None:
    good = _rows([st.ACHIEVED] * 3 + [st.ON_TRACK])
    assert smooth_progress(good, _changes(3, 0, 1))
    assert overall_verdict(good, _changes(3, 0, 1)).startswith("实施总体进展顺利")
    # More worse than better since last year, too few met, or too many warnings: not 顺利.
    assert not smooth_progress(good, _changes(1, 0, 2))
    few = _rows([st.ACHIEVED, st.ON_TRACK, st.ON_TRACK])
    assert not smooth_progress(few, _changes(3, 0, 0))
    warned = _rows([st.ACHIEVED] * 2 + [st.REGRESSING])
    text = overall_verdict(warned, _changes(3, 0, 0))
    assert "顺利" not in text and "1项出现逆向变化" in text
    assert "实现规划目标仍有较大差距" in overall_verdict(few, _changes(3, 0, 0))


# ------------------------------------------------------------------ key indicators


def test_key_indicators_warnings_then_largest_change_then_headline() -> None:
    data = make_report_data()
    rows = headline_rows(data.result.filter((pl.col("plan") == WOMEN)
                                            & (pl.col("domain") == "妇女与健康")))
    chosen = [(k.row["indicator_code"], k.why) for k in choose_key_indicators(data, rows)]
    # W02 预计达标困难 outranks W01's 异常值; of the rest W05 moved most (and is the last).
    assert chosen == [("W02", WARNED), ("W01", WARNED), ("W05", CHANGED)]


def test_key_indicators_are_capped_and_need_a_figure() -> None:
    data = make_report_data()
    rows = headline_rows(data.result)
    # Every target warned: only MAX_WARNED of them come from the warnings.
    warned = rows.with_columns(warnings=pl.lit([st.W_REGRESSING]))
    chosen = choose_key_indicators(data, warned)
    assert [k.why for k in chosen].count(WARNED) == MAX_WARNED
    assert 2 <= len(chosen) <= MAX_KEY
    assert len({k.row["target_id"] for k in chosen}) == len(chosen)
    # No warnings: the largest relative change first, then the plan's first target.
    calm = rows.with_columns(warnings=pl.lit([], dtype=pl.List(pl.String)))
    chosen = choose_key_indicators(data, calm)
    # C01 4.0→3.8 is −5.0 %, more than W01 8.5→8.1 (−4.7 %).
    assert chosen[0].why == CHANGED and chosen[0].row["indicator_code"] == "C01"
    assert chosen[1].why == HEADLINE
    # C03 has no figure for 2023 and no warning: never written about.
    assert "C03" not in {k.row["indicator_code"] for k in chosen}


# ------------------------------------------------------------------ 达标率


@pytest.mark.parametrize(("n", "m", "expected"), [
    (110, 104, "110项指标中104项达标，达标率94.55%"),
    (36, 35, "36项指标中35项达标，达标率97.22%"),
    (2, 1, "2项指标中1项达标，达标率50.00%"),
    (800, 1, "800项指标中1项达标，达标率0.13%"),  # 0.125 rounds half away from zero
    (0, 0, "暂无可监测的指标，无法计算达标率"),
])
def test_published_attainment(n: int, m: int, expected: str) -> None:
    assert published_attainment(n, m) == expected


def test_rate_is_the_counts_rounded_once() -> None:
    for n in range(1, 120):
        for m in range(n + 1):
            want = (Decimal(m) * 100 / Decimal(n)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert rate_text(m, n) == f"{want}%", (m, n)


def test_completion_counts_add_up_to_the_table() -> None:
    data = make_report_data()
    rows = headline_rows(data.result.filter(pl.col("plan") == WOMEN))
    done = completion(data, rows)
    att = attainment(rows)
    assert done.met == att.met and done.monitorable == att.monitorable
    assert done.met + sum(len(v) for v in done.not_met.values()) == done.monitorable
    verdicts = [verdict(data, r) for r in rows.iter_rows(named=True)]
    assert verdicts.count(MET) == done.met
    assert verdicts.count(MET) + verdicts.count(NOT_MET) == done.monitorable
    n, m, rate = ATTAINMENT.search(done.sentence("全规划")).groups()  # type: ignore[union-attr]
    assert (int(n), int(m)) == (done.monitorable, done.met)
    assert rate == f"{100 * done.met / done.monitorable:.2f}"


def test_appendix_lists_every_target_with_its_verdict() -> None:
    data = make_report_data()
    doc = build_annual(data, WOMEN, SZ)
    table = next(t for t in doc.tables() if "监测指标完成情况" in t.caption)
    assert [c.header for c in table.columns][:4] == ["领域", "指标", "单位", "目标"]
    assert [c.header for c in table.columns][-1] == "是否达标"
    rows = headline_rows(data.result.filter(pl.col("plan") == WOMEN))
    assert len(table.rows) == rows.height
    cervical = next(r for r in table.rows if r[1] == "宫颈癌筛查率")
    assert cervical[3:] == ["不低于90%", 78.0, 81.0, 83.14, NOT_MET]
    # Tables numbered in reading order, 表1 … 表N, each once.
    numbers = [int(re.match(r"表(\d+) ", t.caption).group(1))  # type: ignore[union-attr]
               for t in doc.tables()]
    assert numbers == list(range(1, len(numbers) + 1))


# ------------------------------------------------------------------ drafted problems


def _data_with_words() -> ReportData:
    data = make_report_data()
    data.documents = pl.DataFrame([dict(
        area_code=SZ, unit="区卫生健康局", year=2023, filename="2023_卫健局.txt",
        text=("区卫生健康局2023年规划落实情况和2024年工作安排\n"
              "一、规划落实情况\n全年开展适龄妇女两癌筛查2.1万人次，新建妇幼健康服务站3个。\n"
              "二、存在的问题\n基层筛查人员不足，部分街道筛查覆盖面偏低。\n"
              "三、2024年工作安排\n扩大筛查覆盖面。\n"),
    )], schema=DOCUMENTS_COLUMNS)
    data.self_evaluations = pl.concat([data.self_evaluations, pl.DataFrame([dict(
        area_code=SZ, target_text="妇女就业权益得到保障", lead_unit="区人力资源社会保障局",
        plan=WOMEN, domain="妇女与经济", year=2023, rating="未完成",
        evidence="专项执法检查尚未开展")])], how="diagonal_relaxed")
    return data


def _section(doc: Document, *titles: str) -> Section:
    sections = doc.sections
    found: Section | None = None
    for t in titles:
        found = next(s for s in sections if s.title == t)
        sections = found.sections
    assert found is not None
    return found


def _texts(section: Section) -> str:
    return "\n".join(b.text for b in section.blocks if isinstance(b, Paragraph))


def test_problems_and_advice_are_drafted_per_lead_unit() -> None:
    data = _data_with_words()
    doc = build_annual(data, WOMEN, SZ)
    problems = _section(doc, "存在问题及原因")
    advice = _section(doc, "对策建议")
    for part in (problems, advice):
        first = part.blocks[0]
        assert isinstance(first, Paragraph) and first.style == "todo" and DRAFT in first.text
    assert [s.title for s in problems.sections] == [s.title for s in advice.sections]
    health = _texts(_section(doc, "存在问题及原因", "区卫生健康局"))
    # The warnings by kind (their sentences are in the warnings list) …
    assert "预计达标困难的有宫颈癌筛查率；个别年份数值异常的有孕产妇死亡率" in health
    # … the pace the target needs against the pace the assessment found:
    # (90 − 83.14) ÷ (2025 − 2023) = 3.43 a year, against 1.59 in its reason …
    row = headline_rows(data.result).filter(pl.col("indicator_code") == "W02").row(0, named=True)
    assert "平均每年提高1.59个百分点" in row["reason"]
    assert required_pace(row) == pytest.approx(3.43)
    assert "宫颈癌筛查率近年平均每年提高1.59个百分点，而要在2025年实现目标，需每年提高3.43个百分点" in health
    # … and the unit's own words, quoted and attributed.
    assert ("区卫生健康局在《2023年规划落实情况和2024年工作安排》中反映："
            "“基层筛查人员不足，部分街道筛查覆盖面偏低”") in health
    assert "力争每年提高3.43个百分点以上，确保2025年实现“不低于90%”的目标" in _texts(
        _section(doc, "对策建议", "区卫生健康局"))
    # A qualitative target rated 未完成 is a problem of its lead unit, with its evidence.
    labour = _texts(_section(doc, "存在问题及原因", "区人力资源社会保障局"))
    assert "“妇女就业权益得到保障”自评未完成" in labour
    assert "“专项执法检查尚未开展”" in labour
    assert "加快推进“妇女就业权益得到保障”相关工作" in _texts(
        _section(doc, "对策建议", "区人力资源社会保障局"))
    # What the unit reports doing is quoted in its domain, once.
    health_domain = next(s for s in _section(doc, "分领域监测情况").sections
                         if s.title.startswith("妇女与健康"))
    assert ("区卫生健康局在《2023年规划落实情况和2024年工作安排》中报告："
            "“全年开展适龄妇女两癌筛查2.1万人次，新建妇幼健康服务站3个”") in _texts(health_domain)
    everything = "\n".join(p.text for p in doc.paragraphs())
    assert everything.count("全年开展适龄妇女两癌筛查") == 1
    assert TODO not in everything
    # The issuing office and the date close the body, flush right.
    signs = [p for p in doc.paragraphs() if p.style == "sign"]
    assert signs[0].text == "市中区妇女儿童工作委员会办公室"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", signs[1].text)


def test_no_warnings_still_gives_a_draft_not_a_placeholder() -> None:
    data = make_report_data()
    calm = data.result.with_columns(warnings=pl.lit([], dtype=pl.List(pl.String)))
    quiet = ReportData(year=data.year, result=calm, observations=data.observations,
                       areas=data.areas, target_units=data.target_units,
                       reporters=data.reporters)
    doc = build_annual(quiet, WOMEN, SZ)
    problems = _texts(_section(doc, "存在问题及原因"))
    assert DRAFT in problems and "没有发出预警的指标" in problems
    assert TODO not in problems


def test_unit_report_parts_by_heading() -> None:
    text = ("【示例数据】\n某局2024年规划落实情况和2025年工作安排\n一、主要工作开展情况\n做了甲。做了乙。\n"
            "（二）存在的不足\n人手不够。\n三、下一步打算\n继续做。\n")
    parts = split_parts(text)
    assert parts == {"done": "做了甲。做了乙。", "problems": "人手不够。", "plans": "继续做。"}
    assert split_parts("某局总结\n今年做了很多工作。") == {"done": "今年做了很多工作。"}


@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_evaluations_draft_too_and_explain_in_plain_chinese(kind: str) -> None:
    from planwatch.report.builders import build_evaluation

    doc = build_evaluation(_data_with_words(), WOMEN, SZ, kind, preview=True)  # type: ignore[arg-type]
    titles = [s.title for s in doc.sections]
    assert titles[-3:] == ["存在问题及原因", "对策建议", "评估方法说明"]
    text = "\n".join(p.text for p in doc.paragraphs())
    assert TODO not in text and DRAFT in text
    method = "\n".join(b.text for b in doc.sections[-1].blocks if isinstance(b, Paragraph))
    assert not re.search(r"[A-Za-z]{2,}", method), method
