"""年度监测报告: one plan of one area, as of one year, in the form of the published
《妇女/儿童发展纲要（规划）》统计监测报告.

The opening states the basis (the plan's monitoring indicators and the member units'
approved figures) and a verdict derived from the assessment (``findings``); then
一、总体情况 (attainment the bureaus' way: "N项指标中M项达标，达标率xx.xx%", with the
targets not met and those not reported named apart, the year's changes, 表1);
二、分领域监测情况, each domain headed by its finding (``findings.domain_heading``), with
prose on its key indicators (``key_indicators``), what the lead units report they did
(``unit_reports``), its table and figures; 三、预警指标; 四、存在问题及原因 and 五、对策建议,
drafted per lead unit and marked 【初稿，请审核修改】 (``drafts``); the issuing office and
date; then the appendices 监测指标完成情况 (``completion``) and 评估方法说明
(``method_note``). Tables and figures are numbered in reading order.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from planwatch.assess import status as st
from planwatch.report.builders.completion import completion, completion_table
from planwatch.report.builders.data_issues import (
    conflict_items,
    conflicts_table,
    late_items,
    late_table,
    plan_units,
)
from planwatch.report.builders.drafts import add_problem_sections
from planwatch.report.builders.findings import (
    Changes,
    domain_heading,
    overall_verdict,
    year_changes,
)
from planwatch.report.builders.gaps import gap_sentence, largest_gap
from planwatch.report.builders.key_indicators import choose_key_indicators, indicator_sentence
from planwatch.report.builders.method_note import add_method_note
from planwatch.report.builders.parts import (
    domain_charts,
    headline,
    indicator_label,
    indicator_table,
    status_table,
)
from planwatch.report.builders.unit_reports import (
    rating_counts,
    said_done,
    self_evaluations,
    unit_report,
    units_of_rows,
)
from planwatch.report.builders.warning_entries import (
    addressees,
    counts_text,
    plan_entries,
    warned,
)
from planwatch.report.builders.warnings import warnings_table
from planwatch.report.data import ReportData, attainment, finite
from planwatch.report.dating import report_date
from planwatch.report.model import Document, Paragraph, Section
from planwatch.report.numbering import TableNumbers
from planwatch.report.sentences import list_phrase, published_attainment


def changes_paragraph(year: int, better: list[str], level: list[str], worse: list[str]) -> str:
    """与上年相比，a项改善，b项持平，c项退步 — only the counts that are not zero, so the
    sentence never says "0项指标出现退步" and then names one; the examples follow."""
    counts = [f"{len(better)}项指标向目标方向改善" if better else "",
              f"{len(level)}项持平" if level else "",
              f"{len(worse)}项出现退步" if worse else ""]
    text = f"与{year - 1}年相比，" + "，".join(c for c in counts if c) + "。"
    for word, items in (("改善的主要有", better), ("退步的有", worse)):
        if items:
            text += f"{word}：" + "；".join(items[:3]) + ("等" if len(items) > 3 else "") + "。"
    return text


def _warnings_part(warn: Section, data: ReportData, plan: str, area_code: str,
                   numbers: TableNumbers) -> None:
    """The plan's warned indicators, one row each (``warning_entries``), counted once by
    their most serious warning so that the sentence's counts add up to the table's rows;
    missing figures are counted apart (they are for the 催报清单, not findings)."""
    entries = plan_entries(data, plan, area_code)
    listed = warned(entries)
    missing = [e for e in entries if e.missing]
    year = data.year
    if listed:
        warn.add(Paragraph(
            f"{year}年共有{len(listed)}项指标发出预警（按最主要的预警计：{counts_text(listed)}），"
            "请牵头单位会同责任单位分析原因、采取措施。分组数据的预警并入所属指标。"))
        warn.add(warnings_table(listed, numbers.table("预警指标清单"), with_leads=True))
    else:
        warn.add(Paragraph(f"{year}年没有指标发出预警。"))
    if missing:
        warn.add(Paragraph(
            f"另有{len(missing)}项指标{year}年数据缺失（不计入预警指标数），已列入预警清单的催报清单："
            + list_phrase([e.indicator_name for e in missing]) + "。"))


def _domain_summary(domain: str, rows: pl.DataFrame, table_caption: str) -> str:
    """本领域纳入监测的N项指标中，可监测M项，…达标率…；预计达标困难的有…（见表n）。"""
    att = attainment(rows)
    if att.monitorable == 0:
        return (f"{domain}领域纳入监测的指标共{att.total}项，均暂无可评估的数据"
                f"（见{table_caption.split()[0]}）。")
    text = (f"{domain}领域纳入监测的指标共{att.total}项，可监测{att.monitorable}项，"
            + published_attainment(att.monitorable, att.met))
    named = []
    for status in (st.BASICALLY_ACHIEVED, st.ON_TRACK, st.AT_RISK, st.REGRESSING):
        names = [indicator_label(r) for r in rows.filter(pl.col("status") == status)
                 .iter_rows(named=True)]
        if names:
            named.append(f"{status}的有{list_phrase(names)}")
    if named:
        text += "；" + "；".join(named)
    return text + f"（见{table_caption.split()[0]}）。"


def _work_done(data: ReportData, plan: str, area_code: str, domain: str,
               key_rows: list[dict[str, Any]], quoted: set[str]) -> str:
    """What the lead units of the key indicators report doing (each unit quoted once per
    report) and how the domain's qualitative targets stand by the units' self-evaluations."""
    parts = []
    for unit in addressees(units_of_rows(data, key_rows)):
        if unit in quoted:
            continue
        report = unit_report(data, area_code, unit)
        if report is None or not report.done:
            continue
        quoted.add(unit)
        parts.append(said_done(report))
    se = self_evaluations(data, area_code, plan, domain)
    if se.height:
        counts = rating_counts(se)
        text = (f"本领域定性目标共有{se.height}项牵头单位自评结果，其中完成{counts['完成']}项、"
                f"基本完成{counts['基本完成']}项、未完成{counts['未完成']}项")
        unmet = [f"{r['lead_unit']}牵头的“{str(r['target_text']).rstrip('。')}”"
                 for r in se.filter(pl.col("rating") == "未完成").iter_rows(named=True)]
        if unmet:
            text += "，未完成的是" + "；".join(unmet)
        parts.append(text)
    if not parts:
        return ""
    return "工作落实情况：" + "；".join(parts) + "。"


def _domain(section: Section, data: ReportData, plan: str, area_code: str, domain: str,
            rows: pl.DataFrame, numbers: TableNumbers, area: str, subject: str,
            quoted: set[str]) -> None:
    caption = numbers.table(f"{domain}领域指标监测情况")
    section.add(Paragraph(_domain_summary(domain, rows, caption)))
    keys = choose_key_indicators(data, rows)
    for k in keys:
        section.add(Paragraph(indicator_sentence(data, k.row, subject)))
    gap = largest_gap(data, rows)
    if gap is not None and gap.indicator not in {str(k.row["indicator_name"]) for k in keys}:
        section.add(Paragraph(gap_sentence(gap, subject)))
    done = _work_done(data, plan, area_code, domain, [k.row for k in keys], quoted)
    if done:
        section.add(Paragraph(done))
    section.add(indicator_table(data, caption, rows))
    for chart in domain_charts(data, rows, area):
        section.add(chart)


def _opening(data: ReportData, plan: str, area: str, domains: list[str], rows: pl.DataFrame,
             changes: Changes, issuer: str) -> str:
    info = data.plan_info(plan)
    number = f"（{info['doc_number']}）" if info.get("doc_number") else ""
    return (
        f"为全面反映《{plan}》{number}（以下简称《规划》）的实施进展，{issuer}根据《规划》监测"
        f"指标体系和{area}妇儿工委各成员单位报送并经审核的{data.year}年数据资料，从"
        f"{'、'.join(domains)}等{len(domains)}个领域对《规划》{data.year}年的实施情况进行了"
        f"综合分析。结果显示：《规划》{overall_verdict(rows, changes)}。"
    )


def _domain_findings(data: ReportData, rows: pl.DataFrame, domains: list[str]) -> str:
    """分领域看，… — the domain headings' findings in one sentence."""
    from planwatch.report.builders.findings import heading_finding

    parts = []
    for d in domains:
        drows = rows.filter(pl.col("domain") == d)
        parts.append(f"{d}领域{heading_finding(drows, year_changes(data, drows), _has_figures(drows))}")
    return "分领域看，" + "；".join(parts) + "。"


