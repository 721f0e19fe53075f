"""A unit's online form: fill, check, save a draft, and 报送 (the workflow's submit).

Errors block saving; a warning needs a written 说明 beside its cell before the unit may
报送. Every save is a new revision through the importer's own store (with its audit row),
and the web audit log records who saved and who submitted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi import Form as FormField
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from planwatch import api
from planwatch.collect import workflow
from planwatch.collect.template import template_filename, template_spec, write_template
from planwatch.collect.units import active_in
from planwatch.limits import Limits, workspace_limits
from planwatch.store.models import Unit
from planwatch.web import upload_data
from planwatch.web.audit import record
from planwatch.web.context import Auth, authenticated, guard, render, web
from planwatch.web.errors import NotFound
from planwatch.web.form_data import Form, check, empty_form, fill, save_draft
from planwatch.web.pages_data import default_year
from planwatch.web.permissions import Resource

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]


def _unit(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("没有这个单位")
    return unit


def _locked_message(form: Form) -> str:
    if form.retired is not None:
        return form.retired
    assert form.latest is not None
    state = workflow.STATE_LABELS[form.latest.state]
    if form.latest.state == "approved":
        return (f"本年度数据已审定（第 {form.latest.revision} 版），已锁定，不能修改或上传；"
                "如需更正，请联系工委办解锁")
    return f"本年度数据为“{state}”状态（第 {form.latest.revision} 版），不能修改或上传"


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
        if form.latest is not None and form.editable:
            # A revision that can no longer be edited is shown as stored, not re-checked:
            # re-checking it would only repeat that it is locked, as if it were an error.
            check(session, form, workspace_limits(ctx.workspace.config))
        message = "已保存草稿" if saved else "已报送" if submitted else None
        return _page(request, auth, form, message)


@router.post("/units/{unit_id}/form")
async def save_form(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
                    year: Annotated[int, FormField(ge=2000, le=2100)]) -> Response:
    """Check what was typed; store it as a draft revision only when no error is left.

    The posted form is read on the event loop; checking and storing it run in the thread pool (see
    :func:`upload`), so one unit's save never holds up the other requests being served."""
    ctx = web(request)
    data = await request.form(max_fields=workspace_limits(ctx.workspace.config).rows * 4 + 10)
    values = {k[2:]: str(v) for k, v in data.items() if k.startswith("v:")}
    notes = {k[2:]: str(v) for k, v in data.items() if k.startswith("n:")}
    return await run_in_threadpool(_save_form, request, unit_id, auth, year, values, notes)


def _save_form(request: Request, unit_id: int, auth: Auth, year: int,
               values: dict[str, str], notes: dict[str, str]) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        unit = _unit(session, unit_id)
        guard(request, auth, "form.fill", Resource(unit.area_code, unit.id))
        form = empty_form(session, unit, year)
        fill(form, values, notes)
        if not form.editable:
            return _page(request, auth, form, _locked_message(form), 409)
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
        if form.retired is not None:
            return _page(request, auth, form, form.retired, 409)
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


@router.get("/units/{unit_id}/template")
def download_template(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
                      year: YearQuery = None) -> Response:
    """The unit's Excel template for the year, in one click (the same workbook ``planwatch template`` writes)."""
    ctx = web(request)
    with ctx.db() as session, tempfile.TemporaryDirectory() as tmp:
        unit = _unit(session, unit_id)
        guard(request, auth, "form.fill", Resource(unit.area_code, unit.id))
        year = year or default_year(session, unit.area_code, ctx.today())
        active_in(unit, year)  # a retired unit has no template for a year after it
        spec = template_spec(session, unit, year,
                             deadline=ctx.workspace.config.deadlines.due("annual_data", year).isoformat())
        name = template_filename(spec)
        content = write_template(spec, Path(tmp) / name).read_bytes()
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"template.xlsx\"; filename*=UTF-8''{quote(name)}"})


