"""The responsibility block that ends a main target: who leads, who shares the work.

Unit blocks are read from normalised text (cleanup has already made brackets, colons and
commas full-width), so most cases go through `normalize_line` first, as the reader does.
"""

from __future__ import annotations

import pytest

from planwatch.plan.cleanup import normalize_line
from planwatch.plan.responsibility import UnitBlock, parse_unit_block


def _read(raw: str) -> UnitBlock:
    return parse_unit_block(normalize_line(raw))


def test_lead_and_responsible_units() -> None:
    text = "（1）妇女人均预期寿命延长。（牵头单位：区卫生健康局，责任单位：区医保局、区发展改革局）"
    block = parse_unit_block(text)
    assert block.lead == ["区卫生健康局"]
    assert block.responsible == ["区医保局", "区发展改革局"]
    assert block.note is None
    assert text[: block.start] == "（1）妇女人均预期寿命延长。"


def test_lead_only() -> None:
    block = parse_unit_block("孕产妇死亡率控制在8/10万以下。（牵头单位：区卫生健康局）")
    assert (block.lead, block.responsible, block.note) == (["区卫生健康局"], [], None)


def test_responsible_only() -> None:
    block = parse_unit_block("妇女权益保障法律体系更加完善。（责任单位：区妇儿工委各成员单位、特邀单位）")
    assert block.lead == []
    assert block.responsible == ["区妇儿工委各成员单位", "特邀单位"]
    assert block.note is None


def test_several_lead_units() -> None:
    block = parse_unit_block(
        "（牵头单位：区农业农村局、区人力资源社会保障局、区民政局，责任单位：区妇联、区科协、区残联、区财政局）"
    )
    assert block.lead == ["区农业农村局", "区人力资源社会保障局", "区民政局"]
    assert block.responsible == ["区妇联", "区科协", "区残联", "区财政局"]


def test_tortoise_shell_brackets_with_nested_parentheses() -> None:
    """市中区 writes 〔〕 when a unit name itself carries a parenthesis."""
    text = "充分发挥妇女作用。〔牵头单位：区农业农村局（区乡村振兴局），责任单位：区妇联、区科协〕"
    block = parse_unit_block(text)
    assert block.lead == ["区农业农村局（区乡村振兴局）"]
    assert block.responsible == ["区妇联", "区科协"]
    assert text[: block.start] == "充分发挥妇女作用。"


def test_nested_parenthesis_in_last_responsible_unit() -> None:
    block = parse_unit_block(
        "教育工作全面贯彻男女平等基本国策。〔牵头单位：区教育体育局，责任单位：区妇联（区妇儿工委办公室）〕"
    )
    assert block.responsible == ["区妇联（区妇儿工委办公室）"]


def test_angle_brackets_inside_a_name_are_kept_as_printed() -> None:
    block = parse_unit_block("（牵头单位：区卫生健康局，责任单位：区政府办公室〈区大数据中心〉、团区委）")
    assert block.responsible == ["区政府办公室〈区大数据中心〉", "团区委"]


def test_earlier_parenthesis_without_role_is_not_the_block() -> None:
    text = "15岁之前适龄女孩HPV（人乳头瘤病毒）疫苗接种率达到90%以上。（牵头单位：区卫生健康局）"
    block = parse_unit_block(text)
    assert block.lead == ["区卫生健康局"]
    assert text[: block.start].endswith("疫苗接种率达到90%以上。")


def test_no_block() -> None:
    block = parse_unit_block("妇女与健康领域，城乡差距缩小（含农村地区）。")
    assert block == UnitBlock()
    assert block.start == -1


