"""统计资料 (statistics compendium): every indicator's figures by year, one sheet per domain.

Rows are indicator × breakdown (合计 first, then 女/男, age groups, 城镇/农村 as reported),
columns the years from the baseline, the target and who supplies the figure.
"""

from __future__ import annotations

import polars as pl

from planwatch.report.data import ReportData, split_units
from planwatch.report.dating import report_date
from planwatch.report.model import CellValue, Column, Document, Paragraph, Table
from planwatch.report.sentences import target_text
from planwatch.vocabulary import TOTAL
from planwatch.vocabulary import breakdown_label as label


def _source(data: ReportData, code: str, area: str, lead: str | None) -> str:
    rep = data.reporters
    if rep.height:
        units = rep.filter((pl.col("indicator_code") == code) & (pl.col("area_code") == area))
        if units.height:
            return "、".join(units.get_column("unit").to_list())
    return "、".join(split_units(lead)) or "—"


def build_compendium(data: ReportData, area_code: str, first_year: int | None = None) -> Document:
    data = data.for_area(area_code)
    area = data.area_name(area_code)
    rows = data.result.filter(pl.col("area_code") == area_code)
    if rows.is_empty():
        raise ValueError(f"没有{area}的评估结果 no assessment rows for this area")
    baseline = rows.get_column("baseline_year").min()
    start = first_year or (int(baseline) if isinstance(baseline, int) else data.year)
    years = list(range(start, data.year + 1))
    doc = Document(
        kind="compendium",
        title=f"{area}妇女儿童统计资料（{data.year}）",
        subtitle=f"{years[0]}—{years[-1]}年",
        issuer=data.issuer or f"{area}统计局",
        sample_label=data.sample_label,
        date=report_date(data),
    )
    seen: set[tuple[str, str]] = set()
    # One entry per indicator in a domain (several targets may name the same indicator).
    targets = rows.unique(["plan", "domain", "indicator_code"], keep="first", maintain_order=True)
    for (plan, domain), group in targets.group_by(["plan", "domain"], maintain_order=True):
        section = doc.section(str(domain))
        body: list[list[CellValue]] = []
        for r in group.iter_rows(named=True):
            code = str(r["indicator_code"])
            if (code, str(domain)) in seen:
                continue
            seen.add((code, str(domain)))
            source = _source(data, code, area_code, r["lead_unit"])
            target = target_text(r["comparator"], r["target_value"], r["unit"], r["direction"])
            keys = data.breakdowns(code, area_code) or [TOTAL]
            for key in keys:
                series = data.series(code, area_code, key)
                body.append([
                    str(r["indicator_name"]),
                    label(key),
                    str(r["unit"] or ""),
                    *[series.get(y) for y in years],
                    target if key == TOTAL else "",
                    source,
                ])
        columns = [Column("指标", width=24), Column("分组", width=8), Column("单位", width=6)]
        columns += [Column(f"{y}年", "number", 2, width=9) for y in years]
        columns += [Column("规划目标", width=12), Column("数据来源", width=18)]
        section.add(Table(f"{domain}（{plan}）", columns, body,
                          notes=["注：“—”表示该年度无数据或未分组报送；数值为经审核的报送数据。"]))
    doc.blocks.append(Paragraph(
        f"本资料汇编{area}{years[0]}—{years[-1]}年妇女儿童发展规划监测指标数据，"
        "按发展领域分表，分性别、年龄、城乡的数据列于各指标合计之后。"))
    return doc
