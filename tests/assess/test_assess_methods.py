"""Each method pinned to worked examples computed by hand from its published formula.

The arithmetic is in the comments; the assertions use the hand-computed numbers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import polars as pl
import pytest

from planwatch.assess import AssessConfig, assess


def obs(series: dict[int, float], code: str = "A", area: str = "370103",
        breakdown: str = "total") -> list[dict[str, Any]]:
    return [
        {"indicator_code": code, "area_code": area, "breakdown": breakdown, "year": y, "value": v}
        for y, v in series.items()
    ]


def target(code: str = "A", area: str = "370103", **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "indicator_code": code,
        "area_code": area,
        "kind": "quantitative",
        "comparator": ">=",
        "target_value": 85.0,
        "target_year": 2025,
        "baseline_year": 2020,
        "unit": "%",
        "direction": None,
        "lead_unit": "区卫生健康局",
        "plan": "妇女发展规划",
        "domain": "妇女与健康",
        "indicator_name": code,
    }
    row.update(kw)
    return row


def one(series: dict[int, float], method: str = "default", year: int = 2023,
        config: AssessConfig | None = None, **kw: Any) -> dict[str, Any]:
    result = assess(pl.DataFrame(obs(series)), pl.DataFrame([target(**kw)]), year, method, config)
    assert result.height == 1
    return result.row(0, named=True)


# ------------------------------------------------------------------ default (DNS)


def test_default_projection_short_of_target_gives_the_documented_sentence() -> None:
    # a = (81.5 − 79.1) / (2023 − 2020) = 0.8 per year
    # projection 2025 = 81.5 + 0.8 × 2 = 83.1 < 85
    # ratio = (83.1 − 81.5) / (85 − 81.5) = 1.6 / 3.5 = 0.457 < 0.80 → cloud → 预计达标困难
    r = one({2020: 79.1, 2021: 79.9, 2022: 80.7, 2023: 81.5})
    assert r["annual_change"] == pytest.approx(0.8)
    assert r["projection"] == pytest.approx(83.1)
    assert r["progress_ratio"] == pytest.approx(1.6 / 3.5)
    assert r["method_category"] == "cloud"
    assert r["status"] == "预计达标困难"
    assert r["gap"] == pytest.approx(3.5)
    assert r["reason"] == "按2020—2023年平均每年提高0.8个百分点推算，2025年约为83.1%，低于目标85%"
    assert r["warnings"] == ["预计达标困难"]


def test_default_on_track() -> None:
    # 82.6 is 2.4 short of 85, more than the 2 % tolerance (1.7)
    # a = (82.6 − 78.1) / 3 = 1.5; projection = 82.6 + 3.0 = 85.6 ≥ 85
    # ratio = 3.0 / 2.4 = 1.25 ≥ 0.95 → sun → 预计可实现
    r = one({2020: 78.1, 2023: 82.6})
    assert r["projection"] == pytest.approx(85.6)
    assert r["method_category"] == "sun"
    assert r["status"] == "预计可实现"
    assert r["reason"] == (
        "仅有2020、2023年两个年份的数据，按其平均每年提高1.5个百分点推算（不足3个年份，仅供参考），"
        "2025年约为85.6%，可达到目标（不低于85%）"
    )
    assert r["warnings"] == []


def test_default_light_cloud_is_still_a_projected_miss() -> None:
    # a = (83 − 80.3) / 3 = 0.9; projection = 83 + 1.8 = 84.8; ratio = 1.8 / 2 = 0.9 ∈ [0.8, 0.95)
    r = one({2020: 80.3, 2023: 83.0})
    assert r["progress_ratio"] == pytest.approx(0.9)
    assert r["method_category"] == "light_cloud"
    assert r["status"] == "预计达标困难"


def test_default_wrong_direction_is_regression() -> None:
    # ≤ 8/10万, values rise 9 → 10.5: a = +0.5 per year, away from the target → storm
    r = one({2020: 9.0, 2023: 10.5}, comparator="<=", target_value=8.0, unit="/10万")
    assert r["annual_change"] == pytest.approx(0.5)
    assert r["method_category"] == "storm"
    assert r["status"] == "逆向变化"
    assert r["gap"] == pytest.approx(2.5)
    assert r["reason"] == (
        "2020—2023年平均每年提高0.5/10万，与目标（不高于8/10万）要求的方向相反，2023年为10.5/10万"
    )


def test_met_and_basically_met() -> None:
    r = one({2020: 9.0, 2023: 7.5}, comparator="<=", target_value=8.0, unit="/10万")
    assert r["status"] == "已实现"
    assert r["reason"] == "2023年为7.5/10万，已达到目标（不高于8/10万）"
    # 20.1 vs ≤ 20: short by 0.1 ≤ 2 % × 20 = 0.4 → 基本实现 (the bureaus' own example)
    r = one({2020: 22.0, 2023: 20.1}, comparator="<=", target_value=20.0, unit="/10万")
    assert r["status"] == "基本实现"
    assert r["gap"] == pytest.approx(0.1)
    assert r["reason"] == (
        "2023年为20.1/10万，距目标（不高于20/10万）差0.1/10万，基本实现（差距不超过目标值的2%）"
    )


def test_tolerance_comes_from_config() -> None:
    cfg = AssessConfig.from_dict({"basic_tolerance_rel": 0.0})
    r = one({2020: 22.0, 2023: 20.1}, comparator="<=", target_value=20.0, unit="/10万", config=cfg)
    # a = (20.1 − 22) / 3 = −0.6333; projection = 20.1 − 1.2667 = 18.83 ≤ 20 → on track
    assert r["status"] == "预计可实现"
    assert r["projection"] == pytest.approx(20.1 - 2 * 1.9 / 3)


def test_single_data_point() -> None:
    # One year: the level can be judged, the trend cannot.
    assert one({2023: 90.0})["status"] == "已实现"
    r = one({2023: 80.0})
    assert r["status"] == "数据不足"
    assert r["projection"] is None
    assert r["reason"] == "截至2023年仅有1个年份的数据（2023年为80%），尚未达到目标（不低于85%），无法判断趋势"


def test_gaps_in_the_years_divide_by_the_real_distance() -> None:
    # 2019: 70, 2020: 71, (2021, 2022 missing), 2023: 74; window = 2018–2023
    # a = (74 − 70) / (2023 − 2019) = 1.0; projection = 74 + 2 = 76 (target 80)
    # ratio = 2 / 6 = 0.333 → cloud
    r = one({2019: 70.0, 2020: 71.0, 2023: 74.0}, target_value=80.0)
    assert r["annual_change"] == pytest.approx(1.0)
    assert r["projection"] == pytest.approx(76.0)
    assert r["status"] == "预计达标困难"
    assert r["n_years"] == 3


def test_stale_latest_year_is_flagged_missing() -> None:
    r = one({2020: 80.0, 2021: 82.0}, target_value=85.0)
    # latest is 2021: a = 2, projection 2025 = 82 + 2 × 4 = 90 → on track, but 2023 is missing
    assert r["projection"] == pytest.approx(90.0)
    assert r["status"] == "预计可实现"
    assert "数据缺失" in r["warnings"]


def test_zero_values() -> None:
    # Counts stuck at 0 against ≥ 10: a = 0 (not away), ratio = 0 → cloud → 预计达标困难
    series = {2020: 0.0, 2021: 0.0, 2022: 0.0, 2023: 0.0}
    r = one(series, target_value=10.0, unit="人")
    assert r["status"] == "预计达标困难"
    assert r["reason"].startswith("按2020—2023年基本持平推算，2025年约为0人")
    assert r["volatile"] is False
    # UN: both zeros become 0.001 → CAGR 0 → projection 0.001 → ratio ≈ 0 → stagnation
    r = one(series, method="un", target_value=10.0, unit="人")
    assert r["method_category"] == "stagnation"
    assert r["status"] == "预计达标困难"


def test_projection_is_clamped_to_natural_limits() -> None:
    # ≤ 0 % target: 2.1 → 0.6, a = −0.5; 0.6 − 1.0 = −0.4 → clamped to 0 (a rate stays ≥ 0)
    r = one({2020: 2.1, 2023: 0.6}, comparator="<=", target_value=0.0)
    assert r["projection"] == 0.0
    assert r["status"] == "预计可实现"
    # ≥ 99 %: 95 → 98, a = 1; 98 + 2 = 100 exactly (not 100.x)
    r = one({2020: 95.0, 2023: 98.0}, target_value=99.0)
    assert r["projection"] == pytest.approx(100.0)
    r = one({2020: 92.0, 2023: 98.0}, target_value=99.0)  # a = 2 → 102 → 100
    assert r["projection"] == 100.0


def test_target_already_met_at_baseline_all_methods() -> None:
    series = {2020: 96.0, 2021: 96.5, 2022: 97.0, 2023: 97.2}
    for method in ("default", "un", "opensdg"):
        r = one(series, method=method, target_value=95.0)
        assert r["status"] == "已实现", method
        assert r["method_category"] == "target_met"


def test_figures_after_the_as_of_year_are_ignored() -> None:
    series = {2020: 79.1, 2023: 81.5, 2024: 99.0}
    assert one(series, year=2023)["status"] == "预计达标困难"
    assert one(series, year=2024)["status"] == "已实现"


def test_approximately_and_hold_at_a_level() -> None:
    # "~" 95 with the default ±5 % band: 91 is within 90.25–99.75 → met
    assert one({2023: 91.0}, comparator="~", target_value=95.0)["status"] == "已实现"
    r = one({2023: 89.0}, comparator="~", target_value=95.0)
    assert r["status"] == "基本实现"  # outside by 1.25 ≤ 2 % × 95 = 1.9
    assert r["reason"].startswith("2023年为89%，距目标（95%左右）的±5%允许范围差1.25个百分点，基本实现")


# ------------------------------------------------------------------ UN progress chart 2023


def test_un_fair_progress() -> None:
    # CAGR = (56 / 50)^(1/3) − 1 = exp(ln 1.12 / 3) − 1 = exp(0.037776) − 1 = 0.038499
    # projection = 56 × 1.038499² = 56 × 1.078480 = 60.3949
    # ratio = (60.3949 − 50) / (70 − 50) = 0.5197 ∈ [0.10, 0.95) → fair → 预计达标困难
    r = one({2020: 50.0, 2021: 52.0, 2022: 54.0, 2023: 56.0}, method="un", target_value=70.0)
    assert r["growth_rate"] == pytest.approx(0.038499, abs=1e-6)
    assert r["projection"] == pytest.approx(60.3949, abs=1e-3)
    assert r["progress_ratio"] == pytest.approx(0.5197, abs=1e-4)
    assert r["method_category"] == "fair"
    assert r["status"] == "预计达标困难"
    assert r["reason"] == (
        "按2020—2023年年均增长3.85%推算，2025年约为60.39%，低于目标70%（预计进展为所需进展的52%）"
    )


def test_un_on_track_stagnation_regression() -> None:
    # CAGR = 1.24^(1/3) − 1 = 0.074337; projection = 62 × 1.154200 = 71.56; ratio = 21.56/15 = 1.437
    r = one({2020: 50.0, 2023: 62.0}, method="un", target_value=65.0)
    assert r["projection"] == pytest.approx(71.56, abs=0.01)
    assert r["status"] == "预计可实现"
    # CAGR = 1.01^(1/3) − 1 = 0.0033223; projection = 50.5 × 1.0066556 = 50.8361
    # ratio = 0.8361 / 20 = 0.0418 < 0.10, ≥ 0 → stagnation → 预计达标困难
    r = one({2020: 50.0, 2023: 50.5}, method="un", target_value=70.0)
    assert r["progress_ratio"] == pytest.approx(0.0418, abs=1e-4)
    assert r["method_category"] == "stagnation"
    assert r["status"] == "预计达标困难"
    # 50 → 48: ratio < 0 → regression → 逆向变化
    r = one({2020: 50.0, 2023: 48.0}, method="un", target_value=70.0)
    assert r["method_category"] == "regression"
    assert r["status"] == "逆向变化"


def test_un_within_one_point_of_100_or_0_percent_is_met() -> None:
    r = one({2020: 97.0, 2023: 99.2}, method="un", target_value=100.0)
    assert r["status"] == "已实现"
    assert "按联合国方法视为已实现" in r["reason"]
    # The default method has no such rule: 99.2 is 0.8 short ≤ 2 % × 100 → 基本实现
    assert one({2020: 97.0, 2023: 99.2}, target_value=100.0)["status"] == "基本实现"
    r = one({2020: 1.5, 2023: 0.6}, method="un", comparator="<=", target_value=0.0)
    assert r["status"] == "已实现"
    # ... but only for % targets at a natural limit
    r = one({2020: 1.5, 2023: 0.6}, method="un", comparator="<=", target_value=0.0, unit="人")
    assert r["status"] != "已实现"


def test_un_single_point_and_negative_values() -> None:
    assert one({2023: 50.0}, method="un", target_value=70.0)["status"] == "数据不足"
    r = one({2020: -5.0, 2023: -3.0}, method="un", target_value=0.0, unit="")
    assert r["status"] == "数据不足"


# ------------------------------------------------------------------ Open SDG (sdg-build)


def test_opensdg_limited_progress() -> None:
    # CAGR_o = (56/50)^(1/3) − 1 = 0.038499
    # CAGR_r = (70/50)^(1/5) − 1 = exp(ln 1.4 / 5) − 1 = exp(0.067294) − 1 = 0.069610
    # ratio = 0.038499 / 0.069610 = 0.5531 ∈ [0, 0.60) → limited → 预计达标困难
    r = one({2020: 50.0, 2023: 56.0}, method="opensdg", target_value=70.0)
    assert r["progress_ratio"] == pytest.approx(0.5531, abs=1e-4)
    assert r["method_category"] == "limited"
    assert r["status"] == "预计达标困难"
    assert "实现目标所需年均增长率6.96%，观测与所需之比为0.55" in r["reason"]


def test_opensdg_lower_is_better_moderate() -> None:
    # CAGR_o = 0.8^(1/3) − 1 = −0.071682; CAGR_r = 0.6^(1/5) − 1 = −0.097123
    # ratio = sign(+1) × direction(−1) × (−0.071682) / 0.097123 = 0.7381 → moderate
    r = one({2020: 20.0, 2023: 16.0}, method="opensdg", comparator="<=", target_value=12.0,
            unit="/10万")
    assert r["progress_ratio"] == pytest.approx(0.7381, abs=1e-4)
    assert r["method_category"] == "moderate"
    assert r["status"] == "预计达标困难"


def test_opensdg_substantial_and_deterioration() -> None:
    # CAGR_o = 1.22^(1/3) − 1 = 0.068534; ratio = 0.068534 / 0.069610 = 0.9845 → substantial
    r = one({2020: 50.0, 2023: 61.0}, method="opensdg", target_value=70.0)
    assert r["progress_ratio"] == pytest.approx(0.9845, abs=1e-4)
    assert r["status"] == "预计可实现"
    r = one({2020: 50.0, 2023: 48.0}, method="opensdg", target_value=70.0)
    assert r["method_category"] == "deterioration"
    assert r["status"] == "逆向变化"


def test_opensdg_zero_target_and_zero_baseline_use_0_001() -> None:
    # target 0 → 0.001: CAGR_r = (0.001/1.5)^(1/5) − 1 = −0.768377
    # CAGR_o = (0.6/1.5)^(1/3) − 1 = −0.263194; ratio = (−1)(−0.263194)/0.768377 = 0.3425
    r = one({2020: 1.5, 2023: 0.6}, method="opensdg", comparator="<=", target_value=0.0)
    assert r["progress_ratio"] == pytest.approx(0.3425, abs=1e-4)
    assert r["method_category"] == "limited"
    # base 0 → 0.001: CAGR_o = (5/0.001)^(1/3) − 1 = 16.0998; CAGR_r = (10/0.001)^(1/5) − 1 = 5.30957
    r = one({2020: 0.0, 2023: 5.0}, method="opensdg", target_value=10.0, unit="人")
    assert r["progress_ratio"] == pytest.approx(16.0998 / 5.30957, rel=1e-4)
    assert r["status"] == "预计可实现"


def test_opensdg_needs_two_years_apart() -> None:
    assert one({2023: 50.0}, method="opensdg", target_value=70.0)["status"] == "数据不足"


# ------------------------------------------------------------------ must-hold targets


def test_must_hold_violations_and_threat() -> None:
    # ≥ 95 every year; 2020 is the baseline (not judged), 2021 broke the line
    r = one({2020: 94.0, 2021: 94.5, 2022: 96.0, 2023: 95.5}, target_value=95.0, must_hold=True)
    assert r["status"] == "已实现"
    assert r["hold_violations"] == [2021]
    assert "未能保持" in r["warnings"]
    # Falling 1 a year while still met: 96 − 2 = 94 < 95 by 2025 → warned, status unchanged
    r = one({2021: 98.0, 2022: 97.0, 2023: 96.0}, target_value=95.0, must_hold=True)
    assert r["status"] == "已实现"
    assert r["threatened"] is True
    assert r["projection"] == pytest.approx(94.0)
    assert r["warnings"] == ["预计达标困难"]
    assert r["hold_violations"] == []


def test_maintain_comparator_defaults_to_must_hold() -> None:
    r = one({2021: 97.0, 2022: 99.0, 2023: 98.5}, comparator="maintain", target_value=98.0,
            better="higher")
    assert r["status"] == "已实现"
    assert r["must_hold"] is True
    assert r["hold_violations"] == [2021]


# ------------------------------------------------------------------ directional targets


@pytest.mark.parametrize(
    ("direction", "series", "expected"),
    [
        # a = (106 − 100)/3 = 2; relative 2/100 = 2 % ≥ 0.5 % → 已实现
        ("increase", {2020: 100.0, 2023: 106.0}, "已实现"),
        # a = 0.3; 0.3 % < 0.5 %, right way → 基本实现
        ("increase", {2020: 100.0, 2023: 100.9}, "基本实现"),
        # a = −0.0333; −0.033 % → stalled → 预计达标困难
        ("increase", {2020: 100.0, 2023: 99.9}, "预计达标困难"),
        # decrease wanted, +1 %/year → 逆向变化
        ("decrease", {2020: 100.0, 2023: 103.0}, "逆向变化"),
        ("eliminate", {2020: 3.0, 2023: 0.0}, "已实现"),
        # eliminate, falling 1/3 of 3 a year = 11 %/year → on its way
        ("eliminate", {2020: 3.0, 2023: 2.0}, "预计可实现"),
        # maintain (hold): 0.1 %/year → 已实现; 2 %/year → not stable
        ("maintain", {2020: 100.0, 2023: 100.3}, "已实现"),
        ("maintain", {2020: 100.0, 2023: 106.0}, "预计达标困难"),
        ("increase", {2023: 100.0}, "数据不足"),
    ],
)
def test_directional(direction: str, series: dict[int, float], expected: str) -> None:
    r = one(series, kind="directional", comparator=None, target_value=None, direction=direction,
            unit="")
    assert r["status"] == expected
    assert r["gap"] is None and r["projection"] is None


def test_directional_reason_names_the_rate() -> None:
    r = one({2020: 100.0, 2023: 106.0}, kind="directional", comparator=None, target_value=None,
            direction="increase", unit="")
    assert r["growth_rate"] == pytest.approx(0.02)
    assert r["reason"] == "2020—2023年年均增长2%，符合“逐步提高”的要求"
    # un: CAGR = 1.06^(1/3) − 1 = 1.9612 %
    r = one({2020: 100.0, 2023: 106.0}, method="un", kind="directional", comparator=None,
            target_value=None, direction="increase", unit="")
    assert r["growth_rate"] == pytest.approx(0.019612, abs=1e-6)


# ------------------------------------------------------------------ volatility and outliers


def test_volatility_on() -> None:
    # OLS over 2019–2023: mean 11.6, slope = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = 1.0/10 = 0.1
    # residuals −1.4, 2.5, −2.6, 3.3, −1.8; SSR = 29.1; sd = √(29.1/3) = 3.1145
    # scale = max(|0.1|, 2 % × 11.6 = 0.232) = 0.232 → volatility = 13.42 ≥ 1 → 波动较大
    r = one({2019: 10.0, 2020: 14.0, 2021: 9.0, 2022: 15.0, 2023: 10.0}, target_value=20.0,
            unit="人")
    assert r["residual_sd"] == pytest.approx(3.1145, abs=1e-4)
    assert r["volatility"] == pytest.approx(3.1145 / 0.232, rel=1e-4)
    assert r["volatile"] is True
    assert "波动较大" in r["warnings"]


def test_volatility_off() -> None:
    # A straight line: residuals 0 → volatility 0
    r = one({2019: 10.0, 2020: 11.0, 2021: 12.0, 2022: 13.0, 2023: 14.0}, target_value=20.0,
            unit="人")
    assert r["volatility"] == pytest.approx(0.0, abs=1e-9)
    assert r["volatile"] is False
    # Flat with small noise: slope 0, SSR = 0.292, sd = 0.3120; scale = 2 % × 100.14 = 2.0028
    # volatility = 0.1558 < 1
    r = one({2019: 100.0, 2020: 100.5, 2021: 99.8, 2022: 100.3, 2023: 100.1}, target_value=200.0,
            unit="人")
    assert r["volatility"] == pytest.approx(0.3120 / 2.0028, abs=1e-3)
    assert r["volatile"] is False
    assert r["outlier_years"] == []


def test_volatility_needs_four_years() -> None:
    r = one({2021: 10.0, 2022: 30.0, 2023: 10.0}, target_value=50.0, unit="人")
    assert r["volatility"] is None and r["volatile"] is False


def test_single_outlier() -> None:
    # 10, 11, 12, 30, 14 (2019–2023): slope 2.7, fitted 10, 12.7, 15.4, 18.1, 20.8
    # residuals 0, −1.7, −3.4, 11.9, −6.8; median −1.7; |e − med| = 1.7, 0, 1.7, 13.6, 5.1 → MAD 1.7
    # z(2022) = 0.6745 × 13.6 / 1.7 = 5.396 ≥ 3.5; z(2023) = 0.6745 × 5.1 / 1.7 = 2.02
    r = one({2019: 10.0, 2020: 11.0, 2021: 12.0, 2022: 30.0, 2023: 14.0}, target_value=50.0,
            unit="人")
    assert r["outlier_years"] == [2022]
    assert "异常值" in r["warnings"]


def test_rounding_noise_on_a_straight_trend_is_not_an_outlier() -> None:
    # 96.0, 96.1, 96.2, 96.5, 96.4 (%): four years sit on one line, 2022 is 0.3 points off it.
    # Without a floor the MAD is tiny and that 0.3-point wobble scores z = 5.4 (an "outlier").
    # The spread's floor, 1 % of the level (0.96 points), makes it z ≈ 0.17: no outlier.
    series = {2019: 96.0, 2020: 96.1, 2021: 96.2, 2022: 96.5, 2023: 96.4}
    unfloored = one(series, target_value=98.0, unit="%",
                    config=dataclasses.replace(AssessConfig(), outlier_floor_rel=0.0))
    assert unfloored["outlier_years"] == [2022] and unfloored["outlier_z"] == pytest.approx(5.4, abs=0.05)
    r = one(series, target_value=98.0, unit="%")
    assert r["outlier_years"] == []
    assert r["outlier_z"] < 1


def test_a_real_jump_on_a_flat_series_is_still_an_outlier_with_a_readable_z() -> None:
    # 90, 90, 90, 80, 90 (%): residuals are 0 except 2022; MAD and mean deviation are tiny, so
    # the spread is the floor, 0.9 (1 % of the mean 88): |e| ≈ 8 points → z ≈ 9, not thousands.
    r = one({2019: 90.0, 2020: 90.0, 2021: 90.0, 2022: 80.0, 2023: 90.0}, target_value=95.0,
            unit="%")
    assert r["outlier_years"] == [2022]
    assert 3.5 <= r["outlier_z"] < 20


# ------------------------------------------------------------------ frame-level behaviour


def test_every_breakdown_and_targets_without_data() -> None:
    rows = (
        obs({2020: 80.0, 2023: 86.0})
        + obs({2020: 70.0, 2023: 71.0}, breakdown="sex=female")
        + obs({2020: 90.0, 2023: 95.0}, code="OTHER")
    )
    targets = [target(), target(code="B")]
    result = assess(pl.DataFrame(rows), pl.DataFrame(targets), 2023)
    assert result.select("indicator_code", "breakdown", "status").rows() == [
        ("A", "sex=female", "预计达标困难"),
        ("A", "total", "已实现"),
        ("B", "total", "数据不足"),
    ]
    assert result.row(2, named=True)["warnings"] == ["数据缺失"]


def test_duplicate_year_is_refused() -> None:
    rows = obs({2020: 80.0, 2023: 86.0}) + obs({2023: 87.0})
    with pytest.raises(ValueError, match="同一年份有多个值"):
        assess(pl.DataFrame(rows), pl.DataFrame([target()]), 2023)


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的评估方法"):
        assess(pl.DataFrame(obs({2023: 1.0})), pl.DataFrame([target()]), 2023, "weather")


def test_no_observations_and_no_targets() -> None:
    empty_obs = pl.DataFrame(obs({2023: 1.0})).head(0)
    result = assess(empty_obs, pl.DataFrame([target()]), 2023)
    assert result.select("status", "warnings").rows() == [("数据不足", ["数据缺失"])]
    assert result["reason"].to_list() == ["截至2023年没有已审核的数据，无法评估"]
    no_targets = pl.DataFrame([target()]).head(0)
    assert assess(pl.DataFrame(obs({2023: 1.0})), no_targets, 2023).is_empty()
