"""API tokens: how another system (the statistics bureau's, the city's) calls ``/api/v1/``.

A token belongs to one system, is limited to one area and optionally one unit, and carries
scopes (``read``; ``submit`` for a unit's figures; ``review`` for an area's decisions). Only
the SHA-256 of its secret is stored: the secret is high-entropy random text shown once when
the token is made, so a slow password hash would add nothing, and a copy of the database
does not let anyone call the API. A token is never deleted (the audit log names it):
revoking sets ``revoked_at`` and it is refused from then on.
"""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planwatch.store.models import Base, utcnow

TOKEN_SCOPES = {"read": "读取", "submit": "报送单位数据", "review": "审核与审定"}
"""Scope keys and what they allow, in Chinese."""


class ApiToken(Base):
    """One system's credential for the REST API; the unit, when given, belongs to the area."""

    __tablename__ = "api_token"
    __table_args__ = (
        ForeignKeyConstraint(["unit_id", "area_code"], ["unit.id", "unit.area_code"], name="fk_api_token_unit_area"),
        CheckConstraint("scopes <> ''", name="scopes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    """The secret's first characters, so an administrator can tell tokens apart."""
    scopes: Mapped[str] = mapped_column(String(60))
    """Space-separated scope keys, in the order of :data:`TOKEN_SCOPES`."""
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    unit_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
