"""Reading the catalogue tables into the plain specs that templates and rules use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect.context import IndicatorSpec
from planwatch.store.models import Indicator, IndicatorReporter, TargetValue

COMPARATOR_TEXT = {
    "<=": "≤",
    "<": "<",
    ">=": "≥",
    ">": ">",
    "=": "=",
    "~": "约",
    "maintain": "保持",
}
DIRECTION_TEXT = {
    "increase": "逐步提高",
    "decrease": "逐步下降",
    "maintain": "保持稳定",
    "eliminate": "基本消除",
}


def indicator_spec(ind: Indicator) -> IndicatorSpec:
    return IndicatorSpec(
        id=ind.id,
        code=ind.code,
        name=ind.name,
        unit=ind.unit,
        better=ind.better,
        is_rate=bool(ind.is_rate),
        rate_base=ind.rate_base,
        lower_limit=ind.lower_limit,
        upper_limit=ind.upper_limit,
        subject=ind.subject,
        dims=tuple(bd.dimensions(list(ind.breakdowns or []), ind.subject)),
    )


def all_indicators(session: Session) -> dict[str, IndicatorSpec]:
    return {i.code: indicator_spec(i) for i in session.scalars(select(Indicator))}


def assigned_indicators(session: Session, area_code: str, unit_id: int) -> list[IndicatorSpec]:
    """The indicators a unit reports in an area, in catalogue (code) order."""
    q = (
        select(Indicator)
        .join(IndicatorReporter, IndicatorReporter.indicator_id == Indicator.id)
        .where(IndicatorReporter.area_code == area_code, IndicatorReporter.unit_id == unit_id)
        .order_by(Indicator.code)
    )
    return [indicator_spec(i) for i in session.scalars(q)]


def target_texts(session: Session, area_code: str, indicator_ids: list[int]) -> dict[int, str]:
    """indicator id → the plan's target for this area, e.g. ``≤8/10万（2025年）``."""
    if not indicator_ids:
        return {}
    q = (
        select(TargetValue)
        .where(TargetValue.area_code == area_code, TargetValue.indicator_id.in_(indicator_ids))
        .order_by(TargetValue.id)
    )
    out: dict[int, list[str]] = {}
    for tv in session.scalars(q):
        out.setdefault(tv.indicator_id, [])
        text = describe_target(tv)
        if text not in out[tv.indicator_id]:
            out[tv.indicator_id].append(text)
    return {k: "；".join(v) for k, v in out.items()}


def describe_target(tv: TargetValue) -> str:
    if tv.comparator is not None and tv.value is not None:
        comparator = COMPARATOR_TEXT.get(tv.comparator, tv.comparator)
        return f"{comparator}{tv.value:g}{tv.unit or ''}（{tv.target_year}年）"
    return f"{DIRECTION_TEXT.get(tv.direction or '', tv.direction or '')}（{tv.target_year}年）"
