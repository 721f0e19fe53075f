"""``build_demo``: a complete demo workspace from the two seed plans, 2020–2024.

The workspace is created by the store's own ``init_workspace`` from examples/plans/. Then,
for every year and every unit with measurable indicators, the demo writes that unit's
template, fills it with synthetic figures (labelled 示例数据，非真实统计 in the workbook, the
submissions and workspace.yaml) and imports it through :func:`import_files` — the very path a
real workbook takes, validation included. Submissions then move through the workflow with
fixed timestamps: most on time and approved; some late; in the last year a few units never
report, some wait for review and one is returned with a comment.

Before any figure, the statistics bureau's catalogue edits (breakdowns by sex, age group and
城镇/农村, with definitions) go in through the catalogue YAML, so templates carry breakdown
rows whose parts add up to the total. In the year before the last, one unit's first workbook
carries a classic clerk's slip — one category's row copied from last year's table — and is
rejected by the breakdown sum check; the corrected workbook is imported two days later.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect import history
from planwatch.collect.catalogue import ImportCatalogue
from planwatch.collect.context import IndicatorSpec
from planwatch.collect.documents import attach_document
from planwatch.collect.fill import Figure
from planwatch.collect.importer import import_files, load_catalogue
from planwatch.collect.status import CHINA_TZ, collection_status
from planwatch.collect.template import (
    reporting_units,
    template_filename,
    template_spec,
    unit_template,
    write_template,
)
from planwatch.collect.workflow import approve, return_submission, review, submit
from planwatch.demo.catalogue_edits import apply_catalogue_edits
from planwatch.demo.selfeval import add_demo_self_evaluations
from planwatch.demo.synthetic import (
    LABEL,
    SCENARIO_LABELS,
    Target,
    breakdown_figures,
    figure,
    series,
)
from planwatch.store import models as m
from planwatch.store.workspace import Workspace, WorkspaceError, init_workspace

PLANS_DIR = Path(__file__).resolve().parents[2] / "examples" / "plans"
SEED_PLANS = ("jinan-shizhong-2022-7.txt", "shanting-gazette-2022-1.md")
YEARS = range(2020, 2025)
ACTOR_STATS = "区统计局（示例）"
ACTOR_OFFICE = "区妇儿工委办公室（示例）"
RETURN_COMMENT = "部分指标与上年相比变化较大，请核实后重新报送（示例）"
AS_OF = dt.date(2025, 6, 30)
"""The day the demo's status summary is judged on, fixed so the summary never changes."""


@dataclass
class DemoSummary:
    path: Path
    years: list[int]
    areas: list[str] = field(default_factory=list)
    units: int = 0
    workbooks: int = 0
    submissions: int = 0
    observations: int = 0
    warnings: int = 0
    documents: int = 0
    states: dict[str, int] = field(default_factory=dict)
    scenarios: dict[str, int] = field(default_factory=dict)
    late: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    catalogue_edits: int = 0
    """changes the demo's catalogue YAML made (breakdowns, definitions)."""
    breakdown_indicators: list[str] = field(default_factory=list)
    """codes of the indicators reported by sex, age group or 城镇/农村."""
    breakdown_observations: int = 0
    rejected: list[str] = field(default_factory=list)
    """workbooks refused by validation (and then corrected), with the problem found."""
    self_evaluations: int = 0
    """mid-term self-evaluations of qualitative targets entered by the lead units."""

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "path": str(self.path)}


def _at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=CHINA_TZ)


def _plan_files(plans_dir: Path | None) -> list[Path]:
    base = plans_dir or PLANS_DIR
    files = [base / name for name in SEED_PLANS]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"找不到示例规划文件 seed plans not found: {', '.join(missing)}")
    return files


def remove_demo_workspace(path: str | Path) -> bool:
    """Delete an earlier demo workspace so the demo can be rebuilt from scratch.

    Only a folder whose workspace.yaml carries the ``demo`` section written by `build_demo`
    is removed: a real workspace (or any other folder) is never deleted.
    """
    import shutil

    import yaml

    folder = Path(path)
    config = folder / "workspace.yaml"
    if not folder.exists():
        return False
    if not config.is_file():
        raise WorkspaceError(f"{folder} 不是演示工作区（没有 workspace.yaml），未删除")
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or "demo" not in data or data.get("database_url"):
        raise WorkspaceError(f"{folder} 不是本地演示工作区，未删除")
    shutil.rmtree(folder)
    return True


def build_demo(
    path: str | Path,
    *,
    years: range = YEARS,
    database_url: str | None = None,
    plans_dir: Path | None = None,
) -> DemoSummary:
    """Create the demo workspace at ``path`` (which must not be a workspace yet)."""
    ws = init_workspace(path, _plan_files(plans_dir), database_url, actor="planwatch demo")
    try:
        return _fill(ws, years)
    finally:
        ws.close()


