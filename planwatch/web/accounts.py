"""Accounts: adding, disabling and resetting users, logging in with lock-out, changing passwords.

Shared by ``planwatch user …`` and the admin page, so both follow the same rules and write
the same audit rows. Every function works in the caller's transaction and takes the time
as an argument (the web application's injectable clock; the CLI passes the real one).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from planwatch.collect.units import UnitLookupError, find_unit
from planwatch.collect.units import resolve_area as lookup_area
from planwatch.errors import PlanwatchError
from planwatch.store.accounts import (
    AREA_ROLES,
    ROLE_LABELS,
    SYSTEM_ROLES,
    RoleGrant,
    User,
    UserSession,
)
from planwatch.web.audit import Actor, record
from planwatch.web.passwords import check_policy, hash_password, needs_rehash, one_time_password, verify_password
from planwatch.web.permissions import Grant

MAX_FAILURES = 5
LOCK_MINUTES = 30
USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,60}")


class AccountError(PlanwatchError, ValueError):
    """An account cannot be added or changed as asked; the message says why."""

    code = "web.account"


class UnknownUserError(AccountError, LookupError):
    code = "web.account.unknown"


class WrongPasswordError(AccountError):
    """The current password given to change it is wrong (the caller logs the attempt)."""

    code = "web.account.wrong_password"


class RoleScopeError(AccountError):
    """A role given without the scope it needs, or against the separation of the administrators."""

    code = "web.account.role"


def role_key(role: str) -> str:
    """The role's key from its key or its Chinese name (填报员 → filler)."""
    if role in ROLE_LABELS:
        return role
    for key, label in ROLE_LABELS.items():
        if label == role:
            return key
    names = "、".join(f"{label}（{key}）" for key, label in ROLE_LABELS.items())
    raise RoleScopeError(f"未知角色“{role}”，可选：{names}")


@dataclass(frozen=True)
class GrantRequest:
    """A role as a person names it: a role key or label, an area code or name, a unit name."""

    role: str
    area: str | None = None
    unit: str | None = None


def resolve_grant(session: Session, request: GrantRequest) -> Grant:
    """The grant a request names, checked against its role's scope and the workspace."""
    role = role_key(request.role)
    label = ROLE_LABELS[role]
    if role in SYSTEM_ROLES:
        if request.area or request.unit:
            raise RoleScopeError(f"{label}不限定地区和单位，请勿指定 --area/--unit")
        return Grant(role)
    if not request.area:
        raise RoleScopeError(f"{label}须指定所属地区（--area）")
    try:
        area = lookup_area(session, request.area)
    except PlanwatchError as exc:
        raise RoleScopeError(str(exc)) from None
    if area is None:
        raise RoleScopeError(f"工作区中没有地区“{request.area}”")
    if role in AREA_ROLES:
        if request.unit:
            raise RoleScopeError(f"{label}按地区授权，请勿指定单位")
        return Grant(role, area.code)
    if not request.unit:
        raise RoleScopeError(f"{label}须指定所属单位（--unit）")
    try:
        unit = find_unit(session, request.unit, area.code)
    except UnitLookupError as exc:
        raise RoleScopeError(str(exc)) from None
    if unit.retired_from is not None:  # a new account for it would have nothing to do
        heir = f"，请为承接单位“{unit.successor.name}”设账号" if unit.successor is not None else ""
        raise RoleScopeError(f"单位“{unit.name}”已于{unit.retired_from}年度起停用{heir}")
    return Grant(role, area.code, unit.id)


def check_separation(grants: Sequence[Grant]) -> None:
    """三员分立: an administrator's account holds that one role and nothing else."""
    roles = {g.role for g in grants}
    system = roles & set(SYSTEM_ROLES)
    if system and len(grants) > 1:
        names = "、".join(ROLE_LABELS[r] for r in sorted(roles))
        raise RoleScopeError(f"系统管理员、安全管理员、审计管理员须单独设账号，不能与其他角色合用（{names}）")
    if not grants:
        raise RoleScopeError("账号至少需要一个角色")