def _has_figures(rows: pl.DataFrame) -> bool:
    return any(finite(v) is not None for v in rows.get_column("latest_value").to_list())


def build_annual(data: ReportData, plan: str, area_code: str) -> Document:
    """The annual monitoring report of ``plan`` in ``area_code`` as of ``data.year``."""
    data = data.for_area(area_code)
    year = data.year
    area = data.area_name(area_code)
    rows = headline(data, pl.col("plan") == plan, pl.col("area_code") == area_code)
    if rows.is_empty():
        raise ValueError(f"没有{area}《{plan}》的评估结果 no assessment rows for this plan/area")
    info = data.plan_info(plan)
    subject = str(info.get("subject") or "women")
    issuer = data.issuer or f"{area}妇女儿童工作委员会办公室"
    when = report_date(data)
    doc = Document(
        kind="annual",
        title=f"{plan}{year}年度监测报告",
        subtitle=f"（{area}，{year}年度）",
        issuer=issuer,
        sample_label=data.sample_label,
        date=when,
    )
    numbers = TableNumbers()
    domains = rows.get_column("domain").unique(maintain_order=True).to_list()
    changes = year_changes(data, rows)
    doc.blocks.append(Paragraph(_opening(data, plan, area, domains, rows, changes, issuer)))
    doc.blocks.append(Paragraph(_domain_findings(data, rows, domains)))

    overall = doc.section("总体情况")
    done = completion(data, rows)
    overall.add(Paragraph(done.sentence("全规划")))
    for text in done.lists("附录一“监测指标完成情况”"):
        overall.add(Paragraph(text))
    if changes.compared:
        overall.add(Paragraph(changes_paragraph(year, changes.better, changes.level,
                                                changes.worse)))
    else:
        overall.add(Paragraph(f"缺少{year - 1}年和{year}年的可比数据，暂无法比较年度变化。"))
    overall.add(status_table(
        numbers.table("各领域指标监测状态"),
        [(d, rows.filter(pl.col("domain") == d)) for d in domains],
    ))

    by_domain = doc.section("分领域监测情况")
    quoted: set[str] = set()
    for domain in domains:
        drows = rows.filter(pl.col("domain") == domain)
        title = domain_heading(domain, drows, year_changes(data, drows), _has_figures(drows))
        _domain(by_domain.section(title), data, plan, area_code, domain, drows, numbers, area,
                subject, quoted)

    warn = doc.section("预警指标")
    _warnings_part(warn, data, plan, area_code, numbers)
    late = late_items(data, [area_code], plan_units(data, rows, area_code))
    if late:
        warn.add(Paragraph(
            f"{st.W_LATE}：{'、'.join(i['lead_unit'] for i in late)}的{year}年数据晚于截止日报送。"))
        warn.add(late_table(data, late, numbers.table(f"{year}年数据迟报单位")))
    indicators = set(rows.get_column("indicator_code").to_list())
    conflicts = conflict_items(data, [area_code], indicators)
    if conflicts:
        warn.add(Paragraph(
            f"数据冲突：{len(conflicts)}项数据由不同单位报送的数值不一致，未纳入评估，"
            "请统计人员核实。"))
        warn.add(conflicts_table(data, conflicts, numbers.table("数据冲突清单")))

    problems = doc.section("存在问题及原因")
    advice = doc.section("对策建议")
    add_problem_sections(problems, advice, data, plan, area_code, rows)
    if conflicts:
        sub = problems.section("数据质量")
        names = list_phrase([f"{c['indicator']}（{c['year']}年）" for c in conflicts])
        sub.add(Paragraph(
            f"问题：{names}由不同单位报送的数值不一致（数据冲突），未纳入评估，相关年份按缺失处理。"))
        advice.section("数据质量").add(Paragraph(
            "建议：由统计人员会同报送单位核实冲突数据，统一口径后重新报送并重新评估。"))
    last = advice.sections[-1] if advice.sections else advice
    last.add(Paragraph(issuer, "sign"))
    last.add(Paragraph(f"{when.year}年{when.month}月{when.day}日", "sign"))

    plan_base = info.get("period_start")
    appendix = doc.section("附录一 监测指标完成情况", numbered=False, new_page=True)
    appendix.add(completion_table(data, rows, numbers.table("监测指标完成情况"),
                                  int(plan_base) - 1 if plan_base else None))
    method = doc.section("附录二 评估方法说明", numbered=False)
    add_method_note(method, data, numbers.table("评估状态的含义"), issuer)
    return doc