def _fill(ws: Workspace, years: range) -> DemoSummary:
    summary = DemoSummary(path=ws.path, years=list(years))
    setattr(ws.config, "demo", {"label": LABEL, "years": list(years)})  # noqa: B010
    ws.save_config()
    with ws.session() as s:
        summary.catalogue_edits = len(apply_catalogue_edits(s))
    with ws.sessions() as s:
        # What each unit's template shows apart from last year's figures, read once for
        # all the years.
        bases = [unit_template(s, u) for u in reporting_units(s)]
        units = [b for b in bases if any(i.measurable for i in b.indicators)]
        summary.areas = sorted({u.area_code for u in units})
        # Keyed by series: a figure shared by two plans' indicators is generated once.
        targets = {
            (tv.area_code, tv.indicator_id): Target(tv.comparator, tv.value, tv.relative)
            for tv in s.scalars(select(m.TargetValue).order_by(m.TargetValue.id.desc()))
        }
        plan = [(u, [i for i in u.indicators if i.measurable]) for u in units]
    summary.units = len(plan)
    summary.breakdown_indicators = sorted({i.code for *_, specs in plan for i in specs if i.dims})
    scenario_seen: dict[tuple[str, str], str] = {}
    last = years[-1] if len(years) else None
    slip_year = years[-2] if len(years) >= 2 else None
    # The catalogue is final once the edits are in: every import below checks against it.
    catalogue = load_catalogue(ws)
    with tempfile.TemporaryDirectory(prefix="planwatch-demo-") as tmp:
        out_dir = Path(tmp)
        for year in years:
            deadline = ws.config.deadlines.due("annual_data", year)
            # Last year's approved figures do not change while this year's workbooks go in
            # (they add figures of this year only): read once per area for all its units.
            with ws.sessions() as s:
                last_year = {area: history.series(s, area, years=[year - 1]) for area in summary.areas}
                templates = [template_spec(s, base, year, deadline=deadline.isoformat(),
                                           last=last_year[base.area_code]) for base, _ in plan]
            for k, (base, specs) in enumerate(plan):
                unit_id, area, unit_name = base.unit_id, base.area_code, base.unit_name
                role = _role(k, year, last)
                if role == "missing":
                    summary.missing.append(f"{area} {unit_name} {year}")
                    continue
                figures: dict[tuple[str, str], Figure] = {}
                slip: dict[tuple[str, str], Figure] = {}
                for spec in specs:
                    tgt = targets.get((area, spec.id), Target(None, None))
                    scen, values = series(area, spec, tgt, years)
                    scenario_seen[(area, spec.code)] = scen
                    figures.update(_figures(area, spec, values[year], year))
                    if year == slip_year and role == "approved" and not summary.rejected \
                            and not slip and values.get(year - 1) is not None:
                        slip = _copied_from_last_year(area, spec, values, year, figures)
                spec_t = templates[k]
                spec_t.label = LABEL
                day = 1 + (k * 3) % 25
                imported_at = _at(year + 1, 3 if role != "late" else 4, day)
                if slip:
                    first = write_template(spec_t, out_dir / f"误填_{template_filename(spec_t)}",
                                           {**figures, **slip})
                    summary.workbooks += 1
                    (code, key), = slip
                    summary.rejected.append(_expect_breakdown_rejection(
                        ws, first, f"{area} {unit_name} {year}年 {code}“{bd.label(key)}”分组",
                        unit_name, imported_at, catalogue))
                    imported_at += dt.timedelta(days=2)
                wb = write_template(spec_t, out_dir / template_filename(spec_t), figures)
                summary.workbooks += 1
                result = import_files(ws, [wb], f"{unit_name}（示例）", now=imported_at,
                                      catalogue=catalogue)
                file = result.files[0]
                if not file.accepted:
                    raise RuntimeError(f"示例数据未通过校验 demo data rejected: {file.to_dict()}")
                assert file.submission_id is not None
                if role == "late":
                    summary.late.append(f"{area} {unit_name} {year}")
                # One transaction for the report and the workflow that follows it: the rows
                # and their order are those of one transaction each, with one commit fewer.
                # The unit is held while it lasts: every transition names it, and the
                # session keeps only objects still referenced (else one query each).
                with ws.session() as s:
                    unit = s.get(m.Unit, unit_id)
                    assert unit is not None
                    if year >= years[-1] - 1:
                        # The written report goes in with the figures: once they are approved
                        # it is locked with them.
                        _attach_report(s, unit, area, year, specs, out_dir, imported_at)
                        summary.documents += 1
                    _advance(s, file.submission_id, unit_name, role, imported_at)
    summary.scenarios = dict(Counter(SCENARIO_LABELS[v] for v in scenario_seen.values()))
    with ws.sessions() as s:
        summary.submissions = s.scalar(select(func.count()).select_from(m.Submission)) or 0
        summary.observations = s.scalar(select(func.count()).select_from(m.Observation)) or 0
        summary.breakdown_observations = s.scalar(
            select(func.count()).select_from(m.Observation)
            .where(m.Observation.breakdown != bd.TOTAL)) or 0
        summary.warnings = s.scalar(select(func.count()).select_from(m.StoredProblem)) or 0
        summary.states = dict(Counter(s.scalars(select(m.Submission.state))))
    summary.self_evaluations = add_demo_self_evaluations(ws, "midterm", "planwatch demo")
    return summary


