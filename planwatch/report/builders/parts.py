"""Tables and sections that several report kinds share (status counts, indicator tables,
warning lists, the method note), so that the annual report and the evaluations show the
same figure in the same way."""

from __future__ import annotations

from typing import Any

import polars as pl

from planwatch.assess import status as st
from planwatch.report.data import ReportData, attainment, finite, headline_rows, note_column
from planwatch.report.formatting import printed_change, row_decimals, with_unit
from planwatch.report.model import CellValue, Chart, Column, Paragraph, Section, Series, Table
from planwatch.report.sentences import target_text
from planwatch.vocabulary import TOTAL
from planwatch.vocabulary import breakdown_label as label

MAX_CHARTS_PER_DOMAIN = 3
"""Charts go to the indicators that need attention; the table lists them all. More charts
per domain make the document long without telling the reader more."""


def indicator_label(row: dict[str, Any]) -> str:
    name = str(row["indicator_name"])
    if row["breakdown"] != TOTAL:
        name = f"{name}（{label(str(row['breakdown']))}）"
    return name


def status_table(caption: str, groups: list[tuple[str, pl.DataFrame]],
                 first_header: str = "领域") -> Table:
    """Counts of each status and the attainment rate per group, with a total row."""
    columns = [Column(first_header, width=16), Column("指标数", "integer")]
    columns += [Column(s, "integer") for s in st.STATUSES]
    columns.append(Column("达标率", "percent", 2))
    rows: list[list[CellValue]] = []
    frames = []
    for name, frame in groups:
        att = attainment(frame)
        frames.append(frame)
        rows.append([name, att.total, *att.counts.values(), att.rate])
    if len(groups) > 1:
        att = attainment(pl.concat(frames, how="diagonal_relaxed"))
        rows.append(["合计", att.total, *att.counts.values(), att.rate])
    return Table(caption, columns, rows,
                 notes=["注：达标率=已实现指标数÷可监测指标数；可监测指标指除“数据不足”以外的"
                        "全部指标（含方向性目标）。"])


def value_cell(data: ReportData, row: dict[str, Any], year: int) -> CellValue:
    """The value of ``year``; an older latest value is shown with its year, never as this year's."""
    series = data.series(str(row["indicator_code"]), str(row["area_code"]), str(row["breakdown"]))
    if year in series:
        return series[year]
    latest = finite(row.get("latest_value"))
    if latest is not None and row.get("latest_year") is not None:
        return f"{with_unit(latest, None, 2)}（{row['latest_year']}年）"
    return None


def indicator_table(data: ReportData, caption: str, rows: pl.DataFrame) -> Table:
    year = data.year
    columns = [
        Column("指标", width=20),
        Column("单位", width=6),
        Column(f"{year - 1}年", "number", 2, width=10),
        Column(f"{year}年", "number", 2, width=11),
        Column("比上年增减", "number", 2, width=10),
        Column("目标值", width=12),
        Column("状态", width=9),
        Column("评估说明", width=30, below=True),
    ]
    body: list[list[CellValue]] = []
    for r in rows.iter_rows(named=True):
        series = data.series(str(r["indicator_code"]), str(r["area_code"]), str(r["breakdown"]))
        before, now = series.get(year - 1), series.get(year)
        delta = (printed_change(before, now, row_decimals(r))
                 if before is not None and now is not None else None)
        body.append([
            indicator_label(r),
            r["unit"] or "",
            before,
            value_cell(data, r, year),
            delta,
            target_text(r["comparator"], r["target_value"], r["unit"], r["direction"]),
            r["status"],
            r["reason"] or "",
        ])
    return Table(caption, columns, body)


