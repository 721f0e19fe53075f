"""The published cases through the whole path a statistics office would take.

outline text → ``init`` → ``unit add`` and catalogue YAML (the reporting unit registered and
assigned, since national outlines name no units) → templates → the published figures typed
in and imported → submit, review, approve → ``assess`` as of each report's year. Every step
goes through the same functions the CLI calls; nothing is written to the database behind
their back. A step that cannot be taken stops with ``WholePathError`` naming the step and
what is missing, so a failing run says exactly what blocks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from published import HERE, Case, Outline, merged_series, same_name, series_key

from planwatch.assess.run import assess_workspace
from planwatch.collect.fill import Figure
from planwatch.collect.importer import import_files
from planwatch.collect.template import template_spec, write_template
from planwatch.collect.workflow import approve, review, submit
from planwatch.store import models as m
from planwatch.store.catalogue_export import catalogue_data
from planwatch.store.catalogue_import import import_catalogue
from planwatch.store.unit_registry import UnitRegistryError, add_unit, list_units
from planwatch.store.workspace import Workspace, init_workspace

REPORTER = "国家统计局"
"""The unit a statistician assigns to every national indicator: the outlines name none."""

STATISTICIAN = "统计监测组（测试）"
NOT_PUBLISHED = "当年统计监测报告未公布此数"
TZ = dt.timezone(dt.timedelta(hours=8))


class WholePathError(RuntimeError):
    """One step of the path could not be taken; the message names the step."""


def _step(name: str, detail: str) -> WholePathError:
    return WholePathError(f"[{name}] {detail}")


def init_outline(outline: Outline, workdir: Path, area: str) -> Workspace:
    """``init --area``: national outlines name no region (a statistician gives 000000 全国)."""
    if not outline.plan_file:
        raise _step("init", f"《{outline.title}》没有保存规划文本 no plan text stored")
    try:
        return init_workspace(workdir / "ws", [HERE / outline.plan_file], actor=STATISTICIAN,
                              area=area)
    except Exception as exc:  # the message is the finding
        raise _step("init", f"《{outline.title}》: {type(exc).__name__}: {exc}") from exc


def match_catalogue(ws: Workspace, cases: Sequence[Case]) -> tuple[dict[str, str], dict[str, str]]:
    """(case id → indicator code where the catalogue holds the case's target, case id → why
    not). A target the reader did not turn into an indicator is a miss of the whole path, so
    it is reported per case rather than stopping the others."""
    with ws.sessions() as s:
        data = catalogue_data(s)
    found: dict[str, str] = {}
    missing: dict[str, str] = {}
    have = "、".join(i["name"] for i in data["indicators"]) or "（空 empty）"
    for case in cases:
        hits = [
            ind["code"] for ind in data["indicators"]
            if same_name(ind["name"], case.indicator)
            and any(t["area"] == case.area_code for t in ind["targets"])
        ]
        if hits:
            found[case.id] = hits[0]
        else:
            missing[case.id] = (f"[目录] 指标目录中没有“{case.indicator}”（{case.area_code}）"
                                f" catalogue lacks it; 目录中有 has: {have}")
    return found, missing


def assign_reporters(ws: Workspace, codes: Sequence[str], area_code: str) -> None:
    """Through the catalogue YAML, as a statistician would edit it."""
    with ws.session() as s:
        data = catalogue_data(s)
        for ind in data["indicators"]:
            if ind["code"] in codes:
                ind["reporters"] = {**ind["reporters"], area_code: [REPORTER]}
        try:
            import_catalogue(s, yaml.safe_dump(data, allow_unicode=True), actor=STATISTICIAN,
                             source="published-cases")
        except Exception as exc:
            raise _step("目录YAML", f"指定填报单位{REPORTER}失败: {exc}") from exc


def register_reporter(ws: Workspace, area_code: str, name: str) -> None:
    """The statistician adds the reporting unit the outline does not name (``planwatch unit
    add``): national outlines assign no units in their text. A plan that names it already
    (the seed plans) needs nothing added."""
    try:
        with ws.session() as s:
            if name not in {u.name for u in list_units(s, area_code)}:
                add_unit(s, area_code, name, actor=STATISTICIAN)
    except UnitRegistryError as exc:
        raise _step("单位", str(exc)) from exc


def collect(ws: Workspace, cases: Sequence[Case], codes: dict[str, str], workdir: Path) -> None:
    """One workbook per year with the published figures, imported and approved."""
    series = merged_series(cases)
    code_of = {series_key(c): codes[c.id] for c in cases}
    area_code = cases[0].area_code
    years = sorted({y for s in series.values() for y in s})
    with ws.sessions() as s:
        unit = s.query(m.Unit).filter_by(area_code=area_code, name=REPORTER).one_or_none()
        if unit is None:
            raise _step("模板", f"{area_code} 没有单位 {REPORTER}")
        unit_id = unit.id
    for year in years:
        figures = {
            (code_of[key], "total"): Figure(value=values[year])
            for key, values in series.items() if year in values
        }
        with ws.sessions() as s:
            unit = s.get(m.Unit, unit_id)
            assert unit is not None
            spec = template_spec(s, unit, year)
        for row in spec.rows:  # a clerk explains every figure the reports do not give
            figures.setdefault((row.indicator.code, row.breakdown), Figure(note=NOT_PUBLISHED))
        book = write_template(spec, workdir / f"{year}.xlsx", figures)
        at = dt.datetime(year + 1, 3, 1, 9, tzinfo=TZ)
        result = import_files(ws, [book], REPORTER, now=at)
        file = result.files[0]
        if not file.accepted or file.submission_id is None:
            raise _step("导入", f"{year}年工作簿被拒绝 rejected: {file.to_dict()}")
        with ws.session() as s:
            submit(s, file.submission_id, REPORTER, at=at + dt.timedelta(hours=1))
            review(s, file.submission_id, STATISTICIAN, at=at + dt.timedelta(days=5))
            approve(s, file.submission_id, STATISTICIAN, at=at + dt.timedelta(days=10))


def whole_path_statuses(
    cases: Sequence[Case], workdir: Path
) -> dict[str, dict[str, Any]]:
    """planwatch's verdict on each case through the whole path, one workspace per outline."""
    out: dict[str, dict[str, Any]] = {}
    by_outline: dict[str, list[Case]] = {}
    for case in cases:
        by_outline.setdefault(case.outline.key, []).append(case)
    for key, group in sorted(by_outline.items()):
        wdir = workdir / key
        wdir.mkdir(parents=True)
        areas = sorted({c.area_code for c in group})
        if len(areas) != 1:
            raise _step("init", f"一个纲要只对应一个地区 one area per outline: {areas}")
        ws = init_outline(group[0].outline, wdir, areas[0])
        try:
            codes, missing = match_catalogue(ws, group)
            for cid, why in missing.items():
                out[cid] = {"status": None, "reason": why, "target": None}
            group = [c for c in group if c.id in codes]
            if not group:
                continue
            register_reporter(ws, areas[0], REPORTER)
            assign_reporters(ws, sorted(set(codes.values())), areas[0])
            collect(ws, group, codes, wdir)
            # One assessment per year asked about: nothing changes the workspace in between,
            # and an outline's cases mostly share their report's year.
            results: dict[int, Any] = {}
            for case in group:
                if case.as_of not in results:
                    results[case.as_of] = assess_workspace(ws, case.as_of).result
                res = results[case.as_of]
                row = [r for r in res.iter_rows(named=True)
                       if r["indicator_code"] == codes[case.id] and r["area_code"] == case.area_code
                       and r["breakdown"] == "total"]
                if not row:
                    raise _step("assess", f"{case.id}: 评估结果中没有该目标 no result row")
                r = row[0]
                out[case.id] = {
                    "status": r["status"],
                    "reason": r["reason"],
                    "target": f"{r['comparator']} {r['target_value']}" if r["kind"] == "quantitative"
                    else f"方向 {r['direction']}",
                }
        finally:
            ws.close()
    return out
