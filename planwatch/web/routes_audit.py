"""The audit page: the audit log, newest first, for the 审计管理员 only."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from planwatch.web.audit import ACTION_LABELS, OUTCOME_LABELS, read_data_changes, read_log
from planwatch.web.context import Auth, authenticated, guard, render, web
from planwatch.web.permissions import Resource

router = APIRouter()


@router.get("/audit")
def audit_page(
    request: Request, auth: Annotated[Auth, Depends(authenticated)],
    action: Annotated[str | None, Query(max_length=60)] = None,
    actor: Annotated[str | None, Query(max_length=60)] = None,
    outcome: Annotated[str | None, Query(max_length=10)] = None,
    source: Annotated[Literal["web", "data"], Query()] = "web",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> Response:
    """Two logs: the web application's (security events, account changes) and the library's
    data changes (``audit_event``), one tab each."""
    guard(request, auth, "audit.view", Resource())
    with web(request).db() as session:
        if source == "data":
            log = read_data_changes(session, actor=actor or None, page=page)
        else:
            log = read_log(session, action=action or None, actor=actor or None, outcome=outcome or None, page=page)
    return render(request, "audit.html", {
        "log": log, "source": source, "action": action or "", "actor": actor or "", "outcome": outcome or "",
        "action_labels": ACTION_LABELS, "outcome_labels": OUTCOME_LABELS,
    }, auth=auth)
