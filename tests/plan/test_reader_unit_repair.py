"""Unit names cut at a line break are completed by a general rule, not a per-document table."""

from __future__ import annotations

import pytest

from planwatch.store import unit_names
from planwatch.store.unit_names import complete_cut_name, expand_abbreviation, normalise_unit_name


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


def test_there_is_no_table_of_one_document_s_spellings() -> None:
    # Only standard departments are listed, without area prefixes: nothing per document.
    assert not hasattr(unit_names, "ALIASES")
    assert all(not name.startswith(("区", "县")) for group in unit_names.DEPARTMENTS for name in group)


@pytest.mark.parametrize(
    ("short", "whole"),
    [
        ("区发改局", "区发展改革局"),
        ("区人社局", "区人力资源社会保障局"),
        ("县卫健局", "县卫生健康局"),
        ("区住建局", "区住房城乡建设局"),
        ("旗文旅局", "旗文化和旅游局"),
        ("区交运局", "区交通运输局"),
        ("县商投局", "县商务和投资促进局"),
        ("区审批局", "区行政审批服务局"),
        ("县城管局", "县城市管理局"),
    ],
)
def test_abbreviations_expand_to_the_one_department_that_fits(short: str, whole: str) -> None:
    assert expand_abbreviation(short) == whole
    assert normalise_unit_name(short, "某").canonical == whole


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("县市场监督管理局", "县市场监管局"),
        ("市卫生健康委员会", "市卫生健康局"),
        ("县人民法院", "县法院"),
        ("共青团县委", "团县委"),
        ("县关心下一代工作委员会", "县关工委"),
        ("区国资事务服务中心", "区国有资产事务服务中心"),
    ],
)
def test_official_spellings_take_the_usual_name(raw: str, canonical: str) -> None:
    assert normalise_unit_name(raw, "某").canonical == canonical


def test_abbreviations_are_read_against_the_plans_own_names_first() -> None:
    known = ["县民族宗教事务局", "县民政局"]
    assert expand_abbreviation("县民宗局", known) == "县民族宗教事务局"
    # 委网信办 and 委编办 both fit 县委办: two units, nothing is guessed
    assert expand_abbreviation("县委办") is None
    # a whole standard name is never taken for an abbreviation of a longer one
    assert normalise_unit_name("区教育局", "某").canonical == "区教育局"
    assert normalise_unit_name("区公安局", "某").canonical == "区公安局"


def test_provincial_departments_are_units_and_cut_names_use_the_plans_own_list() -> None:
    known = ["省卫生厅", "省人口计生委", "省妇联"]
    assert normalise_unit_name("省卫生厅", "广东", known).kind == "unit"
    assert normalise_unit_name("省人口计生", "广东", known).canonical == "省人口计生委"
    assert normalise_unit_name("省计生委", "广东", known).canonical == "省人口计生委"


def test_a_plans_printed_names_are_cleaned_once_for_completion() -> None:
    known = unit_names.known_unit_names(
        ["区农业农村局（区乡村振兴局）", "责任单位：区妇联", "区妇儿工委有关成员单位", "区发", "省人口计生委"]
    )
    assert known == ["区农业农村局", "区妇联", "省人口计生委"]
    assert normalise_unit_name("区农业农", "山亭", known).canonical == "区农业农村局"