def grants_text(user: User, unit_names: dict[int, str], area_names: dict[str, str] | None = None) -> str:
    """The roles as a person reads them: 填报员（区卫生健康局）、领导（济南市市中区）."""
    parts = []
    for g in user.roles:
        if g.unit_id is not None:
            where = unit_names.get(g.unit_id, "")
        else:
            where = (area_names or {}).get(g.area_code or "", g.area_code or "")
        parts.append(ROLE_LABELS[g.role] + (f"（{where}）" if where else ""))
    return "、".join(parts)


def snapshot(user: User) -> dict[str, Any]:
    """What the audit log keeps of an account before and after a change (never the hash)."""
    return {
        "username": user.username, "display_name": user.display_name, "disabled": bool(user.disabled),
        "must_change_password": bool(user.must_change_password), "failed_logins": user.failed_logins,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
        "roles": [{"role": g.role, "area_code": g.area_code, "unit_id": g.unit_id} for g in user.roles],
    }


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username).options(selectinload(User.roles)))
    if user is None:
        raise UnknownUserError(f"没有账号“{username}”")
    return user


def add_user(
    session: Session, username: str, display_name: str, grants: Sequence[Grant], now: dt.datetime,
    actor: Actor, *, password: str | None = None,
) -> tuple[User, str | None]:
    """A new account that must change its password at first login.

    Returns the account and the generated one-time password (None when ``password`` was
    given); the password is stored only as its argon2 hash.
    """
    if not USERNAME.fullmatch(username):
        raise AccountError("用户名须为 3–60 个字母、数字或 _ . -")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"账号“{username}”已存在")
    check_separation(grants)
    generated = None
    if password is None:
        password = generated = one_time_password()
    check_policy(password, username)
    user = User(
        username=username, display_name=display_name.strip() or username,
        password_hash=hash_password(password), must_change_password=True, created_at=now,
    )
    user.roles = [RoleGrant(role=g.role, area_code=g.area_code, unit_id=g.unit_id) for g in grants]
    session.add(user)
    session.flush()
    area, unit = _scope(grants)
    record(session, now, actor, "user.add", resource="user", resource_id=username, area_code=area, unit_id=unit,
           before=None, after=snapshot(user))
    return user, generated


def _scope(grants: Sequence[Grant]) -> tuple[str | None, int | None]:
    first = grants[0] if grants else None
    return (first.area_code, first.unit_id) if first else (None, None)


def _end_sessions(session: Session, user: User) -> None:
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def set_disabled(session: Session, user: User, disabled: bool, now: dt.datetime, actor: Actor) -> None:
    """Disable (and log out everywhere) or enable an account; accounts are never deleted."""
    before = snapshot(user)
    user.disabled = disabled
    if disabled:
        _end_sessions(session, user)
    area, unit = _scope([Grant(g.role, g.area_code, g.unit_id) for g in user.roles])
    record(session, now, actor, "user.disable" if disabled else "user.enable", resource="user",
           resource_id=user.username, area_code=area, unit_id=unit, before=before, after=snapshot(user))


def reset_password(session: Session, user: User, now: dt.datetime, actor: Actor, *,
                   password: str | None = None) -> str | None:
    """A new one-time password (returned, or the given one), unlocked, to change at next login."""
    before = snapshot(user)
    generated = None
    if password is None:
        password = generated = one_time_password()
    check_policy(password, user.username)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    _end_sessions(session, user)
    area, unit = _scope([Grant(g.role, g.area_code, g.unit_id) for g in user.roles])
    record(session, now, actor, "user.reset", resource="user", resource_id=user.username, area_code=area,
           unit_id=unit, before=before, after=snapshot(user))
    return generated


def unlock(session: Session, user: User, now: dt.datetime, actor: Actor) -> None:
    before = snapshot(user)
    user.failed_logins = 0
    user.locked_until = None
    record(session, now, actor, "user.unlock", resource="user", resource_id=user.username,
           before=before, after=snapshot(user))


