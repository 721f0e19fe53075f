"""Sentence fragments never become indicators on their own (issue 9, part 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.plan.directions import extract_directions
from planwatch.plan.fragments import fragment_reason, gap_base, gap_dimensions, gap_indicator_name
from planwatch.plan.reader import read_files

PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"


@pytest.mark.parametrize(
    ("name", "dims"),
    [
        ("城乡差距", {"residence"}),
        ("城乡、区域差距", {"residence", "region"}),
        ("城乡和地区差距", {"residence", "region"}),
        ("城乡和区域差距", {"residence", "region"}),
        ("区域差距", {"region"}),
        ("男女两性差距", {"sex"}),
        ("男女收入差距", None),
        ("两性家务劳动时间差距", None),
        ("男女两性科学素质水平差距", None),
    ],
)
def test_gap_dimensions(name: str, dims: set[str] | None) -> None:
    got = gap_dimensions(name)
    assert (set(got) if got is not None else None) == dims


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("城乡、区域差距", True),
        ("利用率和服务质量", True),
        ("待遇水平", True),
        ("担任正职", True),
        ("分值", True),
        ("其中女性比例", True),
        ("孕产妇死亡率", False),
        ("妇女健康素养水平", False),
        ("领导班子配备女干部的比例", False),
        ("公益性儿童教育、科技、文化、体育、娱乐等校外活动场所", False),
        ("社区居委会主任中女性比例", False),
    ],
)
def test_fragment_reason(name: str, fragment: bool) -> None:
    assert (fragment_reason(name) is not None) is fragment


def test_gap_names_round_trip() -> None:
    assert gap_base(gap_indicator_name("孕产妇死亡率")) == "孕产妇死亡率"
    assert gap_base("孕产妇死亡率") is None
    assert gap_base("城乡差距") is None  # nothing before the suffix
    assert gap_base("区域城乡差距") is None  # only dimensions: a fragment, not a derived gap


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a gap after one indicator in the same sentence: one derived gap target
        ("孕产妇死亡率控制在8/10万以下，城乡、区域差距缩小。", [("孕产妇死亡率城乡差距", "decrease")]),
        # three indicators read from one clause: a gap of each
        (
            "新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰、3.3‰和4‰以下，城乡和地区差距逐步缩小。",
            [
                ("新生儿死亡率城乡差距", "decrease"),
                ("婴儿死亡率城乡差距", "decrease"),
                ("5岁以下儿童死亡率城乡差距", "decrease"),
            ],
        ),
        # a gap in another sentence than the indicator is not its gap
        ("孕产妇死亡率控制在8/10万以下。城乡差距缩小。", []),
        # only regions (areas compared) or only sexes, without an indicator: qualitative
        ("孕产妇死亡率控制在8/10万以下，区域差距缩小。", []),
        ("妇女平等享有社会保障权益，缩小男女两性差距。", []),
        # attribute fragments
        ("公益性儿童教育、科技、文化、体育、娱乐等校外活动场所增加，提高利用率和服务质量。",
         [("公益性儿童教育、科技、文化、体育、娱乐等校外活动场所", "increase")]),
        ("完善基本养老保险体系。妇女基本养老保险参保率达到95%以上，待遇水平稳步提高。", []),
        # complete names ending in 差距 stay
        ("男女收入差距明显缩小。", [("男女收入差距", "decrease")]),
        ("巩固提高儿童基本医疗保障水平。", [("儿童基本医疗保障水平", "increase")]),
        (
            "孤儿、事实无人抚养儿童、重点困境儿童基本生活费标准按上级要求进一步提高。",
            [("孤儿、事实无人抚养儿童、重点困境儿童基本生活费标准", "increase")],
        ),
    ],
)
def test_directions_without_fragments(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(d.name, d.direction) for d in extract_directions(text)] == expected


FRAGMENTS_SEEN_IN_SEEDS = ("城乡、区域差距", "城乡和区域差距", "城乡和地区差距", "男女两性差距",
                           "待遇水平", "利用率和服务质量", "提高儿童基本医疗保障水平",
                           "提高基本医疗保障水平")


@pytest.mark.slow
def test_seed_directions_hold_no_fragment() -> None:
    """Every direction name the reader gives for both seeds is a name a unit can report on."""
    catalogue = read_files([PLANS / "jinan-shizhong-2022-7.txt", PLANS / "shanting-gazette-2022-1.md"])
    names = [
        d.name
        for plan in catalogue.plans
        for domain in plan.domains
        for target in domain.targets
        for d in target.directions
    ]
    assert names, "the seeds have directional targets"
    for name in names:
        assert fragment_reason(name) is None, name
        assert name not in FRAGMENTS_SEEN_IN_SEEDS, name
    gaps = sorted(n for n in names if n.endswith("城乡差距"))
    assert gaps == sorted([
        "孕产妇死亡率城乡差距", "孕产妇死亡率城乡差距",
        "新生儿死亡率城乡差距", "婴儿死亡率城乡差距", "5岁以下儿童死亡率城乡差距",
        "新生儿死亡率城乡差距", "婴儿死亡率城乡差距", "5岁以下儿童死亡率城乡差距",
    ])
