"""unit retirement: member units renamed, retired (机构改革) and their former reporting kept

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

A district reorganises its departments every few years. A renamed unit keeps its row (its old
name becomes an alias, no column is needed); a retired one keeps its row too, for its history,
with the first data year it no longer reports (``unit.retired_from``) and the unit that took
its work over (``unit.successor_id``). Its reporting assignments move to that successor, which
reports them from that year (``indicator_reporter.since_year``), and are kept with the years
they covered in ``former_reporter``, so that a past year's completeness still asks the unit
that was responsible then.

Every existing unit is active and every assignment has held from the start: the new columns
are null. Plain portable DDL: nullable columns, one table, named keys and checks.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SUCCESSION = "successor_id IS NULL OR (successor_id <> id AND retired_from IS NOT NULL)"


def _unit_columns() -> None:
    op.add_column("unit", sa.Column("retired_from", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode would copy and drop the unit table, which SQLite refuses while foreign
        # keys are on and other tables reference it (as in 0003); a column added in place
        # may carry its named foreign key and check with it.
        op.execute(
            "ALTER TABLE unit ADD COLUMN successor_id INTEGER"
            " CONSTRAINT fk_unit_successor_id_unit REFERENCES unit (id)"
            f" CONSTRAINT ck_unit_successor CHECK ({_SUCCESSION})"
        )
    else:
        op.add_column("unit", sa.Column("successor_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_unit_successor_id_unit"), "unit", "unit", ["successor_id"], ["id"])
        op.create_check_constraint(op.f("ck_unit_successor"), "unit", _SUCCESSION)


def upgrade() -> None:
    _unit_columns()
    op.add_column("indicator_reporter", sa.Column("since_year", sa.Integer(), nullable=True))
    op.create_table(
        "former_reporter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("since_year", sa.Integer(), nullable=True),
        sa.Column("until_year", sa.Integer(), nullable=False),
        sa.CheckConstraint("since_year IS NULL OR since_year <= until_year", name=op.f("ck_former_reporter_years")),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_former_reporter_area_code_area")),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"], name=op.f("fk_former_reporter_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id", "area_code"], ["unit.id", "unit.area_code"],
                                name="fk_former_reporter_unit_area"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_former_reporter")),
    )
    op.create_index(op.f("ix_former_reporter_unit_id"), "former_reporter", ["unit_id"], unique=False)


def downgrade() -> None:
    """Refused while a unit is retired: the older schema cannot say so. On SQLite the unit
    table is rebuilt, which planwatch.store.migrate does with foreign keys off."""
    retired = op.get_bind().execute(sa.text("SELECT count(*) FROM unit WHERE retired_from IS NOT NULL")).scalar()
    if retired:
        raise RuntimeError(f"{retired} 个成员单位已停用，旧版本无法表示，不能降级 retired units cannot be downgraded")
    op.drop_index(op.f("ix_former_reporter_unit_id"), table_name="former_reporter")
    op.drop_table("former_reporter")
    with op.batch_alter_table("indicator_reporter", schema=None) as batch_op:
        batch_op.drop_column("since_year")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_unit_successor"), type_="check")
        if op.get_bind().dialect.name != "sqlite":  # there, dropping the column drops its reference
            batch_op.drop_constraint(batch_op.f("fk_unit_successor_id_unit"), type_="foreignkey")
        batch_op.drop_column("successor_id")
        batch_op.drop_column("retired_from")
