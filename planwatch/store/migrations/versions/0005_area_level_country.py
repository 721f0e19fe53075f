"""area level 'country' for the national area (000000 全国)

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-30

National outlines (国务院 中国妇女发展纲要) belong to the whole country, one level above the
provinces. Only the CHECK constraint on ``area.level`` changes; SQLite cannot alter a
constraint, so batch mode copies the table (``upgrade_to`` turns SQLite's foreign-key
enforcement off around the copy and checks every key before committing).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WITH_COUNTRY = "level IN ('country', 'province', 'city', 'county', 'street')"
_WITHOUT_COUNTRY = "level IN ('province', 'city', 'county', 'street')"


def _replace_level_check(condition: str) -> None:
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_area_level"), type_="check")
        batch_op.create_check_constraint(op.f("ck_area_level"), condition)


def upgrade() -> None:
    _replace_level_check(_WITH_COUNTRY)


def downgrade() -> None:
    # Fails, changing nothing, while the national area exists: it has no level below this revision.
    _replace_level_check(_WITHOUT_COUNTRY)
