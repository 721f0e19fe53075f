"""The office's review: submissions of its area by state, one submission against last year
with its warnings and their 说明, and the decision — 审定通过 or 退回 with a reason.

The library's workflow has a 统计局 review step before the office's approval; the web has no
统计局 role, so the office's 审定通过 of a submitted revision takes both steps in one
transaction (each with its own audit row). Approved data is then locked by the library; the
office may unlock it, with a reason, as an action of its own (audited like every decision),
which sends the revision back to the unit as returned.

After each decision the office lands on the list again, which says what was done (已审定 /
已退回（原因）/ 已解锁（原因）), read back from the submission itself rather than from the URL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from planwatch.collect import workflow
from planwatch.store.models import Submission, Unit
from planwatch.web.audit import record
from planwatch.web.context import Auth, authenticated, guard, known_area, render, web
from planwatch.web.errors import NotFound
from planwatch.web.permissions import Resource, allowed
from planwatch.web.review_data import REVIEW_STATES, area_submissions_by_state, review_figures, review_warnings

router = APIRouter()


def _submission(session: Session, submission_id: int) -> Submission:
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("没有这份填报")
    return sub


def _done(session: Session, area_code: str, done: int | None) -> str | None:
    """The confirmation of the decision just taken on submission ``done`` (of this area only)."""
    sub = session.get(Submission, done) if done else None
    if sub is None or sub.area_code != area_code:
        return None
    unit = session.get(Unit, sub.unit_id)
    what = f"{unit.name if unit else sub.unit_id} {sub.year} 年第 {sub.revision} 版"
    if sub.state == "approved":
        return f"已审定：{what}，数据已锁定。"
    if sub.state == "returned":
        opened = workflow.unlocked(session, sub.id)
        if opened is not None:
            return f"已解锁：{what}（原因：{opened.reason}），已退回单位更正。"
        return f"已退回：{what}（原因：{sub.comment or ''}）。"
    return None


@router.get("/areas/{area_code}/review")
def review_list(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
                state: Annotated[str, Query(pattern="^(submitted|reviewed|returned|approved)$")] = "submitted",
                year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                done: Annotated[int | None, Query(ge=1)] = None) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "review.view", Resource(area_code))
        by_state = area_submissions_by_state(session, area_code, year)
        rows = by_state.get(state, [])
        counts = {s: len(by_state.get(s, [])) for s in REVIEW_STATES}
        return render(request, "review_list.html", {"area": area, "rows": rows, "state": state, "year": year,
                                                    "counts": counts, "message": _done(session, area_code, done)},
                      auth=auth)


@router.get("/review/{submission_id}")
def review_detail(request: Request, submission_id: int, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        sub = _submission(session, submission_id)
        guard(request, auth, "review.decide", Resource(sub.area_code, sub.unit_id, sub.state))
        unit = session.get(Unit, sub.unit_id)
        return render(request, "review_detail.html", {
            "s": sub, "unit_name": unit.name if unit else "", "figures": review_figures(session, sub),
            "warnings": review_warnings(session, sub), "unlocked": workflow.unlocked(session, sub.id),
            "may_unlock": allowed(auth.principal, "review.unlock", Resource(sub.area_code, sub.unit_id, sub.state)),
        }, auth=auth)


@router.post("/review/{submission_id}/approve")
def approve(request: Request, submission_id: int, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        sub = _submission(session, submission_id)
        guard(request, auth, "review.decide", Resource(sub.area_code, sub.unit_id, sub.state))
        if sub.state == "submitted":
            workflow.review(session, sub.id, auth.username, at=ctx.now())
        workflow.approve(session, sub.id, auth.username, at=ctx.now())
        record(session, ctx.now(), auth.actor(request), "submission.approve", resource="submission",
               resource_id=str(sub.id), area_code=sub.area_code, unit_id=sub.unit_id, detail={"year": sub.year})
        area_code = sub.area_code
    return RedirectResponse(f"/areas/{area_code}/review?done={submission_id}", status_code=303)


@router.post("/review/{submission_id}/return")
def send_back(request: Request, submission_id: int, auth: Annotated[Auth, Depends(authenticated)],
              reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    ctx = web(request)
    with ctx.db() as session:
        sub = _submission(session, submission_id)
        guard(request, auth, "review.decide", Resource(sub.area_code, sub.unit_id, sub.state))
        workflow.return_submission(session, sub.id, auth.username, reason, at=ctx.now())
        record(session, ctx.now(), auth.actor(request), "submission.return", resource="submission",
               resource_id=str(sub.id), area_code=sub.area_code, unit_id=sub.unit_id,
               detail={"year": sub.year, "reason": reason.strip()})
        area_code = sub.area_code
    return RedirectResponse(f"/areas/{area_code}/review?state=returned&done={submission_id}", status_code=303)


@router.post("/review/{submission_id}/unlock")
def unlock(request: Request, submission_id: int, auth: Annotated[Auth, Depends(authenticated)],
           reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Reopen approved figures for correction: the library's unlock (approved → returned, audited
    with the approval it undoes), and a row in the web audit log with the reason."""
    ctx = web(request)
    with ctx.db() as session:
        sub = _submission(session, submission_id)
        guard(request, auth, "review.unlock", Resource(sub.area_code, sub.unit_id, sub.state))
        approved_by, approved_at = sub.approved_by, sub.approved_at
        workflow.unlock(session, sub.id, auth.username, reason, at=ctx.now())
        record(session, ctx.now(), auth.actor(request), "submission.unlock", resource="submission",
               resource_id=str(sub.id), area_code=sub.area_code, unit_id=sub.unit_id,
               detail={"year": sub.year, "revision": sub.revision, "reason": reason.strip(),
                       "before": {"state": "approved", "approved_by": approved_by,
                                  "approved_at": approved_at.isoformat() if approved_at else None},
                       "after": {"state": sub.state}})
        area_code = sub.area_code
    return RedirectResponse(f"/areas/{area_code}/review?state=returned&done={submission_id}", status_code=303)
