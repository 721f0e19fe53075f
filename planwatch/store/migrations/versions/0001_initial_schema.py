"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.CheckConstraint("level IN ('province', 'city', 'county', 'street')", name=op.f("ck_area_level")),
        sa.ForeignKeyConstraint(["parent_code"], ["area.code"], name=op.f("fk_area_parent_code_area")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_area")),
    )
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("better", sa.String(length=10), nullable=False),
        sa.Column("is_rate", sa.Boolean(), nullable=False),
        sa.Column("rate_base", sa.Float(), nullable=True),
        sa.Column("lower_limit", sa.Float(), nullable=True),
        sa.Column("upper_limit", sa.Float(), nullable=True),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("breakdowns", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.CheckConstraint("better IN ('higher', 'lower', 'hold')", name=op.f("ck_indicator_better")),
        sa.CheckConstraint("subject IN ('women', 'children', 'other')", name=op.f("ck_indicator_subject")),
        sa.CheckConstraint(
            "(is_rate AND rate_base IS NOT NULL AND rate_base > 0) OR (NOT is_rate AND rate_base IS NULL)",
            name=op.f("ck_indicator_rate_base"),
        ),
        sa.CheckConstraint(
            "lower_limit IS NULL OR upper_limit IS NULL OR lower_limit <= upper_limit",
            name=op.f("ck_indicator_limits"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("code", name=op.f("uq_indicator_code")),
        sa.UniqueConstraint("subject", "name", name=op.f("uq_indicator_subject_name")),
    )
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("doc_number", sa.String(length=100), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Integer(), nullable=False),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.CheckConstraint("subject IN ('women', 'children', 'other')", name=op.f("ck_plan_subject")),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_plan_period")),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_plan_area_code_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint("area_code", "title", name=op.f("uq_plan_area_code_title")),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_area_code"), ["area_code"], unique=False)

    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_unit_area_code_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("area_code", "name", name=op.f("uq_unit_area_code_name")),
        sa.UniqueConstraint("id", "area_code", name=op.f("uq_unit_id_area_code")),
    )
    op.create_table(
        "domain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_domain_seq")),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_domain_plan_id_plan"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain")),
        sa.UniqueConstraint("plan_id", "seq", name=op.f("uq_domain_plan_id_seq")),
    )
    op.create_table(
        "indicator_reporter",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_indicator_reporter_area_code_area")),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_reporter_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id", "area_code"],
            ["unit.id", "unit.area_code"],
            name="fk_indicator_reporter_unit_area",
        ),
        sa.PrimaryKeyConstraint("indicator_id", "area_code", "unit_id", name=op.f("pk_indicator_reporter")),
    )
    with op.batch_alter_table("indicator_reporter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_reporter_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'reviewed', 'approved', 'returned')",
            name=op.f("ck_submission_state"),
        ),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_submission_revision")),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_submission_area_code_area")),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["submission.id"],
            name=op.f("fk_submission_supersedes_id_submission"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id", "area_code"], ["unit.id", "unit.area_code"], name="fk_submission_unit_area"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint(
            "area_code",
            "unit_id",
            "year",
            "revision",
            name=op.f("uq_submission_area_code_unit_id_year_revision"),
        ),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["domain.id"],
            name=op.f("fk_measure_domain_id_domain"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure")),
        sa.UniqueConstraint("domain_id", "number", name=op.f("uq_measure_domain_id_number")),
    )
    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.CheckConstraint("denominator IS NULL OR denominator > 0", name=op.f("ck_observation_denominator")),
        sa.CheckConstraint("numerator IS NULL OR numerator >= 0", name=op.f("ck_observation_numerator")),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_observation_area_code_area")),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], name=op.f("fk_observation_indicator_id_indicator")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_observation_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
        sa.UniqueConstraint(
            "submission_id",
            "indicator_id",
            "breakdown",
            name=op.f("uq_observation_submission_id_indicator_id_breakdown"),
        ),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_observation_indicator_area_year",
            ["indicator_id", "area_code", "year"],
            unique=False,
        )

    op.create_table(
        "stored_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("file", sa.String(length=500), nullable=True),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("column", sa.String(length=20), nullable=True),
        sa.CheckConstraint("severity IN ('error', 'warning', 'info')", name=op.f("ck_stored_problem_severity")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_stored_problem_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_problem")),
    )
    with op.batch_alter_table("stored_problem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_problem_submission_id"), ["submission_id"], unique=False)

    op.create_table(
        "submission_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_submission_document_area_code_area")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_submission_document_submission_id_submission"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id", "area_code"],
            ["unit.id", "unit.area_code"],
            name="fk_submission_document_unit_area",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_document")),
    )
    with op.batch_alter_table("submission_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_document_submission_id"), ["submission_id"], unique=False)
        batch_op.create_index("ix_submission_document_unit_year", ["unit_id", "year"], unique=False)

    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("responsible_units_note", sa.String(length=300), nullable=True),
        sa.CheckConstraint("kind IN ('quantitative', 'directional', 'qualitative')", name=op.f("ck_target_kind")),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["domain.id"],
            name=op.f("fk_target_domain_id_domain"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("domain_id", "number", name=op.f("uq_target_domain_id_number")),
    )
    op.create_table(
        "self_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("cycle", sa.String(length=20), nullable=False),
        sa.Column("rating", sa.String(length=10), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("entered_by", sa.String(length=100), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating IN ('完成', '基本完成', '未完成')", name=op.f("ck_self_evaluation_rating")),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_self_evaluation_area_code_area")),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["target.id"],
            name=op.f("fk_self_evaluation_target_id_target"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id", "area_code"],
            ["unit.id", "unit.area_code"],
            name="fk_self_evaluation_unit_area",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_evaluation")),
        sa.UniqueConstraint("target_id", "cycle", "unit_id", name=op.f("uq_self_evaluation_target_id_cycle_unit_id")),
    )
    with op.batch_alter_table("self_evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_evaluation_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "target_unit",
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.CheckConstraint("role IN ('lead', 'responsible')", name=op.f("ck_target_unit_role")),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["target.id"],
            name=op.f("fk_target_unit_target_id_target"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_target_unit_unit_id_unit")),
        sa.PrimaryKeyConstraint("target_id", "unit_id", "role", name=op.f("pk_target_unit")),
    )
    with op.batch_alter_table("target_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_unit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "target_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("comparator", sa.String(length=10), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "comparator IS NULL OR comparator IN ('<=', '<', '>=', '>', '=', '~', 'maintain')",
            name=op.f("ck_target_value_comparator"),
        ),
        sa.CheckConstraint(
            "direction IS NULL OR direction IN ('increase', 'decrease', 'maintain', 'eliminate')",
            name=op.f("ck_target_value_direction"),
        ),
        sa.CheckConstraint(
            "(comparator IS NOT NULL AND value IS NOT NULL AND direction IS NULL)"
            " OR (comparator IS NULL AND value IS NULL AND direction IS NOT NULL)",
            name=op.f("ck_target_value_number_or_direction"),
        ),
        sa.CheckConstraint("baseline_year < target_year", name=op.f("ck_target_value_years")),
        sa.CheckConstraint("target_id IS NOT NULL OR measure_id IS NOT NULL", name=op.f("ck_target_value_source")),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_target_value_area_code_area")),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"], name=op.f("fk_target_value_indicator_id_indicator")
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name=op.f("fk_target_value_measure_id_measure"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_target_value_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["target.id"],
            name=op.f("fk_target_value_target_id_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_value")),
    )
    with op.batch_alter_table("target_value", schema=None) as batch_op:
        batch_op.create_index("ix_target_value_indicator_area", ["indicator_id", "area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_value_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("target_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_value_plan_id"))
        batch_op.drop_index("ix_target_value_indicator_area")

    op.drop_table("target_value")
    with op.batch_alter_table("target_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_unit_unit_id"))

    op.drop_table("target_unit")
    with op.batch_alter_table("self_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_evaluation_unit_id"))

    op.drop_table("self_evaluation")
    op.drop_table("target")
    with op.batch_alter_table("submission_document", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_document_unit_year")
        batch_op.drop_index(batch_op.f("ix_submission_document_submission_id"))

    op.drop_table("submission_document")
    with op.batch_alter_table("stored_problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_problem_submission_id"))

    op.drop_table("stored_problem")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index("ix_observation_indicator_area_year")

    op.drop_table("observation")
    op.drop_table("measure")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_unit_id"))

    op.drop_table("submission")
    with op.batch_alter_table("indicator_reporter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_reporter_unit_id"))

    op.drop_table("indicator_reporter")
    op.drop_table("domain")
    op.drop_table("unit")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_area_code"))

    op.drop_table("plan")
    op.drop_table("indicator")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_parent_code"))

    op.drop_table("area")
