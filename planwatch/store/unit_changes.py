"""Member units after a reorganisation (机构改革): renamed, retired, or removed when added by mistake.

Districts reorganise their departments every few years: 区卫生和计划生育局 becomes 区卫生健康局,
two bureaus merge, one is abolished. Every figure, target, account and token points at a unit by
its id, so a unit's row is never rewritten into another one: these functions change one unit,
within the caller's transaction, and write one ``audit_event`` row saying what changed.

**Rename** keeps the row, so everything attached to it stays attached; the old name becomes an
alias, so a plan text or a catalogue YAML that still says it finds the unit. A name another unit
of the area answers to is refused with that unit named: two units under one name would make
every import ambiguous, and merging two units silently would mix their figures.

**Retire** (停用) keeps the row for its history: past submissions, documents, self-evaluations
and accounts stay its own, and the years it was responsible for still expect it. From the
retirement year (the first data year, 统计年度, it no longer reports) it gets no template, form
or task, and nothing may be assigned to it. Its indicators and the targets of plans still running
then need a unit that answers for them, and a statistician must be able to say who reported each
figure in each year. So a unit with such work is retired only together with its **successor**
(承接单位, same area, active), which takes the work over from that year — the assignments it held
are kept with their years (:mod:`planwatch.store.reporters`), so a past year is still judged
against the unit responsible then. Without a successor the retirement is refused, with the
indicators and targets named and how to reassign them: nothing is ever left without a reporter,
and no assignment moves without the office saying where to. A retirement year at or before a year
the unit already sent figures or documents for is refused too: retiring never hides data.

**Remove** is for a unit added by mistake: refused, with the reason, while anything refers to it
(work, figures, documents, evaluations, accounts, tokens, a retired unit it took over from).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from planwatch.store import models as db
from planwatch.store.accounts import RoleGrant
from planwatch.store.api_tokens import ApiToken
from planwatch.store.unit_registry import UnitRegistryError, area_in_workspace, checked_name


class UnitNameTakenError(UnitRegistryError):
    """The new name is another unit's name or alias in the same area (that unit is named)."""

    code = "unit.name_taken"


class UnitHasWorkError(UnitRegistryError):
    """A unit that still reports indicators or leads targets cannot retire without a successor."""

    code = "unit.has_work"


class UnitReferencedError(UnitRegistryError):
    """A unit something refers to cannot be removed (retire or rename it instead)."""

    code = "unit.referenced"


FIRST_YEAR = 1949
LAST_YEAR = 2200
LISTED = 20
"""Indicators or targets named one by one in a refusal; the rest are counted."""

ROLE_LABELS = {"lead": "牵头", "responsible": "责任"}


@dataclass(frozen=True)
class Renamed:
    unit: db.Unit
    old_name: str
    old_aliases: list[str]


@dataclass(frozen=True)
class Retired:
    unit: db.Unit
    year: int
    successor: db.Unit | None
    indicators: list[str] = field(default_factory=list)
    """``代码 名称`` of each indicator whose reporting moved to the successor."""
    targets: list[str] = field(default_factory=list)
    """Each target (with the role) the successor now leads or shares."""


@dataclass(frozen=True)
class Removed:
    area_code: str
    area_name: str
    name: str


def unit_in_area(session: Session, area: db.Area, name: str, *, field: str = "name") -> db.Unit:
    """The unit of ``area`` called ``name``, else the one that has it as an alias."""
    wanted = "".join(name.split())
    units = list(session.scalars(select(db.Unit).where(db.Unit.area_code == area.code).order_by(db.Unit.id)))
    found = next((u for u in units if u.name == wanted), None) or next(
        (u for u in units if wanted in (u.aliases or [])), None
    )
    if found is None:
        raise UnitRegistryError(f"{area.full_name}没有名为“{name.strip()}”的成员单位 no such unit", field=field)
    return found


