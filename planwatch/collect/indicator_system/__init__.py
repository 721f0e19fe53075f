"""The statistics bureau's 监测指标体系: read it, match it to the plan, apply it.

A bureau issues, next to the plan, the official list of what it monitors: a table with
序号, 领域, 指标名称, 计量单位, 目标值, 牵头/数据来源单位, 定量/定性 and 口径. planwatch reads
such a table (.xlsx or .csv), matches each row to an indicator or target of the plan, and
lists what matched, what is only in the table and what is only in the plan. Applying it
(``apply_indicator_system``) sets, from the table, each matched target's monitoring mode
(定量 → 量化监测, 定性 → 定性评价, 不纳入 → 不纳入监测), the indicator's definition (口径) and
unit, in the caller's transaction with one audit event; on any conflict nothing changes.

Headers (``HEADERS``): spaces, full/half width and a bracketed qualifier are ignored
(``目标值（2025年）`` is 目标值); every canonical column has its usual alternative spellings.
The header row is the first of the first ``HEADER_SCAN_ROWS`` rows holding 指标名称 and at
least two other known headers, so a title row above the table is fine. An empty 领域 cell
repeats the one above (merged cells), and a row with only a 领域 or 序号 (一、妇女与健康) sets
the 领域 of the rows below.

Matching rule (documented, and pinned by tests):

1. **Same normalised name.** ``normalise_name``: NFKC (full-width to half-width), no spaces
   or quotes, dashes unified, 的 dropped, Latin letters lower-cased, a Chinese numeral before
   年/岁/个月 written in digits (学前三年毛入园率 = 学前3年毛入园率).
2. **Similar name.** Else the Dice coefficient of the character bigrams of the normalised
   names with bracketed parts removed; the best candidate matches when its score is at least
   ``SIMILARITY_THRESHOLD`` (0.8) and beats the runner-up by ``SIMILARITY_MARGIN`` (0.05);
   two candidates within the margin are *ambiguous* and nothing is matched.
3. A 定性 row also matches a qualitative target whose text contains its normalised name.

Each plan indicator or qualitative target is matched at most once: a second row naming the
same one is reported as a duplicate.
"""

from __future__ import annotations

from planwatch.collect.indicator_system.apply import apply_indicator_system, canonical_unit
from planwatch.collect.indicator_system.matching import (
    SIMILARITY_MARGIN,
    SIMILARITY_THRESHOLD,
    Change,
    Match,
    MatchReport,
    PlanItem,
    match_indicator_system,
    match_rows,
    normalise_name,
    plan_items,
    similarity,
)
from planwatch.collect.indicator_system.scope import resolve_scope
from planwatch.collect.indicator_system.table import (
    HEADERS,
    REQUIRED,
    IndicatorSystemError,
    IndicatorTable,
    TableRow,
    read_indicator_table,
)

__all__ = [
    "HEADERS", "REQUIRED", "SIMILARITY_MARGIN", "SIMILARITY_THRESHOLD", "Change", "IndicatorSystemError",
    "IndicatorTable", "Match", "MatchReport", "PlanItem", "TableRow", "apply_indicator_system",
    "canonical_unit", "match_indicator_system", "match_rows", "normalise_name", "plan_items",
    "read_indicator_table", "resolve_scope", "similarity",
]  # fmt: skip
