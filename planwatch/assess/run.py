"""One assessment of a workspace: read its inputs, judge every target, summarise.

The steps every caller needs — thresholds from ``workspace.yaml``, the areas a person
named, the inputs (:mod:`planwatch.assess.inputs`), the engine, the reasons of the
urban–rural gaps — live in :func:`run_assessment`, so the ``assess`` command, the reports
and the library all judge a workspace the same way. :func:`assess_workspace` adds the
summaries a person reads beside the verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from planwatch.assess.config import AssessConfig
from planwatch.assess.engine import assess
from planwatch.assess.gaps import explain_missing_gaps
from planwatch.assess.inputs import AREAS, AssessInputs, load_inputs, resolve_areas
from planwatch.assess.rollup import RollUp, roll_up
from planwatch.assess.summary import attainments, compare_areas, warnings_by_lead_unit
from planwatch.errors import PlanwatchError
from planwatch.store.workspace import Workspace, open_workspace


class NoChildAreasError(PlanwatchError, ValueError):
    """A roll-up was asked for a parent area with no child area in the workspace."""

    code = "assess.rollup_children"


@dataclass(frozen=True)
class AssessmentRun:
    """The verdicts of one as-of year and what they were judged from."""

    year: int
    method: str
    config: AssessConfig
    areas: list[str] | None
    """The area codes asked for; None for every area of the workspace."""
    inputs: AssessInputs
    result: pl.DataFrame


@dataclass(frozen=True)
class WorkspaceAssessment:
    """One ``planwatch assess`` run: the verdicts and every summary of them."""

    year: int
    method: str
    config: AssessConfig
    result: pl.DataFrame
    overall: pl.DataFrame
    by_domain: pl.DataFrame
    by_plan: pl.DataFrame
    by_area: pl.DataFrame
    by_lead_unit: pl.DataFrame
    warnings: pl.DataFrame
    comparison: pl.DataFrame
    inputs: AssessInputs
    rollups: dict[str, RollUp] = field(default_factory=dict)
    """parent area code → its figures rolled up from the child areas in the workspace."""


def run_assessment(
    ws: Workspace, year: int, *, areas: Sequence[str] | None = None, method: str = "default"
) -> AssessmentRun:
    """Judge every monitored target of ``ws`` as of ``year``.

    ``areas`` are codes or names; an unknown one is an error that lists the known ones.
    """
    cfg = AssessConfig.from_dict(ws.config.assessment)
    with ws.sessions() as session:
        names = {code: name for code, name, _ in session.execute(AREAS)}
        codes = resolve_areas(names, areas)
        inputs = load_inputs(session, areas=codes, deadlines=ws.config.deadlines)
    return judge(inputs, year, method=method, config=cfg, areas=codes)


def judge(
    inputs: AssessInputs, year: int, *, method: str = "default", config: AssessConfig | None = None,
    areas: list[str] | None = None,
) -> AssessmentRun:
    """The engine over inputs already read: no database, so it can run on any inputs."""
    cfg = config or AssessConfig()
    result = assess(inputs.observations, inputs.targets, year, method, cfg)
    result = _explain_gaps(result, inputs)
    return AssessmentRun(year=year, method=method, config=cfg, areas=areas, inputs=inputs, result=result)


def summarise(run: AssessmentRun, rollup_parents: Sequence[str] = ()) -> WorkspaceAssessment:
    """The verdicts with their summaries: by plan and domain, area, lead unit; warnings."""
    inputs, year, cfg, result = run.inputs, run.year, run.config, run.result
    se = inputs.self_evaluations.filter(pl.col("year") == year)
    rollups = {parent: _roll_up(inputs, parent) for parent in rollup_parents}
    late = inputs.late.filter(pl.col("year") <= year)
    overall, by_domain, by_plan, by_area, by_lead_unit = attainments(
        result, [[], ["plan", "domain"], ["plan"], ["area_code"], ["lead_unit"]], self_evaluations=se
    )
    return WorkspaceAssessment(
        year=year,
        method=run.method,
        config=cfg,
        result=result,
        overall=overall,
        by_domain=by_domain,
        by_plan=by_plan,
        by_area=by_area,
        by_lead_unit=by_lead_unit,
        warnings=warnings_by_lead_unit(result, year, cfg, late=late),
        comparison=compare_areas(result) if result["area_code"].n_unique() > 1 else pl.DataFrame(),
        inputs=inputs,
        rollups=rollups,
    )


def assess_workspace(
    workspace: Workspace | Path | str,
    year: int,
    *,
    areas: Sequence[str] | None = None,
    method: str = "default",
    rollup_parents: Sequence[str] = (),
) -> WorkspaceAssessment:
    """Assess a workspace as of ``year``, with the thresholds of its configuration."""
    ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
    try:
        run = run_assessment(ws, year, areas=areas, method=method)
    finally:
        if not isinstance(workspace, Workspace):
            ws.close()
    return summarise(run, rollup_parents)


def _explain_gaps(result: pl.DataFrame, inputs: AssessInputs) -> pl.DataFrame:
    """Urban–rural gaps without both breakdowns say which one is missing (assess.gaps)."""
    names = dict(inputs.targets.select("indicator_code", "indicator_name").unique("indicator_code").iter_rows())
    return explain_missing_gaps(result, inputs.observations, inputs.gaps, names)


def _roll_up(inputs: AssessInputs, parent: str) -> RollUp:
    children = [c for c, p in inputs.parents.items() if p == parent]
    if not children:
        raise NoChildAreasError(f"地区 {parent} 在工作区中没有下级地区 has no child areas in the workspace")
    units = dict(inputs.targets.select("indicator_code", "unit").unique("indicator_code").iter_rows())
    return roll_up(inputs.observations, parent, children, units)


__all__ = [
    "AssessmentRun",
    "NoChildAreasError",
    "WorkspaceAssessment",
    "assess_workspace",
    "judge",
    "run_assessment",
    "summarise",
]
