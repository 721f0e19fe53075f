"""Charts in Word reports as Word charts (DrawingML chart parts), not as pictures.

A Word chart is drawn by whatever opens the file — Word, WPS or LibreOffice — in the
document's own fonts and sharp at any zoom or print size, and its figures travel with it:
the statistician who edits the draft can right-click it, choose 编辑数据 and correct a
series in the embedded workbook. Writing one is also some ten times cheaper than
rasterising it: a province's 200 annual reports carry about 14 charts each, and drawing
them as PNG pictures was most of the time spent writing Word files.

python-pptx writes the chart XML and its workbook: a DrawingML chart part is the same in
every Office format, only the package that holds it differs. This module places that part
in a python-docx package and gives it the look of the report's PNG charts (the HTML and
PDF outputs keep those): years along the bottom, the main series labelled with its
values, breakdown series beside it, the target as a dashed grey line, the key under the
plot, whole-number axes from zero for counts and 待审定 under years awaiting approval.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any
from xml.sax.saxutils import quoteattr

import xlsxwriter
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml as parse_docx_xml
from docx.text.run import Run
from lxml import etree
from pptx.chart.chart import Chart as ChartView
from pptx.chart.data import CategoryChartData
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE
from pptx.oxml import parse_xml
from pptx.util import Pt

from planwatch.assess.precision import printed
from planwatch.report.chart_rules import COLOURS, PENDING, TARGET_COLOUR, VALUE_DECIMALS, is_count, target_label
from planwatch.report.fonts import FontRoles
from planwatch.report.model import Chart

CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
WORKBOOK_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

SHEET = "图表数据"  # the sheet a clerk sees on 编辑数据 (python-pptx names it Sheet1)


def category_labels(chart: Chart) -> list[str]:
    """The years as the axis shows them; a year awaiting approval says so under it."""
    pending = set(chart.pending_years)
    return [f"{year}年\n（{PENDING}）" if year in pending else f"{year}年"
            for year in chart.years]


def _value(v: float | None) -> float | None:
    if v is None or math.isnan(v):
        return None
    return printed(float(v), VALUE_DECIMALS)


def columns(chart: Chart) -> list[tuple[str, list[float | None]]]:
    """The chart's series as drawn, the target last: name and values (rounded as printed)."""
    out = [(s.name, [_value(v) for v in s.values]) for s in chart.series]
    if chart.target is not None:
        out.append((target_label(chart), [chart.target] * len(chart.years)))
    return out


def _chart_data(chart: Chart, count: bool) -> CategoryChartData:
    data = CategoryChartData(number_format="0" if count else "General")  # type: ignore[no-untyped-call]
    data.categories = category_labels(chart)
    for name, values in columns(chart):
        data.add_series(name, values)  # type: ignore[no-untyped-call]
    return data


def workbook(chart: Chart, created: dt.datetime, author: str) -> bytes:
    """The chart's figures as the workbook Word opens for 编辑数据, laid out where the
    chart's references point (sheet ``SHEET``: years down column A from row 2, one column
    per series with its name in row 1), dated and signed like the report so the same
    report is the same file whenever it is written."""
    count = is_count(chart)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"author": author, "created": created})
    sheet = book.add_worksheet(SHEET)
    figures = book.add_format({"num_format": "0" if count else "General"})
    sheet.set_column(0, 0, 14)
    sheet.write_string(0, 0, "年份")
    for row, label in enumerate(category_labels(chart), start=1):
        sheet.write_string(row, 0, label)
    for col, (name, values) in enumerate(columns(chart), start=1):
        sheet.write_string(0, col, name)
        for row, value in enumerate(values, start=1):
            if value is not None:
                sheet.write_number(row, col, value, figures)
    book.close()
    return buffer.getvalue()


def whole_axis(chart: Chart) -> tuple[float, float]:
    """Top and step of a count axis from zero: room above the highest value or target
    (as the PNG's count axis has), ticks at whole numbers, five or six of them."""
    values = [float(v) for s in chart.series for v in s.values
              if v is not None and not math.isnan(v)]
    if chart.target is not None:
        values.append(float(chart.target))
    top = max(values, default=1.0)
    top = max(top * 1.2, top + 1)
    step = 1.0
    while top / step > 6:
        for factor in (2.0, 2.5, 2.0):  # 1, 2, 5, 10, 20, 50 …
            step *= factor
            if top / step <= 6:
                break
    return math.ceil(top / step) * step, step


