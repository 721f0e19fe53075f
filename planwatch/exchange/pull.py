"""A city pulls its districts' approved figures, keeping where each came from.

**Sources are pluggable** (:class:`PullSource`): a district's workspace read directly
(:class:`WorkspaceSource`: its folder, or its database URL) and an SDMX-CSV file a district
sent (:class:`SdmxFileSource`, written by ``planwatch export sdmx``). A source only has to
give the figures as the importer's parts with their provenance, so a source reading the
REST API of a district's server can be added later beside these two without touching the
rest.

**Same checks as an import.** Every part goes through
:func:`planwatch.collect.importer.check_parsed` against the *city's* catalogue — area, unit,
indicator, breakdowns, ranges, sums, the year-on-year comparison — so the city holds no
figure its own catalogue would refuse. A district workspace's indicators are matched to the
city's by subject and name (the catalogue's own identity, :class:`~planwatch.store.models.Indicator`),
not by code, since codes are numbered per workspace; an SDMX file carries codes, which must
then be the city's. If any part has an error, nothing is stored (one transaction).

**Workflow state: approved.** Pulled figures are stored as a new revision of the district
unit's submission in the city's workspace, *already approved*: they are the figures the
district's own office approved (only approved figures are exported or read), and the city
monitors them, it does not review the district units' work a second time. The approval is
recorded as the pull's (``approved_by`` names the source), and the source's own approval
time is kept in the provenance. A district figure re-pulled unchanged (same source
submission and revision) is left as it is; a changed one supersedes the earlier pull. A
revision the city entered and approved itself is never superseded by a pull (refused as
``submission-locked``).

**Provenance** (:class:`~planwatch.store.models.PulledSubmission`, one row per pulled
submission): source kind and name (the district workspace's folder name or the file name),
the source's submission id, revision and approval time, the file's SHA-256, when and by whom;
:func:`planwatch.exchange.provenance.provenance` lists it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session, sessionmaker

from planwatch.collect import breakdowns as bd
from planwatch.collect.catalogue import ImportCatalogue
from planwatch.collect.file_imports import file_sha256
from planwatch.collect.importer import BatchFigures, CheckedFile, check_parsed, observation_rows
from planwatch.collect.locks import lock_unit
from planwatch.collect.problems import Report, problem
from planwatch.collect.rows import InputRow, ParsedFile
from planwatch.errors import PlanwatchError
from planwatch.exchange.figures import Figure, read_figures
from planwatch.exchange.sdmx import read_sdmx_parts
from planwatch.limits import Limits, workspace_limits
from planwatch.store import models as m
from planwatch.store.workspace import Workspace

SourceKind = str


class PullSourceError(PlanwatchError, ValueError):
    """A pull source that cannot be read at all (no such workspace, not a planwatch database)."""

    code = "exchange.pull_source"


@dataclass
class PulledPart:
    """One unit's figures for one area and year from a source, with where they came from."""

    parsed: ParsedFile
    source_submission_id: int | None = None
    source_revision: int | None = None
    source_approved_at: dt.datetime | None = None
    source_submitted_at: dt.datetime | None = None


class PullSource(Protocol):
    """Where a city's figures come from; :func:`pull` asks each source for its parts."""

    kind: SourceKind
    """``workspace`` or ``sdmx-csv`` (models.PULL_SOURCE_KINDS)."""
    label: str
    """The name the provenance keeps (never a password or database host)."""
    sha256: str | None

    def parts(self, catalogue: ImportCatalogue, limits: Limits) -> list[PulledPart]:
        """The source's approved figures as the importer's parts, matched to ``catalogue``."""
        ...


@dataclass
class SdmxFileSource:
    """An SDMX-CSV file a district sent (``planwatch export sdmx`` in its workspace)."""

    path: Path
    kind: SourceKind = "sdmx-csv"
    label: str = ""
    sha256: str | None = None

    def __post_init__(self) -> None:
        self.label = self.label or self.path.name
        self.sha256 = file_sha256(self.path) if self.path.is_file() else None

    def parts(self, catalogue: ImportCatalogue, limits: Limits) -> list[PulledPart]:
        out = []
        for parsed, prov in read_sdmx_parts(self.path, catalogue, limits):
            out.append(PulledPart(parsed, _int(prov.get("SUBMISSION")), _int(prov.get("REVISION"))))
            if prov.get("DATA_SOURCE"):
                self.label = f"{prov['DATA_SOURCE']}（{self.path.name}）"
        return out


@dataclass
class WorkspaceSource:
    """A district's workspace read directly: its folder, or its database URL.

    Only approved figures are read (the latest approved revision per unit, area and year).
    Opening never writes the district's database.
    """

    location: str
    areas: Sequence[str] | None = None
    """Only these areas of the district workspace (codes or names); None for all."""
    kind: SourceKind = "workspace"
    label: str = ""
    sha256: str | None = None

    def __post_init__(self) -> None:
        if "://" in self.location:
            from planwatch.store.credentials import mask_password

            self.label = self.label or mask_password(self.location).rsplit("/", 1)[-1]
        else:
            self.label = self.label or Path(self.location).resolve().name

    def parts(self, catalogue: ImportCatalogue, limits: Limits) -> list[PulledPart]:
        with _source_sessions(self.location) as sessions, sessions() as session:
            figures = read_figures(session, areas=self.areas)
        return figures_to_parts(figures, catalogue, f"工作区 {self.label}")


