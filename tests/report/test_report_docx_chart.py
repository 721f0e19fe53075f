"""Charts in Word reports are Word charts: the figures in the chart part and in its
workbook are the chart's, styled like the PNG charts of the PDF and HTML reports."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from lxml import etree

from planwatch.report import docx_chart
from planwatch.report.charts import is_count
from planwatch.report.docx_chart import level_axis, whole_axis
from planwatch.report.docx_writer import write_docx
from planwatch.report.fonts import DEFAULT_FONTS
from planwatch.report.model import Chart, Document, Series

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
YEARS = [2020, 2021, 2022, 2023, 2024]


def _write(tmp_path: Path, *charts: Chart) -> Path:
    doc = Document(kind="annual", title="市中区“十四五”妇女发展规划2024年度监测报告",
                   issuer="区妇儿工委办", date=dt.date(2025, 3, 1))
    section = doc.section("分领域监测情况")
    for chart in charts:
        section.add(chart)
    return write_docx(doc, tmp_path / "report.docx")


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def _chart_xml(path: Path, n: int = 1) -> etree._Element:
    return etree.fromstring(_part(path, f"word/charts/chart{n}.xml"))


def _cache(ser: etree._Element, ref: str) -> list[str | None]:
    """A series' cached points in order, None where a point is missing."""
    cache = ser.find(f"{C}{ref}").find(f".//{C}ptCount/..")
    count = int(cache.find(f"{C}ptCount").get("val"))
    points = {int(p.get("idx")): p.findtext(f"{C}v") for p in cache.findall(f"{C}pt")}
    return [points.get(i) for i in range(count)]


MATERNAL = Chart(
    "孕产妇死亡率", YEARS,
    [Series("全区", [7.1, 6.5, None, 5.25, 4.8]), Series("城镇", [6.0, 6.2, 5.5, 5.0, 4.1])],
    unit="/10万", target=8.0, pending_years=[2024])


def test_the_chart_part_holds_the_series_target_and_pending_year(tmp_path: Path) -> None:
    path = _write(tmp_path, MATERNAL)
    d = docx.Document(str(path))
    assert [s.type for s in d.inline_shapes] == [WD_INLINE_SHAPE.CHART]
    space = _chart_xml(path)
    lines = space.findall(f".//{C}lineChart")
    assert len(lines) == 1
    series = lines[0].findall(f"{C}ser")
    assert [s.findtext(f"{C}tx//{C}v") for s in series] == ["全区", "城镇", "目标值 8/10万"]
    assert _cache(series[0], "cat") == ["2020年", "2021年", "2022年", "2023年", "2024年\n（待审定）"]
    # Rounded once, half away from zero, to the two decimals the PNG chart and the indicator
    # tables print: 5.25 is 5.25 in the table beside the chart, so it is 5.25 here too.
    assert _cache(series[0], "val") == ["7.1", "6.5", None, "5.25", "4.8"]
    assert _cache(series[2], "val") == ["8.0"] * 5
    # The target is a dashed line without markers; only the main series is labelled.
    target = series[2]
    assert target.find(f"{C}spPr/{A}ln/{A}prstDash").get("val") == "dash"
    assert target.find(f"{C}marker/{C}symbol").get("val") == "none"
    labelled = [s.find(f"{C}dLbls/{C}showVal") is not None for s in series]
    assert labelled == [True, False, False]
    title = "".join(space.find(f"{C}chart/{C}title").itertext())
    assert title == "孕产妇死亡率"
    axis_title = "".join(space.find(f".//{C}valAx/{C}title").itertext())
    assert axis_title == "单位：/10万"


def test_chart_text_is_in_the_reports_chinese_fonts(tmp_path: Path) -> None:
    space = _chart_xml(_write(tmp_path, MATERNAL))
    title_fonts = {e.get("typeface") for e in space.find(f"{C}chart/{C}title").iter(f"{A}ea")}
    assert title_fonts == {"黑体"}
    legend_fonts = {e.get("typeface") for e in space.find(f".//{C}legend").iter(f"{A}ea")}
    assert legend_fonts == {"仿宋_GB2312"}
    assert {e.get("typeface") for e in space.iter(f"{A}latin")} == {"Times New Roman"}