@router.post("/units/{unit_id}/upload")
async def upload(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
                 year: Annotated[int, FormField(ge=2000, le=2100)], file: UploadFile) -> Response:
    """Check an uploaded workbook and show what it would change; nothing is stored yet.

    Only the upload itself is read on the event loop: the database work and the workbook's checks
    (a dry run of the import) run in the thread pool, as a plain ``def`` route's body does, so that
    a unit's upload on the deadline day never holds up the other units' requests."""
    limits = workspace_limits(web(request).workspace.config)
    locked = await run_in_threadpool(_locked_page, request, unit_id, auth, year)
    if locked is not None:
        # Refused before the file is even read: approved (or submitted) figures are locked.
        return locked
    content = await file.read(limits.file_bytes + 1)
    if len(content) > limits.file_bytes:
        raise upload_data.UploadTooLarge(f"文件超过上限（{limits.file_bytes} 字节），未读取")
    return await run_in_threadpool(_preview_upload, request, unit_id, auth, year, limits, file.filename or "", content)


def _locked_page(request: Request, unit_id: int, auth: Auth, year: int) -> Response | None:
    """The form page saying the year is locked (409), or None when the unit may still change it."""
    with web(request).db() as session:
        unit = _unit(session, unit_id)
        guard(request, auth, "form.fill", Resource(unit.area_code, unit.id))
        current = empty_form(session, unit, year)
        if current.editable:
            return None
        return _page(request, auth, current, _locked_message(current), 409)


def _preview_upload(request: Request, unit_id: int, auth: Auth, year: int, limits: Limits, name: str,
                    content: bytes) -> Response:
    ctx = web(request)
    token, kept = upload_data.keep(ctx.workspace.path, unit_id, year, auth.username, name, content)
    with ctx.db() as session:
        unit = _unit(session, unit_id)
        found = upload_data.preview(session, unit, year, kept.file, limits)
        form = empty_form(session, unit, year)
    revision = None
    if found.belongs and not found.errors and form.editable:
        # The library's dry run: the storing itself, rolled back, says which revision it would become.
        dry = api.import_data(ctx.workspace, [kept.file], actor=auth.username, dry_run=True).files[0]
        if dry.accepted:
            revision = dry.revision
        else:
            found.problems.extend(p for p in dry.report.problems if p not in found.problems)
    if revision is None:
        upload_data.discard(kept)
        token = ""
    return render(request, "form_upload.html", {"f": form, "p": found, "token": token, "name": name,
                                                "revision": revision}, status_code=200 if token else 422, auth=auth)


@router.post("/units/{unit_id}/upload/confirm")
def confirm_upload(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
                   token: Annotated[str, FormField(max_length=64)]) -> Response:
    """Import the kept file (the library's own import: checked again, then stored as a revision)."""
    ctx = web(request)
    with ctx.db() as session:
        unit = _unit(session, unit_id)
        guard(request, auth, "form.fill", Resource(unit.area_code, unit.id))
        area_code = unit.area_code
    kept = upload_data.pending(ctx.workspace.path, unit_id, token, auth.username)
    if kept is None:
        raise upload_data.NoPendingUpload("没有待确认的上传文件，请重新上传")
    with ctx.db() as session:
        current = empty_form(session, _unit(session, unit_id), kept.year)
        if not current.editable:  # approved or submitted since the preview
            upload_data.discard(kept)
            return _page(request, auth, current, _locked_message(current), 409)
    try:
        result = api.import_data(ctx.workspace, [kept.file], actor=auth.username)
    finally:
        upload_data.discard(kept)
    one = result.files[0]
    if not one.accepted:
        reasons = "；".join(p.message for p in one.report.errors[:5])
        raise upload_data.UploadRefused(f"文件未通过校验，未保存：{reasons}")
    with ctx.db() as session:
        record(session, ctx.now(), auth.actor(request), "submission.upload", resource="submission",
               resource_id=str(one.submission_id), area_code=area_code, unit_id=unit_id,
               detail={"year": kept.year, "revision": one.revision, "observations": one.observations})
    return RedirectResponse(f"/units/{unit_id}/form?year={kept.year}&saved=1", status_code=303)