@contextmanager
def _source_sessions(location: str) -> Iterator[sessionmaker[Session]]:
    if "://" in location:
        from planwatch.store.db import make_engine
        from planwatch.store.schema_version import database_revision

        engine = make_engine(location)
        try:
            if database_revision(engine) is None:
                raise PullSourceError("数据库中没有 planwatch 工作区 the database holds no planwatch workspace")
            yield sessionmaker(engine)
        finally:
            engine.dispose()
        return
    from planwatch.store.workspace import open_workspace

    folder = Path(location)
    if not (folder / "workspace.yaml").is_file():
        raise PullSourceError(f"“{location}”不是 planwatch 工作区（没有 workspace.yaml）not a workspace")
    ws = open_workspace(folder)
    try:
        yield ws.sessions
    finally:
        ws.close()


def figures_to_parts(figures: Sequence[Figure], catalogue: ImportCatalogue, file: str) -> list[PulledPart]:
    """Group a source's figures by submission into parts, indicators matched by subject and name.

    A figure whose indicator the city's catalogue does not hold keeps its own code, so the
    importer reports it as an ``unknown-indicator`` at its row; rows are numbered in the
    order the source listed them.
    """
    by_name = {(s.subject, s.name): code for code, s in catalogue.indicators.items()}
    parts: dict[int, PulledPart] = {}
    for n, f in enumerate(figures, start=1):
        part = parts.get(f.submission_id)
        if part is None:
            parsed = ParsedFile(path=file, file=file, format="workspace", area_code=f.area_code,
                                unit_name=f.reporting_unit, year=f.year, header_place=(None, n, None))
            part = PulledPart(parsed, f.submission_id, f.revision, f.approved_at, f.submitted_at)
            parts[f.submission_id] = part
        code = by_name.get((f.subject, f.indicator_name), f.indicator_code)
        part.parsed.rows.append(InputRow(
            file=file, sheet=None, row=n, indicator_code=code, breakdown=f.breakdown or bd.TOTAL, value=f.value,
            numerator=f.numerator, denominator=f.denominator, note=f.note,
            columns={"indicator": "指标", "breakdown": "分组", "value": "数值", "numerator": "分子",
                     "denominator": "分母", "note": "备注"},
        ))
    return list(parts.values())


def _int(text: str | None) -> int | None:
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- pulling


@dataclass
class PulledFile:
    """The outcome for one pulled part: its checks, and what the city now holds."""

    source: str
    report: Report
    area_code: str | None
    unit: str | None
    year: int | None
    source_submission_id: int | None
    source_revision: int | None
    submission_id: int | None = None
    revision: int | None = None
    observations: int = 0
    unchanged: bool = False
    """Already pulled from the same source submission and revision: nothing written."""

    @property
    def accepted(self) -> bool:
        return self.report.valid

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.report.to_dict(), "source": self.source, "area_code": self.area_code, "unit": self.unit,
            "year": self.year, "source_submission_id": self.source_submission_id,
            "source_revision": self.source_revision, "submission_id": self.submission_id,
            "revision": self.revision, "observations": self.observations, "unchanged": self.unchanged,
            "accepted": self.accepted,
        }


@dataclass
class PullResult:
    """Every part of every source of one pull; stored only if all were accepted."""

    files: list[PulledFile] = field(default_factory=list)
    stored: bool = False

    @property
    def accepted(self) -> bool:
        return all(f.accepted for f in self.files)


_SUBMISSION = cast(Table, m.Submission.__table__)
_INSERT_OBSERVATIONS = insert(cast(Table, m.Observation.__table__))
_INSERT_PROBLEMS = insert(cast(Table, m.StoredProblem.__table__))


def pull(
    ws: Workspace,
    sources: Sequence[PullSource],
    actor: str = "planwatch",
    *,
    now: dt.datetime | None = None,
    limits: Limits | None = None,
) -> PullResult:
    """Check every part of every source against the city's catalogue, then store them all
    (approved, with provenance) in one transaction — or nothing, if any part has an error."""
    limits = limits or workspace_limits(ws.config)
    at = now or m.utcnow()
    result = PullResult()
    checked: list[tuple[PullSource, PulledPart, CheckedFile]] = []
    with ws.sessions() as session:
        catalogue = ImportCatalogue.load(session)
        batch = BatchFigures()
        for source in sources:
            for part in source.parts(catalogue, limits):
                one = check_parsed(session, part.parsed, catalogue, limits=limits, batch=batch, sha256=source.sha256)
                _unlock_pulled(session, one)
                checked.append((source, part, one))
    for source, part, one in checked:
        result.files.append(PulledFile(
            source=source.label, report=one.report, area_code=part.parsed.area_code,
            unit=one.context.unit_name if one.context else part.parsed.unit_name, year=part.parsed.year,
            source_submission_id=part.source_submission_id, source_revision=part.source_revision,
        ))
    if not result.accepted or not checked:
        return result
    try:
        with ws.session() as session:
            for (source, part, one), out in zip(checked, result.files, strict=True):
                _store_pulled(session, source, part, one, out, actor, at)
    except _Locked:
        return result
    result.stored = True
    return result