def test_the_embedded_workbook_has_the_charts_figures(tmp_path: Path) -> None:
    path = _write(tmp_path, MATERNAL)
    space = _chart_xml(path)
    rid = space.find(f"{C}externalData").get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = etree.fromstring(_part(path, "word/charts/_rels/chart1.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    assert target.endswith("embeddings/Microsoft_Excel_Sheet1.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(_part(path, "word/embeddings/Microsoft_Excel_Sheet1.xlsx")))
    assert book.sheetnames == ["图表数据"]
    rows = list(book["图表数据"].iter_rows(values_only=True))
    assert rows[0] == ("年份", "全区", "城镇", "目标值 8/10万")
    assert rows[3] == ("2022年", None, 5.5, 8)
    assert rows[4] == ("2023年", 5.25, 5.0, 8)
    assert book.properties.creator == "区妇儿工委办"
    assert book.properties.created == dt.datetime(2025, 3, 1, 9, 0)


def test_a_report_with_several_charts_numbers_their_parts(tmp_path: Path) -> None:
    second = Chart("妇女平均预期寿命", YEARS, [Series("全区", [80.1, 80.3, 80.2, 80.6, 81.0])],
                   unit="岁")
    path = _write(tmp_path, MATERNAL, second)
    ids = [s._inline.docPr.id for s in docx.Document(str(path)).inline_shapes]
    assert len(set(ids)) == 2
    assert "".join(_chart_xml(path, 2).find(f"{C}chart/{C}title").itertext()) == "妇女平均预期寿命"


@pytest.mark.parametrize(("values", "top", "step"), [
    ([1, 1, 1], 2, 1),
    ([3, 4, 5], 6, 1),
    ([120, 230], 300, 50),
    ([0, 0], 1, 1),
])
def test_count_axes_have_whole_steps_from_zero(values: list[int], top: float, step: float) -> None:
    chart = Chart("新建托育机构数", YEARS[:len(values)], [Series("全区", values)], unit="个")
    assert whole_axis(chart) == (top, step)


def test_a_count_chart_has_a_whole_number_axis_from_zero(tmp_path: Path) -> None:
    chart = Chart("新建学校数", YEARS, [Series("全区", [1, 1, 1, 1, 1])], unit="所")
    axis = _chart_xml(_write(tmp_path, chart)).find(f".//{C}valAx")
    scaling = axis.find(f"{C}scaling")
    assert scaling.find(f"{C}min").get("val") == "0.0"
    assert scaling.find(f"{C}max").get("val") == "2.0"
    assert axis.find(f"{C}majorUnit").get("val") == "1.0"
    assert axis.find(f"{C}numFmt").get("formatCode") == "0"


@pytest.mark.parametrize(("values", "unit", "target", "kind", "axis"), [
    # 孕产妇死亡率城乡差距 between 6.56 and 8.1: not flattened by an axis from 0
    ([6.95, 6.56, 8.1, 7.6, 6.65], "/10万", None, "line", (6.0, 8.5, 0.5)),
    # a screening rate climbing towards its target of 85%: both on the axis
    ([72.26, 73.02, 73.78, 74.54, 75.32], "%", 85.0, "line", (65.0, 90.0, 5.0)),
    # a percentage near its target of 100% stops at 100
    ([97.5, 98.2, 99.1, 99.6, 99.9], "%", 100.0, "line", (97.0, 100.0, 1.0)),
    # bars are read from 0
    ([3.5, 7.2, 6.1, 5.0, 4.4], "%", None, "bar", (0.0, 8.0, 2.0)),
    # a change that goes below 0 keeps its negative part
    ([-1.2, 0.5, 2.1, 1.0, 0.0], "个百分点", None, "line", (-2.0, 3.0, 1.0)),
])
def test_level_axes_show_the_movement(values: list[float], unit: str, target: float | None, kind: str,
                                      axis: tuple[float, float, float]) -> None:
    chart = Chart("指标", YEARS, [Series("全区", values)], unit=unit, target=target, kind=kind)  # type: ignore[arg-type]
    assert level_axis(chart) == axis
    bottom, top, step = axis
    assert bottom <= min(values) and max([*values, target or 0.0]) <= top
    assert 2 <= (top - bottom) / step <= 8


def test_a_rate_chart_has_the_level_axis_in_the_word_file(tmp_path: Path) -> None:
    axis = _chart_xml(_write(tmp_path, MATERNAL)).find(f".//{C}valAx")
    scaling = axis.find(f"{C}scaling")
    bottom, top, step = level_axis(MATERNAL)
    assert bottom > 0
    assert float(scaling.find(f"{C}min").get("val")) == bottom
    assert float(scaling.find(f"{C}max").get("val")) == top
    assert float(axis.find(f"{C}majorUnit").get("val")) == step


def test_a_column_chart_draws_its_target_as_a_line_on_the_same_axes(tmp_path: Path) -> None:
    chart = Chart("普惠性托位数", YEARS, [Series("全区", [120, 140, 160, 200, 230]),
                                     Series("城镇", [100, 100, 120, 150, 170])],
                  unit="个", target=250, kind="bar")
    plot = _chart_xml(_write(tmp_path, chart)).find(f"{C}chart/{C}plotArea")
    bars, line = plot.find(f"{C}barChart"), plot.find(f"{C}lineChart")
    assert [s.findtext(f"{C}tx//{C}v") for s in bars.findall(f"{C}ser")] == ["全区", "城镇"]
    (target,) = line.findall(f"{C}ser")
    assert target.findtext(f"{C}tx//{C}v") == "目标值 250个"
    assert target.find(f"{C}invertIfNegative") is None
    assert target.find(f"{C}marker/{C}symbol").get("val") == "none"
    axes = [[a.get("val") for a in group.findall(f"{C}axId")] for group in (bars, line)]
    assert axes[0] == axes[1] and len(axes[0]) == 2


def test_the_same_report_writes_the_same_chart_parts(tmp_path: Path) -> None:
    first = _write(tmp_path, MATERNAL)
    a = {n: _part(first, n) for n in ("word/charts/chart1.xml",
                                      "word/embeddings/Microsoft_Excel_Sheet1.xlsx")}
    second = first.rename(tmp_path / "first.docx")
    again = _write(tmp_path, MATERNAL)
    assert second != again
    assert a == {n: _part(again, n) for n in a}


@pytest.mark.parametrize("chart", [
    MATERNAL,
    Chart("新建学校数", YEARS, [Series("全区", [1, 2, 1, 3, 1])], unit="所"),
    Chart("普惠性托位数", YEARS, [Series("全区", [120, 140, None, 200, 230]),
                             Series("城镇", [100, 100, 120, 150, 170])],
          unit="个", target=250, kind="bar", pending_years=[2024]),
    Chart("儿童肥胖率", YEARS[:3], [Series("全区", [None, None, None])]),
], ids=["rate", "count", "bar", "empty"])
def test_a_chart_copied_from_its_shape_equals_one_built_from_scratch(chart: Chart) -> None:
    """Later charts of a shape are copies with their own texts and figures written in:
    they must be exactly what building them from scratch gives."""
    docx_chart._templates.clear()
    first = Chart(
        "另一张图", chart.years,
        [Series(f"系列{i}", [9.0 if is_count(chart) else 9.5] * len(chart.years))
         for i in range(len(chart.series))],
        unit=("人" if is_count(chart) else "%") if chart.unit else "",
        target=1.0 if chart.target is not None else None,
        kind=chart.kind)
    assert docx_chart._shape(first) == docx_chart._shape(chart)
    docx_chart.chart_space(first, DEFAULT_FONTS)
    copied = etree.tostring(docx_chart.chart_space(chart, DEFAULT_FONTS))
    assert copied == etree.tostring(docx_chart.styled_chart_space(chart, DEFAULT_FONTS))


def test_the_charts_references_point_into_the_chinese_sheet(tmp_path: Path) -> None:
    refs = [f.text for f in _chart_xml(_write(tmp_path, MATERNAL)).iter(f"{C}f")]
    assert refs and all(r.startswith("'图表数据'!$") for r in refs)
    assert "'图表数据'!$A$2:$A$6" in refs and "'图表数据'!$B$1" in refs


def test_writing_word_reports_does_not_load_the_png_and_pdf_stack(tmp_path: Path) -> None:
    """A report worker that writes Word files only starts without matplotlib and WeasyPrint."""
    code = (
        "import sys, datetime as dt\n"
        "from pathlib import Path\n"
        "from planwatch.report.model import Chart, Document, Series\n"
        "from planwatch.report.output import write_document\n"
        "import planwatch.report.parallel, planwatch.report.kinds\n"
        "doc = Document(kind='annual', title='示例', date=dt.date(2025, 3, 1))\n"
        "doc.section('图').add(Chart('孕产妇死亡率', [2023, 2024], [Series('全区', [7.1, 6.5])]))\n"
        "write_document(doc, Path(sys.argv[1]), ['docx'])\n"
        "print(sorted(m for m in ('matplotlib', 'weasyprint') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"
    assert (tmp_path / "示例.docx").exists()
