"""Sentence fragments that must not become indicators on their own.

A plan's sentence often names the thing measured once and then goes on with clauses whose
subject is implied: 孕产妇死亡率控制在8/10万以下，**城乡、区域差距**缩小; 妇女基本养老保险参保率
达到95%以上，**待遇水平**稳步提高; 一半以上的领导班子配备女干部，其中**担任正职**的一般不少于
3人. Read clause by clause, the words in bold look like indicator names, yet nobody can report
a figure for "城乡、区域差距" or "担任正职" without the rest of the sentence. A statistics office
would never put such a name in its 监测指标体系, so planwatch does not either.

Rules (each pinned by tests with the plan phrase it comes from):

* **Gap of dimensions only** — the name is nothing but comparison dimensions and 差距
  (城乡差距, 城乡、区域差距, 城乡和地区差距, 男女两性差距). When the same sentence names a
  quantitative indicator X and the dimensions include 城乡, the gap is kept as a directional
  target "decrease" on the derived indicator ``X城乡差距`` (:func:`gap_indicator_name`), which
  the assessment computes from X's 城镇/农村 breakdowns. 区域/地区 gaps compare areas and
  男女 gaps without X name no statistic: those parts stay in the target's text, judged
  qualitatively. Complete names that merely end in 差距 (男女收入差距, 两性家务劳动时间差距,
  男女两性科学素质水平差距) are real indicators and are kept.
* **Attribute without its bearer** — the name is only attribute words joined by 和/、/及/与
  (利用率和服务质量, 待遇水平, 分值): whose rate, whose level, is in an earlier clause.
* **Clause continuing a previous subject** — the name starts with 其中/担任/占 (担任正职:
  the women heads among the leaders just counted).
"""

from __future__ import annotations

import re

GAP_SUFFIX = "城乡差距"
"""Suffix of a derived urban–rural gap indicator: 孕产妇死亡率城乡差距."""

_GAP_DIMENSION = {
    "城乡": "residence",
    "城镇和农村": "residence",
    "区域": "region",
    "地区": "region",
    "区际": "region",
    "男女": "sex",
    "两性": "sex",
    "男女两性": "sex",
    "性别": "sex",
}
_DIM_WORD = "|".join(sorted(_GAP_DIMENSION, key=len, reverse=True))
_GAP_ONLY = re.compile(rf"^(?P<dims>(?:{_DIM_WORD})(?:[、和与及,，]?(?:{_DIM_WORD}))*)(?:之间)?的?差距$")
_DIM_SPLIT = re.compile(rf"{_DIM_WORD}")

_ATTRIBUTE_WORD = (
    "利用率|使用率|服务质量|服务水平|保障水平|待遇水平|待遇|水平|质量|分值|比例|比重|覆盖率|"
    "效率|标准|能力|成效|效果"
)
_ATTRIBUTE_ONLY = re.compile(rf"^(?:{_ATTRIBUTE_WORD})(?:[、和与及](?:{_ATTRIBUTE_WORD}))*$")
_CONTINUATION = re.compile(r"^(?:其中|担任|占)")


def gap_dimensions(name: str) -> frozenset[str] | None:
    """The dimensions a name made only of dimensions and 差距 compares, else None.

    ``城乡、区域差距`` → {residence, region}; ``男女收入差距`` → None (a complete name).
    """
    match = _GAP_ONLY.match(name.strip())
    if match is None:
        return None
    return frozenset(_GAP_DIMENSION[w] for w in _DIM_SPLIT.findall(match.group("dims")))


def fragment_reason(name: str) -> str | None:
    """Why ``name`` cannot be an indicator on its own (a Chinese phrase), or None if it can."""
    text = name.strip()
    if gap_dimensions(text) is not None:
        return "只有比较维度和“差距”，未说明比较的是哪项指标"
    if _ATTRIBUTE_ONLY.match(text):
        return "只有属性（率、水平、质量等），所属对象在前文"
    if _CONTINUATION.match(text):
        return "承接前文的分句（其中/担任/占…），主语在前文"
    return None


def gap_indicator_name(base: str) -> str:
    """The derived urban–rural gap indicator of ``base``: 孕产妇死亡率 → 孕产妇死亡率城乡差距."""
    return base + GAP_SUFFIX


def gap_base(name: str) -> str | None:
    """The indicator a derived gap indicator compares, or None when ``name`` is not one."""
    if name.endswith(GAP_SUFFIX) and len(name) > len(GAP_SUFFIX):
        base = name[: -len(GAP_SUFFIX)]
        return base if fragment_reason(base) is None and gap_dimensions(name) is None else None
    return None
