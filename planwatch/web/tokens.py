"""API tokens: made and revoked by an administrator, checked on every call of ``/api/v1/``.

A token's secret is ``pw_`` followed by 256 random bits (URL-safe base64); only its SHA-256
is stored, and the secret is returned once, by :func:`add_token`. Looking a token up by the
hash of what the caller sent is a single indexed equality, so nothing is compared by hand.

What a token may do is said by the same policy the pages use
(:func:`planwatch.web.permissions.allowed`): :func:`principal_of_token` turns it into the
grant of the matching role — a unit token is that unit's 单位审核员, an area token the
area's 工委办管理员 (with ``review``) or 领导 (read only) — and the API checks the token's
scopes before the policy, so a read token never writes whatever its role could.

The rate limit is a token bucket per token, in memory: one process serves the API
(``planwatch serve``), and a restart forgetting the buckets only lets a client start afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.collect.units import UnitLookupError, find_unit
from planwatch.collect.units import resolve_area as lookup_area
from planwatch.errors import PlanwatchError
from planwatch.store.accounts import ACTOR_CHARS, AuditLog
from planwatch.store.api_tokens import TOKEN_SCOPES, ApiToken
from planwatch.store.models import Unit, utcnow
from planwatch.web.audit import Actor, record
from planwatch.web.permissions import Grant, Principal

SECRET_PREFIX = "pw_"
ACTOR_PREFIX = "token:"
NAME_CHARS = ACTOR_CHARS - len(ACTOR_PREFIX)
"""A token's calls are audited as ``token:NAME`` in the audit log's actor column (60
characters): a longer name would make PostgreSQL refuse every audit row of its calls."""


class TokenError(PlanwatchError, ValueError):
    """A token cannot be made or revoked as asked; the message says why."""

    code = "web.token"


class UnknownTokenError(TokenError, LookupError):
    code = "web.token.unknown"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _scopes(scopes: Sequence[str], unit: str | None) -> list[str]:
    chosen = [s.strip() for s in scopes if s.strip()]
    unknown = [s for s in chosen if s not in TOKEN_SCOPES]
    if unknown or not chosen:
        names = "、".join(f"{key}（{label}）" for key, label in TOKEN_SCOPES.items())
        raise TokenError(f"未知或缺少权限范围“{'、'.join(unknown)}”，可选：{names}")
    if "submit" in chosen and not unit:
        raise TokenError("submit（报送单位数据）只能授予限定到一个单位的令牌，请指定 --unit")
    if "review" in chosen and unit:
        raise TokenError("review（审核与审定）只能授予按地区的令牌，请勿指定 --unit")
    return [s for s in TOKEN_SCOPES if s in chosen]


def snapshot(token: ApiToken) -> dict[str, Any]:
    """What the audit log keeps of a token (never its hash)."""
    return {
        "name": token.name, "prefix": token.prefix, "scopes": token.scopes.split(), "area_code": token.area_code,
        "unit_id": token.unit_id, "revoked": token.revoked_at is not None,
    }


def add_token(session: Session, name: str, scopes: Sequence[str], area: str, unit: str | None,
              now: dt.datetime, actor: Actor) -> tuple[ApiToken, str]:
    """A new token for one system; returns it and its secret, which is never shown again."""
    name = name.strip()
    if not name or len(name) > NAME_CHARS:
        raise TokenError(f"令牌名称须为 1–{NAME_CHARS} 个字符（写明调用的系统，如“市统计局数据平台”）")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise TokenError(f"令牌“{name}”已存在")
    chosen = _scopes(scopes, unit)
    try:
        area_obj = lookup_area(session, area)
    except PlanwatchError as exc:
        raise TokenError(str(exc)) from None
    if area_obj is None:
        raise TokenError(f"工作区中没有地区“{area}”")
    unit_id = None
    if unit:
        try:
            unit_id = find_unit(session, unit, area_obj.code).id
        except UnitLookupError as exc:
            raise TokenError(str(exc)) from None
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_secret(secret), prefix=secret[:10], scopes=" ".join(chosen),
                     area_code=area_obj.code, unit_id=unit_id, created_by=actor.username or "", created_at=now)
    session.add(token)
    session.flush()
    record(session, now, actor, "token.add", resource="api_token", resource_id=name, area_code=area_obj.code,
           unit_id=unit_id, after=snapshot(token))
    return token, secret


def get_token(session: Session, name: str) -> ApiToken:
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise UnknownTokenError(f"没有令牌“{name}”")
    return token


def revoke_token(session: Session, name: str, now: dt.datetime, actor: Actor) -> ApiToken:
    """Refuse the token from now on; it stays listed (and named in the audit log)."""
    token = get_token(session, name)
    if token.revoked_at is not None:
        raise TokenError(f"令牌“{name}”已于 {token.revoked_at.isoformat()} 吊销")
    before = snapshot(token)
    token.revoked_at, token.revoked_by = now, actor.username
    record(session, now, actor, "token.revoke", resource="api_token", resource_id=name,
           area_code=token.area_code, unit_id=token.unit_id, before=before, after=snapshot(token))
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.name)))


def last_calls(session: Session, tokens: Sequence[ApiToken]) -> dict[int, dt.datetime]:
    """When each token last called the API (allowed or refused), by token id; a token never
    used is absent.

    Read from the audit log's ``api.call`` rows, which name the token as their actor, rather
    than kept on the token: the log already records every call, and a second write per call
    would only repeat it."""
    ids = {f"{ACTOR_PREFIX}{t.name}": t.id for t in tokens}
    if not ids:
        return {}
    rows = session.execute(select(AuditLog.actor, func.max(AuditLog.at))
                           .where(AuditLog.action == "api.call", AuditLog.actor.in_(list(ids)))
                           .group_by(AuditLog.actor))
    return {ids[actor]: at for actor, at in rows if actor in ids and at is not None}


def find_by_secret(session: Session, secret: str) -> ApiToken | None:
    """The token whose secret this is (revoked or not: the caller says which refusal)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))


