"""Who runs the report jobs: a thread in the web process on SQLite, procrastinate on PostgreSQL.

SQLite serves one office from one process. The ``report_jobs`` rows are the queue: a thread
takes the oldest 排队中 row (claimed by a conditional UPDATE), writes it, and sleeps until
the next request wakes it (or a second passes). When it starts, rows left 生成中 by a process
that was killed are put back in the queue — on SQLite no other process can be running them.

PostgreSQL may serve a city or a province from several processes. procrastinate (a job
queue that needs nothing but PostgreSQL) carries each job's id to one of any number of
workers: the one ``planwatch serve`` starts inside the web process and those started with
``planwatch worker WS``. See :mod:`planwatch.web.job_queue` for the procrastinate side.

The web application starts its worker in its lifespan, so a test client used without
``with`` (most tests) runs no background thread at all.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol

from planwatch.errors import PlanwatchError
from planwatch.store.workspace import Workspace
from planwatch.web import report_jobs

log = logging.getLogger(__name__)


class Worker(Protocol):
    def start(self) -> None: ...

    def notify(self) -> None: ...

    def stop(self, timeout: float = ...) -> None: ...


class ThreadWorker:
    """The SQLite queue runner: one background thread, woken by each new request."""

    def __init__(self, workspace: Workspace, clock: Callable[[], dt.datetime], poll_seconds: float = 1.0) -> None:
        self.workspace = workspace
        self.clock = clock
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.requeued: list[int] = []

    def start(self) -> None:
        with self.workspace.session() as session:
            self.requeued = report_jobs.requeue_interrupted(session)
        if self.requeued:
            log.warning("re-queued report jobs interrupted by a restart: %s", self.requeued)
        self._thread = threading.Thread(target=self._loop, name="planwatch-report-jobs", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> int | None:
        """Claim and run the oldest queued job; its id, or None when the queue is empty."""
        with self.workspace.session() as session:
            job_id = report_jobs.next_queued(session)
            if job_id is None or not report_jobs.claim(session, job_id, self.clock()):
                return None
        report_jobs.run_job(self.workspace, job_id, self.clock)
        return job_id

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                ran = self.run_once()
            except Exception:  # the database went away for a moment: log, wait, try again
                log.exception("report job worker")
                ran = None
            if ran is None:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()


class WorkerUnavailable(PlanwatchError):
    """``planwatch worker`` on a SQLite workspace: its one web process runs the reports itself."""

    code = "web.worker_unavailable"


def run_worker_process(workspace: Workspace, concurrency: int = 1,
                       on_start: Callable[[], object] | None = None) -> None:
    """``planwatch worker WS``: one more process taking report jobs, PostgreSQL only."""
    if workspace.engine.dialect.name != "postgresql":
        raise WorkerUnavailable(
            "SQLite 工作区的报告由 planwatch serve 进程内的后台线程生成，无需另行启动；"
            "需要多个报告生成进程时请使用 PostgreSQL 数据库")
    from planwatch.store.models import utcnow
    from planwatch.web.job_queue import run_worker

    if on_start is not None:
        on_start()
    run_worker(workspace, utcnow, concurrency)


def make_worker(workspace: Workspace, clock: Callable[[], dt.datetime]) -> Worker:
    """The worker that fits the workspace's database."""
    if workspace.engine.dialect.name == "postgresql":
        from planwatch.web.job_queue import QueueWorker

        return QueueWorker(workspace, clock)
    return ThreadWorker(workspace, clock)


def notify_workers(app: Any) -> None:
    """Tell the in-process worker (if any) that a job is waiting, so it starts at once.

    On PostgreSQL the request has already been handed to procrastinate by the route
    (:func:`dispatch`); this only wakes a local SQLite thread.
    """
    worker: Worker | None = getattr(app.state, "report_worker", None)
    if worker is not None:
        worker.notify()


def dispatch(workspace: Workspace, job_id: int) -> None:
    """Hand a queued job to the queue: procrastinate on PostgreSQL; on SQLite the row is the queue."""
    if workspace.engine.dialect.name == "postgresql":
        from planwatch.web.job_queue import defer_job

        defer_job(workspace, job_id)


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Start the workspace's report worker with the application and stop it with it."""
    ctx = app.state.web
    worker = make_worker(ctx.workspace, ctx.clock)
    await asyncio.to_thread(worker.start)
    app.state.report_worker = worker
    try:
        yield
    finally:
        app.state.report_worker = None
        await asyncio.to_thread(worker.stop)
