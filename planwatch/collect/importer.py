"""Importing filled workbooks and CSV files as submissions: validate, then store all or nothing.

Each file is read, checked against the catalogue and the approved history, and — only if
it has no errors — stored as a new revision of that unit's submission for that year, with
its observations, its warnings and an audit event, in one transaction. A file with any
error writes nothing at all (not even an audit row), so a rejected import is provably a
no-op. The previous revision is never touched: it stays readable and the new one points
at it through ``supersedes_id``. A batch (one ``import_files`` call) is all or nothing too:
every file is checked first, and none is stored while any is refused, unless the caller
asks for a partial import.

Revision numbers are allocated under a lock on the unit's row (see :mod:`.locks`; workflow
transitions take the same lock, so an approval and an import never interleave) and the unique
constraint on (area, unit, year, revision) backs that up: a collision rolls the attempt
back and retries, so two simultaneous imports both end up stored, as revisions n and n+1.

Speed at province scale (thousands of files per call) comes from doing per file only what
depends on the file: the catalogue (indicators, areas, units, assignments) is read once
per call into an :class:`ImportCatalogue`, the history and the other units' figures are
read for the file's own area and indicators with a few prepared statements, and the rows
are written with one multi-row insert per table, without ORM objects or flushes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from planwatch.collect import breakdowns as bd
from planwatch.collect.catalogue import AreaEntry, ImportCatalogue, UnitEntry
from planwatch.collect.context import IndicatorSpec, ValidationContext
from planwatch.collect.csvfile import read_csv
from planwatch.collect.file_imports import BatchResult, file_sha256, retry_transaction
from planwatch.collect.history import LATEST_REVISION, reports_by_others, series
from planwatch.collect.locks import lock_unit
from planwatch.collect.problems import Problem, Report, problem
from planwatch.collect.rows import ParsedFile
from planwatch.collect.rules import effective_value, validate
from planwatch.collect.workbook import read_workbook
from planwatch.errors import PlanwatchError
from planwatch.limits import DEFAULT, Limits, workspace_limits
from planwatch.store.models import (
    AuditEvent,
    Observation,
    StoredProblem,
    Submission,
    Unit,
    utcnow,
)
from planwatch.store.workspace import Workspace

MAX_ATTEMPTS = 8
"""How often a store is retried after losing a race for the next revision number."""

Target = Workspace | sessionmaker[Session] | Session

Reader = Callable[[Path, ImportCatalogue, Limits], "list[ParsedFile] | None"]
"""A reader for formats this layer does not know (SDMX-CSV: :mod:`planwatch.exchange.sdmx`).

It returns the file's parts — one per unit, area and year, each checked like a workbook —
or None to leave the file to :func:`read_file`. Layers above ``collect`` plug their formats
in this way, so ``collect`` never imports them.
"""


@dataclass
class FileResult:
    """The outcome for one file: its report, and what was stored if it was accepted."""

    report: Report
    area_code: str | None = None
    unit_name: str | None = None
    year: int | None = None
    submission_id: int | None = None
    revision: int | None = None
    observations: int = 0
    held: bool = False
    """Valid, but not stored because another file of the batch was refused."""

    @property
    def accepted(self) -> bool:
        return self.submission_id is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.report.to_dict(),
            "accepted": self.accepted,
            "held": self.held,
            "area_code": self.area_code,
            "unit": self.unit_name,
            "year": self.year,
            "submission_id": self.submission_id,
            "revision": self.revision,
            "observations": self.observations,
        }


class ImportResult(BatchResult[FileResult]):
    """The figures files of one import call."""


# --------------------------------------------------------------------------- reading


def read_file(
    path: str | Path, units: dict[str, str] | None = None, *, key: bytes | None = None,
    limits: Limits = DEFAULT,
) -> ParsedFile:
    """Read a workbook or CSV by its suffix; anything else is an ``unsupported-format``."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_workbook(p, units, key=key, limits=limits)
    if suffix in (".csv", ".txt"):
        return read_csv(p, units, limits)
    parsed = ParsedFile(path=str(p), file=p.name, format=suffix.lstrip("."))
    if not p.is_file():
        parsed.problems.append(problem("unreadable-file", file=p.name, reason="文件不存在"))
    else:
        parsed.problems.append(problem("unsupported-format", file=p.name, suffix=suffix))
    return parsed


