"""A retired unit in the yearly collection: each year asks the unit responsible in that year.

区教育体育局 reports W01-03 and C02-01; it is retired from 2024 and 区统计局 (which reported
nothing) takes both over. 2023 must still expect them of 区教育体育局 — its late report is still
taken, and its completeness does not change — while from 2024 they are 区统计局's, and
区教育体育局 gets no template, no status row and no import. A workbook issued before a rename
is still taken: the old name is an alias.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from collect_support import AREA, EDUCATION, HEALTH, STATS, Catalogue, filled
from sqlalchemy import select

from planwatch.collect.fill import Figure
from planwatch.collect.importer import import_files
from planwatch.collect.status import collection_status
from planwatch.collect.template import reporting_units, template_spec
from planwatch.collect.units import UnitRetiredError, active_in
from planwatch.store import models as m
from planwatch.store.unit_changes import rename_unit, retire_unit

EDUCATION_FIGURES = {
    ("W01-03", "total"): Figure(100.0),
    ("W01-03", "residence=urban"): Figure(60.0),
    ("W01-03", "residence=rural"): Figure(40.0),
    ("C02-01", "total"): Figure(95.0, 950, 1000),
}


def _retire_education(cat: Catalogue, year: int = 2024) -> None:
    with cat.factory() as s, s.begin():
        retire_unit(s, AREA, EDUCATION, year=year, successor=STATS)


def _status(cat: Catalogue, year: int) -> dict[str, tuple[list[str], list[str]]]:
    """unit → (expected codes, received codes) for the year."""
    with cat.factory() as s:
        rows = collection_status(s, year, dt.date(year + 1, 3, 31), dt.date(year + 1, 1, 1), area_code=AREA)
    return {r.unit: (sorted(r.expected), sorted(set(r.received))) for r in rows}


def _codes(cat: Catalogue, unit: str, year: int) -> set[str]:
    with cat.factory() as s:
        u = s.get(m.Unit, cat.units[unit])
        assert u is not None
        return {r.indicator.code for r in template_spec(s, u, year).rows}


def _csv(tmp_path: Path, unit: str, year: int, codes: list[str], name: str) -> Path:
    """A CSV with the totals of ``codes`` (the columns a unit's own system exports)."""
    values = {"W01-03": ("100", "", ""), "C02-01": ("95", "950", "1000")}
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["area_code", "unit", "year", "indicator", "value", "numerator", "denominator"])
        for code in codes:
            out.writerow([AREA, unit, year, code, *values[code]])
    return path


def test_each_year_expects_the_unit_responsible_then(cat_any: Catalogue, tmp_path: Path) -> None:
    cat = cat_any
    assert import_files(cat.factory, [filled(cat, tmp_path, EDUCATION_FIGURES, unit=EDUCATION)], "t").accepted
    before = _status(cat, 2023)
    _retire_education(cat)
    assert _status(cat, 2023) == before, "the reorganisation does not rewrite 2023"
    assert before[EDUCATION] == (["C02-01", "W01-03"], ["C02-01", "W01-03"]) and STATS not in before
    after = _status(cat, 2024)
    assert EDUCATION not in after and after[STATS] == (["C02-01", "W01-03"], [])
    assert after[HEALTH] == before[HEALTH]


def test_templates_and_reporting_units_follow_the_year(cat_any: Catalogue) -> None:
    cat = cat_any
    _retire_education(cat)
    assert _codes(cat, EDUCATION, 2023) == {"W01-03", "C02-01"}
    assert _codes(cat, STATS, 2023) == set() and _codes(cat, STATS, 2024) == {"W01-03", "C02-01"}
    with cat.factory() as s:
        names = {year: [u.name for u in reporting_units(s, AREA, year)] for year in (2023, 2024)}
        assert names == {2023: [HEALTH, EDUCATION], 2024: [HEALTH, STATS]}
        assert [u.name for u in reporting_units(s, AREA)] == [HEALTH, STATS], "now: the successor"
        education = s.get(m.Unit, cat.units[EDUCATION])
        assert education is not None and active_in(education, 2023) is education
        with pytest.raises(UnitRetiredError, match="单位“区教育体育局”已于2024年度起停用，没有2025年度的填报任务，"
                                                   "请由承接单位“区统计局”填报") as refused:
            active_in(education, 2025)
        assert refused.value.code == "collect.unit_retired"


def test_a_file_of_a_year_after_retirement_is_refused_and_a_late_one_taken(cat: Catalogue, tmp_path: Path) -> None:
    _retire_education(cat)
    late = import_files(cat.factory, [_csv(tmp_path, EDUCATION, 2024, ["W01-03", "C02-01"], "e24.csv")], "t")
    [problem] = late.files[0].report.errors
    assert problem.code == "unit-retired"
    assert problem.message == ("填报单位“区教育体育局”已于2024年度起停用，不能报送2024年度数据，"
                               "请由承接单位“区统计局”报送")
    assert import_files(cat.factory, [_csv(tmp_path, EDUCATION, 2023, ["W01-03", "C02-01"], "e23.csv")],
                        "t").accepted
    with cat.factory() as s:
        assert s.scalars(select(m.Submission.year).where(m.Submission.unit_id == cat.units[EDUCATION])).all() == [2023]


def test_the_successor_owes_the_taken_over_figures_only_from_that_year(cat: Catalogue, tmp_path: Path) -> None:
    _retire_education(cat)
    short = import_files(cat.factory, [_csv(tmp_path, STATS, 2024, ["C02-01"], "s24.csv")], "t")
    missing = [p.message for p in short.files[0].report.errors if p.code == "missing-required"]
    assert len(missing) == 1 and "W01-03" in missing[0]
    assert import_files(cat.factory, [_csv(tmp_path, STATS, 2024, ["W01-03", "C02-01"], "s24b.csv")], "t").accepted
    # 2023 is still 区教育体育局's: the health bureau's own 2023 report is complete without them
    assert import_files(cat.factory, [filled(cat, tmp_path, year=2023)], "t").accepted


def test_a_template_issued_before_a_rename_is_still_taken(cat_any: Catalogue, tmp_path: Path) -> None:
    """The workbook names the unit 区卫生健康局; renamed since, the unit still answers to it."""
    cat = cat_any
    workbook = filled(cat, tmp_path, year=2023)
    with cat.factory() as s, s.begin():
        rename_unit(s, AREA, HEALTH, "区卫生健康委员会")
    result = import_files(cat.factory, [workbook], "t")
    assert result.accepted, [p.message for p in result.files[0].report.problems]
    with cat.factory() as s:
        assert s.scalars(select(m.Submission.unit_id)).all() == [cat.units[HEALTH]]
