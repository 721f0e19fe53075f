"""The account administration page: list, add, disable/enable, reset a password, unlock.

Who may do what is :mod:`planwatch.web.permissions`' (the administrators' own accounts are
left to ``planwatch user`` on the server). A one-time password is shown once, on the page that answers
the action, and is never stored or logged.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.errors import PlanwatchError
from planwatch.store.accounts import AREA_ROLES, ROLE_LABELS, ROLES, SYSTEM_ROLES, UNIT_ROLES, User
from planwatch.store.models import Area, IndicatorReporter, Unit
from planwatch.web.accounts import (
    add_user,
    get_user,
    grants_text,
    is_locked,
    list_users,
    reset_password,
    set_disabled,
    unlock,
)
from planwatch.web.context import Auth, authenticated, guard, render, web
from planwatch.web.errors import BadRequest, NotFound
from planwatch.web.permissions import Grant, Resource, allowed

router = APIRouter(prefix="/admin")


def _visible_area(auth: Auth, area: str | None) -> str | None:
    """The area whose accounts the page lists: None (all) for the system and security
    administrators, else the office administrator's area (the one asked for, or its first)."""
    if auth.principal.has("sysadmin", "secadmin"):
        return area or None
    offices = [g.area_code for g in auth.principal.grants_of("office_admin")]
    return area if area in offices else (offices[0] if offices else area)


def _administrators_only(request: Request, auth: Auth) -> None:
    """Refuse (and log) anyone who administers no account before a form or a user name is
    even read, so that the answer tells them nothing about which accounts exist."""
    if not auth.principal.has("sysadmin", "secadmin", "office_admin"):
        guard(request, auth, "users.manage", Resource())


def _resources(user: User) -> list[Resource]:
    return [Resource(g.area_code, g.unit_id, role=g.role, owner_id=user.id) for g in user.roles] or [
        Resource(owner_id=user.id)
    ]


def _may(auth: Auth, action: str, user: User) -> bool:
    return all(allowed(auth.principal, action, r) for r in _resources(user))


def _guard_user(request: Request, auth: Auth, action: str, user: User) -> None:
    for resource in _resources(user):
        guard(request, auth, action, resource)


def _choices(session: Session, auth: Auth) -> tuple[list[str], list[Area], list[Unit]]:
    """The roles, areas and units the administrator may give (the form offers nothing else)."""
    reporting = select(IndicatorReporter.unit_id).distinct()
    units = list(session.scalars(select(Unit).where(Unit.id.in_(reporting)).order_by(Unit.area_code, Unit.name)))
    areas = list(session.scalars(select(Area).where(Area.code.in_(select(Unit.area_code).distinct()))
                                 .order_by(Area.code)))
    if auth.principal.has("sysadmin"):
        return list(UNIT_ROLES + AREA_ROLES), areas, units
    offices = {g.area_code for g in auth.principal.grants_of("office_admin")}
    return list(UNIT_ROLES), [a for a in areas if a.code in offices], [u for u in units if u.area_code in offices]


@router.get("/users")
def users_page(request: Request, auth: Annotated[Auth, Depends(authenticated)],
               area: Annotated[str | None, Query(max_length=12)] = None) -> Response:
    ctx = web(request)
    shown_area = _visible_area(auth, area)
    guard(request, auth, "users.view", Resource(shown_area))
    with ctx.db() as session:
        return _render_users(request, auth, session, shown_area, None)


def _render_users(request: Request, auth: Auth, session: Session, area: str | None, notice: dict[str, str] | None,
                  message: str | None = None, status_code: int = 200) -> Response:
    ctx = web(request)
    now = ctx.now()
    units = {u.id: u.name for u in session.scalars(select(Unit))}
    area_names = {a.code: a.name for a in session.scalars(select(Area).where(
        Area.code.in_(select(Unit.area_code).distinct())))}
    rows = []
    for user in list_users(session, area):
        rows.append({
            "user": user, "roles": grants_text(user, units, area_names), "locked": is_locked(user, now),
            "may_manage": _may(auth, "users.manage", user), "may_unlock": _may(auth, "users.unlock", user),
        })
    roles, areas, unit_choices = _choices(session, auth)
    may_add = auth.principal.has("sysadmin", "office_admin")
    return render(request, "users.html", {
        "rows": rows, "area": area, "notice": notice, "message": message, "may_add": may_add,
        "role_choices": [(r, ROLE_LABELS[r]) for r in roles], "areas": areas, "units": unit_choices,
    }, status_code=status_code, auth=auth)


@router.post("/users")
def add_user_action(
    request: Request, auth: Annotated[Auth, Depends(authenticated)],
    username: Annotated[str, Form(max_length=60)] = "", display_name: Annotated[str, Form(max_length=100)] = "",
    role: Annotated[str, Form()] = "", area: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = "",
) -> Response:
    ctx = web(request)
    _administrators_only(request, auth)
    with ctx.db() as session:
        grant = _grant_from_form(session, role, area, unit)
        guard(request, auth, "users.manage", Resource(grant.area_code, grant.unit_id, role=grant.role))
        try:
            with session.begin_nested():
                user, password = add_user(session, username.strip(), display_name, [grant], ctx.now(),
                                          auth.actor(request))
        except PlanwatchError as exc:
            return _render_users(request, auth, session, _visible_area(auth, None), None, exc.chinese_message, 400)
        notice = {"username": user.username, "password": password or "", "what": "已新增账号"}
        return _render_users(request, auth, session, _visible_area(auth, None), notice)


def _grant_from_form(session: Session, role: str, area: str, unit: str) -> Grant:
    """The grant the form asks for; a unit's area is the unit's own, never what the form says."""
    if role not in ROLES:
        raise BadRequest("未知角色")
    if role in SYSTEM_ROLES:
        return Grant(role)
    if role in AREA_ROLES:
        if session.get(Area, area) is None:
            raise BadRequest("请选择地区")
        return Grant(role, area)
    found = session.get(Unit, int(unit)) if unit.isdigit() else None
    if found is None:
        raise BadRequest("请选择单位")
    return Grant(role, found.area_code, found.id)


def _user_action(request: Request, auth: Auth, username: str, action: str) -> Response:
    ctx = web(request)
    _administrators_only(request, auth)
    with ctx.db() as session:
        try:
            user = get_user(session, username)
        except PlanwatchError:
            raise NotFound("没有这个账号") from None
        _guard_user(request, auth, "users.unlock" if action == "unlock" else "users.manage", user)
        actor = auth.actor(request)
        notice = None
        if action == "disable":
            set_disabled(session, user, True, ctx.now(), actor)
        elif action == "enable":
            set_disabled(session, user, False, ctx.now(), actor)
        elif action == "reset":
            password = reset_password(session, user, ctx.now(), actor)
            notice = {"username": user.username, "password": password or "", "what": "已重置密码"}
        else:
            unlock(session, user, ctx.now(), actor)
        if notice is not None:
            return _render_users(request, auth, session, _visible_area(auth, None), notice)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/disable")
def disable_action(request: Request, username: str, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    return _user_action(request, auth, username, "disable")


@router.post("/users/{username}/enable")
def enable_action(request: Request, username: str, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    return _user_action(request, auth, username, "enable")


@router.post("/users/{username}/reset")
def reset_action(request: Request, username: str, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    return _user_action(request, auth, username, "reset")


@router.post("/users/{username}/unlock")
def unlock_action(request: Request, username: str, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    return _user_action(request, auth, username, "unlock")
