"""The progress board (报送率, late and missing units, 催报) and the target board (every target
with its status, charts and warnings) of an area, and a unit's own targets.

Every filter is a GET parameter, so a board is a link that can be bookmarked or printed and
works without JavaScript. Every route asks :func:`planwatch.web.context.guard` first.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.safe_output import csv_field
from planwatch.store.accounts import AREA_ROLES
from planwatch.store.models import Area, Unit
from planwatch.web.boards_data import (
    BREAKDOWN_CHOICES,
    AssessmentCache,
    ProgressBoard,
    Reminder,
    TargetFilters,
    assessment_year,
    progress_board,
    target_board,
    unit_reminder,
    workspace_cache,
)
from planwatch.web.boards_svg import chart_svg
from planwatch.web.context import Auth, authenticated, guard, render, web
from planwatch.web.errors import BadRequest, NotFound
from planwatch.web.pages_data import default_year
from planwatch.web.permissions import Resource

router = APIRouter()

YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]
TextQuery = Annotated[str, Query(max_length=200)]


def _cache(request: Request) -> AssessmentCache:
    """The workspace's cache of the boards; they filter every frame by area, so a miss may
    assess all missing areas at once."""
    return workspace_cache(web(request).workspace, batch_areas=True)


def _area(session: Session, auth: Auth, area: str | None) -> Area:
    """The area asked for, or the first the user oversees; unknown → 404."""
    code = area or next((g.area_code for g in auth.principal.grants if g.role in AREA_ROLES and g.area_code), None)
    found = session.get(Area, code) if code else None
    if found is None:
        raise NotFound("没有这个地区")
    return found


def _area_choices(session: Session, auth: Auth) -> list[tuple[str, str]]:
    codes = [g.area_code for g in auth.principal.grants if g.role in AREA_ROLES and g.area_code]
    if not codes:
        return []
    found = session.scalars(select(Area).where(Area.code.in_(codes)).order_by(Area.code))
    return [(a.code, a.full_name) for a in found]


def _filters(plan: str, domain: str, lead_unit: str, breakdown: str) -> TargetFilters:
    if breakdown not in BREAKDOWN_CHOICES:
        raise BadRequest("分组筛选条件无效")
    return TargetFilters(plan=plan, domain=domain, lead_unit=lead_unit, breakdown=breakdown)


@router.get("/boards/progress")
def progress(request: Request, auth: Annotated[Auth, Depends(authenticated)], area: TextQuery = "",
             year: YearQuery = None) -> Response:
    board, areas = _progress(request, auth, area, year)
    return render(request, "boards_progress.html", {"b": board, "areas": areas}, auth=auth)


def _progress(request: Request, auth: Auth, area: str, year: int | None
              ) -> tuple[ProgressBoard, list[tuple[str, str]]]:
    """The area's progress board for ``year`` (default: the latest), after the permission check."""
    ctx = web(request)
    with ctx.db() as session:
        found = _area(session, auth, area or None)
        guard(request, auth, "progress.view", Resource(found.code))
        year = year or default_year(session, found.code, ctx.today())
        board = progress_board(session, found.code, year, ctx.workspace.config.deadlines.due("annual_data", year),
                               ctx.today())
        return board, _area_choices(session, auth)


@router.get("/boards/progress/reminders.csv")
def reminders_csv(request: Request, auth: Annotated[Auth, Depends(authenticated)], area: TextQuery = "",
                  year: YearQuery = None) -> Response:
    """The 催报 list as a spreadsheet: every cell through safe_output, so no name becomes a formula."""
    board, _ = _progress(request, auth, area, year)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["地区", "年度", "单位", "填报状态", "必报指标数", "已填指标数", "报送率", "缺报指标", "报送截止日",
                     "及时性", "逾期天数"])
    for u in board.reminders:
        writer.writerow([csv_field(v) for v in (
            board.area_name, board.year, u.unit, u.state_label, u.expected, u.received, f"{u.rate:.1%}",
            "、".join(u.missing), board.deadline.isoformat(), u.timeliness_label, u.days_late)])
    code, year = board.area_code, board.year
    name = f"催报清单_{code}_{year}.csv"
    return Response(
        "\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f"attachment; filename=\"reminders-{code}-{year}.csv\"; "
                                        f"filename*=UTF-8''{quote(name)}"},
    )


@router.get("/boards/targets")
def targets(request: Request, auth: Annotated[Auth, Depends(authenticated)], area: TextQuery = "",
            year: YearQuery = None, plan: TextQuery = "", domain: TextQuery = "", lead_unit: TextQuery = "",
            breakdown: TextQuery = "total") -> Response:
    ctx = web(request)
    filters = _filters(plan, domain, lead_unit, breakdown)
    with ctx.db() as session:
        found = _area(session, auth, area or None)
        guard(request, auth, "targets.view", Resource(found.code))
        year = year or assessment_year(session, found.code, ctx.today())
        assessment = _cache(request).get(ctx.workspace, session, found.code, year)
        board = target_board(session, assessment, found.code, filters)
        areas = _area_choices(session, auth)
    return render(request, "boards_targets.html", {
        "b": board, "areas": areas, "breakdowns": BREAKDOWN_CHOICES, "svg": chart_svg,
        "action": "/boards/targets"}, auth=auth)


@router.get("/units/{unit_id}/targets")
def unit_targets(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
                 year: YearQuery = None, plan: TextQuery = "", domain: TextQuery = "",
                 breakdown: TextQuery = "total") -> Response:
    """The targets the unit leads: its own board, never another unit's."""
    ctx = web(request)
    filters = _filters(plan, domain, "", breakdown)
    with ctx.db() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound("没有这个单位")
        guard(request, auth, "targets.view", Resource(unit.area_code, unit.id))
        year = year or assessment_year(session, unit.area_code, ctx.today())
        assessment = _cache(request).get(ctx.workspace, session, unit.area_code, year)
        board = target_board(session, assessment, unit.area_code, filters, unit_name=unit.name)
    return render(request, "boards_targets.html", {
        "b": board, "areas": [], "breakdowns": BREAKDOWN_CHOICES, "svg": chart_svg,
        "action": f"/units/{unit_id}/targets"}, auth=auth)


def unit_home_extras(request: Request, session: Session, unit: Unit, year: int) -> dict[str, object]:
    """What the unit's task page shows besides its tasks: the 催报 notice and the targets it leads.

    Called by the task route after its own guard (tasks.view on the same unit), so it adds
    nothing the page's reader may not see: approved figures and the unit's own reminder.
    """
    ctx = web(request)
    deadline = ctx.workspace.config.deadlines.due("annual_data", year)
    reminder: Reminder | None = unit_reminder(session, unit.area_code, unit.id, year, deadline, ctx.today())
    as_of = assessment_year(session, unit.area_code, ctx.today())
    assessment = _cache(request).get(ctx.workspace, session, unit.area_code, as_of)
    led = target_board(session, assessment, unit.area_code, TargetFilters(), unit_name=unit.name)
    return {"reminder": reminder, "led": led}
