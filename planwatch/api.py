"""planwatch as a library: everything the command line can do, as functions.

The ``planwatch`` command, the coming REST API and the web pages all call these functions
and show their typed results (:mod:`planwatch.results`, each with ``to_dict()``), so there
is one way to import a workbook or assess a workspace and one JSON shape for the answer.
Every error planwatch raises on purpose is a :class:`planwatch.errors.PlanwatchError` with
a stable ``code``.

No API name is the name of a subpackage (``planwatch.assess`` is the assessment package,
``planwatch.assess_workspace`` the function), so ``planwatch.<name>`` means the same thing
whatever has been imported before.

A workspace argument may be an open :class:`~planwatch.store.workspace.Workspace` (left
open) or a path (opened and closed by the call). The heavy layers — the plan reader, the
database, the assessment, the report writers — are imported inside the functions that
need them, so ``import planwatch.api`` stays cheap and ``planwatch --help`` starts at once.

>>> import planwatch
>>> sorted(planwatch.REPORT_KINDS)[:2]
['annual', 'compendium']
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planwatch.areas import EDITION as AREA_EDITION
from planwatch.errors import PlanwatchError
from planwatch.results import (
    Area,
    AreasImported,
    Assessment,
    CatalogueChange,
    CatalogueImported,
    CollectionStatus,
    DataExported,
    DocumentAdded,
    EvaluationWorkbooks,
    Imported,
    IndicatorSystemMatch,
    ParsedPlans,
    Pulled,
    PulledRecord,
    ReportPlan,
    ReportsWritten,
    SchemaUpgraded,
    StructureExported,
    Transitioned,
    UnitAdded,
    UnledTarget,
    WorkspaceCreated,
    WrittenWorkbook,
)
from planwatch.vocabulary import (
    METHODS,
    MONITORING_LABELS,
    REPORT_KINDS,
    STATE_LABELS,
    SUBJECT_LABELS,
    TIMELINESS_LABELS,
    AssessFormat,
    CatalogueFormat,
    DataFormat,
)

if TYPE_CHECKING:
    import polars as pl

    from planwatch.collect.documents import DocumentHit
    from planwatch.collect.selfeval.listing import EvaluationInfo
    from planwatch.collect.submissions import SubmissionDetail, SubmissionInfo
    from planwatch.demo.build import DemoSummary
    from planwatch.plan.gold import Gold, Score
    from planwatch.report.kinds import Job
    from planwatch.store.series import SeriesLink
    from planwatch.store.unit_registry import UnitRow
    from planwatch.store.workspace import Workspace



class RequestError(PlanwatchError, ValueError):
    """A request that contradicts itself (both or neither of two options), said in the user's terms."""

    code = "api.request"


@contextmanager
def _opened(workspace: Workspace | str | os.PathLike[str], actor: str = "planwatch") -> Iterator[Workspace]:
    from planwatch.store.workspace import Workspace, open_workspace

    if isinstance(workspace, Workspace):
        yield workspace
        return
    ws = open_workspace(Path(workspace), actor=actor)
    try:
        yield ws
    finally:
        ws.close()


# --------------------------------------------------------------------------- workspaces


def create_workspace(
    path: str | os.PathLike[str],
    plans: Sequence[str | os.PathLike[str]],
    *,
    database_url: str | None = None,
    actor: str = "planwatch",
    area: str | None = None,
    include_other: bool = False,
) -> WorkspaceCreated:
    """Create a workspace from plan files and load their catalogue (``planwatch init``).

    All or nothing; an existing workspace or a non-empty database is refused. ``area`` (code
    or name) places plans that name no area or an ambiguous one.
    """
    from planwatch.store.credentials import mask_password
    from planwatch.store.workspace import init_workspace

    with init_workspace(Path(path), [Path(p) for p in plans], database_url, actor=actor, area=area,
                        include_other=include_other) as ws:
        summary = ws.load_summary
        assert summary is not None
        return WorkspaceCreated(
            path=ws.path,
            database=(mask_password(ws.config.database_url) if ws.config.database_url
                      else "SQLite（工作区内 planwatch.sqlite）"),
            plans=summary.plans,
            targets=summary.targets,
            measures=summary.measures,
            target_values=summary.target_values,
            indicators=summary.indicators_created,
            units=summary.units_created,
            series_links=list(summary.series_links),
            warnings=list(summary.warnings),
            skipped_other=list(summary.skipped_other),
        )


