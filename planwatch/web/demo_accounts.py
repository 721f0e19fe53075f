"""One demo account per role for the demo workspace, each with a one-time password.

The unit accounts belong to 区卫生健康局 of the demo's first area (the unit with the most
to report), the office and leader accounts to that area, so that a person trying the web
application sees real tasks and real submissions at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from planwatch.store.accounts import ROLE_LABELS
from planwatch.store.models import Area, Unit, utcnow
from planwatch.store.workspace import Workspace
from planwatch.web.accounts import add_user
from planwatch.web.audit import Actor
from planwatch.web.permissions import Grant

DEMO_UNIT = "区卫生健康局"
DEMO_USERS = (
    ("tianbao", "filler", "示例填报员"),
    ("shenhe", "unit_reviewer", "示例单位审核员"),
    ("gongweiban", "office_admin", "示例工委办管理员"),
    ("lingdao", "leader", "示例领导"),
    ("xitong", "sysadmin", "示例系统管理员"),
    ("anquan", "secadmin", "示例安全管理员"),
    ("shenji", "auditor", "示例审计管理员"),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str
    password: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def create_demo_accounts(ws: Workspace, area_code: str) -> list[DemoAccount]:
    """The seven accounts; their passwords are returned to be printed once, and must be changed."""
    made = []
    with ws.session() as session:
        area = session.get(Area, area_code)
        unit = session.scalar(select(Unit).where(Unit.area_code == area_code, Unit.name == DEMO_UNIT))
        assert area is not None and unit is not None, "the demo workspace has its health bureau"
        for username, role, name in DEMO_USERS:
            if role in ("filler", "unit_reviewer"):
                grant, scope = Grant(role, area_code, unit.id), f"{area.full_name} {unit.name}"
            elif role in ("office_admin", "leader"):
                grant, scope = Grant(role, area_code), area.full_name
            else:
                grant, scope = Grant(role), "全部"
            _, password = add_user(session, username, name, [grant], utcnow(), Actor("planwatch demo"))
            assert password is not None
            made.append(DemoAccount(username, role, scope, password))
    return made
