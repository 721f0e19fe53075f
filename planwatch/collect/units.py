"""Finding the unit a person means: by its name or any alias, in one area or all of them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.errors import PlanwatchError
from planwatch.store.models import Area, Unit


class UnitLookupError(PlanwatchError, LookupError):
    """No unit, or more than one, answers to a name; the message says which and where."""

    code = "collect.unit_lookup"


class UnitRetiredError(PlanwatchError, LookupError):
    """New work (a template, a form) asked of a unit retired before that data year."""

    code = "collect.unit_retired"


def active_in(unit: Unit, year: int) -> Unit:
    """The unit, when it still reports data of ``year``; else an error naming its successor."""
    if unit.retired_from is None or year < unit.retired_from:
        return unit
    heir = f"，请由承接单位“{unit.successor.name}”填报" if unit.successor is not None else ""
    raise UnitRetiredError(
        f"单位“{unit.name}”已于{unit.retired_from}年度起停用，没有{year}年度的填报任务{heir} the unit is retired"
    )


def unit_matches(unit: Unit, name: str) -> bool:
    return name_matches(unit.name, unit.aliases, name)


def name_matches(unit_name: str, aliases: Iterable[str] | None, name: str) -> bool:
    """A unit called ``unit_name`` (also known as ``aliases``) answers to ``name``."""
    wanted = name.strip()
    return unit_name == wanted or wanted in (aliases or [])


def resolve_area(session: Session, area: str | None) -> Area | None:
    """An area by code (370103) or name (市中区 / 济南市市中区); None when not given."""
    if area is None:
        return None
    found = session.get(Area, area)
    if found is not None:
        return found
    rows = list(
        session.scalars(select(Area).where((Area.name == area) | (Area.full_name == area)))
    )
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise UnitLookupError(f"未知地区“{area}” unknown area")
    codes = "、".join(f"{a.full_name}（{a.code}）" for a in rows)
    raise UnitLookupError(f"地区“{area}”有多个：{codes}，请用地区代码 ambiguous area")


def find_units(session: Session, name: str, area_code: str | None = None) -> list[Unit]:
    q = select(Unit).order_by(Unit.area_code, Unit.id)
    if area_code is not None:
        q = q.where(Unit.area_code == area_code)
    return [u for u in session.scalars(q) if unit_matches(u, name)]


def find_unit(session: Session, name: str, area: str | None = None) -> Unit:
    """Exactly one unit named ``name`` (in ``area`` when given), or a clear error."""
    area_obj = resolve_area(session, area)
    units = find_units(session, name, area_obj.code if area_obj else None)
    if not units:
        where = f"地区 {area_obj.full_name} " if area_obj else ""
        raise UnitLookupError(f"{where}没有名为“{name}”的填报单位 unknown unit")
    if len(units) > 1:
        areas = "、".join(u.area_code for u in units)
        raise UnitLookupError(
            f"“{name}”在多个地区都有（{areas}），请用 --area 指定地区 ambiguous unit"
        )
    return units[0]
