"""Collecting the units' figures and self-evaluations: templates, imports, submissions and
their workflow, documents, and how complete and timely the reporting is."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planwatch.api._common import one_or_all, opened
from planwatch.vocabulary import STATE_LABELS

if TYPE_CHECKING:
    from planwatch.collect.documents import DocumentHit
    from planwatch.collect.selfeval.listing import EvaluationInfo
    from planwatch.collect.submissions import SubmissionDetail, SubmissionInfo
    from planwatch.results import (
        CollectionStatus,
        DocumentAdded,
        EvaluationWorkbooks,
        Imported,
        Transitioned,
        WrittenWorkbook,
    )
    from planwatch.store.workspace import Workspace


def write_templates(
    workspace: Workspace | str | os.PathLike[str],
    year: int,
    output: str | os.PathLike[str],
    *,
    unit: str | None = None,
    area: str | None = None,
    all_units: bool = False,
    on_written: Callable[[WrittenWorkbook], None] | None = None,
) -> list[WrittenWorkbook]:
    """Write each reporting unit's Excel workbook for ``year`` into ``output``.

    A unit retired before ``year`` has none: ``all_units`` leaves it out, and naming it is an
    error that names its successor."""
    from planwatch.collect.template import reporting_units, template_filename, template_spec, write_template
    from planwatch.collect.units import active_in
    from planwatch.results import WrittenWorkbook
    from planwatch.safe_output import confined_path

    out = _workbook_folder(unit, all_units, output)
    written: list[WrittenWorkbook] = []
    with opened(workspace) as ws, ws.sessions() as s:
        units, _ = _chosen_units(s, unit, area, lambda session, code: reporting_units(session, code, year))
        units = [active_in(u, year) for u in units]
        deadline = ws.config.deadlines.due("annual_data", year).isoformat()
        for u in units:
            spec = template_spec(s, u, year, deadline=deadline)
            path = write_template(spec, confined_path(out, template_filename(spec)))
            done = WrittenWorkbook(path, u.name, u.area_code, len(spec.rows))
            written.append(done)
            if on_written is not None:
                on_written(done)
    return written


def _workbook_folder(unit: str | None, all_units: bool, output: str | os.PathLike[str]) -> Path:
    """The folder workbooks are written to, once the request names one unit or all of them."""
    one_or_all(unit, all_units)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _chosen_units(session: Any, unit: str | None, area: str | None,
                  every: Callable[[Any, str | None], list[Any]]) -> tuple[list[Any], str | None]:
    """The unit asked for, else each unit ``every`` gives for the area (all areas if none);
    with the area's code."""
    from planwatch.collect.units import find_unit, resolve_area

    area_obj = resolve_area(session, area)
    code = area_obj.code if area_obj else None
    return ([find_unit(session, unit, area)] if unit else every(session, code)), code


@contextmanager
def _rolled_back(ws: Workspace) -> Iterator[Any]:
    """A session whose every write is undone at the end: a dry run through the real path."""
    session = ws.sessions()
    transaction = session.begin()
    try:
        yield session
    finally:
        transaction.rollback()
        session.close()


def import_data(
    workspace: Workspace | str | os.PathLike[str],
    files: Iterable[str | os.PathLike[str]],
    *,
    actor: str = "planwatch",
    dry_run: bool = False,
    partial: bool = False,
) -> Imported:
    """Import filled templates or CSV files: every file checked first, then stored.

    A batch is all or nothing: when any file is refused none is stored, unless ``partial``
    asks to store the valid ones. ``dry_run`` runs every check and the storing itself in a
    transaction that is rolled back: the result says what would be accepted (revision,
    number of values) and nothing is stored, not even an audit row.
    """
    from functools import partial as bind

    from planwatch.collect.importer import import_files
    from planwatch.exchange.sdmx import read_exchange_file

    # SDMX-CSV is recognised by its header whatever the file's suffix (exchange.sdmx).
    importer = bind(import_files, reader=read_exchange_file)
    return _run_import(importer, workspace, files, actor, dry_run=dry_run, partial=partial)


