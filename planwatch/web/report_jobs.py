"""Report jobs asked for from the web pages: recording, claiming, running and recovering them.

A request writes a ``report_jobs`` row (排队中) in the same transaction as its audit entry;
nothing else is needed for the job to survive a restart. Who runs it depends on the
database (:mod:`planwatch.web.report_workers`): on SQLite an in-process thread takes queued
rows oldest first; on PostgreSQL procrastinate hands the row's id to any of its workers.
Both end in :func:`run_job`, which writes the documents through :mod:`planwatch.api` into
one folder per job under the workspace's ``reports`` folder and keeps the row's progress
and file list current, so the page can show them while the job runs.

Claiming is one conditional UPDATE (``… WHERE id = ? AND state = 'queued'``): two workers
can race for a row and exactly one wins, on either database.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from planwatch import api
from planwatch.errors import PlanwatchError
from planwatch.report.dating import ReportDateError, parse_report_date
from planwatch.store.report_jobs import JOB_KINDS, ReportJob
from planwatch.store.workspace import Workspace
from planwatch.vocabulary import REPORT_KINDS
from planwatch.web.audit import Actor, record

log = logging.getLogger(__name__)

JOBS_FOLDER = Path("reports") / "web-jobs"
"""Inside the workspace: one folder per job, ``reports/web-jobs/000012``."""
DATE_LABEL = "落款日期"
"""The report-date field as the page labels it; a refusal of a typed date names it."""
FORMAT_CHOICES = {"docx": "Word（docx）", "pdf": "PDF", "html": "网页（html）", "xlsx": "Excel（xlsx）"}
KIND_FORMATS: dict[str, tuple[str, ...]] = {
    "annual": ("docx", "pdf", "html"),
    "midterm": ("docx", "pdf"),
    "final": ("docx", "pdf"),
    "warnings": ("docx", "pdf"),
    "compendium": ("xlsx",),
}
"""The formats each kind may be written in from the web page (the first ones are the usual)."""
KIND_LABELS = {k: REPORT_KINDS[k] for k in JOB_KINDS}
INTERNAL_ERROR = "生成报告时发生内部错误，请联系系统管理员查看服务器日志"


class ReportJobError(PlanwatchError, ValueError):
    """A report request that cannot be queued (unknown kind, format, year or date), said by the field."""

    code = "web.report_job"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.place = self.field = field


@dataclass(frozen=True)
class JobRequest:
    kind: str
    area_code: str
    year: int
    formats: tuple[str, ...]
    report_date: dt.date | None = None
    """The day the documents are dated (落款); None: the day they are written."""


def check_request(kind: str, area_code: str, year: int, formats: Sequence[str],
                  report_date: str | None = None) -> JobRequest:
    """The request checked field by field; the first problem raises with the field it is about.

    ``report_date`` is the text typed (``2025-03-01``); empty or None leaves the documents
    dated the day they are written. It is read as the command line's ``--date`` is, so a
    date the page takes is one ``planwatch report`` takes too.
    """
    if kind not in JOB_KINDS:
        raise ReportJobError(f"未知的报告类型：{kind!r}", "kind")
    if not 2000 <= year <= 2100:
        raise ReportJobError(f"年度应在 2000—2100 之间，实为 {year}", "year")
    allowed = KIND_FORMATS[kind]
    chosen = tuple(f for f in allowed if f in formats)
    unknown = [f for f in formats if f not in allowed]
    if unknown:
        names = "、".join(FORMAT_CHOICES.get(f, f) for f in allowed)
        raise ReportJobError(f"{KIND_LABELS[kind]}只能生成 {names}，不能生成 {'、'.join(unknown)}", "formats")
    if not chosen:
        raise ReportJobError("请至少选择一种文件格式", "formats")
    return JobRequest(kind, area_code, year, chosen, _checked_date(report_date))


def _checked_date(text: str | None) -> dt.date | None:
    if text is None or not text.strip():
        return None
    try:
        return parse_report_date(text, DATE_LABEL)
    except ReportDateError as exc:
        raise ReportJobError(exc.message, "report_date") from None


def folder_of(workspace: Workspace, job_id: int) -> Path:
    return workspace.path / JOBS_FOLDER / f"{job_id:06d}"


def queue_job(session: Session, request: JobRequest, actor: Actor, at: dt.datetime) -> ReportJob:
    """The job's row and its audit entry, in the caller's transaction: both kept, or neither."""
    job = ReportJob(kind=request.kind, area_code=request.area_code, year=request.year,
                    formats=list(request.formats), report_date=request.report_date, state="queued",
                    requested_by=actor.username or "?", user_id=actor.user_id, created_at=at,
                    done_count=0, total_count=0, files=[], attempts=0)
    session.add(job)
    session.flush()
    record(session, at, actor, "report.request", resource="report_job", resource_id=str(job.id),
           area_code=request.area_code,
           after={"kind": request.kind, "year": request.year, "formats": list(request.formats),
                  "report_date": request.report_date.isoformat() if request.report_date else None})
    return job


def claim(session: Session, job_id: int, at: dt.datetime, *, from_states: tuple[str, ...] = ("queued",)) -> bool:
    """Mark the job 生成中 if it is still in ``from_states``; True for the one caller that won."""
    result = session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, ReportJob.state.in_(from_states))
        .values(state="running", started_at=at, finished_at=None, error=None, done_count=0, files=[],
                attempts=ReportJob.attempts + 1)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def next_queued(session: Session) -> int | None:
    return session.scalar(select(ReportJob.id).where(ReportJob.state == "queued").order_by(ReportJob.id).limit(1))


def requeue_interrupted(session: Session) -> list[int]:
    """Rows left 生成中 by a process that died go back to 排队中 (SQLite: one process owns the queue)."""
    ids = list(session.scalars(select(ReportJob.id).where(ReportJob.state == "running").order_by(ReportJob.id)))
    if ids:
        session.execute(update(ReportJob).where(ReportJob.id.in_(ids)).values(state="queued", started_at=None))
    return ids


def run_job(workspace: Workspace, job_id: int, clock: Callable[[], dt.datetime]) -> str:
    """Write the job's documents; the row ends 已完成 or 失败 with the Chinese reason. Returns the state.

    The documents are dated the job's ``report_date`` when the office chose one, else the day
    they are written, as ``planwatch report`` with and without ``--date``.

    The caller has claimed the row (state 生成中). The folder is emptied first, so a job
    started again after a crash never mixes its files with the interrupted run's.
    """
    with workspace.session() as session:
        job = session.get(ReportJob, job_id)
        if job is None:
            return "missing"
        kind, area, year, formats, date = job.kind, job.area_code, job.year, list(job.formats), job.report_date
    folder = folder_of(workspace, job_id)
    try:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        plan = api.plan_reports(workspace, year, [kind], areas=[area], date=date)
        _update(workspace, job_id, total_count=len(plan.jobs))
        written: list[str] = []

        def done(_job: object, paths: list[Path]) -> None:
            written.extend(p.name for p in paths)
            _update(workspace, job_id, done_count=min(len(plan.jobs), _count(workspace, job_id) + 1),
                    files=list(written))

        api.write_reports(plan, folder, formats=formats, on_done=done, jobs=1)
    except PlanwatchError as exc:
        _finish(workspace, job_id, clock(), "failed", exc.message)
        return "failed"
    except Exception:  # a bug or a broken disk: the row says so in Chinese, the log has the trace
        log.exception("report job %s failed", job_id)
        _finish(workspace, job_id, clock(), "failed", INTERNAL_ERROR)
        return "failed"
    _finish(workspace, job_id, clock(), "done", None)
    return "done"


def _count(workspace: Workspace, job_id: int) -> int:
    with workspace.session() as session:
        return session.scalar(select(ReportJob.done_count).where(ReportJob.id == job_id)) or 0


def _update(workspace: Workspace, job_id: int, **values: object) -> None:
    with workspace.session() as session:
        session.execute(update(ReportJob).where(ReportJob.id == job_id).values(**values))


def _finish(workspace: Workspace, job_id: int, at: dt.datetime, state: str, error: str | None) -> None:
    values: dict[str, object] = {"state": state, "error": error, "finished_at": at}
    if state == "done":
        values["done_count"] = ReportJob.total_count
    _update(workspace, job_id, **values)


def job_file(workspace: Workspace, job: ReportJob, name: str) -> Path | None:
    """The file ``name`` of a finished job, or None: only names the job recorded, inside its folder."""
    if name not in job.files or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder_of(workspace, job.id) / name
    return path if path.is_file() else None
