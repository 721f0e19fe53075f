"""What the words of a plan mean for a target: one table, read by the reader and the loader.

A district plan states a target in a handful of set phrases.  Read literally, "达到70%" is
"equals 70 %"; read as a statistics office reads it, it is "at least 70 %".  Every such
reading is a row of ``PHRASES`` (verbs before the number) or ``QUALIFIERS`` (words after
it), each with the plan sentence it comes from; tests/plan/test_semantics.py runs every
example through the reader, so the table and the reader cannot drift apart.

Comparators (``planwatch.plan.model.Comparator``):

========================================  ============  ===================================
plan phrase                               comparator    meaning
========================================  ============  ===================================
达到 / 提高到 / 不低于 / 达 / 为 / X以上      ``>=``        floor: at least X by the target year
达到并保持在X以上                            ``>=``        floor (the qualifier decides)
控制在 / 降至 / 下降到 / 不高于 / X以下       ``<=``        ceiling: at most X
低于 / 少于 ; 超过 / 高于                     ``<`` ; ``>``  strict bounds
保持在X / 稳定在X (no qualifier)             ``maintain``  hold every year, on the side of the
                                                        indicator's better direction (a floor
                                                        for a coverage, a ceiling for a
                                                        mortality); a two-sided band (±5 %)
                                                        only when the indicator has none
保持在X左右                                  ``maintain``  the same: 保持 governs, 左右 only says
                                                        the level is approximate
X左右 / 约X / X上下 (other verbs)             ``~``         two-sided band around X
X–Y (出生人口性别比103—107)                  ``>=`` X and  a range: two target values of one
                                          ``<=`` Y      target, a floor and a ceiling, which
                                                        the engine judges without any change
========================================  ============  ===================================

A range's two target values are judged, and counted in attainment rates, as two
requirements: within the range means both are met.

Relative targets (``RELATIVE_KINDS``) keep their meaning until the base-year figure is
known (``planwatch.assess.inputs`` resolves them):

==================================  ===============  ===================================
plan phrase                         kind             resolved target (b = base figure)
==================================  ===============  ===================================
以2020年为基数下降20%                  percent, −20     ≤ b × (1 − 20 %)
比2020年提高5个百分点                  points, +5       ≥ b + 5
(比2020年)翻一番 / 翻两番               multiple, 2 / 4  ≥ b × 2 / b × 4
年均增长3% / 年均下降3%                annual_growth    ≥ b × 1.03ⁿ / ≤ b × 0.97ⁿ
平均每年降低1个百分点以上               annual_points    ≤ b − 1 × n
==================================  ===============  ===================================

n is the number of years from the base year to the target year.  A relative target that
names no base year (翻一番, 年均增长3%) is measured from the plan's baseline year (2020 for
十四五).  The amount is signed (−20 for 下降20%); an increase is a floor, a decrease a
ceiling, whatever qualifier follows (下降20%以上 is still "at most 80 % of the base").

Better direction (``better_of_name``): ``>=``/``>`` say higher, ``<=``/``<`` lower.  For
``maintain``, ``=`` and ``~`` the plan's words do not say, and the indicator's name does:
``NAME_POLARITY`` lists name endings and words whose direction every statistician agrees on
(…死亡率 lower, …覆盖率 higher, 性别比 hold).  When a comparator and the lexicon disagree
(a mortality "不低于"), the loader warns at init and keeps the comparator's reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.vocabulary import RELATIVE_KINDS as RELATIVE_KINDS
from planwatch.vocabulary import Better as Better
from planwatch.vocabulary import RelativeKind as RelativeKind

LEVEL_WORDS: frozenset[str] = frozenset(("达到", "达", "为", "实现", "是", "在"))
"""The 达到 row: a floor when a target value follows, but not a bound by themselves, so
作为一项战略任务 (为 + an article 一) is no target."""


@dataclass(frozen=True)
class Phrase:
    """Verbs that put one comparator on the number right after them."""

    words: tuple[str, ...]
    comparator: str
    meaning: str
    example: str
    """A plan sentence with one of the words; the reader must give ``comparator`` for it."""


PHRASES: tuple[Phrase, ...] = (
    Phrase(
        ("控制在", "控制到", "下降到", "下降至", "降低到", "降低至", "降到", "降至", "减少到", "减少至",
         "压缩到", "压缩至", "缩短到", "缩短至", "缩小到", "缩小至", "不超过", "不高于", "不多于",
         "不大于", "最高不超过", "最多", "最高"),
        "<=", "ceiling 上限", "孕产妇死亡率控制在8/10万",
    ),
    Phrase(("低于", "少于", "小于", "不足", "不到"), "<", "strict ceiling", "婴儿死亡率低于5‰"),
    Phrase(
        ("不低于", "不少于", "不小于", "至少为", "至少有", "至少", "最少", "最低", "提高到", "提高至",
         "提升到", "提升至", "增至", "增加到", "增加至", "增长到", "增长至", "扩大到", "扩大至",
         "上升到", "上升至"),
        ">=", "floor 下限", "妇女常见病筛查率提高到85%",
    ),
    Phrase(("超过", "高于", "大于", "多于"), ">", "strict floor", "普惠性幼儿园覆盖率高于80%"),
    Phrase(
        ("保持在", "稳定在", "维持在", "保持", "稳定", "维持"),
        "maintain", "hold every year, side from the better direction", "九年义务教育巩固率保持在98%",
    ),
    Phrase(
        tuple(sorted(LEVEL_WORDS, key=lambda w: (-len(w), w))),  # longest first; fixed order
        ">=", "floor: 达到X in a plan is at least X", "学前三年毛入园率达到70%",
    ),
    Phrase(("约为", "约", "大约"), "~", "band around the value", "城镇单位就业人员中的女性比例约为45%"),
)
"""Checked longest word first by the reader, so 控制在 wins over 在 and 达到 over 达."""

CHANGE_VERBS: dict[str, int] = {
    "下降": -1, "降低": -1, "减少": -1, "减缓": -1,
    "提高": 1, "提升": 1, "增长": 1, "增加": 1, "上升": 1,
}  # fmt: skip
"""Verbs of a change rather than a level (以2020年为基数下降20%), with the change's sign."""