def _run_import(
    importer: Callable[..., Any],
    workspace: Workspace | str | os.PathLike[str],
    files: Iterable[str | os.PathLike[str]],
    actor: str,
    *,
    dry_run: bool,
    partial: bool,
) -> Imported:
    """One batch through ``importer`` (figures or self-evaluations), really or as a dry run."""
    from planwatch.results import Imported

    paths = [Path(f) for f in files]
    with opened(workspace, actor) as ws:
        if not dry_run:
            return Imported(importer(ws, paths, actor, partial=partial))
        with _rolled_back(ws) as session:
            return Imported(importer(session, paths, actor, partial=partial), dry_run=True)


def list_submissions(
    workspace: Workspace | str | os.PathLike[str],
    *,
    year: int | None = None,
    unit: str | None = None,
    area: str | None = None,
    all_revisions: bool = False,
) -> list[SubmissionInfo]:
    """Submissions, by default the latest revision of each unit and year."""
    from planwatch.collect.submissions import list_submissions as _list

    with opened(workspace) as ws, ws.sessions() as s:
        return _list(s, year=year, unit=unit, area=area, all_revisions=all_revisions)


def show_submission(
    workspace: Workspace | str | os.PathLike[str],
    submission_id: int | None = None,
    *,
    unit: str | None = None,
    year: int | None = None,
    area: str | None = None,
    revision: int | None = None,
) -> SubmissionDetail:
    """One submission with its figures, problems, documents, revisions and events."""
    from planwatch.collect.submissions import resolve_submission, submission_detail

    with opened(workspace) as ws, ws.sessions() as s:
        sub = resolve_submission(s, submission_id=submission_id, unit=unit, year=year, area=area,
                                 revision=revision)
        return submission_detail(s, sub)


WORKFLOW_ACTIONS = ("submit", "review", "approve", "return", "unlock")
"""submit: draft/returned → submitted; review (统计局); approve (妇儿工委办公室); return (with a
comment); unlock (妇儿工委办公室: approved → returned, the reason as the comment; its own audit row)."""


def move_submission(
    workspace: Workspace | str | os.PathLike[str],
    submission_id: int,
    action: str,
    *,
    actor: str = "planwatch",
    comment: str | None = None,
) -> Transitioned:
    """Move a submission through the workflow (audited); approved data is then locked until
    an ``unlock``, which needs the reason as ``comment``."""
    from planwatch.collect.workflow import transition
    from planwatch.results import Transitioned

    with opened(workspace, actor) as ws, ws.session() as s:
        sub = transition(s, submission_id, action, actor, comment=comment)
        state = sub.state
    return Transitioned(submission_id, action, state, STATE_LABELS[state])


def add_document(
    workspace: Workspace | str | os.PathLike[str],
    file: str | os.PathLike[str],
    *,
    unit: str,
    year: int,
    area: str | None = None,
    actor: str = "planwatch",
) -> DocumentAdded:
    """Attach a unit's 规划落实情况和下一年工作安排 (docx/pdf/txt); its text becomes searchable."""
    from planwatch.collect.documents import attach_document
    from planwatch.collect.units import find_unit
    from planwatch.results import DocumentAdded

    with opened(workspace, actor) as ws, ws.session() as s:
        doc = attach_document(s, find_unit(s, unit, area), year, Path(file), actor)
        return DocumentAdded(doc.id, len(doc.text), doc.submission_id)


def search_documents(
    workspace: Workspace | str | os.PathLike[str], query: str, *, year: int | None = None
) -> list[DocumentHit]:
    """The units' reports whose text contains ``query``, with a snippet around it."""
    from planwatch.collect.documents import search_documents as _search

    with opened(workspace) as ws, ws.sessions() as s:
        return _search(s, query, year=year)


