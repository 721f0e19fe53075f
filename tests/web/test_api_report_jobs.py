"""Report jobs through the REST API: asked for with the pages' checks, queued, run by the
pages' worker, read back and downloaded; refused to unit tokens, read-only tokens and other
areas. The worker is driven by hand (``ThreadWorker.run_once``), as in the pages' tests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from urllib.parse import quote, unquote

import pytest
from api_support import API, audit_calls, bearer, make_token
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import AREA_A, AREA_B, Site

from planwatch.store.accounts import AuditLog
from planwatch.store.report_jobs import ReportJob
from planwatch.web.report_jobs import folder_of
from planwatch.web.report_workers import ThreadWorker
from planwatch.web.tokens import RateLimiter


@pytest.fixture(scope="module", autouse=True)
def no_rate_limit(site: Site) -> None:
    site.client().app.state.api_v1.state.api_limiter = RateLimiter(per_minute=10**6, burst=10**6)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def office(site: Site) -> TestClient:
    return bearer(site, make_token(site, "jobs-office", ["read", "review"]))


@pytest.fixture(scope="module")
def reader(site: Site) -> TestClient:
    return bearer(site, make_token(site, "jobs-reader", ["read"]))


def _jobs(site: Site) -> int:
    with site.workspace.session() as session:
        return int(session.scalar(select(func.count()).select_from(ReportJob)) or 0)


def _audit(site: Site, job_id: int) -> list[tuple[str, str | None]]:
    with site.workspace.session() as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.resource == "report_job",
                                                      AuditLog.resource_id == str(job_id))).all()
        return [(r.action, r.actor) for r in rows]


def _ask(client: TestClient, kind: str, year: int, formats: list[str]) -> int:
    response = client.post(f"{API}/report-jobs", json={"kind": kind, "year": year, "formats": formats})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "queued" and body["state_label"] == "排队中" and body["area_code"] == AREA_A
    assert body["kind"] == kind and body["year"] == year and body["files"] == [] and body["error"] is None
    return int(body["id"])


def test_a_job_asked_for_is_queued_run_and_its_files_download(site: Site, office: TestClient,
                                                               reader: TestClient) -> None:
    job_id = _ask(office, "warnings", 2024, ["pdf", "docx"])
    assert ("report.request", "token:jobs-office") in _audit(site, job_id)
    assert office.get(f"{API}/report-jobs/{job_id}/files/x.pdf").status_code == 404  # not written yet

    assert ThreadWorker(site.workspace, site.clock).run_once() == job_id
    job = reader.get(f"{API}/report-jobs/{job_id}").json()
    assert job["state"] == "done" and job["state_label"] == "已完成" and job["finished_at"]
    assert job["done_count"] == job["total_count"] == 1 and job["formats"] == ["docx", "pdf"]
    assert sorted(name.rsplit(".", 1)[1] for name in job["files"]) == ["docx", "pdf"]
    for name in job["files"]:
        response = reader.get(f"{API}/report-jobs/{job_id}/files/{quote(name)}")
        assert response.status_code == 200, name
        assert unquote(response.headers["content-disposition"].split("filename*=UTF-8''")[1]) == name
        if name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
                assert "预警" in docx.read("word/document.xml").decode()
        else:
            assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    assert _audit(site, job_id).count(("report.download", "token:jobs-reader")) == 2

    listed = reader.get(f"{API}/report-jobs", params={"kind": "warnings", "state": "done", "year": 2024}).json()
    assert job_id in [j["id"] for j in listed["items"]]
    for other in ({"kind": "compendium"}, {"state": "queued"}, {"year": 2023}):
        items = reader.get(f"{API}/report-jobs", params=other).json()["items"]
        assert job_id not in [j["id"] for j in items] and all(j[k] == v for j in items for k, v in other.items())


def test_only_recorded_files_of_a_finished_job_are_served(site: Site, office: TestClient) -> None:
    job_id = _ask(office, "compendium", 2024, ["xlsx"])
    assert ThreadWorker(site.workspace, site.clock).run_once() == job_id
    (folder_of(site.workspace, job_id) / "planted.xlsx").write_bytes(b"PK")
    for name in ("planted.xlsx", "..%2F..%2Fworkspace.yaml", "%2E%2E", "workspace.yaml"):
        response = office.get(f"{API}/report-jobs/{job_id}/files/{name}")
        assert response.status_code == 404, name
        # a name with an encoded slash matches no route at all; the others reach the file check
        assert response.json()["code"] == ("api.http_404" if "%2F" in name else "api.not_found"), name
    assert office.get(f"{API}/report-jobs/999999").status_code == 404


def test_a_failed_job_says_why_in_chinese(site: Site, office: TestClient) -> None:
    job_id = _ask(office, "final", 2024, ["docx"])  # 2024 is before the plans' target year 2025
    assert ThreadWorker(site.workspace, site.clock).run_once() == job_id
    job = office.get(f"{API}/report-jobs/{job_id}").json()
    assert job["state"] == "failed" and job["state_label"] == "失败"
    assert "终期评估应在目标年份2025年的数据齐全后进行" in job["error"]


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"kind": "warnings", "year": 2024, "formats": ["xlsx"]}, "formats", "不能生成 xlsx"),
    ({"kind": "compendium", "year": 2024, "formats": []}, "formats", "请至少选择一种文件格式"),
    ({"kind": "annual", "year": 1999, "formats": ["docx"]}, "year", "年度应在 2000—2100 之间"),
    ({"kind": "units", "year": 2024, "formats": ["docx"]}, "kind", "未知的报告类型"),
])
def test_an_invalid_request_is_refused_as_the_page_refuses_it(
        site: Site, office: TestClient, body: dict[str, object], field: str, message: str) -> None:
    before = _jobs(site)
    response = office.post(f"{API}/report-jobs", json=body)
    assert response.status_code == 422
    refusal = response.json()
    assert refusal["code"] == "web.report_job" and refusal["place"] == field and message in refusal["message"]
    assert _jobs(site) == before


def test_a_job_keeps_the_report_date_it_was_asked_for(site: Site, office: TestClient) -> None:
    asked = office.post(f"{API}/report-jobs", json={"kind": "compendium", "year": 2024, "formats": ["xlsx"],
                                                    "report_date": "2025-03-01"})
    assert asked.status_code == 201, asked.text
    job_id = asked.json()["id"]
    assert asked.json()["report_date"] == "2025-03-01"
    with site.workspace.session() as session:
        job = session.get(ReportJob, job_id)
        assert job is not None and job.report_date == dt.date(2025, 3, 1)
    assert office.get(f"{API}/report-jobs/{job_id}").json()["report_date"] == "2025-03-01"
    undated = _ask(office, "compendium", 2024, ["xlsx"])  # none asked for: null, dated when written
    assert office.get(f"{API}/report-jobs/{undated}").json()["report_date"] is None


def test_a_report_date_that_is_not_a_day_is_refused(site: Site, office: TestClient) -> None:
    before = _jobs(site)
    response = office.post(f"{API}/report-jobs", json={"kind": "compendium", "year": 2024, "formats": ["xlsx"],
                                                       "report_date": "2025-02-30"})
    assert response.status_code == 422
    refusal = response.json()
    assert refusal["code"] == "web.report_job" and refusal["place"] == "report_date"
    assert "落款日期 应为有效日期" in refusal["message"] and "2025-02-30" in refusal["message"]
    assert _jobs(site) == before


def test_a_read_only_token_cannot_ask_for_a_report(site: Site, reader: TestClient) -> None:
    before = _jobs(site)
    response = reader.post(f"{API}/report-jobs", json={"kind": "compendium", "year": 2024, "formats": ["xlsx"]})
    assert response.status_code == 403 and response.json()["code"] == "api.scope"
    assert _jobs(site) == before
    assert audit_calls(site)[-1].outcome == "denied"


def test_a_unit_token_sees_no_report_job(site: Site) -> None:
    with site.workspace.session() as session:
        job_id = session.scalar(select(ReportJob.id).where(ReportJob.state == "done"))
        job = session.get(ReportJob, job_id)
        assert job is not None, "runs after a job was written"
        name = job.files[0]
    unit = bearer(site, make_token(site, "jobs-unit", ["read", "submit"], unit="区卫生健康局"))
    for url in ("/report-jobs", f"/report-jobs/{job_id}", f"/report-jobs/{job_id}/files/{quote(name)}",
                "/report-jobs/999999"):
        response = unit.get(API + url)
        assert response.status_code == 403 and response.json()["code"] == "api.forbidden", url
    assert unit.post(f"{API}/report-jobs", json={"kind": "compendium", "year": 2024,
                                                 "formats": ["xlsx"]}).status_code == 403


def test_another_areas_token_cannot_read_or_download_the_job(site: Site) -> None:
    with site.workspace.session() as session:
        job = session.scalars(select(ReportJob).where(ReportJob.state == "done")).first()
        assert job is not None, "runs after a job was written"
        job_id, name = job.id, job.files[0]
    other = bearer(site, make_token(site, "jobs-other-area", ["read", "review"], area=AREA_B))
    assert other.get(f"{API}/report-jobs/{job_id}").status_code == 403
    assert other.get(f"{API}/report-jobs/{job_id}/files/{quote(name)}").status_code == 403
    assert job_id not in [j["id"] for j in other.get(f"{API}/report-jobs").json()["items"]]
    downloads = [a for a in _audit(site, job_id) if a == ("report.download", "token:jobs-other-area")]
    assert downloads == []


def test_the_list_pages_with_a_cursor_newest_first(site: Site, office: TestClient) -> None:
    for _ in range(3):
        _ask(office, "compendium", 2023, ["xlsx"])
    seen: list[int] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 2, "year": 2023}
        if cursor:
            params["cursor"] = cursor
        page = office.get(f"{API}/report-jobs", params=params).json()
        seen.extend(j["id"] for j in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    with site.workspace.session() as session:
        expected = list(session.scalars(select(ReportJob.id).where(ReportJob.area_code == AREA_A,
                                                                    ReportJob.year == 2023)
                                        .order_by(ReportJob.id.desc())))
    assert seen == expected and len(seen) >= 3


def test_the_openapi_document_describes_report_jobs(site: Site) -> None:
    doc = site.client().get(f"{API}/openapi.json").json()
    for path in ("/report-jobs", "/report-jobs/{job_id}", "/report-jobs/{job_id}/files/{name}"):
        assert path in doc["paths"], path
    assert {"ReportJobOut", "ReportJobPage", "ReportJobIn"} <= set(doc["components"]["schemas"])
    download = doc["paths"]["/report-jobs/{job_id}/files/{name}"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in download
