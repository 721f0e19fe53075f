"""Unit names cut at a line break are completed by a general rule, not a per-document table."""

from __future__ import annotations

import pytest

from planwatch.store.unit_names import ALIASES, complete_cut_name, normalise_unit_name


@pytest.mark.parametrize(
    ("cut", "whole"),
    [
        ("区卫生健康", "区卫生健康局"),  # 局/委/委员会 are spellings of one unit
        ("区住房城乡建设", "区住房城乡建设局"),
        ("区交通运", "区交通运输局"),
        ("区民政", "区民政局"),
        ("区委宣传", "区委宣传部"),
        ("县交通运", "县交通运输局"),  # any county-level prefix, not only the seeds' 区
        ("区人力资源社", "区人力资源社会保障局"),
    ],
)
def test_cut_names_are_completed_from_the_standard_departments(cut: str, whole: str) -> None:
    assert cut not in ALIASES
    name = normalise_unit_name(cut, "山亭")
    assert (name.kind, name.canonical) == ("unit", whole)


@pytest.mark.parametrize("cut", ["区发", "区教育", "区文"])
def test_ambiguous_or_too_short_cuts_stay_fragments(cut: str) -> None:
    # 区教育 could be 教育局 or 教育体育局: two different units, so nothing is guessed
    assert complete_cut_name(cut) is None
    assert normalise_unit_name(cut, "山亭").kind == "fragment"


def test_the_plans_own_names_complete_a_cut_first() -> None:
    known = ["区妇儿工委办公室", "区妇联"]
    assert complete_cut_name("区妇儿工", known) == "区妇儿工委办公室"
    assert normalise_unit_name("区妇儿工", "山亭", known).canonical == "区妇儿工委办公室"
    assert complete_cut_name("区妇", known) is None  # 区妇联 and 区妇儿工委办公室 both fit


def test_whole_names_are_left_alone() -> None:
    assert complete_cut_name("区卫生健康局") is None
    assert normalise_unit_name("区卫生健康服务中心", "山亭").canonical == "区卫生健康服务中心"
