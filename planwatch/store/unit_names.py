"""One name per member unit, whatever spelling a plan used.

Plans spell the same department several ways: 区发展改革局 / 区发展改革委 / 区发改局,
公安市中分局 / 区公安分局, 区农业农村局（区乡村振兴局）. Units are stored once per area
under a canonical name, with every other spelling kept in ``Unit.aliases``.

How a written name becomes canonical (applied in this order, per area):

1. Whitespace, list labels left in by extraction (责任单位：) and stray brackets are removed.
2. A bracketed second name is a second nameplate of the same office
   (区农业农村局（区乡村振兴局）, 区政府办公室（大数据局）): the name before the bracket wins.
3. The area's police and ecology sub-bureaus are written with the district's short name
   (公安市中分局, 生态环境市中分局) or generically (区公安分局): both become the generic form.
4. A spelling of a standard department (区卫生健康委员会, 区市场监督管理局, 区人民法院) takes the
   department's usual name (``DEPARTMENTS``, canonical spelling first); 共青团区委 is 团区委.
5. An abbreviation (区发改局, 区人社局, 区卫健局) is the unit whose name holds its characters in
   order, with the same ending, when exactly one unit fits: the plan's own unit names first,
   then the standard departments.
6. A name cut short at a line break (区交通运) is completed when exactly one unit fits, from
   the plan's own unit names or the standard departments of a county-level government.

Rules 4–6 hold for any plan: nothing in them names a particular document or area.
Nothing else is merged: two names that no rule maps together stay two units, because merging
two genuinely different units (区卫生健康局 and 区卫生健康服务中心) would corrupt who reports
what. Phrases that name a group rather than a unit (区妇儿工委有关成员单位, 各镇人民政府,
政策文件制订部门) and fragments cut off by extraction (区发) are classified, not stored as units,
so the caller can keep them in the target's note and warn about them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

DEPARTMENTS: tuple[tuple[str, ...], ...] = (
    ("发展改革局", "发展和改革局", "发展改革委", "发展和改革委员会"),
    ("教育局",),
    ("教育体育局", "教育和体育局"),
    ("科技局", "科学技术局"),
    ("工业和信息化局", "工业信息化局"),
    ("公安局",),
    ("公安分局",),
    ("民政局",),
    ("司法局",),
    ("财政局",),
    ("人力资源社会保障局", "人力资源和社会保障局"),
    ("自然资源局",),
    ("自然资源和规划局",),
    ("生态环境局",),
    ("生态环境分局",),
    ("住房城乡建设局", "住房和城乡建设局"),
    ("交通运输局",),
    ("水利局",),
    ("水务局",),
    ("农业农村局",),
    ("商务局",),
    ("商务和投资促进局",),
    ("文化和旅游局", "文化旅游局"),
    ("卫生健康局", "卫生健康委员会", "卫生健康委"),
    ("退役军人事务局",),
    ("应急管理局",),
    ("审计局",),
    ("市场监管局", "市场监督管理局"),
    ("统计局",),
    ("医保局", "医疗保障局"),
    ("信访局",),
    ("城市管理局",),
    ("综合行政执法局",),
    ("行政审批服务局",),
    ("大数据局",),
    ("体育局",),
    ("法院", "人民法院"),
    ("检察院", "人民检察院"),
    ("委宣传部",),
    ("委组织部",),
    ("委统战部",),
    ("委政法委",),
    ("委网信办",),
    ("委编办",),
    ("妇联", "妇女联合会"),
    ("残联", "残疾人联合会"),
    ("总工会",),
    ("科协", "科学技术协会"),
    ("关工委", "关心下一代工作委员会"),
    ("红十字会",),
    ("融媒体中心",),
    ("税务局",),
    ("人武部",),
    ("妇儿工委办公室",),
    ("政府办公室",),
    ("疾病预防控制中心",),
    ("妇幼保健院",),
    ("妇幼保健计划生育服务中心",),
    ("国有资产事务服务中心",),
)
"""Departments every county-level government has (after the 2018 institutional reform),
without the 区/县/市/旗 prefix: each a tuple of the official spellings of one unit, the usual
name first. Abbreviations (发改局, 卫健局) are not listed: rule 5 derives them."""

_SPELLINGS: dict[str, str] = {spelling: group[0] for group in DEPARTMENTS for spelling in group}
STANDARD_DEPARTMENTS = tuple(_SPELLINGS)
"""Every standard spelling; a name cut at a line break ("区交通运", "区委宣传") is completed
against this list — or against the plan's own unit names — when exactly one unit fits."""

_PREFIXES = "区县市旗"
_YOUTH_LEAGUE = re.compile(rf"^共青团([{_PREFIXES}])委$")

GENERIC_SUB_BUREAUS = ("公安", "生态环境")
"""Municipal bureaus whose district branch is named after the district (公安市中分局)."""

_LABEL = re.compile(r"^(?:牵头单位|责任单位|配合单位)\s*[：:]\s*")
_BRACKET = re.compile(r"[（(〈<［\[【].*$")
_STRAY = "）)〉>］]】〕〔，,、；;。.：: "
_GROUP_MARKERS = ("各", "有关", "相关", "成员单位", "特邀单位")
_UNIT_ENDINGS = (
    "局", "委", "部", "会", "院", "办", "中心", "处", "联", "协", "公司", "室", "团区委",
    "分局", "队", "所", "站", "馆", "政府", "厅",  # 厅: a province's departments (省卫生厅)
)  # fmt: skip