def open_workspace(path: str | os.PathLike[str], *, actor: str = "planwatch") -> Workspace:
    """An open workspace (close it, or use it in a ``with`` block); never writes.

    A database made by an older planwatch is refused with ``workspace.outdated``: run
    :func:`upgrade_workspace` first.
    """
    from planwatch.store.workspace import open_workspace as _open

    return _open(Path(path), actor=actor)


def upgrade_workspace(path: str | os.PathLike[str], *, actor: str = "planwatch") -> SchemaUpgraded:
    """Migrate a workspace's database to this planwatch's schema (``planwatch upgrade``)."""
    from planwatch.store.workspace import upgrade_workspace as _upgrade

    done = _upgrade(Path(path), actor=actor)
    return SchemaUpgraded(Path(path), done.before, done.after)


# --------------------------------------------------------------------------- plans


def parse_plans(files: Sequence[str | os.PathLike[str]]) -> ParsedPlans:
    """Read plan documents (.txt .md .docx .pdf) into a catalogue; files that are missing or
    could not be read at all are listed (a caller exits non-zero for them)."""
    from planwatch.plan.reader import read_files

    paths = [Path(f) for f in files]
    catalogue = read_files(paths)
    # A file the reader could not open at all is the one warning without a line number.
    unread = {w.file for w in catalogue.warnings if w.line is None}
    return ParsedPlans(catalogue, [p for p in paths if not p.is_file() or str(p) in unread])


def read_gold(path: str | os.PathLike[str]) -> Gold:
    """A hand-checked gold file (what a plan should read as), with its text and metadata."""
    from planwatch.plan.gold import load_gold

    return load_gold(Path(path))


def score_plans(parsed: ParsedPlans, gold: Gold | str | os.PathLike[str]) -> Score:
    """Score a parsed catalogue against a gold file: targets, units, quantitative targets."""
    from planwatch.plan.gold import Gold, score

    return score(parsed.catalogue, gold if isinstance(gold, Gold) else read_gold(gold))


SCHEMAS = ("catalogue",)
"""The output formats whose JSON Schema :func:`json_schema` gives."""


def json_schema(name: str = "catalogue") -> dict[str, Any]:
    """The JSON Schema of an output format (today: ``catalogue``, what ``parse`` writes)."""
    from planwatch.plan.quality import ParseOutput

    if name not in SCHEMAS:
        raise RequestError(f"未知的 schema：{name}（可选：{', '.join(SCHEMAS)}）")
    return ParseOutput.model_json_schema()


# --------------------------------------------------------------------------- catalogue


def export_catalogue(workspace: Workspace | str | os.PathLike[str]) -> str:
    """The catalogue as YAML, for editing definitions, breakdowns, baselines and reporters."""
    from planwatch.store.catalogue_yaml import export_catalogue as _export

    with _opened(workspace) as ws, ws.session() as session:
        return _export(session)


def catalogue_data(workspace: Workspace | str | os.PathLike[str]) -> dict[str, Any]:
    """The catalogue as plain data (what :func:`export_catalogue` writes as YAML): the REST API's
    indicators and targets."""
    from planwatch.store.catalogue_yaml import catalogue_data as _data

    with _opened(workspace) as ws, ws.session() as session:
        return _data(session)


def import_catalogue(
    workspace: Workspace | str | os.PathLike[str], text: str | bytes, *, actor: str = "planwatch",
    source: str = "",
) -> CatalogueImported:
    """Apply an edited catalogue YAML: validated, all or nothing, audited.

    ``text`` may be the file's bytes: UTF-8 or GB18030 (Chinese Excel and Notepad save GBK)
    is then decided by the loader.
    """
    from planwatch.store.catalogue_yaml import import_catalogue as _import

    with _opened(workspace, actor) as ws, ws.session() as session:
        changes = _import(session, text, actor=actor, source=source)
        return CatalogueImported([CatalogueChange(c.path, c.old, c.new) for c in changes])


def catalogue_links(workspace: Workspace | str | os.PathLike[str]) -> list[SeriesLink]:
    """Indicators that share one data series (``same_as``), each with its members."""
    from planwatch.store.series import list_links

    with _opened(workspace) as ws, ws.session() as session:
        return list_links(session)


