"""Which area and plans of a workspace a 监测指标体系 is matched against."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.indicator_system.table import IndicatorSystemError
from planwatch.store import models as db

_SUBJECT_WORDS = {"women": "women", "妇女": "women", "children": "children", "儿童": "children"}


def resolve_scope(session: Session, area: str | None, plan: str | None) -> tuple[str, list[int]]:
    """The area and plans a table is matched against.

    ``area`` is a code or name, needed only when the workspace holds plans of several areas;
    ``plan`` is ``women``/``children`` (妇女/儿童) or part of a title; without it every plan
    of the area is used (a bureau's table often covers both plans).
    """
    plans = list(session.scalars(select(db.Plan).order_by(db.Plan.area_code, db.Plan.id)))
    areas = {p.area_code: p.area.name for p in plans}
    if area is None:
        if len(areas) != 1:
            shown = "、".join(f"{c} {n}" for c, n in sorted(areas.items())) or "无"
            raise IndicatorSystemError(f"工作区有多个地区，请用 --area 指定：{shown} (give --area)")
        code = next(iter(areas))
    else:
        hits = [c for c, n in areas.items() if area in (c, n)]
        if not hits:
            shown = "、".join(f"{c} {n}" for c, n in sorted(areas.items()))
            raise IndicatorSystemError(f"工作区中没有地区“{area}”；可用：{shown} (unknown area)")
        code = hits[0]
    chosen = [p for p in plans if p.area_code == code]
    if plan is not None:
        subject = _SUBJECT_WORDS.get(plan.strip())
        chosen = [p for p in chosen if (p.subject == subject if subject else plan in p.title)]
        if not chosen:
            titles = "、".join(f"《{p.title}》" for p in plans if p.area_code == code)
            raise IndicatorSystemError(f"地区 {code} 没有与“{plan}”相符的规划；已有：{titles} (no such plan)")
    return code, [p.id for p in chosen]