@dataclass(frozen=True)
class Qualifier:
    words: tuple[str, ...]
    comparator: str
    example: str


QUALIFIERS: tuple[Qualifier, ...] = (
    Qualifier(("以上", "及以上"), ">=", "孕产妇系统管理率达到90%以上"),
    Qualifier(("以下", "及以下", "以内", "之内"), "<=", "孕产妇死亡率控制在8/10万以下"),
    Qualifier(("左右", "上下"), "~", "高级专业技术人员中的女性比例达到40%左右"),
)
"""Words after the number; a qualifier wins over the verb (达到并保持在98%以上 is a floor),
except that 保持在X左右 stays ``maintain`` (see the module table)."""


def verb_comparators() -> dict[str, str]:
    """Verb → comparator, from ``PHRASES``; change verbs map to ``change``."""
    out = {w: p.comparator for p in PHRASES for w in p.words}
    out.update({w: "change" for w in CHANGE_VERBS})
    return out


def qualifier_comparators() -> dict[str, str]:
    return {w: q.comparator for q in QUALIFIERS for w in q.words}


# --- better direction from the indicator's name --------------------------------------------


@dataclass(frozen=True)
class Polarity:
    pattern: str
    """A regular expression searched in the indicator's name."""
    better: Better
    why: str


NAME_POLARITY: tuple[Polarity, ...] = (
    # Checked in order: the first match decides, so the specific rows come first.
    Polarity(r"性别比", "hold", "出生人口性别比趋于正常：偏离正常范围的两侧都不好"),
    Polarity(r"(?:女性|女干部|妇女)[^，。]*?(?:比例|比重|占比|人数|名额)", "higher",
             "妇女参与决策和管理：女性所占比例、名额越高越好"),
    Polarity(r"(?:死亡率|死亡数|发病率|患病率|发生率|感染率|传播率|病死率)$", "lower", "死亡、发病越少越好"),
    Polarity(r"贫血|低体重|超重|肥胖|近视|生长迟缓|龋", "lower", "营养不良、近视等越少越好"),
    Polarity(r"犯罪|辍学|失学|流失率|拐卖|家庭暴力|剖宫产率|文盲", "lower", "越少越好"),
    Polarity(r"(?:巩固率|覆盖率|入园率|入学率|参保率|达标率|优良率|普及率|知晓率|筛查率|检查率|"
             r"检测率|接种率|管理率|访视率|治疗率|合格率|完成率|满意率|受益率|报销比例)$",
             "higher", "覆盖、普及、达标越高越好"),
    Polarity(r"水质|预期寿命|受教育年限|床位数|医生数|托位数|幼儿园数", "higher", "越高越好"),
    Polarity(r"(?:比例|占比|比重)$", "higher", "规划中的“比例”目标均为应提高的覆盖或参与比例"),
)
"""Name polarity lexicon.  It only decides when the plan's words do not (保持在, 达到, 左右);
edit an indicator's ``better`` in the catalogue YAML where it is wrong."""


