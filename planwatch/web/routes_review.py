"""The office's review: submissions of its area by state, one submission against last year
with its warnings and their 说明, and the decision — 审定通过 or 退回 with a reason.

The library's workflow has a 统计局 review step before the office's approval; the web has no
统计局 role, so the office's 审定通过 of a submitted revision takes both steps in one
transaction (each with its own audit row). Approved data is then locked by the library.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from planwatch.collect import workflow
from planwatch.store.models import Area, Submission, Unit
from planwatch.web.audit import record
from planwatch.web.context import Auth, authenticated, guard, render, web
from planwatch.web.errors import NotFound
from planwatch.web.permissions import Resource
from planwatch.web.review_data import REVIEW_STATES, area_submissions, review_figures, review_warnings

router = APIRouter()


def _submission(session: Session, submission_id: int) -> Submission:
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("没有这份填报")
    return sub


@router.get("/areas/{area_code}/review")
def review_list(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
                state: Annotated[str, Query(pattern="^(submitted|reviewed|returned|approved)$")] = "submitted",
                year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        area = session.get(Area, area_code)
        if area is None:
            raise NotFound("没有这个地区")
        guard(request, auth, "review.view", Resource(area_code))
        rows = area_submissions(session, area_code, state, year)
        counts = {s: len(area_submissions(session, area_code, s, year)) for s in REVIEW_STATES}
        return render(request, "review_list.html", {"area": area, "rows": rows, "state": state, "year": year,
                                                    "counts": counts}, auth=auth)


@router.get("/review/{submission_id}")
def review_detail(request: Request, submission_id: int, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        sub = _submission(session, submission_id)
        guard(request, auth, "review.decide", Resource(sub.area_code, sub.unit_id, sub.state))
        unit = session.get(Unit, sub.unit_id)
        return render(request, "review_detail.html", {
            "s": sub, "unit_name": unit.name if unit else "", "figures": review_figures(session, sub),
            "warnings": review_warnings(session, sub)}, auth=auth)


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
    return RedirectResponse(f"/areas/{area_code}/review", status_code=303)


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
    return RedirectResponse(f"/areas/{area_code}/review", status_code=303)
