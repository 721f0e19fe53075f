"""Storing checked self-evaluation workbooks: all or nothing per file, history in the audit log.

A file with any error writes nothing (not even an audit row). A valid file is stored in
one transaction: each rating inserts the (target, cycle, unit) row or replaces it, and
every insert or change is an ``AuditEvent`` whose detail holds the old and the new rating
and evidence, so a replaced self-evaluation can always be read back. An identical
re-entry changes nothing and logs nothing but the import itself.

Two imports racing to insert the same (target, cycle, unit) row meet the unique
constraint; the loser's transaction is rolled back and the whole file re-checked and
re-stored, so it then replaces the winner's row with its own history entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from planwatch.collect.file_imports import BatchResult, file_sha256, retry_transaction
from planwatch.collect.problems import Report
from planwatch.collect.selfeval.checks import CheckedEvaluation, Rating, check_evaluation
from planwatch.collect.selfeval.reader import ParsedEvaluation, read_evaluation_workbook
from planwatch.collect.template_key import template_key
from planwatch.store.models import Area, AuditEvent, SelfEvaluation, utcnow
from planwatch.store.workspace import Workspace

MAX_ATTEMPTS = 5
ENTITY = "self_evaluation"

Destination = Workspace | sessionmaker[Session] | Session


@dataclass
class EvaluationFileResult:
    report: Report
    area_code: str | None = None
    unit_name: str | None = None
    cycle: str | None = None
    stored: bool = False
    entered: int = 0
    replaced: int = 0
    unchanged: int = 0
    held: bool = False
    """Valid, but not stored: another file of the same batch was refused."""

    @property
    def accepted(self) -> bool:
        return self.stored

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.report.to_dict(),
            "accepted": self.accepted,
            "held": self.held,
            "area_code": self.area_code,
            "unit": self.unit_name,
            "cycle": self.cycle,
            "entered": self.entered,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
        }


class EvaluationImportResult(BatchResult[EvaluationFileResult]):
    """The self-evaluation workbooks of one import call."""


def check_evaluation_file(session: Session, path: str | Path) -> CheckedEvaluation:
    """Read and validate one workbook without writing anything."""
    return check_evaluation(session, read_evaluation_workbook(path, template_key(session)))


@dataclass(frozen=True)
class _Read:
    """A workbook as read, and the hash of the bytes it was read from."""

    sha256: str | None
    parsed: ParsedEvaluation


def _read(session: Session, path: str | Path, earlier: _Read | None, key: bytes | None = None) -> _Read:
    """The workbook read, or ``earlier`` again while the file still holds the same bytes.

    A batch checks every file and then checks each again as it stores it; reading a workbook
    costs far more than checking what was read, and the catalogue checks are the ones that
    must be repeated (the database may have changed in between, the file has not if its hash
    has not). A file changed in between is read again. ``key`` is the template key when the
    caller has read it already.
    """
    p = Path(path)
    sha256 = file_sha256(p) if p.is_file() else None
    if earlier is not None and sha256 is not None and earlier.sha256 == sha256:
        return earlier
    return _Read(sha256, read_evaluation_workbook(p, key if key is not None else template_key(session)))


def store_evaluation(
    session: Session, checked: CheckedEvaluation, actor: str, now: dt.datetime | None = None
) -> tuple[int, int, int]:
    """Write a valid file inside the caller's transaction: (entered, replaced, unchanged)."""
    assert checked.report.valid and checked.unit_id is not None and checked.cycle is not None
    assert checked.area_code is not None
    at = now or utcnow()
    existing = {
        se.target_id: se
        for se in session.scalars(
            select(SelfEvaluation).where(
                SelfEvaluation.unit_id == checked.unit_id,
                SelfEvaluation.cycle == checked.cycle,
                SelfEvaluation.target_id.in_([r.target_id for r in checked.ratings]),
            )
        )
    }
    entered = replaced = unchanged = 0
    common = {"area_code": checked.area_code, "unit": checked.unit_name, "cycle": checked.cycle,
              "file": checked.parsed.file}
    # The audit rows name each rating's id, which a new row has only once inserted: the new
    # rows are inserted in one flush before the audit rows are made (a flush per rating cost
    # more than the rest of storing). Rows and audit rows keep the ratings' order, so their
    # ids are the ones a flush per rating gave.
    changed: list[tuple[Rating, SelfEvaluation, str, dict[str, str | None] | None]] = []
    for r in checked.ratings:
        row = existing.get(r.target_id)
        if row is not None and (row.rating, row.evidence) == (r.rating, r.evidence):
            unchanged += 1
            continue
        if row is None:
            row = SelfEvaluation(
                target_id=r.target_id, area_code=checked.area_code, cycle=checked.cycle,
                unit_id=checked.unit_id, rating=r.rating, evidence=r.evidence,
                entered_by=actor, entered_at=at,
            )
            session.add(row)
            changed.append((r, row, "self_evaluation.enter", None))
            entered += 1
        else:
            before: dict[str, str | None] = {
                "rating": row.rating, "evidence": row.evidence,
                "entered_by": row.entered_by, "entered_at": row.entered_at.isoformat()}
            row.rating, row.evidence, row.entered_by, row.entered_at = (
                r.rating, r.evidence, actor, at)
            changed.append((r, row, "self_evaluation.replace", before))
            replaced += 1
    if entered:
        session.flush()
    # The audit rows go in as one bulk insert, in this order (one per rating, then the file's):
    # as ORM objects each came back for its id, one statement per row on SQLite, and nothing
    # reads them back here.
    events: list[dict[str, Any]] = [
        {"at": at, "actor": actor, "action": action, "entity": ENTITY, "entity_id": str(row.id),
         "detail": {**common, "target_id": r.target_id, "target": r.target_label,
                    "old": old, "new": {"rating": r.rating, "evidence": r.evidence}}}
        for r, row, action, old in changed
    ]
    events.append({
        "at": at, "actor": actor, "action": "self_evaluation.import", "entity": "self_evaluation_file",
        "entity_id": checked.parsed.file,
        "detail": {**common, "sha256": file_sha256(Path(checked.parsed.path)), "entered": entered,
                   "replaced": replaced, "unchanged": unchanged,
                   "warnings": len(checked.report.warnings)},
    })
    session.execute(insert(AuditEvent), events)
    session.flush()
    return entered, replaced, unchanged


