"""存在问题及原因 and 对策建议, drafted per lead unit and marked as a draft.

The office's statistician writes these two parts; what the figures and the units' own
words already say can be written out for them, so that they edit a draft instead of
filling a blank. Per lead unit (in the order the plans name their member units):

问题 — its warned indicators (the warnings list's entries, each under its most serious
  warning with the assessment's sentence), figures it did not send (数据缺失), its late
  reports over the plan period (迟报), the qualitative targets it rated 未完成,
  and the problems it names in its own yearly report (quoted, attributed);
原因 — only what the figures show: the pace a 预计达标困难 target needs against the pace it
  has had (both from the assessment's figures), a trend away from the target, a series too
  irregular to judge, reports missing or late; and the unit's own explanation, quoted;
建议 — one measure for each problem found, of the kind the published reports recommend
  (加大力度 to the pace the target needs, 扭转下降趋势, 核实统计口径, 按时报送, 加快推进).

Every paragraph of both parts sits under a 【初稿，请审核修改】 mark: the causes the figures
show are not all the causes, and the office answers for what it sends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from planwatch.assess import status as st
from planwatch.assess.precision import printed
from planwatch.collect.breakdowns import TOTAL, label
from planwatch.report.builders.data_issues import late_items, plan_units
from planwatch.report.builders.unit_reports import said_problems, self_evaluations, unit_report
from planwatch.report.builders.warning_entries import (
    PRIMARY_ORDER,
    Entry,
    Part,
    addressees,
    by_member_order,
    chase_unit,
    member_order,
    plan_entries,
)
from planwatch.report.data import ReportData, finite
from planwatch.report.formatting import row_decimals
from planwatch.report.model import Paragraph, Section
from planwatch.report.sentences import DRAFT, change_words, list_phrase, target_text

OFFICE_ONLY = "未明确牵头单位的指标"

PROBLEMS_NOTE = (
    f"{DRAFT}本部分根据{{year}}年的预警指标、数据报送情况、定性目标自评结果和各成员单位报送的"
    "规划落实情况报告起草，按牵头单位列出；“原因”只写数据能够说明的部分和单位自述的原因，"
    "请统计人员会同牵头单位核实、补充后定稿。"
)
ADVICE_NOTE = (
    f"{DRAFT}以下建议按上文问题逐条起草，请统计人员结合本地工作实际修改定稿。"
)


@dataclass
class UnitDraft:
    """What one lead unit's paragraphs are built from."""

    unit: str
    entries: list[Entry] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    late: list[dict[str, Any]] = field(default_factory=list)
    unmet: list[dict[str, Any]] = field(default_factory=list)
    """Its qualitative targets rated 未完成 (latest rating)."""
    said: str = ""
    """What its yearly report says the problems are, quoted and attributed."""

    @property
    def empty(self) -> bool:
        return not (self.entries or self.missing or self.late or self.unmet)


def required_pace(row: dict[str, Any]) -> float | None:
    """The change per year a quantitative target still needs: (target − latest) ÷ years
    left, on the latest figure as printed; None when the target year has come."""
    latest, target = finite(row.get("latest_value")), finite(row.get("target_value"))
    latest_year, target_year = row.get("latest_year"), row.get("target_year")
    if (latest is None or target is None or latest_year is None or target_year is None
            or row.get("kind") != "quantitative"):
        return None
    years = int(target_year) - int(latest_year)
    if years <= 0:
        return None
    decimals = row_decimals(row)
    return printed((target - printed(latest, decimals)) / years, decimals)


def _pace_cause(name: str, row: dict[str, Any]) -> str:
    need = required_pace(row)
    have = finite(row.get("annual_change"))
    if need is None or have is None:
        return f"{name}推进速度不足以按期实现目标"
    decimals = row_decimals(row)
    unit = row["unit"]
    have_p = printed(have, decimals)
    need_words = change_words(need, unit, decimals)
    if have_p == 0:
        return (f"{name}近年基本没有变化，而要在{int(row['target_year'])}年实现目标，需每年"
                f"{need_words}")
    return (f"{name}近年平均每年{change_words(have_p, unit, decimals)}，而要在"
            f"{int(row['target_year'])}年实现目标，需每年{need_words}，推进速度不够")


