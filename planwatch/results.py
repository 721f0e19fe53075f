"""What the public API answers: typed results, each with the one JSON shape of ``to_dict()``.

The command line prints these, the REST API will send ``to_dict()`` as its body and the web
pages will render the same dictionaries, so a figure can never be shaped one way in a
terminal and another way on a page. Results hold plain values, never database rows, so
they stay valid after the workspace is closed.

Heavy types (Polars frames, the catalogue models) are imported only for type checking:
importing this module costs nothing, which keeps ``planwatch --help`` fast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planwatch.vocabulary import COMPARATOR_SIGNS, DIRECTION_WORDS

if TYPE_CHECKING:
    import polars as pl

    from planwatch.assess.run import WorkspaceAssessment
    from planwatch.collect.indicator_system import MatchReport
    from planwatch.plan.model import Catalogue
    from planwatch.report.data import ReportData
    from planwatch.report.kinds import Job


# --------------------------------------------------------------------------- workspaces


@dataclass(frozen=True)
class WorkspaceCreated:
    """What ``init`` loaded from the plan files."""

    path: Path
    database: str
    """The database URL, or a note that it is the SQLite file inside the workspace."""
    plans: int
    targets: int
    measures: int
    target_values: int
    indicators: int
    units: int
    series_links: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_other: list[str] = field(default_factory=list)
    """Titles of gazette documents of subject ``other`` that were not loaded."""

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "path": str(self.path)}


@dataclass(frozen=True)
class SchemaUpgraded:
    """What ``upgrade`` did: the schema revision before and after (equal: nothing to do)."""

    path: Path
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "before": self.before, "after": self.after, "changed": self.changed}


# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class ParsedPlans:
    """The catalogue read from plan files, with the files that could not be found."""

    catalogue: Catalogue
    missing: list[Path] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """``{"plans": […], "warnings": […], "quality": […]}``, the published JSON Schema."""
        from planwatch.plan.quality import ParseOutput

        document: dict[str, Any] = ParseOutput.of(self.catalogue).model_dump(mode="json")
        return document

    def qualities(self) -> list[Any]:
        """What to check by hand in each plan (same order): :class:`planwatch.plan.quality.PlanQuality`."""
        from planwatch.plan.quality import plan_quality

        return [plan_quality(plan) for plan in self.catalogue.plans]


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class CatalogueChange:
    path: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class CatalogueImported:
    """The edits an imported catalogue YAML applied (empty: it changed nothing)."""

    changes: list[CatalogueChange]

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True)
class IndicatorSystemMatch:
    """The bureau's 监测指标体系 against the plan: matched, only in one, and what was applied."""

    report: MatchReport
    applied: bool

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        report = self.report
        return {
            "table": {"source": report.table.source, "sheet": report.table.sheet,
                      "header_row": report.table.header_row, "columns": report.table.columns},
            "matched": [{"row": asdict(m.row), "plan": m.item.label, "rule": m.rule} for m in report.matched],
            "only_in_table": [asdict(r) for r in report.only_in_table],
            "only_in_plan": [i.label for i in report.only_in_plan],
            "ambiguous": [{"row": asdict(r), "candidates": c} for r, c in report.ambiguous],
            "duplicates": [{"row": asdict(r), "note": n} for r, n in report.duplicates],
            "changes": [asdict(c) for c in report.changes],
            "notes": report.notes,
        }  # fmt: skip


# --------------------------------------------------------------------------- areas and units


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    full_name: str
    level: str
    parent_code: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class AreasImported:
    added: list[str]
    unchanged: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "unchanged": self.unchanged}


@dataclass(frozen=True)
class UnitAdded:
    name: str
    area_code: str
    area_name: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class UnitRenamed:
    """A unit's new name; the old one is now among its aliases."""

    old_name: str
    name: str
    aliases: list[str]
    area_code: str
    area_name: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "aliases": list(self.aliases)}


