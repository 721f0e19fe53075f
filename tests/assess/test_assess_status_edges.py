"""Each status definition (``STATUS_DEFINITIONS``) pinned at its edges.

Exactly on the target, one unit of the last printed digit either side, exactly on each
ratio threshold, strict against non-strict comparators. Every expected number is worked
out by hand in the comment beside it; none is recomputed with the engine's functions.
The default printed precision is two decimals (``precision.DEFAULT_DECIMALS``).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from planwatch.assess import STATUS_DEFINITIONS, STATUSES, AssessConfig, assess, targets_frame
from planwatch.assess.frames import FrameError


def _obs(series: dict[int, float]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"indicator_code": "A", "area_code": "370103", "breakdown": "total", "year": y, "value": v}
         for y, v in series.items()]
    )


def _target(**kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "indicator_code": "A", "area_code": "370103", "kind": "quantitative",
        "comparator": ">=", "target_value": 85.0, "target_year": 2025, "baseline_year": 2020,
        "unit": "%", "direction": None, "indicator_name": "A",
    }
    row.update(kw)
    return row


def judge(series: dict[int, float], method: str = "default", year: int = 2023,
          config: AssessConfig | None = None, **kw: Any) -> dict[str, Any]:
    result = assess(_obs(series), pl.DataFrame([_target(**kw)]), year, method, config)
    assert result.height == 1
    return result.row(0, named=True)


# ------------------------------------------------------------------ the definitions


def test_every_status_has_one_chinese_definition() -> None:
    assert list(STATUS_DEFINITIONS) == list(STATUSES)
    assert "恰好等于目标值" in STATUS_DEFINITIONS["已实现"]
    assert "不超过目标值的2%（含2%）" in STATUS_DEFINITIONS["基本实现"]
    assert "95%以上（含95%" in STATUS_DEFINITIONS["预计可实现"]
    assert "接近目标" in STATUS_DEFINITIONS["预计可实现"]
    assert "一直为0" in STATUS_DEFINITIONS["预计达标困难"]


# ------------------------------------------------------------------ 已实现: on the target


@pytest.mark.parametrize("value, status", [
    (85.0, "已实现"),     # exactly on 不低于85%: counts as met
    (85.01, "已实现"),    # one unit of the last printed digit above
    (84.99, "基本实现"),  # one unit below: short by 0.01 ≤ 2 % × 85 = 1.7
    (84.995, "已实现"),   # printed as 85.00 (half up), so met — and the sentence says 85%
    (84.994, "基本实现"),  # printed as 84.99
])
def test_at_least_exactly_on_and_one_unit_either_side(value: float, status: str) -> None:
    r = judge({2023: value})
    assert r["status"] == status


def test_met_sentence_shows_the_rounded_value_it_was_judged_on() -> None:
    assert judge({2023: 84.995})["reason"] == "2023年为85%，已达到目标（不低于85%）"
    r = judge({2023: 84.994})
    assert r["reason"] == (
        "2023年为84.99%，距目标（不低于85%）差0.01个百分点，基本实现（差距不超过目标值的2%）"
    )


@pytest.mark.parametrize("value, status", [
    (85.0, "基本实现"),   # 高于85%: exactly 85 is not above; one unit (0.01) short
    (85.01, "已实现"),    # one unit above
    (84.99, "基本实现"),  # two units short
])
def test_strict_above_needs_one_unit_more(value: float, status: str) -> None:
    r = judge({2023: value}, comparator=">")
    assert r["status"] == status


def test_strict_on_target_names_the_missing_unit() -> None:
    assert judge({2023: 85.0}, comparator=">")["reason"] == (
        "2023年为85%，距目标（高于85%）差0.01个百分点，基本实现（差距不超过目标值的2%）"
    )


@pytest.mark.parametrize("comparator, value, status", [
    ("<=", 20.0, "已实现"),     # exactly on 不高于20/10万
    ("<=", 19.99, "已实现"),
    ("<=", 20.01, "基本实现"),  # 0.01 over ≤ 2 % × 20 = 0.4
    ("<", 20.0, "基本实现"),    # 低于20: exactly 20 is not below
    ("<", 19.99, "已实现"),
])
def test_lower_is_better_edges(comparator: str, value: float, status: str) -> None:
    r = judge({2023: value}, comparator=comparator, target_value=20.0, unit="/10万")
    assert r["status"] == status


def test_half_up_rounding_of_a_binary_fraction() -> None:
    # 48.985 is 48.98499999… in binary; printed with two decimals it is 48.99, as a
    # person rounds it, so it meets 不低于48.99.
    assert judge({2023: 48.985}, target_value=48.99)["status"] == "已实现"


def test_decimals_column_sets_the_printed_precision() -> None:
    # One decimal: 84.96 prints as 85.0 → met; 84.94 prints as 84.9 → short by 0.1.
    assert judge({2023: 84.96}, decimals=1)["status"] == "已实现"
    r = judge({2023: 84.94}, decimals=1)
    assert r["status"] == "基本实现"
    assert "差0.1个百分点，基本实现" in r["reason"]


def test_decimals_default_from_unit_and_printed_target() -> None:
    t = targets_frame([_target(), _target(target_value=0.125, unit=""),
                       _target(target_value=20.5, unit="/10万"), _target(decimals=0)])
    # 85 → 2 (the default); 0.125 printed with 3 → 3; 20.5 → 2; given 0 → 0.
    assert t["decimals"].to_list() == [2, 3, 2, 0]
    with pytest.raises(FrameError, match="decimals"):
        targets_frame([_target(decimals=9)])


def test_band_borders_are_inside() -> None:
    # 95%左右 with ±5 %: 95 × 0.05 = 4.75 → 90.25 … 99.75, borders included.
    for value, status in [(90.25, "已实现"), (99.75, "已实现"), (90.24, "基本实现"),
                          (99.76, "基本实现")]:
        assert judge({2023: value}, comparator="~", target_value=95.0)["status"] == status


# ------------------------------------------------------------------ 基本实现: the 2 % tolerance


@pytest.mark.parametrize("value, status", [
    (78.4, "基本实现"),   # short by 1.6 = 2 % × 80 exactly: inside (≤)
    (78.41, "基本实现"),  # short by 1.59
    (78.39, "数据不足"),  # short by 1.61 > 1.6, and one year gives no trend
])
def test_tolerance_edge(value: float, status: str) -> None:
    assert judge({2023: value}, target_value=80.0)["status"] == status


def test_basic_sentence_says_by_how_much() -> None:
    assert judge({2023: 78.4}, target_value=80.0)["reason"] == (
        "2023年为78.4%，距目标（不低于80%）差1.6个百分点，基本实现（差距不超过目标值的2%）"
    )


# ------------------------------------------------------------------ 预计可实现: the 0.95 ratio


def test_on_track_ratio_exactly_095() -> None:
    # 75.3, 77.2, 79.1, 81.0 (2020–2023) lie on a line: slope 1.9 a year.
    # 2025: 81.0 + 1.9 × 2 = 84.8; ratio = 3.8 ÷ (85 − 81) = 0.95 exactly → 预计可实现,
    # although 0.95 is 0.9499999999999993 in floating point.
    r = judge({2020: 75.3, 2021: 77.2, 2022: 79.1, 2023: 81.0})
    assert r["status"] == "预计可实现"
    assert r["method_category"] == "sun"
    assert r["progress_ratio"] == pytest.approx(0.95)
    # The projection (84.8) still misses 85: the sentence says 接近目标, by how much, and why
    # that is 预计可实现 (3.8 of the 4 points left: 95%, the threshold itself).
    assert r["reason"] == (
        "按2020—2023年平均每年提高1.9个百分点推算，2025年约为84.8%，接近目标（不低于85%），"
        "差0.2个百分点，可完成剩余差距的95%（达到95%即判为预计可实现）"
    )


def test_on_track_share_is_cut_not_rounded_up_to_100() -> None:
    # 0, 2500, 5000, 7500 people (2020–2023): slope 2500 a year; 2025: 12 500 against a target
    # of 12 501 (one person short). Ratio 5000 ÷ 5001 = 0.99980…: printed 99.9%, never 100%.
    r = judge({2020: 0, 2021: 2500, 2022: 5000, 2023: 7500}, unit="人", target_value=12501.0, decimals=0)
    assert r["status"] == "预计可实现"
    assert r["reason"].endswith("，差1人，可完成剩余差距的99.9%（达到95%即判为预计可实现）")


def test_on_track_share_follows_the_configured_threshold() -> None:
    cfg = AssessConfig(default_on_track_ratio=0.9, default_light_cloud_ratio=0.8)
    # 2025: 81 + 1.8 × 2 = 84.6 against 85: 3.6 of 4 points, 90%.
    r = judge({2020: 75.6, 2021: 77.4, 2022: 79.2, 2023: 81.0}, config=cfg)
    assert r["status"] == "预计可实现"
    assert r["reason"].endswith("差0.4个百分点，可完成剩余差距的90%（达到90%即判为预计可实现）")


def test_on_track_ratio_from_two_points_is_labelled() -> None:
    # The case: 75.3 (2020) → 81.0 (2023), a = 5.7 ÷ 3 = 1.9, ratio 0.95.
    r = judge({2020: 75.3, 2023: 81.0})
    assert r["status"] == "预计可实现"
    assert r["reason"].startswith(
        "仅有2020、2023年两个年份的数据，按其平均每年提高1.9个百分点推算（不足3个年份，仅供参考）"
    )


def test_just_below_095_is_at_risk() -> None:
    # 75.32 → 81.0: a = 5.68 ÷ 3 = 1.893333; 2025: 84.786667; ratio 3.786667 ÷ 4 = 0.946667.
    r = judge({2020: 75.32, 2023: 81.0})
    assert r["status"] == "预计达标困难"
    assert r["method_category"] == "light_cloud"
    assert "2025年约为84.79%，低于目标85%" in r["reason"]


def test_light_cloud_edge_080() -> None:
    # 76.2 → 81.0: a = 1.6, 2025: 84.2, ratio 3.2 ÷ 4 = 0.80 exactly → light_cloud;
    # 76.21 → 81.0: a = 1.596667, ratio 0.798333 → cloud.
    assert judge({2020: 76.2, 2023: 81.0})["method_category"] == "light_cloud"
    assert judge({2020: 76.21, 2023: 81.0})["method_category"] == "cloud"


def test_projection_exactly_on_target_strict_and_not() -> None:
    # 77, 79, 81 (2021–2023): slope 2, 2025: 85 exactly.
    series = {2021: 77.0, 2022: 79.0, 2023: 81.0}
    assert judge(series)["reason"].endswith("2025年约为85%，可达到目标（不低于85%）")
    r = judge(series, comparator=">")
    assert r["status"] == "预计可实现"  # ratio 4 ÷ 4 = 1
    assert r["reason"].endswith("2025年约为85%，接近目标（高于85%），差0.01个百分点，"
                                "可追平目标值（达到95%即判为预计可实现）")


def test_rounded_projection_that_meets_says_reachable() -> None:
    # 1.92 in 2023 rising 0.04 a year (1.84, 1.88, 1.92): 2025 ≈ 2.00 → 可达到 at two decimals.
    r = judge({2021: 1.84, 2022: 1.88, 2023: 1.92}, target_value=2.0, unit="比")
    assert r["status"] == "预计可实现"
    assert r["reason"].endswith("2025年约为2，可达到目标（不低于2）")


def test_un_ratio_exactly_095() -> None:
    # 19 (2020) → 76 (2022): CAGR = (76/19)^(1/2) − 1 = 2 − 1 = 1; 2023: 76 × 2 = 152;
    # ratio = (152 − 19) ÷ (159 − 19) = 133 ÷ 140 = 0.95 → on_track.
    r = judge({2020: 19.0, 2022: 76.0}, method="un", year=2022, target_value=159.0,
              target_year=2023, unit="")
    assert r["progress_ratio"] == pytest.approx(0.95)
    assert r["status"] == "预计可实现"
    # 159.01: ratio 133 ÷ 140.01 = 0.949932 → fair → 预计达标困难.
    r = judge({2020: 19.0, 2022: 76.0}, method="un", year=2022, target_value=159.01,
              target_year=2023, unit="")
    assert r["status"] == "预计达标困难"


def test_opensdg_ratio_exactly_095() -> None:
    # 1 (2020) → 7.414875 = 1.95³ (2023): CAGR_o = 0.95; target 32 = 2⁵ by 2025:
    # CAGR_r = 1; ratio = 0.95 ÷ 1 = 0.95 → substantial (projection 7.414875 × 1.95² =
    # 28.195562 < 32, so only the ratio decides).
    r = judge({2020: 1.0, 2023: 7.414875}, method="opensdg", target_value=32.0, unit="")
    assert r["progress_ratio"] == pytest.approx(0.95)
    assert r["status"] == "预计可实现"
    assert r["reason"].endswith("接近目标（不低于32），差3.8（实现目标所需年均增长率100%，观测与所需之比为0.95）")


def test_target_year_reached_and_missed_is_never_on_track() -> None:
    # UN: 50 (2020) → 88.1 (2025), target 不低于90 in 2025: short by 1.9 > 2 % × 90 = 1.8;
    # the ratio (88.1 − 50) ÷ 40 = 0.9525 would be on track, but the year has come.
    r = judge({2020: 50.0, 2025: 88.1}, method="un", year=2025, target_value=90.0)
    assert r["status"] == "预计达标困难"
    assert r["reason"] == "2025年为88.1%，已到目标年份2025年，未达到目标（不低于90%）"


# ------------------------------------------------------------------ projections use the data


def test_projection_uses_every_year_of_the_window() -> None:
    # 60, 60, 60, 60, 70 (2020–2024), 不低于80% by 2028. End points would say 2.5 a year
    # (→ 80 in 2028, reachable); the least-squares slope is Σ(x−x̄)(y−ȳ) ÷ Σ(x−x̄)² with
    # ȳ = 62: (4 + 2 − 2 + 16) ÷ 10 = 2.0. 2028 = 70 + 2 × 4 = 78, ratio 8 ÷ 10 = 0.8
    # → light_cloud → 预计达标困难.
    r = judge({2020: 60.0, 2021: 60.0, 2022: 60.0, 2023: 60.0, 2024: 70.0}, year=2024,
              target_value=80.0, target_year=2028)
    assert r["annual_change"] == pytest.approx(2.0)
    assert r["status"] == "预计达标困难"
    assert r["reason"] == "按2020—2024年平均每年提高2个百分点推算，2028年约为78%，低于目标80%"


def test_newer_years_are_never_skipped() -> None:
    # 70 (2020), 72 (2021), 80 (2024): x = −4, −3, 0, x̄ = −7/3, ȳ = 74;
    # Sxy = 20/3 + 4/3 + 14 = 22, Sxx = 26/3 → slope 66/26 = 2.538462.
    r = judge({2020: 70.0, 2021: 72.0, 2024: 80.0}, year=2024)
    assert r["annual_change"] == pytest.approx(2.538462, abs=1e-6)
    assert r["n_window"] == 3
    assert r["reason"].startswith("按2020—2024年平均每年提高2.54个百分点推算")


# ------------------------------------------------------------------ directional: 0.5 %/yr


@pytest.mark.parametrize("start, end, direction, status", [
    (70.0, 71.05, "increase", "已实现"),   # 0.35 ÷ 70 = 0.005 exactly
    (100.0, 101.5, "increase", "已实现"),  # 0.5 ÷ 100 = 0.005 exactly
    (70.0, 71.04, "increase", "基本实现"),  # 0.346667 ÷ 70 = 0.004952
    (100.0, 98.5, "decrease", "已实现"),    # −0.5 ÷ 100 = −0.005, wanted down
    (100.0, 98.5, "increase", "逆向变化"),  # −0.005 against the wanted direction
    (100.0, 98.51, "increase", "预计达标困难"),  # −0.00496667: stalled, not reversed
])
def test_directional_significance_edges(start: float, end: float, direction: str,
                                        status: str) -> None:
    r = judge({2020: start, 2023: end}, kind="directional", comparator=None,
              target_value=None, direction=direction)
    assert r["status"] == status


# ------------------------------------------------------------------ Open SDG method edges


@pytest.mark.parametrize("method", ["default", "un", "opensdg"])
def test_series_that_never_moved_is_stagnation(method: str) -> None:
    # Stuck at 0 against 不低于27: no growth at all, so 预计达标困难, never 逆向变化
    # (sdg-build alone would compute (0 ÷ 0.001)^(1/3) − 1 = −100 % a year).
    r = judge({2020: 0.0, 2021: 0.0, 2022: 0.0, 2023: 0.0}, method=method, target_value=27.0)
    assert r["status"] == "预计达标困难"
    assert r["reason"] is not None and "相反" not in r["reason"]


def test_opensdg_target_met_at_baseline_then_lost() -> None:
    # 90 (2020) ≥ 85, then 80 (2023): CAGR_o = (80/90)^(1/3) − 1 = −0.038500,
    # CAGR_r = (85/90)^(1/5) − 1 = −0.011367, ratio = −0.038500 ÷ 0.011367 = −3.387145
    # → deterioration → 逆向变化, and the reason says the target was once met.
    r = judge({2020: 90.0, 2023: 80.0}, method="opensdg")
    assert r["status"] == "逆向变化"
    assert r["progress_ratio"] == pytest.approx(-3.387145, abs=1e-6)
    assert r["reason"].endswith("2023年为80%；2020年曾达到目标")


def test_opensdg_target_equal_to_baseline_then_lost() -> None:
    # Target = baseline 85: CAGR_r = 0, sdg-build divides by zero; planwatch: deterioration.
    r = judge({2020: 85.0, 2023: 80.0}, method="opensdg")
    assert r["status"] == "逆向变化"
    assert r["progress_ratio"] is None


def test_opensdg_single_point() -> None:
    # One year meeting the target is 已实现 (as in sdg-build); one year short is 数据不足.
    assert judge({2023: 86.0}, method="opensdg")["status"] == "已实现"
    assert judge({2023: 80.0}, method="opensdg")["status"] == "数据不足"


def test_opensdg_zero_baseline_that_grows() -> None:
    # 0 (2020) → 9 (2023) against 27 by 2025, baseline read as 0.001:
    # CAGR_o = 9000^(1/3) − 1 = 19.800838, CAGR_r = 27000^(1/5) − 1 = 6.696136,
    # ratio 2.957054 ≥ 0.95 → substantial → 预计可实现.
    r = judge({2020: 0.0, 2023: 9.0}, method="opensdg", target_value=27.0)
    assert r["progress_ratio"] == pytest.approx(2.957054, abs=1e-6)
    assert r["status"] == "预计可实现"


def test_method_notes_name_each_departure() -> None:
    from planwatch.assess import METHOD_NOTES

    text = "".join(METHOD_NOTES["opensdg"])
    for phrase in ("最新值为0时也以0.001代替", "基期已达到目标、其后失守", "只有一个年份的数据"):
        assert phrase in text
    assert "最小二乘" in "".join(METHOD_NOTES["default"])
