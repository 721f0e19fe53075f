"""Account administration on the server, by workspace path: what ``planwatch user`` runs.

The administrators' own accounts are managed only here (not from the browser), so that no
single administrator can lock another out; each function opens the workspace, acts in
one transaction and records the change in the audit log as the command-line actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from planwatch.store.models import Unit, utcnow
from planwatch.store.workspace import open_workspace
from planwatch.web.accounts import (
    GrantRequest,
    add_user,
    get_user,
    grants_text,
    is_locked,
    list_users,
    reset_password,
    resolve_grant,
    set_disabled,
)
from planwatch.web.audit import Actor


@dataclass(frozen=True)
class AccountRow:
    """One account as ``planwatch user list`` shows it."""

    username: str
    display_name: str
    roles: str
    state: str


def _cli_actor(actor: str) -> Actor:
    return Actor(f"cli:{actor}", None, "命令行")


def add_account(workspace: Path | str, username: str, role: str, *, area: str | None, unit: str | None,
                name: str | None, password: str | None, actor: str) -> tuple[str, str | None]:
    """Add an account; returns its user name and the one-time password when one was generated."""
    with open_workspace(workspace) as ws, ws.session() as session:
        grant = resolve_grant(session, GrantRequest(role, area, unit))
        user, generated = add_user(session, username, name or username, [grant], utcnow(),
                                   _cli_actor(actor), password=password)
        return user.username, generated


def list_accounts(workspace: Path | str, area: str | None = None) -> list[AccountRow]:
    with open_workspace(workspace) as ws, ws.session() as session:
        units = {u.id: u.name for u in session.scalars(select(Unit))}
        now = utcnow()
        return [
            AccountRow(u.username, u.display_name, grants_text(u, units),
                       "已停用" if u.disabled else "已锁定" if is_locked(u, now) else
                       "待改初始密码" if u.must_change_password else "正常")
            for u in list_users(session, area)
        ]


def disable_account(workspace: Path | str, username: str, *, disabled: bool, actor: str) -> None:
    """Disable (ending every session at once) or enable an account."""
    with open_workspace(workspace) as ws, ws.session() as session:
        set_disabled(session, get_user(session, username), disabled, utcnow(), _cli_actor(actor))


def reset_account(workspace: Path | str, username: str, *, password: str | None, actor: str) -> str | None:
    """Reset a password and unlock; returns the one-time password when one was generated."""
    with open_workspace(workspace) as ws, ws.session() as session:
        return reset_password(session, get_user(session, username), utcnow(), _cli_actor(actor),
                              password=password)