def _figures(
    area: str, spec: IndicatorSpec, value: float | None, year: int
) -> dict[tuple[str, str], Figure]:
    """The total's cells and, where the catalogue asks for them, the breakdown rows'."""
    total = figure(area, spec, value, year)
    out = {(spec.code, bd.TOTAL): total}
    for key, part in breakdown_figures(area, spec, total, year).items():
        out[(spec.code, key)] = part
    return out


def _copied_from_last_year(
    area: str, spec: IndicatorSpec, values: dict[int, float | None], year: int,
    figures: dict[tuple[str, str], Figure],
) -> dict[tuple[str, str], Figure]:
    """The last category's row of the first rate breakdown, as last year's table had it.

    Each figure is consistent on its own (value = numerator ÷ denominator), so only the
    breakdown sum check can notice that the parts no longer add up to this year's total.
    """
    if not (spec.is_rate and spec.dims):
        return {}
    key = bd.key(spec.dims[0].name, spec.dims[0].categories[-1])
    before = _figures(area, spec, values[year - 1], year - 1).get((spec.code, key))
    now = figures.get((spec.code, key))
    if before is None or now is None or before.denominator == now.denominator:
        return {}
    return {(spec.code, key): before}


def _expect_breakdown_rejection(
    ws: Workspace, workbook: Path, where: str, unit_name: str, at: dt.datetime,
    catalogue: ImportCatalogue,
) -> str:
    """Import the slipped workbook; it must be refused by the breakdown rules, and only them."""
    result = import_files(ws, [workbook], f"{unit_name}（示例）", now=at, catalogue=catalogue)
    file = result.files[0]
    codes = sorted({p.code for p in file.report.errors})
    if file.accepted or not codes or not all(c.startswith("breakdown-") for c in codes):
        raise RuntimeError(f"示例误填工作簿未按预期被拒绝 demo slip not caught as expected: "
                           f"{file.to_dict()}")
    first = file.report.errors[0]
    return (f"{where}误填上年数据，被拒绝：{first.message}（{first.code}，{first.place}）；"
            "更正后重新导入")


def _role(k: int, year: int, last: int | None) -> str:
    """What happens to unit number ``k``'s report of ``year`` (fixed, so the demo is stable)."""
    if year == last:
        if k % 6 == 5:
            return "missing"
        if k % 6 == 4:
            return "awaiting-review"
        if k % 6 == 3:
            return "awaiting-approval"
        if k == 2:
            return "returned"
    if k % 7 == 3 and year >= 2022:
        return "late"
    return "approved"


def _advance(s: Session, sub_id: int, unit_name: str, role: str, at: dt.datetime) -> None:
    submit(s, sub_id, f"{unit_name}（示例）", comment=LABEL, at=at + dt.timedelta(hours=2))
    if role == "awaiting-review":
        return
    if role == "returned":
        return_submission(s, sub_id, ACTOR_STATS, RETURN_COMMENT, at=at + dt.timedelta(days=7))
        return
    review(s, sub_id, ACTOR_STATS, at=at + dt.timedelta(days=10))
    if role == "awaiting-approval":
        return
    approve(s, sub_id, ACTOR_OFFICE, at=at + dt.timedelta(days=20))


def _attach_report(
    s: Session, unit: m.Unit, area: str, year: int, specs: list[Any], out_dir: Path,
    at: dt.datetime,
) -> None:
    unit_name = unit.name
    names = "、".join(spec.name for spec in specs[:4])
    text = (
        f"【{LABEL}】\n{unit_name}{year}年规划落实情况和{year + 1}年工作安排\n\n"
        f"一、规划落实情况\n{year}年，我单位认真落实妇女儿童发展规划，重点推进{names}等指标相关工作，"
        "完善部门协作机制，按时报送监测数据。\n"
        "二、存在的问题\n部分指标统计口径有待统一，基层数据质量仍需提高。\n"
        f"三、{year + 1}年工作安排\n继续加强监测统计，推动规划目标如期实现。\n"
    )
    doc = out_dir / f"{year}_{area}_{unit_name}_规划落实情况和下一年工作安排.txt"
    doc.write_text(text, encoding="utf-8")
    attach_document(s, unit, year, doc, f"{unit_name}（示例）", at=at)


def demo_status(ws: Workspace, year: int) -> list[Any]:
    """The status table the demo summary shows, judged on the fixed :data:`AS_OF` day."""
    with ws.sessions() as s:
        return collection_status(s, year, ws.config.deadlines.due("annual_data", year), AS_OF)
