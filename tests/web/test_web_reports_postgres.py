"""Report jobs on PostgreSQL: procrastinate carries them to the workers, any number of them.

Skipped with the reason when no PostgreSQL server is reachable (see tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from seed_workspaces import SeedWorkspaces
from sqlalchemy import text
from web_support import AREA_A, Clock, add_account, login

from planwatch.store.job_queue_schema import QUEUE_SCHEMA
from planwatch.store.report_jobs import ReportJob
from planwatch.store.workspace import Workspace, open_workspace
from planwatch.web.app import create_app
from planwatch.web.audit import Actor
from planwatch.web.job_queue import TASK, QueueWorker
from planwatch.web.permissions import Grant
from planwatch.web.report_jobs import check_request, queue_job
from planwatch.web.report_workers import dispatch

pytestmark = pytest.mark.postgres

JINAN = Path(__file__).parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"


@pytest.fixture
def pg_workspace(pg_server_url: str, seed_workspaces: SeedWorkspaces, tmp_path: Path) -> Iterator[Workspace]:
    path = seed_workspaces.make(tmp_path / "ws", [JINAN], pg_server_url)
    ws = open_workspace(path)
    with ws.session() as session:
        session.execute(text(f"DELETE FROM {QUEUE_SCHEMA}.procrastinate_jobs"))  # what earlier tests left
    try:
        yield ws
    finally:
        ws.close()


def _wait_finished(ws: Workspace, ids: list[int], seconds: float = 120) -> list[ReportJob]:
    deadline = time.monotonic() + seconds
    while True:
        with ws.session() as session:
            jobs = [session.get(ReportJob, i) for i in ids]
            for job in jobs:
                assert job is not None
                session.expunge(job)
        if all(j is not None and j.state in ("done", "failed") for j in jobs):
            return jobs  # type: ignore[return-value]
        assert time.monotonic() < deadline, [(j.id, j.state) for j in jobs if j is not None]
        time.sleep(0.05)


def _queue(ws: Workspace, n: int) -> list[int]:
    ids = []
    for _ in range(n):
        with ws.session() as session:
            ids.append(queue_job(session, check_request("compendium", AREA_A, 2024, ["xlsx"]), Actor("test"),
                                 dt.datetime.now(dt.UTC)).id)
    return ids


def test_a_request_from_the_page_is_run_by_the_serve_process_worker(pg_workspace: Workspace) -> None:
    add_account(pg_workspace, "office_admin", Grant("office_admin", AREA_A))
    app = create_app(pg_workspace, clock=Clock(), secret="test-secret-" + "x" * 40)
    with TestClient(app, follow_redirects=False) as client:
        assert isinstance(app.state.report_worker, QueueWorker)
        assert login(client, "office_admin").status_code == 303  # type: ignore[attr-defined]
        response = client.post(f"/areas/{AREA_A}/reports", data={
            "kind": "compendium", "year": "2024", "formats": ["xlsx"], "report_date": "2025-03-01",
            "csrftoken": client.cookies.get("csrftoken")})
        assert response.status_code == 303
        job_id = int(response.headers["location"].rsplit("/", 1)[1])
        (job,) = _wait_finished(pg_workspace, [job_id])
        assert job.state == "done", job.error
        assert job.report_date == dt.date(2025, 3, 1)  # a Date column on PostgreSQL too
        download = client.get(f"/reports/jobs/{job_id}/files/{job.files[0]}")
        assert download.status_code == 200 and download.content.startswith(b"PK")
    with pg_workspace.session() as session:
        statuses = session.execute(text(
            f"SELECT status FROM {QUEUE_SCHEMA}.procrastinate_jobs WHERE task_name = :t"), {"t": TASK}).all()
    assert [s for (s,) in statuses] == ["succeeded"]


def test_two_workers_share_the_queue_and_run_each_job_once(pg_workspace: Workspace) -> None:
    workers = [QueueWorker(pg_workspace, lambda: dt.datetime.now(dt.UTC)) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        ids = _queue(pg_workspace, 4)
        for job_id in ids:
            dispatch(pg_workspace, job_id)
        jobs = _wait_finished(pg_workspace, ids)
    finally:
        for worker in workers:
            worker.stop()
    assert [(j.state, j.attempts) for j in jobs] == [("done", 1)] * 4
    with pg_workspace.session() as session:
        runs = session.execute(text(
            f"SELECT (args->>'job_id')::int, status FROM {QUEUE_SCHEMA}.procrastinate_jobs WHERE task_name = :t"),
            {"t": TASK}).all()
    assert sorted(runs) == [(i, "succeeded") for i in ids]


def test_a_job_lost_by_a_killed_process_is_run_by_the_next_worker(pg_workspace: Workspace) -> None:
    # recorded, claimed, then the process died before procrastinate ever heard of it
    (job_id,) = _queue(pg_workspace, 1)
    with pg_workspace.session() as session:
        session.execute(ReportJob.__table__.update().where(ReportJob.id == job_id).values(state="running"))
    worker = QueueWorker(pg_workspace, lambda: dt.datetime.now(dt.UTC))
    worker.start()
    try:
        assert job_id in worker.requeued
        (job,) = _wait_finished(pg_workspace, [job_id])
    finally:
        worker.stop()
    assert job.state == "done" and job.attempts == 1
