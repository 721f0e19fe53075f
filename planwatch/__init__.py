"""planwatch — 规划监测评估系统: makes government development plans monitorable.

The public API is :mod:`planwatch.api`, re-exported here: ``planwatch.create_workspace``,
``planwatch.import_data``, ``planwatch.assess_workspace`` … (see the README's "Python" section).
Names are resolved on first use, so ``import planwatch`` — which every submodule's import
runs first — loads nothing but this file.
"""

# ruff: noqa: F405  (the API names come from planwatch.api, resolved in __getattr__)
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from planwatch.api import *  # noqa: F403


def __getattr__(name: str) -> Any:
    # import_module, not ``from planwatch import api``: that form asks this very function
    # for ``api`` before the submodule exists, and would recurse.
    api = importlib.import_module("planwatch.api")
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'planwatch' has no attribute {name!r}")


def __dir__() -> list[str]:
    api = importlib.import_module("planwatch.api")
    return sorted({*globals(), *api.__all__})


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
    "UnitRemoved",
    "UnitRenamed",
    "UnitRetired",
    "UnledTarget",
    "WorkspaceCreated",
    "WrittenWorkbook",
    "__version__",
    "add_document",
    "add_unit",
    "assess_city",
    "assess_frames",
    "assess_workspace",
    "build_demo",
    "catalogue_data",
    "catalogue_links",
    "check_cycle",
    "check_report_date",
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
    "remove_unit",
    "rename_unit",
    "retire_unit",
    "score_plans",
    "search_documents",
    "show_submission",
    "standard_reports",
    "targets_frame",
    "upgrade_workspace",
    "write_evaluation_templates",
    "write_reports",
    "write_templates",
]  # fmt: skip
"""Kept equal to ``planwatch.api.__all__`` (a test checks) so ``from planwatch import *`` and
documentation tools see the API without importing it."""
