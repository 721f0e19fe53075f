"""The tables of the web application's accounts: users, their roles, sessions and the audit log.

They live with the rest of the schema (one ``Base``, one chain of migrations) so that a
workspace database is complete whichever interface made it; the rules that use them live
in :mod:`planwatch.web`, which the core never imports.

Roles are scoped: a 填报员 or 单位审核员 belongs to one unit of one area, a 工委办管理员 or
领导 to one area, and the three administrators (系统, 安全, 审计) to no area — they are
kept apart from every other role (三员分立), which :mod:`planwatch.web.accounts` enforces
when a role is granted. The CHECK below only holds each role to its scope.

``audit_log`` is written, never changed: the application has no code path that updates
or deletes a row, and the migration installs triggers that refuse UPDATE and DELETE on
both databases (and TRUNCATE on PostgreSQL).
"""

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planwatch.store.models import Base, _in, utcnow

ROLE_LABELS = {
    "filler": "填报员",
    "unit_reviewer": "单位审核员",
    "office_admin": "工委办管理员",
    "leader": "领导",
    "sysadmin": "系统管理员",
    "secadmin": "安全管理员",
    "auditor": "审计管理员",
}
ROLES = tuple(ROLE_LABELS)
UNIT_ROLES = ("filler", "unit_reviewer")
"""Roles held within one unit of one area."""
AREA_ROLES = ("office_admin", "leader")
"""Roles held over one area."""
SYSTEM_ROLES = ("sysadmin", "secadmin", "auditor")
"""The three administrators, held over no area and never together with another role."""
AUDIT_OUTCOMES = ("success", "failure", "denied")


class User(Base):
    """A person who logs in. Never deleted (the audit log names them): disabled instead."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column()
    last_login_at: Mapped[dt.datetime | None] = mapped_column()

    roles: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RoleGrant.id"
    )


_SCOPE = (
    f"({_in('role', UNIT_ROLES)} AND area_code IS NOT NULL AND unit_id IS NOT NULL)"
    f" OR ({_in('role', AREA_ROLES)} AND area_code IS NOT NULL AND unit_id IS NULL)"
    f" OR ({_in('role', SYSTEM_ROLES)} AND area_code IS NULL AND unit_id IS NULL)"
)


class RoleGrant(Base):
    """One role a user holds, with its scope; the unit must belong to the area."""

    __tablename__ = "user_roles"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint(_SCOPE, name="scope"),
        UniqueConstraint("user_id", "role", "area_code", "unit_id"),
        ForeignKeyConstraint(["unit_id", "area_code"], ["unit.id", "unit.area_code"], name="fk_user_roles_unit_area"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"))
    unit_id: Mapped[int | None] = mapped_column(Integer)

    user: Mapped["User"] = relationship(back_populates="roles")


class UserSession(Base):
    """A logged-in browser. Only the SHA-256 of the cookie's token is stored, so a copy of
    the database does not let anyone take over a session; deleting the row logs out."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    client: Mapped[str | None] = mapped_column(String(100))


ACTOR_CHARS = 60
"""Width of the audit log's actor column: a user name, or ``token:`` and a token's name."""


class AuditLog(Base):
    """One security or data event: who, when, from where, what, and the state before and after.

    ``user_id`` is deliberately not a foreign key: the log must outlive anything it names.
    """

    __tablename__ = "audit_log"
    __table_args__ = (CheckConstraint(_in("outcome", AUDIT_OUTCOMES), name="outcome"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(ACTOR_CHARS))
    user_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(60), index=True)
    outcome: Mapped[str] = mapped_column(String(10))
    resource: Mapped[str | None] = mapped_column(String(60))
    resource_id: Mapped[str | None] = mapped_column(String(100))
    area_code: Mapped[str | None] = mapped_column(String(12))
    unit_id: Mapped[int | None] = mapped_column(Integer)
    client: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
