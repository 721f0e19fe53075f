"""A series shared by two plans' indicators is asked for once, stored once and assessed everywhere.

The collection catalogue gets a women's-plan 学前三年毛入园率 (W02-01, target ≥90 %) linked to
the children's C02-01 (target 保持95 %). C02-01 is reported by the health and education
bureaus; W02-01 by the statistics bureau: one series, three reporters.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from collect_support import AREA, EDUCATION, HEALTH, STATS, Catalogue, make_template
from openpyxl import load_workbook
from sqlalchemy import select, update

from planwatch.assess.inputs import load_inputs
from planwatch.collect import layout as L
from planwatch.collect.conflicts import find_conflicts
from planwatch.collect.fill import Figure, fill_template
from planwatch.collect.importer import import_files
from planwatch.collect.status import collection_status
from planwatch.collect.template import template_spec
from planwatch.collect.workflow import approve, review, submit
from planwatch.store import models as m

AT = dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)


def _link(cat: Catalogue, linked: bool = True) -> None:
    """Add W02-01 (women's plan) and a children's target for C02-01; link them if asked."""
    with cat.factory() as s, s.begin():
        if "W02-01" not in cat.indicators:
            women = s.scalars(select(m.Plan)).one()
            children = m.Plan(area_code=AREA, title="测试儿童规划", subject="children",
                              period_start=2021, period_end=2025)
            domain = m.Domain(plan=children, seq=1, name="儿童与教育")
            target = m.Target(domain=domain, number=1, text="学前教育", kind="quantitative")
            s.add_all([children, domain, target])
            ind = m.Indicator(code="W02-01", name="学前三年毛入园率", unit="%", better="higher", is_rate=True,
                              rate_base=100.0, breakdowns=[], subject="women", lower_limit=0.0, upper_limit=100.0)
            s.add(ind)
            s.flush()
            cat.indicators["W02-01"] = ind.id
            w_target = s.scalars(select(m.Target)).first()
            assert w_target is not None
            s.add_all([
                m.TargetValue(indicator_id=cat.indicators["C02-01"], area_code=AREA, plan_id=children.id,
                              target_id=target.id, comparator="maintain", value=95.0, unit="%",
                              target_year=2025, baseline_year=2020, raw="学前三年毛入园率保持在95%"),
                m.TargetValue(indicator_id=ind.id, area_code=AREA, plan_id=women.id, target_id=w_target.id,
                              comparator=">=", value=90.0, unit="%", target_year=2025, baseline_year=2020,
                              raw="学前三年毛入园率达到90%以上"),
                m.IndicatorReporter(indicator_id=ind.id, area_code=AREA, unit_id=cat.units[STATS]),
            ])
        s.execute(update(m.Indicator).where(m.Indicator.code == "W02-01")
                  .values(series_id=cat.indicators["C02-01"] if linked else None))


def _rows(path: Path) -> list[tuple[object, ...]]:
    ws = load_workbook(path)[L.DATA_SHEET]
    return [(r[1], r[5], r[7]) for r in ws.iter_rows(min_row=L.FIRST_DATA_ROW, values_only=True)]


def _csv(tmp_path: Path, name: str, *rows: str, year: int = 2023) -> Path:
    path = tmp_path / name
    path.write_text("地区代码,填报单位,年度,指标代码,分组,本年数值,分子,分母,备注\n"
                    + "".join(f"{AREA},{STATS},{year},{r}\n" for r in rows), encoding="utf-8")
    return path


def _stored(cat: Catalogue) -> list[tuple[str, str, float]]:
    with cat.factory() as s:
        q = (select(m.Indicator.code, m.Observation.breakdown, m.Observation.value)
             .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id).order_by(m.Observation.id))
        return [tuple(r) for r in s.execute(q)]  # type: ignore[misc]


def test_the_template_asks_once_and_names_every_target(cat_any: Catalogue, tmp_path: Path) -> None:
    _link(cat_any)
    shared = "C02-01 儿童规划 保持95%（2025年）；W02-01 妇女规划 ≥90%（2025年）"
    # the statistics bureau reports only the women's indicator: it is asked for the series
    assert _rows(make_template(cat_any, STATS, 2023, tmp_path)) == [("C02-01", "合计", shared)]
    education = _rows(make_template(cat_any, EDUCATION, 2023, tmp_path))
    assert [r[0] for r in education] == ["C02-01", "W01-03", "W01-03", "W01-03"]
    assert education[0][2] == shared
    # unlinked, each indicator is its own row with its own plan's target only
    _link(cat_any, linked=False)
    assert _rows(make_template(cat_any, STATS, 2023, tmp_path)) == [("W02-01", "合计", "≥90%（2025年）")]
    with cat_any.factory() as s:
        unit = s.get(m.Unit, cat_any.units[HEALTH])
        assert unit is not None
        rows = template_spec(s, unit, 2023).rows
    assert [r.target for r in rows if r.indicator.code == "C02-01"] == ["保持95%（2025年）"]


def test_the_figure_is_stored_once_under_the_series(cat_any: Catalogue, tmp_path: Path) -> None:
    _link(cat_any)
    tpl = make_template(cat_any, STATS, 2023, tmp_path)
    result = import_files(cat_any.factory, [fill_template(tpl, {("C02-01", "total"): Figure(93.0, 930, 1000)},
                                                          tmp_path / "stats.xlsx")], "t")
    assert result.accepted, result.files[0].report.to_dict()
    assert _stored(cat_any) == [("C02-01", "total", 93.0)]
    with cat_any.factory() as s:
        status = {r.unit: r.expected for r in collection_status(s, 2023, dt.date(2024, 3, 31), dt.date(2024, 4, 1))}
    assert status[STATS] == ["C02-01"]
    assert "W02-01" not in status[EDUCATION] and "C02-01" in status[EDUCATION]


def test_a_row_under_the_linked_code_counts_for_the_series(cat_any: Catalogue, tmp_path: Path) -> None:
    # a template printed before the link carries the women's code
    _link(cat_any, linked=False)
    tpl = make_template(cat_any, STATS, 2023, tmp_path)
    assert [r[0] for r in _rows(tpl)] == ["W02-01"]
    _link(cat_any)
    book = fill_template(tpl, {("W02-01", "total"): Figure(93.0, 930, 1000)}, tmp_path / "old.xlsx")
    (file,) = import_files(cat_any.factory, [book], "t").files
    assert file.accepted, file.report.to_dict()
    (warning,) = file.report.warnings
    assert warning.code == "indicator-in-series" and (warning.row, warning.column) == (L.FIRST_DATA_ROW, "B")
    assert "“W02-01”与“C02-01”（学前三年毛入园率）共用一个数据序列" in warning.message
    assert _stored(cat_any) == [("C02-01", "total", 93.0)]


def test_the_same_figure_under_both_codes_is_refused(cat_any: Catalogue, tmp_path: Path) -> None:
    _link(cat_any)
    path = _csv(tmp_path, "both.csv", "C02-01,合计,93,930,1000,", "W02-01,合计,93,930,1000,")
    (file,) = import_files(cat_any.factory, [path], "t").files
    assert not file.accepted
    assert {(p.code, p.row) for p in file.report.errors} == {("duplicate-row", 3)}
    assert _stored(cat_any) == []


def _approve_all(cat: Catalogue) -> None:
    with cat.factory() as s, s.begin():
        for sub in s.scalars(select(m.Submission).where(m.Submission.state == "draft")):
            submit(s, sub.id, "t", at=AT)
            review(s, sub.id, "r", at=AT)
            approve(s, sub.id, "a", at=AT)


def _obs(cat: Catalogue) -> tuple[pl.DataFrame, pl.DataFrame]:
    with cat.factory() as s:
        inputs = load_inputs(s)
    obs = inputs.observations.filter(pl.col("indicator_code").is_in(["C02-01", "W02-01"]))
    return obs.select("indicator_code", "year", "value").sort("indicator_code", "year"), inputs.conflicts


def test_every_linked_target_gets_the_same_figures(cat_any: Catalogue, tmp_path: Path) -> None:
    _link(cat_any)
    files = [_csv(tmp_path, f"{y}.csv", "C02-01,合计,93,930,1000,", year=y) for y in (2022, 2023)]
    assert import_files(cat_any.factory, files, "t").accepted
    _approve_all(cat_any)
    obs, conflicts = _obs(cat_any)
    assert obs.rows() == [("C02-01", 2022, 93.0), ("C02-01", 2023, 93.0),
                          ("W02-01", 2022, 93.0), ("W02-01", 2023, 93.0)]
    assert conflicts.is_empty()
    # unlinked, the women's indicator has no figures of its own
    _link(cat_any, linked=False)
    assert _obs(cat_any)[0].get_column("indicator_code").unique().to_list() == ["C02-01"]


def test_figures_collected_twice_before_the_link_meet_in_one_series(cat_any: Catalogue, tmp_path: Path) -> None:
    """Two reports of one figure made before the link: equal is one figure, unequal a conflict."""
    _link(cat_any, linked=False)
    stats = _csv(tmp_path, "stats.csv", "W02-01,合计,93,930,1000,")
    health = fill_template(make_template(cat_any, HEALTH, 2023, tmp_path),
                           {("C02-01", "total"): Figure(96.0, 960, 1000),
                            ("W01-01", "total"): Figure(note="暂无"), ("W01-02", "total"): Figure(note="暂无"),
                            ("W01-04", "total"): Figure(note="暂无"), ("C01-01", "total"): Figure(note="暂无")},
                           tmp_path / "health.xlsx")
    result = import_files(cat_any.factory, [stats, health], "t")
    assert result.accepted, [f.report.to_dict() for f in result.files]
    _approve_all(cat_any)
    _link(cat_any)
    obs, conflicts = _obs(cat_any)
    assert obs.is_empty()
    assert sorted(conflicts.filter(pl.col("year") == 2023).select("indicator_code", "values").rows()) == [
        ("C02-01", [93.0, 96.0]), ("W02-01", [93.0, 96.0]),
    ]
    with cat_any.factory() as s:
        (listed,) = find_conflicts(s, year=2023)
    assert (listed.indicator, sorted((u, v) for u, v, _ in listed.reports)) == (
        "C02-01", [(HEALTH, 96.0), (STATS, 93.0)])


def test_assessment_targets_of_both_plans_see_the_series(cat: Catalogue, tmp_path: Path) -> None:
    _link(cat)
    assert import_files(cat.factory, [_csv(tmp_path, "s.csv", "C02-01,合计,93,930,1000,")], "t").accepted
    _approve_all(cat)
    with cat.factory() as s:
        inputs = load_inputs(s)
    targets = inputs.targets.filter(pl.col("indicator_code").is_in(["C02-01", "W02-01"]))
    joined = targets.join(inputs.observations, on=["indicator_code", "area_code"])
    assert sorted(joined.select("indicator_code", "target_value", "value").rows()) == [
        ("C02-01", 95.0, 93.0), ("W02-01", 90.0, 93.0),
    ]


def test_reporters_of_every_linked_indicator_report_the_series_and_disagreement_is_flagged(
    cat: Catalogue, tmp_path: Path
) -> None:
    _link(cat)
    assert import_files(cat.factory, [_csv(tmp_path, "s.csv", "C02-01,合计,93,930,1000,")], "t").accepted
    health = fill_template(make_template(cat, HEALTH, 2023, tmp_path),
                           {("C02-01", "total"): Figure(96.0, 960, 1000),
                            ("W01-01", "total"): Figure(note="暂无"), ("W01-02", "total"): Figure(note="暂无"),
                            ("W01-04", "total"): Figure(note="暂无"), ("C01-01", "total"): Figure(note="暂无")},
                           tmp_path / "health.xlsx")
    (file,) = import_files(cat.factory, [health], "t").files
    assert file.accepted
    (warning,) = [p for p in file.report.warnings if p.code == "conflicting-report"]
    assert STATS in warning.message and "93" in warning.message
