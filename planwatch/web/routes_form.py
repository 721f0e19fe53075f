"""A unit's online form: fill, check, save a draft, and 报送 (the workflow's submit).

Errors block saving; a warning needs a written 说明 beside its cell before the unit may
报送. Every save is a new revision through the importer's own store (with its audit row),
and the web audit log records who saved and who submitted.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Form as FormField
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from planwatch.collect import workflow
from planwatch.limits import workspace_limits
from planwatch.store.models import Unit
from planwatch.web.audit import record
from planwatch.web.context import Auth, authenticated, guard, render, web
from planwatch.web.errors import NotFound
from planwatch.web.form_data import Form, check, empty_form, fill, save_draft
from planwatch.web.pages_data import default_year
from planwatch.web.permissions import Resource

router = APIRouter()

YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]


def _unit(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("没有这个单位")
    return unit


def _page(request: Request, auth: Auth, form: Form, message: str | None = None, status: int = 200) -> Response:
    return render(request, "form_fill.html", {"f": form, "message": message}, status_code=status, auth=auth)


@router.get("/units/{unit_id}/form")
def show_form(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
              year: YearQuery = None, saved: int = 0, submitted: int = 0) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        unit = _unit(session, unit_id)
        guard(request, auth, "form.fill", Resource(unit.area_code, unit.id))
        year = year or default_year(session, unit.area_code, ctx.today())
        form = empty_form(session, unit, year)
        if form.latest is not None:
            check(session, form, workspace_limits(ctx.workspace.config))
        message = "已保存草稿" if saved else "已报送" if submitted else None
        return _page(request, auth, form, message)


@router.post("/units/{unit_id}/form")
async def save_form(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
                    year: Annotated[int, FormField(ge=2000, le=2100)]) -> Response:
    """Check what was typed; store it as a draft revision only when no error is left."""
    ctx = web(request)
    data = await request.form()
    values = {k[2:]: str(v) for k, v in data.items() if k.startswith("v:")}
    notes = {k[2:]: str(v) for k, v in data.items() if k.startswith("n:")}
    with ctx.db() as session:
        unit = _unit(session, unit_id)
        guard(request, auth, "form.fill", Resource(unit.area_code, unit.id))
        form = empty_form(session, unit, year)
        fill(form, values, notes)
        if not form.editable:
            assert form.latest is not None
            return _page(request, auth, form, f"当前状态为“{workflow.STATE_LABELS[form.latest.state]}”，不能修改", 409)
        checked = check(session, form, workspace_limits(ctx.workspace.config))
        if not checked.report.valid:
            return _page(request, auth, form, f"有 {form.errors} 处错误，请改正后再保存", 422)
        sub_id = save_draft(session, form, auth.username, ctx.now())
        record(session, ctx.now(), auth.actor(request), "submission.save", resource="submission",
               resource_id=str(sub_id), area_code=unit.area_code, unit_id=unit.id,
               detail={"year": year, "warnings": len(checked.report.warnings), "source": "网页填报"})
    return RedirectResponse(f"/units/{unit_id}/form?year={year}&saved=1", status_code=303)


@router.post("/units/{unit_id}/form/submit")
def submit_form(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
                year: Annotated[int, FormField(ge=2000, le=2100)]) -> Response:
    """报送 the latest draft, after checking it again: no error, and a 说明 for every warning."""
    ctx = web(request)
    with ctx.db() as session:
        unit = _unit(session, unit_id)
        form = empty_form(session, unit, year)
        state = form.latest.state if form.latest is not None else None
        guard(request, auth, "form.submit", Resource(unit.area_code, unit.id, state))
        if form.latest is None:
            return _page(request, auth, form, "尚未保存任何数据，不能报送", 409)
        check(session, form, workspace_limits(ctx.workspace.config))
        if form.errors:
            return _page(request, auth, form, f"有 {form.errors} 处错误，不能报送", 422)
        if form.unexplained:
            return _page(request, auth, form,
                         f"有 {form.unexplained} 处警告尚未填写说明，请填写说明并保存后再报送", 422)
        sub = workflow.submit(session, form.latest.id, auth.username, at=ctx.now())
        record(session, ctx.now(), auth.actor(request), "submission.submit", resource="submission",
               resource_id=str(sub.id), area_code=unit.area_code, unit_id=unit.id, detail={"year": year})
    return RedirectResponse(f"/units/{unit_id}/form?year={year}&submitted=1", status_code=303)