def level_axis(chart: Chart) -> tuple[float, float, float]:
    """Bottom, top and step of a rate or level axis (any chart that is not a count).

    The figures and the target with a fifth of their range as room on either side, as the PNG
    charts have (``margins(y=0.2)``), out to whole steps of 1, 2, 2.5 or 5 × 10ⁿ, about five of
    them. Never below 0 when no figure is, and a percentage that never passes 100 stops at 100;
    bars start at 0, as a bar's length is read from it. Left to itself LibreOffice (and so WPS)
    starts the axis of a rate moving between 6.6 and 8.1 at 0 and draws it nearly flat, where the
    HTML and PDF charts of the same report show the movement.
    """
    values = [float(v) for s in chart.series for v in s.values if v is not None and not math.isnan(v)]
    if chart.target is not None:
        values.append(float(chart.target))
    if not values:
        return 0.0, 1.0, 0.2
    low, high = min(values), max(values)
    span = high - low or max(abs(high) * 0.1, 1.0)  # a flat series: a band around its level
    step = _nice_step((span * 1.4) / 5)
    bottom = math.floor(round((low - 0.2 * span) / step, 9)) * step
    top = math.ceil(round((high + 0.2 * span) / step, 9)) * step
    if low >= 0:
        bottom = 0.0 if chart.kind == "bar" else max(bottom, 0.0)
    if chart.unit == "%" and high <= 100:
        top = min(top, 100.0)
    return round(bottom, 9), round(top, 9), step


def _nice_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ not below ``rough``."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= rough * (1 - 1e-9))


def _typefaces(rpr: Any, latin: str, east_asia: str) -> None:
    """Latin and East Asian fonts on a DrawingML run property element (in the schema's
    order: ``a:latin`` then ``a:ea``); python-pptx's ``font.name`` sets only the first."""
    for tag in ("latin", "ea"):
        for old in rpr.findall(f"{_A}{tag}"):
            rpr.remove(old)
    rpr.append(etree.Element(f"{_A}latin", typeface=latin))
    rpr.append(etree.Element(f"{_A}ea", typeface=east_asia))


def _fonts(space: Any, fonts: FontRoles) -> None:
    for rpr in space.iter(f"{_A}defRPr", f"{_A}rPr"):
        in_title = any(a.tag == f"{_C}title" and a.getparent().tag == f"{_C}chart"
                       for a in rpr.iterancestors())
        _typefaces(rpr, fonts.latin, fonts.heading1 if in_title else fonts.table)


