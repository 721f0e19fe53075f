"""Assessment and early warning: every target judged against its figures, with reasons.

Pure functions over Polars frames (no database imports in the engine modules):
``assess`` judges, ``planwatch.assess.summary`` aggregates, ``planwatch.assess.rollup``
aggregates districts into a city from numerators and denominators. ``load`` (database →
frames) is the only module that touches the store.
"""

from planwatch.assess.config import AssessConfig, ConfigError
from planwatch.assess.engine import RESULT_COLUMNS, assess
from planwatch.assess.frames import (
    FrameError,
    observations_frame,
    self_evaluations_frame,
    targets_frame,
)
from planwatch.assess.status import METHODS, STATUSES, WARNINGS

__all__ = [
    "METHODS",
    "RESULT_COLUMNS",
    "STATUSES",
    "WARNINGS",
    "AssessConfig",
    "ConfigError",
    "FrameError",
    "assess",
    "observations_frame",
    "self_evaluations_frame",
    "targets_frame",
]
