"""Server-side login sessions: a random token in an HttpOnly cookie, its hash in the database.

Kept on the server (not in a signed cookie) so that logging out, disabling an account or
resetting its password ends every session at once. A session dies after ``idle`` without a
request (30 minutes by default); each request moves ``last_seen_at`` on, at most once a
minute so that browsing does not write a row per page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from planwatch.store.accounts import RoleGrant, User, UserSession
from planwatch.web.permissions import Grant, Principal

TOUCH_EVERY = dt.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def open_session(session: Session, user: User, now: dt.datetime, client: str | None) -> str:
    """A new session for ``user``; returns the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
                            client=client))
    return token


@dataclass(frozen=True)
class SessionUser:
    """What a request needs of the account behind a session, read as plain columns: building the
    ORM objects (session, user and its roles) made the check about half again as costly, and
    every request but the login page's runs it."""

    principal: Principal
    """id, name and roles in the order they were granted."""
    display_name: str
    must_change_password: bool


@dataclass(frozen=True)
class SessionCheck:
    verdict: Literal["ok", "missing", "expired", "disabled"]
    user: SessionUser | None = None
    user_id: int | None = None
    """whose session it was, also when it has expired (for the audit log)."""


_CHECK = (
    select(UserSession.user_id, UserSession.last_seen_at, User.username, User.display_name, User.disabled,
           User.must_change_password, RoleGrant.role, RoleGrant.area_code, RoleGrant.unit_id)
    .select_from(UserSession)
    .outerjoin(User, User.id == UserSession.user_id)
    .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
    .where(UserSession.token_hash == bindparam("key"))
    .order_by(RoleGrant.id)
)
"""Built once with the token's hash as a parameter: building it per request (a new WHERE clause
and its cache key) cost about as much again as running it."""


def check_session(session: Session, token: str | None, now: dt.datetime, idle: dt.timedelta) -> SessionCheck:
    """The user behind a cookie's token, if the session is alive; an expired one is removed."""
    if not token:
        return SessionCheck("missing")
    # Session, user and roles in one statement of plain columns: every page asks this first,
    # and three round trips (session, user, roles) were a tenth of a simple page's statements.
    key = token_hash(token)
    rows = session.execute(_CHECK, {"key": key}).all()
    if not rows:
        return SessionCheck("missing")
    first = rows[0]
    this = UserSession.token_hash == key
    if now - first.last_seen_at > idle:
        session.execute(delete(UserSession).where(this))
        return SessionCheck("expired", user_id=first.user_id)
    if first.username is None or first.disabled:
        session.execute(delete(UserSession).where(this))
        return SessionCheck("disabled", user_id=first.user_id)
    if now - first.last_seen_at >= TOUCH_EVERY:
        session.execute(update(UserSession).where(this).values(last_seen_at=now))
    grants = tuple(Grant(r.role, r.area_code, r.unit_id) for r in rows if r.role is not None)
    user = SessionUser(Principal(first.user_id, first.username, grants), first.display_name,
                       bool(first.must_change_password))
    return SessionCheck("ok", user, first.user_id)


def purge_stale(session: Session, now: dt.datetime, idle: dt.timedelta) -> None:
    """Remove sessions idle for longer than ``idle`` that nobody came back to end."""
    session.execute(delete(UserSession).where(UserSession.last_seen_at < now - idle))


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
