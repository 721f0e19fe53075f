"""Matching a 监测指标体系 to the plan's indicators and qualitative targets.

See :mod:`planwatch.collect.indicator_system` for the rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.indicator_system.table import IndicatorTable, TableRow
from planwatch.store import models as db

SIMILARITY_THRESHOLD = 0.8
SIMILARITY_MARGIN = 0.05


@dataclass(frozen=True)
class PlanItem:
    """Something of the plan a table row can name: an indicator, or a qualitative target."""

    label: str
    indicator_id: int | None
    target_ids: tuple[int, ...]
    text: str = ""
    """A qualitative target's text (for rule 3)."""


@dataclass(frozen=True)
class Match:
    row: TableRow
    item: PlanItem
    rule: str
    """"名称一致", "名称相似 0.86" or "目标文字包含"."""


@dataclass(frozen=True)
class Change:
    what: str
    old: Any
    new: Any


@dataclass
class MatchReport:
    table: IndicatorTable
    matched: list[Match] = field(default_factory=list)
    only_in_table: list[TableRow] = field(default_factory=list)
    only_in_plan: list[PlanItem] = field(default_factory=list)
    ambiguous: list[tuple[TableRow, list[str]]] = field(default_factory=list)
    duplicates: list[tuple[TableRow, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Why a match cannot be applied as the table says (found by ``apply``)."""
    notes: list[str] = field(default_factory=list)
    """What ``apply`` could not follow to the letter and why (it still applied the rest)."""
    changes: list[Change] = field(default_factory=list)


def normalise_name(name: str) -> str:
    """The form names are compared in (rule 1)."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[\s\"'“”‘’《》〈〉「」]", "", text)
    text = re.sub(r"[—–~～至]", "-", text)
    text = re.sub(r"[一二三四五六七八九十](?=年|岁|周岁|个月)", lambda m: _DIGIT[m.group()], text)
    return text.replace("的", "")


_DIGIT = {c: str(i) for i, c in enumerate("一二三四五六七八九十", start=1)}


def _core(name: str) -> str:
    return re.sub(r"\([^)]*\)", "", normalise_name(name))


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)] or [text]


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of the names' cores (rule 2), 0–1."""
    x, y = _bigrams(_core(a)), _bigrams(_core(b))
    pool = list(y)
    common = 0
    for gram in x:
        if gram in pool:
            pool.remove(gram)
            common += 1
    return 2 * common / (len(x) + len(y))


def plan_items(session: Session, area_code: str, plan_ids: Sequence[int]) -> list[PlanItem]:
    """The plan's indicators (with the targets naming them) and qualitative targets."""
    indicators: dict[int, tuple[str, list[int]]] = {}
    q = (
        select(db.TargetValue.indicator_id, db.Indicator.name, db.TargetValue.target_id)
        .join(db.Indicator, db.Indicator.id == db.TargetValue.indicator_id)
        .where(db.TargetValue.area_code == area_code, db.TargetValue.plan_id.in_(list(plan_ids)))
        .order_by(db.Indicator.code, db.TargetValue.id)
    )
    for ind_id, name, target_id in session.execute(q):
        entry = indicators.setdefault(ind_id, (name, []))
        if target_id is not None and target_id not in entry[1]:
            entry[1].append(target_id)
    items = [PlanItem(name, ind_id, tuple(tids)) for ind_id, (name, tids) in indicators.items()]
    q2 = (
        select(db.Target, db.Domain)
        .join(db.Domain, db.Domain.id == db.Target.domain_id)
        .where(db.Domain.plan_id.in_(list(plan_ids)), db.Target.kind == "qualitative")
        .order_by(db.Domain.plan_id, db.Domain.seq, db.Target.number)
    )
    for target, domain in session.execute(q2):
        label = f"{domain.name} 主要目标({target.number})：{target.text}"
        items.append(PlanItem(label, None, (target.id,), text=target.text))
    return items


def match_rows(rows: Iterable[TableRow], items: list[PlanItem], report: MatchReport) -> None:
    """Fill ``report`` with matches, table-only rows, ambiguities and duplicates."""
    by_name: dict[str, list[PlanItem]] = {}
    for item in items:
        if item.indicator_id is not None:
            by_name.setdefault(normalise_name(item.label), []).append(item)
    named = [i for i in items if i.indicator_id is not None]
    taken: dict[PlanItem, TableRow] = {}

    def take(row: TableRow, item: PlanItem, rule: str) -> None:
        if item in taken:
            report.duplicates.append((row, f"与{taken[item].where}对应同一项：{item.label}"))
            return
        taken[item] = row
        report.matched.append(Match(row, item, rule))

    for row in rows:
        exact = by_name.get(normalise_name(row.name))
        if exact:
            take(row, exact[0], "名称一致")
            continue
        scored = sorted(((similarity(row.name, i.label), i) for i in named), key=lambda p: -p[0])
        if scored and scored[0][0] >= SIMILARITY_THRESHOLD:
            best, item = scored[0]
            close = [i.label for s, i in scored[1:] if best - s < SIMILARITY_MARGIN]
            if close:
                report.ambiguous.append((row, [item.label, *close]))
            else:
                take(row, item, f"名称相似 {best:.2f}")
            continue
        key = normalise_name(row.name)
        texts = [i for i in items if i.indicator_id is None and key and key in normalise_name(i.text)]
        if row.mode == "qualitative" and len(texts) == 1:
            take(row, texts[0], "目标文字包含")
            continue
        report.only_in_table.append(row)
    report.only_in_plan = [i for i in items if i not in taken]


def match_indicator_system(
    session: Session, table: IndicatorTable, *, area_code: str, plan_ids: Sequence[int]
) -> MatchReport:
    """Match a read table against the plans ``plan_ids`` of one area (nothing is changed)."""
    report = MatchReport(table)
    match_rows(table.rows, plan_items(session, area_code, plan_ids), report)
    return report
