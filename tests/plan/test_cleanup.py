"""Repairing Word-export and PDF-extraction damage before anything else reads the text.

The fixtures are short excerpts shaped like the two seeds: the Jinan Word export (bookmark
anchors, 〔〕 blocks) and the Shanting gazette extracted from PDF to Markdown (heading marks,
half-width punctuation, sentences and unit names broken across lines and blank lines).
"""

from __future__ import annotations

import re

import pytest

from planwatch.plan.cleanup import (
    Paragraph,
    build_paragraphs,
    is_markdown_heading,
    normalize_line,
    starts_item,
)
from planwatch.plan.documents import STANDALONE


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[bookmark: _Toc1220578601]（一）妇女与健康。", "（一）妇女与健康。"),
        (
            "[bookmark: _Toc1687330941][bookmark: _Hlk67640879]三、发展领域、主要目标和策略措施",
            "三、发展领域、主要目标和策略措施",
        ),
        ("（2）孕产妇死亡率[bookmark: _Hlk1]控制在8/10万以下。", "（2）孕产妇死亡率控制在8/10万以下。"),
    ],
)
def test_bookmark_artefacts_are_removed(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("### （一）妇女与健康。", "（一）妇女与健康。"),
        ("#### 1. 主要目标。", "1.主要目标。"),
        ("## (二) 妇女与教育。", "（二）妇女与教育。"),
        ("# 山亭区人民政府文件", "山亭区人民政府文件"),
        ("**加粗**文字", "加粗文字"),
        ("\\*注\\*", "*注*"),
    ],
)
def test_markdown_marks_are_removed(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected


def test_markdown_heading_is_recognised_only_with_hash() -> None:
    assert is_markdown_heading("## 2. 策略措施。")
    assert is_markdown_heading("   ### （三）妇女与经济。")
    assert not is_markdown_heading("（1）孕产妇死亡率控制在8/10万以下。")
    assert not is_markdown_heading("    #### indented code, not a heading")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # half-width brackets and the space after an item marker
        ("(1) 减少艾滋病、梅毒和乙肝母婴传播。", "（1）减少艾滋病、梅毒和乙肝母婴传播。"),
        # half-width colon and comma inside a unit block, with and without spaces
        (
            "(牵头单位: 区应急局, 责任单位: 区卫生健康局、区总工会)",
            "（牵头单位：区应急局，责任单位：区卫生健康局、区总工会）",
        ),
        (
            "（牵头单位:区司法局、区公安分局,责任单位:区教育体育局）",
            "（牵头单位：区司法局、区公安分局，责任单位：区教育体育局）",
        ),
        # full-width digits and percent sign
        ("筛查率达到８５％以上", "筛查率达到85%以上"),
        # half-width semicolon
        ("实现增收致富;鼓励农村妇女", "实现增收致富；鼓励农村妇女"),
        # full-width ideographic space and spaces between CJK characters are extraction noise
        ("区政府各\u3000部门单位", "区政府各部门单位"),
        (
            "山亭区人民政府 关于印发山亭区“十四五”妇女发展规划和 山亭区",
            "山亭区人民政府关于印发山亭区“十四五”妇女发展规划和山亭区",
        ),
        ("（ 二 ）", "（二）"),
    ],
)
def test_mixed_width_punctuation_gets_one_spelling(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "出生人口性别比保持在3:2",  # a ratio keeps its colon
        "资金规模达到1,000万元",  # a thousands separator keeps its comma
        "人均预期寿命达到80.5岁",
        "HPV疫苗接种率达到90%以上",
    ],
)
def test_numbers_keep_their_punctuation(raw: str) -> None:
    assert normalize_line(raw) == raw


def test_brackets_both_kinds_survive_normalisation() -> None:
    """〔〕 is a different bracket from （）; the unit reader, not cleanup, treats them alike."""
    text = "〔牵头单位：区教育体育局，责任单位：区妇联(区妇儿工委办公室)〕"
    assert normalize_line(text) == "〔牵头单位：区教育体育局，责任单位：区妇联（区妇儿工委办公室）〕"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（1）孕产妇", True),
        ("（12）提高", True),
        ("（三）妇女与经济。", True),
        ("三、发展领域", True),
        ("1.主要目标。", True),
        ("2、策略措施", True),
        ("2.5万人参加培训", False),  # a decimal number is not an item marker
        ("政局、区总工会", False),
        ("全面推进，教师和学生", False),
    ],
)
def test_starts_item(text: str, expected: bool) -> None:
    assert starts_item(text) is expected


def _texts(paragraphs: list[Paragraph]) -> list[str]:
    return [p.text for p in paragraphs]