NameKind = Literal["unit", "group", "fragment"]


@dataclass(frozen=True)
class UnitName:
    raw: str
    kind: NameKind
    canonical: str
    """The canonical unit name for ``unit``; the cleaned text otherwise."""
    note: str | None = None
    """A trailing group phrase: 区关工委等区妇儿工委有关成员单位 → 等区妇儿工委有关成员单位."""


def _clean(raw: str) -> str:
    text = "".join(raw.split())
    text = _LABEL.sub("", text)
    return text.strip(_STRAY)


def canonical_spelling(text: str) -> str:
    """区卫生健康委员会 → 区卫生健康局: the usual name of a standard department's spelling."""
    if m := _YOUTH_LEAGUE.match(text):
        return f"团{m.group(1)}委"
    if len(text) > 1 and text[0] in _PREFIXES and text[1:] in _SPELLINGS:
        return text[0] + _SPELLINGS[text[1:]]
    return text


def _holds_in_order(short: str, long: str) -> bool:
    rest = iter(long)
    return all(char in rest for char in short)


def expand_abbreviation(text: str, known: Collection[str] = ()) -> str | None:
    """The unit an abbreviation stands for (区发改局 → 区发展改革局), when only one unit fits.

    An abbreviation keeps some characters of the full name in their order, the prefix and the
    ending (局, 委, 联 of 联合会): 区人社局 is 区人力资源社会保障局. The plan's own unit names
    are tried first, then the standard departments under the same prefix. Spellings of one
    unit count once; two units that fit (区委办: 委网信办 or 委编办) leave the name as it is.
    """
    if len(text) < 3 or not text.endswith(_UNIT_ENDINGS):
        return None
    if text[0] in _PREFIXES and text[1:] in _SPELLINGS:
        return None  # a whole standard name (区教育局) is not short for a longer one (区教育体育局)

    def fits(candidate: str) -> bool:
        return (
            len(candidate) > len(text)
            and candidate[0] == text[0]
            and text[-1] in candidate[-3:]
            and _holds_in_order(text[1:], candidate[1:])
        )

    found = {canonical_spelling(k) for k in known if fits(k)}
    if not found and text[0] in _PREFIXES:
        found = {text[0] + _SPELLINGS[d] for d in STANDARD_DEPARTMENTS if fits(text[0] + d)}
    return found.pop() if len(found) == 1 else None


def complete_cut_name(text: str, known: Collection[str] = ()) -> str | None:
    """The whole name of a unit name cut short by a line break, when only one unit fits.

    The plan's own unit names (``known``) are tried first, then the standard departments
    under the same prefix (区, 县, 市, 旗). Candidates that are spellings of one unit (区卫生健康局,
    区卫生健康委员会) count once; two different units, or a stem of one character ("区发"),
    leave the name as it is.
    """
    if len(text) < 3 or text.endswith(_UNIT_ENDINGS):
        return None
    fits = {
        canonical_spelling(k) for k in known if k.startswith(text) and len(k) > len(text) and k.endswith(_UNIT_ENDINGS)
    }
    if not fits:
        prefix, stem = text[0], text[1:]
        if prefix not in "区县市旗" or len(stem) < 2:
            return None
        fits = {prefix + _SPELLINGS[d] for d in STANDARD_DEPARTMENTS if d.startswith(stem) and len(d) > len(stem)}
    return fits.pop() if len(fits) == 1 else None


def known_unit_names(raws: Iterable[str]) -> list[str]:
    """The unit names a plan prints, cleaned once, for ``normalise_unit_name``'s ``known``."""
    names = (_BRACKET.sub("", _clean(raw)).strip(_STRAY) for raw in raws)
    return sorted({n for n in names if len(n) >= 3 and n.endswith(_UNIT_ENDINGS) and not _is_group(n)})


def normalise_unit_name(raw: str, area_short: str, known: Collection[str] = ()) -> UnitName:
    """Classify a written unit name and give its canonical form for an area.

    ``area_short`` is the area's short name (市中, 山亭), used by rule 3; ``known`` are the
    unit names the same plan prints elsewhere, used to complete a name cut at a line break.
    """
    text = _clean(raw)
    note: str | None = None
    head, sep, tail = text.partition("等")
    if sep and head and _is_group(tail):
        text, note = head, sep + tail
    if _is_group(text):
        return UnitName(raw, "group", text)
    text = _BRACKET.sub("", text).strip(_STRAY)
    for bureau in GENERIC_SUB_BUREAUS:
        if text == f"{bureau}{area_short}分局":
            text = f"区{bureau}分局"
    text = canonical_spelling(text)
    text = expand_abbreviation(text, known) or text
    text = complete_cut_name(text, known) or text
    text = canonical_spelling(text)
    if len(text) < 3 or not text.endswith(_UNIT_ENDINGS):
        return UnitName(raw, "fragment", text, note)
    return UnitName(raw, "unit", text, note)


def _is_group(text: str) -> bool:
    return any(marker in text for marker in _GROUP_MARKERS) or text.endswith(("部门", "单位"))