def match_indicator_system(
    workspace: Workspace | str | os.PathLike[str],
    table: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    area: str | None = None,
    plan: str | None = None,
    apply: bool = False,
    actor: str = "planwatch",
) -> IndicatorSystemMatch:
    """Match the bureau's 监测指标体系 to the catalogue; ``apply`` sets modes, definitions, units."""
    from planwatch.collect.indicator_system import (
        apply_indicator_system,
        match_indicator_system,
        read_indicator_table,
        resolve_scope,
    )

    read = read_indicator_table(Path(table), sheet)
    with _opened(workspace, actor) as ws, ws.session() as session:
        code, plan_ids = resolve_scope(session, area, plan)
        report = match_indicator_system(session, read, area_code=code, plan_ids=plan_ids)
        if apply:
            apply_indicator_system(session, report, actor=actor)
    return IndicatorSystemMatch(report, apply)


# --------------------------------------------------------------------------- areas and units


def find_areas(name: str, *, within: str | None = None) -> list[Area]:
    """Areas of the national division codes by code or name; an ambiguous name gives them all."""
    from planwatch.areas import AmbiguousAreaError, national

    gazetteer = national()
    try:
        found = [gazetteer.resolve(name)] if name.strip().isdigit() else [gazetteer.find(name, within=within)]
    except AmbiguousAreaError as exc:
        found = exc.candidates
    return [Area(a.code, a.name, a.full_name, a.level, a.parent_code) for a in found]


def import_areas(
    workspace: Workspace | str | os.PathLike[str], file: str | os.PathLike[str], *, actor: str = "planwatch"
) -> AreasImported:
    """Import townships (乡级: streets, towns) from ``code,name,level,parent_code``; all or nothing."""
    from planwatch.store.area_import import import_townships, read_area_file

    rows = read_area_file(Path(file))
    with _opened(workspace, actor) as ws, ws.session() as session:
        summary = import_townships(session, rows, source=str(file), actor=actor)
    return AreasImported(list(summary.added), list(summary.unchanged))


def add_unit(
    workspace: Workspace | str | os.PathLike[str],
    name: str,
    *,
    area: str,
    aliases: Sequence[str] | None = None,
    actor: str = "planwatch",
) -> UnitAdded:
    """Add a member unit the plan does not name (checked, audited)."""
    from planwatch.store.unit_registry import add_unit as _add

    with _opened(workspace, actor) as ws, ws.session() as session:
        unit = _add(session, area, name, aliases=list(aliases) if aliases else None, actor=actor)
        return UnitAdded(unit.name, unit.area_code, unit.area.full_name)


def list_units(workspace: Workspace | str | os.PathLike[str], *, area: str | None = None) -> list[UnitRow]:
    """Member units with the targets they lead or share and the indicators they report."""
    from planwatch.store.unit_registry import list_units as _list

    with _opened(workspace) as ws, ws.session() as session:
        return _list(session, area)


# --------------------------------------------------------------------------- collection


def _one_or_all(unit: str | None, all_units: bool) -> None:
    if (unit is None) == (not all_units):
        raise RequestError("请给出 --unit 或 --all-units 之一 give --unit or --all-units")


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
    """Write each reporting unit's Excel workbook for ``year`` into ``output``."""
    from planwatch.collect.template import reporting_units, template_filename, template_spec, write_template
    from planwatch.collect.units import find_unit, resolve_area
    from planwatch.safe_output import confined_path

    _one_or_all(unit, all_units)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    written: list[WrittenWorkbook] = []
    with _opened(workspace) as ws, ws.sessions() as s:
        area_obj = resolve_area(s, area)
        units = [find_unit(s, unit, area)] if unit else reporting_units(s, area_obj.code if area_obj else None)
        deadline = ws.config.deadlines.due("annual_data", year).isoformat()
        for u in units:
            spec = template_spec(s, u, year, deadline=deadline)
            path = write_template(spec, confined_path(out, template_filename(spec)))
            done = WrittenWorkbook(path, u.name, u.area_code, len(spec.rows))
            written.append(done)
            if on_written is not None:
                on_written(done)
    return written


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
    paths = [Path(f) for f in files]
    with _opened(workspace, actor) as ws:
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

    with _opened(workspace) as ws, ws.sessions() as s:
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

    with _opened(workspace) as ws, ws.sessions() as s:
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

    with _opened(workspace, actor) as ws, ws.session() as s:
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

    with _opened(workspace, actor) as ws, ws.session() as s:
        doc = attach_document(s, find_unit(s, unit, area), year, Path(file), actor)
        return DocumentAdded(doc.id, len(doc.text), doc.submission_id)


