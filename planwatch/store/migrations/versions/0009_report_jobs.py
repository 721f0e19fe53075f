"""report jobs: the record of reports asked for from the web pages, and procrastinate's queue

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

``report_jobs`` is portable SQL. On PostgreSQL the job queue that dispatches the jobs to any
number of workers is procrastinate's; its schema (tables, types, functions) is applied here,
in a PostgreSQL schema of its own (``planwatch_queue``) so that it never mixes with
planwatch's tables and the downgrade is one ``DROP SCHEMA``. SQLite needs no queue tables:
the rows of ``report_jobs`` are the queue there (one office, one process).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("done_count", sa.Integer(), nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("requested_by", sa.String(length=60), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_report_jobs_state")),
        sa.CheckConstraint("kind IN ('annual', 'midterm', 'final', 'warnings', 'compendium')",
                           name=op.f("ck_report_jobs_kind")),
        sa.CheckConstraint("done_count >= 0 AND total_count >= 0 AND done_count <= total_count",
                           name=op.f("ck_report_jobs_progress")),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_report_jobs_area_code_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_jobs")),
    )
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_jobs_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_jobs_state"), ["state"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        from planwatch.store.job_queue_schema import apply_queue_schema

        apply_queue_schema(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        from planwatch.store.job_queue_schema import drop_queue_schema

        drop_queue_schema(op.get_bind())
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_jobs_state"))
        batch_op.drop_index(batch_op.f("ix_report_jobs_area_code"))
    op.drop_table("report_jobs")