def _audit(session: Session, actor: str, action: str, unit_id: int, detail: dict[str, Any]) -> None:
    session.add(db.AuditEvent(actor=actor, action=action, entity="unit", entity_id=str(unit_id), detail=detail))
    session.flush()


# --------------------------------------------------------------------------- rename


def rename_unit(session: Session, area: str, old: str, new: str, *, actor: str = "planwatch") -> Renamed:
    """Give a unit a new name; its old name becomes an alias. Nothing else changes."""
    where = area_in_workspace(session, area)
    unit = unit_in_area(session, where, old)
    clean = checked_name(new, field="new_name")
    if clean == unit.name:
        raise UnitRegistryError(f"新名称与单位现名称“{unit.name}”相同，未改名 the name is unchanged", field="new_name")
    _refuse_taken(session, where, unit, clean)
    old_name = unit.name
    before = list(unit.aliases or [])
    unit.aliases = [a for a in before if a != clean] + ([] if old_name in before else [old_name])
    unit.name = clean
    session.flush()
    _audit(session, actor, "unit.rename", unit.id, {
        "area_code": where.code, "old_name": old_name, "name": clean, "aliases_before": before,
        "aliases": list(unit.aliases)})
    return Renamed(unit, old_name, before)


def _refuse_taken(session: Session, area: db.Area, unit: db.Unit, name: str) -> None:
    """Refuse a name another unit of the area already answers to, naming that unit."""
    others = session.scalars(select(db.Unit).where(db.Unit.area_code == area.code, db.Unit.id != unit.id))
    for other in others:
        if name == other.name or name in (other.aliases or []):
            how = "名称" if name == other.name else "别名"
            raise UnitNameTakenError(
                f"{area.full_name}的单位“{other.name}”已使用{how}“{name}”，未改名；"
                "两个单位合并时，请停用其中一个并指定另一个为承接单位 name taken by another unit",
                field="new_name",
            )


# --------------------------------------------------------------------------- retire


def retire_unit(
    session: Session, area: str, name: str, *, year: int, successor: str | None = None, actor: str = "planwatch"
) -> Retired:
    """Retire a unit from data year ``year`` on, its work taken over by ``successor``.

    Why a successor is required rather than the work left or dropped: an indicator without a
    reporting unit is silently never asked for, and a target without a lead unit is never rated;
    a statistician reading the completeness table would take the missing figures for a unit's
    failure, or not see them at all. Requiring the office to name who takes the work over (or to
    reassign it in the catalogue first) keeps every figure owned, and keeping the old
    assignments with their years keeps every past year judged as it was.
    """
    where = area_in_workspace(session, area)
    unit = unit_in_area(session, where, name)
    if unit.retired_from is not None:
        raise UnitRegistryError(f"单位“{unit.name}”已于{unit.retired_from}年度起停用 already retired")
    _check_year(session, unit, year)
    heir = _successor(session, where, unit, successor) if successor is not None else None
    reporting = _reporting(session, unit)
    leading = _running_targets(session, unit, year)
    if heir is None and (reporting or leading):
        raise UnitHasWorkError(_work_message(unit, reporting, leading), field="successor")
    indicators = [_indicator_label(r.indicator) for r in reporting]  # named before the rows go
    targets = [_target_label(tu) for tu in leading]
    if heir is not None:
        _hand_over_reporting(session, unit, heir, reporting, year)
        _hand_over_targets(session, heir, leading)
    unit.retired_from = year
    unit.successor_id = heir.id if heir is not None else None
    session.flush()
    _audit(session, actor, "unit.retire", unit.id, {
        "area_code": where.code, "name": unit.name, "retired_from": year,
        "successor": heir.name if heir is not None else None, "indicators": indicators, "targets": targets})
    return Retired(unit, year, heir, indicators, targets)