def collection_status(
    workspace: Workspace | str | os.PathLike[str],
    year: int,
    *,
    area: str | None = None,
    as_of: dt.date | None = None,
) -> CollectionStatus:
    """Completeness and timeliness of each unit's reporting for ``year``, judged on ``as_of``."""
    from planwatch.collect.status import collection_status as _status
    from planwatch.collect.units import resolve_area
    from planwatch.results import CollectionStatus

    day = as_of or dt.date.today()
    with opened(workspace) as ws, ws.sessions() as s:
        deadline = ws.config.deadlines.due("annual_data", year)
        area_obj = resolve_area(s, area)
        rows = _status(s, year, deadline, day, area_code=area_obj.code if area_obj else None)
    return CollectionStatus(year, deadline, day, rows)


def check_cycle(cycle: str) -> str:
    """An evaluation cycle in canonical form (``2023``, ``midterm``, ``final``)."""
    from planwatch.collect.selfeval.cycles import check_cycle as _check

    return _check(cycle)


def write_evaluation_templates(
    workspace: Workspace | str | os.PathLike[str],
    cycle: str,
    output: str | os.PathLike[str],
    *,
    unit: str | None = None,
    area: str | None = None,
    all_units: bool = False,
    on_written: Callable[[WrittenWorkbook], None] | None = None,
) -> EvaluationWorkbooks:
    """Write each lead unit's self-evaluation workbook of its qualitative targets for ``cycle``."""
    from planwatch.collect.selfeval.targets import lead_units, unled_qualitative_targets
    from planwatch.collect.selfeval.template import evaluation_filename, evaluation_spec, write_evaluation_template
    from planwatch.results import EvaluationWorkbooks, UnledTarget, WrittenWorkbook
    from planwatch.safe_output import confined_path

    out = _workbook_folder(unit, all_units, output)
    chosen = check_cycle(cycle)
    written: list[WrittenWorkbook] = []
    empty: list[WrittenWorkbook] = []
    with opened(workspace) as ws, ws.sessions() as s:
        units, code = _chosen_units(s, unit, area, lead_units)
        for u in units:
            spec = evaluation_spec(s, u, chosen)
            if not spec.rows:
                empty.append(WrittenWorkbook(out, u.name, u.area_code, 0))
                continue
            path = write_evaluation_template(spec, confined_path(out, evaluation_filename(spec)))
            done = WrittenWorkbook(path, u.name, u.area_code, len(spec.rows))
            written.append(done)
            if on_written is not None:
                on_written(done)
        unled = [UnledTarget(t.area_code, t.plan, t.label, t.text) for t in unled_qualitative_targets(s, code)]
    return EvaluationWorkbooks(written, empty, unled)


def import_evaluations(
    workspace: Workspace | str | os.PathLike[str],
    files: Iterable[str | os.PathLike[str]],
    *,
    actor: str = "planwatch",
    dry_run: bool = False,
    partial: bool = False,
) -> Imported:
    """Import filled self-evaluation workbooks (完成 / 基本完成 / 未完成 with evidence).

    All or nothing as for :func:`import_data` (``partial`` stores the valid ones anyway);
    ``dry_run`` as there: checked and stored, then rolled back.
    """
    from planwatch.collect.selfeval.importer import import_evaluations as _import

    return _run_import(_import, workspace, files, actor, dry_run=dry_run, partial=partial)


def list_evaluations(
    workspace: Workspace | str | os.PathLike[str],
    *,
    cycle: str | None = None,
    area: str | None = None,
    unit: str | None = None,
) -> list[EvaluationInfo]:
    """The self-evaluations entered, optionally of one cycle, area or unit."""
    from planwatch.collect.selfeval.listing import list_self_evaluations

    chosen = check_cycle(cycle) if cycle is not None else None
    with opened(workspace) as ws, ws.sessions() as s:
        return list_self_evaluations(s, cycle=chosen, area=area, unit=unit)
