"""The semantics table: every row read back from the plan phrase it documents."""

from __future__ import annotations

import re

import pytest

from planwatch.plan.model import UNITS, Indicator
from planwatch.plan.quantities import extract_indicators
from planwatch.plan.semantics import (
    NAME_POLARITY,
    PHRASES,
    QUALIFIERS,
    RELATIVE_AMOUNT_UNITS,
    RELATIVE_KINDS,
    Phrase,
    Qualifier,
    better_of_name,
    better_of_target,
    describe_relative,
    resolve_relative,
    unit_of_name,
)


def _only(text: str) -> Indicator:
    found = extract_indicators(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("phrase", PHRASES, ids=[p.example for p in PHRASES])
def test_each_phrase_row_reads_its_example(phrase: Phrase) -> None:
    assert any(w in phrase.example for w in phrase.words)
    assert _only(phrase.example).comparator == phrase.comparator


@pytest.mark.parametrize(
    ("word", "comparator"),
    [(w, p.comparator) for p in PHRASES for w in p.words if w not in ("在", "是", "最多", "最高", "最低", "最少")],
)
def test_every_verb_of_the_table_before_a_rate(word: str, comparator: str) -> None:
    """Each word of the table, in the same sentence shape, gives the row's comparator."""
    got = _only(f"妇女常见病筛查率{word}85%")
    assert (got.name, got.comparator, got.value, got.unit) == ("妇女常见病筛查率", comparator, 85, "%")


@pytest.mark.parametrize("qualifier", QUALIFIERS, ids=[q.example for q in QUALIFIERS])
def test_each_qualifier_row_reads_its_example(qualifier: Qualifier) -> None:
    assert _only(qualifier.example).comparator == qualifier.comparator


@pytest.mark.parametrize(
    ("text", "comparator", "value"),
    [
        # 达到 and its kin are floors: the 毛入园率 达到70% is at least 70 %.
        ("学前三年毛入园率达到70%", ">=", 70),
        ("学前三年毛入园率达70%", ">=", 70),
        ("参保率为95%", ">=", 95),
        ("高中阶段毛入学率提高到92%", ">=", 92),
        ("孕产妇系统管理率不低于90%", ">=", 90),
        ("孕产妇系统管理率90%以上", ">=", 90),
        ("九年义务教育巩固率达到并保持在98%以上", ">=", 98),
        # ceilings
        ("孕产妇死亡率控制在8/10万", "<=", 8),
        ("婴儿死亡率降至5‰", "<=", 5),
        ("婴儿死亡率下降到5‰", "<=", 5),
        ("婴儿死亡率不高于5‰", "<=", 5),
        ("12岁儿童龋患率30%以下", "<=", 30),
        # strict bounds keep their strictness, also with a qualifier of the same side
        ("婴儿死亡率低于5‰", "<", 5),
        ("普惠性幼儿园覆盖率高于80%", ">", 80),
        # 保持在 / 稳定在 without a qualifier: must hold, side from the better direction
        ("九年义务教育巩固率保持在98%", "maintain", 98),
        ("城区集中式饮用水水源水质达到或优于Ⅲ类标准的比例稳定在100%", "maintain", 100),
        ("社区居委会成员中女性比例保持在50%左右", "maintain", 50),
        # …but a qualifier decides: 稳定在95%以上 is a floor
        ("妇女基本医疗保险参保率稳定在95%以上", ">=", 95),
        # 左右 with any other verb is a band
        ("高级专业技术人员中的女性比例达到40%左右", "~", 40),
    ],
)
def test_plan_phrases(text: str, comparator: str, value: float) -> None:
    got = _only(text)
    assert (got.comparator, got.value, got.relative) == (comparator, value, None)


def test_bare_counts_and_shares_are_floors() -> None:
    assert _only("95%的城市社区建立家长学校").comparator == ">="
    assert [i.comparator for i in extract_indicators("力争新增股改企业20家")] == [">="]


@pytest.mark.parametrize(
    ("text", "name", "lo", "hi", "unit"),
    [
        ("出生人口性别比103—107", "出生人口性别比", 103, 107, ""),
        ("出生人口性别比保持在103-107之间", "出生人口性别比", 103, 107, ""),
        ("剖宫产率控制在20%—30%", "剖宫产率", 20, 30, "%"),
    ],
)
def test_a_range_is_a_floor_and_a_ceiling(text: str, name: str, lo: float, hi: float, unit: str) -> None:
    got = [(i.name, i.comparator, i.value, i.unit) for i in extract_indicators(text)]
    assert got == [(name, ">=", lo, unit), (name, "<=", hi, unit)]


@pytest.mark.parametrize(
    "text",
    ["指导培育或孵化2-3家儿童类社会组织", "0—6岁儿童眼保健和视力检查", "在0—6岁儿童中开展", "加强3—5岁儿童营养"],
)
def test_ranges_that_are_not_targets(text: str) -> None:
    assert extract_indicators(text) == []


@pytest.mark.parametrize(
    ("text", "name", "kind", "amount", "base_year", "comparator"),
    [
        ("儿童意外伤害死亡率以2020年为基数下降20%", "儿童意外伤害死亡率", "percent", -20, 2020, "<="),
        ("儿童意外伤害死亡率以2020年为基数下降20%以上", "儿童意外伤害死亡率", "percent", -20, 2020, "<="),
        ("孕产妇死亡率比2020年降低10%", "孕产妇死亡率", "percent", -10, 2020, "<="),
        ("妇女基本养老保险参保率比2020年提高5个百分点", "妇女基本养老保险参保率", "points", 5, 2020, ">="),
        ("儿童总体近视率平均每年降低1个百分点以上", "儿童总体近视率", "annual_points", -1, None, "<="),
        ("托育机构数年均增长3%", "托育机构数", "annual_growth", 3, None, ">="),
        ("每千人口托位数比2020年翻一番", "每千人口托位数", "multiple", 2, 2020, ">="),
        ("儿童图书馆藏书量翻两番", "儿童图书馆藏书量", "multiple", 4, None, ">="),
    ],
)
def test_relative_targets(
    text: str, name: str, kind: str, amount: float, base_year: int | None, comparator: str
) -> None:
    got = _only(text)
    assert (got.name, got.relative, got.value, got.base_year, got.comparator) == (
        name, kind, amount, base_year, comparator,
    )
    assert got.unit == RELATIVE_AMOUNT_UNITS[kind]
    assert got.unit in UNITS
    assert got.raw in text


def test_a_change_naming_nothing_is_no_target() -> None:
    assert extract_indicators("每年提高1个百分点") == []


@pytest.mark.parametrize(
    ("kind", "amount", "base", "years", "expected"),
    [
        ("percent", -20, 4.2, 5, 3.36),
        ("points", 5, 71.3, 5, 76.3),
        ("multiple", 2, 2.25, 5, 4.5),
        ("annual_growth", 10, 100, 2, 121),
        ("annual_growth", -10, 100, 2, 81),
        ("annual_points", -1, 60, 5, 55),
    ],
)
def test_resolve_relative(kind: str, amount: float, base: float, years: int, expected: float) -> None:
    assert resolve_relative(kind, amount, base, years) == pytest.approx(expected, abs=1e-12)


def test_resolve_relative_refuses_unknown_kind() -> None:
    with pytest.raises(ValueError, match="未知的相对目标类型"):
        resolve_relative("ratio", 1, 1, 1)


def test_every_kind_has_an_amount_unit_and_a_description() -> None:
    assert set(RELATIVE_AMOUNT_UNITS) == set(RELATIVE_KINDS)
    assert describe_relative("percent", -20, 2020) == "以2020年为基数下降20%"
    assert describe_relative("points", 5, 2020) == "比2020年提高5个百分点"
    assert describe_relative("multiple", 2, 2020) == "比2020年翻一番"
    assert describe_relative("annual_growth", 3.5, 2020) == "自2020年起年均增长3.5%"
    assert describe_relative("annual_points", -1, 2020) == "自2020年起平均每年下降1个百分点"


@pytest.mark.parametrize(
    ("name", "better"),
    [
        ("孕产妇死亡率", "lower"),
        ("儿童意外伤害死亡率", "lower"),
        ("艾滋病母婴传播率", "lower"),
        ("孕产妇中重度贫血患病率", "lower"),
        ("5岁以下儿童低体重率", "lower"),
        ("儿童超重率", "lower"),
        ("儿童肥胖率", "lower"),
        ("儿童总体近视率", "lower"),
        ("未成年人犯罪人数", "lower"),
        ("义务教育辍学人数", "lower"),
        ("九年义务教育巩固率", "higher"),
        ("0—6岁儿童眼保健和视力检查覆盖率", "higher"),
        ("学前三年毛入园率", "higher"),
        ("妇女基本医疗保险参保率", "higher"),
        ("中小学生《国家学生体质健康标准》达标优良率", "higher"),
        ("社区居委会成员中女性比例", "higher"),
        ("城区集中式饮用水水源水质达到或优于Ⅲ类标准的比例", "higher"),
        ("出生人口性别比", "hold"),
        ("人均住房面积", None),
    ],
)
def test_name_polarity(name: str, better: str | None) -> None:
    assert better_of_name(name) == better


def test_every_polarity_row_is_reachable() -> None:
    """No row is shadowed by an earlier one: each decides for at least one name above."""
    names = [
        "出生人口性别比", "社区居委会成员中女性比例", "孕产妇死亡率", "儿童肥胖率", "义务教育辍学人数",
        "九年义务教育巩固率", "城区饮用水水质", "公办幼儿园在园幼儿占比",
    ]  # fmt: skip
    winners = set()
    for name in names:
        for i, row in enumerate(NAME_POLARITY):
            if re.search(row.pattern, name):
                winners.add(i)
                break
    assert winners == set(range(len(NAME_POLARITY)))


@pytest.mark.parametrize(
    ("comparator", "name", "better", "conflict"),
    [
        (">=", "九年义务教育巩固率", "higher", False),
        ("maintain", "九年义务教育巩固率", "higher", False),
        ("maintain", "孕产妇死亡率", "lower", False),
        ("maintain", "人均住房面积", "hold", False),
        ("~", "高级专业技术人员中的女性比例", "higher", False),
        ("=", "人均住房面积", "hold", False),
        # the plan's bound wins over the lexicon, with a warning
        (">=", "孕产妇死亡率", "higher", True),
        ("<=", "九年义务教育巩固率", "lower", True),
        # the two bounds of a range of a hold indicator are no conflict
        (">=", "出生人口性别比", "hold", False),
        ("<=", "出生人口性别比", "hold", False),
    ],
)
def test_better_of_target(comparator: str, name: str, better: str, conflict: bool) -> None:
    got, note = better_of_target(comparator, name)
    assert got == better
    assert (note is not None) == conflict


def test_units_of_rates_named_by_relative_targets() -> None:
    assert unit_of_name("儿童意外伤害死亡率") == "/10万"
    assert unit_of_name("孕产妇死亡率") == "/10万"
    assert unit_of_name("婴儿死亡率") == "‰"
    assert unit_of_name("托育机构数") is None
