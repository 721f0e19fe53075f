"""Which warnings a report lists: every total's, and only what its breakdowns add.

The assessment judges each breakdown series (女, 男, 城镇, 农村, age groups) like its total,
so a total warned 预计达标困难 usually has four breakdown rows saying the same. Listing them
all quadruples a lead unit's page without telling it anything new. A breakdown's warning
is listed only when it adds something: a warning the total does not carry (which covers
a breakdown warned while its total is not). It stands under its total as a labelled
sub-row (其中：农村), so the reader sees where the total hides a problem.

A breakdown series whose indicator has no total figure at all is listed as it is: it is
the only series there is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

from planwatch.collect.breakdowns import TOTAL, label
from planwatch.report.builders.parts import indicator_label, row_warning_items

SUB_PREFIX = "其中："
BREAKDOWN_NOTE = (
    "注：“其中：”行为分性别、城乡或年龄组数据中合计未反映的预警；"
    "与合计相同的分组预警不再重复列出。"
)


def _series_key(row: dict[str, Any]) -> tuple[str, str, str]:
    """A total and its breakdowns share the target (or the indicator in a plan) and area."""
    target = row.get("target_id")
    first = str(target) if target is not None else f"{row['indicator_code']}|{row['plan']}"
    return first, str(row["indicator_code"]), str(row["area_code"])


def listed_warnings(
    rows: pl.DataFrame,
    order: Callable[[str, Iterable[str]], list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Warning items (``warning_items`` shape) of ``rows``, breakdowns reduced to additions.

    ``rows`` are assessment rows of the report's scope, totals and breakdowns, warned or
    not (a total's warnings decide what its breakdowns add). Each item carries ``sub``
    (True for a breakdown's addition) and ``series`` (the key it shares with its total).
    ``order(indicator, keys)`` orders a total's breakdowns (``ReportData.ordered_breakdowns``).
    """
    if rows.is_empty():
        return []
    records = list(rows.iter_rows(named=True))
    totals = {_series_key(r): r for r in records if r["breakdown"] == TOTAL}
    parts: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}
    for r in records:
        key = _series_key(r)
        if r["breakdown"] != TOTAL and key in totals:
            parts.setdefault(key, {})[str(r["breakdown"])] = r

    items: list[dict[str, Any]] = []
    for r in records:
        key = _series_key(r)
        if r["breakdown"] != TOTAL:
            if key not in totals:  # no total series: the breakdown is all there is
                items += [{**i, "sub": False, "series": key} for i in row_warning_items(r)]
            continue
        items += [{**i, "sub": False, "series": key} for i in row_warning_items(r)]
        said = set(r["warnings"] or [])
        children = parts.get(key, {})
        keys = list(children)
        if order is not None:
            keys = order(key[1], keys)
        for b in keys:
            items += [
                {**i, "sub": True, "series": key}
                for i in row_warning_items(children[b]) if i["warning"] not in said
            ]
    return items


def item_labels(items: list[dict[str, Any]]) -> list[str]:
    """The 指标 cell of each item: a sub-row right under its series reads 其中：农村; one
    whose total is not listed above it names the indicator too."""
    labels = []
    previous: tuple[str, str, str] | None = None
    for item in items:
        if item["sub"]:
            part = f"{SUB_PREFIX}{label(str(item['breakdown']))}"
            labels.append(
                f"　{part}" if previous == item["series"]
                else f"{item['indicator_name']}（{part}）"
            )
        else:
            labels.append(indicator_label(item))
        previous = item["series"]
    return labels


def additions(items: list[dict[str, Any]]) -> int:
    """How many listed warnings are a breakdown's additions."""
    return sum(1 for i in items if i["sub"])
