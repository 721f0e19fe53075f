"""Logging in and out, and changing one's own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from planwatch.errors import PlanwatchError
from planwatch.web.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    WrongPasswordError,
    authenticate,
    change_password,
    check_password,
    get_user,
    stored_hash,
)
from planwatch.web.audit import Actor, record
from planwatch.web.context import SESSION_COOKIE, Auth, client_of, load_auth, render, web
from planwatch.web.sessions import close_session, open_session, purge_stale, token_hash

router = APIRouter()

LOGIN_MESSAGES = {
    "bad": "用户名或密码错误（或账号已停用）",
    "disabled": "用户名或密码错误（或账号已停用）",
    "locked": f"连续 {MAX_FAILURES} 次登录失败，账号已锁定 {LOCK_MINUTES} 分钟，请稍后再试或联系安全管理员解锁",
}


def _set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=web(request).settings.secure_cookies, path="/"
    )


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", {"message": None, "username": ""})


@router.post("/login")
def login(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "") -> Response:
    ctx = web(request)
    username = username.strip()
    with ctx.workspace.session() as session:  # read only: the hash to check outside any transaction
        stored = stored_hash(session, username)
    checked = check_password(stored, password)
    with ctx.db(immediate=True) as session:
        verdict, user = authenticate(session, username, password, ctx.now(), client_of(request), checked=checked)
        token = None
        must_change = False
        if user is not None:
            close_session(session, request.cookies.get(SESSION_COOKIE))  # never reuse a session across logins
            purge_stale(session, ctx.now(), ctx.idle)
            token = open_session(session, user, ctx.now(), client_of(request))
            must_change = bool(user.must_change_password)
    if token is None:
        return render(request, "login.html", {"message": LOGIN_MESSAGES[verdict], "username": username},
                      status_code=401 if verdict != "locked" else 423)
    response = RedirectResponse("/password" if must_change else "/", status_code=303)
    _set_session_cookie(request, response, token)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    ctx = web(request)
    token = request.cookies.get(SESSION_COOKIE)
    try:
        auth: Auth | None = load_auth(request)
    except PlanwatchError:
        auth = None
    with ctx.db(immediate=True) as session:
        close_session(session, token)
        if auth is not None:
            record(session, ctx.now(), auth.actor(request), "logout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password")
def password_page(request: Request, auth: Annotated[Auth, Depends(load_auth)]) -> Response:
    return render(request, "password.html", {"message": None}, auth=auth)


@router.post("/password")
def password_change(
    request: Request, auth: Annotated[Auth, Depends(load_auth)],
    old_password: Annotated[str, Form()] = "", new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    ctx = web(request)
    actor: Actor = auth.actor(request)
    try:
        with ctx.db() as session:
            user = get_user(session, auth.username)
            current = request.cookies.get(SESSION_COOKIE)
            change_password(session, user, old_password, new_password, confirm_password, ctx.now(), actor,
                            keep_session=token_hash(current) if current else None)
    except PlanwatchError as exc:
        if isinstance(exc, WrongPasswordError):  # worth keeping, though the change was rolled back
            with ctx.db() as session:
                record(session, ctx.now(), actor, "password.change", "failure", resource="user",
                       resource_id=auth.username, detail={"reason": "bad_old_password"})
        return render(request, "password.html", {"message": exc.chinese_message}, status_code=400, auth=auth)
    return RedirectResponse("/", status_code=303)
