"""The warnings list's entries: one per indicator and area, breakdowns folded in.

The assessment raises warnings per target × breakdown, so one indicator with a total and
four breakdown series could fill five rows, and one series several more (one per warning
type). The office sends each unit a list of *indicators* to look at, so an entry here is one
indicator in one area: its total's warnings, then what its breakdowns add, written
"其中：农村 逆向变化（…）". Counting entries (not warnings) is what lets the list's heading,
its rows and its breakdown by warning type add up: each entry is counted once, under its
most serious warning (``PRIMARY_ORDER``).

Three things are kept apart from the warnings proper:

* 数据缺失 is not a finding about the indicator but a figure nobody sent: it goes to the
  催报清单, addressed to the unit that must report the figure (``chase_unit``);
* a breakdown is judged against the plan's target only where the plan sets one for that
  breakdown (``own_target``): the plans set targets for the whole area, and 城镇 falling
  short of the district's 95 % is not a warning the plan asked for. Warnings that compare
  with the target value (预计达标困难, 未能保持) are dropped for such breakdowns; those
  about the series itself (逆向变化, 波动较大, 异常值) stay;
* an entry whose only lead unit is the office that sends the list (区妇儿工委办公室) or
  none at all is not addressed to anyone: it goes to the list of targets whose
  responsible unit the office must still assign (``is_unassigned``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from planwatch.assess import status as st
from planwatch.report.data import ReportData, note_column, split_units
from planwatch.vocabulary import TOTAL
from planwatch.vocabulary import breakdown_label as label

PRIMARY_ORDER: tuple[str, ...] = (
    st.W_REGRESSING, st.W_AT_RISK, st.W_NOT_HELD, st.W_OUTLIER, st.W_VOLATILE,
)
"""Warning types from the most to the least serious: an entry is counted under the first
it carries. 逆向变化 (moving away from the target) outranks 预计达标困难 (too slow), which
outranks a must-hold target missed in some year; data oddities come last."""

TARGET_JUDGED = frozenset({st.W_AT_RISK, st.W_NOT_HELD})
"""Warnings that compare a series with the target value (not only with its own past)."""

OFFICE_MARKERS = ("妇儿工委", "妇女儿童工作委员会")
"""Names of the office that issues the list (区妇儿工委办公室 and its long form)."""

NO_UNIT = "（未指定牵头单位）"


def is_office(unit: str) -> bool:
    """True for the office itself (区妇儿工委办公室), which cannot be sent its own list."""
    return any(marker in unit for marker in OFFICE_MARKERS)


def addressees(units: Iterable[str]) -> list[str]:
    """The units an entry can be sent to: the office itself and blanks left out."""
    return [u for u in units if u and u != NO_UNIT and not is_office(u)]


def own_target(row: dict[str, Any]) -> bool:
    """Whether the plan sets this series its own target: always for the total; for a
    breakdown only when the targets frame names that breakdown (``target_breakdown``).
    The catalogue's targets are area-wide today, so breakdowns have none of their own."""
    if row["breakdown"] == TOTAL:
        return True
    return bool(row.get("target_breakdown")) and row.get("target_breakdown") == row["breakdown"]


@dataclass(frozen=True)
class Part:
    """One warning of an entry: its type, the assessment's sentence, the series it is on."""

    warning: str
    note: str
    breakdown: str = TOTAL

    def text(self, with_type: bool = True) -> str:
        head = f"{self.warning}：" if with_type else ""
        if self.breakdown == TOTAL:
            return f"{head}{self.note}"
        return f"其中{label(self.breakdown)}：{self.warning}，{self.note}"


@dataclass
class Entry:
    """One indicator in one area with its warnings (``parts``) and missing figures."""

    area_code: str
    indicator_code: str
    indicator_name: str
    plan: str
    domain: str
    lead_units: list[str]
    responsible: list[str]
    parts: list[Part] = field(default_factory=list)
    missing: list[Part] = field(default_factory=list)
    lead_text: str = ""
    """The lead unit as the plan wrote it, shown where nobody is assigned."""

    @property
    def kinds(self) -> list[str]:
        """Its warning types, each once: the total's, most serious first (the first is
        ``primary``), then those only its breakdowns carry."""
        own = {p.warning for p in self.parts if p.breakdown == TOTAL}
        added = {p.warning for p in self.parts} - own
        return [w for pool in (own, added) for w in PRIMARY_ORDER if w in pool]

    @property
    def primary(self) -> str:
        """The type the entry is counted under: the total's most serious warning, else the
        most serious a breakdown adds."""
        own = [p.warning for p in self.parts if p.breakdown == TOTAL]
        for pool in (own, [p.warning for p in self.parts]):
            for w in PRIMARY_ORDER:
                if w in pool:
                    return w
        return st.W_MISSING

    def description(self) -> str:
        """情况说明: each warning of the total with its reason, most serious first, then
        其中城镇：… for what the breakdowns add."""
        rank = {w: i for i, w in enumerate(PRIMARY_ORDER)}
        own = sorted((p for p in self.parts if p.breakdown == TOTAL),
                     key=lambda p: rank.get(p.warning, len(rank)))
        total = [p.text() for p in own]
        subs = [p.text() for p in self.parts if p.breakdown != TOTAL]
        return "；".join(total + subs)

    def missing_text(self) -> str:
        total = [p.note for p in self.missing if p.breakdown == TOTAL]
        subs = [p.text() for p in self.missing if p.breakdown != TOTAL]
        return "；".join(total + subs)

    @property
    def addressed_to(self) -> list[str]:
        return addressees(self.lead_units)


