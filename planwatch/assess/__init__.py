"""Assessment and early warning: every target judged against its figures, with reasons.

Pure functions over Polars frames (no database imports in the engine modules):
``assess`` judges, ``planwatch.assess.summary`` aggregates, ``planwatch.assess.rollup``
aggregates districts into a city from numerators and denominators. ``inputs`` (database →
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
from planwatch.assess.status import (
    METHOD_NOTES,
    METHODS,
    STATUS_DEFINITIONS,
    STATUSES,
    WARNINGS,
    status_definitions,
)

__all__ = [
    "METHODS",
    "METHOD_NOTES",
    "RESULT_COLUMNS",
    "STATUSES",
    "STATUS_DEFINITIONS",
    "WARNINGS",
    "AssessConfig",
    "ConfigError",
    "FrameError",
    "assess",
    "observations_frame",
    "self_evaluations_frame",
    "status_definitions",
    "targets_frame",
]