def _primary_part(entry: Entry) -> Part:
    return next((p for p in entry.parts if p.warning == entry.primary), entry.parts[0])


def entry_name(entry: Entry) -> str:
    """The indicator, with the group its main warning is about when that is a breakdown
    (5岁以下儿童死亡率（农村）): the total itself may be fine."""
    part = _primary_part(entry)
    if part.breakdown == TOTAL:
        return entry.indicator_name
    return f"{entry.indicator_name}（{label(part.breakdown)}）"


KIND_WORDS = {
    st.W_REGRESSING: "出现逆向变化", st.W_AT_RISK: "预计达标困难", st.W_NOT_HELD: "未能保持目标水平",
    st.W_OUTLIER: "个别年份数值异常", st.W_VOLATILE: "各年数值波动较大",
}


def _warned_by_kind(entries: list[Entry]) -> str:
    """其中逆向变化的有甲、乙；预计达标困难的有丙（各项情况见预警指标清单）. With one entry
    its sentence from the assessment is given instead, since it is short."""
    if len(entries) == 1:
        e = entries[0]
        return f"{entry_name(e)}{KIND_WORDS.get(e.primary, e.primary)}（{_note(e)}）"
    parts = []
    for kind in PRIMARY_ORDER:
        names = _grouped(entries, (kind,))
        if names:
            parts.append(f"{KIND_WORDS.get(kind, kind)}的有{list_phrase(names, 100)}")
    return "其中" + "；".join(parts) + "（各项情况见预警指标清单）"


def _grouped(entries: list[Entry], kinds: tuple[str, ...]) -> list[str]:
    return [entry_name(e) for e in entries if e.primary in kinds]


def collect_drafts(data: ReportData, plan: str, area_code: str,
                   rows: pl.DataFrame) -> list[UnitDraft]:
    """One draft per lead unit with something to say, in the plans' member order; entries
    addressed to nobody (only the office, or no unit) under ``OFFICE_ONLY`` at the end."""
    entries = plan_entries(data, plan, area_code)
    drafts: dict[str, UnitDraft] = {}

    def draft(unit: str) -> UnitDraft:
        return drafts.setdefault(unit, UnitDraft(unit))

    for e in entries:
        if e.parts:
            for unit in e.addressed_to or [OFFICE_ONLY]:
                draft(unit).entries.append(e)
        if e.missing:
            unit = chase_unit(data, e) or OFFICE_ONLY
            draft(unit).missing.append(e.indicator_name)
    info = data.plan_info(plan)
    start = int(info.get("period_start") or data.year)
    years = range(min(start, data.year), data.year + 1)
    for item in late_items(data, [area_code], plan_units(data, rows, area_code), years):
        draft(str(item["lead_unit"])).late.append(item)
    se = self_evaluations(data, area_code, plan)
    for r in se.filter(pl.col("rating") == "未完成").iter_rows(named=True):
        for unit in addressees([str(r["lead_unit"] or "")]) or [OFFICE_ONLY]:
            draft(unit).unmet.append(r)
    for d in drafts.values():
        if d.unit == OFFICE_ONLY:
            continue
        report = unit_report(data, area_code, d.unit)
        if report is not None and report.problems:
            d.said = said_problems(report)
    order = by_member_order([u for u in drafts if u != OFFICE_ONLY], member_order(data, area_code))
    if OFFICE_ONLY in drafts:
        order.append(OFFICE_ONLY)
    return [drafts[u] for u in order if not drafts[u].empty]


Headlines = dict[Any, dict[str, Any]]


def headlines_by_indicator(rows: pl.DataFrame) -> Headlines:
    """Each indicator's (first) headline row, looked up for every warned entry of every
    unit's paragraphs instead of a filter per entry."""
    index: Headlines = {}
    for row in rows.iter_rows(named=True):
        index.setdefault(row["indicator_code"], row)
    return index