def _result(checked: CheckedEvaluation) -> EvaluationFileResult:
    return EvaluationFileResult(
        report=checked.report, area_code=checked.area_code or checked.parsed.area_code,
        unit_name=checked.unit_name or checked.parsed.unit_name,
        cycle=checked.cycle or checked.parsed.cycle,
    )


def _in_session(session: Session, path: str | Path, actor: str,
                now: dt.datetime | None, earlier: _Read | None = None) -> EvaluationFileResult:
    checked = check_evaluation(session, _read(session, path, earlier).parsed)
    result = _result(checked)
    if checked.report.valid:
        result.entered, result.replaced, result.unchanged = store_evaluation(
            session, checked, actor, now)
        result.stored = True
    return result


def import_evaluation_file(
    destination: Destination, path: str | Path, actor: str = "planwatch", *,
    now: dt.datetime | None = None,
) -> EvaluationFileResult:
    """Check one workbook and, if it has no errors, store it (see the module docstring).

    With a session, the file is checked and stored in a savepoint and the caller commits;
    otherwise in a transaction of its own, committed before returning.
    """
    return _import_file(destination, path, actor, now, None)


def _import_file(
    destination: Destination, path: str | Path, actor: str, now: dt.datetime | None,
    earlier: _Read | None,
) -> EvaluationFileResult:
    if isinstance(destination, Session):
        with destination.begin_nested():
            return _in_session(destination, path, actor, now, earlier)
    factory = destination.sessions if isinstance(destination, Workspace) else destination
    return retry_transaction(
        factory, lambda session: _in_session(session, path, actor, now, earlier),
        attempts=MAX_ATTEMPTS, retryable=_lost_race,
    )


def _lost_race(exc: IntegrityError | OperationalError) -> bool:
    """Another import inserted the same (target, cycle, unit) row, or held the SQLite lock."""
    return isinstance(exc, IntegrityError) or "locked" in str(exc).lower()


def _check_only(destination: Destination, paths: list[str | Path]) -> list[tuple[EvaluationFileResult, _Read]]:
    """Each file's verdict without storing anything, and what was read.

    With a session, each file in a savepoint rolled back. Otherwise all of them in one
    session that writes nothing: one transaction rather than one per file, the template key
    read once, and the areas loaded once and kept (a unit's area was read again for every
    file, since the identity map lets go of an object nobody holds).
    """
    if isinstance(destination, Session):
        checked: list[tuple[EvaluationFileResult, _Read]] = []
        for path in paths:
            with destination.begin_nested() as nested:
                read = _read(destination, path, None)
                checked.append((_result(check_evaluation(destination, read.parsed)), read))
                nested.rollback()
        return checked
    factory = destination.sessions if isinstance(destination, Workspace) else destination
    with factory() as session:
        key = template_key(session)
        areas = session.scalars(select(Area)).all()  # held, so that session.get finds them
        reads = [_read(session, path, None, key) for path in paths]
        checked = [(_result(check_evaluation(session, read.parsed)), read) for read in reads]
        del areas
        return checked


def import_evaluations(
    destination: Destination, paths: Iterable[str | Path], actor: str = "planwatch", *,
    now: dt.datetime | None = None, partial: bool = False,
) -> EvaluationImportResult:
    """Check every workbook, then store them — or none of them if any was refused.

    The same rule as the figures import: a batch is one delivery, and storing its good half
    leaves the office to work out which half went in. The valid files of a refused batch
    come back ``held``; ``partial=True`` stores them anyway. Each stored file is checked
    again inside its own transaction, so what is stored is what passed at that moment.
    """
    path_list = list(paths)
    result = EvaluationImportResult(partial=partial)
    first_checks = _check_only(destination, path_list)
    checked = [c for c, _ in first_checks]
    if not partial and not all(c.report.valid for c in checked):
        for c in checked:
            c.held = c.report.valid
        result.files = checked
        return result
    for path, (first, read) in zip(path_list, first_checks, strict=True):
        result.files.append(
            _import_file(destination, path, actor, now, read) if first.report.valid else first
        )
    return result