def search_documents(
    workspace: Workspace | str | os.PathLike[str], query: str, *, year: int | None = None
) -> list[DocumentHit]:
    """The units' reports whose text contains ``query``, with a snippet around it."""
    from planwatch.collect.documents import search_documents as _search

    with _opened(workspace) as ws, ws.sessions() as s:
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

    day = as_of or dt.date.today()
    with _opened(workspace) as ws, ws.sessions() as s:
        deadline = ws.config.deadlines.due("annual_data", year)
        area_obj = resolve_area(s, area)
        rows = _status(s, year, deadline, day, area_code=area_obj.code if area_obj else None)
    return CollectionStatus(year, deadline, day, rows)


# --------------------------------------------------------------------------- self-evaluations


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
    from planwatch.collect.units import find_unit, resolve_area
    from planwatch.safe_output import confined_path

    _one_or_all(unit, all_units)
    chosen = check_cycle(cycle)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    written: list[WrittenWorkbook] = []
    empty: list[WrittenWorkbook] = []
    with _opened(workspace) as ws, ws.sessions() as s:
        area_obj = resolve_area(s, area)
        code = area_obj.code if area_obj else None
        units = [find_unit(s, unit, area)] if unit else lead_units(s, code)
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
    with _opened(workspace) as ws, ws.sessions() as s:
        return list_self_evaluations(s, cycle=chosen, area=area, unit=unit)


# --------------------------------------------------------------------------- assessment


def assess_workspace(
    workspace: Workspace | str | os.PathLike[str],
    year: int,
    *,
    areas: Sequence[str] | None = None,
    method: str = "default",
    rollup: Sequence[str] = (),
) -> Assessment:
    """Judge every monitored target as of ``year``, with summaries, warnings and roll-ups.

    ``areas`` are codes or names; ``method`` is ``default``, ``un`` or ``opensdg``;
    ``rollup`` names parent areas whose figures are summed from their children's
    numerators and denominators.
    """
    from planwatch.assess.run import assess_workspace as _assess

    with _opened(workspace) as ws:
        return Assessment(_assess(ws, year, areas=areas, method=method, rollup_parents=rollup))


def assess_frames(
    observations: pl.DataFrame, targets: pl.DataFrame, year: int, *, method: str = "default"
) -> pl.DataFrame:
    """The assessment engine alone, on frames you built: one verdict row per target and series.

    ``observations`` and ``targets`` follow :func:`observations_frame` and
    :func:`targets_frame` (missing optional columns are filled); no database is involved,
    so figures from any source can be judged the way a workspace's are.
    """
    from planwatch.assess import assess as _assess

    return _assess(observations, targets, year, method)


def observations_frame(data: Any) -> pl.DataFrame:
    """Figures as the engine reads them (indicator, area, breakdown, year, value …), checked."""
    from planwatch.assess import observations_frame as _frame

    return _frame(data)


def targets_frame(data: Any) -> pl.DataFrame:
    """Targets as the engine reads them (comparator, value, year, better direction …), checked."""
    from planwatch.assess import targets_frame as _frame

    return _frame(data)


# --------------------------------------------------------------------------- reports


def check_report_kinds(kinds: str) -> list[str]:
    """``annual,warnings`` → the kinds, checked; ``all`` → every kind."""
    from planwatch.report.kinds import check_kind

    return list(REPORT_KINDS) if kinds == "all" else [check_kind(k.strip()) for k in kinds.split(",")]


def check_report_formats(formats: str | None) -> list[str] | None:
    """``docx,pdf`` → the formats, checked; None keeps each kind's usual ones."""
    from planwatch.report.output import parse_formats

    return parse_formats(formats) if formats else None


def plan_reports(
    workspace: Workspace | str | os.PathLike[str],
    year: int,
    kinds: Sequence[str],
    *,
    plans: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    method: str = "default",
    preview: bool = False,
    all_kinds: bool = False,
) -> ReportPlan:
    """Assess ``year`` and list the documents to write, one job per plan and area.

    With ``all_kinds`` (``planwatch report all``) the final evaluation is left out before
    the plans' target year unless ``preview`` asks for a marked preview.
    """
    from planwatch.report.kinds import final_due, plan_jobs
    from planwatch.report.workspace_data import load_report_data

    chosen = list(kinds)
    with _opened(workspace) as ws:
        data = load_report_data(ws, year, method=method, areas=list(areas) if areas else None)
    if all_kinds and not preview and "final" in chosen and not final_due(data):
        chosen.remove("final")  # before the target year `all` writes no final evaluation
    return ReportPlan(data, plan_jobs(data, chosen, plans, areas, preview))


