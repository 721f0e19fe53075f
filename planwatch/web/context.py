"""What every request handler needs: the workspace, the clock, the logged-in user, the one
permission check, and rendering a page with its CSRF token.

The clock is injectable (``create_app(clock=…)``) so that idle expiry and lock-outs are
tested by moving time, never by sleeping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from planwatch.collect.status import CHINA_TZ
from planwatch.store.accounts import ROLE_LABELS, User
from planwatch.store.models import Area
from planwatch.store.workspace import Workspace
from planwatch.web.audit import Actor, record_event
from planwatch.web.errors import Forbidden, LoginRequired, NotFound, PasswordChangeRequired
from planwatch.web.permissions import ACTION_LABELS, Principal, Resource, allowed
from planwatch.web.sessions import SessionUser, check_session
from planwatch.web.settings import WebSettings

SESSION_COOKIE = "pw_session"
TEMPLATES_DIR = Path(__file__).with_name("templates")


@dataclass
class WebContext:
    workspace: Workspace
    settings: WebSettings
    clock: Callable[[], dt.datetime]
    templates: Jinja2Templates

    @property
    def idle(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.settings.idle_minutes)

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """The local (China) date: deadlines are local days."""
        return self.clock().astimezone(CHINA_TZ).date()

    @contextmanager
    def db(self, *, immediate: bool = False) -> Iterator[Session]:
        """The request's transaction. ``immediate`` for the short read-then-write ones every
        request or login runs (session check, login), so that on SQLite they queue instead of
        failing; not for page transactions, which may write the audit log from a second
        session while they are open."""
        with self.workspace.session(immediate=immediate) as session:
            yield session


def web(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.web
    return ctx


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


@dataclass(frozen=True)
class Auth:
    """The logged-in user of a request."""

    principal: Principal
    display_name: str
    must_change_password: bool

    @property
    def username(self) -> str:
        return self.principal.username

    @property
    def role_names(self) -> str:
        return "、".join(dict.fromkeys(ROLE_LABELS[g.role] for g in self.principal.grants))

    def actor(self, request: Request) -> Actor:
        return Actor(self.principal.username, self.principal.user_id, client_of(request))


def _auth_of(user: SessionUser) -> Auth:
    return Auth(user.principal, user.display_name, user.must_change_password)


def load_auth(request: Request) -> Auth:
    """The user behind the session cookie, or :class:`LoginRequired` (an expired session is logged)."""
    ctx = web(request)
    token = request.cookies.get(SESSION_COOKIE)
    with ctx.db(immediate=True) as session:
        check = check_session(session, token, ctx.now(), ctx.idle)
        auth = _auth_of(check.user) if check.user is not None else None
        owner = session.get(User, check.user_id) if check.verdict == "expired" and check.user_id else None
        owner_name = owner.username if owner else None
    if check.verdict == "expired":
        record_event(ctx.workspace.sessions, ctx.clock, Actor(owner_name, check.user_id, client_of(request)),
                     "session.expired", "success", detail={"idle_minutes": ctx.settings.idle_minutes})
    if auth is None:
        raise LoginRequired("请先登录")
    return auth


def authenticated(request: Request) -> Auth:
    """Dependency of every page but the password page: logged in, password already changed."""
    auth = load_auth(request)
    if auth.must_change_password:
        raise PasswordChangeRequired("首次登录或密码已重置，请先修改密码")
    return auth


def known_area(session: Session, area_code: str) -> Area:
    """The area of a page's address; an unknown code is 404 (before any permission is checked,
    as for every object a page names)."""
    area = session.get(Area, area_code)
    if area is None:
        raise NotFound("没有这个地区")
    return area


def guard(request: Request, auth: Auth, action: str, resource: Resource) -> None:
    """The one permission check of every route: allowed, or logged as denied and refused."""
    if allowed(auth.principal, action, resource):
        return
    ctx = web(request)
    record_event(
        ctx.workspace.sessions, ctx.clock, auth.actor(request), "permission.denied", "denied",
        resource=action, resource_id=request.url.path, area_code=resource.area_code, unit_id=resource.unit_id,
        detail={"method": request.method, "state": resource.state, "role": resource.role},
    )
    raise Forbidden(f"无权{ACTION_LABELS.get(action, action)}")


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           auth: Auth | None = None) -> HTMLResponse:
    ctx = web(request)
    values = {"csrf_token": request.scope["csrftoken"](), "auth": auth, "role_labels": ROLE_LABELS}
    values.update(context or {})
    return ctx.templates.TemplateResponse(request, name, values, status_code=status_code)
