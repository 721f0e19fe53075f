"""What the report builders read: the assessment and the figures behind it.

``ReportData`` bundles the frames of ``planwatch.assess`` (its result, the observations it
judged, the self-evaluations) with the few catalogue facts the assessment does not carry
(area names, responsible units, who reports which indicator, plan metadata). Builders are
pure functions of it, so tests feed them small hand-made frames and the CLI feeds them
the workspace.

Frames and their columns:

result            ``planwatch.assess.assess`` output (``RESULT_COLUMNS``); builders read
                  target_id, indicator_code, indicator_name, area_code, breakdown, plan,
                  domain, lead_unit, kind, comparator, direction, unit, baseline_year,
                  baseline_value, latest_year, latest_value, target_value, target_year,
                  gap, annual_change, projection, projection_method, method, status,
                  warnings, warning_notes, reason.
observations      indicator_code, area_code, breakdown, year, value (approved figures).
self_evaluations  ``planwatch.assess.self_evaluations_frame`` columns.
target_units      target_id, unit, role ("lead" | "responsible"), seq.
reporters         indicator_code, area_code, unit: who must report an indicator.
plans             plan, area_code, subject, issuer, doc_number, period_start, period_end.
late              ``planwatch.assess.frames.LATE_SCHEMA``: approved submissions handed in
                  after their deadline (迟报), up to the report year.
conflicts         ``planwatch.assess.frames.CONFLICT_SCHEMA``: figures two units reported
                  differently, left out of the assessment (数据冲突), up to the report year.

qualitative_units area_code, plan, domain, target_text, unit, role ("lead" | "responsible"),
                  seq: the units of each 定性评价 target, in the plan's order (the 任务分工表
                  lists them with their self-evaluations, 未报送 where a unit rated none).
pending           indicator_code, area_code, year: figures reported (报送/审核中) but not yet
                  approved; a chart draws such a year as 待审定 instead of an empty slot.
documents         area_code, unit, year, filename, text: the units' written yearly reports
                  (规划落实情况和下一年工作安排) as extracted text; the annual report quotes
                  what they say they did and what problems they name.

``breakdown_order`` maps an indicator code to its breakdown keys in the order the
catalogue declares them (合计, 女, 男, 城镇, 农村 …); keys it does not name sort after them
in a fixed default order, so hand-built data needs none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

import polars as pl

from planwatch.assess import status as st
from planwatch.assess.config import AssessConfig
from planwatch.assess.frames import CONFLICT_SCHEMA, LATE_SCHEMA
from planwatch.assess.reasons import warning_note
from planwatch.assess.summary import status_attainment
from planwatch.errors import PlanwatchError
from planwatch.vocabulary import RESIDENCE, SEX, TOTAL

RESULT_REQUIRED = (
    "target_id", "indicator_code", "indicator_name", "area_code", "breakdown", "plan",
    "domain", "lead_unit", "kind", "comparator", "direction", "unit", "baseline_year",
    "baseline_value", "latest_year", "latest_value", "target_value", "target_year", "gap",
    "annual_change", "status", "warnings", "reason",
)
OBSERVATIONS_REQUIRED = ("indicator_code", "area_code", "breakdown", "year", "value")

UNIT_SEPARATORS = ("、", "，", ",", "；", ";")

SELF_EVALUATIONS_COLUMNS: dict[str, pl.DataType] = {
    "area_code": pl.String(), "target_text": pl.String(), "lead_unit": pl.String(),
    "plan": pl.String(), "domain": pl.String(), "year": pl.Int32(), "rating": pl.String(),
    "evidence": pl.String(),
}
TARGET_UNITS_COLUMNS: dict[str, pl.DataType] = {
    "target_id": pl.String(), "unit": pl.String(), "role": pl.String(), "seq": pl.Int32(),
}
REPORTERS_COLUMNS: dict[str, pl.DataType] = {
    "indicator_code": pl.String(), "area_code": pl.String(), "unit": pl.String(),
}
PENDING_COLUMNS: dict[str, pl.DataType] = {
    "indicator_code": pl.String(), "area_code": pl.String(), "year": pl.Int32(),
}
PLANS_COLUMNS: dict[str, pl.DataType] = {
    "plan": pl.String(), "area_code": pl.String(), "subject": pl.String(),
    "issuer": pl.String(), "doc_number": pl.String(), "period_start": pl.Int32(),
    "period_end": pl.Int32(),
}


DOCUMENTS_COLUMNS: dict[str, pl.DataType] = {
    "area_code": pl.String(), "unit": pl.String(), "year": pl.Int32(),
    "filename": pl.String(), "text": pl.String(),
}


QUALITATIVE_UNITS_COLUMNS: dict[str, pl.DataType] = {
    "area_code": pl.String(), "plan": pl.String(), "domain": pl.String(),
    "target_text": pl.String(), "unit": pl.String(), "role": pl.String(), "seq": pl.Int32(),
}


class ReportDataError(PlanwatchError, ValueError):
    """The frames given to a builder lack columns it needs; the message names them."""

    code = "report.data"


T = TypeVar("T")


def _empty(schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def _check(df: pl.DataFrame, required: Iterable[str], name: str) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ReportDataError(
            f"报告数据 {name} 缺少列 missing columns: {', '.join(missing)}"
        )


@dataclass
class ReportData:
    year: int
    result: pl.DataFrame
    observations: pl.DataFrame
    areas: dict[str, str] = field(default_factory=dict)
    self_evaluations: pl.DataFrame = field(
        default_factory=lambda: _empty(SELF_EVALUATIONS_COLUMNS)
    )
    target_units: pl.DataFrame = field(default_factory=lambda: _empty(TARGET_UNITS_COLUMNS))
    reporters: pl.DataFrame = field(default_factory=lambda: _empty(REPORTERS_COLUMNS))
    plans: pl.DataFrame = field(default_factory=lambda: _empty(PLANS_COLUMNS))
    config: AssessConfig = field(default_factory=AssessConfig)
    issuer: str = ""
    late: pl.DataFrame = field(default_factory=lambda: _empty(LATE_SCHEMA))
    conflicts: pl.DataFrame = field(default_factory=lambda: _empty(CONFLICT_SCHEMA))
    breakdown_order: dict[str, list[str]] = field(default_factory=dict)
    sample_label: str = ""
    """示例数据（非真实统计） for a demo workspace (``planwatch.report.sample``), else ""."""
    pending: pl.DataFrame = field(default_factory=lambda: _empty(PENDING_COLUMNS))
    qualitative_units: pl.DataFrame = field(
        default_factory=lambda: _empty(QUALITATIVE_UNITS_COLUMNS)
    )
    documents: pl.DataFrame = field(default_factory=lambda: _empty(DOCUMENTS_COLUMNS))
    date: dt.date | None = None
    """The day the reports are dated (落款, file properties), as the user chose it; None:
    the day each is written (``planwatch.report.dating.report_date``)."""

    def __post_init__(self) -> None:
        _check(self.result, RESULT_REQUIRED, "result")
        _check(self.observations, OBSERVATIONS_REQUIRED, "observations")
        _check(self.self_evaluations, ("area_code", "target_text", "rating"), "self_evaluations")
        _check(self.target_units, ("target_id", "unit", "role"), "target_units")
        _check(self.reporters, REPORTERS_COLUMNS, "reporters")
        _check(self.late, LATE_SCHEMA, "late")
        _check(self.conflicts, CONFLICT_SCHEMA, "conflicts")
        self.result = with_warning_notes(self.result, self.year, self.config)
        self._series: dict[tuple[str, str, str], dict[int, float]] | None = None
        # Lazily built indexes (None until first used); a province's report data holds
        # every area, so a scan of a frame per lookup would grow with the province.
        self._keys: dict[tuple[str, str], list[str]] | None = None
        self._units: tuple[pl.DataFrame, dict[tuple[str, str], list[str]]] | None = None
        self._pending: tuple[pl.DataFrame, dict[tuple[str, str], set[int]]] | None = None
        self._reporters: tuple[pl.DataFrame, dict[tuple[str, str], list[str]]] | None = None
        self._evaluations: tuple[pl.DataFrame, dict[tuple[Any, ...], pl.DataFrame]] | None = None
        self._derived: dict[tuple[Any, ...], Any] | None = None

    def for_area(self, area_code: str) -> ReportData:
        """This data with only ``area_code``'s rows: what a document of one area reads.

        A province's data holds every district, and a builder filters its frames many
        times per document, so each filter scanned them all and a document cost more the
        more districts the province had. Scoped once per area (``derived``), its documents
        filter their own rows only. Frames without an area column are kept whole, and the
        targets' units are those of the area's targets.
        """
        return self.derived(("area", area_code), lambda: self._only_area(area_code))

    def _only_area(self, area_code: str) -> ReportData:
        only: dict[str, Any] = {}
        for f in fields(self):
            frame = getattr(self, f.name)
            if isinstance(frame, pl.DataFrame) and "area_code" in frame.columns:
                only[f.name] = frame.filter(pl.col("area_code") == area_code)
        if "target_id" in self.result.columns and "target_id" in self.target_units.columns:
            ids = only["result"].get_column("target_id").unique()
            only["target_units"] = self.target_units.filter(pl.col("target_id").is_in(ids.implode()))
        return replace(self, **only)

    def derived(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """What ``make`` derives from this data, made once per ``key``: builders derive some
        things (a plan's warning entries, an area's member order) in two parts of one report
        and again for the next plan of the area. The data does not change after loading,
        so neither does what is derived from it; callers must not change the value."""
        if self._derived is None:
            self._derived = {}
        if key not in self._derived:
            self._derived[key] = make()
        value: T = self._derived[key]
        return value

    # ------------------------------------------------------------------ lookups

    def area_name(self, code: str) -> str:
        return self.areas.get(code, code)

    def plan_titles(self, area_code: str | None = None) -> list[str]:
        df = self.result if area_code is None else self.result.filter(
            pl.col("area_code") == area_code
        )
        return [p for p in df.get_column("plan").unique(maintain_order=True).to_list() if p]

    def is_multi_year(self, plan: str) -> bool:
        """Mid-term and final evaluations only make sense for a plan spanning several years."""
        rows = self.plans.filter(pl.col("plan") == plan)
        if rows.height == 0:
            return True  # plan metadata unknown (hand-built data): do not hide the plan
        return any(
            start is not None and end is not None and end > start
            for start, end in rows.select("period_start", "period_end").iter_rows()
        )

    def area_codes(self) -> list[str]:
        return self.result.get_column("area_code").unique(maintain_order=True).to_list()

    def series(self, indicator: str, area: str, breakdown: str = TOTAL) -> dict[int, float]:
        """Year → value of one series, up to the report year."""
        if self._series is None:
            index: dict[tuple[str, str, str], dict[int, float]] = {}
            obs = self.observations.filter(pl.col("year") <= self.year)
            keys: dict[tuple[str, str], list[str]] = {}
            for code, a, b, y, v in obs.select(OBSERVATIONS_REQUIRED).iter_rows():
                if (code, a, b) not in index:
                    keys.setdefault((code, a), []).append(b)
                index.setdefault((code, a, b), {})[int(y)] = float(v)
            self._series = index
            self._keys = keys
        return self._series.get((indicator, area, breakdown), {})

    def pending_years(self, indicator: str, area: str) -> list[int]:
        """Years up to the report year whose figure is reported but awaits approval (no
        approved figure of the whole series yet): charts mark them 待审定."""
        approved = self.series(indicator, area)
        if self._pending is None or self._pending[0] is not self.pending:
            # One pass over the frame instead of a filter per chart; rebuilt if the frame
            # was replaced since (as tests do).
            index: dict[tuple[str, str], set[int]] = {}
            rows = self.pending.filter(pl.col("year") <= self.year)
            for code, a, y in rows.select("indicator_code", "area_code", "year").iter_rows():
                index.setdefault((code, a), set()).add(int(y))
            self._pending = (self.pending, index)
        return sorted(self._pending[1].get((indicator, area), set()) - set(approved))

    def evaluations_of(self, area: str, plan: str) -> pl.DataFrame:
        """The self-evaluations of one area's plan up to the report year, in the frame's
        order: the frame is split by area and plan once, not filtered for every domain."""
        if self._evaluations is None or self._evaluations[0] is not self.self_evaluations:
            rows = self.self_evaluations.filter(pl.col("year") <= self.year)
            parts = rows.partition_by(["area_code", "plan"], as_dict=True, maintain_order=True)
            self._evaluations = (self.self_evaluations, parts)
        found = self._evaluations[1].get((area, plan))
        return found if found is not None else self.self_evaluations.clear()

    def reporters_of(self, indicator: str, area: str) -> list[str]:
        """The units that report ``indicator`` for ``area``, in the frame's order, each once."""
        if self._reporters is None or self._reporters[0] is not self.reporters:
            index: dict[tuple[str, str], list[str]] = {}
            if self.reporters.height:
                for code, a, unit in self.reporters.select(
                        "indicator_code", "area_code", "unit").iter_rows():
                    units = index.setdefault((code, a), [])
                    if unit not in units:
                        units.append(unit)
            self._reporters = (self.reporters, index)
        return list(self._reporters[1].get((indicator, area), []))

    def breakdowns(self, indicator: str, area: str) -> list[str]:
        if self._keys is None:
            self.series(indicator, area)
        assert self._keys is not None
        return self.ordered_breakdowns(indicator, self._keys.get((indicator, area), []))

    def ordered_breakdowns(self, indicator: str, keys: Iterable[str]) -> list[str]:
        """``keys`` of ``indicator`` in the catalogue's order (合计, 女, 男, 城镇, 农村 …)."""
        return sort_breakdowns(keys, self.breakdown_order.get(indicator, ()))

    def units_of(self, target_id: str | None, role: str) -> list[str]:
        if target_id is None or self.target_units.is_empty():
            return []
        if self._units is None or self._units[0] is not self.target_units:
            # (rebuilt if the frame was replaced since, as tests do)
            rows = self.target_units
            if "seq" in rows.columns:
                rows = rows.sort("seq", maintain_order=True)
            index: dict[tuple[str, str], list[str]] = {}
            for tid, unit, r in rows.select("target_id", "unit", "role").iter_rows():
                index.setdefault((tid, r), []).append(unit)
            self._units = (self.target_units, index)
        return list(self._units[1].get((target_id, role), []))

    def plan_info(self, plan: str) -> dict[str, Any]:
        if self.plans.is_empty() or "plan" not in self.plans.columns:
            return {}
        rows = self.plans.filter(pl.col("plan") == plan)
        return rows.row(0, named=True) if rows.height else {}


