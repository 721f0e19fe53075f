"""The web application: ``create_app(workspace)`` gives the ASGI app ``planwatch serve`` runs.

Layers, outermost first: security headers and cookie flags
(:mod:`planwatch.web.security_headers`), CSRF protection (asgi-csrf: a signed token in a
cookie that every unsafe request must echo in the form field ``csrftoken`` or the
``x-csrftoken`` header, which htmx sends), then the routes. Every route asks
:func:`planwatch.web.context.guard` before it touches data.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asgi_csrf import asgi_csrf
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from planwatch.collect.problems import PROBLEM_LABELS
from planwatch.errors import PlanwatchError
from planwatch.store.models import utcnow
from planwatch.store.workspace import Workspace
from planwatch.vocabulary import STATE_LABELS
from planwatch.web import (
    accounts,
    api_v1,
    csrf_multipart,
    report_workers,
    routes_admin,
    routes_audit,
    routes_auth,
    routes_boards,
    routes_catalogue,
    routes_form,
    routes_pages,
    routes_reports,
    routes_review,
    routes_tokens,
    routes_units,
)
from planwatch.web.audit import Actor, record_event
from planwatch.web.context import SESSION_COOKIE, TEMPLATES_DIR, WebContext, render
from planwatch.web.errors import LoginRequired, PasswordChangeRequired, http_status
from planwatch.web.figures import plain_number, report_figure
from planwatch.web.security_headers import ASGIApp, Receive, Scope, SecurityHeadersMiddleware, Send
from planwatch.web.settings import WebSettings, load_secret

STATIC_DIR = Path(__file__).with_name("static")


class _EveryPath:
    """asgi-csrf lets a request without cookies through unless its path is 'always protected';
    every path is, so that a forged login (login CSRF) is refused too."""

    def __contains__(self, path: object) -> bool:
        return True


class CsrfMiddleware:
    """asgi-csrf as a Starlette middleware, answering a refusal with a Chinese page and an audit row."""

    def __init__(self, app: ASGIApp, secret: str, secure: bool) -> None:
        csrf_multipart.install()
        self.app = asgi_csrf(
            app, signing_secret=secret, always_protect=_EveryPath(), cookie_secure=secure, cookie_samesite="Lax",
            send_csrf_failed=self._refuse, skip_if_scope=api_v1.is_api_scope,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, _reason: Any) -> None:
        ctx: WebContext = scope["app"].state.web
        client = scope.get("client")
        record_event(ctx.workspace.sessions, ctx.clock, Actor(None, None, client[0] if client else None),
                     "permission.denied", "denied", resource="csrf", resource_id=str(scope.get("path")),
                     detail={"method": scope.get("method"), "reason": "csrf"})
        body = ("<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>请求被拒绝</title>"
                "<p>请求被拒绝：缺少或不匹配的安全令牌（CSRF）。请返回上一页刷新后重试。</p></html>").encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/html; charset=utf-8")]})
        await send({"type": "http.response.body", "body": body})


PAGE_ROUTES = (routes_auth, routes_pages, routes_admin, routes_tokens, routes_audit, routes_boards, routes_form,
               routes_review, routes_reports, routes_catalogue, routes_units)
"""The modules whose ``router`` makes the web pages, in the order the application includes them."""


def create_app(
    workspace: Workspace,
    *,
    settings: WebSettings | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
    secret: str | None = None,
) -> FastAPI:
    """The application on an opened workspace; ``clock`` and ``secret`` are for tests."""
    settings = settings or WebSettings.from_workspace_extra(workspace.config.model_extra)
    accounts.dummy_hash()  # before the first login, so an unknown name costs what a known one does
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["fmt_time"] = _fmt_time
    templates.env.globals["fmt_day"] = _fmt_day
    templates.env.globals["state_labels"] = STATE_LABELS
    templates.env.globals["problem_labels"] = PROBLEM_LABELS
    templates.env.filters["json_text"] = _json_text
    templates.env.filters["plain"] = plain_number
    templates.env.filters["figure"] = report_figure
    app = FastAPI(title="planwatch 规划监测评估系统", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=report_workers.lifespan)
    app.state.web = WebContext(workspace, settings, clock, templates)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for module in PAGE_ROUTES:
        app.include_router(module.router)
    api_v1.mount_api(app, app.state.web)
    _install_error_pages(app)
    app.add_middleware(CsrfMiddleware, secret=secret or load_secret(workspace.path), secure=settings.secure_cookies)
    app.add_middleware(SecurityHeadersMiddleware, secure=settings.secure_cookies)
    return app


def _fmt_time(value: dt.datetime | None) -> str:
    from planwatch.collect.status import CHINA_TZ

    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _fmt_day(value: dt.date | None) -> str:
    """A day as a report's 落款 writes it (2025年3月1日), so the page and the document agree."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _json_text(value: Any) -> str:
    """JSON for people to read (Chinese as it is); the template escapes it like any text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _redirect(request: Request, url: str) -> Response:
    """A redirect a browser follows, and htmx too (it would otherwise swap the login page in)."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        response = _redirect(request, "/login")
        if SESSION_COOKIE in request.cookies:
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.exception_handler(PasswordChangeRequired)
    async def _password(request: Request, exc: PasswordChangeRequired) -> Response:
        return _redirect(request, "/password")

    @app.exception_handler(PlanwatchError)
    async def _planwatch(request: Request, exc: PlanwatchError) -> Response:
        return _error_page(request, http_status(exc), exc.chinese_message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if api_v1.is_api_scope(request.scope):  # a path the API's mount cannot match (a newline in it)
            return api_v1.http_error(exc)
        message = {404: "页面不存在", 405: "不支持的请求方式"}.get(exc.status_code, str(exc.detail))
        return _error_page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error_page(request, 422, "请求参数无效")


def _error_page(request: Request, status: int, message: str) -> Response:
    try:
        return render(request, "error.html", {"status": status, "message": message}, status_code=status)
    except Exception:  # the error page itself must never fail: plain text then
        return HTMLResponse(f"<p>{html.escape(message)}</p>", status_code=status)
