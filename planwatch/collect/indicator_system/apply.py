"""Applying a matched 监测指标体系: monitoring modes, definitions and units, all or nothing."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch import vocabulary as vocab
from planwatch.collect.indicator_system.matching import Change, MatchReport
from planwatch.collect.indicator_system.table import IndicatorSystemError
from planwatch.plan.model import UNITS
from planwatch.store import models as db
from planwatch.store.catalogue_loader import RATE_BASES, natural_limits
from planwatch.store.monitoring import monitoring_problem

_UNIT_SPELLINGS = {
    "％": "%", "%": "%", "百分比": "%", "‰": "‰", "千分比": "‰", "1/10万": "/10万", "/10万": "/10万",
    "每10万": "/10万", "1/100000": "/10万", "/100000": "/10万", "1/万": "/万", "/万": "/万",
    "/千": "/千", "每千人": "/千", "每千名": "/千", "个/千人": "/千", "张/千人": "/千",
    "人": "人", "名": "名", "个": "个", "所": "所", "家": "家", "项": "项", "次": "次", "岁": "岁",
    "年": "年", "小时": "小时", "天": "天", "工作日": "工作日", "张": "张", "比": "比", "比值": "比",
    "百分点": "百分点", "个百分点": "百分点", "亿元": "亿元", "万元": "万元", "元": "元",
    "平方米": "平方米", "无": "", "-": "", "—": "", "/": "",
}  # fmt: skip


def canonical_unit(text: str) -> str | None:
    """The catalogue's spelling of a table's unit (％ → %, 1/10万 → /10万), None if unknown."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if key in UNITS:
        return key
    return _UNIT_SPELLINGS.get(key)


def _target_modes(report: MatchReport) -> dict[int, tuple[str, str]]:
    """target id → (mode, where): a target is 量化监测 if any of its matched rows is 定量."""
    rank = {"quantitative": 0, "qualitative": 1, "excluded": 2}
    modes: dict[int, tuple[str, str]] = {}
    for match in report.matched:
        if match.row.mode is None:
            continue
        if not match.item.target_ids:
            report.notes.append(
                f"{match.row.where}“{match.row.name}”只见于策略措施，没有对应的主要目标，"
                "监测方式不变（按量化监测）(only in a measure: mode not stored)"
            )
        for tid in match.item.target_ids:
            old = modes.get(tid)
            if old is not None and old[0] != match.row.mode:
                report.notes.append(
                    f"{match.row.where}与{old[1]}属同一主要目标而监测方式不同，按"
                    f"{vocab.MONITORING_LABELS[min(old[0], match.row.mode, key=rank.__getitem__)]}"
                    " (one target, two modes: the stronger kept)"
                )
            if old is None or rank[match.row.mode] < rank[old[0]]:
                modes[tid] = (match.row.mode, match.row.where)
    return modes


def apply_indicator_system(session: Session, report: MatchReport, *, actor: str) -> list[Change]:
    """Set monitoring modes, definitions and units from the matched rows, all or nothing.

    Raises :class:`IndicatorSystemError` listing every conflict (a 定量 row for a target
    without figures, an unknown unit, a unit change for an indicator that already has
    figures) before anything is written. Records one AuditEvent; returns the changes.
    """
    problems: list[str] = []
    setters: list[tuple[Change, Any]] = []
    for tid, (mode, where) in sorted(_target_modes(report).items()):
        target = session.get(db.Target, tid)
        assert target is not None
        problem = monitoring_problem(target, mode)
        if problem:
            problems.append(f"{where}：目标“{target.text[:30]}”{problem}")
        elif target.monitoring != mode:
            change = Change(f"目标 {target.domain.name} 主要目标({target.number}) 监测方式",
                            vocab.MONITORING_LABELS[target.monitoring], vocab.MONITORING_LABELS[mode])
            setters.append((change, lambda t=target, m=mode: setattr(t, "monitoring", m)))
    for match in report.matched:
        if match.item.indicator_id is None:
            continue
        ind = session.get(db.Indicator, match.item.indicator_id)
        assert ind is not None
        row = match.row
        if row.definition and row.definition != (ind.definition or ""):
            setters.append((Change(f"指标 {ind.code} {ind.name} 口径", ind.definition, row.definition),
                            lambda i=ind, d=row.definition: setattr(i, "definition", d)))
        if row.unit:
            unit = canonical_unit(row.unit)
            if unit is None:
                problems.append(f"{row.where}：无法识别计量单位“{row.unit}” unknown unit")
            elif unit != (ind.unit or ""):
                has_figures = session.scalar(
                    select(func.count()).select_from(db.Observation).where(db.Observation.indicator_id == ind.id)
                )
                if has_figures:
                    problems.append(
                        f"{row.where}：指标“{ind.name}”已有数据，单位不能由“{ind.unit}”改为“{unit}”"
                        " (indicator has figures; unit not changed)"
                    )
                else:
                    setters.append((Change(f"指标 {ind.code} {ind.name} 计量单位", ind.unit, unit),
                                    lambda i=ind, u=unit: _set_unit(i, u)))
    if problems:
        report.problems = problems
        raise IndicatorSystemError(
            f"监测指标体系有 {len(problems)} 处不能应用，未做任何修改 (nothing changed):\n  " + "\n  ".join(problems)
        )
    for _change, apply in setters:
        apply()
    report.changes = [c for c, _ in setters]
    if report.changes:
        session.add(
            db.AuditEvent(
                actor=actor,
                action="catalogue.indicator_system",
                entity="catalogue",
                entity_id=report.table.source,
                detail={
                    "sheet": report.table.sheet,
                    "changes": [{"what": c.what, "old": c.old, "new": c.new} for c in report.changes],
                },
            )
        )
    session.flush()
    return report.changes


def _set_unit(ind: db.Indicator, unit: str) -> None:
    ind.unit = unit or None
    ind.is_rate = unit in RATE_BASES
    ind.rate_base = RATE_BASES.get(unit)
    ind.lower_limit, ind.upper_limit = natural_limits(unit)
