"""A city's assessment from its districts' figures: roll up, then judge the city's targets.

The roll-up is :func:`planwatch.assess.rollup.roll_up` — the one ``planwatch assess
--rollup`` uses (Σ numerators ÷ Σ denominators for rates, sums for counts, nothing for a
year a district did not report) — over the city workspace's approved figures, which after a
:mod:`pull <planwatch.exchange.pull>` hold the districts'. The rolled-up figures are then
added to the assessment's inputs under the city's code and every target is judged by the
one engine (:func:`planwatch.assess.run.judge`), so the city's own targets get verdicts
from its districts' figures and the districts keep theirs.

Which areas make the city: by default its child areas in the workspace (the 统计用区划代码
hierarchy, as ``assess --rollup``); ``children`` names them when the city is a grouping the
hierarchy does not know. A figure the city reported itself for its own area wins over the
rolled-up one (the city's statistics bureau may publish a figure that is not a sum of the
districts', e.g. with units no district holds); the roll-up fills only what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import polars as pl

from planwatch.assess.frames import KEYS
from planwatch.assess.rollup import roll_up
from planwatch.assess.run import NoChildAreasError, WorkspaceAssessment, judge, run_assessment, summarise
from planwatch.store.workspace import Workspace


def city_assessment(
    ws: Workspace,
    year: int,
    parent: str,
    *,
    children: Sequence[str] | None = None,
    method: str = "default",
) -> WorkspaceAssessment:
    """Assess ``ws`` as of ``year`` with ``parent``'s figures rolled up from ``children``."""
    run = run_assessment(ws, year, method=method)
    inputs = run.inputs
    kids = list(children) if children else [c for c, p in inputs.parents.items() if p == parent]
    if not kids:
        raise NoChildAreasError(f"地区 {parent} 在工作区中没有下级地区 has no child areas in the workspace")
    units = dict(inputs.targets.select("indicator_code", "unit").unique("indicator_code").iter_rows())
    rolled = roll_up(inputs.observations, parent, kids, units)
    own = inputs.observations.filter(pl.col("area_code") == parent).select([*KEYS, "year"])
    added = rolled.observations.join(own, on=[*KEYS, "year"], how="anti")
    observations = pl.concat([inputs.observations, added.select(inputs.observations.columns)]).sort([*KEYS, "year"])
    judged = judge(replace(inputs, observations=observations), year, method=method, config=run.config)
    return replace(summarise(judged), rollups={parent: rolled})
