"""Indicator tables and 任务分工 tables, from Word tables and from their text forms."""

from __future__ import annotations

from pathlib import Path

import docx

from planwatch.plan.cleanup import join_site_chunks, normalize_line
from planwatch.plan.model import Plan
from planwatch.plan.reader import read_files, read_text
from planwatch.plan.sources import read_source_lines
from planwatch.plan.tables import find_tables, flattened_indicator_domain, indicator_domain

PLAN = """某某县“十四五”妇女发展规划
一、发展领域、主要目标和策略措施
（一）妇女与健康
1.主要目标
（1）孕产妇死亡率控制在10/10万以下。
（2）妇女常见病筛查率达到90%以上。
2.策略措施
（1）保障孕产妇安全。加强管理。
附表1 某某县妇女发展“十四五”规划主要指标
序号\t指标名称\t单位\t2020年基期值\t2025年目标值
1\t妇女人均预期寿命\t岁\t80.5\t81
2\t孕产妇死亡率（1/10万）\t\t12\t≤10
3\t妇女国民体质合格率（%）\t\t93.7\t保持
4\t女性平均受教育年限\t年\t\t11以上
附表2 任务分工
序号\t主要目标\t牵头单位\t责任单位
1\t孕产妇死亡率控制在10/10万以下\t县卫生健康局\t县妇联、县医保局
2\t妇女常见病筛查率达到90%以上\t县卫生健康局\t
"""


def _plan(text: str) -> Plan:
    (plan,) = read_text(text, source="fixture.txt").plans
    return plan


def test_indicator_table_rows_become_quantitative_targets() -> None:
    plan = _plan(PLAN)
    health, table = plan.domains
    assert table.name == "附表1 某某县妇女发展“十四五”规划主要指标"
    rows = [(t.number, t.text, [(i.comparator, i.value, i.unit) for i in t.indicators]) for t in table.targets]
    assert rows == [
        (1, "妇女人均预期寿命", [(">=", 81.0, "岁")]),  # above the baseline: to reach at least
        (2, "孕产妇死亡率", [("<=", 10.0, "/10万")]),  # unit from the name, comparator printed
        (3, "妇女国民体质合格率", [("maintain", 93.7, "%")]),  # 保持 holds the baseline
        (4, "女性平均受教育年限", [(">=", 11.0, "年")]),  # no baseline, 以上 decides
    ]
    assert table.targets[1].indicators[0].raw == "2\t孕产妇死亡率（1/10万）\t\t12\t≤10"
    # table rows are not glued to the last measure of the domain before them
    assert health.measures[0].text == "保障孕产妇安全。加强管理。"


def test_task_table_gives_units_to_targets_printed_without_them() -> None:
    catalogue = read_text(PLAN, source="fixture.txt")
    health = catalogue.plans[0].domains[0]
    assert [(t.lead_units, t.responsible_units) for t in health.targets] == [
        (["县卫生健康局"], ["县妇联", "县医保局"]),
        (["县卫生健康局"], []),
    ]
    assert any("任务分工表" in w.message and "补充" in w.message for w in catalogue.warnings)


def test_markdown_table_is_read_like_a_word_table() -> None:
    lines = [
        "| 序号 | 指标 | 2020年 | 2025年 |",
        "| --- | --- | --- | --- |",
        "| 1 | 婴儿死亡率（‰） | 4.2 | 5以下 |",
    ]
    (block,) = find_tables(lines)
    domain = indicator_domain(block)
    assert domain is not None
    assert [(i.comparator, i.value, i.unit) for i in domain.targets[0].indicators] == [("<=", 5.0, "‰")]


def test_a_table_without_an_indicator_column_is_not_an_indicator_table() -> None:
    (block,) = find_tables(["项目名称\t企业名称\t招引单位", "甲\t乙\t丙"])
    assert indicator_domain(block) is None


def test_docx_table_stays_where_the_body_holds_it(tmp_path: Path) -> None:
    document = docx.Document()
    for line in ["某某县“十四五”儿童发展规划", "一、发展领域、主要目标和策略措施", "（一）儿童与健康", "1.主要目标",
                 "（1）婴儿死亡率控制在5‰以下。", "附表 重点指标目标表"]:  # fmt: skip
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=4)
    for r, row in enumerate([["序号", "指标名称", "2020年", "2025年"], ["1", "婴儿死亡率（‰）", "4.2", "≤5"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = document.add_table(rows=1, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合并"
    merged.cell(0, 2).text = "右"
    document.add_paragraph("二、组织实施")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    lines = read_source_lines(path)
    assert lines[-4:] == ["序号\t指标名称\t2020年\t2025年", "1\t婴儿死亡率（‰）\t4.2\t≤5", "合并\t右", "二、组织实施"]
    (plan,) = read_files([path]).plans
    assert [(d.name, len(d.targets)) for d in plan.domains] == [("儿童与健康", 1), ("附表重点指标目标表", 1)]


FLAT = (
    "到 2025 年，普陀区妇女发展综合水平达到市内领先水平。2普陀区妇女发展“十四五”规划重点指标目标表序号主 要 统 计 指 标"
    "2020 年2025 年1妇女人均预期寿命(岁)83.65保持2妇女国民体质合格率(% )93.794.33高等教育毛入学率(% )无数据"
)


def test_flattened_table_rows_are_found_by_their_numbers() -> None:
    domain = flattened_indicator_domain(normalize_line(FLAT))
    assert domain is not None
    assert domain.name == "普陀区妇女发展“十四五”规划重点指标目标表"
    rows = [(t.number, t.text, [(i.comparator, i.value, i.unit) for i in t.indicators]) for t in domain.targets]
    assert rows == [
        (1, "妇女人均预期寿命", [("maintain", 83.65, "岁")]),
        # 93.794.3 is two cells: 93.7 then 94.3; row 3 has no baseline and no target
        (2, "妇女国民体质合格率", [(">=", 94.3, "%")]),
    ]


def test_text_without_a_table_header_has_no_flattened_table() -> None:
    assert flattened_indicator_domain("序号1妇女人均预期寿命83.65保持") is None


def test_document_site_chunks_are_joined_but_short_item_titles_are_not() -> None:
    piece = "甲" * 120
    site = [f"1、{piece}主要目", f"2、标和策略措施{piece}", f"3、{piece}。"]
    # every piece continues the one before it: one line, the others left blank
    assert join_site_chunks(site) == [f"{piece}主要目标和策略措施{piece}{piece}。", "", ""]
    titles = ["主要目标", "1、提高出生人口素质", "2、保障孕产妇安全分娩", "3、降低婴儿死亡率"]
    assert join_site_chunks(titles) == titles
