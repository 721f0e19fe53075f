"""The two to four indicators a domain's prose is about, and the sentence on each.

The published reports do not walk through every indicator: per domain they write about a
few, with the change against last year and against the base year, and the gaps between
women and men, town and country. Which few is decided here by a fixed rule, so that two
reports of the same figures pick the same indicators and a reader can check the choice:

1. warnings first: targets carrying 逆向变化, 预计达标困难, 未能保持, 异常值 or 波动较大,
   the most serious first (the warnings list's order), at most ``MAX_WARNED``;
2. then the largest change since last year, relative to last year's figure (both as
   printed), at most ``MAX_CHANGED``, changes that print as zero not counted;
3. then the plan's headline indicator: the domain's first target, in the plan's order,
   with a figure this year (the plans list the defining indicator of a domain first:
   孕产妇死亡率 in 妇女与健康, 婴儿死亡率 in 儿童与健康);
4. if fewer than ``MIN_KEY`` are chosen, more of the largest changes, then more targets
   in the plan's order, as long as they have a figure this year; never more than ``MAX_KEY``.

Only targets with a figure for the report year are written about (one without is listed
as 未填报 elsewhere); a target that has only older figures may still be chosen as a
warning, and its sentence says which year its figure is from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from planwatch.assess import status as st
from planwatch.assess.precision import printed
from planwatch.collect.breakdowns import RESIDENCE, SEX, TOTAL, key
from planwatch.report.builders.gaps import CATEGORY_WORDS
from planwatch.report.builders.parts import indicator_label
from planwatch.report.builders.warning_entries import PRIMARY_ORDER
from planwatch.report.data import ReportData, better_of, finite
from planwatch.report.formatting import difference, printed_change, row_decimals, with_unit
from planwatch.report.sentences import compared_with, target_text

MAX_WARNED = 2
MAX_CHANGED = 1
MIN_KEY = 2
MAX_KEY = 4

WARNED = "预警"
CHANGED = "变化较大"
HEADLINE = "核心指标"


@dataclass(frozen=True)
class KeyIndicator:
    row: dict[str, Any]
    why: str
    """预警 / 变化较大 / 核心指标: which step of the rule chose it."""


def _values(data: ReportData, row: dict[str, Any]) -> dict[int, float]:
    return data.series(str(row["indicator_code"]), str(row["area_code"]), str(row["breakdown"]))


def _severity(row: dict[str, Any]) -> int | None:
    ranks = [PRIMARY_ORDER.index(w) for w in row.get("warnings") or [] if w in PRIMARY_ORDER]
    return min(ranks) if ranks else None


def relative_change(data: ReportData, row: dict[str, Any]) -> float | None:
    """|change since last year| ÷ |last year|, both as printed; None without both years."""
    series = _values(data, row)
    before, now = series.get(data.year - 1), series.get(data.year)
    if before is None or now is None:
        return None
    decimals = row_decimals(row)
    delta = printed_change(before, now, decimals)
    base = abs(printed(before, decimals))
    if delta == 0:
        return 0.0
    return abs(delta) / base if base else float("inf")


def choose_key_indicators(data: ReportData, rows: pl.DataFrame) -> list[KeyIndicator]:
    """The domain's key indicators by the rule in the module docstring, in that order."""
    all_rows = list(rows.iter_rows(named=True))
    has_now = [data.year in _values(data, r) for r in all_rows]
    chosen: list[KeyIndicator] = []
    taken: set[int] = set()

    def take(i: int, why: str) -> None:
        taken.add(i)
        chosen.append(KeyIndicator(all_rows[i], why))

    warned = [(sev, i) for i, r in enumerate(all_rows)
              if (sev := _severity(r)) is not None and finite(r.get("latest_value")) is not None]
    for _, i in sorted(warned)[:MAX_WARNED]:
        take(i, WARNED)
    changes = sorted(
        ((-c, i) for i, r in enumerate(all_rows)
         if (c := relative_change(data, r)) is not None and c > 0),
    )
    by_change = [i for _, i in changes]
    for i in [i for i in by_change if i not in taken][:MAX_CHANGED]:
        take(i, CHANGED)
    headline = next((i for i, ok in enumerate(has_now) if ok and i not in taken), None)
    if headline is not None and len(chosen) < MAX_KEY:
        take(headline, HEADLINE)
    for pool, why in ((by_change, CHANGED), (range(len(all_rows)), HEADLINE)):
        for i in pool:
            if len(chosen) >= MIN_KEY:
                break
            if i not in taken and has_now[i]:
                take(i, why)
    return chosen[:MAX_KEY]