def _check_year(session: Session, unit: db.Unit, year: int) -> None:
    """A plausible year after every year the unit has already sent figures or documents for."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UnitRegistryError(f"停用年度{year}无效，应在{FIRST_YEAR}—{LAST_YEAR}年之间 invalid year", field="year")
    last = (
        session.scalar(select(func.max(model.year)).where(model.unit_id == unit.id))
        for model in (db.Submission, db.SubmissionDocument)
    )
    sent = max((y for y in last if y is not None), default=None)
    if sent is not None and year <= sent:
        raise UnitRegistryError(
            f"单位“{unit.name}”已有{sent}年度的填报，停用年度应不早于{sent + 1}年"
            "（停用年度是该单位不再填报的第一个数据年度）retirement year must follow its last report",
            field="year",
        )


def _successor(session: Session, area: db.Area, unit: db.Unit, name: str) -> db.Unit:
    heir = unit_in_area(session, area, name, field="successor")
    if heir.id == unit.id:
        raise UnitRegistryError(f"承接单位不能是“{unit.name}”本身 a unit cannot succeed itself", field="successor")
    if heir.retired_from is not None:
        raise UnitRegistryError(
            f"承接单位“{heir.name}”已于{heir.retired_from}年度起停用，请指定在用的单位 the successor is retired",
            field="successor",
        )
    return heir


def _reporting(session: Session, unit: db.Unit) -> list[db.IndicatorReporter]:
    """The unit's reporting assignments as they stand, in indicator code order."""
    q = (
        select(db.IndicatorReporter)
        .join(db.Indicator, db.Indicator.id == db.IndicatorReporter.indicator_id)
        .where(db.IndicatorReporter.unit_id == unit.id)
        .order_by(db.Indicator.code)
    )
    return list(session.scalars(q))


def _running_targets(session: Session, unit: db.Unit, year: int) -> list[db.TargetUnit]:
    """The targets the unit leads or shares in plans still running in ``year``.

    Targets of plans ended before then stay the unit's own: their evaluation named it."""
    q = (
        select(db.TargetUnit)
        .join(db.Target, db.Target.id == db.TargetUnit.target_id)
        .join(db.Domain, db.Domain.id == db.Target.domain_id)
        .join(db.Plan, db.Plan.id == db.Domain.plan_id)
        .where(db.TargetUnit.unit_id == unit.id, db.Plan.period_end >= year)
        .order_by(db.Plan.id, db.Domain.seq, db.Target.number, db.TargetUnit.role)
    )
    return list(session.scalars(q))


def _indicator_label(indicator: db.Indicator) -> str:
    return f"{indicator.code} {indicator.name}"


def _target_label(tu: db.TargetUnit) -> str:
    target = tu.target
    return (f"《{target.domain.plan.title}》{target.domain.name} 主要目标({target.number})"
            f"（{ROLE_LABELS.get(tu.role, tu.role)}）")


def _listed(items: list[str]) -> str:
    shown = "；".join(items[:LISTED])
    return shown if len(items) <= LISTED else f"{shown}；等共{len(items)}项"


def _work_message(unit: db.Unit, reporting: list[db.IndicatorReporter], leading: list[db.TargetUnit]) -> str:
    parts = []
    if reporting:
        parts.append(f"填报指标{len(reporting)}项：{_listed([_indicator_label(r.indicator) for r in reporting])}")
    if leading:
        parts.append(f"牵头或负责的目标{len(leading)}项：{_listed([_target_label(t) for t in leading])}")
    return (
        f"单位“{unit.name}”仍有工作，未停用。{'。'.join(parts)}。"
        "请指定承接这些工作的单位（命令行 --successor，网页“承接单位”），"
        "或先在指标目录中把它们改派给其他单位（catalogue export / import）"
        " the unit still reports indicators or leads targets: name its successor"
    )


