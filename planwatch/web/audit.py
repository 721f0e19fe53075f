"""Writing and reading the audit log (``audit_log``).

Security events (logins, failures, lock-outs, permission denials, logouts) are written in
their own transaction by :func:`record_event`, so that a denial is kept even though the
request that caused it is answered with an error. Data changes are written by
:func:`record_change` in the transaction of the change itself, with the state before and
after, so the log and the data can never disagree. There is no function that changes or
removes a row, and the database refuses it too (migration ``web_accounts``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from planwatch.store.accounts import AuditLog
from planwatch.store.models import AuditEvent

ACTION_LABELS = {
    "login": "登录",
    "logout": "退出",
    "session.expired": "会话超时",
    "account.locked": "账号锁定",
    "password.change": "修改密码",
    "permission.denied": "越权访问被拒绝",
    "user.add": "新增账号",
    "user.disable": "停用账号",
    "user.enable": "启用账号",
    "user.reset": "重置密码",
    "user.unlock": "解锁账号",
    "report.request": "申请生成报告",
    "report.download": "下载报告",
    "catalogue.edit": "修改指标目录",
    "unit.add": "新增成员单位",
    "unit.rename": "成员单位改名",
    "unit.retire": "停用成员单位",
    "token.add": "新增 API 令牌",
    "token.revoke": "吊销 API 令牌",
    "api.call": "API 调用",
}
OUTCOME_LABELS = {"success": "成功", "failure": "失败", "denied": "拒绝"}
_INSERT_EVENT = insert(cast(Table, AuditLog.__table__))


@dataclass(frozen=True)
class Actor:
    """Who did it and from where; ``username`` None for someone not logged in."""

    username: str | None
    user_id: int | None = None
    client: str | None = None


def _values(actor: Actor, action: str, outcome: str, at: dt.datetime, **fields: Any) -> dict[str, Any]:
    """An audit row's columns: one place for both ways of writing one."""
    return {"at": at, "actor": actor.username, "user_id": actor.user_id, "client": actor.client,
            "action": action, "outcome": outcome, "detail": fields.pop("detail", None) or {}, **fields}


def record_event(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime], actor: Actor, action: str,
    outcome: str, **fields: Any,
) -> None:
    """A security event, committed on its own whatever happens to the request.

    One plain INSERT, not an ORM object and a flush: every refusal, login and API call writes
    one, and the unit of work was half its cost."""
    values = _values(actor, action, outcome, clock(), **fields)
    with sessions() as session, session.begin():
        session.connection().execute(_INSERT_EVENT, values)


def record(session: Session, at: dt.datetime, actor: Actor, action: str, outcome: str = "success",
           **fields: Any) -> None:
    """An event in the caller's transaction: kept exactly when the change it describes is."""
    session.add(AuditLog(**_values(actor, action, outcome, at, **fields)))


@dataclass(frozen=True)
class AuditPage:
    rows: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def read_log(
    session: Session, *, action: str | None = None, actor: str | None = None, outcome: str | None = None,
    page: int = 1, per_page: int = 100,
) -> AuditPage:
    """Newest first, filtered; the audit page's only query."""
    q = select(AuditLog)
    if action:
        q = q.where(AuditLog.action == action)
    if actor:
        q = q.where(AuditLog.actor == actor)
    if outcome:
        q = q.where(AuditLog.outcome == outcome)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    page = max(1, page)
    rows = list(session.scalars(q.order_by(AuditLog.id.desc()).offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(rows, total, page, per_page)


def read_data_changes(session: Session, *, actor: str | None = None, page: int = 1, per_page: int = 100) -> AuditPage:
    """The library's own change history (``audit_event``: catalogue edits, imports, workflow
    transitions, self-evaluations), newest first, so the auditor sees every data change in one place."""
    q = select(AuditEvent)
    if actor:
        q = q.where(AuditEvent.actor == actor)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    page = max(1, page)
    rows = list(session.scalars(q.order_by(AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(rows, total, page, per_page)
