"""Catalogue pages: an area's plans → domains → targets (with lead and responsible units) →
indicators (definition, breakdowns, reporters); the office edits them.

Every monitoring role of the area reads; the 工委办管理员 edits a target (its text, units,
and each numeric value's comparator and value) and an indicator (definition, breakdowns).
Edits go through the catalogue YAML import (:mod:`planwatch.web.catalogue_data`), in the
transaction that writes the audit row with the state before and after, so a refused edit
changes nothing and shows each Chinese message by its field.

An indicator is shared by every area whose plans name it. An office edits only indicators
its own area alone uses; a shared one is read-only here (its definition is the whole
system's, changed with ``planwatch catalogue import``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from planwatch import vocabulary as vocab
from planwatch.store import models as db
from planwatch.store.catalogue_import import Change
from planwatch.web.audit import record
from planwatch.web.catalogue_data import (
    BETTER_LABELS,
    BREAKDOWN_LABELS,
    CatalogueEditError,
    area_plans,
    breakdown_parts,
    edit_indicator,
    edit_target,
    indicator_areas,
    plan_tree,
    target_values,
    units_of,
)
from planwatch.web.context import Auth, authenticated, guard, known_area, render, web
from planwatch.web.errors import NotFound
from planwatch.web.figures import plain_number
from planwatch.web.permissions import Resource, allowed

router = APIRouter()
T = TypeVar("T")
FORM_LIMIT = 8000


def _target(session: Session, area_code: str, target_id: int) -> db.Target:
    target = session.get(db.Target, target_id)
    if target is None or target.domain.plan.area_code != area_code:
        raise NotFound("没有这个目标")
    return target


def _indicator(session: Session, area_code: str, code: str) -> db.Indicator:
    indicator = session.scalar(select(db.Indicator).where(db.Indicator.code == code))
    if indicator is None or area_code not in indicator_areas(session, indicator):
        raise NotFound("本地区目录中没有这个指标")
    return indicator


async def _form(request: Request) -> tuple[dict[str, str], list[str]]:
    """The posted fields (bounded) and the checked breakdown dimensions."""
    data = await request.form(max_fields=200, max_part_size=FORM_LIMIT)
    fields = {k: str(v)[:FORM_LIMIT] for k, v in data.items() if isinstance(v, str)}
    dims = [str(v) for v in data.getlist("breakdowns") if isinstance(v, str)]
    return fields, dims


@dataclass(frozen=True)
class _Edit(Generic[T]):
    """What differs between editing a target and an indicator; :func:`_save_edit` is the rest."""

    resource: str
    """the audit row's resource kind."""
    resource_id: str
    page: str
    """the object's page, where a saved edit redirects."""
    load: Callable[[Session], T]
    """the object, or NotFound; called again after the edit, since the session is expired."""
    state: Callable[[Session, T], dict[str, Any]]
    """what the audit row keeps before and after."""
    apply: Callable[[Session, T, dict[str, str], list[str]], list[Change]]
    refused: Callable[[Session, db.Area, T, dict[str, str], list[str], dict[str, list[str]]], Response]
    """the page again with the form as posted and each message by its field (422)."""
    authorize: Callable[[Session, T], None] = lambda session, obj: None
    """permission checks beyond the area's own (a shared indicator: every area's office)."""


async def _save_edit(request: Request, area_code: str, auth: Auth, edit: _Edit[T]) -> Response:
    """One office edit: checked, applied all or nothing, audited with the state before and after.

    The form can only be read on the event loop (``await request.form()``); the checks and writes
    then run in the thread pool, as a plain ``def`` route's body does, so that an edit's database
    work (the catalogue import, the audit rows) never holds up the other requests being served.
    """
    form, dims = await _form(request)
    return await run_in_threadpool(_apply_edit, request, area_code, auth, edit, form, dims)


