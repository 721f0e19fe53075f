"""Urban–rural gaps computed from breakdowns (issue 9, part 5): figures pinned by hand."""

from __future__ import annotations

import polars as pl

from planwatch.assess.engine import assess
from planwatch.assess.frames import observations_frame, targets_frame
from planwatch.assess.gaps import explain_missing_gaps, with_gaps
from planwatch.assess.status import INSUFFICIENT

GAPS = {"W01-04": "W01-03"}  # 孕产妇死亡率城乡差距 → 孕产妇死亡率


def _obs(rows: list[tuple[str, str, str, int, float]]) -> pl.DataFrame:
    return observations_frame(
        pl.DataFrame(rows, schema=["indicator_code", "area_code", "breakdown", "year", "value"], orient="row")
    )


def test_gap_is_the_absolute_difference_in_years_with_both_sides() -> None:
    obs = _obs([
        ("W01-03", "A", "total", 2020, 8.0),
        ("W01-03", "A", "residence=urban", 2020, 5.0),
        ("W01-03", "A", "residence=rural", 2020, 11.5),
        ("W01-03", "A", "residence=urban", 2021, 9.5),
        ("W01-03", "A", "residence=rural", 2021, 2.85),  # urban above rural: still a gap of 6.65
        ("W01-03", "A", "residence=urban", 2022, 4.0),  # no rural figure: no gap this year
        ("W01-04", "A", "total", 2021, 99.0),  # reported directly: ignored
        ("W01-03", "B", "residence=urban", 2021, 3.0),  # another area, own gap
        ("W01-03", "B", "residence=rural", 2021, 3.0),
    ])  # fmt: skip
    out = with_gaps(obs, GAPS)
    gap = out.filter(pl.col("indicator_code") == "W01-04").select("area_code", "breakdown", "year", "value")
    assert gap.rows() == [("A", "total", 2020, 6.5), ("A", "total", 2021, 6.65), ("B", "total", 2021, 0.0)]
    # the base series are untouched
    assert out.filter(pl.col("indicator_code") == "W01-03").height == 8
    assert with_gaps(obs, {}).equals(obs)


def _targets() -> pl.DataFrame:
    return targets_frame([
        {
            "target_id": f"tv{i}", "indicator_code": "W01-04", "area_code": area, "kind": "directional",
            "comparator": None, "target_value": None, "target_year": 2025, "baseline_year": 2020,
            "direction": "decrease", "unit": "/10万", "better": "lower", "must_hold": False,
            "lower_limit": None, "upper_limit": None, "lead_unit": "区卫生健康局", "plan": "P", "domain": "D",
            "indicator_name": "孕产妇死亡率城乡差距",
        }
        for i, area in enumerate(["A", "B"])
    ])  # fmt: skip


def test_a_narrowing_gap_is_judged_and_a_missing_side_is_named() -> None:
    obs = _obs([
        *[("W01-03", "A", "residence=urban", y, 6.0) for y in range(2020, 2025)],
        *[("W01-03", "A", "residence=rural", y, 12.0 - (y - 2020)) for y in range(2020, 2025)],
        *[("W01-03", "B", "residence=urban", y, 6.0) for y in range(2020, 2025)],
    ])  # fmt: skip
    computed = with_gaps(obs, GAPS)
    result = assess(computed, _targets(), 2024)
    result = explain_missing_gaps(result, computed, GAPS, {"W01-03": "孕产妇死亡率"})
    by_area = {r["area_code"]: r for r in result.iter_rows(named=True)}
    assert by_area["A"]["latest_value"] == 2.0 and by_area["A"]["status"] == "已实现"
    assert by_area["B"]["status"] == INSUFFICIENT
    assert by_area["B"]["reason"].startswith("缺少孕产妇死亡率（W01-03）的分城乡数据（农村），无法计算城乡差距")


def test_sides_never_in_the_same_year_are_explained() -> None:
    obs = _obs([("W01-03", "A", "residence=urban", 2021, 6.0), ("W01-03", "A", "residence=rural", 2022, 9.0)])
    computed = with_gaps(obs, GAPS)
    result = explain_missing_gaps(assess(computed, _targets().head(1), 2024), computed, GAPS, {})
    assert result["status"].to_list() == [INSUFFICIENT]
    assert "城镇和农村数据不在同一年份" in result["reason"][0]
