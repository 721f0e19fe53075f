"""Reports from the browser: the office asks for a report of its area and year, watches the
job's progress, and downloads the files; the 领导 see and download them.

A request only records a job (:mod:`planwatch.web.report_jobs`) and wakes the queue; the
work is done by the workers (:mod:`planwatch.web.report_workers`), so a restart loses
nothing. The job page polls its own status fragment with htmx while the job runs; without
JavaScript the page reloads itself (a meta refresh) and shows the same fragment.

Permission checks run outside the request's database transaction: a refusal writes its audit
row in a transaction of its own, which on SQLite would wait for the (IMMEDIATE) request
transaction's write lock and fail with 'database is locked'.

Downloads are served only from the job's own folder and only under the names the job
recorded; the file name goes to the browser in Content-Disposition as an ASCII fallback and
as RFC 5987 UTF-8 (Chinese names), and every download is in the audit log.
"""

from __future__ import annotations

import mimetypes
import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.store.models import Area
from planwatch.store.report_jobs import JOB_STATE_LABELS, ReportJob
from planwatch.web.audit import Actor, record_event
from planwatch.web.boards_data import assessment_year
from planwatch.web.context import Auth, WebContext, authenticated, guard, known_area, render, web
from planwatch.web.errors import NotFound
from planwatch.web.permissions import Resource
from planwatch.web.report_jobs import (
    DATE_LABEL,
    FORMAT_CHOICES,
    KIND_FORMATS,
    KIND_LABELS,
    JobRequest,
    ReportJobError,
    check_request,
    job_file,
    queue_job,
)
from planwatch.web.report_workers import dispatch, notify_workers

router = APIRouter()

LISTED_JOBS = 50
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
}


def _job(session: Session, job_id: int) -> ReportJob:
    job = session.get(ReportJob, job_id)
    if job is None:
        raise NotFound("没有这个报告任务")
    return job


def _page(request: Request, auth: Auth, area_code: str, *, form: dict[str, object] | None = None,
          error: ReportJobError | None = None, status_code: int = 200) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        area = known_area(session, area_code)
        session.expunge(area)
    guard(request, auth, "reports.view", Resource(area_code))
    with ctx.db() as session:
        jobs = list(session.scalars(select(ReportJob).where(ReportJob.area_code == area_code)
                                    .order_by(ReportJob.id.desc()).limit(LISTED_JOBS)))
        year = assessment_year(session, area_code, ctx.today())
    can_request = auth.principal.has("office_admin") and any(
        g.role == "office_admin" and g.area_code == area_code for g in auth.principal.grants)
    form = form or {"kind": "annual", "year": year, "formats": list(KIND_FORMATS["annual"][:2]), "report_date": ""}
    return render(request, "reports.html", {
        "area": area, "jobs": jobs, "form": form, "error": error, "can_request": can_request,
        "kinds": KIND_LABELS, "kind_formats": KIND_FORMATS, "format_labels": FORMAT_CHOICES, "date_label": DATE_LABEL,
        "job_states": JOB_STATE_LABELS}, auth=auth, status_code=status_code)


@router.get("/areas/{area_code}/reports")
def reports_page(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    return _page(request, auth, area_code)


@router.post("/areas/{area_code}/reports")
def request_report(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
                   kind: Annotated[str, Form(max_length=20)] = "",
                   year: Annotated[str, Form(max_length=10)] = "",
                   formats: Annotated[list[str] | None, Form(max_length=10)] = None,
                   report_date: Annotated[str, Form(max_length=20)] = "") -> Response:
    ctx = web(request)
    with ctx.db() as session:
        known_area(session, area_code)
    guard(request, auth, "reports.request", Resource(area_code))
    chosen = [f for f in (formats or []) if f]
    form: dict[str, object] = {"kind": kind, "year": year, "formats": chosen, "report_date": report_date}
    try:
        if not re.fullmatch(r"\d{4}", year.strip()):
            raise ReportJobError(f"年度应为四位数字，实为 {year!r}", "year")
        checked = check_request(kind, area_code, int(year), chosen, report_date)
    except ReportJobError as exc:
        return _page(request, auth, area_code, form=form, error=exc, status_code=422)
    job_id = start_job(ctx, request.app, checked, auth.actor(request))
    return RedirectResponse(f"/reports/jobs/{job_id}", status_code=303)


def start_job(ctx: WebContext, app: Any, checked: JobRequest, actor: Actor) -> int:
    """Record a checked request (row and ``report.request`` audit entry) and hand it to the queue.

    Shared by the page and the REST API, so a job asked for either way is queued, audited and
    run alike. ``app`` is the application whose state holds the in-process worker.
    """
    with ctx.db() as session:
        job_id = queue_job(session, checked, actor, ctx.now()).id
    dispatch(ctx.workspace, job_id)  # after the commit: a worker must find the row it is given
    notify_workers(app)
    return job_id


def _job_view(request: Request, auth: Auth, job_id: int) -> tuple[ReportJob, Area]:
    ctx = web(request)
    with ctx.db() as session:
        job = _job(session, job_id)
        area = known_area(session, job.area_code)
        session.expunge(job)
        session.expunge(area)
    guard(request, auth, "reports.view", Resource(job.area_code))
    return job, area


@router.get("/reports/jobs/{job_id}")
def job_page(request: Request, job_id: int, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    job, area = _job_view(request, auth, job_id)
    return render(request, "report_job.html", {"job": job, "area": area, "kinds": KIND_LABELS,
                                               "job_states": JOB_STATE_LABELS}, auth=auth)


@router.get("/reports/jobs/{job_id}/status")
def job_status(request: Request, job_id: int, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    """The progress fragment htmx polls; it stops polling itself once the job is finished."""
    job, area = _job_view(request, auth, job_id)
    return render(request, "report_job_status.html", {"job": job, "area": area, "kinds": KIND_LABELS,
                                                      "job_states": JOB_STATE_LABELS}, auth=auth)


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the real (Chinese) name in RFC 5987 form."""
    stem, dot, ext = name.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem if dot else name).strip("_") or "report"
    fallback = f"{ascii_stem}.{ext}" if dot and re.fullmatch(r"[A-Za-z0-9]+", ext) else ascii_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get("/reports/jobs/{job_id}/files/{name}")
def download(request: Request, job_id: int, name: str, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        job = _job(session, job_id)
        session.expunge(job)
    guard(request, auth, "reports.view", Resource(job.area_code))
    response = file_response(ctx, job, name, auth.actor(request))
    if response is None:
        raise NotFound("没有这个报告文件")
    return response


def file_response(ctx: WebContext, job: ReportJob, name: str, actor: Actor) -> FileResponse | None:
    """A finished job's recorded file, audited as ``report.download``; None when there is no such file.

    Shared by the page and the REST API: the same file checks and the same audit entry either way.
    The caller has checked that ``actor`` may see the job.
    """
    path = job_file(ctx.workspace, job, name) if job.state == "done" else None
    if path is None:
        return None
    record_event(ctx.workspace.sessions, ctx.clock, actor, "report.download", "success",
                 resource="report_job", resource_id=str(job.id), area_code=job.area_code,
                 detail={"file": name, "kind": job.kind, "year": job.year})
    media = MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media, headers={"content-disposition": content_disposition(name)})
