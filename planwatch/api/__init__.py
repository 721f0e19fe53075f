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
open) or a path (opened and closed by the call).

The functions live in modules by area — :mod:`~planwatch.api.workspace` (workspaces and the
demo), :mod:`~planwatch.api.plans`, :mod:`~planwatch.api.catalogue` (catalogue, areas,
units), :mod:`~planwatch.api.collection` (templates, imports, submissions, self-evaluations),
:mod:`~planwatch.api.assessment`, :mod:`~planwatch.api.reports` and
:mod:`~planwatch.api.exchange` — and each name is imported from its module on first use:
``import planwatch.api`` loads this file only, and ``planwatch unit list`` pays for the
catalogue module, never for the report writers or the importer. Inside each module the heavy
layers (the plan reader, the database, the assessment, the report writers), and the typed
results too, are imported by the functions that need them: a listing that returns rows of
its own never builds the two dozen result classes.

>>> import planwatch
>>> sorted(planwatch.REPORT_KINDS)[:2]
['annual', 'compendium']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planwatch.api._common import (
        RequestError,
    )
    from planwatch.api.assessment import (
        assess_frames,
        assess_workspace,
        observations_frame,
        targets_frame,
    )
    from planwatch.api.catalogue import (
        AREA_EDITION,
        add_unit,
        catalogue_data,
        catalogue_links,
        export_catalogue,
        find_areas,
        import_areas,
        import_catalogue,
        list_units,
        match_indicator_system,
        remove_unit,
        rename_unit,
        retire_unit,
    )
    from planwatch.api.collection import (
        WORKFLOW_ACTIONS,
        add_document,
        check_cycle,
        collection_status,
        import_data,
        import_evaluations,
        list_evaluations,
        list_submissions,
        move_submission,
        search_documents,
        show_submission,
        write_evaluation_templates,
        write_templates,
    )
    from planwatch.api.exchange import (
        EXPORT_FORMATS,
        STRUCTURE_FORMATS,
        assess_city,
        export_data,
        export_structure,
        pull_figures,
        pulled_figures,
    )
    from planwatch.api.plans import (
        SCHEMAS,
        json_schema,
        parse_plans,
        read_gold,
        score_plans,
    )
    from planwatch.api.reports import (
        check_report_date,
        check_report_formats,
        check_report_kinds,
        plan_reports,
        standard_reports,
        write_reports,
    )
    from planwatch.api.workspace import (
        build_demo,
        create_workspace,
        demo_label,
        open_workspace,
        remove_demo,
        upgrade_workspace,
    )
    from planwatch.errors import (
        PlanwatchError,
    )
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
        UnitRemoved,
        UnitRenamed,
        UnitRetired,
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

_SOURCES: dict[str, tuple[str, ...]] = {
    "planwatch.api.workspace": (
        "build_demo",
        "create_workspace",
        "demo_label",
        "open_workspace",
        "remove_demo",
        "upgrade_workspace",
    ),
    "planwatch.api.plans": (
        "SCHEMAS",
        "json_schema",
        "parse_plans",
        "read_gold",
        "score_plans",
    ),
    "planwatch.api.catalogue": (
        "AREA_EDITION",
        "add_unit",
        "catalogue_data",
        "catalogue_links",
        "export_catalogue",
        "find_areas",
        "import_areas",
        "import_catalogue",
        "list_units",
        "match_indicator_system",
        "remove_unit",
        "rename_unit",
        "retire_unit",
    ),
    "planwatch.api.collection": (
        "WORKFLOW_ACTIONS",
        "add_document",
        "check_cycle",
        "collection_status",
        "import_data",
        "import_evaluations",
        "list_evaluations",
        "list_submissions",
        "move_submission",
        "search_documents",
        "show_submission",
        "write_evaluation_templates",
        "write_templates",
    ),
    "planwatch.api.assessment": (
        "assess_frames",
        "assess_workspace",
        "observations_frame",
        "targets_frame",
    ),
    "planwatch.api.reports": (
        "check_report_date",
        "check_report_formats",
        "check_report_kinds",
        "plan_reports",
        "standard_reports",
        "write_reports",
    ),
    "planwatch.api.exchange": (
        "EXPORT_FORMATS",
        "STRUCTURE_FORMATS",
        "assess_city",
        "export_data",
        "export_structure",
        "pull_figures",
        "pulled_figures",
    ),
    "planwatch.api._common": ("RequestError",),
    "planwatch.results": (
        "Area",
        "AreasImported",
        "Assessment",
        "CatalogueChange",
        "CatalogueImported",
        "CollectionStatus",
        "DataExported",
        "DocumentAdded",
        "EvaluationWorkbooks",
        "Imported",
        "IndicatorSystemMatch",
        "ParsedPlans",
        "Pulled",
        "PulledRecord",
        "ReportPlan",
        "ReportsWritten",
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
    ),
    "planwatch.vocabulary": (
        "AssessFormat",
        "CatalogueFormat",
        "DataFormat",
        "METHODS",
        "MONITORING_LABELS",
        "REPORT_KINDS",
        "STATE_LABELS",
        "SUBJECT_LABELS",
        "TIMELINESS_LABELS",
    ),
    "planwatch.errors": ("PlanwatchError",),
}
"""Where each public name is defined: the API's own modules, then the typed results, the
vocabulary and the error class it re-exports. A test keeps this equal to :data:`__all__`."""

_SOURCE_OF = {name: module for module, names in _SOURCES.items() for name in names}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for, then kept here."""
    module = _SOURCE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'planwatch.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
]
