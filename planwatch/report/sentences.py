"""Sentences the builders assemble from the figures; every number comes from the data."""

from __future__ import annotations

from planwatch.assess import status as st
from planwatch.assess.precision import DEFAULT_DECIMALS, printed
from planwatch.report.data import Attainment, finite
from planwatch.report.formatting import change, difference, printed_change, with_unit

TODO = "【待统计人员补充】"
"""Marks text the statistician must write; writers highlight it and tests look for it."""

DRAFT = "【初稿，请审核修改】"
"""Marks text the report drafted from the figures and the units' own words (存在问题,
对策建议): written out in full, but the statistician answers for it and must read it."""

COUNT_UNITS = frozenset({"人", "个", "所", "家", "张", "名", "项", "次", "户", "万人", "亿元",
                         "万元", "元"})
"""Units of counts and money, which 增加/减少; rates and ratios 提高/下降."""

_COMPARATOR_WORDS = {
    ">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "达到", "maintain": "保持在",
}
_DIRECTION_WORDS = {
    "increase": "逐步提高", "decrease": "逐步下降", "maintain": "保持稳定", "eliminate": "基本消除",
}


def target_text(comparator: str | None, value: object, unit: str | None,
                direction: str | None) -> str:
    """不低于90%, 8/10万左右, 逐步提高 — the target as the plan states it."""
    v = finite(value)
    if comparator and v is not None:
        shown = with_unit(v, unit, 2)
        if comparator == "~":
            return f"{shown}左右"
        return _COMPARATOR_WORDS.get(comparator, comparator) + shown
    if direction:
        return _DIRECTION_WORDS.get(direction, direction)
    return "—"


def counts_phrase(att: Attainment) -> str:
    """已实现21项、基本实现2项、预计达标困难3项 (statuses with none are left out)."""
    parts = [f"{s}{n}项" for s, n in att.counts.items() if n]
    return "、".join(parts) if parts else "无可评估指标"


def attainment_sentence(subject: str, att: Attainment, year: int) -> str:
    if att.total == 0:
        return f"{subject}暂无可评估的指标。"
    rate = (rate_text(att.met, att.monitorable) if att.monitorable
            else "无法计算（无可监测指标）")
    return (
        f"{subject}纳入{year}年监测的指标共{att.total}项，其中{counts_phrase(att)}；"
        f"可监测指标{att.monitorable}项，达标率（已实现÷可监测）为{rate}。"
    )


def change_sign(before: float, after: float, decimals: int = DEFAULT_DECIMALS) -> int:
    """+1 up, −1 down, 0 持平 — judged on the two figures as printed at ``decimals``."""
    delta = printed_change(before, after, decimals)
    return (delta > 0) - (delta < 0)


def value_change_phrase(name: str, before: float | None, after: float | None, unit: str | None,
                        before_year: int, after_year: int,
                        decimals: int = DEFAULT_DECIMALS) -> str:
    """孕产妇死亡率由2022年的8.5/10万降至2023年的8.1/10万（-0.4/10万）.

    Both figures are rounded once, at the indicator's printed precision ``decimals``,
    and the verb and the change come from the rounded figures: two figures that print
    the same are 持平, never "由3.1‰降至3.1‰（-0.1）".
    """
    if before is None or after is None:
        return f"{name}{after_year}年为{with_unit(after, unit, decimals)}"
    then, now = with_unit(before, unit, decimals), with_unit(after, unit, decimals)
    sign = change_sign(before, after, decimals)
    if sign == 0:
        return f"{name}{after_year}年为{now}，与{before_year}年持平"
    verb = "提高到" if sign > 0 else "降至"
    delta = printed_change(before, after, decimals)
    return (
        f"{name}由{before_year}年的{then}{verb}{after_year}年的"
        f"{now}（{change(delta, unit, decimals)}）"
    )


def change_words(delta: float, unit: str | None, decimals: int) -> str:
    """提高0.78个百分点 / 下降0.3个千分点 / 增加3人 — a change already taken between
    printed figures (``printed_change``), 0 being 持平."""
    if delta == 0:
        return "持平"
    up = delta > 0
    verb = ("增加" if up else "减少") if (unit or "") in COUNT_UNITS else "提高" if up else "下降"
    return verb + difference(delta, unit, decimals)


def compared_with(label: str, before: float | None, after: float, unit: str | None,
                  decimals: int) -> str:
    """比上年提高0.78个百分点 / 与2020年持平 — ``after`` against ``before`` as printed."""
    if before is None:
        return ""
    delta = printed_change(before, after, decimals)
    if delta == 0:
        return f"与{label}持平"
    return f"比{label}{change_words(delta, unit, decimals)}"


def published_attainment(monitorable: int, met: int) -> str:
    """The bureaus' wording, "39项指标中10项达标，达标率25.64%": the rate to two decimals
    of the counts printed beside it (达标 = 已实现; 可监测 = all but 数据不足)."""
    if monitorable == 0:
        return "暂无可监测的指标，无法计算达标率"
    return f"{monitorable}项指标中{met}项达标，达标率{rate_text(met, monitorable)}"


def rate_text(met: int, monitorable: int) -> str:
    """25.64% — always two decimals (50.00%), as the bureaus print 达标率, rounded once by
    the assessment's rule (``precision.printed``)."""
    return f"{printed(100 * met / monitorable, 2):.2f}%"


def status_phrase(status: str) -> str:
    return {
        st.ACHIEVED: "已实现目标",
        st.BASICALLY_ACHIEVED: "基本实现目标",
        st.ON_TRACK: "预计可按期实现目标",
        st.AT_RISK: "预计按期达标困难",
        st.REGRESSING: "出现逆向变化",
        st.INSUFFICIENT: "数据不足、暂无法评估",
    }.get(status, status)


def list_phrase(items: list[str], limit: int = 6) -> str:
    """甲、乙、丙等5项 when there are more than ``limit``."""
    if len(items) <= limit:
        return "、".join(items)
    return "、".join(items[:limit]) + f"等{len(items)}项"


__all__ = [
    "DRAFT",
    "TODO",
    "attainment_sentence",
    "change_sign",
    "change_words",
    "compared_with",
    "counts_phrase",
    "list_phrase",
    "published_attainment",
    "rate_text",
    "status_phrase",
    "target_text",
    "value_change_phrase",
]