def _apply_edit(request: Request, area_code: str, auth: Auth, edit: _Edit[T],
                form: dict[str, str], dims: list[str]) -> Response:
    """The edit runs in a SAVEPOINT, so a refused edit leaves nothing behind in the request's
    transaction; the session is then expired and the object read again for the page or the
    audit row, since the import has changed (or rolled back) rows under it."""
    ctx = web(request)
    with ctx.db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "catalogue.edit", Resource(area_code))
        obj = edit.load(session)
        edit.authorize(session, obj)
        before = edit.state(session, obj)
        try:
            with session.begin_nested():  # a refused edit leaves nothing behind in the transaction
                changes = edit.apply(session, obj, form, dims)
        except CatalogueEditError as exc:
            session.expire_all()
            return edit.refused(session, area, edit.load(session), form, dims, exc.fields)
        if changes:
            session.expire_all()
            after = edit.state(session, edit.load(session))
            record(session, ctx.now(), auth.actor(request), "catalogue.edit", resource=edit.resource,
                   resource_id=edit.resource_id, area_code=area_code, before=before, after=after,
                   detail={"changes": [{"path": c.path, "old": c.old, "new": c.new} for c in changes]})
    return RedirectResponse(f"{edit.page}?saved=1", status_code=303)


@router.get("/areas/{area_code}/catalogue")
def catalogue(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
              plan: Annotated[int | None, Query(ge=1)] = None) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "catalogue.view", Resource(area_code))
        plans = area_plans(session, area_code)
        chosen = next((p for p in plans if p.id == plan), plans[0] if plans else None)
        if plan is not None and (chosen is None or chosen.id != plan):
            raise NotFound("本地区没有这个规划")
        tree = plan_tree(session, chosen) if chosen else []
        return render(request, "catalogue.html", {
            "area": area, "plans": plans, "plan": chosen, "tree": tree,
            "can_edit": allowed(auth.principal, "catalogue.edit", Resource(area_code)),
            "subjects": vocab.SUBJECT_LABELS}, auth=auth)


def _target_page(request: Request, auth: Auth, session: Session, area: db.Area, target: db.Target, *,
                 form: dict[str, str] | None = None, errors: dict[str, list[str]] | None = None,
                 saved: bool = False, status_code: int = 200) -> Response:
    values = target_values(session, target)
    current = {"text": target.text, "lead_units": "、".join(units_of(target, "lead")),
               "responsible_units": "、".join(units_of(target, "responsible"))}
    for row in values:
        if row.tv.comparator is not None:
            current[f"comparator_{row.tv.id}"] = row.tv.comparator
            # every digit: the input is posted back, and %g would have cut 1234567 to 1.23457e+06
            current[f"value_{row.tv.id}"] = plain_number(row.tv.value, None)
    unit_names = list(session.scalars(select(db.Unit.name).where(db.Unit.area_code == area.code)
                                      .order_by(db.Unit.name)))
    return render(request, "catalogue_target.html", {
        "area": area, "t": target, "plan": target.domain.plan, "domain": target.domain, "values": values,
        "form": form or current, "errors": errors or {}, "saved": saved, "unit_names": unit_names,
        "can_edit": allowed(auth.principal, "catalogue.edit", Resource(area.code)),
        "comparators": vocab.COMPARATOR_SIGNS, "monitoring": vocab.MONITORING_LABELS[target.monitoring]},
        auth=auth, status_code=status_code)


@router.get("/areas/{area_code}/catalogue/targets/{target_id}")
def target_page(request: Request, area_code: str, target_id: int, auth: Annotated[Auth, Depends(authenticated)],
                saved: Annotated[int, Query(ge=0, le=1)] = 0) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "catalogue.view", Resource(area_code))
        target = _target(session, area_code, target_id)
        return _target_page(request, auth, session, area, target, saved=bool(saved))


def _target_state(session: Session, target: db.Target) -> dict[str, Any]:
    return {"text": target.text, "lead_units": units_of(target, "lead"),
            "responsible_units": units_of(target, "responsible"),
            "values": {str(r.tv.id): [r.tv.comparator, r.tv.value] for r in target_values(session, target)
                       if r.tv.comparator is not None}}


