"""Report jobs of the token's area: list and read them, download their files, ask for new ones.

The same jobs as the web pages' (:mod:`planwatch.web.routes_reports`): a request goes through
the page's checks (:func:`~planwatch.web.report_jobs.check_request`, refused with its Chinese
message and field as a 422) and the page's :func:`~planwatch.web.routes_reports.start_job`,
so its row, its ``report.request`` audit entry and its queueing are the page's own; a
download goes through the page's :func:`~planwatch.web.routes_reports.file_response`
(only names the job recorded, only once it is done, audited as ``report.download``).

Who may do what is the pages' policy: an area token reads its area's jobs (``reports.view``,
as the 领导 do), one with ``review`` also asks for them (``reports.request``, as the office
does); a unit token, like a unit's accounts on the pages, sees no report job.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.store.report_jobs import JOB_STATE_LABELS, ReportJob
from planwatch.web.api_v1.auth import ApiNotFound, Caller, caller, error_response, need, need_scope
from planwatch.web.api_v1.schemas import Error, JobKind, JobState, ReportJobIn, ReportJobOut, ReportJobPage
from planwatch.web.context import web
from planwatch.web.permissions import Resource
from planwatch.web.report_jobs import KIND_LABELS, ReportJobError, check_request
from planwatch.web.routes_reports import MEDIA_TYPES, file_response, start_job

router = APIRouter(tags=["report-jobs 报告任务"])
Who = Annotated[Caller, Depends(caller)]
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]
MAX_LIMIT = 200


def _iso(when: dt.datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def job_out(job: ReportJob) -> dict[str, Any]:
    return {"id": job.id, "kind": job.kind, "kind_label": KIND_LABELS.get(job.kind, job.kind),
            "area_code": job.area_code, "year": job.year, "formats": list(job.formats), "state": job.state,
            "state_label": JOB_STATE_LABELS.get(job.state, job.state), "done_count": job.done_count,
            "total_count": job.total_count, "error": job.error, "files": list(job.files),
            "requested_by": job.requested_by, "created_at": job.created_at.isoformat(),
            "started_at": _iso(job.started_at), "finished_at": _iso(job.finished_at),
            "report_date": job.report_date.isoformat() if job.report_date else None}


def _readable(session: Session, who: Caller, job_id: int) -> ReportJob:
    """The job, if the token may see it: 404 when there is none, 403 when it is another area's."""
    need_scope(who, "read")
    need(who, "reports.view", Resource(who.area_code))  # a unit token sees no report job at all
    job = session.get(ReportJob, job_id)
    if job is None:
        raise ApiNotFound(f"没有编号为 {job_id} 的报告任务")
    need(who, "reports.view", Resource(job.area_code))
    return job


@router.get("/report-jobs", response_model=ReportJobPage, summary="本地区的报告任务（最新的在前）")
def report_jobs(
    request: Request, who: Who,
    kind: Annotated[JobKind | None, Query(description="报告类型")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    state: Annotated[JobState | None, Query(description="任务状态")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(max_length=18, pattern=r"^\d+$",
                                        description="上一页返回的 next_cursor")] = None,
) -> dict[str, Any]:
    need_scope(who, "read")
    need(who, "reports.view", Resource(who.area_code))
    query = select(ReportJob).where(ReportJob.area_code == who.area_code)
    if kind is not None:
        query = query.where(ReportJob.kind == kind)
    if year is not None:
        query = query.where(ReportJob.year == year)
    if state is not None:
        query = query.where(ReportJob.state == state)
    if cursor:
        query = query.where(ReportJob.id < int(cursor))
    with web(request).db() as session:
        jobs = list(session.scalars(query.order_by(ReportJob.id.desc()).limit(limit + 1)))
        items = [job_out(j) for j in jobs[:limit]]
    more = len(jobs) > limit
    return {"items": items, "next_cursor": str(items[-1]["id"]) if more else None}


@router.get("/report-jobs/{job_id}", response_model=ReportJobOut, summary="一个报告任务：状态、进度、失败原因、文件")
def report_job(request: Request, who: Who, job_id: JobId) -> dict[str, Any]:
    with web(request).db() as session:
        return job_out(_readable(session, who, job_id))


@router.get("/report-jobs/{job_id}/files/{name}", response_class=Response, summary="下载已完成任务的一个文件",
            responses={200: {"description": "文件内容（Content-Disposition 给出中文文件名）",
                             "content": {media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                                         for media in MEDIA_TYPES.values()}}})
def report_file(request: Request, who: Who, job_id: JobId,
                name: Annotated[str, Path(max_length=200, description="任务的 files 中的文件名")]) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        job = _readable(session, who, job_id)
        session.expunge(job)
    response = file_response(ctx, job, name, who.actor)
    if response is None:
        unfinished = "" if job.state == "done" else "（任务尚未完成）"
        raise ApiNotFound(f"报告任务 {job_id} 没有名为“{name}”的文件{unfinished}")
    return response


@router.post("/report-jobs", response_model=ReportJobOut, status_code=201, summary="请求生成报告（排队后台生成）",
             responses={422: {"model": Error, "description": "请求未通过检查（place 指明字段），未建立任务"}})
def request_report(request: Request, who: Who, body: Annotated[ReportJobIn, Body()]) -> Any:
    need_scope(who, "review")
    need(who, "reports.request", Resource(who.area_code))
    try:
        checked = check_request(body.kind, who.area_code, body.year, body.formats, body.report_date)
    except ReportJobError as exc:
        return error_response(exc, 422)
    ctx = web(request)
    job_id = start_job(ctx, request.app.state.host_app, checked, who.actor)
    with ctx.db() as session:
        job = session.get(ReportJob, job_id)
        assert job is not None
        return job_out(job)