def better_of_name(name: str) -> Better | None:
    """The better direction the name implies, or None when the lexicon does not know it."""
    for row in NAME_POLARITY:
        if re.search(row.pattern, name):
            return row.better
    return None


_BY_COMPARATOR: dict[str, Better] = {"<=": "lower", "<": "lower", ">=": "higher", ">": "higher"}


def better_of_target(comparator: str, name: str, *, relative: bool = False) -> tuple[Better, str | None]:
    """(better direction, conflict note) for an indicator named with this target.

    A bound (``>=``, ``<=`` …) says the direction itself; ``maintain``, ``=`` and ``~``
    take the name's polarity, else ``hold``.  The note is set when the lexicon says the
    opposite of the bound; the bound wins (the plan's words are the evidence).  The two
    bounds of a range of a hold indicator (性别比103—107) are no conflict.
    """
    lexicon = better_of_name(name)
    bound = _BY_COMPARATOR.get(comparator)
    if bound is None:
        return (lexicon or "hold"), None
    if lexicon is None or lexicon == bound:
        return bound, None
    if lexicon == "hold" and not relative:
        return "hold", None
    note = (
        f"指标名称意味着{_WORDS[lexicon]}，目标的比较方式意味着{_WORDS[bound]}，按目标取{_WORDS[bound]} "
        f"the name suggests {lexicon} but the target says {bound}"
    )
    return bound, note


_WORDS = {"higher": "越高越好", "lower": "越低越好", "hold": "保持在合理范围"}


# --- units of indicators a relative target names without one -------------------------------

UNIT_BY_NAME: tuple[tuple[str, str], ...] = (
    (r"孕产妇死亡率$", "/10万"),
    (r"(?:伤害|溺水|意外)[^，。]*死亡率$", "/10万"),
    (r"(?:新生儿|婴儿|5岁以下儿童)死亡率$", "‰"),
)
"""The units these rates are published in.  A relative target (以2020年为基数下降20%) states
the change, not the indicator's unit; without a unit the indicator cannot be collected."""


def unit_of_name(name: str) -> str | None:
    for pattern, unit in UNIT_BY_NAME:
        if re.search(pattern, name):
            return unit
    return None


# --- relative targets ----------------------------------------------------------------------

RELATIVE_AMOUNT_UNITS: dict[str, str] = {
    "percent": "%",
    "points": "百分点",
    "multiple": "倍",
    "annual_growth": "%",
    "annual_points": "百分点/年",
}
"""The unit of a relative target's amount (the indicator keeps its own unit)."""


def relative_comparator(amount: float) -> str:
    """An increase is a floor, a decrease a ceiling (下降20%以上 is still at most 80 %)."""
    return ">=" if amount > 0 else "<="


def resolve_relative(kind: str, amount: float, base: float, years: int) -> float:
    """The absolute target a relative one means, from the base-year figure ``base``.

    ``years`` counts from the base year to the target year (annual kinds only).
    """
    if kind == "percent":
        return base * (1 + amount / 100)
    if kind == "points":
        return base + amount
    if kind == "multiple":
        return base * amount
    if kind == "annual_growth":
        return base * (1 + amount / 100) ** years
    if kind == "annual_points":
        return base + amount * years
    raise ValueError(f"未知的相对目标类型 unknown relative kind: {kind!r}")


def describe_relative(kind: str, amount: float, base_year: int) -> str:
    """The plan's wording of a relative target, rebuilt for reasons (以2020年为基数下降20%)."""
    verb = "提高" if amount > 0 else "下降"
    a = _num(abs(amount))
    if kind == "percent":
        return f"以{base_year}年为基数{verb}{a}%"
    if kind == "points":
        return f"比{base_year}年{verb}{a}个百分点"
    if kind == "multiple":
        return f"比{base_year}年翻一番" if amount == 2 else f"达到{base_year}年的{a}倍"
    if kind == "annual_growth":
        return f"自{base_year}年起年均{'增长' if amount > 0 else '下降'}{a}%"
    if kind == "annual_points":
        return f"自{base_year}年起平均每年{verb}{a}个百分点"
    raise ValueError(f"未知的相对目标类型 unknown relative kind: {kind!r}")


def _num(x: float) -> str:
    r = round(x, 2)
    return str(int(r)) if r == int(r) else f"{r:g}"
