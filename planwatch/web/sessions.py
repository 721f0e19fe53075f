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

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from planwatch.store.accounts import User, UserSession

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
class SessionCheck:
    verdict: Literal["ok", "missing", "expired", "disabled"]
    user: User | None = None
    user_id: int | None = None
    """whose session it was, also when it has expired (for the audit log)."""


def check_session(session: Session, token: str | None, now: dt.datetime, idle: dt.timedelta) -> SessionCheck:
    """The user behind a cookie's token, if the session is alive; an expired one is removed."""
    if not token:
        return SessionCheck("missing")
    # Session, user and roles in one statement: every page asks this first, and three round
    # trips (session, user, roles) were a tenth of a simple page's statements.
    found = session.execute(
        select(UserSession, User).outerjoin(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(token)).options(joinedload(User.roles))
    ).unique().first()
    if found is None:
        return SessionCheck("missing")
    row, user = found
    if now - row.last_seen_at > idle:
        session.delete(row)
        return SessionCheck("expired", user_id=row.user_id)
    if user is None or user.disabled:
        session.delete(row)
        return SessionCheck("disabled", user_id=row.user_id)
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return SessionCheck("ok", user, user.id)


def purge_stale(session: Session, now: dt.datetime, idle: dt.timedelta) -> None:
    """Remove sessions idle for longer than ``idle`` that nobody came back to end."""
    session.execute(delete(UserSession).where(UserSession.last_seen_at < now - idle))


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