def standard_reports(workspace: Workspace | str | os.PathLike[str], year: int) -> ReportPlan:
    """What the office sends after each monitoring year: annual reports, warnings, compendium, matrix."""
    from planwatch.report.kinds import standard_jobs
    from planwatch.report.workspace_data import load_report_data

    with _opened(workspace) as ws:
        data = load_report_data(ws, year)
    return ReportPlan(data, standard_jobs(data))


def write_reports(
    plan: ReportPlan,
    output: str | os.PathLike[str],
    *,
    formats: Sequence[str] | None = None,
    on_done: Callable[[Job, list[Path]], None] | None = None,
    jobs: int | None = 1,
) -> ReportsWritten:
    """Write the planned documents; each file atomically, so an interruption leaves no half file.

    ``jobs`` > 1 writes on that many processes (None: every core), each chart drawn once;
    the files and their order are those of ``jobs=1``. A script calling it with ``jobs`` > 1
    needs the usual ``if __name__ == "__main__":`` guard (workers are spawned).
    """
    from planwatch.report.kinds import run_jobs

    return ReportsWritten(run_jobs(plan.data, plan.jobs, Path(output), formats, on_done=on_done, jobs=jobs))


# --------------------------------------------------------------------------- demo


def build_demo(directory: str | os.PathLike[str] = "demo-workspace", *, database_url: str | None = None) -> DemoSummary:
    """The demo workspace from the seed plans with synthetic 2020–2024 figures (示例数据)."""
    from planwatch.demo.build import build_demo as _build

    return _build(Path(directory), database_url=database_url)


def remove_demo(directory: str | os.PathLike[str]) -> bool:
    """Delete an earlier demo workspace (only a local demo is ever deleted); False if none."""
    from planwatch.demo.build import remove_demo_workspace

    return remove_demo_workspace(Path(directory))


def demo_label() -> str:
    """The label every synthetic figure and report of the demo carries."""
    from planwatch.demo.synthetic import LABEL

    return LABEL


# --------------------------------------------------------------------------- exchange

EXPORT_FORMATS = ("sdmx", "sdmx-ml", "csv", "xlsx")
"""``export``: SDMX-CSV 2.0, SDMX-ML 3.0 data, or a CSV/Excel listing for people."""
STRUCTURE_FORMATS = ("sdmx-ml", "sdmx-json")


def export_data(
    workspace: Workspace | str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    format: str = "sdmx",
    years: Sequence[int] | None = None,
    areas: Sequence[str] | None = None,
    approved_only: bool = True,
) -> DataExported:
    """Write the workspace's figures for another system (``planwatch export``).

    ``format``: ``sdmx`` (SDMX-CSV 2.0), ``sdmx-ml`` (SDMX-ML 3.0 data), ``csv`` or ``xlsx``
    (formula-safe listings). By default only approved figures, the latest approved revision
    of each unit, area and year; ``approved_only=False`` takes the latest in any state.
    """
    if format not in EXPORT_FORMATS:
        raise RequestError(f"导出格式应为 {'、'.join(EXPORT_FORMATS)} 之一，实为“{format}” unknown format")
    path = Path(output)
    with _opened(workspace) as ws, ws.sessions() as session:
        if format in ("sdmx", "sdmx-ml"):
            from planwatch.exchange.figures import workspace_label
            from planwatch.exchange.sdmx import export_data as _export

            done = _export(session, path, source=workspace_label(ws), fmt="sdmx-csv" if format == "sdmx" else "sdmx-ml",
                           years=years, areas=areas, approved_only=approved_only)
            return DataExported(path=path, format=format, observations=done.observations, areas=done.areas,
                                years=done.years, skipped=done.skipped)
        from planwatch.exchange.figures import read_figures
        from planwatch.exchange.tables import write_table

        figures = read_figures(session, years=years, areas=areas, approved_only=approved_only)
        n = write_table(figures, path, "csv" if format == "csv" else "xlsx")
        return DataExported(path=path, format=format, observations=n, areas=sorted({f.area_code for f in figures}),
                            years=sorted({f.year for f in figures}))


def export_structure(
    workspace: Workspace | str | os.PathLike[str], output: str | os.PathLike[str], *, format: str = "sdmx-ml"
) -> StructureExported:
    """Write the catalogue as an SDMX structure message: SDMX-ML 3.0 or SDMX-JSON 2.0."""
    if format not in STRUCTURE_FORMATS:
        raise RequestError(f"结构格式应为 {'、'.join(STRUCTURE_FORMATS)} 之一，实为“{format}” unknown format")
    from planwatch.exchange.sdmx import structure_text

    path = Path(output)
    with _opened(workspace) as ws, ws.sessions() as session:
        path.write_text(structure_text(session, "sdmx-ml" if format == "sdmx-ml" else "sdmx-json"), encoding="utf-8")
    return StructureExported(path=path, format=format)