def _units(data: ReportData, rows: list[dict[str, Any]], role: str) -> list[str]:
    units: list[str] = []
    for r in rows:
        found = data.units_of(r.get("target_id"), role)
        if not found and role == "lead":
            found = split_units(r.get("lead_unit"))
        units += [u for u in found if u not in units]
    return units


def _notes(row: dict[str, Any]) -> list[tuple[str, str]]:
    return [(w, str(row.get(note_column(w)) or row.get("reason") or ""))
            for w in row.get("warnings") or []]


def _entry(data: ReportData, rows: list[dict[str, Any]]) -> Entry | None:
    first = rows[0]
    totals = [r for r in rows if r["breakdown"] == TOTAL]
    entry = Entry(
        area_code=str(first["area_code"]),
        indicator_code=str(first["indicator_code"]),
        indicator_name=str(first["indicator_name"]),
        plan=str(first["plan"] or ""),
        domain=str(first["domain"] or ""),
        lead_units=_units(data, rows, "lead"),
        responsible=_units(data, rows, "responsible"),
        lead_text="、".join(dict.fromkeys(
            str(r["lead_unit"]) for r in rows if r.get("lead_unit"))),
    )
    said: set[str] = set()
    for r in totals:
        for warning, note in _notes(r):
            if warning in said:
                continue
            said.add(warning)
            target = entry.missing if warning == st.W_MISSING else entry.parts
            target.append(Part(warning, note))
    breakdowns = [r for r in rows if r["breakdown"] != TOTAL]
    order = data.ordered_breakdowns(entry.indicator_code, [str(r["breakdown"]) for r in breakdowns])
    by_key = {str(r["breakdown"]): r for r in breakdowns}
    for key in order:
        r = by_key[key]
        for warning, note in _notes(r):
            if warning in said:
                continue  # the total already says it
            if totals and warning in TARGET_JUDGED and not own_target(r):
                continue  # judged against the area's target, which the plan did not set for it
            target = entry.missing if warning == st.W_MISSING else entry.parts
            if totals:
                target.append(Part(warning, note, key))
            else:  # no total series: the breakdowns are all there is, each its own series
                target.append(Part(warning, f"{label(key)}：{note}"))
    if not entry.parts and not entry.missing:
        return None
    return entry


def collect_entries(data: ReportData, rows: pl.DataFrame) -> list[Entry]:
    """Entries of ``rows`` (assessment rows, totals and breakdowns, warned or not), one per
    indicator and area, in the assessment's (the plans') order."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows.iter_rows(named=True):
        groups.setdefault((str(r["area_code"]), str(r["indicator_code"])), []).append(r)
    entries = [_entry(data, g) for g in groups.values()]
    return [e for e in entries if e is not None]


def plan_entries(data: ReportData, plan: str, area_code: str) -> list[Entry]:
    """``collect_entries`` of one plan in one area, made once per report data (the annual
    report's 预警指标 part and its 存在问题 drafts both read them)."""
    def make() -> list[Entry]:
        rows = data.result.filter((pl.col("plan") == plan) & (pl.col("area_code") == area_code))
        return collect_entries(data, rows)

    return data.derived(("plan_entries", plan, area_code), make)


def warned(entries: list[Entry]) -> list[Entry]:
    """Entries with a warning proper (not only missing figures)."""
    return [e for e in entries if e.parts]


def chase_unit(data: ReportData, entry: Entry) -> str | None:
    """Who is asked for a missing figure: the unit that must report it, else its lead unit;
    None when that is only the office or nobody (the office must assign one first)."""
    reporters = data.reporters_of(entry.indicator_code, entry.area_code)
    for pool in (reporters, entry.lead_units):
        chosen = addressees(pool)
        if chosen:
            return chosen[0]
    return None


def type_counts(entries: list[Entry]) -> dict[str, int]:
    """Entries per primary warning type, in ``PRIMARY_ORDER``; they add up to the entries."""
    counts = {w: 0 for w in PRIMARY_ORDER}
    for e in entries:
        counts[e.primary] = counts.get(e.primary, 0) + 1
    return {w: n for w, n in counts.items() if n}


def counts_text(entries: list[Entry]) -> str:
    """逆向变化3项、预计达标困难5项 — the entries by their primary type."""
    return "、".join(f"{w}{n}项" for w, n in type_counts(entries).items())


def member_order(data: ReportData, area_code: str) -> list[str]:
    """The area's units in the order its plans name them: as lead and then responsible
    units of their targets, target by target in the plans' order (women's plan, then
    children's, as the assessment lists them), then the units that only report figures.

    The plans print their member units in this order of mention; sorting by character
    code instead put 区人力资源社会保障局 before 区卫生健康局 for no reason a reader knows.
    """
    return list(data.derived(("member_order", area_code), lambda: _member_order(data, area_code)))


def _member_order(data: ReportData, area_code: str) -> list[str]:
    order: list[str] = []
    rows = data.result.filter(pl.col("area_code") == area_code)
    for r in rows.iter_rows(named=True):
        for role in ("lead", "responsible"):
            units = data.units_of(r.get("target_id"), role)
            if not units and role == "lead":
                units = split_units(r.get("lead_unit"))
            order += [u for u in units if u not in order]
    if data.reporters.height:
        reps = data.reporters.filter(pl.col("area_code") == area_code)
        order += [u for u in reps.get_column("unit").to_list() if u not in order]
    return order


def by_member_order(units: Iterable[str], order: list[str]) -> list[str]:
    """``units`` in ``order``; units it does not know after them, by name."""
    position = {u: i for i, u in enumerate(order)}
    return sorted(set(units), key=lambda u: (position.get(u, len(position)), u))