def _resolve_unit(
    session: Session, parsed: ParsedFile, catalogue: ImportCatalogue
) -> tuple[AreaEntry | None, UnitEntry | None, list[Problem]]:
    sheet, row, column = parsed.header_place
    place: dict[str, Any] = {"file": parsed.file, "sheet": sheet, "row": row, "column": column}
    if parsed.area_code is None or parsed.unit_name is None or parsed.year is None:
        return None, None, []
    area = catalogue.area(session, parsed.area_code)
    if area is None:
        return None, None, [problem("unknown-area", **place, area=parsed.area_code)]
    unit: UnitEntry | None = None
    if parsed.unit_id is not None:
        # A template names its unit by id too; trust it only while it still fits the name.
        unit = area.unit_by_id(parsed.unit_id)
        if unit is not None and unit.name != parsed.unit_name:
            unit = None
    if unit is None:
        unit = area.unit_named(parsed.unit_name)
    if unit is None:
        return area, None, [
            problem("unknown-unit", **place, area=area.full_name, unit=parsed.unit_name)
        ]
    if not 1900 <= parsed.year <= 2200:
        return area, unit, [problem("invalid-year", **place, year=parsed.year)]
    if unit.retired_by(parsed.year):
        successor = f"，请由承接单位“{unit.successor}”报送" if unit.successor else ""
        return area, unit, [problem("unit-retired", **place, unit=unit.name, since=unit.retired_from,
                                    year=parsed.year, successor=successor)]
    return area, unit, []


def build_context(
    session: Session,
    area: AreaEntry,
    unit: UnitEntry,
    year: int,
    indicators: dict[str, IndicatorSpec],
    codes: Iterable[str] | None = None,
) -> ValidationContext:
    """Collect what the rules compare against: assignments, approved history, other units.

    ``codes`` limits history and other units' figures to the indicators in the file, which
    keeps the cost per file flat however many units of the area have reported already.
    """
    by_id = {spec.id: spec for spec in indicators.values()}
    ids = None if codes is None else [indicators[c].id for c in codes if c in indicators]
    history: dict[tuple[str, str], list[tuple[int, float]]] = {}
    found = series(session, area.code, before_year=year, indicator_ids=ids)
    for (ind_id, breakdown), by_year in found.items():
        history[(by_id[ind_id].code, breakdown)] = sorted(by_year.items())
    others = {
        (by_id[ind_id].code, breakdown): values
        for (ind_id, breakdown), values in reports_by_others(
            session, area.code, year, unit.id, ids
        ).items()
    }
    latest = session.connection().execute(LATEST_REVISION, {
        "area_code": area.code, "unit_id": unit.id, "year": year,
    }).first()
    locked = latest.revision if latest is not None and latest.state == "approved" else None
    return ValidationContext(
        area_code=area.code,
        area_name=area.full_name,
        unit_id=unit.id,
        unit_name=unit.name,
        year=year,
        indicators=indicators,
        assigned=set(unit.assigned_in(year)),
        history=history,
        others=others,
        locked_revision=locked,
    )


class BatchFigures:
    """The figures of the valid files checked so far in one import, by area and year.

    Files are all checked before any is stored, so a later file must see an earlier one's
    figures from here: the earlier unit's stored figures are replaced by its new ones.
    """

    def __init__(self) -> None:
        self._by: dict[tuple[str, int], dict[int, tuple[str, dict[tuple[str, str], float]]]] = {}

    def add(self, ctx: ValidationContext, parsed: ParsedFile) -> None:
        values: dict[tuple[str, str], float] = {}
        for r in parsed.rows:
            value = effective_value(r, ctx.indicators.get(r.indicator_code))
            if value is not None:
                values[(r.indicator_code, r.breakdown or bd.TOTAL)] = value
        self._by.setdefault((ctx.area_code, ctx.year), {})[ctx.unit_id] = (ctx.unit_name, values)

    def merge_into(self, ctx: ValidationContext) -> None:
        for unit_id, (name, values) in self._by.get((ctx.area_code, ctx.year), {}).items():
            if unit_id == ctx.unit_id:
                continue
            for key, found in list(ctx.others.items()):
                ctx.others[key] = [(u, v) for u, v in found if u != name]
            for key, value in values.items():
                ctx.others.setdefault(key, []).append((name, value))


