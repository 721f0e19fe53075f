"""Directional targets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planwatch.plan.directions import extract_directions
from planwatch.plan.model import Indicator
from planwatch.plan.quantities import extract_indicators


def _read(text: str) -> list[tuple[str, str]]:
    return [(d.name, d.direction) for d in extract_directions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "妇女全生命周期享有良好的卫生健康服务，妇女人均预期寿命延长，人均预期寿命提高。",
            [("妇女人均预期寿命", "increase"), ("人均预期寿命", "increase")],
        ),
        ("孕产妇死亡率控制在8/10万以下，城乡、区域差距缩小。", [("孕产妇死亡率城乡差距", "decrease")]),
        (
            "基本消除女性青壮年文盲现象。女性平均受教育年限不断提高。",
            [("女性青壮年文盲现象", "eliminate"), ("女性平均受教育年限", "increase")],
        ),
        ("女性青壮年文盲基本消除。", [("女性青壮年文盲", "eliminate")]),
        (
            "增强妇女心理健康意识，妇女焦虑障碍、抑郁症患病率上升趋势减缓。",
            [("妇女心理健康意识", "increase"), ("妇女焦虑障碍、抑郁症患病率上升趋势", "decrease")],
        ),
        ("普及健康知识，提高妇女健康素养水平。", [("妇女健康素养水平", "increase")]),
        ("改善妇女营养状况。预防和减少孕产妇贫血。", [("孕产妇贫血", "decrease")]),
        (
            "儿童新发近视率明显下降，儿童总体近视率平均每年降低一个百分点以上。",
            [("儿童新发近视率", "decrease")],
        ),
        ("女职工职业病发病率明显降低。", [("女职工职业病发病率", "decrease")]),
        ("提倡科学备孕和适龄怀孕，控制剖宫产率。", [("剖宫产率", "decrease")]),
        ("儿童肥胖、超重上升趋势得到有效控制。", [("儿童肥胖、超重上升趋势", "decrease")]),
        ("中国共产党女党员保持合理比例。", [("中国共产党女党员比例", "maintain")]),
        ("巩固义务教育普及成果。", [("义务教育普及成果", "maintain")]),
        ("促进平等就业，消除就业性别歧视。", [("就业性别歧视", "eliminate")]),
        ("杜绝产生女性青壮年新文盲。", [("产生女性青壮年新文盲", "eliminate")]),
        (
            "村党组织成员、村党组织书记中，女性比例逐步提高。",
            [("村党组织成员、村党组织书记中女性比例", "increase")],
        ),
        ("扩大妇女就业总量。", [("妇女就业总量", "increase")]),
        # not directions
        ("健全妇幼健康服务体系。", []),
        ("加大对妇女健康事业的财政投入。", []),
        ("完善保障妇女健康的制度机制。", []),
        ("妇女常见病筛查率达到85%以上。", []),
        ("（牵头单位：区卫生健康局，责任单位：区医保局）", []),
    ],
)
def test_cases(text: str, expected: list[tuple[str, str]]) -> None:
    assert _read(text) == expected


def test_raw_is_the_clause() -> None:
    text = "（1）妇女全生命周期享有良好的卫生健康服务，妇女人均预期寿命延长。"
    [d] = extract_directions(text)
    assert d.raw == "妇女人均预期寿命延长"


def test_explicit_exclude_list_is_used() -> None:
    text = "孕产妇系统管理率达到92%以上，降低孕产妇死亡率。"
    assert _read(text) == [("孕产妇死亡率", "decrease")]
    indicators = extract_indicators(text)
    assert [d.name for d in extract_directions(text, exclude=indicators)] == ["孕产妇死亡率"]
    # An empty list excludes nothing; the quantitative clause has no direction verb anyway.
    assert [d.name for d in extract_directions(text, exclude=[])] == ["孕产妇死亡率"]


def test_clause_already_read_as_indicator_is_skipped() -> None:
    text = "孕产妇系统管理率达到92%以上，降低孕产妇死亡率。"
    taken = Indicator(
        name="孕产妇死亡率", comparator="<=", value=8, unit="/10万", raw="降低孕产妇死亡率"
    )
    assert extract_directions(text, exclude=[taken]) == []


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
            st.sampled_from(list("提高降低减少消除保持逐步明显率比例，。、（）()0123456789%中")),
            st.characters(),
        ),
        max_size=60,
    )
)
def test_never_raises_and_raw_is_substring(text: str) -> None:
    for d in extract_directions(text):
        assert d.raw in text
        assert d.name
