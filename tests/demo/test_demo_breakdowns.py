"""The demo's breakdowns: set through the catalogue YAML, consistent, assessed, in the compendium."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from planwatch.assess.run import assess_workspace
from planwatch.collect import breakdowns as bd
from planwatch.collect.context import IndicatorSpec
from planwatch.collect.fill import Figure
from planwatch.demo import DemoSummary
from planwatch.demo.catalogue_edits import ACTOR, EDITS
from planwatch.demo.synthetic import breakdown_figures
from planwatch.report.kinds import generate
from planwatch.report.workspace_data import load_report_data
from planwatch.store import models as m
from planwatch.store.workspace import open_workspace

Key = tuple[int, str, str, int]  # submission, indicator code, area, year


def _spec(unit: str, dims: list[str], *, base: float | None = None, better: str = "higher") -> IndicatorSpec:
    return IndicatorSpec(id=1, code="X01-01", name="x", unit=unit, better=better,
                         is_rate=base is not None, rate_base=base,
                         dims=tuple(bd.dimensions(dims, "children")))


# --------------------------------------------------------------------------- pure


@pytest.mark.parametrize("area", ["370103", "370406"])
def test_rate_parts_add_up_and_bracket_the_total(area: str) -> None:
    spec = _spec("‰", ["sex", "residence"], base=1000.0, better="lower")
    total = Figure(4.02, 186, 46236)
    parts = breakdown_figures(area, spec, total, 2022)
    assert set(parts) == {"sex=female", "sex=male", "residence=urban", "residence=rural"}
    for dim in ("sex", "residence"):
        group = [f for k, f in parts.items() if k.startswith(dim)]
        assert sum(f.numerator for f in group) == 186  # type: ignore[misc]
        assert sum(f.denominator for f in group) == 46236  # type: ignore[misc]
        assert min(f.value for f in group) <= 4.02 <= max(f.value for f in group)  # type: ignore[type-var]
    # boys' and rural children's mortality above girls' and urban children's
    assert parts["sex=male"].value > parts["sex=female"].value  # type: ignore[operator]
    assert parts["residence=rural"].value > parts["residence=urban"].value  # type: ignore[operator]


def test_coverage_near_full_stays_within_100_and_counts_add_up() -> None:
    spec = _spec("%", ["residence", "age_group:0-2,3-6"], base=100.0)
    parts = breakdown_figures("370406", spec, Figure(99.5, 5970, 6000), 2023)
    assert all(0 <= f.value <= 100 for f in parts.values())  # type: ignore[operator]
    assert parts["residence=rural"].value < parts["residence=urban"].value  # type: ignore[operator]
    full = breakdown_figures("370406", spec, Figure(100.0, 6000, 6000), 2023)
    assert {f.value for f in full.values()} == {100.0}
    counts = breakdown_figures("370406", _spec("名", ["residence"]), Figure(5.0), 2023)
    assert sum(f.value for f in counts.values()) == 5  # type: ignore[misc]
    assert breakdown_figures("370406", spec, Figure(note="暂无数据"), 2023) == {}
    assert breakdown_figures("370406", _spec("小时", ["sex"]), Figure(1.2), 2023) == {}


# --------------------------------------------------------------------------- the demo


def test_breakdowns_were_set_through_the_catalogue_yaml(demo: DemoSummary) -> None:
    with open_workspace(demo.path) as ws, ws.sessions() as s:
        inds = {(i.subject, i.name): i for i in s.scalars(select(m.Indicator))}
        event = s.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "catalogue.import")).one()
    assert set(EDITS) <= set(inds)
    for key, edit in EDITS.items():
        assert inds[key].breakdowns == list(edit.breakdowns)
        assert inds[key].definition == edit.definition
    assert event.actor == ACTOR
    # a breakdown and a definition for each indicator, or else a same_as link
    links = [c for c in event.detail["changes"] if c["path"].endswith(".same_as")]
    linked = [e.same_as for e in EDITS.values() if e.same_as]
    assert [(c["old"], c["new"]) for c in links] == [(None, inds[key].code) for key in linked]
    assert [inds[key].code for key in linked] == [
        inds[("children", "学前教育毛入园率")].code,
        inds[("children", "九年义务教育巩固率")].code,
    ]
    assert demo.catalogue_edits == len(event.detail["changes"]) == 2 * (len(EDITS) - 2) + 2
    assert set(demo.breakdown_indicators) == {inds[k].code for k, e in EDITS.items() if e.breakdowns}


def _observations(demo: DemoSummary) -> dict[Key, dict[str, m.Observation]]:
    out: dict[Key, dict[str, m.Observation]] = defaultdict(dict)
    with open_workspace(demo.path) as ws, ws.sessions() as s:
        codes = {i.id: i.code for i in s.scalars(select(m.Indicator))}
        for o in s.scalars(select(m.Observation)):
            out[(o.submission_id, codes[o.indicator_id], o.area_code, o.year)][o.breakdown] = o
    return out


def test_breakdown_observations_add_up_to_their_totals(demo: DemoSummary) -> None:
    obs = _observations(demo)
    checked: set[tuple[str, str]] = set()
    for (_, code, area, _year), cells in obs.items():
        parts = {k: o for k, o in cells.items() if k != bd.TOTAL}
        if not parts:
            continue
        total = cells[bd.TOTAL]
        for dim in {k.partition("=")[0] for k in parts}:
            group = [o for k, o in parts.items() if k.startswith(dim + "=")]
            if total.numerator is not None:
                assert sum(o.numerator or 0 for o in group) == total.numerator
                assert sum(o.denominator or 0 for o in group) == total.denominator
                assert min(o.value for o in group) - 0.01 <= total.value <= max(o.value for o in group) + 0.01
            else:
                assert sum(o.value for o in group) == total.value
        checked.add((code, area))
    assert demo.breakdown_observations == sum(
        len(c) - 1 for c in obs.values() if len(c) > 1)
    assert {a for _, a in checked} == {"370103", "370406"}
    with open_workspace(demo.path) as ws, ws.sessions() as s:
        # codes follow the reading order, which moves when the reader improves: look it up
        cadres = s.scalars(select(m.Indicator.code).where(m.Indicator.name == "全区镇街党政正职中女干部总数")).one()
    assert {c for c, _ in checked} >= {"C01-04", "C03-04", "W01-03", cadres, "W05-03"}
    assert demo.breakdown_observations > 200


def test_one_workbook_was_refused_for_its_breakdowns_then_corrected(demo: DemoSummary) -> None:
    (rejected,) = demo.rejected
    assert "breakdown-sum-mismatch" in rejected and "更正后重新导入" in rejected
    area, unit, year = rejected.split()[:3]
    with open_workspace(demo.path) as ws, ws.sessions() as s:
        subs = list(s.scalars(select(m.Submission).join(m.Unit)
                              .where(m.Unit.name == unit, m.Submission.area_code == area,
                                     m.Submission.year == int(year.removesuffix("年")))))
    assert len(subs) == 1 and subs[0].revision == 1  # the refused file stored nothing


def test_assessment_and_compendium_show_the_breakdowns(demo: DemoSummary, tmp_path: Path) -> None:
    result = assess_workspace(demo.path, 2024).result
    rows = result.filter(pl.col("breakdown") != bd.TOTAL)
    assert set(rows.get_column("indicator_code")) >= {"C01-06", "C03-04", "W01-03", "W05-03"}
    assert rows.filter(pl.col("status").is_not_null()).height == rows.height

    with open_workspace(demo.path) as ws:
        data = load_report_data(ws, 2024)
    (path,) = generate(data, ["compendium"], tmp_path, areas=["370406"])
    found: dict[tuple[str, str], list[object]] = {}
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows(values_only=True):
            if len(row) > 3 and isinstance(row[0], str) and isinstance(row[1], str):
                found[(row[0], row[1])] = list(row[3:])
    for group in ("女", "男", "城镇", "农村", "20-34岁"):
        assert any(g == group for _, g in found), group
    rural = found[("孕产妇死亡率", "农村")]
    assert sum(isinstance(v, int | float) for v in rural) >= 4  # 2020–2023 at least
    assert found[("九年义务教育巩固率", "女")][0] != found[("九年义务教育巩固率", "男")][0]
