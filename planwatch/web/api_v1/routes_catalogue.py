"""Catalogue reads: the token's area, its plans, targets, indicators and member units.

Indicators and targets come from the catalogue's own export (``planwatch catalogue export``,
:func:`planwatch.api.catalogue_data`), units from :func:`planwatch.api.list_units`, so the
API and the command line describe the catalogue in one shape.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from planwatch import api
from planwatch.store.models import Area, Plan, Unit
from planwatch.web.api_v1.auth import Caller, caller, need_scope
from planwatch.web.api_v1.schemas import AreaOut, IndicatorOut, PlanOut, TargetOut, UnitOut
from planwatch.web.context import web

router = APIRouter(tags=["catalogue 指标目录"])
Who = Annotated[Caller, Depends(caller)]


@router.get("/areas", response_model=list[AreaOut], summary="令牌所属地区及其下级地区")
def areas(request: Request, who: Who) -> list[dict[str, Any]]:
    need_scope(who, "read")
    with web(request).db() as session:
        rows = session.scalars(select(Area).where((Area.code == who.area_code) | (Area.parent_code == who.area_code))
                               .order_by(Area.code))
        return [{"code": a.code, "name": a.name, "full_name": a.full_name, "level": a.level,
                 "parent_code": a.parent_code} for a in rows]


@router.get("/units", response_model=list[UnitOut], summary="地区的成员单位")
def units(request: Request, who: Who) -> list[dict[str, Any]]:
    need_scope(who, "read")
    ctx = web(request)
    with ctx.db() as session:
        ids = {name: uid for uid, name in session.execute(select(Unit.id, Unit.name)
                                                          .where(Unit.area_code == who.area_code))}
    return [{"id": ids[u.name], "area_code": u.area_code, "area_name": u.area_name, "name": u.name,
             "aliases": list(u.aliases), "targets": u.targets, "indicators": u.indicators,
             "retired_from": u.retired_from, "successor": u.successor}
            for u in api.list_units(ctx.workspace, area=who.area_code) if u.name in ids]


@router.get("/plans", response_model=list[PlanOut], summary="地区的规划")
def plans(request: Request, who: Who) -> list[dict[str, Any]]:
    need_scope(who, "read")
    with web(request).db() as session:
        rows = session.scalars(select(Plan).where(Plan.area_code == who.area_code).order_by(Plan.id))
        return [{"id": p.id, "area_code": p.area_code, "title": p.title, "issuer": p.issuer,
                 "doc_number": p.doc_number, "date": p.date.isoformat() if p.date else None, "subject": p.subject,
                 "period": {"start": p.period_start, "end": p.period_end}} for p in rows]


@router.get("/targets", response_model=list[TargetOut], summary="地区规划的主要目标及监测方式")
def targets(request: Request, who: Who) -> list[dict[str, Any]]:
    need_scope(who, "read")
    data = api.catalogue_data(web(request).workspace)
    return [t for t in data["targets"] if t["area"] == who.area_code]


@router.get("/indicators", response_model=list[IndicatorOut], summary="地区规划涉及的指标")
def indicators(request: Request, who: Who) -> list[dict[str, Any]]:
    """Each indicator with the targets and reporters of the token's area (others' are left out)."""
    need_scope(who, "read")
    out = []
    for ind in api.catalogue_data(web(request).workspace)["indicators"]:
        mine = [t for t in ind["targets"] if t["area"] == who.area_code]
        reporters = {a: names for a, names in ind["reporters"].items() if a == who.area_code}
        if mine or reporters:
            out.append({**ind, "targets": mine, "reporters": reporters})
    return out
