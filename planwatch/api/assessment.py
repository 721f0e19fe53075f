"""Assessment: every target of a workspace judged as of a year, or the engine alone on frames."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from planwatch.api._common import opened

if TYPE_CHECKING:
    import polars as pl

    from planwatch.results import Assessment
    from planwatch.store.workspace import Workspace


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
    from planwatch.results import Assessment

    with opened(workspace) as ws:
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
