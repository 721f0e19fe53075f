"""Who may do what: the one decision every route of the web application asks for.

A user holds grants (role, area, unit). A route describes what it is about to touch as a
:class:`Resource` (its area, unit and state, and for account administration the role and
owner of the account) and asks :func:`allowed`. Nothing else in the application decides
access, so the rules below are the whole policy and the matrix tests read them in one place.

The rules, in words:

- 填报员 and 单位审核员 see their own unit's tasks and figures, in every state; never another
  unit's, never another area's.
- The target board shows approved figures only: a unit sees the targets it leads, the
  工委办管理员 and 领导 every target of their area.
- 工委办管理员 and 领导 see their area's progress and every submission of the area that has
  left the unit (a draft stays the unit's own until it is submitted).
- 系统管理员 administers the accounts of units and offices everywhere; 工委办管理员 the unit
  accounts of its own area; 安全管理员 sees every account and unlocks locked ones. The three
  administrators' own accounts are made and changed only with ``planwatch user`` on the
  server, so that none of them can shut another out from the browser (the 系统管理员 cannot
  disable the 审计管理员 who audits it). Nobody administers their own account from the admin
  page (their own password is changed on the password page).
- Only the 工委办管理员 of the area unlocks approved figures (with a reason, logged).
- Only 审计管理员 reads the audit log; the three administrators see no monitoring data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planwatch.store.accounts import AREA_ROLES, SYSTEM_ROLES, UNIT_ROLES

ACTION_LABELS = {
    "tasks.view": "查看单位填报任务",
    "submission.view": "查看填报数据",
    "progress.view": "查看报送情况",
    "targets.view": "查看目标监测情况",
    "users.view": "查看账号",
    "users.manage": "管理账号",
    "users.unlock": "解锁账号",
    "audit.view": "查看审计日志",
    "form.fill": "在线填报",
    "form.submit": "报送填报数据",
    "review.view": "查看待审核的填报",
    "review.decide": "审核填报",
    "review.unlock": "解锁已审定的数据",
}
ACTIONS = tuple(ACTION_LABELS)
UNSUBMITTED = ("draft",)
"""States in which figures are still the unit's own."""


@dataclass(frozen=True)
class Grant:
    role: str
    area_code: str | None = None
    unit_id: int | None = None


@dataclass(frozen=True)
class Principal:
    """The logged-in user as the policy sees them."""

    user_id: int
    username: str
    grants: tuple[Grant, ...]

    def has(self, *roles: str) -> bool:
        return any(g.role in roles for g in self.grants)

    def grants_of(self, *roles: str) -> list[Grant]:
        return [g for g in self.grants if g.role in roles]


@dataclass(frozen=True)
class Resource:
    """What an action touches. Fields a route does not know stay None and match nothing
    that needs them, so a forgotten field denies rather than grants."""

    area_code: str | None = None
    unit_id: int | None = None
    state: str | None = None
    role: str | None = None
    """for account administration: the role the account holds or is to be given."""
    owner_id: int | None = None
    """for account administration: the account's own id."""


def _own_unit(principal: Principal, resource: Resource) -> bool:
    return resource.unit_id is not None and any(
        g.role in UNIT_ROLES and g.unit_id == resource.unit_id and g.area_code == resource.area_code
        for g in principal.grants
    )


def _own_unit_as(principal: Principal, resource: Resource, role: str) -> bool:
    return resource.unit_id is not None and any(
        g.role == role and g.unit_id == resource.unit_id and g.area_code == resource.area_code
        for g in principal.grants
    )


def _own_area(principal: Principal, resource: Resource, roles: Iterable[str] = AREA_ROLES) -> bool:
    roles = tuple(roles)
    return resource.area_code is not None and any(
        g.role in roles and g.area_code == resource.area_code for g in principal.grants
    )


def allowed(principal: Principal, action: str, resource: Resource) -> bool:
    """True when ``principal`` may do ``action`` on ``resource``; unknown actions are refused."""
    if action == "tasks.view":
        return _own_unit(principal, resource) or _own_area(principal, resource)
    if action == "submission.view":
        if _own_unit(principal, resource):
            return True
        return resource.state is not None and resource.state not in UNSUBMITTED and _own_area(principal, resource)
    if action == "progress.view":
        return _own_area(principal, resource)
    if action == "targets.view":  # approved figures only: a unit its own targets, the office its area's
        return _own_unit(principal, resource) or _own_area(principal, resource)
    if action == "users.view":
        if principal.has("sysadmin", "secadmin"):
            return True
        return _own_area(principal, resource, ("office_admin",))
    if action == "users.manage":
        if resource.owner_id is not None and resource.owner_id == principal.user_id:
            return False
        if resource.role is None or resource.role in SYSTEM_ROLES:
            return False
        if principal.has("sysadmin"):
            return True
        return resource.role in UNIT_ROLES and _own_area(principal, resource, ("office_admin",))
    if action == "users.unlock":
        if resource.owner_id is not None and resource.owner_id == principal.user_id:
            return False
        return principal.has("sysadmin", "secadmin")
    if action == "form.fill":
        return _own_unit(principal, resource)
    if action == "form.submit":
        return _own_unit_as(principal, resource, "unit_reviewer")
    if action == "review.view":
        return _own_area(principal, resource, ("office_admin",))
    if action == "review.decide":
        return (resource.state is not None and resource.state not in UNSUBMITTED
                and _own_area(principal, resource, ("office_admin",)))
    if action == "review.unlock":  # the office's own logged action, on approved data only
        return resource.state == "approved" and _own_area(principal, resource, ("office_admin",))
    if action == "audit.view":
        return principal.has("auditor")
    return False