@dataclass
class CheckedFile:
    """A file after reading and validation: everything :func:`store` needs."""

    parsed: ParsedFile
    report: Report
    context: ValidationContext | None
    sha256: str | None


def check_file(
    session: Session,
    path: str | Path,
    indicators: dict[str, IndicatorSpec] | None = None,
    *,
    catalogue: ImportCatalogue | None = None,
    limits: Limits = DEFAULT,
    batch: BatchFigures | None = None,
) -> CheckedFile:
    """Read and validate one file without writing anything.

    ``catalogue`` (shared by the files of one import) wins over ``indicators``; with
    neither, the catalogue is read for this file alone. ``batch`` holds the figures of the
    valid files checked before this one in the same import, which are compared with as if
    already stored (another unit's differing figure is a ``conflicting-report``).
    """
    if catalogue is None:
        catalogue = (ImportCatalogue(indicators) if indicators is not None
                     else ImportCatalogue.load(session))
    parsed = read_file(path, catalogue.unit_labels, key=catalogue.template_key(session), limits=limits)
    return check_parsed(session, parsed, catalogue, limits=limits, batch=batch, sha256=file_sha256(Path(path)))


def check_parsed(
    session: Session,
    parsed: ParsedFile,
    catalogue: ImportCatalogue,
    *,
    limits: Limits = DEFAULT,
    batch: BatchFigures | None = None,
    sha256: str | None = None,
) -> CheckedFile:
    """Validate rows already read, from a file or from the web form: one checking path for both,
    so the form shows exactly the problems (ids, messages) an uploaded workbook would get."""
    specs = catalogue.indicators
    report = Report(file=parsed.file, listed=limits.problems_listed)
    report.extend(parsed.problems)
    report.extend(to_series(parsed, catalogue))
    ctx: ValidationContext | None = None
    if not any(p.code in _FATAL for p in parsed.problems):
        area, unit, unit_problems = _resolve_unit(session, parsed, catalogue)
        report.extend(unit_problems)
        if area is not None and unit is not None and parsed.year is not None and not unit_problems:
            codes = {r.indicator_code for r in parsed.rows}
            ctx = build_context(session, area, unit, parsed.year, specs, codes)
            if batch is not None:
                batch.merge_into(ctx)
            report.extend(validate(parsed.rows, ctx))
            if batch is not None and report.valid:
                batch.add(ctx, parsed)
    if ctx is None and report.valid:
        report.problems.append(problem("empty-file", file=parsed.file))
    stored = [r for r in parsed.rows if effective_value(r, specs.get(r.indicator_code))
              is not None]
    report.stats.update({
        "format": parsed.format,
        "rows": len(parsed.rows),
        "values": len(stored),
        "unit": parsed.unit_name,
        "area_code": parsed.area_code,
        "year": parsed.year,
    })
    return CheckedFile(parsed, report, ctx, sha256)


def to_series(parsed: ParsedFile, catalogue: ImportCatalogue) -> list[Problem]:
    """Rows given under a linked indicator's code count for its series (a warning says so).

    A template made before two indicators were linked, or a CSV from another system, may
    still carry the linked code (W02-12 for C03-04's 九年义务教育巩固率). Refusing such a
    file would make the unit re-enter a figure that is right; storing it under its own code
    would start a second series. So the row is moved to the series' code, where every rule
    (assignment, breakdowns, duplicates — the same figure given under both codes is a
    ``duplicate-row``) applies as if it had been written there.
    """
    out: list[Problem] = []
    for r in parsed.rows:
        series = catalogue.series_code(r.indicator_code)
        if series == r.indicator_code:
            continue
        out.append(problem(
            "indicator-in-series", file=r.file, sheet=r.sheet, row=r.row,
            column=r.column("indicator"), indicator=r.indicator_code, series=series,
            name=catalogue.indicators[series].name,
        ))
        r.indicator_code = series
    return out