_DIMENSION_RANK = {"sex": 0, "age_group": 1, "residence": 2}
_CATEGORY_RANK = {c: i for i, c in enumerate((*SEX, *RESIDENCE))}


def _default_rank(key: str) -> tuple[Any, ...]:
    """合计, then sex (女, 男), age groups by their lower bound, residence (城镇, 农村)."""
    if key == TOTAL:
        return (0,)
    ranks: list[tuple[Any, ...]] = []
    for pair in key.split(";"):
        dim, _, cat = pair.partition("=")
        lower = cat.removesuffix("岁").split("-")[0].rstrip("+")
        if cat in _CATEGORY_RANK:
            within: tuple[Any, ...] = (0, _CATEGORY_RANK[cat], "")
        elif lower.isdigit():
            within = (1, int(lower), cat)
        else:
            within = (2, 0, cat)
        ranks.append((_DIMENSION_RANK.get(dim, len(_DIMENSION_RANK)), dim, *within))
    return (1, *ranks)


def sort_breakdowns(keys: Iterable[str], declared: Iterable[str] = ()) -> list[str]:
    """Breakdown keys in the catalogue's declared order; others after, in the default order.

    Alphabetical order would put 农村 (rural) before 城镇 (urban) and 60+ before 18-34;
    the compendium and the warning lists follow the order the catalogue declares instead.
    """
    position = {k: i for i, k in enumerate(declared)}
    return sorted(set(keys), key=lambda k: (
        (0, 0) if k == TOTAL else (1, position[k]) if k in position else (2, 0),
        _default_rank(k),
    ))


