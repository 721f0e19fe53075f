"""Report data and documents built by hand, shared by the report tests."""

from __future__ import annotations

from typing import Any

import polars as pl

from planwatch.assess import AssessConfig, assess
from planwatch.report.data import ReportData
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




WOMEN = "市中区“十四五”妇女发展规划"
CHILDREN = "市中区“十四五”儿童发展规划"
SZ = "370103"

# (code, name, plan, domain, comparator, target, unit, lead, values 2020..2023)
SERIES = [
    ("W01", "孕产妇死亡率", WOMEN, "妇女与健康", "<=", 10.0, "/10万", "区卫生健康局",
     [10.2, 9.5, 8.5, 8.1]),
    ("W02", "宫颈癌筛查率", WOMEN, "妇女与健康", ">=", 90.0, "%", "区卫生健康局",
     [78.0, 80.5, 81.0, 83.14]),
    ("W03", "女性就业人员占比", WOMEN, "妇女与经济", ">=", 45.0, "%", "区人力资源社会保障局、区统计局",
     [44.0, 43.5, 43.0, 42.2]),
    ("W04", "高中阶段女生毛入学率", WOMEN, "妇女与教育", ">=", 95.0, "%", "区教育和体育局",
     [96.0, 96.5, 97.0, 97.2]),
    ("C01", "婴儿死亡率", CHILDREN, "儿童与健康", "<=", 5.0, "‰", "区卫生健康局",
     [4.1, 3.9, 4.0, 3.8]),
    ("C02", "儿童体质健康达标率", CHILDREN, "儿童与健康", ">=", 92.0, "%", "区教育和体育局",
     [88.0, 89.0, 89.5, 90.1]),
    ("C03", "学前教育毛入园率", CHILDREN, "儿童与教育", ">=", 95.0, "%", "区教育和体育局",
     [93.0, 94.0, None, None]),
]


def make_report_data(year: int = 2023) -> ReportData:
    obs: list[dict[str, object]] = []
    targets: list[dict[str, object]] = []
    for i, (code, name, plan, domain, comp, tv, unit, lead, values) in enumerate(SERIES):
        for y, v in zip(range(2020, 2024), values, strict=True):
            if v is not None:
                obs.append(dict(indicator_code=code, area_code=SZ, breakdown="total", year=y,
                                value=v))
        targets.append(dict(target_id=f"T{i + 1}", indicator_code=code, area_code=SZ,
                            kind="quantitative", comparator=comp, target_value=tv,
                            target_year=2025, unit=unit, lead_unit=lead, plan=plan,
                            domain=domain, indicator_name=name))
    # Sex breakdowns of the employment share (shown in the compendium and charts).
    for y, (f, m) in zip(range(2020, 2024), [(44.0, 56.0), (43.5, 56.5), (43.0, 57.0),
                                             (42.2, 57.8)], strict=True):
        obs.append(dict(indicator_code="W03", area_code=SZ, breakdown="sex=female", year=y,
                        value=f))
        obs.append(dict(indicator_code="W03", area_code=SZ, breakdown="sex=male", year=y,
                        value=m))
    targets.append(dict(target_id="T8", indicator_code="W05", area_code=SZ, kind="directional",
                        direction="increase", target_year=2025, unit="岁",
                        lead_unit="区卫生健康局", plan=WOMEN, domain="妇女与健康",
                        indicator_name="妇女人均预期寿命"))
    for y, v in zip(range(2020, 2024), [80.1, 80.3, 80.6, 80.9], strict=True):
        obs.append(dict(indicator_code="W05", area_code=SZ, breakdown="total", year=y, value=v))
    observations = pl.DataFrame(obs)
    # The report tests need one 异常值 warning (W01's 2022 dip, 0.2 off its trend). That dip is
    # smaller than the outlier floor (1 % of the level), so the floor is off here; the floor
    # itself is tested in tests/assess/test_assess_methods.py.
    result = assess(observations, targets, year, config=AssessConfig(outlier_floor_rel=0.0))
    target_units = pl.DataFrame([
        dict(target_id="T1", unit="区卫生健康局", role="lead", seq=0),
        dict(target_id="T1", unit="区医疗保障局", role="responsible", seq=0),
        dict(target_id="T2", unit="区卫生健康局", role="lead", seq=0),
        dict(target_id="T2", unit="区妇联", role="responsible", seq=0),
        dict(target_id="T3", unit="区人力资源社会保障局", role="lead", seq=0),
        dict(target_id="T3", unit="区统计局", role="lead", seq=1),
        dict(target_id="T3", unit="区妇联", role="responsible", seq=0),
        dict(target_id="T4", unit="区教育和体育局", role="lead", seq=0),
        dict(target_id="T5", unit="区卫生健康局", role="lead", seq=0),
        dict(target_id="T6", unit="区教育和体育局", role="lead", seq=0),
        dict(target_id="T6", unit="团区委", role="responsible", seq=0),
        dict(target_id="T7", unit="区教育和体育局", role="lead", seq=0),
        dict(target_id="T8", unit="区卫生健康局", role="lead", seq=0),
    ])
    reporters = pl.DataFrame([
        dict(indicator_code=c, area_code=SZ, unit=u)
        for c, u in [("W01", "区卫生健康局"), ("W02", "区卫生健康局"),
                     ("W03", "区人力资源社会保障局"), ("W04", "区教育和体育局"),
                     ("W05", "区卫生健康局"), ("C01", "区卫生健康局"),
                     ("C02", "区教育和体育局"), ("C03", "区教育和体育局")]
    ])
    self_evaluations = pl.DataFrame([
        dict(area_code=SZ, target_text="建立健全妇女健康服务体系", lead_unit="区卫生健康局",
             plan=WOMEN, domain="妇女与健康", year=2023, rating="基本完成",
             evidence="已建成妇幼保健服务网络，覆盖全部街道"),
        dict(area_code=SZ, target_text="完善儿童友好城市建设机制", lead_unit="区发展改革局",
             plan=CHILDREN, domain="儿童与环境", year=2023, rating="完成",
             evidence="印发儿童友好城市建设实施方案"),
    ])
    return ReportData(
        year=year,
        result=result,
        observations=observations,
        areas={SZ: "市中区"},
        self_evaluations=self_evaluations,
        target_units=target_units,
        reporters=reporters,
    )




def docx_records(table: Any) -> list[dict[str, str]]:
    """A Word table read back as the model's rows, by header: the grid's cells, and the
    lines the writer sets under a row across the table (``评估说明：…``) under their own
    names, as the model holds them."""
    rows = table.rows
    headers = [c.text for c in rows[0].cells]
    records: list[dict[str, str]] = []
    for row in rows[1:]:
        cells = row._tr.tc_lst
        if len(cells) == 1 and len(headers) > 1:
            name, _, text = row.cells[0].text.partition("：")
            records[-1][name] = text
        else:
            records.append(dict(zip(headers, (c.text for c in row.cells), strict=True)))
    return records