def problem_paragraphs(d: UnitDraft, headlines: Headlines, year: int) -> list[str]:
    """问题 and 原因 of one unit, as two paragraphs."""
    found: list[str] = []
    causes: list[str] = []
    if d.entries:
        found.append(f"牵头的{len(d.entries)}项指标发出预警，" + _warned_by_kind(d.entries))
        for e in d.entries:
            row = headlines.get(e.indicator_code)
            if e.primary == st.W_AT_RISK and row is not None and _primary_part(e).breakdown == TOTAL:
                causes.append(_pace_cause(e.indicator_name, row))
        regressing = _grouped(d.entries, (st.W_REGRESSING,))
        if regressing:
            causes.append(f"{list_phrase(regressing)}近年变化方向与目标要求相反，需查明是统计"
                          "口径变化还是相关工作有所放松")
        irregular = _grouped(d.entries, (st.W_VOLATILE, st.W_OUTLIER))
        if irregular:
            causes.append(f"{list_phrase(irregular)}个别年份数值明显偏离趋势，可能存在统计口径"
                          "变化或数据质量问题")
        not_held = _grouped(d.entries, (st.W_NOT_HELD,))
        if not_held:
            causes.append(f"{list_phrase(not_held)}个别年份未能保持在目标水平，成果尚不稳固")
    if d.missing:
        found.append(f"{year}年有{len(d.missing)}项指标未报送数据（{list_phrase(d.missing)}）")
        causes.append("未报送的原因（尚无统计来源还是未按时报送）需向该单位核实")
    if d.late:
        late_years = sorted({int(str(i["note"])[:4]) for i in d.late
                             if str(i["note"])[:4].isdigit()})
        when = "、".join(f"{y}年" for y in late_years)
        found.append(f"{when}数据晚于截止日报送（{'；'.join(str(i['note']) for i in d.late)}）")
        if len(late_years) > 1:
            causes.append(f"{len(late_years)}个年度迟报，数据报送尚未形成固定的工作安排")
        else:
            causes.append("数据报送不够及时")
    if d.unmet:
        rated = [f"“{str(r['target_text']).rstrip('。')}”自评{r['rating']}" for r in d.unmet]
        found.append(f"定性目标中{'；'.join(rated)}")
        evidence = [str(r["evidence"]).strip() for r in d.unmet if r.get("evidence")]
        if evidence:
            causes.append("自评依据称：" + "；".join(f"“{x.rstrip('。')}”"
                                                  for x in dict.fromkeys(evidence)))
    if d.said:
        causes.append(d.said)
    paragraphs = ["问题：" + "。".join(found) + "。"]
    if causes:
        paragraphs.append("原因（初步分析）：" + "；".join(causes) + "。")
    return paragraphs


def _note(entry: Entry) -> str:
    """The assessment's sentence on the entry's main warning; for a data oddity (异常值,
    波动较大) only its plain part, without the statistic behind it (in the warnings list)."""
    note = _primary_part(entry).note.rstrip("。")
    if entry.primary == st.W_OUTLIER:
        return note.split("（")[0]
    if entry.primary == st.W_VOLATILE:
        return "近年数值围绕趋势起伏较大"
    return note