@pytest.mark.parametrize(
    ("raw", "responsible", "note"),
    [
        (
            "(牵头单位：区委政法委，责任单位：区公安分局、区司法局、区民政局、区卫生健康局"
            "等区妇儿工委有关成员单位、特邀单位)",
            ["区公安分局", "区司法局", "区民政局", "区卫生健康局"],
            "等区妇儿工委有关成员单位、特邀单位",
        ),
        (
            "(牵头单位：区公安分局，责任单位：区司法局、区卫生健康局、区妇联等区妇儿工委有关成员单位)",
            ["区司法局", "区卫生健康局", "区妇联"],
            "等区妇儿工委有关成员单位",
        ),
        (
            "(牵头单位：区妇联，责任单位：区委宣传部、区总工会、团区委等区妇儿工委成员单位、特邀单位)",
            ["区委宣传部", "区总工会", "团区委"],
            "等区妇儿工委成员单位、特邀单位",
        ),
    ],
)
def test_trailing_phrase_is_a_note_not_a_unit(raw: str, responsible: list[str], note: str) -> None:
    block = _read(raw)
    assert block.responsible == responsible
    assert block.note == note


def test_note_on_a_responsible_only_block() -> None:
    block = _read("(责任单位:区司法局、区民政局、区农业农村局、区妇联等区妇儿工委有关成员单位、特邀单位)")
    assert block.lead == []
    assert block.responsible == ["区司法局", "区民政局", "区农业农村局", "区妇联"]
    assert block.note == "等区妇儿工委有关成员单位、特邀单位"


@pytest.mark.parametrize(
    "raw",
    [
        "(牵头单位: 区应急局, 责任单位: 区卫生健康局、区总工会、区人力资源社会保障局)",
        "（牵头单位:区应急局,责任单位:区卫生健康局、区总工会、区人力资源社会保障局）",
        "（牵头单位：区应急局，责任单位：区卫生健康局、区总工会、区人力资源社会保障局）",
        "(牵头单位：区应急局；责任单位：区卫生健康局、区总工会、区人力资源社会保障局。)",
    ],
)
def test_half_and_full_width_spellings_read_alike(raw: str) -> None:
    block = _read(raw)
    assert block.lead == ["区应急局"]
    assert block.responsible == ["区卫生健康局", "区总工会", "区人力资源社会保障局"]


def test_unit_name_broken_by_line_break_is_rejoined() -> None:
    """ "区财\\n\\n政局": the reader joins lines first; a space left in a name is dropped."""
    block = parse_unit_block("（牵头单位：区人力资源社会保障局，责任单位：区财 政局、区总工会）")
    assert block.responsible == ["区财政局", "区总工会"]


def test_word_repeated_across_page_break_is_collapsed() -> None:
    """The gazette prints "区住房城乡建设" at a page end and "建设局" on the next page."""
    block = parse_unit_block("（牵头单位：区教育体育局，责任单位：区发展改革局、区住房城乡建设建设局、区财政局）")
    assert block.responsible == ["区发展改革局", "区住房城乡建设局", "区财政局"]


def test_non_unit_responsibility_phrase_kept_verbatim() -> None:
    block = _read("(牵头单位: 区人力资源社会保障局、区妇联, 责任单位: 相关行业主管部门)")
    assert block.lead == ["区人力资源社会保障局", "区妇联"]
    assert block.responsible == ["相关行业主管部门"]


def test_unbalanced_brackets_do_not_raise() -> None:
    for text in ["（牵头单位：区卫生健康局", "正文）（", "））（（牵头单位：", "（牵头单位：）", ""]:
        parse_unit_block(text)


def test_enumeration_inside_a_nested_parenthesis_stays_one_name() -> None:
    block = parse_unit_block("〔牵头单位：区妇联（区妇儿工委办公室、区妇女儿童事业发展中心），责任单位：区民政局〕")
    assert block.lead == ["区妇联（区妇儿工委办公室、区妇女儿童事业发展中心）"]


def test_lead_and_responsible_in_separate_parentheses() -> None:
    block = parse_unit_block("正文。（牵头单位：区卫生健康局）（责任单位：区民政局）")
    assert block.lead == ["区卫生健康局"]
    assert block.responsible == ["区民政局"]