def pull_figures(
    workspace: Workspace | str | os.PathLike[str],
    *,
    workspaces: Sequence[str | os.PathLike[str]] = (),
    sdmx_files: Sequence[str | os.PathLike[str]] = (),
    areas: Sequence[str] | None = None,
    actor: str = "planwatch",
) -> Pulled:
    """Pull districts' approved figures into a city's workspace (``planwatch pull``).

    ``workspaces`` are district workspaces (folders or database URLs), read directly;
    ``sdmx_files`` SDMX-CSV files districts sent. Checked like an import, stored approved
    with their provenance, all or nothing (:mod:`planwatch.exchange.pull`).
    """
    from planwatch.exchange.pull import PullSource, SdmxFileSource, WorkspaceSource, pull

    sources: list[PullSource] = [WorkspaceSource(os.fspath(w), areas=areas) for w in workspaces]
    sources += [SdmxFileSource(Path(f)) for f in sdmx_files]
    if not sources:
        raise RequestError("请至少给出一个来源：--workspace 或 --sdmx name at least one source")
    with _opened(workspace, actor) as ws:
        return Pulled(pull(ws, sources, actor))


def pulled_figures(workspace: Workspace | str | os.PathLike[str], *, area: str | None = None) -> list[PulledRecord]:
    """The provenance of every pulled submission: source, its submission and revision, when."""
    from planwatch.exchange.provenance import provenance

    with _opened(workspace) as ws, ws.sessions() as session:
        return [PulledRecord(**row) for row in provenance(session, area)]


def assess_city(
    workspace: Workspace | str | os.PathLike[str],
    year: int,
    parent: str,
    *,
    children: Sequence[str] | None = None,
    method: str = "default",
) -> Assessment:
    """Assess with ``parent``'s figures rolled up from its districts' (numerators and
    denominators, ``assess --rollup``'s roll-up) and its own targets judged on them."""
    from planwatch.exchange.citywide import city_assessment

    with _opened(workspace) as ws:
        return Assessment(city_assessment(ws, year, parent, children=children, method=method))


__all__ = [
    "AREA_EDITION",
    "EXPORT_FORMATS",
    "METHODS",
    "MONITORING_LABELS",
    "REPORT_KINDS",
    "SCHEMAS",
    "STATE_LABELS",
    "STRUCTURE_FORMATS",
    "SUBJECT_LABELS",
    "TIMELINESS_LABELS",
    "WORKFLOW_ACTIONS",
    "Area",
    "AreasImported",
    "AssessFormat",
    "Assessment",
    "CatalogueChange",
    "CatalogueFormat",
    "CatalogueImported",
    "CollectionStatus",
    "DataExported",
    "DataFormat",
    "DocumentAdded",
    "EvaluationWorkbooks",
    "Imported",
    "IndicatorSystemMatch",
    "ParsedPlans",
    "PlanwatchError",
    "Pulled",
    "PulledRecord",
    "ReportPlan",
    "ReportsWritten",
    "RequestError",
    "SchemaUpgraded",
    "StructureExported",
    "Transitioned",
    "UnitAdded",
    "UnledTarget",
    "WorkspaceCreated",
    "WrittenWorkbook",
    "add_document",
    "add_unit",
    "assess_city",
    "assess_frames",
    "assess_workspace",
    "build_demo",
    "catalogue_data",
    "catalogue_links",
    "check_cycle",
    "check_report_formats",
    "check_report_kinds",
    "collection_status",
    "create_workspace",
    "demo_label",
    "export_catalogue",
    "export_data",
    "export_structure",
    "find_areas",
    "import_areas",
    "import_catalogue",
    "import_data",
    "import_evaluations",
    "json_schema",
    "list_evaluations",
    "list_submissions",
    "list_units",
    "match_indicator_system",
    "move_submission",
    "observations_frame",
    "open_workspace",
    "parse_plans",
    "plan_reports",
    "pull_figures",
    "pulled_figures",
    "read_gold",
    "remove_demo",
    "score_plans",
    "search_documents",
    "show_submission",
    "standard_reports",
    "targets_frame",
    "upgrade_workspace",
    "write_evaluation_templates",
    "write_reports",
    "write_templates",
]
