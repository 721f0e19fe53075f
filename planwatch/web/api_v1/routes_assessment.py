"""Assessment results and warnings of the token's area: :func:`planwatch.api.assess_workspace`,
in the shape ``planwatch assess --format json`` prints.

Only an area token reads them (the pages show an area's progress to its office and leaders);
the assessment judges approved figures only, so nothing unsubmitted can leak through it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from planwatch import api
from planwatch.results import Assessment
from planwatch.vocabulary import Method
from planwatch.web.api_v1.auth import Caller, caller, need, need_scope
from planwatch.web.api_v1.schemas import AssessmentOut, WarningsOut
from planwatch.web.boards_data import AssessmentCache
from planwatch.web.context import web
from planwatch.web.permissions import Resource

router = APIRouter(tags=["assessment 评估与预警"])
Who = Annotated[Caller, Depends(caller)]
Year = Annotated[int, Query(ge=2000, le=2100, description="评估年份（截至该年的已审定数据）")]


def plain(value: Any) -> Any:
    """JSON-safe: a missing number (NaN) is null, dates are ISO text, tuples are lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _assessment(request: Request, who: Who, year: int, method: Method) -> dict[str, Any]:
    need_scope(who, "read")
    need(who, "progress.view", Resource(who.area_code))
    ctx = web(request)
    if method == "default":  # the boards' cache: recomputed when the area's approved data or targets change
        cache: AssessmentCache = request.app.state.api_assessments
        with ctx.db() as session:
            run = Assessment(cache.get(ctx.workspace, session, who.area_code, year))
    else:
        run = api.assess_workspace(ctx.workspace, year, areas=[who.area_code], method=method)
    data: dict[str, Any] = plain(run.to_dict())
    return data


@router.get("/assessment", response_model=AssessmentOut, summary="各目标的评估结果、汇总与预警")
def assessment(request: Request, who: Who, year: Year, method: Method = "default") -> dict[str, Any]:
    return _assessment(request, who, year, method)


@router.get("/warnings", response_model=WarningsOut, summary="预警清单")
def warnings(request: Request, who: Who, year: Year, method: Method = "default") -> dict[str, Any]:
    data = _assessment(request, who, year, method)
    return {"year": data["year"], "method": data["method"], "warnings": data["warnings"]}
