"""Fixtures of the report tests: a hand-built report model with known numbers."""

from __future__ import annotations

import pytest

from planwatch.report.model import Chart, Column, Document, Paragraph, Series, Table


def sample_document() -> Document:
    doc = Document(
        kind="annual",
        title="市中区“十四五”妇女发展规划2023年度监测报告",
        subtitle="（2023年度）",
        issuer="市中区妇女儿童工作委员会办公室",
        date_line="2024年3月",
    )
    overall = doc.section("总体情况")
    overall.add(Paragraph("2023年监测的32项指标中，已实现21项，达标率为65.6%。"))
    health = doc.section("分领域监测情况").section("妇女与健康")
    health.add(Paragraph("孕产妇死亡率为8.1/10万，比上年下降0.4个十万分点。"))
    health.add(
        Table(
            caption="表1 妇女与健康领域指标监测情况",
            columns=[
                Column("指标", width=24),
                Column("2023年", "number", 1),
                Column("目标值", "text"),
                Column("监测数", "integer"),
                Column("达标率", "percent", 1),
                Column("状态"),
            ],
            rows=[
                ["孕产妇死亡率（1/10万）", 8.1, "≤10", 1234, 0.656, "已实现"],
                ["宫颈癌筛查率（%）", 83.14, "≥90", 987654, 0.5, "预计达标困难"],
                ["妇女常见病筛查率（%）", None, "≥90", None, None, "数据不足"],
            ],
            notes=["注：数据来源于区卫生健康局。"],
        )
    )
    health.add(
        Chart(
            title="宫颈癌筛查率",
            years=[2020, 2021, 2022, 2023],
            series=[Series("市中区", [78.0, 80.5, None, 83.14])],
            unit="%",
            target=90.0,
        )
    )
    todo = doc.section("存在问题和对策建议")
    todo.add(Paragraph("【待统计人员补充】宫颈癌筛查率低于目标的原因。", style="todo"))
    return doc


@pytest.fixture
def document() -> Document:
    return sample_document()
