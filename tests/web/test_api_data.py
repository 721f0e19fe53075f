"""The REST API's data: the catalogue, observations paged and pulled incrementally, figures
posted through the form's validation, the workflow, and the assessment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from api_support import API, bearer, figures_like_last_year, make_token, submission_count
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import AREA_A, Site

from planwatch import api
from planwatch.store.models import Observation, Submission
from planwatch.web.tokens import RateLimiter

YEAR = 2025


@pytest.fixture(scope="module", autouse=True)
def no_rate_limit(site: Site) -> None:
    """Paging through every observation takes more calls than a client's burst allows."""
    site.client().app.state.api_v1.state.api_limiter = RateLimiter(per_minute=10**6, burst=10**6)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def unit_client(site: Site) -> TestClient:
    return bearer(site, make_token(site, "u1-system", ["read", "submit"], unit="区卫生健康局"))


@pytest.fixture(scope="module")
def office_client(site: Site) -> TestClient:
    return bearer(site, make_token(site, "office-system", ["read", "review"]))


def test_openapi_document_is_served(site: Site) -> None:
    doc = site.client().get(f"{API}/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/plans", "/targets", "/indicators", "/units", "/areas", "/observations", "/submissions",
                 "/submissions/{submission_id}", "/submissions/{submission_id}/{action}", "/assessment", "/warnings"):
        assert path in doc["paths"], path
    assert "ObservationPage" in doc["components"]["schemas"]


def test_catalogue_of_the_tokens_area(site: Site, office_client: TestClient) -> None:
    areas = office_client.get(f"{API}/areas").json()
    assert areas[0]["code"] == AREA_A
    plans = office_client.get(f"{API}/plans").json()
    assert plans and {p["area_code"] for p in plans} == {AREA_A}
    assert {p["subject"] for p in plans} == {"women", "children"}
    targets = office_client.get(f"{API}/targets").json()
    assert targets and {t["area"] for t in targets} == {AREA_A}
    indicators = office_client.get(f"{API}/indicators").json()
    exported = {i["code"]: i for i in api.catalogue_data(site.workspace)["indicators"]}
    one = indicators[0]
    assert one["name"] == exported[one["code"]]["name"]
    assert all(t["area"] == AREA_A for i in indicators for t in i["targets"])
    units = office_client.get(f"{API}/units").json()
    assert {u["id"] for u in units} >= {site.units["U1"], site.units["U2"]}
    assert site.units["U3"] not in {u["id"] for u in units}


