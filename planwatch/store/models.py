"""The database schema: the catalogue, the collected figures and their history.

Every enumerated column is a plain string guarded by a named CHECK constraint (not a
database ENUM type) so that SQLite and PostgreSQL behave identically and Alembic can
compare the schema with these models without dialect-specific types. Timestamps are
stored in UTC and always come back timezone-aware, on both databases.

Constraint names follow ``NAMING_CONVENTION`` so migrations can address them by name.

The mapped modules (this one, ``accounts``, ``api_tokens``, ``report_jobs``) do without
``from __future__ import annotations``: with it every ``Mapped[...]`` is a string that
SQLAlchemy parses and evaluates when the class is built, which every command opening a
workspace pays. Only a class defined further down is named in quotes (``Mapped["Area"]``).
"""

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from planwatch.vocabulary import (
    AREA_LEVELS,
    BETTER,
    COMPARATORS,
    DIRECTIONS,
    MONITORING_MODES,
    RATINGS,
    RELATIVE_KINDS,
    SEVERITIES,
    SUBJECTS,
    SUBMISSION_STATES,
    TARGET_KINDS,
    UNIT_ROLES,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v + "'" for v in values)
    return f"{column} IN ({quoted})"


def utcnow() -> dt.datetime:
    """The one clock read of the store, so callers can see where time enters."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware timestamp that reads back aware on SQLite too.

    SQLite has no time zone type and returns naive values; normalising to UTC on the way
    in and attaching UTC on the way out makes both databases give the same answer.
    Naive datetimes are refused rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: give a timezone (see models.utcnow())")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


# --------------------------------------------------------------------------- catalogue


class Area(Base):
    """An administrative area identified by its national division code (370103 市中区)."""

    __tablename__ = "area"
    __table_args__ = (CheckConstraint(_in("level", AREA_LEVELS), name="level"),)

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), index=True)

    parent: Mapped["Area | None"] = relationship(remote_side=[code])


SUCCESSION = "successor_id IS NULL OR (successor_id <> id AND retired_from IS NOT NULL)"
"""Only a retired unit has a successor, and never itself (migration 0012 writes the same text)."""


class Unit(Base):
    """A member unit (区卫生健康局) of one area, named once whatever spelling the plan used.

    ``aliases`` keeps every other spelling met in the sources so that imports and the
    YAML can still find the unit under them.
    """

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("area_code", "name"),
        # Target of the composite foreign keys that make "a unit of this area" checkable.
        UniqueConstraint("id", "area_code"),
        CheckConstraint(SUCCESSION, name="successor"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    # Last, where migration 0012 added them (see Target.monitoring). A retired unit (机构改革)
    # stays for its history: ``retired_from`` is the first data year (统计年度) it no longer
    # reports, ``successor_id`` the unit of the same area that took its work over, if any
    # (planwatch.store.unit_registry).
    retired_from: Mapped[int | None] = mapped_column(Integer)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    area: Mapped["Area"] = relationship()
    successor: Mapped["Unit | None"] = relationship(remote_side=[id])


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (
        UniqueConstraint("area_code", "title"),
        CheckConstraint(_in("subject", SUBJECTS), name="subject"),
        CheckConstraint("period_end >= period_start", name="period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str | None] = mapped_column(String(200))
    doc_number: Mapped[str | None] = mapped_column(String(100))
    date: Mapped[dt.date | None] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    source_file: Mapped[str | None] = mapped_column(String(500))

    area: Mapped["Area"] = relationship()
    domains: Mapped[list["Domain"]] = relationship(
        back_populates="plan", order_by="Domain.seq", cascade="all, delete-orphan"
    )


class Domain(Base):
    __tablename__ = "domain"
    __table_args__ = (UniqueConstraint("plan_id", "seq"), CheckConstraint("seq >= 1", name="seq"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))

    plan: Mapped["Plan"] = relationship(back_populates="domains")
    targets: Mapped[list["Target"]] = relationship(
        back_populates="domain", order_by="Target.number", cascade="all, delete-orphan"
    )
    measures: Mapped[list["Measure"]] = relationship(
        back_populates="domain", order_by="Measure.number", cascade="all, delete-orphan"
    )


def _default_monitoring(context: Any) -> str:
    """量化监测 for a target with numbers or directions, 定性评价 otherwise (the reader's find)."""
    return "qualitative" if context.get_current_parameters().get("kind") == "qualitative" else "quantitative"


class Target(Base):
    """A numbered 主要目标; ``kind`` says what the reader found in it, ``monitoring`` how the
    office chose to follow it (by default by figures when there are numbers or directions).

    ``kind`` is a fact of the text and never changes; ``monitoring`` is a decision the users
    own (catalogue YAML, the bureau's 监测指标体系), so the two are kept apart.
    """

    __tablename__ = "target"
    __table_args__ = (
        UniqueConstraint("domain_id", "number"),
        CheckConstraint(_in("kind", TARGET_KINDS), name="kind"),
        CheckConstraint(_in("monitoring", MONITORING_MODES), name="monitoring"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))
    responsible_units_note: Mapped[str | None] = mapped_column(String(300))
    # Last, where migration 0004 added it: a new database made from these models
    # (fresh_schema.create_schema) has its columns in the same order as a migrated one.
    monitoring: Mapped[str] = mapped_column(String(12), default=_default_monitoring)

    domain: Mapped["Domain"] = relationship(back_populates="targets")
    units: Mapped[list["TargetUnit"]] = relationship(back_populates="target", cascade="all, delete-orphan")


class TargetUnit(Base):
    __tablename__ = "target_unit"
    __table_args__ = (CheckConstraint(_in("role", UNIT_ROLES), name="role"),)

    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)
    # Position in the plan's list, so lead units keep the order the plan printed them in.
    seq: Mapped[int] = mapped_column(Integer, default=0)

    target: Mapped["Target"] = relationship(back_populates="units")
    unit: Mapped["Unit"] = relationship()


