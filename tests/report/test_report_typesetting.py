"""Typesetting rules: column widths, office fonts, file properties, titles, captions,
figure numbers and chart axes, in the Word and HTML output."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import string
import subprocess
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import docx
import openpyxl
import polars as pl
import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTCollection, TTFont
from matplotlib.image import imread
from report_support import SZ, make_report_data

from planwatch.report import charts
from planwatch.report.data import PENDING_COLUMNS, ReportData
from planwatch.report.docx_writer import write_docx
from planwatch.report.fonts import OFFICE_FALLBACKS
from planwatch.report.html_writer import render_html
from planwatch.report.model import CellValue, Chart, Column, Document, Paragraph, Series, Table
from planwatch.report.pdf_writer import write_pdf
from planwatch.report.table_layout import (
    HEAD_ROWS,
    KEEP_WHOLE_ROWS,
    MIN_COLUMN_EM,
    column_widths,
    kept_with_next,
    minimum_widths,
    page_table,
    split_figure,
    text_em,
)
from planwatch.report.titles import title_lines
from planwatch.report.xlsx_writer import write_xlsx

STATUSES = ["已实现", "基本实现", "预计可实现", "预计达标困难", "逆向变化", "数据不足"]
REASON = "按2020—2024年平均每年提高0.76个百分点推算，2025年约为76.08%，低于目标85%"


def indicator_table(*, below: bool = True) -> Table:
    """The annual report's indicator table, with a figure carrying a year note; its
    评估说明 set under each row as the builder marks it, or (``below=False``) as a column
    like the others, a long text beside short figures."""
    return Table(
        "表2 妇女与健康领域指标监测情况",
        [
            Column("指标", width=20), Column("单位", width=6),
            Column("2023年", "number", 2, width=10), Column("2024年", "number", 2, width=11),
            Column("比上年增减", "number", 2, width=10), Column("目标值", width=12),
            Column("状态", width=9), Column("评估说明", width=30, below=below),
        ],
        [
            ["妇女常见病筛查率", "%", 74.54, 75.32, 0.78, "不低于85%", "预计达标困难", REASON],
            ["35-45岁妇女宫颈癌规范筛查覆盖率", "%", None, "64.41（2021年）", None,
             "不低于70%", "预计可实现", "仅有2020、2021年两个年份的数据"],
            ["孕产妇死亡率", "/10万", 8.76, 7.91, -0.85, "不高于8/10万", "已实现", ""],
        ],
    )


def status_table() -> Table:
    return Table(
        "表1 各领域指标监测状态",
        [Column("领域"), Column("指标数", "integer"), *[Column(s, "integer") for s in STATUSES],
         Column("达标率", "percent")],
        [["妇女参与决策和管理", 16, 3, 0, 1, 2, 1, 9, 0.429],
         ["合计", 94, 10, 4, 5, 7, 13, 55, 0.256]],
    )


# ------------------------------------------------------------------ column widths


def test_text_width_counts_chinese_as_one_and_digits_as_half() -> None:
    assert text_em("预计达标困难") == 6
    assert abs(text_em("74.54") - (4 * 0.56 + 0.33)) < 1e-9
    assert abs(text_em("≥85‰") - (1 + 2 * 0.56 + 1)) < 1e-9  # set full width by CJK fonts


def _font(family: str) -> TTFont:
    found = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                           text=True, check=False).stdout if shutil.which("fc-match") else ""
    if not found:
        pytest.skip(f"fc-match 找不到字体 {family} / font not found")
    if found.endswith(".ttc"):
        return next(f for f in TTCollection(found).fonts if "SC" in f["name"].getDebugName(1))
    return TTFont(found)


@pytest.mark.parametrize("family", ["Noto Serif CJK SC", "Noto Sans CJK SC", "Times New Roman"])
def test_text_width_is_never_less_than_the_fonts_set_it(family: str) -> None:
    """A column made from a width guessed too small wraps its last character."""
    font = _font(family)
    cmap, advances, per_em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    for ch in string.digits + string.ascii_letters + ".,%‰/-()[] +<>=~≥≤×":
        glyph = cmap.get(ord(ch))
        if glyph is not None:
            assert text_em(ch) >= advances[glyph][0] / per_em - 0.005, (family, ch)


def test_figure_and_its_note_come_apart() -> None:
    assert split_figure("64.41（2021年）") == ("64.41", "（2021年）")
    assert split_figure("74.54") == ("74.54", "")
    assert split_figure("（2021年）") == ("（2021年）", "")


def test_widths_keep_statuses_whole_and_give_room_to_the_explanation() -> None:
    table = indicator_table(below=False)
    total, padding = 49.0, 0.63
    widths = column_widths(table, total, padding)
    assert abs(sum(widths) - total) < 1e-6
    assert min(widths) >= MIN_COLUMN_EM + padding - 1e-9
    by_header = dict(zip([c.header for c in table.columns], widths, strict=True))
    # 预计达标困难 (six characters) fits its cell on one line.
    assert by_header["状态"] - padding >= text_em("预计达标困难")
    # The five-character header 比上年增减 is not wrapped.
    assert by_header["比上年增减"] - padding >= text_em("比上年增减")
    # 评估说明 gets the most room; the figure column is at least as wide as "64.41".
    assert by_header["评估说明"] == max(widths)
    assert by_header["2024年"] - padding >= text_em("64.41")
    # Its year note is a date too: "（2021年）" fits a line of its own.
    assert by_header["2024年"] - padding >= text_em("（2021年）")
    assert by_header["2023年"] - padding < text_em("（2021年）")  # no note: no extra room


def test_explanation_is_set_under_its_row_and_the_grid_keeps_short_cells_whole() -> None:
    laid = page_table(indicator_table())
    headers = [c.header for c in laid.grid.columns]
    assert headers == ["指标", "单位", "2023年", "2024年", "比上年增减", "目标值", "状态"]
    assert laid.grid.rows[0] == ["妇女常见病筛查率", "%", 74.54, 75.32, 0.78, "不低于85%",
                                 "预计达标困难"]
    # One line under each row, headed by the column's name; none for an empty explanation.
    assert laid.below == [[f"评估说明：{REASON}"], ["评估说明：仅有2020、2021年两个年份的数据"], []]
    widths = column_widths(laid.grid, 49.0, 0.63)
    by_header = dict(zip(headers, widths, strict=True))
    assert by_header["指标"] == max(widths)
    # Seven columns leave room: a target keeps its unit beside its figure on one line.
    assert by_header["目标值"] - 0.63 >= text_em("不高于8/10万")
    # A table without such a column is its own grid.
    plain = page_table(indicator_table(below=False))
    assert len(plain.grid.columns) == 8 and plain.below == [[], [], []]


def test_workbook_keeps_the_explanation_as_a_column(tmp_path: Path) -> None:
    """In Excel the reader filters and sorts: 评估说明 stays a column of its own there."""
    book = openpyxl.load_workbook(write_xlsx(report(), tmp_path / "r.xlsx"))
    cells = [[c.value for c in row] for ws in book.worksheets for row in ws.iter_rows()]
    header = next(r for r in cells if "评估说明" in r)
    start = header.index("指标")
    assert header[start:start + 8] == ["指标", "单位", "2023年", "2024年", "比上年增减", "目标值",
                                       "状态", "评估说明"]
    row = cells[cells.index(header) + 1]
    assert row[start] == "妇女常见病筛查率" and row[start + 7] == REASON


def _explained(n: int) -> Table:
    return Table("表8 指标监测情况", [Column("指标"), Column("状态"), Column("说明", below=True)],
                 [[f"指标{i}", "已实现", f"说明{i}" if i % 4 else ""] for i in range(1, n + 1)])


def test_rows_are_held_with_their_lines_the_first_rows_together_a_short_table_whole() -> None:
    def held(n: int) -> list[tuple[bool, list[bool]]]:
        return kept_with_next(page_table(_explained(n)))

    long = held(KEEP_WHOLE_ROWS + 2)
    # The first HEAD_ROWS rows (and their lines) held together and with the rest of the
    # head; then a row only with its own lines; the table's last line with nothing.
    assert long[:HEAD_ROWS] == [(True, [True])] * (HEAD_ROWS - 1) + [(True, [False])]
    assert long[3] == (False, [])  # 指标4 has no explanation
    assert long[4] == (True, [False])
    assert long[-1] == (True, [False])
    short = held(5)
    assert short == [(True, [True])] * 3 + [(True, []), (True, [False])]  # held whole
    plain = kept_with_next(page_table(Table("t", [Column("a")], [["x"]] * (KEEP_WHOLE_ROWS + 1))))
    assert [k for k, _ in plain] == [True] * (HEAD_ROWS - 1) + [False] * (KEEP_WHOLE_ROWS + 2 - HEAD_ROWS)


def test_pdf_never_parts_a_row_from_its_explanation(tmp_path: Path) -> None:
    """WeasyPrint honours the rows' break-after (it ignored break-inside on row groups): a
    table running over pages breaks only between one row's lines and the next row."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext 未安装 / poppler missing")
    doc = Document(kind="annual", title="分页")
    section = doc.section("s")
    section.add(Paragraph("正文。" * 700))
    section.add(_explained(60))
    text = subprocess.run(["pdftotext", "-layout", str(write_pdf(doc, tmp_path / "t.pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    page_of = {word: n for n, page in enumerate(pages) for word in re.findall(r"[指说][标明]\d+", page)}
    assert len({page_of[f"指标{i}"] for i in range(1, 61)}) >= 2  # the table does run over
    for i in range(1, 61):
        if i % 4:
            assert page_of[f"说明{i}"] == page_of[f"指标{i}"], i
    first = page_of["指标1"]
    assert page_of[f"指标{HEAD_ROWS}"] == first
    assert "表8 指标监测情况" in pages[first]


def test_short_cells_wrap_when_the_page_has_no_room_for_them_whole() -> None:
    # Nine columns of seven-character cells need 63 em on one line each; 40 em hold
    # their four-character minimums, so the short-line rule gives way to those.
    table = Table("t", [Column(f"列{i}") for i in range(9)], [["不高于8/10万"] * 9])
    widths = column_widths(table, 40.0, 0.5)
    assert abs(sum(widths) - 40.0) < 1e-6
    assert max(widths) - 0.5 < text_em("不高于8/10万")


def test_short_cells_kept_whole_where_most_of_them_are() -> None:
    # Room for one widening: the domain column's 妇女与健康, in ten rows, before the one
    # row's 妇女与社会保障 or the target column's 不低于85%; the long column keeps ten em.
    rows: list[list[CellValue]] = [
        ["妇女与健康", f"指标名称很长很长很长很长很长很长{i}", "不低于85%", "区卫生健康局"]
        for i in range(10)]
    rows.append(["妇女与社会保障", "另一个很长很长很长很长很长的指标", "不高于8/10万", "区医疗保障局"])
    table = Table("t", [Column("领域"), Column("指标"), Column("目标值"), Column("牵头单位")], rows)
    domain, name, target, lead = (w - 0.5 for w in column_widths(table, 28.0, 0.5))
    assert text_em("妇女与健康") <= domain < text_em("妇女与社会保障")
    assert target < text_em("不低于85%") and name >= 8
    assert lead >= text_em("区卫生健康局")


def test_status_headers_fit_on_one_line() -> None:
    table = status_table()
    widths = column_widths(table, 49.0, 0.63)
    for column, width in zip(table.columns, widths, strict=True):
        assert width - 0.63 >= text_em(column.header), column.header


def test_minimums_floor_at_four_characters_and_scale_when_nothing_fits() -> None:
    table = Table("t", [Column(f"列{i}") for i in range(20)], [["x"] * 20])
    assert minimum_widths(table) == [MIN_COLUMN_EM] * 20
    widths = column_widths(table, 40.0, 0.5)
    assert abs(sum(widths) - 40.0) < 1e-6  # scaled down evenly, the page is not exceeded
    assert max(widths) - min(widths) < 1e-9


# ------------------------------------------------------------------ Word


def report() -> Document:
    doc = Document(
        kind="annual",
        title="济南市市中区“十四五”妇女发展规划2024年度监测报告",
        subtitle="（市中区，2024年度）",
        issuer="市中区妇女儿童工作委员会办公室",
        date=dt.date(2025, 3, 20),
    )
    section = doc.section("分领域监测情况")
    section.add(status_table())
    section.add(indicator_table())
    section.add(Chart("孕产妇死亡率（2020—2024年）", [2020, 2021, 2022],
                      [Series("市中区", [8.8, 7.9, 7.6])], unit="/10万"))
    section.add(Chart("女干部人数（2020—2024年）", [2020, 2021, 2022],
                      [Series("市中区", [1, 1, 1])], unit="名"))
    return doc


def test_docx_tables_have_fixed_layout_and_grid_widths(tmp_path: Path) -> None:
    d = docx.Document(str(write_docx(report(), tmp_path / "r.docx")))
    indicator = d.tables[1]
    tbl_pr = indicator._tbl.tblPr
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = [int(g.get(qn("w:w"))) for g in indicator._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == int(tbl_pr.find(qn("w:tblW")).get(qn("w:w")))
    assert abs(sum(grid) - 15.6 / 2.54 * 1440) < 8  # the type area, 156 mm
    assert len(set(grid)) > 3  # not every column the same width (LibreOffice's default)
    headers = [c.text for c in indicator.rows[0].cells]
    assert "评估说明" not in headers and len(grid) == 7
    assert grid[headers.index("指标")] == max(grid)
    assert min(grid) >= 4 * 9 * 20  # four characters of 9 pt, in twips
    # Word and WPS read the cells' own widths: they agree with the grid; the explanation
    # under a row is one cell spanning the grid, as wide as the table.
    for row in indicator.rows:
        tcs = row._tr.tc_lst
        widths = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tcs]
        if len(tcs) == 1:
            assert tcs[0].grid_span == len(grid) and widths == [sum(grid)]
        else:
            assert widths == grid
    texts = [row.cells[0].text for row in indicator.rows]
    assert texts[1:] == ["妇女常见病筛查率", f"评估说明：{REASON}",
                         "35-45岁妇女宫颈癌规范筛查覆盖率", "评估说明：仅有2020、2021年两个年份的数据",
                         "孕产妇死亡率"]
    # A row is held on its page with its explanation: keep-with-next on the row's lines.
    for row in (indicator.rows[1], indicator.rows[3]):
        for p in row.cells[0].paragraphs:
            assert p.paragraph_format.keep_with_next
    # The figure and its year note are on two lines, so the figure never splits.
    cell = indicator.rows[3].cells[3]
    assert cell.text == "64.41\n（2021年）"


def test_docx_declares_office_fonts_with_fallbacks(tmp_path: Path) -> None:
    path = write_docx(report(), tmp_path / "r.docx")
    d = docx.Document(str(path))
    normal = d.styles["Normal"].element.find(qn("w:rPr"))
    assert normal.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    h2 = d.styles["Heading 2"].element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert h2.get(qn("w:eastAsia")) == "楷体_GB2312"
    title_run = d.paragraphs[0].runs[0]._r.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert title_run.get(qn("w:eastAsia")) == "方正小标宋简体"
    font_table = next(
        r.target_part for r in d.part.rels.values() if r.reltype.endswith("/fontTable")
    )
    root = ET.fromstring(font_table.blob)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    fonts = {f.get(f"{w}name"): f for f in root.findall(f"{w}font")}
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        entry = fonts[name]
        assert entry.find(f"{w}altName").get(f"{w}val") == OFFICE_FALLBACKS[name].windows
        assert entry.find(f"{w}charset").get(f"{w}val") == "86"


def test_docx_core_properties_are_the_report_date_and_office(tmp_path: Path) -> None:
    d = docx.Document(str(write_docx(report(), tmp_path / "r.docx")))
    core = d.core_properties
    assert core.created.date() == dt.date(2025, 3, 20)
    assert core.modified.date() == dt.date(2025, 3, 20)
    assert core.author == "市中区妇女儿童工作委员会办公室"
    assert core.last_modified_by == "市中区妇女儿童工作委员会办公室"
    assert core.title == report().title
    # Without a date the file is dated the day it is written, never python-docx's 2013.
    undated = Document(kind="annual", title="t", issuer="x")
    d2 = docx.Document(str(write_docx(undated, tmp_path / "u.docx")))
    assert d2.core_properties.created.date() == dt.date.today()


def test_docx_title_breaks_between_phrases_and_figures_are_numbered(tmp_path: Path) -> None:
    d = docx.Document(str(write_docx(report(), tmp_path / "r.docx")))
    assert d.paragraphs[0].text == "济南市市中区“十四五”妇女发展规划\n2024年度监测报告"
    captions = [p.text for p in d.paragraphs if p.text.startswith("图")]
    assert captions == ["图1 孕产妇死亡率（2020—2024年）", "图2 女干部人数（2020—2024年）"]


# ------------------------------------------------------------------ titles and HTML


def test_title_lines() -> None:
    assert title_lines("短标题2024年度监测报告", 20) == ["短标题2024年度监测报告"]
    assert title_lines("济南市市中区“十四五”妇女发展规划2024年度监测报告", 20) == [
        "济南市市中区“十四五”妇女发展规划", "2024年度监测报告"]
    # Nothing to break before: left whole rather than cut mid-word.
    assert title_lines("妇女儿童发展规划实施情况监测评估报告附件一览表", 10) == [
        "妇女儿童发展规划实施情况监测评估报告附件一览表"]


def test_html_typesetting_rules() -> None:
    html = render_html(report())
    assert ('<h1 class="title"><span class="title-line">济南市市中区“十四五”妇女发展规划</span>'
            '<span class="title-line">2024年度监测报告</span></h1>') in html
    # The caption is a block of its own, kept with the table that follows it.
    assert ('<p class="table-caption">表1 各领域指标监测状态</p>\n<div class="table-box"><table>'
            in html)
    # On a phone the page is as wide as the screen and a table scrolls inside its box.
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<caption>" not in html
    for status in STATUSES:
        assert f'<th class="nowrap">{status}</th>' in html
    assert '<span class="figure">64.41</span><br>（2021年）' in html
    # The explanation in a row of its own under its row, the two held on one page (a short
    # table is held whole: every row but the last says so).
    assert '<tr class="keep"><td>妇女常见病筛查率</td>' in html
    assert f'<tr class="below keep"><td colspan="7">评估说明：{REASON}</td></tr>' in html
    assert '<tr><td>孕产妇死亡率</td>' in html
    assert "<th>评估说明</th>" not in html
    # A figure alone in its cell: the cell itself is kept unbroken, with no span inside.
    assert '<td class="num figure">75.32</td>' in html
    assert '<span class="figure">75.32</span>' not in html
    assert "<figcaption>图1 孕产妇死亡率（2020—2024年）</figcaption>" in html
    assert "<figcaption>图2 女干部人数" in html and "图：" not in html
    css = (resources.files("planwatch.report") / "templates" / "report.css").read_text("utf-8")
    for rule in ("th.nowrap { white-space: nowrap; }", ".figure { white-space: nowrap; }",
                 "page-break-after: avoid",
                 ".title-line { display: inline-block; white-space: nowrap; }"):
        assert rule in css


def test_fontconfig_aliases_cover_every_office_font() -> None:
    conf = resources.files("planwatch.report") / "fontconfig" / "65-planwatch-office-cjk.conf"
    root = ET.fromstring(conf.read_text("utf-8"))
    aliases = {a.findtext("family"): a.findtext("accept/family") for a in root.iter("alias")}
    for name, fallback in OFFICE_FALLBACKS.items():
        assert aliases[name] == fallback.noto
        assert aliases[fallback.windows] == fallback.noto


# ------------------------------------------------------------------ charts


def _y_ticks(chart: Chart) -> list[float]:
    fig = charts.figure(chart)
    try:
        ax = fig.axes[0]
        low, high = ax.get_ylim()
        return [t for t in ax.get_yticks() if low - 1e-9 <= t <= high + 1e-9]
    finally:
        fig.clear()


def test_count_charts_have_whole_number_axes_from_zero() -> None:
    flat = Chart("女干部人数", [2020, 2021, 2022], [Series("市中区", [1, 1, 1])], unit="名")
    assert charts.is_count(flat)
    ticks = _y_ticks(flat)
    assert ticks[0] == 0 and all(float(t).is_integer() for t in ticks)
    assert len(ticks) >= 2
    whole = Chart("家庭数", [2020, 2021], [Series("区", [3.0, 7.0])])
    assert charts.is_count(whole)
    rate = Chart("筛查率", [2020, 2021], [Series("区", [80.0, 81.0])], unit="%")
    assert not charts.is_count(rate)
    assert any(not float(t).is_integer() for t in _y_ticks(
        Chart("筛查率", [2020, 2021], [Series("区", [80.1, 80.3])], unit="%")))


def test_pending_year_is_drawn_as_awaiting_approval() -> None:
    chart = Chart("孕产妇死亡率", [2022, 2023, 2024], [Series("区", [8.0, 7.5, None])],
                  unit="/10万", pending_years=[2024])
    fig = charts.figure(chart)
    try:
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_xticklabels()]
        texts = [t.get_text() for t in ax.texts]
    finally:
        fig.clear()
    assert labels == ["2022年", "2023年", "2024年\n（待审定）"]
    assert "待审定" in texts
    plain = Chart("孕产妇死亡率", [2022, 2023, 2024], [Series("区", [8.0, 7.5, None])])
    fig = charts.figure(plain)
    try:
        assert "待审定" not in [t.get_text() for t in fig.axes[0].texts]
    finally:
        fig.clear()
    assert imread(io.BytesIO(charts.png(chart))).shape[0] > 100


def test_pending_years_are_those_awaiting_approval_only() -> None:
    base = make_report_data(2023)
    pending = pl.DataFrame(
        {"indicator_code": ["C03", "W01", "C03"], "area_code": [SZ, SZ, SZ],
         "year": [2023, 2023, 2024]},
        schema=PENDING_COLUMNS,
    )
    data = ReportData(year=2023, result=base.result, observations=base.observations,
                      areas=base.areas, pending=pending)
    # C03 has no approved 2023 figure: awaiting approval. W01's 2023 figure is approved
    # (a later revision under review does not hide it); 2024 is after the report year.
    assert data.pending_years("C03", SZ) == [2023]
    assert data.pending_years("W01", SZ) == []
    assert base.pending_years("C03", SZ) == []