@dataclass(frozen=True)
class UnitRetired:
    """A unit retired from a data year, and the work its successor took over then."""

    name: str
    area_code: str
    area_name: str
    retired_from: int
    """The first data year the unit no longer reports."""
    successor: str | None
    indicators: list[str] = field(default_factory=list)
    """``代码 名称`` of each indicator the successor reports from ``retired_from``."""
    targets: list[str] = field(default_factory=list)
    """The targets (with 牵头/责任) the successor took over."""

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "indicators": list(self.indicators), "targets": list(self.targets)}


@dataclass(frozen=True)
class UnitRemoved:
    """A unit deleted because nothing referred to it (one added by mistake)."""

    name: str
    area_code: str
    area_name: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# --------------------------------------------------------------------------- collection


@dataclass(frozen=True)
class WrittenWorkbook:
    """One workbook written for a unit, and how many rows it asks for."""

    path: Path
    unit: str
    area_code: str
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "path": str(self.path)}


@dataclass(frozen=True)
class UnledTarget:
    """A qualitative target no unit leads, so nobody can rate it."""

    area_code: str
    plan: str
    label: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class EvaluationWorkbooks:
    """The self-evaluation workbooks written, and what could not be given to anyone."""

    written: list[WrittenWorkbook]
    without_targets: list[WrittenWorkbook]
    """Units that lead no qualitative target in the cycle (``rows`` is 0; no file written)."""
    unled: list[UnledTarget]

    def to_dict(self) -> dict[str, Any]:
        return {
            "written": [w.to_dict() for w in self.written],
            "without_targets": [{"unit": w.unit, "area_code": w.area_code} for w in self.without_targets],
            "unled": [t.to_dict() for t in self.unled],
        }


@dataclass(frozen=True)
class Imported:
    """An import of figures or self-evaluation workbooks, file by file.

    ``batch`` is the collection layer's result (``files``, ``accepted``, ``to_dict``). In a
    dry run every file went through the very same checks and storing, inside a transaction
    that was then rolled back: ``accepted`` says it *would* be stored, and nothing was.
    """

    batch: Any
    dry_run: bool = False

    @property
    def accepted(self) -> bool:
        return bool(self.batch.accepted)

    @property
    def files(self) -> list[Any]:
        return list(self.batch.files)

    @property
    def held(self) -> int:
        """Files that passed their checks but were not stored because another was refused."""
        return int(getattr(self.batch, "held", 0))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = self.batch.to_dict()
        data["dry_run"] = self.dry_run
        if self.dry_run:
            for f in data["files"]:
                if "submission_id" in f:
                    f["submission_id"] = None  # the rolled-back row never existed
        return data


@dataclass(frozen=True)
class Transitioned:
    """A submission moved through the workflow."""

    submission_id: int
    action: str
    state: str
    state_label: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class DocumentAdded:
    id: int
    characters: int
    submission_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class CollectionStatus:
    """Completeness and timeliness of every reporting unit for a year."""

    year: int
    deadline: dt.date
    as_of: dt.date
    rows: list[Any]
    """:class:`planwatch.collect.status.UnitStatus` rows."""

    def to_dict(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.rows]


# --------------------------------------------------------------------------- assessment


def _number(x: Any) -> str:
    import math

    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return str(x)


