"""Unlocking approved figures from the review page: the office's own logged action.

The 工委办管理员 opens an approved submission, gives a reason and unlocks it; the revision goes
back to the unit as returned, with the reason on the unit's tasks, form and submission pages;
both audit trails hold it (who, when, reason, before and after); the unit corrects, 报送 again,
and the office approves again. Until the unlock, an upload to the approved year is refused
before the file is even read.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import AREA_A, Site, login, post

from planwatch.collect.history import latest_submissions
from planwatch.store.accounts import AuditLog
from planwatch.store.models import AuditEvent, Submission
from planwatch.web.form_data import unreported_notes

REASON = "卫健局申请更正孕产妇死亡率（统计口径调整）"


def _client(site: Site, role: str) -> TestClient:
    client = site.client()
    assert login(client, role).status_code == 303  # type: ignore[attr-defined]
    return client


def _approved_latest(site: Site) -> Submission:
    """The latest revision of the unit U1 for a year that is approved (the demo has several)."""
    with site.workspace.session() as session:
        found = [s for s in latest_submissions(session, area_code=AREA_A, unit_id=site.units["U1"])
                 if s.state == "approved"]
        assert found
        sub = max(found, key=lambda s: s.year)
        session.expunge(sub)
        return sub


def _state(site: Site, sub_id: int) -> str:
    with site.workspace.session() as session:
        sub = session.get(Submission, sub_id)
        assert sub is not None
        return sub.state


@pytest.fixture(scope="module")
def approved(site: Site) -> Submission:
    return _approved_latest(site)


def test_an_upload_to_approved_figures_is_refused_before_reading(site: Site, approved: Submission) -> None:
    filler = _client(site, "filler")
    token = filler.cookies.get("csrftoken")
    refused = filler.post(f"/units/{site.units['U1']}/upload", data={"year": str(approved.year), "csrftoken": token},
                          files={"file": ("x.xlsx", b"not a workbook", "application/octet-stream")})
    assert refused.status_code == 409
    assert "已审定" in refused.text and "已锁定" in refused.text and "联系工委办解锁" in refused.text
    assert _state(site, approved.id) == "approved"


def test_unlock_is_refused_without_a_reason_or_a_token(site: Site, approved: Submission) -> None:
    office = _client(site, "office_admin")
    page = office.get(f"/review/{approved.id}").text
    assert 'id="unlock"' in page and f'action="/review/{approved.id}/unlock"' in page
    no_reason = post(office, f"/review/{approved.id}/unlock", {"reason": "   "})
    assert no_reason.status_code == 400 and "必须填写原因" in no_reason.text  # type: ignore[attr-defined]
    no_token = office.post(f"/review/{approved.id}/unlock", data={"reason": REASON})
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    assert post(_client(site, "leader"), f"/review/{approved.id}/unlock",  # type: ignore[attr-defined]
                {"reason": REASON}).status_code == 403
    assert post(_client(site, "unit_reviewer"), f"/review/{approved.id}/unlock",  # type: ignore[attr-defined]
                {"reason": REASON}).status_code == 403
    assert _state(site, approved.id) == "approved"
    # The unit does not see an unlock form; the office of another area is refused the page.
    assert _client(site, "office_b").get(f"/review/{approved.id}").status_code == 403


def test_unlock_correct_and_approve_again(site: Site, approved: Submission) -> None:
    office, filler, reviewer = _client(site, "office_admin"), _client(site, "filler"), _client(site, "unit_reviewer")
    unit, year = site.units["U1"], approved.year
    site.clock.advance(seconds=5)

    # 1. The unlock: back to the list, which says what was done.
    done = post(office, f"/review/{approved.id}/unlock", {"reason": REASON})
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert done.headers["location"] == f"/areas/{AREA_A}/review?state=returned&done={approved.id}"  # type: ignore[attr-defined]
    listing = office.get(done.headers["location"]).text  # type: ignore[attr-defined]
    said = f"已解锁：区卫生健康局 {year} 年第 {approved.revision} 版（原因：{REASON}）"
    assert re.search(rf'id="message"[^>]*>{re.escape(said)}', listing)
    assert _state(site, approved.id) == "returned"
    assert "解锁了已审定的数据" in office.get(f"/review/{approved.id}").text

    # 2. Both trails: the web audit log (who, reason, before, after) and the data-change history.
    with site.workspace.session() as session:
        log = session.scalars(select(AuditLog).where(AuditLog.action == "submission.unlock")).one()
        assert (log.actor, log.outcome, log.resource_id) == ("office_admin", "success", str(approved.id))
        assert log.detail["reason"] == REASON and log.detail["before"]["state"] == "approved"
        assert log.detail["before"]["approved_by"] and log.detail["after"] == {"state": "returned"}
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "submission.unlock")).one()
        assert event.actor == "office_admin" and event.detail["from"] == "approved"
        assert event.detail["to"] == "returned" and event.detail["comment"] == REASON
        stored = session.get(Submission, approved.id)
        assert stored is not None and stored.approved_by is None and stored.comment == REASON

    # 3. The unit sees the unlock and its reason on every page of its own.
    for url in (f"/units/{unit}/tasks?year={year}", f"/units/{unit}/form?year={year}", f"/submissions/{approved.id}"):
        page = filler.get(url).text
        assert 'id="unlocked"' in page and REASON in page and "解锁" in page, url
    form = filler.get(f"/units/{unit}/form?year={year}").text
    assert "检查并保存草稿" in form and 'id="readonly"' not in form  # editable again
    # A required total the workbook left empty with a reason keeps that reason in the form.
    with site.workspace.session() as session:
        unreported = unreported_notes(session, approved.id)
    assert unreported
    for code, reason in unreported.items():
        assert f'name="n:{code}|total" value="{reason}"' in form

    # 4. The unit re-saves its figures and 报送 again. The demo left some required figures out
    #    (with a reason in the workbook's 备注, which is not kept without a figure), and the rules
    #    may warn: both are answered with a 说明, as a unit would.
    values = dict(re.findall(r'name="(v:[^"]+)" value="([^"]*)"', form))
    notes = dict(re.findall(r'name="(n:[^"]+)" value="([^"]*)"', form))
    answer = post(filler, f"/units/{unit}/form", {**values, **notes, "year": str(year)})
    for _ in range(3):
        if answer.status_code == 303:  # type: ignore[attr-defined]
            page = filler.get(f"/units/{unit}/form?year={year}").text
            if "needs-note" not in page:
                break
        else:
            assert answer.status_code == 422  # type: ignore[attr-defined]
            page = answer.text  # type: ignore[attr-defined]
        for row in re.findall(r'<tr id="cell-\d+".*?</tr>', page, re.S):
            if 'data-code="missing-required"' in row or "needs-note" in row:
                notes.update({name: "暂无该项数据，已核实" for name in re.findall(r'name="(n:[^"]+)"', row)})
        answer = post(filler, f"/units/{unit}/form", {**values, **notes, "year": str(year)})
    assert answer.status_code == 303, re.findall(r'data-code="([^"]+)"', answer.text)  # type: ignore[attr-defined]
    sent = post(reviewer, f"/units/{unit}/form/submit", {"year": str(year)})
    assert sent.status_code == 303, (re.findall(r'id="message">([^<]*)', sent.text),  # type: ignore[attr-defined]
                                     re.findall(r'data-code="([^"]+)"', sent.text))  # type: ignore[attr-defined]
    with site.workspace.session() as session:
        latest = latest_submissions(session, area_code=AREA_A, unit_id=unit, year=year)[0]
        assert latest.state == "submitted" and latest.revision > approved.revision
        latest_id = latest.id
    assert 'id="unlocked"' not in filler.get(f"/units/{unit}/tasks?year={year}").text

    # 5. The office approves again: the list confirms it, the figures are locked again.
    again = post(office, f"/review/{latest_id}/approve")
    assert again.status_code == 303  # type: ignore[attr-defined]
    listing = office.get(again.headers["location"]).text  # type: ignore[attr-defined]
    assert f"已审定：区卫生健康局 {year} 年" in listing
    assert _state(site, latest_id) == "approved"
    assert post(filler, f"/units/{unit}/form", {**values, "year": str(year)}).status_code == 409  # type: ignore[attr-defined]
    # The earlier, unlocked revision is superseded: it cannot be unlocked again.
    assert post(office, f"/review/{approved.id}/unlock", {"reason": "再次"}).status_code == 403  # type: ignore[attr-defined]