def principal_of_token(token: ApiToken) -> Principal:
    """The token as the permission policy sees it (see the module's docstring)."""
    scopes = token.scopes.split()
    if token.unit_id is not None:
        grant = Grant("unit_reviewer", token.area_code, token.unit_id)
    else:
        grant = Grant("office_admin" if "review" in scopes else "leader", token.area_code)
    return Principal(-token.id, f"{ACTOR_PREFIX}{token.name}", (grant,))


# --------------------------------------------------------------------------- rate limit


class RateLimiter:
    """A token bucket per API token: ``burst`` calls at once, refilled at ``per_minute``.

    ``take`` answers 0 when the call may go ahead, else the seconds until it may.
    """

    def __init__(self, per_minute: float = 120, burst: int = 60,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.monotonic = monotonic
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: int) -> int:
        with self._lock:
            now = self.monotonic()
            level, last = self._buckets.get(key, (self.burst, now))
            level = min(self.burst, level + (now - last) * self.rate)
            if level >= 1.0:
                self._buckets[key] = (level - 1.0, now)
                return 0
            self._buckets[key] = (level, now)
            return max(1, math.ceil((1.0 - level) / self.rate))


# --------------------------------------------------------------------------- administration by path


@dataclass(frozen=True)
class TokenRow:
    """One token as ``planwatch token list`` prints it (the admin page reads the tokens
    themselves, for their ids and times)."""

    name: str
    prefix: str
    scopes: str
    area_code: str
    unit: str
    created: str
    state: str


def _cli_actor(actor: str) -> Actor:
    return Actor(f"cli:{actor}", None, "命令行")


def add_token_at(workspace: Path | str, name: str, scopes: Sequence[str], *, area: str, unit: str | None,
                 actor: str) -> tuple[str, str]:
    """``planwatch token add``: the token's name and its secret (shown once)."""
    from planwatch.store.workspace import open_workspace

    with open_workspace(Path(workspace)) as ws, ws.session() as session:
        token, secret = add_token(session, name, scopes, area, unit, utcnow(), _cli_actor(actor))
        return token.name, secret


def token_rows(session: Session) -> list[TokenRow]:
    units = {u.id: u.name for u in session.scalars(select(Unit))}
    return [
        TokenRow(t.name, t.prefix + "…", " ".join(t.scopes.split()),
                 t.area_code, units.get(t.unit_id, "") if t.unit_id is not None else "",
                 t.created_at.isoformat(timespec="seconds"),
                 f"已吊销（{t.revoked_at.isoformat(timespec='seconds')}）" if t.revoked_at else "有效")
        for t in list_tokens(session)
    ]


def list_tokens_at(workspace: Path | str) -> list[TokenRow]:
    from planwatch.store.workspace import open_workspace

    with open_workspace(Path(workspace)) as ws, ws.session() as session:
        return token_rows(session)


def revoke_token_at(workspace: Path | str, name: str, *, actor: str) -> None:
    from planwatch.store.workspace import open_workspace

    with open_workspace(Path(workspace)) as ws, ws.session() as session:
        revoke_token(session, name, utcnow(), _cli_actor(actor))