def test_unit_name_broken_across_blank_line_is_joined() -> None:
    lines = [
        "(4) 保障妇女获得公平的劳动报酬。(牵头单位：区人力资源社会保障局，责任单位：区财",
        "",
        "政局、区总工会、区农业农村局)",
        "",
        "(5) 促进女性人才发展。",
    ]
    paragraphs = build_paragraphs(lines)
    assert _texts(paragraphs) == [
        "（4）保障妇女获得公平的劳动报酬。（牵头单位：区人力资源社会保障局，责任单位：区财政局、"
        "区总工会、区农业农村局）",
        "（5）促进女性人才发展。",
    ]
    assert [p.line for p in paragraphs] == [1, 5]


def test_item_heading_broken_mid_phrase_is_joined() -> None:
    lines = [
        "(3) 大中小学性别平等教育",
        "",
        "全面推进，教师和学生的男女平等意识明显增强。(牵头单位：区教育体育局)",
    ]
    assert _texts(build_paragraphs(lines)) == [
        "（3）大中小学性别平等教育全面推进，教师和学生的男女平等意识明显增强。（牵头单位：区教育体育局）"
    ]


def test_word_broken_mid_character_run_is_joined() -> None:
    lines = ["(1) 健全妇女健康保障机", "", "制。建立健全政府主导的工作机制。"]
    assert _texts(build_paragraphs(lines)) == ["（1）健全妇女健康保障机制。建立健全政府主导的工作机制。"]


def test_sentence_end_starts_a_new_paragraph() -> None:
    lines = ["第一句话结束。", "第二句话开始", "继续。"]
    assert _texts(build_paragraphs(lines)) == ["第一句话结束。", "第二句话开始继续。"]


def test_numbered_item_starts_a_new_paragraph_even_mid_sentence() -> None:
    lines = ["（1）没有句号的条目", "（2）下一条"]
    assert _texts(build_paragraphs(lines)) == ["（1）没有句号的条目", "（2）下一条"]


def test_headings_and_standalone_lines_are_never_joined() -> None:
    lines = [
        "## （二）妇女与教育",
        "正文第一行",
        "2022年3月31日",
        "（此件公开发布）",
        "山亭区“十四五”妇女发展规划",
        "正文",
    ]
    paragraphs = build_paragraphs(lines, standalone=STANDALONE)
    assert _texts(paragraphs) == [
        "（二）妇女与教育",
        "正文第一行",
        "2022年3月31日",
        "（此件公开发布）",
        "山亭区“十四五”妇女发展规划",
        "正文",
    ]
    assert paragraphs[0].heading
    assert not paragraphs[1].heading
    assert all(p.heading for p in paragraphs[2:5])


def test_line_numbers_are_one_based_and_offset_by_start() -> None:
    lines = ["", "（1）甲。", "", "", "（2）乙", "续。"]
    paragraphs = build_paragraphs(lines, start=100)
    assert [(p.text, p.line) for p in paragraphs] == [("（1）甲。", 102), ("（2）乙续。", 105)]


def test_normalised_text_has_no_artefacts_left() -> None:
    """After cleanup no bookmark, heading mark or half-width bracket/colon survives."""
    lines = [
        "[bookmark: _Toc1]### (一) 妇女与健康。",
        "#### 1. 主要目标。",
        "(1) 孕产妇死亡率控制在8.2/10万以下。(牵头单位: 区卫生健康局)",
    ]
    joined = "".join(_texts(build_paragraphs(lines)))
    assert not re.search(r"\[bookmark|#|\(|\)|(?<!\d):", joined)


def test_space_after_slash_between_cjk_is_noise() -> None:
    # shanting-gazette-2022-1.md line 811 prints 跌倒/ 跌落; 市中区 prints 跌倒/跌落.
    assert normalize_line("（3）预防和控制儿童跌倒/ 跌落、烧烫伤") == "（3）预防和控制儿童跌倒/跌落、烧烫伤"


@pytest.mark.parametrize(
    "line",
    ["初审：刘春晓", "终审:包兰芳", "编辑：海孟琪", "监审：闫 丽", "责任编辑：郑莉莉", "投稿邮箱|yksfl@126.com"],
)
def test_editor_lines_of_news_posts_are_furniture(line: str) -> None:
    from planwatch.plan.cleanup import strip_furniture

    target = "10.居委会成员中女性比例保持在70%左右。"
    assert strip_furniture([target, line]) == [target, ""]


def test_a_target_naming_an_editor_role_is_not_furniture() -> None:
    from planwatch.plan.cleanup import strip_furniture

    line = "3.初审案件法律援助覆盖率达到100%。"
    assert strip_furniture([line]) == [line]
