"""The year's largest gap between women and men or town and country, in one sentence.

Plans ask for figures by sex and by 城乡 precisely to show such gaps; a domain paragraph
that names the largest one points the reader to where a total hides a difference. Gaps
of indicators in different units are compared relatively (the difference over the
larger of the two figures), then stated in the indicator's own unit. Both figures are
rounded as the tables show them before the difference is taken, so the sentence and
the table never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from planwatch.report.data import ReportData
from planwatch.report.formatting import difference, with_unit
from planwatch.vocabulary import RESIDENCE, SEX
from planwatch.vocabulary import breakdown_key as key

DECIMALS = 2
"""As the indicator tables show values."""

PAIRS = (("residence", RESIDENCE), ("sex", SEX))
DIMENSION_WORDS = {"residence": "城乡", "sex": "性别"}
CATEGORY_WORDS = {
    "women": {"urban": "城镇", "rural": "农村", "female": "女性", "male": "男性"},
    "children": {"urban": "城镇", "rural": "农村", "female": "女童", "male": "男童"},
}


@dataclass(frozen=True)
class Gap:
    indicator: str
    unit: str
    dimension: str
    higher: str
    """The category with the larger figure (``rural``, ``female`` …)."""
    lower: str
    high_value: float
    low_value: float

    @property
    def difference(self) -> float:
        return round(self.high_value - self.low_value, DECIMALS)

    @property
    def relative(self) -> float:
        return self.difference / abs(self.high_value) if self.high_value else 0.0


def largest_gap(data: ReportData, rows: pl.DataFrame) -> Gap | None:
    """The largest relative sex or 城乡 gap of ``data.year`` among ``rows``' indicators."""
    best: Gap | None = None
    seen: set[tuple[str, str]] = set()
    for r in rows.iter_rows(named=True):
        code, area = str(r["indicator_code"]), str(r["area_code"])
        if (code, area) in seen:
            continue
        seen.add((code, area))
        for dimension, (first, second) in PAIRS:
            a = data.series(code, area, key(dimension, first)).get(data.year)
            b = data.series(code, area, key(dimension, second)).get(data.year)
            if a is None or b is None:
                continue
            a, b = round(a, DECIMALS), round(b, DECIMALS)
            if a == b or max(abs(a), abs(b)) == 0:
                continue
            (high, hv), (low, lv) = sorted([(first, a), (second, b)], key=lambda t: -t[1])
            gap = Gap(str(r["indicator_name"]), str(r["unit"] or ""), dimension, high, low, hv, lv)
            if best is None or gap.relative > best.relative:
                best = gap
    return best


def gap_sentence(gap: Gap, subject: str = "women") -> str:
    """分城乡看，农村5岁以下儿童死亡率为6.57‰，高于城镇2.13个千分点（城镇为4.44‰），…"""
    words = CATEGORY_WORDS.get(subject, CATEGORY_WORDS["women"])
    high, low = words[gap.higher], words[gap.lower]
    return (
        f"分{DIMENSION_WORDS[gap.dimension]}看，{high}{gap.indicator}为"
        f"{with_unit(gap.high_value, gap.unit, DECIMALS)}，高于{low}"
        f"{difference(gap.difference, gap.unit, DECIMALS)}"
        f"（{low}为{with_unit(gap.low_value, gap.unit, DECIMALS)}），"
        "是本领域分性别、城乡数据中相对差距最大的。"
    )
