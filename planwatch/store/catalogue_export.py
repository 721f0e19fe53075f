"""The catalogue as a YAML file people edit: what a plan reader cannot know.

A plan says 孕产妇死亡率 ≤ 8/10万 by 2025; it does not say the definition, the 2020
baseline, the breakdowns it is reported by, or which unit reports it. ``export_catalogue``
writes every indicator with those fields; the statistics bureau fills them in; and
:func:`planwatch.store.catalogue_import.import_catalogue` applies the edits (what may be
edited is said there).
"""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.store import models as db
from planwatch.store.catalogue_refs import FORMAT, reporter_names, value_rows
from planwatch.store.monitoring import monitoring_data


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def catalogue_data(session: Session) -> dict[str, Any]:
    """The catalogue as plain data, in a stable order (sorted by code, area, reference).

    Read as plain columns, a few queries for the whole catalogue: it is only printed, and
    loading every indicator with its target values, their plans, targets, measures and
    domains as objects was most of the export's time."""
    indicators = session.execute(select(db.Indicator.__table__).order_by(db.Indicator.code)).all()
    areas = {code: name for code, name in session.execute(select(db.Area.code, db.Area.name))}
    codes = {ind.id: ind.code for ind in indicators}
    values = value_rows(session)
    reporters = reporter_names(session)
    out = []
    for ind in indicators:
        out.append(
            {
                "code": ind.code,
                "name": ind.name,
                "subject": ind.subject,
                "unit": ind.unit,
                "better": ind.better,
                "is_rate": ind.is_rate,
                "rate_base": _number(ind.rate_base),
                "limits": {"lower": _number(ind.lower_limit), "upper": _number(ind.upper_limit)},
                "definition": ind.definition,
                "breakdowns": list(ind.breakdowns),
                "reporters": {area: sorted(names)
                              for area, names in sorted(reporters.get(ind.id, {}).items())},
                "targets": [
                    {
                        "area": area,
                        "area_name": areas.get(area),
                        "ref": ref,
                        "comparator": tv.comparator,
                        "value": _number(tv.value),
                        "direction": tv.direction,
                        "unit": tv.unit,
                        "year": tv.target_year,
                        "baseline_year": tv.baseline_year,
                        "baseline": _number(tv.baseline_value),
                        "relative": tv.relative,
                        "base_year": tv.base_year,
                        "raw": tv.raw,
                    }
                    for area, ref, tv in values.get(ind.id, [])
                ],
            }
        )
        _export_same_as(out[-1], codes.get(ind.series_id) if ind.series_id is not None else None)
    return {"planwatch_catalogue": FORMAT, "indicators": out, "targets": monitoring_data(session)}


def _export_same_as(entry: dict[str, Any], series_code: str | None) -> None:
    """Add ``same_as``; a linked indicator shows no breakdowns or limits (the series' own)."""
    entry["same_as"] = series_code
    if series_code is not None:
        entry.pop("breakdowns", None)
        entry.pop("limits", None)


_HEADER = """\
# planwatch 指标目录 indicator catalogue
# 可编辑 editable: definition, breakdowns (sex / age_group / residence；自定分组写作
# age_group:0-2,3-6), better
# (higher / lower / hold), limits, reporters (地区代码 → 填报单位), targets[].baseline,
# targets[].baseline_year, targets[].relative (相对目标：percent 百分比变化 / points 百分点变化 /
# multiple 倍数 / annual_growth 年均增长率 / annual_points 年均百分点变化 / null 绝对目标；
# value 为带符号的变化量，如 -20 即下降20%), targets[].base_year (基数年份，null 为基期年份).
# same_as（与另一指标共用一个数据序列时填其代码，null 为独立；共用时分组和取值范围以该指标为准
# same_as: code of the indicator whose figures this one shares).
# targets[].comparator / targets[].value（数值目标的比较符和目标值，更正读取错误）.
# 其余字段来自规划文本，只读 (other fields are read-only).
# 文末 targets 列出每个主要目标的监测方式 monitoring：量化监测 / 定性评价 / 不纳入监测（可编辑），
# 以及可更正的目标内容 text、牵头单位 lead_units 和责任单位 responsible_units。
"""


def export_catalogue(session: Session) -> str:
    """The catalogue as YAML text; exporting an unchanged database twice gives identical text."""
    # libyaml's emitter when PyYAML has it (the same text, several times faster than PyYAML's
    # own for a catalogue of hundreds of indicators); PyYAML's otherwise.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(catalogue_data(session), Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    return _HEADER + body