def is_locked(user: User, now: dt.datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


LoginOutcome = Literal["ok", "bad", "locked", "disabled"]


def stored_hash(session: Session, username: str) -> str | None:
    """The password hash of ``username`` (None for an unknown name), read so that the costly
    check can run outside the login's write transaction (see :func:`check_password`)."""
    return session.scalar(select(User.password_hash).where(User.username == username))


def check_password(stored: str | None, password: str) -> tuple[str | None, bool]:
    """Argon2 verification of ``password`` against ``stored`` (the dummy hash for an unknown
    user, so that timing does not tell which names exist). Run with no transaction open: the
    hashing takes tens of milliseconds by design, and holding the database's write lock or a
    pooled connection for it made a burst of logins queue every other request behind it."""
    return stored, verify_password(stored if stored is not None else dummy_hash(), password)


def authenticate(session: Session, username: str, password: str, now: dt.datetime, client: str | None,
                 *, checked: tuple[str | None, bool] | None = None) -> tuple[LoginOutcome, User | None]:
    """Check a login and count failures: the fifth in a row locks the account for 30 minutes.

    While locked even the right password is refused (and the attempt logged), so guessing
    cannot go on; the lock ends by itself or when an administrator unlocks. An unknown user
    name costs the same hashing time as a known one, so timing does not tell which exist.
    ``checked``: :func:`check_password`'s answer, computed before this transaction; it is used
    only if the stored hash is still the one it checked (a reset in between is checked again).
    """
    user = session.scalar(select(User).where(User.username == username).options(selectinload(User.roles)))
    actor = Actor(username, user.id if user else None, client)

    def matches(hash_: str) -> bool:
        if checked is not None and checked[0] == hash_:
            return checked[1]
        return verify_password(hash_, password)

    if user is None:
        if checked is None:
            verify_password(dummy_hash(), password)
        record(session, now, actor, "login", "failure", detail={"reason": "unknown_user"})
        return "bad", None
    if user.disabled:
        record(session, now, actor, "login", "failure", detail={"reason": "disabled"})
        return "disabled", None
    if is_locked(user, now):
        record(session, now, actor, "login", "failure", detail={"reason": "locked"})
        return "locked", None
    if not matches(user.password_hash):
        if user.locked_until is not None:  # an expired lock: counting starts again
            user.locked_until = None
            user.failed_logins = 0
        user.failed_logins += 1
        record(session, now, actor, "login", "failure",
               detail={"reason": "bad_password", "failed_logins": user.failed_logins})
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            record(session, now, actor, "account.locked", "success",
                   detail={"until": user.locked_until.isoformat(), "failed_logins": user.failed_logins})
            return "locked", None
        return "bad", None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):  # stronger hashing parameters since it was set
        user.password_hash = hash_password(password)
    record(session, now, actor, "login", "success")
    return "ok", user


_DUMMY_HASH: str | None = None
"""The hash an unknown user's password is checked against; made by :func:`dummy_hash`."""


def dummy_hash() -> str:
    """The hash an unknown user's login is checked against, made on first use.

    Not made when the module is imported: argon2 takes tens of milliseconds by design, and
    ``planwatch user list`` and every other account command import this module without a
    login to check. The web application makes it when it is created
    (:func:`planwatch.web.app.create_app`), so that even the first unknown name costs the
    same as a known one.
    """
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("planwatch-no-such-user")
    return _DUMMY_HASH


def change_password(session: Session, user: User, old: str, new: str, confirm: str, now: dt.datetime,
                    actor: Actor, *, keep_session: str | None = None) -> None:
    """The user's own change: the old password, the rule, and a password different from the old.

    Every other session of the user ends (whoever else knew the old password is logged out);
    ``keep_session``, the hash of the current session's token, stays.
    """
    if not verify_password(user.password_hash, old):
        raise WrongPasswordError("原密码不正确")
    if new != confirm:
        raise AccountError("两次输入的新密码不一致")
    if new == old:
        raise AccountError("新密码不能与原密码相同")
    check_policy(new, user.username)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = now
    others = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_session is not None:
        others = others.where(UserSession.token_hash != keep_session)
    session.execute(others)
    record(session, now, actor, "password.change", "success", resource="user", resource_id=user.username)


def list_users(session: Session, area_code: str | None = None) -> list[User]:
    """Every account (or those holding a role in one area), by user name."""
    q = select(User).options(selectinload(User.roles)).order_by(User.username)
    if area_code is not None:
        q = q.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.area_code == area_code)))
    return list(session.scalars(q))

