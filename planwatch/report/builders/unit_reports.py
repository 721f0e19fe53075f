"""What the units said: their yearly written reports and their self-evaluations.

Each member unit sends a 规划落实情况和下一年工作安排 each year. The annual report quotes
what a unit says it did (its 落实情况 part) and what problems it names (its 存在问题 part),
in quotation marks and attributed, never rewritten: the report cannot vouch for the
words, only show whose they are. The parts are found by their headings (一、… /（一）…):
a heading with 落实/开展/做法/成效/工作情况 opens what was done, one with 问题/不足/困难 the
problems, one with 安排/计划/打算/下一步 the plans. A document without such headings is
quoted from its first sentence as what was done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from planwatch.report.data import ReportData, split_units

HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、．.]|（[一二三四五六七八九十]+）)\s*(.+?)\s*$")
LABEL_LINE = re.compile(r"^\s*【[^】]*】\s*$")
PART_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("problems", ("问题", "不足", "困难")),
    ("plans", ("安排", "计划", "打算", "下一步")),
    ("done", ("落实", "开展", "做法", "成效", "工作情况", "进展")),
)
QUOTE_CHARS = 120
"""A quotation is the part's first sentence, cut at this length: enough to say what the
unit did, short enough that the report stays the office's text, not the unit's."""


@dataclass(frozen=True)
class UnitReport:
    unit: str
    year: int
    title: str
    done: str
    problems: str
    plans: str


def _first_sentence(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    if not text:
        return ""
    end = text.find("。")
    sentence = text if end < 0 else text[:end + 1]
    if len(sentence) > QUOTE_CHARS:
        sentence = sentence[:QUOTE_CHARS].rstrip("，、；") + "……"
    return sentence


def split_parts(text: str) -> dict[str, str]:
    """done / problems / plans → the text under the heading of that kind (see module)."""
    parts: dict[str, list[str]] = {}
    current: str | None = None
    loose: list[str] = []
    for line in text.splitlines():
        if not line.strip() or LABEL_LINE.match(line):
            continue
        m = HEADING.match(line)
        if m:
            current = next((kind for kind, words in PART_WORDS
                            if any(w in m.group(1) for w in words)), "other")
            parts.setdefault(current, [])
            continue
        if current is None:
            loose.append(line)
        else:
            parts[current].append(line)
    found = {k: "".join(v) for k, v in parts.items() if k != "other"}
    if "done" not in found and loose:
        body = [ln for ln in loose[1:]] if len(loose) > 1 else loose  # first line: the title
        found["done"] = "".join(body)
    return found


def _title(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and not LABEL_LINE.match(line) and not HEADING.match(line):
            return line.strip()
    return ""


def unit_report(data: ReportData, area_code: str, unit: str) -> UnitReport | None:
    """The unit's report of the report year (the latest if it sent several), or None."""
    docs = data.documents
    if docs.is_empty():
        return None
    rows = docs.filter((pl.col("area_code") == area_code) & (pl.col("unit") == unit)
                       & (pl.col("year") == data.year))
    if rows.is_empty():
        return None
    row: dict[str, Any] = rows.row(0, named=True)
    parts = split_parts(str(row["text"] or ""))
    return UnitReport(unit, int(row["year"]), _title(str(row["text"] or "")),
                      _first_sentence(parts.get("done", "")),
                      _first_sentence(parts.get("problems", "")),
                      _first_sentence(parts.get("plans", "")))


def document_name(report: UnitReport) -> str:
    """《2024年规划落实情况和2025年工作安排》 — the unit's own title without its name."""
    title = report.title.removeprefix(report.unit) if report.title else ""
    return f"《{title}》" if title else f"{report.year}年度落实情况报告"


def said_done(report: UnitReport) -> str:
    """区卫生健康局在《…》中报告：“…” — the quotation without its closing 。, since it
    stands inside the report's own sentence."""
    return f"{report.unit}在{document_name(report)}中报告：“{report.done.rstrip('。')}”"


def said_problems(report: UnitReport) -> str:
    return f"{report.unit}在{document_name(report)}中反映：“{report.problems.rstrip('。')}”"


def self_evaluations(data: ReportData, area_code: str, plan: str,
                     domain: str | None = None) -> pl.DataFrame:
    """Each lead unit's latest rating of each qualitative target up to the report year."""
    se = data.self_evaluations
    if se.is_empty():
        return se
    se = data.evaluations_of(area_code, plan)
    if domain is not None:
        se = se.filter(pl.col("domain") == domain)
    if se.is_empty():
        return se
    return (se.with_columns(_pos=pl.int_range(pl.len()))
            .sort(["year", "_pos"], descending=[True, False])
            .unique(["target_text", "lead_unit"], keep="first", maintain_order=True)
            .sort("_pos").drop("_pos"))


def rating_counts(se: pl.DataFrame) -> dict[str, int]:
    return {r: se.filter(pl.col("rating") == r).height for r in ("完成", "基本完成", "未完成")}


def units_of_rows(data: ReportData, rows: list[dict[str, Any]]) -> list[str]:
    """Lead units of ``rows`` in their order, each once."""
    units: list[str] = []
    for r in rows:
        found = data.units_of(r.get("target_id"), "lead") or split_units(r.get("lead_unit"))
        units += [u for u in found if u not in units]
    return units