def _all_pages(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = client.get(f"{API}/observations", params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_pagination_and_filters(office_client: TestClient) -> None:
    whole = office_client.get(f"{API}/observations", params={"limit": 1000}).json()
    assert whole["next_cursor"] is None and len(whole["items"]) > 30
    paged = _all_pages(office_client, limit=7)
    assert [o["id"] for o in paged] == [o["id"] for o in whole["items"]]
    one = whole["items"][0]
    chosen = _all_pages(office_client, indicator=one["indicator"], year=one["year"], breakdown=one["breakdown"],
                        state=one["state"], limit=2)
    assert chosen and all((o["indicator"], o["year"], o["breakdown"], o["state"])
                          == (one["indicator"], one["year"], one["breakdown"], one["state"]) for o in chosen)
    assert one["id"] in {o["id"] for o in chosen}
    expected = [o["id"] for o in whole["items"] if o["indicator"] == one["indicator"] and o["year"] == one["year"]
                and o["breakdown"] == one["breakdown"] and o["state"] == one["state"]]
    assert [o["id"] for o in chosen] == expected
    assert office_client.get(f"{API}/observations", params={"state": "draft"}).json()["items"] == []


def test_etag_answers_not_modified(office_client: TestClient) -> None:
    first = office_client.get(f"{API}/observations", params={"limit": 5})
    etag = first.headers["etag"]
    again = office_client.get(f"{API}/observations", params={"limit": 5}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = office_client.get(f"{API}/observations", params={"limit": 6}, headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_refused_figures_come_back_with_ids_places_and_messages(site: Site, unit_client: TestClient) -> None:
    figures = figures_like_last_year(site, site.units["U1"], YEAR)
    figures[0] = {**figures[0], "value": "12,5", "numerator": None, "denominator": None}
    figures.append({"indicator": "ZZ-99", "value": 1})
    figures.append(dict(figures[1]))
    before = submission_count(site)
    answer = unit_client.post(f"{API}/submissions", json={"year": YEAR, "figures": figures})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "collect.invalid" and "未保存" in body["message"]
    by_place = {p["place"]: p for p in body["problems"]}
    last = len(figures) - 1
    assert by_place[f"figures[{last - 1}].indicator"]["code"] == "unknown-indicator"
    assert by_place[f"figures[{last - 1}].indicator"]["label"] == "未知指标"
    assert by_place[f"figures[{last}]"]["code"] == "duplicate-row"
    first = [p for p in body["problems"] if p["place"].startswith("figures[0]")]
    assert first and first[0]["severity"] == "error" and first[0]["indicator"] == figures[0]["indicator"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p["message"]) for p in body["problems"])
    assert submission_count(site) == before


def test_post_submit_approve_and_pull_incrementally(site: Site, unit_client: TestClient,
                                                    office_client: TestClient) -> None:
    site.clock.now = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)  # after everything the demo did
    since = office_client.get(f"{API}/observations", params={"limit": 1}).json()["as_of"]
    site.clock.advance(minutes=1)
    figures = figures_like_last_year(site, site.units["U1"], YEAR)
    answer = unit_client.post(f"{API}/submissions", json={"year": YEAR, "figures": figures})
    assert answer.status_code == 201, answer.text
    saved = answer.json()
    assert saved["state"] == "draft" and saved["observations"] == len(figures)
    sub_id = saved["submission_id"]
    # a draft is the unit's own: the office's incremental pull does not see it yet
    assert _all_pages(office_client, updated_since=since) == []
    own = _all_pages(unit_client, updated_since=since)
    assert {o["submission_id"] for o in own} == {sub_id}
    for p in saved["problems"]:  # explain each warning, as the form asks before 报送
        figures = [{**f, "note": "已核实"} if f["indicator"] == p["indicator"] else f for f in figures]
    if saved["problems"]:
        sub_id = unit_client.post(f"{API}/submissions", json={"year": YEAR, "figures": figures}).json()["submission_id"]
    submitted = unit_client.post(f"{API}/submissions/{sub_id}/submit")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json() == {"submission_id": sub_id, "action": "submit", "state": "submitted",
                                "state_label": "已报送"}
    # the unit cannot approve its own; the office can
    assert unit_client.post(f"{API}/submissions/{sub_id}/approve").status_code == 403
    approved = office_client.post(f"{API}/submissions/{sub_id}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    pulled = _all_pages(office_client, updated_since=since)
    assert pulled and {o["submission_id"] for o in pulled} == {sub_id}
    assert {o["state"] for o in pulled} == {"approved"} and {o["year"] for o in pulled} == {YEAR}
    with site.workspace.session() as session:
        stored = session.scalar(select(Submission).where(Submission.id == sub_id))
        assert stored is not None and stored.state == "approved" and stored.source_file == "网页填报"
        count = len(list(session.scalars(select(Observation).where(Observation.submission_id == sub_id))))
    assert count == len(pulled)
    # approved data is locked: a further post is a conflict, said in Chinese
    locked = unit_client.post(f"{API}/submissions", json={"year": YEAR, "figures": figures})
    assert locked.status_code == 409 and "不能修改" in locked.json()["message"]
    again = office_client.post(f"{API}/submissions/{sub_id}/return", json={"comment": "再核"})
    assert again.status_code == 409 and again.json()["code"] == "collect.workflow"


def test_errors_are_json(office_client: TestClient) -> None:
    missing = office_client.get(f"{API}/submissions/999999")
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message", "place"}
    bad = office_client.get(f"{API}/observations", params={"updated_since": "yesterday"})
    assert bad.status_code == 422 and bad.json()["code"] == "api.invalid_request"
    nowhere = office_client.get(f"{API}/no-such-route")
    assert nowhere.status_code == 404 and nowhere.json()["code"] == "api.http_404"


def test_assessment_for_the_area(site: Site, office_client: TestClient, unit_client: TestClient) -> None:
    result = office_client.get(f"{API}/assessment", params={"year": 2024})
    assert result.status_code == 200, result.text
    data = result.json()
    expected = api.assess_workspace(site.workspace, 2024, areas=[AREA_A]).to_dict()
    assert len(data["results"]) == len(expected["results"]) > 0
    assert data["year"] == 2024 and set(data["summaries"]) == set(expected["summaries"])
    warnings = office_client.get(f"{API}/warnings", params={"year": 2024}).json()
    assert len(warnings["warnings"]) == len(expected["warnings"])
    assert unit_client.get(f"{API}/assessment", params={"year": 2024}).status_code == 403