_FATAL = {"unreadable-file", "unsupported-format", "wrong-sheet", "tampered-layout",
          "missing-column", "empty-file", "invalid-year", "file-too-large", "too-many-rows",
          "unknown-column", "duplicate-column"}  # fmt: skip


# --------------------------------------------------------------------------- storing


class LockedError(PlanwatchError):
    """The unit's data for the year was approved while this import was being checked."""

    code = "collect.locked"

    def __init__(self, revision: int) -> None:
        super().__init__(revision)
        self.revision = revision


# Statements run for every file, built once. Core tables rather than ORM entities: the rows
# are written as plain dicts, so the ORM's bookkeeping would only add cost.
_SUBMISSION = cast(Table, Submission.__table__)
_UNIT = cast(Table, Unit.__table__)
_LATEST_REVISION_FOR_UPDATE = LATEST_REVISION.with_for_update()
_INSERT_SUBMISSION = insert(_SUBMISSION)
_INSERT_OBSERVATIONS = insert(cast(Table, Observation.__table__))
_INSERT_PROBLEMS = insert(cast(Table, StoredProblem.__table__))
_INSERT_AUDIT = insert(cast(Table, AuditEvent.__table__))


def observation_rows(checked: CheckedFile) -> list[dict[str, Any]]:
    """The observation rows a checked file stores (without the submission id)."""
    ctx = checked.context
    assert ctx is not None
    flags_by_row: dict[int, list[str]] = {}
    for p in checked.report.warnings:
        if p.row is not None:
            flags_by_row.setdefault(p.row, []).append(p.code)
    out: list[dict[str, Any]] = []
    for r in checked.parsed.rows:
        spec = ctx.indicators[r.indicator_code]
        value = effective_value(r, spec)
        if value is None:
            continue
        flags = list(flags_by_row.get(r.row, []))
        if r.value is None:
            flags.append("derived-value")
        if r.note:
            flags.append(f"note:{r.note}")
        out.append({
            "indicator_id": spec.id,
            "area_code": ctx.area_code,
            "year": ctx.year,
            "breakdown": r.breakdown or bd.TOTAL,
            "value": value,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "flags": flags,
        })
    return out


@dataclass(frozen=True)
class StoredSubmission:
    """What :func:`store` wrote: the new submission's id and revision, and its row count."""

    id: int
    revision: int
    observations: int


def store(
    session: Session, checked: CheckedFile, actor: str, now: dt.datetime | None = None
) -> StoredSubmission:
    """Write one valid file as a new revision inside the caller's transaction."""
    ctx = checked.context
    assert ctx is not None and checked.report.valid
    at = now or utcnow()
    conn = session.connection()
    lock_unit(conn, ctx.unit_id)
    # The validation saw the state when the file was checked; an approval may have committed
    # since. Read it again under the unit's lock (transitions take it too) and, on PostgreSQL,
    # the revision's own row lock, so an approval still in progress is waited for, not missed.
    latest = conn.execute(
        _LATEST_REVISION_FOR_UPDATE if conn.dialect.name == "postgresql" else LATEST_REVISION,
        {"area_code": ctx.area_code, "unit_id": ctx.unit_id, "year": ctx.year},
    ).first()
    if latest is not None and latest.state == "approved":
        raise LockedError(latest.revision)
    revision = (latest.revision + 1) if latest is not None else 1
    supersedes_id = latest.id if latest is not None else None
    inserted = conn.execute(_INSERT_SUBMISSION, {
        "area_code": ctx.area_code,
        "unit_id": ctx.unit_id,
        "year": ctx.year,
        "revision": revision,
        "state": "draft",
        "source_file": checked.parsed.file,
        "source_sha256": checked.sha256,
        "created_by": actor,
        "created_at": at,
        "supersedes_id": supersedes_id,
    })
    key = inserted.inserted_primary_key
    assert key is not None
    sub_id: int = key[0]
    rows = observation_rows(checked)
    if rows:
        for r in rows:
            r["submission_id"] = sub_id
        conn.execute(_INSERT_OBSERVATIONS, rows)
    warnings = checked.report.warnings
    if warnings:
        conn.execute(_INSERT_PROBLEMS, [
            {"submission_id": sub_id, "code": p.code, "severity": p.severity,
             "message": p.message, "file": p.file, "sheet": p.sheet, "row": p.row,
             "column": p.column}
            for p in warnings
        ])
    conn.execute(_INSERT_AUDIT, {
        "at": at, "actor": actor, "action": "submission.import", "entity": "submission",
        "entity_id": str(sub_id),
        "detail": {
            "area_code": ctx.area_code, "unit": ctx.unit_name, "year": ctx.year,
            "revision": revision, "file": checked.parsed.file, "sha256": checked.sha256,
            "observations": len(rows), "warnings": len(warnings),
            "supersedes_id": supersedes_id,
        },
    })
    return StoredSubmission(sub_id, revision, len(rows))


