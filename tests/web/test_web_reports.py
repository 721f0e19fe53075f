"""Reports from the browser: a request becomes a job, the worker writes it, the files download.

The worker is driven by hand (``ThreadWorker.run_once``) where the test is about the job's
states, and runs in the application's lifespan where it is about the restart; no test
sleeps for a fixed time.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import AREA_A, AREA_B, Clock, add_account, grant_for, login

from planwatch.demo import DemoSummary
from planwatch.report import dating
from planwatch.store.accounts import AuditLog
from planwatch.store.models import Unit
from planwatch.store.report_jobs import ReportJob
from planwatch.store.workspace import Workspace, open_workspace
from planwatch.web.app import create_app
from planwatch.web.report_jobs import folder_of
from planwatch.web.report_workers import ThreadWorker
from planwatch.web.routes_reports import content_disposition

SECRET = "test-secret-" + "x" * 40
ROLES = ("office_admin", "leader", "filler", "office_b", "auditor")


@dataclass
class ReportSite:
    workspace: Workspace
    clock: Clock
    path: Path

    def app(self) -> object:
        return create_app(self.workspace, clock=self.clock, secret=SECRET)

    def client(self, role: str, app: object | None = None) -> TestClient:
        client = TestClient(app or self.app(), follow_redirects=False)  # type: ignore[arg-type]
        assert login(client, role).status_code == 303  # type: ignore[attr-defined]
        return client

    def worker(self) -> ThreadWorker:
        return ThreadWorker(self.workspace, self.clock)

    def job(self, job_id: int) -> ReportJob:
        with self.workspace.session() as session:
            job = session.get(ReportJob, job_id)
            assert job is not None
            session.expunge(job)
            return job


@pytest.fixture(scope="module")
def rsite(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportSite]:
    path = tmp_path_factory.mktemp("web-reports") / "ws"
    shutil.copytree(demo.path, path)
    ws = open_workspace(path)
    with ws.session() as session:
        units = {"U1": session.scalar(select(Unit.id).where(Unit.area_code == AREA_A, Unit.name == "区卫生健康局")),
                 "U3": session.scalar(select(Unit.id).where(Unit.area_code == AREA_B, Unit.name == "区卫生健康局"))}
    for role in ROLES:
        add_account(ws, role, grant_for(role, units))  # type: ignore[arg-type]
    try:
        yield ReportSite(ws, Clock(), path)
    finally:
        ws.close()


def _request(client: TestClient, kind: str, formats: list[str], year: str = "2024", area: str = AREA_A,
             report_date: str | None = None) -> object:
    token = client.cookies.get("csrftoken")
    data: dict[str, object] = {"kind": kind, "year": year, "formats": formats, "csrftoken": token or ""}
    if report_date is not None:
        data["report_date"] = report_date
    return client.post(f"/areas/{area}/reports", data=data)


def _queued(client: TestClient, kind: str, formats: list[str], report_date: str | None = None) -> int:
    response = _request(client, kind, formats, report_date=report_date)
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert location.startswith("/reports/jobs/")
    return int(location.rsplit("/", 1)[1])


def test_a_job_goes_from_queued_to_done_and_its_files_download_and_open(rsite: ReportSite) -> None:
    office = rsite.client("office_admin")
    job_id = _queued(office, "warnings", ["docx", "pdf"])
    page = office.get(f"/reports/jobs/{job_id}").text
    assert "排队中" in page and 'hx-trigger="every 2s"' in page and 'http-equiv="refresh"' in page
    assert rsite.worker().run_once() == job_id
    job = rsite.job(job_id)
    assert job.state == "done" and job.done_count == job.total_count == 1 and job.finished_at is not None
    assert sorted(Path(f).suffix for f in job.files) == [".docx", ".pdf"]

    status = office.get(f"/reports/jobs/{job_id}/status").text
    assert "已完成" in status and "hx-trigger" not in status  # a finished job stops polling
    for name in job.files:
        assert name in status
        response = office.get(f"/reports/jobs/{job_id}/files/{name}")
        assert response.status_code == 200
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == name
        body = response.content
        if name.endswith(".docx"):
            assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
            with zipfile.ZipFile(io.BytesIO(body)) as docx:
                assert "预警" in docx.read("word/document.xml").decode()
        else:
            assert response.headers["content-type"] == "application/pdf" and body.startswith(b"%PDF-")
    with rsite.workspace.session() as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.resource_id == str(job_id))).all()
        actions = [(r.action, r.actor) for r in rows]
    assert ("report.request", "office_admin") in actions
    assert actions.count(("report.download", "office_admin")) == 2


def test_the_leader_downloads_but_cannot_ask_for_a_report(rsite: ReportSite) -> None:
    office = rsite.client("office_admin")
    job_id = _queued(office, "compendium", ["xlsx"])
    assert rsite.worker().run_once() == job_id
    name = rsite.job(job_id).files[0]
    leader = rsite.client("leader")
    page = leader.get(f"/areas/{AREA_A}/reports")
    assert page.status_code == 200 and 'name="kind"' not in page.text and name in page.text
    download = leader.get(f"/reports/jobs/{job_id}/files/{name}")
    assert download.status_code == 200 and download.content.startswith(b"PK")
    assert _request(leader, "compendium", ["xlsx"]).status_code == 403  # type: ignore[attr-defined]


def _a_finished_job(rsite: ReportSite) -> tuple[int, str]:
    """A finished job of area A and its first file: one an earlier test left, or one made now,
    so that the test does not depend on which tests ran before it (or on which xdist worker)."""
    with rsite.workspace.session() as session:
        job = session.scalars(select(ReportJob).where(ReportJob.state == "done")).first()
        if job is not None:
            return job.id, job.files[0]
    job_id = _queued(rsite.client("office_admin"), "compendium", ["xlsx"])
    assert rsite.worker().run_once() == job_id
    return job_id, rsite.job(job_id).files[0]


@pytest.mark.parametrize("role", ["filler", "office_b", "auditor"])
def test_other_roles_and_areas_see_no_report(rsite: ReportSite, role: str) -> None:
    job_id, name = _a_finished_job(rsite)
    client = rsite.client(role)
    for url in (f"/areas/{AREA_A}/reports", f"/reports/jobs/{job_id}", f"/reports/jobs/{job_id}/status",
                f"/reports/jobs/{job_id}/files/{name}"):
        response = client.get(url)
        assert response.status_code == 403 and "无权" in response.text, url
    assert _request(client, "compendium", ["xlsx"]).status_code == 403  # type: ignore[attr-defined]


def test_only_recorded_files_of_a_finished_job_are_served(rsite: ReportSite) -> None:
    office = rsite.client("office_admin")
    job_id = _queued(office, "compendium", ["xlsx"])
    assert office.get(f"/reports/jobs/{job_id}/files/anything.xlsx").status_code == 404  # still queued
    assert rsite.worker().run_once() == job_id
    (folder_of(rsite.workspace, job_id) / "planted.xlsx").write_bytes(b"PK")
    for name in ("planted.xlsx", "..%2F..%2Fworkspace.yaml", "%2E%2E", "workspace.yaml"):
        assert office.get(f"/reports/jobs/{job_id}/files/{name}").status_code == 404, name
    assert office.get("/reports/jobs/999999").status_code == 404
    assert office.get("/areas/999999/reports").status_code == 404


def test_a_failure_shows_the_chinese_reason(rsite: ReportSite) -> None:
    office = rsite.client("office_admin")
    job_id = _queued(office, "final", ["docx"])  # 2024 is before the plans' target year 2025
    assert rsite.worker().run_once() == job_id
    job = rsite.job(job_id)
    assert job.state == "failed" and job.error and "终期评估应在目标年份2025年的数据齐全后进行" in job.error
    page = office.get(f"/reports/jobs/{job_id}").text
    assert "失败" in page and "生成失败：" in page and "终期评估应在目标年份2025年" in page
    assert "终期评估应在目标年份2025年" in office.get(f"/areas/{AREA_A}/reports").text


@pytest.mark.parametrize(("kind", "year", "formats", "field_message"), [
    ("warnings", "2024", ["xlsx"], "不能生成 xlsx"),
    ("compendium", "2024", [], "请至少选择一种文件格式"),
    ("annual", "二〇二四", ["docx"], "年度应为四位数字"),
    ("annual", "1999", ["docx"], "年度应在 2000—2100 之间"),
    ("units", "2024", ["docx"], "未知的报告类型"),
])
def test_an_invalid_request_is_refused_by_its_field_and_queues_nothing(
        rsite: ReportSite, kind: str, year: str, formats: list[str], field_message: str) -> None:
    office = rsite.client("office_admin")
    with rsite.workspace.session() as session:
        before = len(session.scalars(select(ReportJob.id)).all())
    response = _request(office, kind, formats, year)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert field_message in response.text and "field-error" in response.text  # type: ignore[attr-defined]
    with rsite.workspace.session() as session:
        assert len(session.scalars(select(ReportJob.id)).all()) == before


def test_a_job_is_dated_as_asked_or_else_the_day_it_is_written(
        rsite: ReportSite, monkeypatch: pytest.MonkeyPatch) -> None:
    written_on = dt.date(2031, 7, 9)  # "today" as the report builders see it (the worker runs here)
    monkeypatch.setattr(dating, "today", lambda: written_on)
    office = rsite.client("office_admin")
    dated = _queued(office, "annual", ["html"], report_date="2025-03-01")
    undated = _queued(office, "annual", ["html"], report_date="")  # the field left empty
    for job_id in (dated, undated):
        assert rsite.worker().run_once() == job_id
    signed: dict[int, list[str]] = {}
    for job_id in (dated, undated):
        job = rsite.job(job_id)
        assert job.state == "done" and job.files, job.error
        signed[job_id] = [office.get(f"/reports/jobs/{job_id}/files/{name}").text for name in job.files]
    assert rsite.job(dated).report_date == dt.date(2025, 3, 1) and rsite.job(undated).report_date is None
    # the 落款: the last of the signature lines under the text, the office then the day
    assert {re.findall(r'<p class="sign">([^<]*)</p>', html)[-1] for html in signed[dated]} == {"2025年3月1日"}
    assert {re.findall(r'<p class="sign">([^<]*)</p>', html)[-1] for html in signed[undated]} == {"2031年7月9日"}
    listed = office.get(f"/areas/{AREA_A}/reports").text
    assert 'type="date" name="report_date"' in listed and "2025年3月1日" in listed
    assert "落款日期" in office.get(f"/reports/jobs/{dated}").text
    assert "落款日期" not in office.get(f"/reports/jobs/{undated}").text


@pytest.mark.parametrize("typed", ["2025-02-30", "明天", "20250301"])
def test_a_report_date_that_is_not_a_day_is_refused_by_its_field_and_queues_nothing(
        rsite: ReportSite, typed: str) -> None:
    office = rsite.client("office_admin")
    with rsite.workspace.session() as session:
        before = len(session.scalars(select(ReportJob.id)).all())
    response = _request(office, "annual", ["html"], report_date=typed)
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    assert "落款日期 应为有效日期 YYYY-MM-DD" in page and typed in page and "field-error" in page
    assert f'name="report_date" value="{typed}"' in page  # what was typed is kept for correcting
    with rsite.workspace.session() as session:
        assert len(session.scalars(select(ReportJob.id)).all()) == before


def test_a_job_interrupted_by_a_crash_is_finished_after_a_restart(rsite: ReportSite) -> None:
    office = rsite.client("office_admin")
    job_id = _queued(office, "compendium", ["xlsx"])
    # the "crash": the row was claimed and a file half written, then the process died
    with rsite.workspace.session() as session:
        session.execute(ReportJob.__table__.update().where(ReportJob.id == job_id)
                        .values(state="running", attempts=1))
    folder = folder_of(rsite.workspace, job_id)
    folder.mkdir(parents=True)
    (folder / "half-written.xlsx.tmp").write_bytes(b"PK\x03")

    restarted = rsite.app()
    with TestClient(restarted, follow_redirects=False) as client:  # the lifespan starts the worker
        assert job_id in restarted.state.report_worker.requeued  # type: ignore[attr-defined]
        deadline = time.monotonic() + 120
        while rsite.job(job_id).state in ("queued", "running"):
            assert time.monotonic() < deadline, "the restarted worker did not finish the job"
            time.sleep(0.05)
        assert login(client, "office_admin").status_code == 303  # type: ignore[attr-defined]
        page = client.get(f"/reports/jobs/{job_id}").text
    job = rsite.job(job_id)
    assert job.state == "done" and job.attempts == 2 and "已完成" in page
    assert [p.name for p in folder.iterdir()] == job.files  # the interrupted run left nothing behind


def test_content_disposition_carries_the_chinese_name_and_an_ascii_fallback() -> None:
    value = content_disposition("市中区妇女儿童统计资料（2024）.xlsx")
    assert value.startswith('attachment; filename="2024.xlsx"; ')
    assert unquote(value.split("filename*=UTF-8''")[1]) == "市中区妇女儿童统计资料（2024）.xlsx"
    assert content_disposition('a"b\r\n.pdf').count('"') == 2  # no header injection through a name
