"""The PostgreSQL side of report jobs: procrastinate carries each job's id to a worker.

The ``report_jobs`` row stays the record (what the pages show); procrastinate only decides
which worker runs it, so any number of processes (``planwatch serve`` and ``planwatch
worker WS``) share the work and none runs the same report twice: each procrastinate job
has a queueing lock (one waiting job per report) and a lock (one running job per report).

Recovery after a crash: a worker whose heartbeat stopped leaves its procrastinate job
``doing``; the next worker to start retries such stalled jobs, and re-defers any 排队中 or
生成中 row that has no live procrastinate job (a web process killed between recording the
row and handing it over), so nothing asked for is lost.

procrastinate's tables live in their own schema (:mod:`planwatch.store.job_queue_schema`);
every connection it opens sets that search path.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

import procrastinate
from procrastinate import exceptions as queue_errors
from psycopg.conninfo import make_conninfo
from sqlalchemy import select, text

from planwatch.store.credentials import engine_arguments
from planwatch.store.job_queue_schema import QUEUE_SCHEMA
from planwatch.store.report_jobs import ReportJob
from planwatch.store.workspace import Workspace
from planwatch.web import report_jobs

log = logging.getLogger(__name__)

TASK = "planwatch.report_job"
QUEUE = "planwatch_reports"
STALLED_SECONDS = 30.0
"""A worker silent this long is taken for dead (procrastinate's heartbeat is every 10 s)."""


def conninfo(workspace: Workspace) -> str:
    """libpq connection string of the workspace's database, with the queue's search path."""
    url = workspace.engine.url
    _, extra = engine_arguments(workspace.path, workspace.database_url)
    params: dict[str, Any] = {"host": url.host, "port": url.port, "dbname": url.database, "user": url.username,
                              "password": url.password, **extra.get("connect_args", {}),
                              "options": f"-c search_path={QUEUE_SCHEMA}"}
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None})


def _lock(job_id: int) -> str:
    return f"planwatch-report-{job_id}"


def make_app(workspace: Workspace, clock: Callable[[], dt.datetime]) -> procrastinate.App:
    """A procrastinate app bound to the workspace, with the one task that runs a report job."""
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(workspace), min_size=1, max_size=3)
    app = procrastinate.App(connector=connector)

    @app.task(name=TASK, queue=QUEUE, pass_context=False)
    def run_report_job(job_id: int) -> str:
        # 生成中 too: a stalled job retried after its worker died takes the row over
        with workspace.session() as session:
            won = report_jobs.claim(session, job_id, clock(), from_states=("queued", "running"))
        if not won:
            return "skipped"
        return report_jobs.run_job(workspace, job_id, clock)

    return app


def _deferrer(app: procrastinate.App, job_id: int) -> Any:
    return app.configure_task(TASK, queue=QUEUE, lock=_lock(job_id), queueing_lock=_lock(job_id))


def defer_job(workspace: Workspace, job_id: int) -> None:
    """Hand a recorded job to procrastinate (from a request; synchronous)."""
    app = _app_of(workspace)
    with app.open(), contextlib.suppress(queue_errors.AlreadyEnqueued):  # already waiting: nothing to do
        _deferrer(app, job_id).defer(job_id=job_id)


_APPS: dict[int, procrastinate.App] = {}
_APPS_LOCK = threading.Lock()


def _app_of(workspace: Workspace) -> procrastinate.App:
    """One app per open workspace, for deferring from requests (its clock is never used there)."""
    with _APPS_LOCK:
        app = _APPS.get(id(workspace))
        if app is None:
            app = _APPS[id(workspace)] = make_app(workspace, dt.datetime.now)
        return app


def _live_queue_jobs(workspace: Workspace) -> set[int]:
    """Report ids with a procrastinate job waiting or running."""
    sql = text(f"SELECT (args->>'job_id')::int FROM {QUEUE_SCHEMA}.procrastinate_jobs "
               "WHERE task_name = :task AND status IN ('todo', 'doing')")
    with workspace.session() as session:
        return set(session.scalars(sql, {"task": TASK}))


async def recover(app: procrastinate.App, workspace: Workspace) -> list[int]:
    """Retry the jobs of dead workers and re-defer rows with no queue job; the report ids re-queued."""
    stalled = await app.job_manager.get_stalled_jobs(queue=QUEUE, task_name=TASK,
                                                     seconds_since_heartbeat=STALLED_SECONDS)
    for job in stalled:
        await app.job_manager.retry_job(job)
    live = await asyncio.to_thread(_live_queue_jobs, workspace)

    def waiting() -> list[int]:
        with workspace.session() as session:
            return list(session.scalars(select(ReportJob.id).where(ReportJob.state.in_(("queued", "running")))
                                        .order_by(ReportJob.id)))

    redeferred = []
    for job_id in await asyncio.to_thread(waiting):
        if job_id in live:
            continue
        try:
            await _deferrer(app, job_id).defer_async(job_id=job_id)
            redeferred.append(job_id)
        except queue_errors.AlreadyEnqueued:
            pass
    return [int(str(j.task_kwargs["job_id"])) for j in stalled] + redeferred


class QueueWorker:
    """A procrastinate worker on its own event loop in a thread of the web process."""

    def __init__(self, workspace: Workspace, clock: Callable[[], dt.datetime], concurrency: int = 1) -> None:
        self.app = make_app(workspace, clock)
        self.workspace = workspace
        self.concurrency = concurrency
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.requeued: list[int] = []

    def start(self) -> None:
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),), name="planwatch-queue",
                                        daemon=True)
        self._thread.start()
        self._ready.wait(30)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        try:
            async with self.app.open_async():
                self.requeued = await recover(self.app, self.workspace)
                self._task = asyncio.create_task(self.app.run_worker_async(
                    queues=[QUEUE], concurrency=self.concurrency, install_signal_handlers=False,
                    stalled_worker_timeout=STALLED_SECONDS, wait=True))
                self._ready.set()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        finally:
            self._ready.set()

    def notify(self) -> None:
        """Nothing to do: procrastinate's workers hear of new jobs by LISTEN/NOTIFY."""

    def stop(self, timeout: float = 30.0) -> None:
        if self._loop is not None and self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        if self._thread is not None:
            self._thread.join(timeout)


def run_worker(workspace: Workspace, clock: Callable[[], dt.datetime], concurrency: int = 1) -> None:
    """``planwatch worker WS``: a worker in the foreground until Ctrl+C (procrastinate's signal handling)."""
    app = make_app(workspace, clock)

    async def main() -> None:
        async with app.open_async():
            await recover(app, workspace)
            await app.run_worker_async(queues=[QUEUE], concurrency=concurrency,
                                       stalled_worker_timeout=STALLED_SECONDS)

    asyncio.run(main())