def _hand_over_reporting(
    session: Session, unit: db.Unit, heir: db.Unit, reporting: list[db.IndicatorReporter], year: int
) -> None:
    """Each assignment goes to the successor from ``year``; its years so far are kept."""
    held = {
        (r.indicator_id, r.area_code): r
        for r in session.scalars(select(db.IndicatorReporter).where(db.IndicatorReporter.unit_id == heir.id))
    }
    for row in reporting:
        if row.since_year is None or row.since_year < year:
            session.add(db.FormerReporter(indicator_id=row.indicator_id, area_code=row.area_code, unit_id=unit.id,
                                          since_year=row.since_year, until_year=year - 1))
        since = year if row.since_year is None else max(year, row.since_year)
        own = held.get((row.indicator_id, row.area_code))
        if own is None:
            session.add(db.IndicatorReporter(indicator_id=row.indicator_id, area_code=row.area_code,
                                             unit_id=heir.id, since_year=since))
        elif own.since_year is not None and own.since_year > since:
            own.since_year = since
        session.delete(row)
    session.flush()


def _hand_over_targets(session: Session, heir: db.Unit, leading: list[db.TargetUnit]) -> None:
    """The successor takes the unit's place (and order) on each target, unless it is there already."""
    there = {
        (tu.target_id, tu.role)
        for tu in session.scalars(select(db.TargetUnit).where(db.TargetUnit.unit_id == heir.id))
    }
    for row in leading:
        if (row.target_id, row.role) not in there:
            session.add(db.TargetUnit(target_id=row.target_id, unit_id=heir.id, role=row.role, seq=row.seq))
        session.delete(row)
    session.flush()


# --------------------------------------------------------------------------- remove

_Count = Callable[[db.Unit], ColumnElement[bool]]
REFERENCES: tuple[tuple[str, Any, _Count], ...] = (
    ("牵头或负责的目标", db.TargetUnit, lambda u: db.TargetUnit.unit_id == u.id),
    ("填报的指标", db.IndicatorReporter, lambda u: db.IndicatorReporter.unit_id == u.id),
    ("以往填报的指标", db.FormerReporter, lambda u: db.FormerReporter.unit_id == u.id),
    ("填报记录", db.Submission, lambda u: db.Submission.unit_id == u.id),
    ("书面报告", db.SubmissionDocument, lambda u: db.SubmissionDocument.unit_id == u.id),
    ("定性目标自评", db.SelfEvaluation, lambda u: db.SelfEvaluation.unit_id == u.id),
    ("网页账号授权", RoleGrant, lambda u: RoleGrant.unit_id == u.id),
    ("API 令牌", ApiToken, lambda u: ApiToken.unit_id == u.id),
    ("由其承接的停用单位", db.Unit, lambda u: db.Unit.successor_id == u.id),
)
"""Everything that may point at a unit, with its name in a refusal. A test checks that every
foreign key to ``unit`` is here, so a table added later cannot be forgotten."""


def unit_references(session: Session, unit: db.Unit) -> list[tuple[str, int]]:
    """(what, how many) of everything that refers to the unit; empty when nothing does."""
    found = []
    for label, model, where in REFERENCES:
        count = session.scalar(select(func.count()).select_from(model).where(where(unit))) or 0
        if count:
            found.append((label, int(count)))
    return found


def remove_unit(session: Session, area: str, name: str, *, actor: str = "planwatch") -> Removed:
    """Delete a unit nothing refers to (one added by mistake); refused with the reason otherwise."""
    where = area_in_workspace(session, area)
    unit = unit_in_area(session, where, name)
    used = unit_references(session, unit)
    if used:
        listed = "、".join(f"{label}{count}项" for label, count in used)
        raise UnitReferencedError(
            f"单位“{unit.name}”有{listed}，不能删除。删除只用于误添加、从未使用的单位；"
            "已撤销的单位请停用（planwatch unit retire），改名请用 planwatch unit rename"
            " the unit is referred to: retire or rename it instead"
        )
    unit_id, unit_name, aliases = unit.id, unit.name, list(unit.aliases or [])
    session.delete(unit)
    session.flush()
    _audit(session, actor, "unit.remove", unit_id, {"area_code": where.code, "name": unit_name, "aliases": aliases})
    return Removed(where.code, where.full_name, unit_name)
