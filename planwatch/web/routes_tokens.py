"""The REST API's tokens administered on the web: list, add, revoke (``/admin/tokens``).

等保 2.0 wants credentials administered by the 系统管理员 through the system's own interface,
every change audited and a secret shown once; until this page that was ``planwatch token``
on the server only. The page does what the command does, through the same functions
(:func:`~planwatch.web.tokens.add_token`, :func:`~planwatch.web.tokens.revoke_token`), so a
refusal reads as the command's message and every change is the same ``token.add`` /
``token.revoke`` row of the audit log.

Who: the 系统管理员 only (``tokens.manage`` in :mod:`planwatch.web.permissions`), for every
area. The 工委办管理员 administers its area's unit accounts, but a token is another system's
credential, and an area token with ``review`` acts as the area's 工委办管理员 — a role the
office may not give to an account either — so it stays with the 系统管理员, as the accounts of
offices do. Everyone else is refused (and logged) before a form or a token id is read.

A new token's secret is shown once, on the page that answers the form, and is never stored
(only its hash) nor logged; the listing shows a token's first characters only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.errors import PlanwatchError
from planwatch.store.api_tokens import TOKEN_SCOPES, ApiToken
from planwatch.store.models import Area, IndicatorReporter, Unit
from planwatch.web.context import Auth, authenticated, guard, render, web
from planwatch.web.errors import BadRequest, NotFound
from planwatch.web.permissions import Resource
from planwatch.web.tokens import NAME_CHARS, TokenError, add_token, last_calls, list_tokens, revoke_token

router = APIRouter(prefix="/admin")


@dataclass(frozen=True)
class TokenForm:
    """What the add form was sent, to fill it again after a refusal."""

    name: str = ""
    scopes: tuple[str, ...] = ("read",)
    area: str = ""
    unit: str = ""


def _administrators_only(request: Request, auth: Auth) -> None:
    """Refuse (and log) whoever may not administer tokens before anything else is read."""
    guard(request, auth, "tokens.manage", Resource())


def _scope_labels(scopes: str) -> str:
    return "、".join(TOKEN_SCOPES.get(s, s) for s in scopes.split())


def _rows(session: Session) -> list[dict[str, Any]]:
    """The tokens as the table shows them: never the hash, the secret's first characters only."""
    tokens = list_tokens(session)
    units = {u.id: u.name for u in session.scalars(select(Unit))}
    areas = {a.code: a.full_name for a in session.scalars(select(Area).where(
        Area.code.in_({t.area_code for t in tokens})))}
    used = last_calls(session, tokens)
    return [{
        "id": t.id, "name": t.name, "prefix": t.prefix, "scopes": _scope_labels(t.scopes),
        "scope_keys": t.scopes.split(), "area": areas.get(t.area_code, t.area_code), "area_code": t.area_code,
        "unit": units.get(t.unit_id, "") if t.unit_id is not None else "",
        "created_at": t.created_at, "created_by": t.created_by, "last_used": used.get(t.id),
        "revoked_at": t.revoked_at, "revoked_by": t.revoked_by,
    } for t in tokens]


def _choices(session: Session) -> tuple[list[Area], list[Unit]]:
    """The areas and units a token may be limited to: those with units that report."""
    reporting = select(IndicatorReporter.unit_id).distinct()
    units = list(session.scalars(select(Unit).where(Unit.id.in_(reporting)).order_by(Unit.area_code, Unit.name)))
    areas = list(session.scalars(select(Area).where(Area.code.in_({u.area_code for u in units}))
                                 .order_by(Area.code)))
    return areas, units


def _render_tokens(request: Request, auth: Auth, session: Session, *, notice: dict[str, str] | None = None,
                   message: str | None = None, form: TokenForm | None = None, status_code: int = 200) -> Response:
    areas, units = _choices(session)
    return render(request, "tokens.html", {
        "rows": _rows(session), "notice": notice, "message": message, "form": form or TokenForm(),
        "scope_choices": list(TOKEN_SCOPES.items()), "areas": areas, "units": units, "name_chars": NAME_CHARS,
    }, status_code=status_code, auth=auth)


@router.get("/tokens")
def tokens_page(request: Request, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    _administrators_only(request, auth)
    with web(request).db() as session:
        return _render_tokens(request, auth, session)


def _chosen_unit(session: Session, unit: str) -> Unit | None:
    """The unit the form chose, by id; None for an area token."""
    if not unit:
        return None
    found = session.get(Unit, int(unit)) if unit.isdigit() else None
    if found is None:
        raise BadRequest("请选择单位")
    return found


def _area_of(form: TokenForm, unit: Unit | None) -> str:
    """The token's area: a unit token's is its unit's own; a different area on the form is
    refused rather than silently replaced, since the administrator meant one of the two."""
    if unit is None:
        if not form.area:
            raise TokenError("请选择地区（按地区的令牌），或选择单位（按单位的令牌）")
        return form.area
    if form.area and form.area != unit.area_code:
        raise TokenError(f"单位“{unit.name}”属于地区 {unit.area_code}，与所选地区 {form.area} 不符；"
                         "按单位的令牌请只选单位（地区即该单位所在地区）")
    return unit.area_code


@router.post("/tokens")
def add_token_action(
    request: Request, auth: Annotated[Auth, Depends(authenticated)],
    name: Annotated[str, Form(max_length=200)] = "",
    scopes: Annotated[list[str] | None, Form(max_length=len(TOKEN_SCOPES) + 2)] = None,
    area: Annotated[str, Form(max_length=100)] = "", unit: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    ctx = web(request)
    _administrators_only(request, auth)
    form = TokenForm(name, tuple(s for s in scopes or () if s), area.strip(), unit.strip())
    with ctx.db() as session:
        chosen = _chosen_unit(session, form.unit)
        try:
            with session.begin_nested():
                token, secret = add_token(session, form.name, form.scopes, _area_of(form, chosen),
                                          chosen.name if chosen else None, ctx.now(), auth.actor(request))
        except PlanwatchError as exc:
            return _render_tokens(request, auth, session, message=exc.chinese_message, form=form, status_code=400)
        notice = {"name": token.name, "secret": secret}
        return _render_tokens(request, auth, session, notice=notice)


@router.post("/tokens/{token_id}/revoke")
def revoke_action(request: Request, token_id: int, auth: Annotated[Auth, Depends(authenticated)]) -> Response:
    ctx = web(request)
    _administrators_only(request, auth)
    with ctx.db() as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise NotFound("没有这个令牌")
        try:
            with session.begin_nested():
                revoke_token(session, token.name, ctx.now(), auth.actor(request))
        except PlanwatchError as exc:
            return _render_tokens(request, auth, session, message=exc.chinese_message, status_code=400)
    return RedirectResponse("/admin/tokens", status_code=303)
