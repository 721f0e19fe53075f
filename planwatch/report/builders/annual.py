"""年度监测报告: one plan of one area, as of one year.

Structure as the monitoring groups write it: 一、总体情况; 二、分领域监测情况 (per domain a
paragraph from the figures, a table, charts); 三、预警指标; 四、存在问题和对策建议 (a
starting point marked for the statistician); then the method note.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from planwatch.assess import status as st
from planwatch.report.builders.data_issues import (
    conflict_items,
    conflicts_table,
    late_items,
    late_table,
    plan_units,
)
from planwatch.report.builders.gaps import gap_sentence, largest_gap
from planwatch.report.builders.parts import (
    domain_charts,
    headline,
    indicator_label,
    indicator_table,
    method_section,
    status_table,
)
from planwatch.report.builders.warning_entries import collect_entries, counts_text, warned
from planwatch.report.builders.warnings import warnings_table
from planwatch.report.data import ReportData, attainment, better_of, split_units
from planwatch.report.formatting import row_decimals
from planwatch.report.model import Document, Paragraph, Section
from planwatch.report.sentences import (
    TODO,
    attainment_sentence,
    change_sign,
    list_phrase,
    value_change_phrase,
)


def _main_changes(data: ReportData, rows: pl.DataFrame
                  ) -> tuple[list[str], list[str], list[str]]:
    """Indicators that moved towards, stayed level with, or moved away from their targets
    since last year, judged on the figures as printed (``change_sign``)."""
    year = data.year
    better: list[str] = []
    level: list[str] = []
    worse: list[str] = []
    for r in rows.iter_rows(named=True):
        series = data.series(str(r["indicator_code"]), str(r["area_code"]), str(r["breakdown"]))
        before, now = series.get(year - 1), series.get(year)
        if before is None or now is None:
            continue
        sense = better_of(r["comparator"], r["direction"])
        if sense == "hold":
            continue
        decimals = row_decimals(r)
        sign = change_sign(before, now, decimals)
        phrase = value_change_phrase(indicator_label(r), before, now, r["unit"], year - 1, year,
                                     decimals)
        if sign == 0:
            level.append(phrase)
        else:
            (better if (sign > 0) == (sense == "higher") else worse).append(phrase)
    return better, level, worse


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


def _domain_paragraph(data: ReportData, domain: str, rows: pl.DataFrame, table_no: int) -> str:
    """Counts, then the indicators behind each shortfall by name; reasons are in the table."""
    att = attainment(rows)
    parts = [attainment_sentence(f"{domain}领域", att, data.year)]
    named = []
    for status in (st.AT_RISK, st.REGRESSING, st.INSUFFICIENT):
        names = [indicator_label(r) for r in rows.filter(pl.col("status") == status)
                 .iter_rows(named=True)]
        if names:
            named.append(f"{status}的有{list_phrase(names)}")
    if named:
        parts.append("；".join(named) + f"（评估说明见表{table_no}）。")
    gap = largest_gap(data, rows)
    if gap is not None:
        plan = str(rows.get_column("plan")[0])
        parts.append(gap_sentence(gap, str(data.plan_info(plan).get("subject") or "women")))
    return "".join(parts)


def _problems(section: Section, rows: pl.DataFrame, conflicts: list[dict[str, Any]]) -> None:
    section.add(Paragraph(
        f"{TODO}以下按预警情况列出需要分析的问题，请统计人员结合各牵头单位的情况说明补充原因分析和"
        "对策建议，定稿前删除本提示。", "todo"))
    flagged = rows.filter(pl.col("warnings").list.len() > 0)
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for r in flagged.iter_rows(named=True):
        by_domain.setdefault(str(r["domain"]), []).append(r)
    if not by_domain:
        section.add(Paragraph(f"{TODO}本年度无预警指标；请概述需要持续关注的工作。", "todo"))
    for domain, items in by_domain.items():
        names = list_phrase([indicator_label(r) for r in items])
        leads = sorted({u for r in items for u in split_units(r["lead_unit"])})
        kinds = sorted({w for r in items for w in r["warnings"]})
        sub = section.section(f"{domain}领域")
        sub.add(Paragraph(
            f"问题：{names}出现预警（{'、'.join(kinds)}），牵头单位为{'、'.join(leads) or '未指定'}。"))
        sub.add(Paragraph(f"{TODO}原因分析：", "todo"))
        sub.add(Paragraph(f"{TODO}对策建议：", "todo"))
    if conflicts:
        sub = section.section("数据质量")
        names = list_phrase([f"{c['indicator']}（{c['year']}年）" for c in conflicts])
        sub.add(Paragraph(
            f"问题：{names}由不同单位报送的数值不一致（数据冲突），未纳入评估，相关年份按缺失处理。"))
        sub.add(Paragraph(f"{TODO}请统计人员会同报送单位核实数据冲突并修正后重新评估：", "todo"))


def _warnings_part(warn: Section, data: ReportData, plan: str, area_code: str,
                   table_no: int) -> int:
    """The plan's warned indicators, one row each (``warning_entries``), counted once by
    their most serious warning so that the sentence's counts add up to the table's rows;
    missing figures are counted apart (they are for the 催报清单, not findings)."""
    entries = collect_entries(
        data, data.result.filter((pl.col("plan") == plan) & (pl.col("area_code") == area_code)))
    listed = warned(entries)
    missing = [e for e in entries if e.missing]
    year = data.year
    if listed:
        warn.add(Paragraph(
            f"{year}年共有{len(listed)}项指标发出预警（按最主要的预警计：{counts_text(listed)}），"
            "请牵头单位会同责任单位分析原因、采取措施。分组数据的预警并入所属指标。"))
        warn.add(warnings_table(listed, f"表{table_no} 预警指标清单", with_leads=True))
        table_no += 1
    else:
        warn.add(Paragraph(f"{year}年没有指标发出预警。"))
    if missing:
        warn.add(Paragraph(
            f"另有{len(missing)}项指标{year}年数据缺失（不计入预警指标数），已列入预警清单的催报清单："
            + list_phrase([e.indicator_name for e in missing]) + "。"))
    return table_no


def build_annual(data: ReportData, plan: str, area_code: str) -> Document:
    """The annual monitoring report of ``plan`` in ``area_code`` as of ``data.year``."""
    year = data.year
    area = data.area_name(area_code)
    rows = headline(data, pl.col("plan") == plan, pl.col("area_code") == area_code)
    if rows.is_empty():
        raise ValueError(f"没有{area}《{plan}》的评估结果 no assessment rows for this plan/area")
    info = data.plan_info(plan)
    doc = Document(
        kind="annual",
        title=f"{plan}{year}年度监测报告",
        subtitle=f"（{area}，{year}年度）",
        issuer=data.issuer or (f"{area}妇女儿童工作委员会办公室"),
        sample_label=data.sample_label,
    )
    domains = rows.get_column("domain").unique(maintain_order=True).to_list()

    overall = doc.section("总体情况")
    intro = f"《{plan}》"
    if info.get("doc_number"):
        intro += f"（{info['doc_number']}）"
    intro += f"确定了{len(domains)}个发展领域的目标。"
    overall.add(Paragraph(intro + attainment_sentence("全规划", attainment(rows), year)))
    better, level, worse = _main_changes(data, rows)
    if better or level or worse:
        overall.add(Paragraph(changes_paragraph(year, better, level, worse)))
    else:
        overall.add(Paragraph(f"缺少{year - 1}年和{year}年的可比数据，暂无法比较年度变化。"))
    overall.add(status_table(
        "表1 各领域指标监测状态",
        [(d, rows.filter(pl.col("domain") == d)) for d in domains],
    ))

    by_domain = doc.section("分领域监测情况")
    table_no = 2
    for domain in domains:
        drows = rows.filter(pl.col("domain") == domain)
        sub = by_domain.section(domain)
        sub.add(Paragraph(_domain_paragraph(data, domain, drows, table_no)))
        sub.add(indicator_table(data, f"表{table_no} {domain}领域指标监测情况", drows))
        table_no += 1
        for chart in domain_charts(data, drows, area):
            sub.add(chart)

    warn = doc.section("预警指标")
    table_no = _warnings_part(warn, data, plan, area_code, table_no)
    late = late_items(data, [area_code], plan_units(data, rows, area_code))
    if late:
        warn.add(Paragraph(
            f"{st.W_LATE}：{'、'.join(i['lead_unit'] for i in late)}的{year}年数据晚于截止日报送。"))
        warn.add(late_table(data, late, f"表{table_no} {year}年数据迟报单位"))
        table_no += 1
    indicators = set(rows.get_column("indicator_code").to_list())
    conflicts = conflict_items(data, [area_code], indicators)
    if conflicts:
        warn.add(Paragraph(
            f"数据冲突：{len(conflicts)}项数据由不同单位报送的数值不一致，未纳入评估，"
            "请统计人员核实。"))
        warn.add(conflicts_table(data, conflicts, f"表{table_no} 数据冲突清单"))

    _problems(doc.section("存在问题和对策建议"), rows, conflicts)
    method_section(doc.section("评估方法说明"), data)
    return doc