@router.post("/areas/{area_code}/catalogue/targets/{target_id}")
async def target_edit(request: Request, area_code: str, target_id: int,
                      auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    def refused(session: Session, area: db.Area, target: db.Target, form: dict[str, str], dims: list[str],
                errors: dict[str, list[str]]) -> Response:
        return _target_page(request, auth, session, area, target, form=form, errors=errors, status_code=422)

    return await _save_edit(request, area_code, auth, _Edit(
        resource="target", resource_id=str(target_id), page=f"/areas/{area_code}/catalogue/targets/{target_id}",
        load=lambda session: _target(session, area_code, target_id), state=_target_state,
        apply=lambda session, target, form, dims: edit_target(session, target, form, auth.username),
        refused=refused))


def _indicator_page(request: Request, auth: Auth, session: Session, area: db.Area, indicator: db.Indicator, *,
                    form: dict[str, str] | None = None, dims: list[str] | None = None,
                    errors: dict[str, list[str]] | None = None, saved: bool = False,
                    status_code: int = 200) -> Response:
    areas = indicator_areas(session, indicator)
    values = list(session.scalars(select(db.TargetValue).where(db.TargetValue.indicator_id == indicator.id,
                                                               db.TargetValue.area_code == area.code)
                                  .order_by(db.TargetValue.id)))
    reporters = sorted(r.unit.name for r in indicator.reporters if r.area_code == area.code)
    parts = breakdown_parts(indicator)
    current = {"definition": indicator.definition or "", **{f"categories_{k}": v for k, v in parts.items()}}
    series = session.get(db.Indicator, indicator.series_id) if indicator.series_id is not None else None
    shared = [a.full_name for a in session.scalars(select(db.Area).where(db.Area.code.in_(areas - {area.code}))
                                                   .order_by(db.Area.code))]
    can_edit = allowed(auth.principal, "catalogue.edit", Resource(area.code)) and all(
        allowed(auth.principal, "catalogue.edit", Resource(a)) for a in areas)
    return render(request, "catalogue_indicator.html", {
        "area": area, "ind": indicator, "values": values, "reporters": reporters, "series": series,
        "shared": shared, "can_edit": can_edit, "form": form or current,
        "dims": dims if dims is not None else list(parts), "errors": errors or {}, "saved": saved,
        "breakdown_labels": BREAKDOWN_LABELS, "better_labels": BETTER_LABELS,
        "comparators": vocab.COMPARATOR_SIGNS, "directions": vocab.DIRECTION_WORDS}, auth=auth,
        status_code=status_code)


@router.get("/areas/{area_code}/catalogue/indicators/{code}")
def indicator_page(request: Request, area_code: str, code: str, auth: Annotated[Auth, Depends(authenticated)],
                   saved: Annotated[int, Query(ge=0, le=1)] = 0) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "catalogue.view", Resource(area_code))
        indicator = _indicator(session, area_code, code)
        return _indicator_page(request, auth, session, area, indicator, saved=bool(saved))


def _indicator_state(session: Session, indicator: db.Indicator) -> dict[str, Any]:
    return {"definition": indicator.definition, "breakdowns": list(indicator.breakdowns)}


@router.post("/areas/{area_code}/catalogue/indicators/{code}")
async def indicator_edit(request: Request, area_code: str, code: str,
                         auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    def every_office(session: Session, indicator: db.Indicator) -> None:
        for other in sorted(indicator_areas(session, indicator)):  # a shared indicator: every area's office
            guard(request, auth, "catalogue.edit", Resource(other))

    def refused(session: Session, area: db.Area, indicator: db.Indicator, form: dict[str, str], dims: list[str],
                errors: dict[str, list[str]]) -> Response:
        return _indicator_page(request, auth, session, area, indicator, form=form, dims=dims, errors=errors,
                               status_code=422)

    return await _save_edit(request, area_code, auth, _Edit(
        resource="indicator", resource_id=code, page=f"/areas/{area_code}/catalogue/indicators/{code}",
        load=lambda session: _indicator(session, area_code, code), state=_indicator_state,
        apply=lambda session, indicator, form, dims: edit_indicator(session, indicator, form, dims, auth.username),
        refused=refused, authorize=every_office))