def advice_paragraph(d: UnitDraft, headlines: Headlines) -> str:
    """One measure per kind of problem of the unit (module docstring)."""
    measures: list[str] = []
    for e in d.entries:
        row = headlines.get(e.indicator_code)
        if e.primary != st.W_AT_RISK or row is None or _primary_part(e).breakdown != TOTAL:
            continue
        need = required_pace(row)
        target = target_text(row["comparator"], row["target_value"], row["unit"],
                             row["direction"])
        if need is not None:
            words = change_words(need, row["unit"], row_decimals(row))
            measures.append(f"加大{e.indicator_name}相关工作力度，力争每年{words}以上，确保"
                            f"{int(row['target_year'])}年实现“{target}”的目标")
        else:
            measures.append(f"加大{e.indicator_name}相关工作力度，确保实现“{target}”的目标")
    regressing = _grouped(d.entries, (st.W_REGRESSING,))
    if regressing:
        measures.append(f"深入分析{list_phrase(regressing)}逆向变化的原因，采取针对性措施扭转"
                        "变化趋势")
    irregular = _grouped(d.entries, (st.W_VOLATILE, st.W_OUTLIER))
    if irregular:
        measures.append(f"核实{list_phrase(irregular)}的统计口径和历年数据，规范数据采集和审核")
    not_held = _grouped(d.entries, (st.W_NOT_HELD,))
    if not_held:
        measures.append(f"巩固{list_phrase(not_held)}已有成果，确保每年保持在目标水平")
    groups = []
    for e in d.entries:
        labels = dict.fromkeys(label(p.breakdown) for p in e.parts if p.breakdown != TOTAL)
        if labels:
            groups.append(f"{e.indicator_name}（{'、'.join(labels)}）")
    if groups:
        measures.append(f"重点关注{list_phrase(groups)}等分组数据的变化，缩小群体间差距")
    if d.missing or d.late:
        measures.append("明确专人负责监测数据报送，按规定时间完整报送")
    for r in d.unmet:
        measures.append(f"加快推进“{str(r['target_text']).rstrip('。')}”相关工作")
    return "建议：" + "；".join(dict.fromkeys(measures)) + "。"


def _missing_only(drafts: list[UnitDraft]) -> tuple[list[UnitDraft], list[UnitDraft]]:
    """Units whose only problem is figures not sent are listed together, not one heading
    each: the others have findings to analyse."""
    alone = [d for d in drafts if d.missing and not (d.entries or d.late or d.unmet)]
    return [d for d in drafts if d not in alone], alone


def add_problem_sections(problems: Section, advice: Section, data: ReportData, plan: str,
                         area_code: str, rows: pl.DataFrame) -> list[UnitDraft]:
    """Fill 存在问题及原因 and 对策建议 with the drafts (returned, for tests)."""
    year = data.year
    drafts = collect_drafts(data, plan, area_code, rows)
    problems.add(Paragraph(PROBLEMS_NOTE.format(year=year), "todo"))
    advice.add(Paragraph(ADVICE_NOTE, "todo"))
    if not drafts:
        problems.add(Paragraph(f"{year}年没有发出预警的指标，也没有迟报、未报送和自评未完成的"
                               "情况；请结合日常工作概述需要持续关注的问题。"))
        advice.add(Paragraph("继续巩固已达标指标的成果，按时报送监测数据。"))
        return drafts
    own, alone = _missing_only(drafts)
    warned_units = [d for d in drafts if d.entries and d.unit != OFFICE_ONLY]
    n_entries = len({e.indicator_code for d in drafts for e in d.entries})
    problems.add(Paragraph(
        f"{year}年，本规划{n_entries}项指标发出预警，涉及{len(warned_units)}个牵头单位。"
        "以下按牵头单位分述预警、迟报和定性目标自评未完成的情况"
        + ("，仅有数据未报送的单位合并列在最后。" if alone else "。")))
    headlines = headlines_by_indicator(rows)
    for d in own:
        sub = problems.section(d.unit)
        for text in problem_paragraphs(d, headlines, year):
            sub.add(Paragraph(text))
        if d.unit == OFFICE_ONLY:
            sub.add(Paragraph("这些指标或目标的牵头单位在规划中未明确或为妇儿工委办公室本身，"
                              "请办公室明确牵头单位后由其分析原因。"))
        advice.section(d.unit).add(Paragraph(advice_paragraph(d, headlines)))
    if alone:
        names = "；".join(f"{d.unit}（{list_phrase(d.missing)}）" for d in alone)
        problems.section("数据报送").add(Paragraph(
            f"问题：{year}年以下单位有指标未报送数据：{names}。原因（初步分析）：未报送的原因"
            "（尚无统计来源还是未按时报送）需向各单位核实。"))
        advice.section("数据报送").add(Paragraph(
            f"建议：{'、'.join(d.unit for d in alone)}明确监测数据的统计来源和报送责任人，"
            "尚无统计来源的指标由妇儿工委办公室会同统计部门研究替代口径。"))
    return drafts
