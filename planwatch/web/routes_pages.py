"""The home page of each role, a unit's tasks, an area's progress and a submission's figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from planwatch.collect import breakdowns as bd
from planwatch.collect.history import cell_history
from planwatch.collect.workflow import unlocked
from planwatch.store.accounts import AREA_ROLES, UNIT_ROLES
from planwatch.store.models import Area, Submission, Unit
from planwatch.web import routes_boards
from planwatch.web.context import Auth, authenticated, guard, known_area, render, web
from planwatch.web.errors import NotFound
from planwatch.web.pages_data import area_progress, default_year, submission_view, unit_tasks
from planwatch.web.permissions import Grant, Resource, allowed

router = APIRouter()

YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]


def _entry(grant: Grant) -> str:
    if grant.role in UNIT_ROLES:
        return f"/units/{grant.unit_id}/tasks"
    if grant.role in AREA_ROLES:
        return f"/areas/{grant.area_code}/progress"
    if grant.role == "auditor":
        return "/audit"
    return "/admin/users"


@router.get("/")
def home(request: Request, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    """One role: its own page. Several (a unit user of two units): a list to choose from."""
    entries = list(dict.fromkeys(_entry(g) for g in auth.principal.grants))
    if len(entries) == 1:
        return RedirectResponse(entries[0], status_code=303)
    ctx = web(request)
    with ctx.db() as session:
        units = {u.id: u.name for u in session.scalars(select(Unit))}
        areas = {a.code: a.full_name for a in session.scalars(select(Area).where(
            Area.code.in_([g.area_code for g in auth.principal.grants if g.area_code])))}
    links = []
    for grant in auth.principal.grants:
        where = units.get(grant.unit_id or -1) or areas.get(grant.area_code or "") or ""
        links.append((_entry(grant), grant.role, where))
    return render(request, "home.html", {"links": links}, auth=auth)


@router.get("/units/{unit_id}/tasks")
def tasks(request: Request, unit_id: int, auth: Annotated[Auth, Depends(authenticated)],
          year: YearQuery = None) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound("没有这个单位")
        guard(request, auth, "tasks.view", Resource(unit.area_code, unit.id))
        year = year or default_year(session, unit.area_code, ctx.today())
        deadline = ctx.workspace.config.deadlines.due("annual_data", year)
        view = unit_tasks(session, unit.area_code, unit.id, year, deadline, ctx.today())
        extras = routes_boards.unit_home_extras(request, session, unit, year)
        opened = unlocked(session, view.submission_id) if view.submission_id and view.state == "returned" else None
    return render(request, "tasks.html", {"t": view, "unlocked": opened, **extras}, auth=auth)


@router.get("/areas/{area_code}/progress")
def progress(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
             year: YearQuery = None) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        known_area(session, area_code)
        guard(request, auth, "progress.view", Resource(area_code))
        year = year or default_year(session, area_code, ctx.today())
        deadline = ctx.workspace.config.deadlines.due("annual_data", year)
        view = area_progress(session, area_code, year, deadline, ctx.today())
    return render(request, "progress.html", {"p": view}, auth=auth)


@router.get("/submissions/{submission_id}")
def submission(request: Request, submission_id: int, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    ctx = web(request)
    with ctx.db() as session:
        sub = session.get(Submission, submission_id)
        if sub is None:
            raise NotFound("没有这份填报")
        guard(request, auth, "submission.view", Resource(sub.area_code, sub.unit_id, sub.state))
        view = submission_view(session, sub)
        opened = unlocked(session, sub.id) if sub.state == "returned" else None
        # Drafts are the unit's own (see the permission rules): others see the revisions that left it.
        own = allowed(auth.principal, "submission.view", Resource(sub.area_code, sub.unit_id, "draft"))
        history = {(code, bd.label(key)): revisions for (code, key), revisions
                   in cell_history(session, sub.area_code, sub.unit_id, sub.year, drafts=own).items()}
    return render(request, "submission.html", {"s": view, "unlocked": opened, "history": history}, auth=auth)
