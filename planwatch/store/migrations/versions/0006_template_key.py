"""workspace_secret: the key that signs the hidden metadata of issued workbooks

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

A workbook's hidden metadata (unit, area, year, rows) was checked with a public salted
SHA-256, so an edited year with a recomputed digest passed. Each workspace now gets a
random 256-bit key at creation (or at this upgrade); digests are HMACs with it. Workbooks
issued before the upgrade are refused as tampered and must be downloaded again.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "workspace_secret",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_workspace_secret")),
    )
    op.bulk_insert(table, [{"name": "template_key", "value": secrets.token_hex(32)}])


def downgrade() -> None:
    op.drop_table("workspace_secret")