def _unlock_pulled(session: Session, checked: CheckedFile) -> None:
    """An approved revision that a pull wrote does not lock out the next pull.

    The importer's checks refuse figures for a unit whose latest revision is approved
    (``submission-locked``): the city's office decided on it. A revision the pull itself
    wrote was decided on by the district, whose newer figures must be able to replace it;
    only that refusal is taken back, and :func:`_store_pulled` still refuses a revision the
    city approved itself.
    """
    ctx = checked.context
    if ctx is None or ctx.locked_revision is None:
        return
    pulled = session.scalar(
        select(m.PulledSubmission.id)
        .join(m.Submission, m.Submission.id == m.PulledSubmission.submission_id)
        .where(m.Submission.area_code == ctx.area_code, m.Submission.unit_id == ctx.unit_id,
               m.Submission.year == ctx.year, m.Submission.revision == ctx.locked_revision)
    )
    if pulled is not None:
        checked.report.problems[:] = [p for p in checked.report.problems if p.code != "submission-locked"]


class _Locked(PlanwatchError):
    """A part met an approved revision the city entered itself: the pull is rolled back."""

    code = "exchange.pull_locked"


def _store_pulled(
    session: Session, source: PullSource, part: PulledPart, checked: CheckedFile, out: PulledFile, actor: str,
    at: dt.datetime,
) -> None:
    ctx = checked.context
    assert ctx is not None
    conn = session.connection()
    lock_unit(conn, ctx.unit_id)
    latest = session.execute(
        select(m.Submission, m.PulledSubmission)
        .outerjoin(m.PulledSubmission, m.PulledSubmission.submission_id == m.Submission.id)
        .where(m.Submission.area_code == ctx.area_code, m.Submission.unit_id == ctx.unit_id,
               m.Submission.year == ctx.year)
        .order_by(m.Submission.revision.desc()).limit(1)
    ).first()
    if latest is not None:
        sub, prov = latest
        if (prov is not None and sub.state == "approved" and prov.source == source.label
                and prov.source_submission_id == part.source_submission_id
                and prov.source_revision == part.source_revision):
            out.unchanged, out.submission_id, out.revision = True, sub.id, sub.revision
            return
        if prov is None and sub.state == "approved":
            out.report.problems.append(problem(
                "submission-locked", file=checked.parsed.file, unit=ctx.unit_name, year=ctx.year,
                revision=sub.revision))
            raise _Locked(sub.revision)
    revision = latest[0].revision + 1 if latest is not None else 1
    approver = f"{source.label}（下级审定，汇入）"
    sub_id = conn.execute(insert(_SUBMISSION), {
        "area_code": ctx.area_code, "unit_id": ctx.unit_id, "year": ctx.year, "revision": revision,
        "state": "approved", "source_file": source.label[:500], "source_sha256": source.sha256,
        "created_by": actor, "created_at": at, "submitted_at": part.source_submitted_at or at,
        "reviewed_by": approver, "reviewed_at": at, "approved_by": approver, "approved_at": at,
        "supersedes_id": latest[0].id if latest is not None else None,
        "comment": "由下级工作区汇入的已审定数据 pulled from a lower level",
    }).inserted_primary_key[0]  # type: ignore[index]
    rows = observation_rows(checked)
    for r in rows:
        r["submission_id"] = sub_id
    if rows:
        conn.execute(_INSERT_OBSERVATIONS, rows)
    warnings = checked.report.warnings
    if warnings:
        conn.execute(_INSERT_PROBLEMS, [
            {"submission_id": sub_id, "code": p.code, "severity": p.severity, "message": p.message,
             "file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column} for p in warnings])
    session.add(m.PulledSubmission(
        submission_id=sub_id, source_kind=source.kind, source=source.label[:500],
        source_submission_id=part.source_submission_id, source_revision=part.source_revision,
        source_approved_at=part.source_approved_at, source_sha256=source.sha256, pulled_at=at, pulled_by=actor,
    ))
    session.add(m.AuditEvent(
        at=at, actor=actor, action="submission.pull", entity="submission", entity_id=str(sub_id),
        detail={"area_code": ctx.area_code, "unit": ctx.unit_name, "year": ctx.year, "revision": revision,
                "source": source.label, "source_kind": source.kind,
                "source_submission_id": part.source_submission_id, "source_revision": part.source_revision,
                "observations": len(rows), "warnings": len(warnings)},
    ))
    session.flush()
    out.submission_id, out.revision, out.observations = sub_id, revision, len(rows)