class Measure(Base):
    __tablename__ = "measure"
    __table_args__ = (UniqueConstraint("domain_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)

    domain: Mapped["Domain"] = relationship(back_populates="measures")


class Indicator(Base):
    """Something measurable, shared by every area whose plans of this subject name it.

    For a rate, ``rate_base`` is what the value is per (100 for %, 1000 for ‰, 100000
    for /10万) and observations also carry numerator and denominator, so that areas
    are summed by adding numerators and denominators, never by averaging rates.

    ``series_id`` links an indicator to the one whose figures it shares (the women's and
    the children's plan both name 九年义务教育巩固率): figures are collected and stored once,
    under the series' own indicator (``series_id`` NULL), and every linked indicator's
    targets are judged against them. Links point straight at the series, never at
    another link (see :mod:`planwatch.store.series`), so a lookup is one step. Each
    indicator keeps its code, targets, better direction and reporters; the series' own
    indicator holds what collection needs (unit, limits, breakdowns).
    """

    __tablename__ = "indicator"
    __table_args__ = (
        UniqueConstraint("subject", "name"),
        CheckConstraint(_in("better", BETTER), name="better"),
        CheckConstraint(_in("subject", SUBJECTS), name="subject"),
        CheckConstraint(
            "(is_rate AND rate_base IS NOT NULL AND rate_base > 0) OR (NOT is_rate AND rate_base IS NULL)",
            name="rate_base",
        ),
        CheckConstraint(
            "lower_limit IS NULL OR upper_limit IS NULL OR lower_limit <= upper_limit",
            name="limits",
        ),
        CheckConstraint("series_id IS NULL OR series_id <> id", name="series"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(20))
    better: Mapped[str] = mapped_column(String(10))
    is_rate: Mapped[bool] = mapped_column(Boolean, default=False)
    rate_base: Mapped[float | None] = mapped_column(Float)
    lower_limit: Mapped[float | None] = mapped_column(Float)
    upper_limit: Mapped[float | None] = mapped_column(Float)
    definition: Mapped[str | None] = mapped_column(Text)
    breakdowns: Mapped[list[Any]] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(String(10))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"), index=True)

    series: Mapped["Indicator | None"] = relationship(remote_side=[id])
    target_values: Mapped[list["TargetValue"]] = relationship(back_populates="indicator")
    reporters: Mapped[list["IndicatorReporter"]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan"
    )


class TargetValue(Base):
    """What a plan of one area asks of an indicator: a number, a change from a base-year
    figure, or only a direction."""

    __tablename__ = "target_value"
    __table_args__ = (
        CheckConstraint("comparator IS NULL OR " + _in("comparator", COMPARATORS), name="comparator"),
        CheckConstraint("direction IS NULL OR " + _in("direction", DIRECTIONS), name="direction"),
        CheckConstraint(
            "(comparator IS NOT NULL AND value IS NOT NULL AND direction IS NULL)"
            " OR (comparator IS NULL AND value IS NULL AND direction IS NOT NULL)",
            name="number_or_direction",
        ),
        CheckConstraint("target_id IS NOT NULL OR measure_id IS NOT NULL", name="source"),
        CheckConstraint("baseline_year < target_year", name="years"),
        CheckConstraint("relative IS NULL OR " + _in("relative", RELATIVE_KINDS), name="relative"),
        CheckConstraint(
            "relative IS NULL OR (comparator IS NOT NULL AND value IS NOT NULL)", name="relative_number"
        ),
        CheckConstraint("base_year IS NULL OR relative IS NOT NULL", name="base_year"),
        Index("ix_target_value_indicator_area", "indicator_id", "area_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    comparator: Mapped[str | None] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str | None] = mapped_column(String(10))
    unit: Mapped[str | None] = mapped_column(String(20))
    target_year: Mapped[int] = mapped_column(Integer)
    baseline_year: Mapped[int] = mapped_column(Integer)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    raw: Mapped[str] = mapped_column(Text)
    # A target relative to a base-year figure (以2020年为基数下降20%): ``value`` is the signed
    # amount in ``unit`` (−20 %), ``relative`` how it applies (planwatch.plan.semantics),
    # ``base_year`` the figure's year (null: ``baseline_year``). Null for absolute targets.
    relative: Mapped[str | None] = mapped_column(String(20))
    base_year: Mapped[int | None] = mapped_column(Integer)

    indicator: Mapped["Indicator"] = relationship(back_populates="target_values")
    plan: Mapped["Plan"] = relationship()
    target: Mapped["Target | None"] = relationship()
    measure: Mapped["Measure | None"] = relationship()


class IndicatorReporter(Base):
    """Which unit reports an indicator in an area; the unit must belong to that area."""

    __tablename__ = "indicator_reporter"
    __table_args__ = (
        ForeignKeyConstraint(
            ["unit_id", "area_code"],
            ["unit.id", "unit.area_code"],
            name="fk_indicator_reporter_unit_area",
        ),
    )

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    # The first data year this unit reports the indicator, when it took it over from a retired
    # unit (whose years before are a FormerReporter row); null: from the catalogue's start.
    since_year: Mapped[int | None] = mapped_column(Integer)

    indicator: Mapped["Indicator"] = relationship(back_populates="reporters")
    unit: Mapped["Unit"] = relationship(viewonly=True)


class FormerReporter(Base):
    """Who reported an indicator in an area for the years before that unit was retired.

    ``IndicatorReporter`` says who reports *now* (every listing, export and report reads it);
    when a unit is retired its rows move to its successor and are kept here with the years they
    covered, so that the completeness of a past year, and a late template for it, still ask the
    unit that was responsible then (:func:`planwatch.store.reporters.reporters_in`).
    """

    __tablename__ = "former_reporter"
    __table_args__ = (
        ForeignKeyConstraint(
            ["unit_id", "area_code"],
            ["unit.id", "unit.area_code"],
            name="fk_former_reporter_unit_area",
        ),
        CheckConstraint("since_year IS NULL OR since_year <= until_year", name="years"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    unit_id: Mapped[int] = mapped_column(Integer, index=True)
    since_year: Mapped[int | None] = mapped_column(Integer)
    until_year: Mapped[int] = mapped_column(Integer)


# --------------------------------------------------------------------------- collection


class Submission(Base):
    """One unit's figures for one year; each re-import is a new revision, never an overwrite."""

    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("area_code", "unit_id", "year", "revision"),
        CheckConstraint(_in("state", SUBMISSION_STATES), name="state"),
        CheckConstraint("revision >= 1", name="revision"),
        ForeignKeyConstraint(["unit_id", "area_code"], ["unit.id", "unit.area_code"], name="fk_submission_unit_area"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    unit_id: Mapped[int] = mapped_column(Integer, index=True)
    year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column()
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime | None] = mapped_column()
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    comment: Mapped[str | None] = mapped_column(Text)

    unit: Mapped["Unit"] = relationship(viewonly=True)
    observations: Mapped[list["Observation"]] = relationship(back_populates="submission", cascade="all, delete-orphan")
    problems: Mapped[list["StoredProblem"]] = relationship(back_populates="submission", cascade="all, delete-orphan")


class Observation(Base):
    """A reported figure for indicator × area × year × breakdown within one submission.

    ``breakdown`` is a canonical key: ``total``, or ``dim=value`` pairs joined by ``;``
    in the order sex, age_group, residence (``sex=female;residence=urban``).
    """

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint("submission_id", "indicator_id", "breakdown"),
        CheckConstraint("denominator IS NULL OR denominator > 0", name="denominator"),
        CheckConstraint("numerator IS NULL OR numerator >= 0", name="numerator"),
        Index("ix_observation_indicator_area_year", "indicator_id", "area_code", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    year: Mapped[int] = mapped_column(Integer)
    breakdown: Mapped[str] = mapped_column(String(100), default="total")
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    flags: Mapped[list[Any]] = mapped_column(default=list)

    submission: Mapped["Submission"] = relationship(back_populates="observations")
    indicator: Mapped["Indicator"] = relationship()


class StoredProblem(Base):
    """A validation problem kept with accepted data (warnings) so reviewers see it later."""

    __tablename__ = "stored_problem"
    __table_args__ = (CheckConstraint(_in("severity", SEVERITIES), name="severity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    file: Mapped[str | None] = mapped_column(String(500))
    sheet: Mapped[str | None] = mapped_column(String(100))
    row: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(20))

    submission: Mapped["Submission"] = relationship(back_populates="problems")


class SubmissionDocument(Base):
    """A unit's written annual report (规划落实情况和下一年工作安排), stored whole."""

    __tablename__ = "submission_document"
    __table_args__ = (
        ForeignKeyConstraint(
            ["unit_id", "area_code"],
            ["unit.id", "unit.area_code"],
            name="fk_submission_document_unit_area",
        ),
        Index("ix_submission_document_unit_year", "unit_id", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"), index=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    unit_id: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped["Unit"] = relationship(viewonly=True)


class AuditEvent(Base):
    """Who changed what, when: one row per change, never updated or deleted."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SelfEvaluation(Base):
    """A unit's own rating of a qualitative target for one cycle (2023 / midterm / final)."""

    __tablename__ = "self_evaluation"
    __table_args__ = (
        UniqueConstraint("target_id", "cycle", "unit_id"),
        CheckConstraint(_in("rating", RATINGS), name="rating"),
        ForeignKeyConstraint(
            ["unit_id", "area_code"],
            ["unit.id", "unit.area_code"],
            name="fk_self_evaluation_unit_area",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    cycle: Mapped[str] = mapped_column(String(20))
    rating: Mapped[str] = mapped_column(String(10))
    evidence: Mapped[str | None] = mapped_column(Text)
    unit_id: Mapped[int] = mapped_column(Integer, index=True)
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    target: Mapped["Target"] = relationship()
    unit: Mapped["Unit"] = relationship(viewonly=True)


class WorkspaceSecret(Base):
    """A secret the workspace keeps for itself (the template key), never shown or exported.

    Kept in the database rather than a file so that every way of reaching the workspace
    (a folder, a PostgreSQL URL, a session in a test) signs and checks with the same key.
    """

    __tablename__ = "workspace_secret"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


PULL_SOURCE_KINDS = ("workspace", "sdmx-csv")
"""Where a city's pulled figures came from: a district's workspace read directly, or an
SDMX-CSV file the district sent (planwatch.exchange.pull). Kept here, not in the vocabulary,
because only this table and its migration speak of it."""


class PulledSubmission(Base):
    """Where a submission pulled from a lower level came from: one row per pulled submission.

    A city's figures for its districts are the districts' approved figures, pulled rather
    than typed in again; each pulled submission says from which district workspace (or
    file), which submission and revision there, approved when, and when it was pulled and
    by whom. Its observations are the pulled figures, so every figure's provenance is one
    join away.
    """

    __tablename__ = "pulled_submission"
    __table_args__ = (CheckConstraint(_in("source_kind", PULL_SOURCE_KINDS), name="source_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), unique=True)
    source_kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(500))
    """The district workspace's name, or the file's name for an SDMX file."""
    source_submission_id: Mapped[int | None] = mapped_column(Integer)
    source_revision: Mapped[int | None] = mapped_column(Integer)
    source_approved_at: Mapped[dt.datetime | None] = mapped_column()
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    pulled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    pulled_by: Mapped[str] = mapped_column(String(100))

    submission: Mapped["Submission"] = relationship()


# The web application's tables (users, roles, sessions, audit log) share this metadata so
# that migrations and their check see one schema; imported last because they build on Base.
from planwatch.store import accounts as _accounts  # noqa: E402, F401
from planwatch.store import api_tokens as _api_tokens  # noqa: E402, F401
from planwatch.store import report_jobs as _report_jobs  # noqa: E402, F401
