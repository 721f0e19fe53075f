"""Who is calling the API: a bearer token, checked, rate-limited, and every call audited.

The API reads only the ``Authorization: Bearer`` header, never the session cookie, so a
browser's logged-in session cannot call it (and a forged cross-site request cannot add the
header without the site's consent, which no CORS rule gives). Each call — allowed, refused
or failed — becomes one ``api.call`` row of the audit log, written after the answer is
known, naming the token, the path, the method and the status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from planwatch.errors import PlanwatchError, error_payload
from planwatch.web.audit import Actor, record_event
from planwatch.web.context import WebContext, client_of, web
from planwatch.web.errors import http_status
from planwatch.web.permissions import ACTION_LABELS, Principal, Resource, allowed
from planwatch.web.security_headers import ASGIApp, Message, Receive, Scope, Send
from planwatch.web.tokens import ACTOR_PREFIX, RateLimiter, find_by_secret, principal_of_token


class ApiError(PlanwatchError):
    """A refusal of the API, answered as JSON ``{code, message, place}``; its status is its
    code's in :data:`planwatch.web.errors.HTTP_STATUS`."""

    code = "api"

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.headers = headers

    @property
    def status(self) -> int:
        return http_status(self, api=True)


class Unauthorized(ApiError):
    code = "api.unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message, {"WWW-Authenticate": 'Bearer realm="planwatch"'})


class ScopeMissing(ApiError):
    code = "api.scope"


class Denied(ApiError):
    code = "api.forbidden"


class BadParameter(ApiError):
    code = "api.invalid_request"


class ApiNotFound(ApiError, LookupError):
    code = "api.not_found"


class Conflict(ApiError):
    code = "api.conflict"


class RateLimited(ApiError):
    code = "api.rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"请求过于频繁，请 {retry_after} 秒后再试", {"Retry-After": str(retry_after)})


def error_response(error: PlanwatchError, status: int | None = None) -> JSONResponse:
    """A planwatch error as the API answers it: ``{code, message, place}`` (the shape of
    :func:`planwatch.errors.error_payload`), with its status (:func:`~planwatch.web.errors.http_status`)
    unless the route names one, and an API error's own headers."""
    headers = error.headers if isinstance(error, ApiError) else None
    return JSONResponse(error_payload(error), status_code=status or http_status(error, api=True), headers=headers)


@dataclass(frozen=True)
class Caller:
    """The token behind a request, as the routes need it."""

    token_id: int
    name: str
    scopes: frozenset[str]
    area_code: str
    unit_id: int | None
    principal: Principal
    client: str | None

    @property
    def actor(self) -> Actor:
        return Actor(self.principal.username, None, self.client)


def limiter_of(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.api_limiter
    return limiter


def caller(request: Request) -> Caller:
    """Dependency of every API route: a live token within its rate, or a JSON refusal."""
    ctx = web(request)
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("缺少 API 令牌：请在 Authorization 头中使用 Bearer 令牌")
    with ctx.db() as session:
        token = find_by_secret(session, secret.strip())
        if token is not None:
            request.state.api_token = {"id": token.id, "name": token.name, "area_code": token.area_code,
                                       "unit_id": token.unit_id}
            if token.revoked_at is not None:
                raise Unauthorized("API 令牌已吊销")
            found = Caller(token.id, token.name, frozenset(token.scopes.split()), token.area_code, token.unit_id,
                           principal_of_token(token), client_of(request))
    if token is None:
        raise Unauthorized("API 令牌无效")
    wait = limiter_of(request).take(found.token_id)
    if wait:
        raise RateLimited(wait)
    return found


def need_scope(who: Caller, scope: str) -> None:
    if scope not in who.scopes:
        from planwatch.store.api_tokens import TOKEN_SCOPES

        raise ScopeMissing(f"令牌没有“{scope}”（{TOKEN_SCOPES.get(scope, scope)}）权限")


def need(who: Caller, action: str, resource: Resource) -> None:
    """The pages' own policy decides; a refusal is a 403 (its audit row is the call's own)."""
    if not allowed(who.principal, action, resource):
        raise Denied(f"无权{ACTION_LABELS.get(action, action)}")


def _outcome(status: int) -> str:
    if status < 400:
        return "success"
    return "denied" if status in (401, 403, 429) else "failure"


class AuditCalls:
    """Pure ASGI middleware of the API: one audit row per call, after its status is known."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            _record_call(scope, status)


def _record_call(scope: Scope, status: int) -> None:
    ctx: WebContext = scope["app"].state.web
    token: dict[str, Any] = scope.get("state", {}).get("api_token") or {}
    client = scope.get("client")
    root, path = scope.get("root_path", ""), scope.get("path", "")
    path = (path if path.startswith(root) else root + path)[:100]
    query = scope.get("query_string", b"").decode("latin-1")[:500]
    record_event(
        ctx.workspace.sessions, ctx.clock,
        Actor(f"{ACTOR_PREFIX}{token['name']}" if token else None, None, client[0] if client else None),
        "api.call", _outcome(status), resource="api", resource_id=path, area_code=token.get("area_code"),
        unit_id=token.get("unit_id"),
        detail={"method": scope.get("method"), "status": status, "token_id": token.get("id"), "query": query},
    )


def parse_since(value: str | None) -> dt.datetime | None:
    """``updated_since`` as an aware time; a time without zone is taken as UTC."""
    if value is None:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadParameter(f"updated_since 不是 ISO 8601 时间：“{value[:40]}”") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