def _target_clause(row: dict[str, Any]) -> str:
    """How the figure stands against the target, in the assessment's verdict."""
    target = target_text(row["comparator"], row["target_value"], row["unit"], row["direction"])
    status = str(row["status"])
    reason = str(row.get("reason") or "")
    if status == st.ACHIEVED:
        if row["kind"] == "quantitative":
            return f"已实现“{target}”的目标"
        return f"符合“{target}”的要求"
    if status == st.BASICALLY_ACHIEVED:
        return f"基本实现“{target}”的目标（{reason}）"
    if status == st.ON_TRACK:
        return f"预计可按期实现“{target}”的目标（{reason}）"
    if status == st.AT_RISK:
        return f"按期实现“{target}”的目标有困难（{reason}）"
    if status == st.REGRESSING:
        return f"出现逆向变化（{reason}）"
    return f"尚不能判断能否实现“{target}”的目标（{reason}）"


def _favourable(row: dict[str, Any], comparisons: list[str]) -> bool:
    """Whether a comparison just written moved towards the target, so that a verdict of
    逆向变化 (a trend over all years) needs a 但 to read right beside it."""
    sense = better_of(row["comparator"], row["direction"])
    good = "提高" if sense == "higher" else "下降" if sense == "lower" else None
    if good is None:
        return False
    return any(good in c or (("增加" if good == "提高" else "减少") in c) for c in comparisons)


def breakdown_clause(data: ReportData, row: dict[str, Any], subject: str) -> str:
    """分性别看，女性为…、男性为…；分城乡看，城镇为…、农村为…，农村高于城镇… —
    this year's sex and 城乡 figures where the indicator has them, each rounded as printed
    and the gap taken between the printed figures."""
    if row["breakdown"] != TOTAL:
        return ""
    words = CATEGORY_WORDS.get(subject, CATEGORY_WORDS["women"])
    decimals = row_decimals(row)
    unit = row["unit"]
    clauses = []
    code, area = str(row["indicator_code"]), str(row["area_code"])
    for dimension, pair, name in (("sex", SEX, "性别"), ("residence", RESIDENCE, "城乡")):
        values = [data.series(code, area, key(dimension, c)).get(data.year) for c in pair]
        a, b = values
        if a is None or b is None:
            continue
        first, second = (words[c] for c in pair)
        text = (f"分{name}看，{first}为{with_unit(a, unit, decimals)}、"
                f"{second}为{with_unit(b, unit, decimals)}")
        gap = printed_change(b, a, decimals)
        if gap == 0:
            text += "，两者持平"
        else:
            high, low = (first, second) if gap > 0 else (second, first)
            text += f"，{high}高于{low}{difference(gap, unit, decimals)}"
        clauses.append(text)
    return "；".join(clauses)


def indicator_sentence(data: ReportData, row: dict[str, Any], subject: str = "women") -> str:
    """孕产妇死亡率2024年为7.91/10万，比上年下降0.85/10万，比2020年下降…，已实现“…”的目标；
    分城乡看，…。 Every figure as the tables print it."""
    name = indicator_label(row)
    series = _values(data, row)
    decimals = row_decimals(row)
    unit = row["unit"]
    year = data.year
    now = series.get(year)
    if now is None:
        latest = finite(row.get("latest_value"))
        when = row.get("latest_year")
        pending = year in data.pending_years(str(row["indicator_code"]), str(row["area_code"]))
        missing = f"{year}年数据已报送、待审定" if pending else f"{year}年未填报"
        if latest is None or when is None:
            return f"{name}{missing}。"
        return (f"{name}{missing}，最近一年（{int(when)}年）为"
                f"{with_unit(latest, unit, decimals)}，{_target_clause(row)}。")
    parts = [f"{name}{year}年为{with_unit(now, unit, decimals)}"]
    last = compared_with("上年", series.get(year - 1), now, unit, decimals)
    if last:
        parts.append(last)
    base_year = row.get("baseline_year")
    if base_year is not None and int(base_year) < year - 1:
        base = series.get(int(base_year))
        if base is None:
            base = finite(row.get("baseline_value"))
        since = compared_with(f"{int(base_year)}年", base, now, unit, decimals)
        if since:
            parts.append(since)
    clause = _target_clause(row)
    if row["status"] == st.REGRESSING and _favourable(row, parts[1:]):
        clause = "但从近年各年数据的趋势看，" + clause
    parts.append(clause)
    text = "，".join(parts)
    gaps = breakdown_clause(data, row, subject)
    return text + ("。" if not gaps else f"。{gaps}。")


__all__ = [
    "CHANGED",
    "HEADLINE",
    "MAX_KEY",
    "MIN_KEY",
    "WARNED",
    "KeyIndicator",
    "breakdown_clause",
    "choose_key_indicators",
    "indicator_sentence",
    "relative_change",
]
