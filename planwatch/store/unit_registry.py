"""Member units added by hand: the units a plan text does not name.

National and provincial outlines assign no units in their text (国务院 names none; the
统计局 and 妇儿工委 decide who reports), and a district may add a unit the plan forgot.
The catalogue YAML can only point reporters at units the workspace knows, so units must
be added first, explicitly, with their area checked and the addition audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.errors import PlanwatchError
from planwatch.store import models as db

_MAX_NAME = 200  # the column's length


class UnitRegistryError(PlanwatchError, ValueError):
    """A unit cannot be added, renamed, retired or removed as asked; nothing was written."""

    code = "unit.registry"

    def __init__(self, message: str, *, field: str = "name") -> None:
        super().__init__(message)
        self.field = field
        """The input at fault ("area", "name", "aliases", "new_name", "successor" or "year"), so that a
        form shows the message by it."""


@dataclass(frozen=True)
class UnitRow:
    area_code: str
    area_name: str
    name: str
    aliases: tuple[str, ...]
    targets: int
    indicators: int
    retired_from: int | None = None
    """The first data year the unit no longer reports (None: in use)."""
    successor: str | None = None
    """The unit that took a retired unit's work over."""

    @property
    def state(self) -> str:
        """在用, or 停用 with its year and successor (2025年度起停用，由区卫生健康局承接)."""
        if self.retired_from is None:
            return "在用"
        heir = f"，由{self.successor}承接" if self.successor else ""
        return f"{self.retired_from}年度起停用{heir}"

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "aliases": list(self.aliases), "state": self.state}


def _clean(name: str) -> str:
    return "".join(name.split())


def checked_name(name: str, *, field: str = "name") -> str:
    """A unit name with blanks taken out, refused when empty or longer than the column."""
    clean = _clean(name)
    if not clean:
        raise UnitRegistryError("单位名称为空 unit name is empty", field=field)
    if len(clean) > _MAX_NAME:
        raise UnitRegistryError(f"单位名称超过{_MAX_NAME}个字符 unit name too long", field=field)
    return clean


def area_in_workspace(session: Session, area: str) -> db.Area:
    """The area by code, or by its name when exactly one area of the workspace has it."""
    found = session.get(db.Area, area.strip())
    if found is not None:
        return found
    rows = list(
        session.scalars(select(db.Area).where((db.Area.name == area) | (db.Area.full_name == area)))
    )
    if len(rows) == 1:
        return rows[0]
    known = "、".join(f"{a.full_name}（{a.code}）" for a in session.scalars(select(db.Area).order_by(db.Area.code)))
    if not rows:
        raise UnitRegistryError(
            f"工作区中没有地区“{area}”（已有：{known}）the workspace has no such area", field="area"
        )
    listed = "、".join(f"{a.full_name}（{a.code}）" for a in rows)
    raise UnitRegistryError(f"地区“{area}”不唯一：{listed}，请写代码 ambiguous area, give its code", field="area")


def add_unit(
    session: Session, area: str, name: str, *, aliases: list[str] | None = None, actor: str = "planwatch"
) -> db.Unit:
    """Add one unit to an area of the workspace, within the caller's transaction.

    Refuses an empty or over-long name, a name (or alias) another unit of the area already
    answers to — two units under one name would make every import ambiguous — and an area
    the workspace does not hold.
    """
    clean = checked_name(name)
    extra = [a for a in dict.fromkeys(_clean(a) for a in aliases or []) if a and a != clean]
    target_area = area_in_workspace(session, area)
    for other in session.scalars(select(db.Unit).where(db.Unit.area_code == target_area.code)):
        taken = {other.name, *other.aliases}
        clash = [n for n in (clean, *extra) if n in taken]
        if clash:
            raise UnitRegistryError(
                f"{target_area.full_name}已有单位“{other.name}”使用名称“{clash[0]}”，未添加 "
                "name already used by a unit of this area",
                field="name" if clash[0] == clean else "aliases",
            )
    unit = db.Unit(area_code=target_area.code, name=clean, aliases=extra)
    session.add(unit)
    session.flush()
    session.add(
        db.AuditEvent(
            actor=actor,
            action="unit.add",
            entity="unit",
            entity_id=str(unit.id),
            detail={"area_code": target_area.code, "name": clean, "aliases": extra},
        )
    )
    session.flush()
    return unit


def list_units(session: Session, area: str | None = None) -> list[UnitRow]:
    """Every unit (of one area when given) with how many targets and indicators it answers for
    now, and whether it is retired (retired units stay listed: their history is theirs)."""
    query = select(db.Unit).order_by(db.Unit.area_code, db.Unit.name)
    if area is not None:
        query = query.where(db.Unit.area_code == area_in_workspace(session, area).code)
    # Two grouped counts for all units, rather than two queries per unit.
    targets = _counts(session, db.TargetUnit.unit_id, db.TargetUnit.target_id)
    indicators = _counts(session, db.IndicatorReporter.unit_id, db.IndicatorReporter.indicator_id)
    rows = [
        UnitRow(
            unit.area_code,
            unit.area.full_name,
            unit.name,
            tuple(unit.aliases or []),
            targets.get(unit.id, 0),
            indicators.get(unit.id, 0),
            unit.retired_from,
            unit.successor.name if unit.successor is not None else None,
        )
        for unit in session.scalars(query)
    ]
    return rows


def _counts(session: Session, unit_col: Any, counted: Any) -> dict[int, int]:
    """Distinct ``counted`` per unit id (a unit may be both lead and responsible for a target)."""
    q = select(unit_col, func.count(func.distinct(counted))).group_by(unit_col)
    return {int(unit): int(n) for unit, n in session.execute(q)}
