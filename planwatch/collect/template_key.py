"""The workspace's template key: what makes a workbook's hidden metadata unforgeable.

Every workbook planwatch issues records whom and which year it is for in a hidden sheet,
with an HMAC over it (:mod:`planwatch.collect.metadata_sheet`). The key is 32 random bytes
made when the workspace's schema is created (migration ``0006``) and kept in
its database — readable only by those who can read the database (the SQLite file is the
workspace's own; PostgreSQL has its accounts) and never written into a workbook, an export
or a report.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.errors import PlanwatchError
from planwatch.store.models import WorkspaceSecret

NAME = "template_key"


class TemplateKeyError(PlanwatchError):
    """The workspace's database has lost its template key."""

    code = "collect.template_key"


def template_key(session: Session) -> bytes:
    """The key, read from the workspace's database."""
    value = session.scalar(select(WorkspaceSecret.value).where(WorkspaceSecret.name == NAME))
    if value is None:
        raise TemplateKeyError(
            "工作区数据库中缺少模板签名密钥（workspace_secret.template_key），无法生成或校验填报模板；"
            "请勿手工删除该记录 (the template key is missing)"
        )
    return bytes.fromhex(value)