def note_column(warning: str) -> str:
    return f"_note_{warning}"


def with_warning_notes(result: pl.DataFrame, year: int, config: AssessConfig) -> pl.DataFrame:
    """Add one column per warning with the sentence explaining it (null where not raised).

    The assessment builds these sentences lazily (only for rows that carry the warning);
    reports need them for exactly those rows, so they are formatted here with the
    assessment's own wording (``planwatch.assess.reasons.warning_note``).
    """
    notes = {
        warning: warning_note(warning, year, config)
        for warning in st.WARNINGS
        if note_column(warning) not in result.columns
    }
    if not notes:
        return result
    empty = result.head(0)
    try:  # the columns the notes need exist? One query for all: each costs 0.3 ms.
        empty.select(note.alias(note_column(w)) for w, note in notes.items())
    except pl.exceptions.PolarsError:
        notes = {w: note if _plannable(empty, note) else pl.col("reason") for w, note in notes.items()}
    return result.with_columns(
        pl.when(pl.col("warnings").list.contains(w)).then(note).alias(note_column(w))
        for w, note in notes.items()
    )


def _plannable(empty: pl.DataFrame, note: pl.Expr) -> bool:
    try:
        empty.select(note)
    except pl.exceptions.PolarsError:
        return False
    return True


def split_units(text: str | None) -> list[str]:
    """``区卫生健康局、区妇联`` → two units; the assessment joins several lead units."""
    if not text:
        return []
    parts = [text]
    for sep in UNIT_SEPARATORS:
        parts = [q for p in parts for q in p.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def better_of(comparator: str | None, direction: str | None) -> str:
    """Which way is progress: higher, lower or hold (as the assessment derives it)."""
    if comparator in (">=", ">") or direction == "increase":
        return "higher"
    if comparator in ("<=", "<") or direction in ("decrease", "eliminate"):
        return "lower"
    return "hold"


def headline_rows(result: pl.DataFrame) -> pl.DataFrame:
    """One row per target: its total series, or its first breakdown if it has no total.

    Attainment is counted per target, not per breakdown (a target with a female and a
    male series is still one target of the plan).
    """
    if result.is_empty():
        return result
    ranked = result.with_columns(
        _rank=pl.when(pl.col("breakdown") == TOTAL).then(0).otherwise(1),
        _key=pl.coalesce(
            pl.col("target_id"),
            pl.concat_str([pl.col("indicator_code"), pl.col("area_code"), pl.col("plan")],
                          separator="|"),
        ),
        _pos=pl.int_range(pl.len()),
    )
    first = ranked.sort(["_rank", "_pos"]).unique("_key", keep="first", maintain_order=True)
    return first.sort("_pos").drop("_rank", "_key", "_pos")


@dataclass(frozen=True)
class Attainment:
    """Counts of each status and the attainment rate of some headline rows, as computed by
    ``planwatch.assess.summary.attainment`` (达标率 = 已实现 ÷ 可监测, 可监测 = all but
    数据不足); the report only adds the wording's derived counts. 基本实现 is reported
    beside the rate, not inside it, so that the rate means what it says.
    """

    counts: dict[str, int]
    """status → count, in ``STATUSES`` order (the status tables' column order)."""
    monitorable: int
    rate: float | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def met(self) -> int:
        return self.counts.get(st.ACHIEVED, 0)

    @property
    def gap_count(self) -> int:
        """尚有差距: monitorable but neither achieved nor basically achieved."""
        return self.monitorable - self.met - self.counts.get(st.BASICALLY_ACHIEVED, 0)


def attainment(rows: pl.DataFrame) -> Attainment:
    """Attainment of ``rows`` as given: callers pass ``headline_rows`` (one per target)."""
    counts, monitorable, rate = status_attainment(rows.get_column("status").to_list())
    return Attainment(counts, monitorable, rate)


def finite(value: Any) -> float | None:
    """A float, or None for null/NaN, so formatting never prints nan."""
    if value is None:
        return None
    f = float(value)
    return None if math.isnan(f) else f