@dataclass(frozen=True)
class Assessment:
    """Every target judged as of a year, with the summaries and the thresholds used."""

    run: WorkspaceAssessment

    @property
    def year(self) -> int:
        return self.run.year

    @property
    def method(self) -> str:
        return self.run.method

    @property
    def method_label(self) -> str:
        from planwatch.assess.status import METHOD_LABELS

        return METHOD_LABELS[self.run.method]

    @property
    def results(self) -> pl.DataFrame:
        return self.run.result

    @property
    def area_names(self) -> dict[str, str]:
        return self.run.inputs.areas

    @property
    def summary_labels(self) -> dict[str, str]:
        from planwatch.assess.summary import SUMMARY_LABELS

        return SUMMARY_LABELS

    def thresholds(self) -> list[tuple[str, Any, str]]:
        """(name, value, why) of every threshold the run used."""
        return list(self.run.config.describe())

    @staticmethod
    def target_text(row: dict[str, Any]) -> str:
        """A result row's target as people read it: ``≥95%``, ``逐步提高``."""
        if row["kind"] == "directional":
            return DIRECTION_WORDS.get(row["direction"] or "", "")
        return f"{COMPARATOR_SIGNS.get(row['comparator'], '')}{_number(row['target_value'])}{row['unit']}"

    def to_dict(self) -> dict[str, Any]:
        run = self.run

        def rows(df: pl.DataFrame) -> list[dict[str, Any]]:
            return df.to_dicts()

        return {
            "year": run.year,
            "method": run.method,
            "method_label": self.method_label,
            "thresholds": [{"name": n, "value": v, "why": w} for n, v, w in run.config.describe()],
            "results": rows(run.result),
            "summaries": {
                "overall": rows(run.overall),
                "by_plan_domain": rows(run.by_domain),
                "by_plan": rows(run.by_plan),
                "by_area": rows(run.by_area),
                "by_lead_unit": rows(run.by_lead_unit),
            },
            "warnings": rows(run.warnings),
            "comparison": rows(run.comparison),
            "conflicts": rows(run.inputs.conflicts),
            "rollups": {
                parent: {"observations": rows(r.observations), "problems": rows(r.problems)}
                for parent, r in run.rollups.items()
            },
            "areas": run.inputs.areas,
        }

    def to_csv(self) -> str:
        """The verdicts, one row per judged target; lists joined with "；" (one cell each).

        Text fields that would start a formula in a spreadsheet are neutralised
        (:func:`planwatch.safe_output.csv_safe_frame`): plan and unit names come from documents.
        """
        import polars as pl

        from planwatch.safe_output import csv_safe_frame

        flat = self.run.result.with_columns(
            pl.col("warnings").list.join("；"),
            pl.col("hold_violations").cast(pl.List(pl.String)).list.join("；"),
            pl.col("outlier_years").cast(pl.List(pl.String)).list.join("；"),
        )
        text: str = csv_safe_frame(flat).write_csv()
        return text


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class ReportPlan:
    """The report files one request will write: the assessed data and one job per document."""

    data: ReportData
    jobs: list[Job]

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.data.year, "jobs": [{"kind": j.kind, "label": j.label} for j in self.jobs]}


@dataclass(frozen=True)
class ReportsWritten:
    paths: list[Path]

    def to_dict(self) -> dict[str, Any]:
        return {"files": [str(p) for p in self.paths]}


# --------------------------------------------------------------------------- exchange


@dataclass(frozen=True)
class DataExported:
    """Figures written for another system: SDMX-CSV 2.0, SDMX-ML 3.0 data, CSV or Excel."""

    path: Path
    format: str
    observations: int
    areas: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Figures the format could not hold, each with its reason."""

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "path": str(self.path)}


@dataclass(frozen=True)
class StructureExported:
    """The catalogue as an SDMX structure message (DSD, codelists, concepts)."""

    path: Path
    format: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format}


@dataclass(frozen=True)
class Pulled:
    """A city's pull of its districts' approved figures, part by part (one unit, area, year).

    ``batch`` is :class:`planwatch.exchange.pull.PullResult`. Nothing is stored unless every
    part was accepted (``stored``).
    """

    batch: Any

    @property
    def accepted(self) -> bool:
        return bool(self.batch.accepted)

    @property
    def stored(self) -> bool:
        return bool(self.batch.stored)

    @property
    def files(self) -> list[Any]:
        return list(self.batch.files)

    def to_dict(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "stored": self.stored, "files": [f.to_dict() for f in self.files]}


@dataclass(frozen=True)
class PulledRecord:
    """Where one pulled submission of a city came from (``planwatch pulled``)."""

    submission_id: int
    area_code: str
    unit: str
    year: int
    revision: int
    source_kind: str
    source: str
    source_submission_id: int | None
    source_revision: int | None
    source_approved_at: dt.datetime | None
    pulled_at: dt.datetime
    pulled_by: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__,
                "source_approved_at": self.source_approved_at.isoformat() if self.source_approved_at else None,
                "pulled_at": self.pulled_at.isoformat()}
