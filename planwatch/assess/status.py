"""The verdict and warning vocabulary, in the words the statistics bureaus use.

Each method has its own categories (DNS weather symbols, UN progress-chart bands, Open SDG
progress levels); they are all mapped onto these six statuses so that a report reads the
same whichever method produced it, while ``method_category`` keeps the method's own word.

Mapping (see also ``planwatch.assess.methods``):

========================  ==================  ======================  =====================
status                    default (DNS)       un (progress chart 23)  opensdg (sdg-build)
========================  ==================  ======================  =====================
已实现 achieved             target met          target met (or within  target_achieved
                                                1 point of 0 %/100 %)
基本实现 basically achieved  within tolerance    (planwatch overlay,    (planwatch overlay,
                                                same rule)             same rule)
预计可实现 on track          sun (ratio ≥0.95)   on_track (≥0.95)       substantial (≥0.95)
预计达标困难 projected miss  light_cloud, cloud  fair (0.10–0.95),      moderate (0.60–0.95),
                                                stagnation (0–0.10)    limited (0–0.60)
逆向变化 regressing          storm (wrong way)   regression (<0)        deterioration (<0)
数据不足 insufficient data   < 2 years           < 2 years / invalid    < 2 years / invalid
========================  ==================  ======================  =====================

基本实现 is a Chinese reporting convention with no counterpart in the UN or Open SDG
methods; every method applies it with the same tolerance before its trend test, so that
comparing methods compares only their trend judgement.
"""

from __future__ import annotations

from planwatch.assess.config import AssessConfig
from planwatch.assess.precision import DEFAULT_DECIMALS, RATIO_DECIMALS
from planwatch.vocabulary import (
    ACHIEVED,
    AT_RISK,
    BASICALLY_ACHIEVED,
    INSUFFICIENT,
    METHOD_LABELS,
    METHODS,
    ON_TRACK,
    REGRESSING,
    STATUSES,
    W_AT_RISK,
    W_LATE,
    W_MISSING,
    W_NOT_HELD,
    W_OUTLIER,
    W_REGRESSING,
    W_VOLATILE,
    WARNINGS,
)

__all__ = [
    "ACHIEVED", "AT_RISK", "BASICALLY_ACHIEVED", "INSUFFICIENT", "METHODS", "METHOD_LABELS", "METHOD_NOTES", "ON_TRACK",
    "REGRESSING", "STATUSES", "STATUS_DEFINITIONS", "WARNINGS", "W_AT_RISK", "W_LATE", "W_MISSING", "W_NOT_HELD",
    "W_OUTLIER", "W_REGRESSING", "W_VOLATILE", "status_definitions",
]  # fmt: skip
"""The six statuses and the warnings are the vocabulary's (:mod:`planwatch.vocabulary`); this
module adds what they mean: the methods' labels and each status's definition."""


