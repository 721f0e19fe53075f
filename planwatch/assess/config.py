"""Thresholds of the assessment, with the reasoning behind each default.

A verdict is only as defensible as its thresholds, so every threshold lives here (not as a
literal inside a formula), carries the reason it has its default value, and can be
overridden from the workspace configuration (``AssessConfig.from_dict``). Reports print
``AssessConfig.describe()`` so that readers see which numbers produced the verdicts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from planwatch.errors import PlanwatchError


class ConfigError(PlanwatchError, ValueError):
    """A threshold in the workspace configuration is unknown or of the wrong type."""

    code = "assess.config"


def _t(default: Any, why: str) -> Any:
    return field(default=default, metadata={"why": why})


@dataclass(frozen=True)
class AssessConfig:
    """All tunable numbers of the assessment (see each field's ``why``)."""

    trend_window_years: int = _t(
        5,
        "近5年平均变化：德国可持续发展战略（DNS）按最近五年的年均变化外推；五年也是一个规划期，"
        "足以平滑单年波动，又不会让规划期之前的旧趋势主导判断。",
    )
    min_trend_points: int = _t(
        2,
        "至少2个年份才能得到变化方向（UN、Open SDG 同样要求至少两个数据点）；"
        "只有1年数据时只能判断是否已达标，其余判为数据不足。",
    )
    basic_tolerance_rel: float = _t(
        0.02,
        "基本实现：未达标但差距不超过目标值的2%。统计部门曾把 20.1/10万 对 20/10万 的目标"
        "（差0.5%）判为基本实现；2%大致是年度行政记录数据的统计误差范围，再大就是实际差距。",
    )
    approx_tolerance_rel: float = _t(
        0.05,
        "“左右”（~）和“保持/稳定在”某一水平（better=hold）时允许的偏离：目标值的±5%。",
    )
    default_on_track_ratio: float = _t(
        0.95,
        "默认方法（DNS“晴”）：按趋势外推到目标年，能完成剩余差距的95%以上（偏差<5%）"
        "即预计可实现。",
    )
    default_light_cloud_ratio: float = _t(
        0.80,
        "默认方法（DNS“少云”）：完成剩余差距的80%–95%（偏差5%–20%）仍判预计达标困难，"
        "但在 method_category 中区分为 light_cloud，低于80%为 cloud。",
    )
    reverse_deadband_rel: float = _t(
        0.0,
        "年均变化背离目标方向即判逆向变化（DNS“雷雨”）。若数据噪声大，可设一个相对于水平值"
        "的死区（如0.001即0.1%/年），死区内的背离视为停滞（预计达标困难）。",
    )
    un_on_track_ratio: float = _t(
        0.95,
        "UN 2023 进展图：预计进展/所需进展 ≥0.95 为 on track（预计可实现）。",
    )
    un_fair_ratio: float = _t(
        0.10,
        "UN 2023 进展图：0.10–0.95 为 fair progress but acceleration needed；<0.10 为"
        "stagnation or regression。planwatch 把 <0 的部分（背离目标）判为逆向变化，"
        "0–0.10 判为预计达标困难。",
    )
    un_near_bound_points: float = _t(
        1.0,
        "UN 2023：目标为0%或100%时，最新值与目标相差1个百分点以内视为已实现。",
    )
    opensdg_high: float = _t(
        0.95, "Open SDG（sdg-build ProgressMeasure）：观测/所需CAGR之比 ≥0.95 为 substantial progress。"
    )
    opensdg_med: float = _t(
        0.60, "Open SDG：0.60–0.95 为 moderate progress（需要加速）。"
    )
    opensdg_low: float = _t(
        0.0, "Open SDG：0–0.60 为 limited progress，<0 为 deterioration（逆向变化）。"
    )
    zero_substitute: float = _t(
        0.001,
        "年均复合增长率在0处无定义；与 sdg-build 一致，基期值或目标值为0时以0.001代替。",
    )
    directional_significant_rel: float = _t(
        0.005,
        "方向性目标（逐步提高、明显下降…）：年均相对变化达到0.5%视为有实质变化。UN 2023"
        "对无数值目标的指标以年均增长0.5%为停滞线，sdg-build 的 moderate 阈值也是0.005。",
    )
    eliminate_max: float = _t(
        0.0, "“基本消除/消除”类目标：最新值不超过该值视为已实现。"
    )
    volatility_threshold: float = _t(
        1.0,
        "波动较大：窗口内各年值相对线性趋势的残差标准差 ≥ 趋势每年的变化幅度"
        "（或水平值的2%，取大者）。残差与年变化同量级时，逐年的升降已无法说明趋势。",
    )
    volatility_level_floor_rel: float = _t(
        0.02,
        "波动指数的分母下限：水平值的2%。没有趋势的平稳序列若残差不到水平值的2%，不算波动。",
    )
    min_volatility_points: int = _t(
        4, "判断波动至少需要4个年份（线性拟合后还剩2个自由度）。"
    )
    outlier_z: float = _t(
        3.5,
        "单个异常值：去趋势残差的修正z分数（0.6745×(e−中位数)/MAD）≥3.5，"
        "即 Iglewicz–Hoaglin 的经典阈值；DHIS2 用3。与“波动较大”分开：一个异常年份不等于"
        "序列不稳。",
    )
    outlier_floor_rel: float = _t(
        0.01,
        "异常值判断中“典型偏离”的下限：水平值的1%（且不小于填报精度的一个末位单位）。其余年份"
        "几乎正好落在趋势线上时，只差四舍五入的偏离也会得到极大的修正z分数；有了下限，"
        "偏离须超过水平值的约3.5%才算异常值。",
    )
    min_outlier_points: int = _t(4, "识别异常值至少需要4个年份。")

    def __post_init__(self) -> None:
        if self.trend_window_years < 1:
            raise ConfigError("trend_window_years 必须 ≥ 1")
        if self.min_trend_points < 2:
            raise ConfigError("min_trend_points 必须 ≥ 2（一个点没有趋势）")
        if not self.opensdg_low <= self.opensdg_med <= self.opensdg_high:
            raise ConfigError("须满足 opensdg_low ≤ opensdg_med ≤ opensdg_high")
        if not self.default_light_cloud_ratio <= self.default_on_track_ratio:
            raise ConfigError("须满足 default_light_cloud_ratio ≤ default_on_track_ratio")
        if not self.un_fair_ratio <= self.un_on_track_ratio:
            raise ConfigError("须满足 un_fair_ratio ≤ un_on_track_ratio")
        if self.outlier_floor_rel < 0:
            raise ConfigError("outlier_floor_rel 必须 ≥ 0")
        if self.min_volatility_points < 3 or self.min_outlier_points < 3:
            raise ConfigError("min_volatility_points 与 min_outlier_points 必须 ≥ 3")

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> AssessConfig:
        """Build from the workspace configuration; unknown keys are errors, not ignored.

        A misspelt threshold silently falling back to its default would change verdicts
        without anyone noticing, hence the strictness.
        """
        if not data:
            return cls()
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise ConfigError(
                f"评估配置中有未知的阈值 unknown assessment settings: {', '.join(unknown)}；"
                f"可用 known: {', '.join(fields)}"
            )
        values: dict[str, Any] = {}
        for name, raw in data.items():
            default = fields[name].default
            if isinstance(default, int) and not isinstance(default, bool):
                if isinstance(raw, bool) or not isinstance(raw, int):
                    raise ConfigError(f"评估配置 {name} 应为整数，实际为 {raw!r}")
                values[name] = raw
            else:
                if isinstance(raw, bool) or not isinstance(raw, int | float):
                    raise ConfigError(f"评估配置 {name} 应为数值，实际为 {raw!r}")
                values[name] = float(raw)
        return cls(**values)

    def describe_zh(self) -> list[tuple[str, Any, str]]:
        """(Chinese label, value, reason) for every threshold: the reports' method note."""
        return [(THRESHOLD_LABELS.get(name, name), value, why) for name, value, why in self.describe()]

    def describe(self) -> list[tuple[str, Any, str]]:
        """(name, value, reason) for every threshold, for reports and ``--format json``."""
        return [
            (f.name, getattr(self, f.name), str(f.metadata.get("why", "")))
            for f in dataclasses.fields(self)
        ]


THRESHOLD_LABELS: dict[str, str] = {
    "trend_window_years": "趋势窗口（年）",
    "min_trend_points": "判断趋势的最少年份数",
    "basic_tolerance_rel": "基本实现容差（占目标值）",
    "approx_tolerance_rel": "“左右”/保持水平的允许偏离",
    "default_on_track_ratio": "预计可实现阈值（默认方法）",
    "default_light_cloud_ratio": "少云阈值（默认方法）",
    "reverse_deadband_rel": "逆向变化死区",
    "un_on_track_ratio": "预计可实现阈值（联合国方法）",
    "un_fair_ratio": "进展一般阈值（联合国方法）",
    "un_near_bound_points": "0%/100%目标的容差（百分点，联合国方法）",
    "opensdg_high": "进展显著阈值（Open SDG）",
    "opensdg_med": "进展中等阈值（Open SDG）",
    "opensdg_low": "进展有限阈值（Open SDG）",
    "zero_substitute": "零值替代数",
    "directional_significant_rel": "方向性目标的显著变化（每年）",
    "eliminate_max": "消除线",
    "volatility_threshold": "波动较大阈值",
    "volatility_level_floor_rel": "波动指数分母下限（占水平值）",
    "min_volatility_points": "判断波动的最少年份数",
    "outlier_z": "异常值修正z分数阈值",
    "outlier_floor_rel": "异常值典型偏离的下限（水平值的比例）",
    "min_outlier_points": "识别异常值的最少年份数",
}
"""Chinese names of the thresholds, for the reports (the field names stay the YAML keys)."""