def _is_retryable(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and (
        "locked" in text or "deadlock" in text or "serializ" in text or "busy" in text
    )


def import_file(
    target: Target,
    path: str | Path,
    actor: str = "planwatch",
    *,
    now: dt.datetime | None = None,
    indicators: dict[str, IndicatorSpec] | None = None,
    catalogue: ImportCatalogue | None = None,
    limits: Limits | None = None,
) -> FileResult:
    """Check one file and, if it has no errors, store it (see the module docstring).

    ``catalogue`` lets the files of one import share one reading of the catalogue.
    """
    checked = _check(target, path, indicators, catalogue, _limits(target, limits))
    result = _result(checked)
    if not checked.report.valid:
        return result
    try:
        stored = _store_all(target, [checked], actor, now)[0]
        result.submission_id, result.revision = stored.id, stored.revision
        result.observations = stored.observations
    except _BatchLocked as exc:
        _locked_problem(checked, exc.error)
    return result


def import_files(
    target: Target,
    paths: Iterable[str | Path],
    actor: str = "planwatch",
    *,
    now: dt.datetime | None = None,
    partial: bool = False,
    limits: Limits | None = None,
    reader: Reader | None = None,
    catalogue: ImportCatalogue | None = None,
) -> ImportResult:
    """Check every file, then store them all — or, if any file has an error, none of them.

    A batch is one delivery (a district's files for the year): storing the good half of
    it leaves the statistician to work out which half went in. So every file is read and
    validated first, and the valid ones are stored together in one transaction only when
    no file was refused; the valid files of a refused batch come back ``held`` (checked,
    not stored). ``partial=True`` stores the valid files whatever the others say.

    ``target`` is a workspace, a session factory (one transaction, retried after a lost
    revision race) or a session (a savepoint; the caller commits). The catalogue is read
    once for all the files (see :class:`ImportCatalogue`); ``limits`` default to the
    workspace's (``limits:`` in workspace.yaml). ``reader`` reads formats of other layers
    (see :data:`Reader`); a file it splits into parts gives one result per part.

    ``catalogue`` is for a caller that imports many batches in a row with no catalogue
    change between them (the demo's hundred workbooks): one reading serves them all, where
    each call would otherwise read the same indicators and areas again.
    """
    limits = _limits(target, limits)
    if catalogue is None:
        catalogue = load_catalogue(target)
    batch = BatchFigures()
    checked = [c for path in paths for c in _check_parts(target, Path(path), catalogue, limits, batch, reader)]
    result = ImportResult(partial=partial)
    results = [_result(c) for c in checked]
    result.files = results
    valid = [i for i, c in enumerate(checked) if c.report.valid]
    if len(valid) < len(checked) and not partial:
        for i in valid:
            results[i].held = True
        return result
    if partial:
        for i in valid:  # each on its own: one file's lost race must not undo the others
            stored_one = import_stored(target, checked[i], actor, now)
            if stored_one is not None:
                _fill(results[i], stored_one)
        return result
    try:
        stored = _store_all(target, [checked[i] for i in valid], actor, now)
    except _BatchLocked as exc:
        _locked_problem(checked[valid[exc.index]], exc.error)
        for n, i in enumerate(valid):
            results[i].held = n != exc.index
        return result
    for i, one in zip(valid, stored, strict=True):
        _fill(results[i], one)
    return result


def load_catalogue(target: Target) -> ImportCatalogue:
    """The catalogue as ``import_files`` reads it, for a caller that passes it to several."""
    factory, session = _factory(target)
    if session is not None:
        return ImportCatalogue.load(session)
    assert factory is not None
    with factory() as s:
        return ImportCatalogue.load(s)


def import_stored(
    target: Target, checked: CheckedFile, actor: str, now: dt.datetime | None
) -> StoredSubmission | None:
    """Store one valid checked file on its own; None (with a problem added) if it is locked."""
    try:
        return _store_all(target, [checked], actor, now)[0]
    except _BatchLocked as exc:
        _locked_problem(checked, exc.error)
        return None


class _BatchLocked(PlanwatchError):
    """:class:`LockedError` of the ``index``-th file of a batch (rolls the batch back)."""

    code = "collect.batch_locked"

    def __init__(self, index: int, error: LockedError) -> None:
        super().__init__(index)
        self.index = index
        self.error = error


def _store_all(
    target: Target, checked: list[CheckedFile], actor: str, now: dt.datetime | None
) -> list[StoredSubmission]:
    """Store the files in one transaction (one savepoint for a session target)."""

    def work(session: Session) -> list[StoredSubmission]:
        out = []
        for i, c in enumerate(checked):
            try:
                out.append(store(session, c, actor, now))
            except LockedError as exc:
                raise _BatchLocked(i, exc) from exc
        return out

    factory, session = _factory(target)
    if session is not None:
        with session.begin_nested():
            return work(session)
    assert factory is not None
    return retry_transaction(factory, work, attempts=MAX_ATTEMPTS, retryable=_is_retryable)


def _check(
    target: Target, path: str | Path, indicators: dict[str, IndicatorSpec] | None,
    catalogue: ImportCatalogue | None, limits: Limits, batch: BatchFigures | None = None,
) -> CheckedFile:
    factory, session = _factory(target)
    if session is not None:
        return check_file(session, path, indicators, catalogue=catalogue, limits=limits, batch=batch)
    assert factory is not None
    with factory() as s:
        return check_file(s, path, indicators, catalogue=catalogue, limits=limits, batch=batch)


def _check_parts(
    target: Target, path: Path, catalogue: ImportCatalogue, limits: Limits, batch: BatchFigures,
    reader: Reader | None,
) -> list[CheckedFile]:
    parts = reader(path, catalogue, limits) if reader is not None else None
    if parts is None:
        return [_check(target, path, None, catalogue, limits, batch)]
    sha256 = file_sha256(path) if path.is_file() else None

    def check(session: Session) -> list[CheckedFile]:
        return [check_parsed(session, p, catalogue, limits=limits, batch=batch, sha256=sha256) for p in parts]

    factory, session = _factory(target)
    if session is not None:
        return check(session)
    assert factory is not None
    with factory() as s:
        return check(s)


def _result(checked: CheckedFile) -> FileResult:
    return FileResult(
        report=checked.report,
        area_code=checked.parsed.area_code,
        unit_name=checked.context.unit_name if checked.context else checked.parsed.unit_name,
        year=checked.parsed.year,
    )


def _fill(result: FileResult, stored: StoredSubmission) -> None:
    result.submission_id, result.revision = stored.id, stored.revision
    result.observations = stored.observations


def _locked_problem(checked: CheckedFile, exc: LockedError) -> None:
    ctx = checked.context
    assert ctx is not None
    checked.report.problems.append(problem(
        "submission-locked", file=checked.parsed.file, unit=ctx.unit_name, year=ctx.year,
        revision=exc.revision,
    ))


def _limits(target: Target, limits: Limits | None) -> Limits:
    if limits is not None:
        return limits
    if isinstance(target, Workspace):
        return workspace_limits(target.config)
    return DEFAULT


def _factory(target: Target) -> tuple[sessionmaker[Session] | None, Session | None]:
    if isinstance(target, Workspace):
        return target.sessions, None
    if isinstance(target, Session):
        return None, target
    return target, None


def submission_count(session: Session, area_code: str, unit_id: int, year: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Submission).where(
            Submission.area_code == area_code,
            Submission.unit_id == unit_id,
            Submission.year == year,
        )
    ) or 0

