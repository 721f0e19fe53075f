"""The REST API ``/api/v1/``: a FastAPI application of its own, mounted in the web application.

Its own application, so that it has its own OpenAPI document (``/api/v1/openapi.json``,
interactive at ``/api/v1/docs``), answers every error as JSON ``{code, message, place}``
rather than as the pages' HTML, and is audited call by call
(:class:`~planwatch.web.api_v1.auth.AuditCalls`). It shares the pages' workspace, clock,
policy and audit log through the same :class:`~planwatch.web.context.WebContext`.
The page's CSRF check is skipped for ``/api/`` (see :func:`is_api_scope`): the API takes
bearer tokens only, never the session cookie, so there is no ambient credential to forge.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from planwatch.errors import PlanwatchError
from planwatch.web.api_v1 import (
    routes_assessment,
    routes_catalogue,
    routes_observations,
    routes_reports,
    routes_submissions,
)
from planwatch.web.api_v1.auth import AuditCalls, error_response
from planwatch.web.api_v1.schemas import Error
from planwatch.web.boards_data import workspace_cache
from planwatch.web.context import WebContext
from planwatch.web.tokens import RateLimiter

PREFIX = "/api/v1"
DESCRIPTION = """规划监测评估系统的数据交换接口。

认证：每个调用系统一个 API 令牌（`Authorization: Bearer pw_…`），由系统管理员用
`planwatch token add` 创建、`planwatch token revoke` 吊销；令牌限定一个地区（可再限定一个单位），
权限范围 read（读取）、submit（报送单位数据）、review（审核与审定）。每次调用都记入审计日志；
每个令牌有调用频率限制（超出时 429，并给出 Retry-After）。

错误一律为 JSON `{code, message, place}`；报送数据未通过校验时为 422，并列出每个问题的编号、中文说明和位置，
不保存任何数据。
"""


def is_api_scope(scope: Any) -> bool:
    """The requests the page's CSRF check leaves alone: those for the API."""
    path = str(scope.get("path", ""))
    return path == PREFIX or path.startswith(PREFIX + "/")


def _json(status: int, code: str, message: str, place: str | None = None,
          headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "place": place}, status_code=status, headers=headers)


def http_error(exc: StarletteHTTPException) -> JSONResponse:
    """A routing or parsing refusal of Starlette's, as the API's JSON error."""
    message = {400: "请求体无法解析：须为 UTF-8 编码的 JSON", 404: "没有此接口",
               405: "不支持的请求方式"}.get(exc.status_code, str(exc.detail))
    return _json(exc.status_code, f"api.http_{exc.status_code}", message)


API_ROUTES = (routes_catalogue, routes_observations, routes_submissions, routes_assessment, routes_reports)
"""The modules whose ``router`` makes the REST API, in the order it includes them."""


def create_api(ctx: WebContext, limiter: RateLimiter | None = None) -> FastAPI:
    api = FastAPI(
        title="planwatch 规划监测评估系统 API", version="1", description=DESCRIPTION,
        docs_url="/docs", redoc_url=None, openapi_url="/openapi.json",
        responses={
            400: {"model": Error, "description": "请求无法处理（如请求体不是 UTF-8 编码的 JSON）"},
            401: {"model": Error, "description": "缺少、无效或已吊销的令牌"},
            403: {"model": Error, "description": "令牌无此权限"},
            404: {"model": Error, "description": "没有此对象"},
            409: {"model": Error, "description": "当前状态不允许此操作"},
            422: {"model": Error, "description": "请求参数无效"},
            429: {"model": Error, "description": "调用过于频繁（见 Retry-After）"},
        },
    )
    api.state.web = ctx
    api.state.api_limiter = limiter or RateLimiter(ctx.settings.api_calls_per_minute, ctx.settings.api_burst)
    api.state.api_assessments = workspace_cache(ctx.workspace)
    api.state.host_app = api  # the application whose state holds the report worker; see mount_api
    for module in API_ROUTES:
        api.include_router(module.router)

    @api.exception_handler(PlanwatchError)
    async def _planwatch(request: Request, exc: PlanwatchError) -> JSONResponse:
        return error_response(exc)

    @api.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_error(exc)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        place = ".".join(str(p) for p in first.get("loc", ()))
        return _json(422, "api.invalid_request", f"请求参数无效：{first.get('msg', '')}", place or None)

    api.add_middleware(AuditCalls)
    return api



def mount_api(app: FastAPI, ctx: WebContext) -> FastAPI:
    """Mount the API in the web application; the API application is kept as ``app.state.api_v1``."""
    api = create_api(ctx)
    api.state.host_app = app  # its lifespan starts the report worker a report request wakes
    app.mount(PREFIX, api)
    app.state.api_v1 = api
    return api
