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

ACHIEVED = "已实现"
BASICALLY_ACHIEVED = "基本实现"
ON_TRACK = "预计可实现"
AT_RISK = "预计达标困难"
REGRESSING = "逆向变化"
INSUFFICIENT = "数据不足"

STATUSES: tuple[str, ...] = (
    ACHIEVED,
    BASICALLY_ACHIEVED,
    ON_TRACK,
    AT_RISK,
    REGRESSING,
    INSUFFICIENT,
)
"""In report order, best first."""

W_AT_RISK = AT_RISK
W_REGRESSING = REGRESSING
W_VOLATILE = "波动较大"
W_MISSING = "数据缺失"
W_OUTLIER = "异常值"
W_NOT_HELD = "未能保持"
W_LATE = "迟报"

WARNINGS: tuple[str, ...] = (W_AT_RISK, W_REGRESSING, W_VOLATILE, W_MISSING, W_OUTLIER, W_NOT_HELD, W_LATE)
"""迟报 needs submission deadlines, so only the loader can raise it; the others come from
the engine."""

METHODS: tuple[str, ...] = ("default", "un", "opensdg")

METHOD_LABELS: dict[str, str] = {
    "default": "近5年年均变化线性外推（德国可持续发展战略方法）",
    "un": "年均复合增长率外推，预计进展/所需进展（联合国2023年进展图方法）",
    "opensdg": "观测/所需年均复合增长率之比（Open SDG 进展测度）",
}
