"""Observations for incremental pulls: filters, cursor paging, ``updated_since`` and ETags.

What a token sees is what the pages show its role: a unit token its own unit's figures in
every state, an area token every unit's figures of its area once submitted (a draft stays
the unit's own). The ETag is the hash of the page's content, so ``If-None-Match`` answers
304 exactly when nothing on the page changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from planwatch.collect.observation_feed import MAX_LIMIT, ObservationFilter, observation_page
from planwatch.vocabulary import SubmissionState
from planwatch.web.api_v1.auth import BadParameter, Caller, caller, need_scope, parse_since
from planwatch.web.api_v1.schemas import ObservationPage
from planwatch.web.context import web
from planwatch.web.permissions import UNSUBMITTED

router = APIRouter(tags=["observations 监测数据"])
Who = Annotated[Caller, Depends(caller)]


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    sent = request.headers.get("if-none-match", "")
    return any(tag.strip() in (etag, "W/" + etag, "*") for tag in sent.split(",") if tag.strip())


@router.get("/observations", response_model=ObservationPage, summary="监测数据（最新版本），可增量拉取",
            responses={304: {"description": "If-None-Match 与本页 ETag 相同：内容未变"}})
def observations(
    request: Request, who: Who,
    indicator: Annotated[str | None, Query(max_length=20, description="指标代码")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    breakdown: Annotated[str | None, Query(max_length=100, description="分组，如 total、sex=female")] = None,
    state: Annotated[SubmissionState | None, Query(description="填报状态，如 approved")] = None,
    updated_since: Annotated[str | None, Query(max_length=40,
                                               description="只列此时间（ISO 8601）以来有变化的填报的数据")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    cursor: Annotated[str | None, Query(max_length=20, pattern=r"^\d+$",
                                        description="上一页返回的 next_cursor")] = None,
) -> Response:
    need_scope(who, "read")
    ctx = web(request)
    as_of = ctx.now()  # before reading, so a change made meanwhile is in the next pull too
    states: list[str] | None
    if who.unit_id is not None:
        states = [state] if state else None
    else:  # an area sees what has left the units
        visible = [s for s in ("submitted", "reviewed", "approved", "returned") if s not in UNSUBMITTED]
        states = [s for s in visible if s == state] if state else visible
    since = parse_since(updated_since)
    try:
        after = int(cursor) if cursor else 0
    except ValueError:
        raise BadParameter("cursor 无效") from None
    where = ObservationFilter(who.area_code, who.unit_id, indicator, year, breakdown, states, since)
    with ctx.db() as session:
        page = observation_page(session, where, after_id=after, limit=limit) if states != [] else None
    body = {
        "items": page.rows if page else [],
        "next_cursor": str(page.next_after_id) if page and page.next_after_id is not None else None,
        "as_of": as_of.isoformat(),
    }
    content = json.dumps({k: v for k, v in body.items() if k != "as_of"}, ensure_ascii=False,
                         sort_keys=True).encode()
    etag = etag_of(content)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    checked = ObservationPage.model_validate(body)
    return JSONResponse(checked.model_dump(mode="json"), headers={"ETag": etag})