def indicator_chart(data: ReportData, row: dict[str, Any], area_label: str) -> Chart | None:
    """The indicator's series from the baseline year, sex breakdowns alongside, target line."""
    code, area = str(row["indicator_code"]), str(row["area_code"])
    start = int(row["baseline_year"] or data.year - 4)
    years = list(range(min(start, data.year), data.year + 1))
    keys = [str(row["breakdown"])]
    if row["breakdown"] == TOTAL:
        keys += [b for b in data.breakdowns(code, area) if b.startswith("sex=")][:2]
    series = []
    for key in keys:
        values = data.series(code, area, key)
        if len([y for y in years if y in values]) >= 1:
            name = area_label if key == TOTAL else f"{area_label}（{label(key)}）"
            series.append(Series(name, [values.get(y) for y in years]))
    main = data.series(code, area, str(row["breakdown"]))
    if len([y for y in years if y in main]) < 2:
        return None
    target = finite(row["target_value"]) if row["kind"] == "quantitative" else None
    unit = str(row["unit"] or "")
    return Chart(
        title=f"{indicator_label(row)}（{years[0]}—{years[-1]}年）",
        years=years,
        series=series,
        unit=unit,
        target=target,
        target_label=(
            f"{row['target_year']}年目标 "
            + target_text(row["comparator"], row["target_value"], unit, row["direction"])
            if target is not None else ""
        ),
        pending_years=[y for y in data.pending_years(code, area) if y in years],
    )


def attention_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows a reader should look at first: not yet met, or carrying a warning."""
    return rows.filter(
        ~pl.col("status").is_in([st.ACHIEVED, st.BASICALLY_ACHIEVED])
        | (pl.col("warnings").list.len() > 0)
    )


def domain_charts(data: ReportData, rows: pl.DataFrame, area_label: str) -> list[Chart]:
    charts: list[Chart] = []
    for r in attention_rows(rows).iter_rows(named=True):
        if len(charts) >= MAX_CHARTS_PER_DOMAIN:
            break
        chart = indicator_chart(data, r, area_label)
        if chart is not None:
            charts.append(chart)
    return charts


def warning_items(rows: pl.DataFrame) -> list[dict[str, Any]]:
    """One item per (row, warning) with its note, in the assessment's order."""
    return [item for r in rows.iter_rows(named=True) for item in row_warning_items(r)]


def row_warning_items(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The warning items of one assessment row."""
    return [
        {**row, "warning": w, "note": row.get(note_column(w)) or row["reason"]}
        for w in row["warnings"] or []
    ]


def method_section(parent: Section, data: ReportData) -> None:
    """How the verdicts were reached: the method, each status's definition, where the
    method departs from its source, and every threshold with its reason."""
    section = parent
    result = data.result
    methods = [m for m in result.get_column("projection_method").unique().to_list() if m] \
        if "projection_method" in result.columns else []
    used = sorted(set(result.get_column("method").drop_nulls().to_list())) \
        if "method" in result.columns else []
    text = (
        "本报告的评估结论由 planwatch 根据各成员单位报送并经审核的数据计算得出。"
        f"趋势外推方法：{'；'.join(methods) if methods else '无（无可外推的指标）'}。"
        "各状态的定义见下表，所用阈值及其依据见其后一表。"
    )
    section.add(Paragraph(text, "note"))
    definitions = st.status_definitions(data.config)
    section.add(Table("评估状态定义", [Column("状态", width=10), Column("定义", width=80)],
                      [[name, definitions[name]] for name in st.STATUSES]))
    for method in used:
        for note in st.METHOD_NOTES.get(method, ()):
            section.add(Paragraph(note, "note"))
    rows: list[list[CellValue]] = [
        [name, value if isinstance(value, int | float) else str(value), why]
        for name, value, why in data.config.describe_zh()
    ]
    section.add(Table("评估阈值及依据",
                      [Column("参数", width=18), Column("取值", "number", 3),
                       Column("依据", width=60)], rows))


def headline(data: ReportData, *filters: pl.Expr) -> pl.DataFrame:
    rows = data.result
    for f in filters:
        rows = rows.filter(f)
    return headline_rows(rows)
