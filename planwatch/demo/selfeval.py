"""Synthetic self-evaluations for the demo, entered the way a unit would: through workbooks.

Each lead unit's workbook is written with a rating and evidence that say plainly they are
示例数据 in its input cells (where the template puts ratings already stored, so the file is
the one a unit would return: nothing but those cells differs from the blank template), and
imported with :func:`planwatch.collect.selfeval.importer.import_evaluations`,
so the demo exercises the same checks and history as real entries. Ratings are a
deterministic function of the target (mostly 完成, some 基本完成, a few 未完成), so two
demo builds give the same reports.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from sqlalchemy import select

from planwatch.collect.selfeval.cycles import check_cycle, cycle_label
from planwatch.collect.selfeval.importer import import_evaluations
from planwatch.collect.selfeval.targets import lead_units
from planwatch.collect.selfeval.template import (
    EvaluationRow,
    evaluation_filename,
    evaluation_spec,
    write_evaluation_template,
)
from planwatch.collect.template_key import template_key
from planwatch.demo.synthetic import LABEL
from planwatch.store.models import Area
from planwatch.store.workspace import Workspace

EVIDENCE = {
    "完成": "已按规划要求全面落实：制定年度工作方案，开展专项行动，相关制度文件已印发。",
    "基本完成": "主要任务已落实，部分街道工作进度滞后，计划下一年度完成剩余任务。",
    "未完成": "受机构调整影响，相关机制尚在起草，差距和原因已报区妇儿工委办公室。",
}


def demo_rating(target_id: int, unit_name: str, cycle: str) -> str:
    """About 60 % 完成, 30 % 基本完成, 10 % 未完成, fixed per target, unit and cycle."""
    key = f"{target_id}|{unit_name}|{cycle}".encode()
    bucket = int(hashlib.sha256(key).hexdigest()[:8], 16) % 10
    return "完成" if bucket < 6 else "基本完成" if bucket < 9 else "未完成"


def add_demo_self_evaluations(ws: Workspace, cycle: str, actor: str) -> int:
    """Write, fill and import every lead unit's workbook for ``cycle``; returns ratings stored.

    Raises ``RuntimeError`` if any workbook is rejected: the demo's own input must be valid.
    """
    cycle = check_cycle(cycle)
    with tempfile.TemporaryDirectory(prefix="planwatch-selfeval-") as tmp:
        paths: list[Path] = []
        with ws.sessions() as s:
            key = template_key(s)
            areas = s.scalars(select(Area)).all()  # held, so that each unit's area is read once
            for unit in lead_units(s):
                spec = evaluation_spec(s, unit, cycle, key)
                if not spec.rows:
                    continue
                spec.label = LABEL
                spec.rows = [_filled(row, spec.unit_name, cycle) for row in spec.rows]
                paths.append(write_evaluation_template(spec, Path(tmp) / evaluation_filename(spec)))
            del areas
        result = import_evaluations(ws, paths, actor)
    rejected = [f for f in result.files if not f.accepted]
    if rejected:
        first = rejected[0].report
        raise RuntimeError(f"示例自评表被拒绝 demo workbook rejected: {first.file}: "
                           + "；".join(p.message for p in first.errors[:3]))
    return sum(f.entered + f.replaced + f.unchanged for f in result.files)


def _filled(row: EvaluationRow, unit_name: str, cycle: str) -> EvaluationRow:
    """The row as the demo's unit fills it in (written straight into the workbook instead of
    saving a blank one and opening it again: the same cells, without a second write)."""
    rating = demo_rating(row.target.id, unit_name, cycle)
    evidence = f"【{LABEL}】{unit_name}{cycle_label(cycle)}自评：{EVIDENCE[rating]}"
    return EvaluationRow(row.target, rating, evidence)