def status_definitions(cfg: AssessConfig | None = None) -> dict[str, str]:
    """The one definition of each status, in Chinese, with the thresholds of ``cfg``.

    This is what the reports print in their method note and what the tests in
    ``tests/assess/test_assess_status_edges.py`` pin at each edge; the engine implements
    it (``engine``, ``methods``, ``directional``, comparisons in ``precision``).
    """
    c = cfg or AssessConfig()
    tol = f"{c.basic_tolerance_rel * 100:g}%"
    band = f"{c.approx_tolerance_rel * 100:g}%"
    on_track = f"{c.default_on_track_ratio * 100:g}%"
    sig = f"{c.directional_significant_rel * 100:g}%"
    return {
        ACHIEVED: (
            f"最新年份的数值按指标的发布精度（未另行规定时保留{DEFAULT_DECIMALS}位小数，目标值印有更多"
            "小数时从其位数）四舍五入后满足目标：“不低于”“不高于”“达到”包括恰好等于目标值，"
            "“高于”“低于”须至少多出最后一位的一个单位；“左右”及无优劣方向的“保持在”为目标值"
            f"±{band}以内（含边界）。方向性目标（逐步提高、逐步下降）：年均相对变化达到{sig}"
            "（含）且方向符合；“基本消除”：最新值不超过消除线。"
        ),
        BASICALLY_ACHIEVED: (
            f"尚未实现，但按发布精度计算的差距不超过目标值的{tol}（含{tol}），评估理由写明差多少"
            f"（如“差0.1个百分点，基本实现”）。方向性目标：方向符合但年均相对变化不足{sig}。"
        ),
        ON_TRACK: (
            "既未实现也非基本实现，按趋势推算到目标年份的数值（按发布精度）达到目标，或能完成"
            f"剩余差距的{on_track}以上（含{on_track}；比值按{RATIO_DECIMALS}位小数比较）。推算值仍略低于"
            "目标时，理由写“接近目标”并写明差距，以及按趋势可完成剩余差距的比例。默认方法的趋势为最新年份前"
            f"{c.trend_window_years}年内全部已审核年份的最小二乘年均变化；只有2个年份时照样推算，"
            "但注明“不足3个年份，仅供参考”。联合国方法、Open SDG 方法用各自的比值（见方法说明）。"
        ),
        AT_RISK: (
            "趋势方向符合目标或没有变化（包括多年不变的序列，如一直为0），但推算到目标年份"
            f"完成不了剩余差距的{on_track}；或目标年份已到而未实现（也非基本实现）。"
            f"方向性目标：变化不足{sig}（停滞）。"
        ),
        REGRESSING: (
            "趋势背离目标要求的方向（年均变化与目标方向相反，按相对水平值9位小数判断，"
            "多年不变不算背离）；基期已达标、其后失守而趋势仍在远离目标的也属此类，理由注明"
            f"“某年曾达到目标”。方向性目标：反向变化达到{sig}。"
        ),
        INSUFFICIENT: (
            "截至评估年份没有已审核的数据；或尚未实现（也非基本实现）而可用于判断趋势的年份"
            f"少于{c.min_trend_points}个。"
        ),
    }


STATUS_DEFINITIONS: dict[str, str] = status_definitions()
"""The definitions with the default thresholds (``status_definitions`` for others)."""

METHOD_NOTES: dict[str, tuple[str, ...]] = {
    "default": (
        "德国可持续发展战略（DNS）以近五年首末两年的数值计算年均变化；planwatch 用同一窗口内"
        "全部已审核年份的最小二乘斜率估计年均变化（只有两个年份或各年在一条直线上时两者相同），"
        "使中间年份的数据不被丢弃、单个异常的首末年份不左右趋势。",
    ),
    "un": (
        "基期值或最新值为0时以0.001代替（联合国技术说明未规定，取 sdg-build 的做法并用于两端），"
        "多年为0的序列因此判为停滞（预计达标困难）而非倒退。",
    ),
    "opensdg": (
        "与 sdg-build 不同，最新值为0时也以0.001代替（sdg-build 只替换基期值和目标值）："
        "一直为0的序列年均增长为0，判为进展有限（预计达标困难），而不是 sdg-build 算出的"
        "每年−100%（倒退）。",
        "基期已达到目标、其后失守的序列：目标值等于基期值时 sdg-build 的比值要除以0、无定义，"
        "planwatch 判为倒退（逆向变化）；目标值宽于基期值时按比值的符号判断，离开目标即为逆向变化。",
        "只有一个年份的数据且已满足目标：与 sdg-build 一样判为已实现（不需要趋势）；未满足目标时"
        "判为数据不足。",
        "是否达标按指标的发布精度四舍五入后判断，且区分“高于/低于”（不含等于）与"
        "“不低于/不高于”（含等于）；sdg-build 用原始数值并一律含等于。另有 planwatch 的“基本实现”"
        f"（差距不超过目标值的{AssessConfig().basic_tolerance_rel * 100:g}%），sdg-build 没有这一档。",
        "按趋势推算目标年份能达到目标的，判为进展显著（预计可实现），使结论与理由中的推算值一致。",
    ),
}
"""Where each method, as planwatch applies it, departs from its published source; the
reports print the notes of the methods they used."""