def _frame(space: Any) -> None:
    """No border round the chart and square corners: it sits on the page like a figure."""
    chart = space.find(f"{_C}chart")
    rounded = etree.Element(f"{_C}roundedCorners", val="0")
    space.find(f"{_C}date1904").addnext(rounded)
    sppr = parse_xml(
        '<c:spPr xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        "<a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>")
    chart.addnext(sppr)


def _series_look(view: ChartView, chart: Chart) -> None:
    plot = view.plots[0]
    line = chart.kind != "bar"
    for i, series in enumerate(plot.series):
        is_target = chart.target is not None and i == len(chart.series)
        colour = RGBColor.from_string(  # type: ignore[no-untyped-call]
            (TARGET_COLOUR if is_target else COLOURS[i % len(COLOURS)]).lstrip("#"))
        if is_target:
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(1.2)
            series.format.line.dash_style = MSO_LINE.DASH
            if line:  # a column chart's target becomes a line in ``_target_as_line``
                series.marker.style = XL_MARKER_STYLE.NONE
                series.smooth = False
            continue
        if line:
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(1.8)
            series.smooth = False
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 5
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.marker.format.line.color.rgb = colour
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
        if i == 0:
            # Values are written on the main series only: labels of breakdown series
            # would overlap it.
            labels = series.data_labels
            labels.show_value = True
            labels.position = XL_LABEL_POSITION.ABOVE if line else XL_LABEL_POSITION.OUTSIDE_END
            labels.font.size = Pt(7)
            labels.font.color.rgb = colour


def _axes(view: ChartView, chart: Chart, count: bool) -> None:
    category = view.category_axis
    category.has_major_gridlines = False
    category.tick_labels.font.size = Pt(8)
    value = view.value_axis
    value.has_major_gridlines = True
    gridlines = value.major_gridlines.format.line
    gridlines.color.rgb = RGBColor(0xE5, 0xE5, 0xE5)  # type: ignore[no-untyped-call]
    gridlines.width = Pt(0.6)
    value.format.line.fill.background()
    value.tick_labels.font.size = Pt(8)
    if count:
        top, step = whole_axis(chart)
        value.minimum_scale = 0
        value.maximum_scale = top
        value.major_unit = step
        value.tick_labels.number_format = "0"
        value.tick_labels.number_format_is_linked = False
    else:
        value.minimum_scale, value.maximum_scale, value.major_unit = level_axis(chart)
    if chart.unit:
        value.has_title = True
        frame = value.axis_title.text_frame
        frame.text = f"单位：{chart.unit}"
        frame.paragraphs[0].font.size = Pt(8)
        frame.paragraphs[0].font.bold = False


def _target_as_line(space: Any) -> None:
    """A column chart's target drawn as a line across it: the last series moves from the
    bar group into a line group on the same axes (a combination chart)."""
    bars = space.find(f"{_C}chart/{_C}plotArea/{_C}barChart")
    target = bars.findall(f"{_C}ser")[-1]
    bars.remove(target)
    for tag in ("invertIfNegative", "dLbls"):
        for old in target.findall(f"{_C}{tag}"):
            target.remove(old)
    marker = etree.SubElement(target, f"{_C}marker")
    etree.SubElement(marker, f"{_C}symbol", val="none")
    target.find(f"{_C}spPr").addnext(marker)
    etree.SubElement(target, f"{_C}smooth", val="0")
    group = etree.Element(f"{_C}lineChart")
    etree.SubElement(group, f"{_C}grouping", val="standard")
    etree.SubElement(group, f"{_C}varyColors", val="0")
    group.append(target)
    etree.SubElement(group, f"{_C}marker", val="1")
    for axis in bars.findall(f"{_C}axId"):
        etree.SubElement(group, f"{_C}axId", val=axis.get("val"))
    bars.addnext(group)


def _shape(chart: Chart) -> tuple[str, int, int, bool, bool, bool]:
    """What a chart's XML depends on besides its texts and figures: two charts of one
    shape differ only where ``_fill`` writes."""
    return (chart.kind, len(chart.years), len(chart.series), chart.target is not None,
            is_count(chart), bool(chart.unit))


_templates: dict[tuple[Any, ...], bytes] = {}


def chart_space(chart: Chart, fonts: FontRoles) -> Any:
    """The chart part's root element (its figures cached in it, as every reader draws
    from the cache).

    python-pptx's chart objects build and style the first chart of each shape; later
    ones copy that XML and get their own title, names, years, figures and axis range
    written in (``_fill``): styling through the object model was two thirds of a chart's
    cost, and a province's reports repeat a handful of shapes thousands of times. A test
    holds copied charts equal to charts built from scratch.
    """
    key = (_shape(chart), fonts)
    template = _templates.get(key)
    if template is None:
        space = styled_chart_space(chart, fonts)
        _templates[key] = etree.tostring(space)
        return space
    space = parse_xml(template)
    _fill(space, chart)
    return space


def _points(cache: Any, values: list[str | None]) -> None:
    """Replace a string or number cache's points (a missing value has no point)."""
    for old in cache.findall(f"{_C}pt"):
        cache.remove(old)
    cache.find(f"{_C}ptCount").set("val", str(len(values)))
    for i, value in enumerate(values):
        if value is not None:
            pt = etree.SubElement(cache, f"{_C}pt", idx=str(i))
            etree.SubElement(pt, f"{_C}v").text = value


def _fill(space: Any, chart: Chart) -> None:
    """Write one chart's texts, figures and axis range into a copy of a chart of its shape."""
    plot = space.find(f"{_C}chart")
    plot.find(f"{_C}title/{_C}tx/{_C}rich/{_A}p/{_A}r/{_A}t").text = chart.title
    value_axis = plot.find(f"{_C}plotArea/{_C}valAx")
    if chart.unit:
        value_axis.find(f"{_C}title/{_C}tx/{_C}rich/{_A}p/{_A}r/{_A}t").text = f"单位：{chart.unit}"
    categories: list[str | None] = list(category_labels(chart))
    for ser, (name, values) in zip(plot.iter(f"{_C}ser"), columns(chart), strict=True):
        _points(ser.find(f"{_C}tx/{_C}strRef/{_C}strCache"), [name])
        _points(ser.find(f"{_C}cat/{_C}strRef/{_C}strCache"), categories)
        _points(ser.find(f"{_C}val/{_C}numRef/{_C}numCache"),
                [None if v is None else str(v) for v in values])
    if is_count(chart):
        top, step = whole_axis(chart)
        value_axis.find(f"{_C}scaling/{_C}max").set("val", str(top))
        value_axis.find(f"{_C}majorUnit").set("val", str(step))
    else:
        bottom, top, step = level_axis(chart)
        value_axis.find(f"{_C}scaling/{_C}min").set("val", str(bottom))
        value_axis.find(f"{_C}scaling/{_C}max").set("val", str(top))
        value_axis.find(f"{_C}majorUnit").set("val", str(step))


def styled_chart_space(chart: Chart, fonts: FontRoles) -> Any:
    """The chart part built and styled through python-pptx's chart objects."""
    count = is_count(chart)
    data = _chart_data(chart, count)
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED if chart.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
    space = parse_xml(ChartXmlWriter(kind, data).xml.encode("utf-8"))  # type: ignore[no-untyped-call]
    view = ChartView(space, None)  # type: ignore[no-untyped-call]
    view.has_title = True
    title = view.chart_title.text_frame
    title.text = chart.title
    title.paragraphs[0].font.size = Pt(10)
    title.paragraphs[0].font.bold = False
    view.has_legend = True
    view.legend.position = XL_LEGEND_POSITION.BOTTOM
    view.legend.include_in_layout = False
    view.legend.font.size = Pt(8)
    view.font.size = Pt(8)
    _series_look(view, chart)
    _axes(view, chart, count)
    if chart.kind == "bar" and chart.target is not None:
        _target_as_line(space)
    _frame(space)
    _fonts(space, fonts)
    for ref in space.iter(f"{_C}f"):
        ref.text = ref.text.replace("Sheet1!", f"'{SHEET}'!")
    return space


class ChartParts:
    """Adds charts to one Word document: the chart part, its workbook and the inline
    drawing that shows it. Numbers the parts and drawing ids itself so a report with
    many charts does not rescan the package or the document for each one."""

    def __init__(self, fonts: FontRoles, created: dt.datetime, author: str) -> None:
        self.fonts = fonts
        self.created = created
        self.author = author
        self.count = 0
        self.next_shape_id = 0

    def add(self, run: Run, chart: Chart, width_emu: int, height_emu: int) -> None:
        document_part = run.part
        package = document_part.package
        if self.count == 0:
            self.next_shape_id = document_part.next_id + 1000
        self.count += 1
        space = chart_space(chart, self.fonts)
        n = self.count
        chart_part = XmlPart(PackURI(f"/word/charts/chart{n}.xml"), CHART_CONTENT_TYPE,
                             space, package)
        book = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Sheet{n}.xlsx"),
                    WORKBOOK_CONTENT_TYPE, workbook(chart, self.created, self.author), package)
        external = space.get_or_add_externalData()
        external.rId = chart_part.relate_to(book, RT.PACKAGE)
        external.get_or_add_autoUpdate().val = False
        rid = document_part.relate_to(chart_part, RT.CHART)
        shape_id = self.next_shape_id
        self.next_shape_id += 1
        run._r.append(parse_docx_xml(_inline(rid, shape_id, width_emu, height_emu, chart.title)))


def _inline(rid: str, shape_id: int, cx: int, cy: int, title: str) -> str:
    return (
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="图表 {shape_id}" descr={quoteattr(title)}/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic><a:graphicData uri="{CHART_URI}"><c:chart r:id="{rid}"/></a:graphicData>'
        "</a:graphic></wp:inline></w:drawing>"
    )
