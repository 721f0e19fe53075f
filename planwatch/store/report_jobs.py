"""The table of report jobs asked for from the web pages (``report_jobs``).

A row is the record people see and the audit names: who asked, for which area, year, kind
and formats, and the day the documents are to be dated if one was chosen (落款日期), its
state (排队中 / 生成中 / 已完成 / 失败, with the Chinese error of a failure), its progress
and the files it wrote. It is written before any work starts, so a job asked
for survives a restart of the web process whatever queue then runs it (an in-process thread
on SQLite, procrastinate workers on PostgreSQL; :mod:`planwatch.web.report_jobs`).
"""

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planwatch.store.models import Base, _in, utcnow

JOB_STATE_LABELS = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}
JOB_STATES = tuple(JOB_STATE_LABELS)
JOB_KINDS = ("annual", "midterm", "final", "warnings", "compendium")
"""The report kinds the web pages offer (the responsibility matrix stays a command-line report)."""


class ReportJob(Base):
    """One request for reports of one kind, area and year."""

    __tablename__ = "report_jobs"
    __table_args__ = (
        CheckConstraint(_in("state", JOB_STATES), name="state"),
        CheckConstraint(_in("kind", JOB_KINDS), name="kind"),
        CheckConstraint("done_count >= 0 AND total_count >= 0 AND done_count <= total_count", name="progress"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    formats: Mapped[list[Any]] = mapped_column(default=list)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    error: Mapped[str | None] = mapped_column(Text)
    done_count: Mapped[int] = mapped_column(Integer, default=0)
    total_count: Mapped[int] = mapped_column(Integer, default=0)
    files: Mapped[list[Any]] = mapped_column(default=list)
    """File names inside the job's folder, in the order they were written."""
    requested_by: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int | None] = mapped_column(Integer)
    """Not a foreign key, like the audit log's: the record outlives what it names."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    report_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day the documents are dated (落款, file properties); None: the day they are written."""
