"""The writers, on a hand-built report model whose numbers are known."""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree
from report_support import SZ, WOMEN, sample_document

from planwatch.report import docx_writer, fonts
from planwatch.report.builders import build_annual
from planwatch.report.charts import png, svg
from planwatch.report.data import ReportData
from planwatch.report.docx_writer import DocxWriter, write_docx
from planwatch.report.fonts import DEFAULT_FONTS
from planwatch.report.formatting import change, number, percent, with_unit
from planwatch.report.html_writer import render_html, write_html
from planwatch.report.model import Chart, Column, Document, Series, Table
from planwatch.report.numbering import chinese_number, heading_label
from planwatch.report.output import FormatError, parse_formats, write_document
from planwatch.report.xlsx_writer import display_width, sheet_title, write_xlsx

LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bnan\b|\bNaN\b")


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


# ------------------------------------------------------------------ numbers and labels


def test_heading_labels_follow_official_numbering() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十",
    ]
    assert heading_label((3,)) == "三、"
    assert heading_label((2, 4)) == "（四）"
    assert heading_label((2, 4, 7)) == "7."
    assert heading_label((1, 1, 1, 2)) == "（2）"


def test_number_formatting() -> None:
    assert number(85.0) == "85"
    assert number(83.14) == "83.1"
    assert number(-0.04) == "0"
    assert number(None) == "—"
    assert number(float("nan")) == "—"
    assert number(123456.0, 0) == "123,456"
    assert with_unit(8.1, "/10万") == "8.1/10万"
    assert with_unit(95.24, "%") == "95.2%"
    assert change(0.8, "%") == "+0.8个百分点"
    assert change(-1.25, "岁", 2) == "-1.25岁"
    assert percent(0.6563) == "65.6%"


def test_table_and_chart_refuse_ragged_data() -> None:
    with pytest.raises(ValueError, match="第1行"):
        Table("t", [Column("a"), Column("b")], [["x"]])
    with pytest.raises(ValueError, match="年份有3个"):
        Chart("c", [2020, 2021, 2022], [Series("s", [1.0, 2.0])])


def test_formats_are_checked() -> None:
    assert parse_formats("docx, PDF,docx") == ["docx", "pdf"]
    with pytest.raises(FormatError, match="odt"):
        parse_formats("docx,odt")
    with pytest.raises(FormatError):
        parse_formats("")


def test_collector_is_paused_while_writing_and_restored(document: Document, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """write_document turns the cyclic collector off for the document only: back on after
    it (also when a writer fails), and left off if the caller had turned it off."""
    from planwatch.report import html_writer

    seen: list[bool] = []
    real = html_writer.write_html

    def spy(*args: Any, **kwargs: Any) -> Path:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(html_writer, "write_html", spy)
    assert gc.isenabled()
    write_document(document, tmp_path, ["html"], "r")
    assert seen == [False] and gc.isenabled()
    with pytest.raises(FormatError):
        write_document(document, tmp_path, ["odt"], "r")
    assert gc.isenabled()
    gc.disable()
    try:
        write_document(document, tmp_path, ["html"], "r")
        assert not gc.isenabled()
    finally:
        gc.enable()


# ------------------------------------------------------------------ docx


def test_docx_layout_and_content(document: Document, tmp_path: Path) -> None:
    path = write_docx(document, tmp_path / "r.docx")
    d = docx.Document(str(path))
    section = d.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.top_margin - Mm(37)) < Mm(1)
    assert abs(section.left_margin - Mm(28)) < Mm(1)

    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "一、总体情况",
        "二、分领域监测情况",
        "（一）妇女与健康",
        "三、存在问题和对策建议",
    ]
    # The long title breaks between its phrases, before the year, never inside a word.
    assert d.paragraphs[0].text == "市中区“十四五”妇女发展规划\n2023年度监测报告"

    assert len(d.tables) == 1
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "指标", "2023年", "目标值", "监测数", "达标率", "状态",
    ]
    assert [c.text for c in table.rows[2].cells] == [
        "宫颈癌筛查率（%）", "83.1", "≥90", "987654", "50.0%", "预计达标困难",
    ]
    assert [c.text for c in table.rows[3].cells][1] == "—"
    # Header row repeats on each printed page.
    assert table.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None

    # Chinese text is set in an East Asian font, not left to Word's default.
    body_run = next(p for p in d.paragraphs if p.text.startswith("孕产妇")).runs[0]
    fonts_el = body_run._r.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts_el.get(qn("w:eastAsia")) == "仿宋_GB2312"
    h1 = d.styles["Heading 1"].element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert h1.get(qn("w:eastAsia")) == "黑体"
    assert h1.get(qn("w:asciiTheme")) is None

    # One chart, embedded as a Word chart with its workbook (not a picture).
    assert len(d.inline_shapes) == 1
    assert d.inline_shapes[0].type == WD_INLINE_SHAPE.CHART
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert "word/charts/chart1.xml" in names
        assert "word/embeddings/Microsoft_Excel_Sheet1.xlsx" in names
        assert not any(n.startswith("word/media/") for n in names)
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert any("PAGE" in f and "fldChar" in f for f in footers)

    todo = next(p for p in d.paragraphs if "待统计人员补充" in p.text)
    assert todo.runs[0].font.highlight_color is not None

    assert not LEFTOVERS.search(docx_text(path))


def test_docx_new_page_sections(tmp_path: Path) -> None:
    doc = Document(kind="warnings", title="预警清单")
    doc.section("区卫生健康局", new_page=True)
    doc.section("区教育和体育局", new_page=True)
    d = docx.Document(str(write_docx(doc, tmp_path / "w.docx")))
    heads = [p for p in d.paragraphs if p.style.name == "Heading 1"]
    assert [h.paragraph_format.page_break_before for h in heads] == [True, True]


def test_interrupted_write_leaves_no_file(
    document: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "r.docx"

    def interrupted(package: bytes, path: Path, when: object) -> None:
        path.write_bytes(package[:100])  # the file, half written
        raise KeyboardInterrupt

    monkeypatch.setattr(docx_writer, "write_dated", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_docx(document, target)
    assert list(target.parent.iterdir()) == []


def test_existing_file_survives_failed_rewrite(
    document: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write_docx(document, tmp_path / "r.docx")
    before = target.read_bytes()

    def failing(package: bytes, path: Path, when: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(docx_writer, "write_dated", failing)
    with pytest.raises(OSError):
        write_docx(document, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


# ------------------------------------------------------------------ html


def test_html_is_self_contained(document: Document, tmp_path: Path) -> None:
    html = write_html(document, tmp_path / "r.html").read_text("utf-8")
    assert '<img src="data:image/png;base64,' in html and "<table" in html
    assert "一、总体情况" in html and "（一）妇女与健康" in html
    assert "83.1" in html and "≥90" in html
    # Nothing loaded from elsewhere: no external src/href, no CDN.
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html)
    assert "@import" not in html
    assert "&#34;" not in html.split("</style>")[0]  # CSS not HTML-escaped
    text_only = re.sub(r'src="data:[^"]*"', "", html)
    assert not LEFTOVERS.search(text_only)
    svg_page = render_html(document, charts_as="svg")
    assert "<svg" in svg_page and "data:image/png" not in svg_page


def test_html_escapes_text(tmp_path: Path) -> None:
    doc = Document(kind="annual", title="<script>alert(1)</script>")
    assert "<script>alert" not in render_html(doc)


# ------------------------------------------------------------------ xlsx


def test_xlsx_keeps_numbers_and_prints(document: Document, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_xlsx(document, tmp_path / "r.xlsx"))
    assert wb.sheetnames == ["总体情况", "分领域监测情况", "存在问题和对策建议"]
    ws = wb["分领域监测情况"]
    assert ws["A1"].value == document.title
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header_index = next(i for i, r in enumerate(rows) if r[0] == "指标")
    assert rows[header_index][:6] == ["指标", "2023年", "目标值", "监测数", "达标率", "状态"]
    first = rows[header_index + 1]
    assert first[:6] == ["孕产妇死亡率（1/10万）", 8.1, "≤10", 1234, 0.656, "已实现"]
    assert rows[header_index + 2][1] == 83.14  # full precision kept, shown with 1 decimal
    cell = ws.cell(row=header_index + 2, column=2)
    assert cell.number_format == "0.0"
    assert ws.cell(row=header_index + 2, column=5).number_format == "0.0%"
    assert rows[header_index + 3][1] == "—"
    assert ws.freeze_panes == f"B{header_index + 2}"
    assert ws.print_title_rows == f"${header_index + 1}:${header_index + 1}"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["A"].width >= 20
    for sheet in wb.worksheets:
        for r in sheet.iter_rows(values_only=True):
            for v in r:
                assert not (isinstance(v, str) and LEFTOVERS.search(v))


def test_sheet_titles_are_legal_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_title("a/b:c", taken) == "abc"
    assert sheet_title("ABC", taken) == "ABC(2)"
    long = "很" * 40
    assert len(sheet_title(long, taken)) == 31
    assert len(sheet_title(long, taken)) == 31
    assert display_width("指标a") == 5


# ------------------------------------------------------------------ charts


def test_chart_renders_with_cjk_font(document: Document) -> None:
    chart = document.charts()[0]
    data = png(chart)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svg(chart)
    assert fonts.chart_font() in (fonts.SANS, *fonts._CHART_CANDIDATES)


def test_missing_cjk_font_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts.chart_font.cache_clear()
    monkeypatch.setattr(fonts, "_names", lambda: set())
    monkeypatch.setattr(fonts, "_register_fontconfig_cjk", lambda: None)
    try:
        with pytest.raises(fonts.MissingFontError, match="fonts-noto-cjk"):
            fonts.chart_font()
    finally:
        fonts.chart_font.cache_clear()


# ------------------------------------------------------------------ pdf


def _weasyprint_or_skip() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"WeasyPrint/Pango not available: {exc}")


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample document's PDF through write_document, written once for the tests that
    only read it (each write is WeasyPrint's whole typesetting of the same pages)."""
    _weasyprint_or_skip()
    (pdf,) = write_document(sample_document(), tmp_path_factory.mktemp("pdf"), ["pdf"], "r")
    return pdf


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_pdf_has_chinese_text_and_embedded_cjk_fonts(sample_pdf: Path) -> None:
    pdf = sample_pdf
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = text.replace("\n", "")
    assert "妇女发展规划2023年度监测报告" in flat
    assert "孕产妇死亡率为8.1/10万" in flat
    assert "—1—" in flat.replace(" ", "")  # page number in the footer
    if shutil.which("pdffonts"):
        fonts_out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                                   check=True).stdout
        assert "CJK" in fonts_out


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_pdf_renders_to_png(sample_pdf: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(sample_pdf),
                    str(tmp_path / "page")], check=True)
    pages = list(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    assert pages[0].stat().st_size > 5000


def test_pdf_writer_drops_only_user_agent_rules_no_report_uses(document: Document,
                                                                sample_pdf: Path) -> None:
    """The PDF writer's WeasyPrint lacks the user-agent rules for list markers, footnotes
    and notes (pdf_writer.UNUSED_UA_RULES): reports have none, and the PDF is the same
    (the writer's PDF of ``document`` is ``sample_pdf``)."""
    import weasyprint

    from planwatch.report import pdf_writer

    ua = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text("utf-8")
    trimmed = pdf_writer.without_unused_ua_rules(ua)
    dropped = set(ua.splitlines()) - set(trimmed.splitlines())
    assert len(dropped) == 6
    assert all(line.startswith(pdf_writer.UNUSED_UA_RULES) for line in dropped)
    for name in ("::marker", "::footnote", "::note"):
        assert name in ua and name not in trimmed
    # The pinned WeasyPrint takes the trimmed stylesheet (not silently the full one).
    html_class = pdf_writer._html_class()
    assert html_class is not weasyprint.HTML and issubclass(html_class, weasyprint.HTML)
    # No list item, footnote or note in a report for the dropped rules to style.
    html = render_html(document)
    assert not re.search(r"<(li|ol|ul|dir|menu|summary|details)\b", html)
    assert "footnote" not in html and "list-item" not in html and "float: note" not in html
    assert sample_pdf.read_bytes() == weasyprint.HTML(string=html).write_pdf()


def test_page_margin_boxes_are_as_wide_as_the_type_area(document: Document) -> None:
    """Every margin box with content (page numbers, the demo mark) sets ``width: 100%``,
    the width WeasyPrint gives it anyway as no other box shares its side: without it,
    WeasyPrint lays each box's text out three more times on every page to share the side."""
    document.sample_label = "示例数据（非真实统计）"
    html = render_html(document)
    boxes = re.findall(r"@(?:top|bottom|left|right)-[a-z-]+ \{([^}]*)\}", html)
    shown = [b for b in boxes if "content: none" not in b]
    assert len(shown) == 3  # the page number on right and on left pages, the demo mark
    assert all(b.strip().startswith("width: 100%;") for b in shown), shown


def _kept_rows(table: object) -> list[bool]:
    """Per row: does every paragraph of the row say keep-with-next (w:keepNext)?"""
    rows = table._tbl.tr_lst  # type: ignore[attr-defined]
    return [all(p.find(qn("w:pPr")) is not None and p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None
                for p in tr.iter(qn("w:p"))) for tr in rows]


def test_short_tables_are_held_on_one_page_long_ones_may_break(tmp_path: Path) -> None:
    """A table of up to KEEP_WHOLE_ROWS body rows keeps each row with the next, so Word, WPS and
    LibreOffice move it whole to the next page instead of leaving its caption and first row at
    the foot of one; a longer table keeps its header with its first HEAD_ROWS rows, then may
    break between rows (the header repeats)."""
    from planwatch.report.table_layout import HEAD_ROWS, KEEP_WHOLE_ROWS

    columns = [Column("领域"), Column("指标数", kind="number", decimals=0)]
    short = Table("表 短", columns, [[f"领域{n}", n] for n in range(KEEP_WHOLE_ROWS)])
    long = Table("表 长", columns, [[f"领域{n}", n] for n in range(KEEP_WHOLE_ROWS + 1)])
    path = write_docx(Document(kind="annual", title="测试", blocks=[short, long]), tmp_path / "t.docx")
    held, free = docx.Document(str(path)).tables
    assert _kept_rows(held) == [True] * KEEP_WHOLE_ROWS + [False]
    assert _kept_rows(free) == [True] * HEAD_ROWS + [False] * (KEEP_WHOLE_ROWS + 2 - HEAD_ROWS)


def test_copied_paragraphs_and_runs_are_the_ones_the_setters_write(
        report_data: ReportData, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paragraphs and runs after the first of their kind are copies of it with their text
    put in: the document must be the one writing each through python-docx's setters gives
    (body text, headings, table and chart captions, table notes, spacers, runs)."""
    model = build_annual(report_data, WOMEN, SZ)
    model.sample_label = "示例数据（非真实统计）"  # runs in the page headers too
    assert any(t.notes for t in model.tables()) and model.charts()
    copied = DocxWriter(DEFAULT_FONTS).build(model)
    original = DocxWriter._run

    def run_by_setters(self: DocxWriter, *args: Any, **kwargs: Any) -> None:
        self._run_props.clear()  # no kind of run is ever known: each is written anew
        original(self, *args, **kwargs)

    def paragraph_by_setters(self: DocxWriter, doc: Any, key: Any, text: str,
                             write: Any) -> None:
        write(doc.add_paragraph(), text)

    monkeypatch.setattr(DocxWriter, "_run", run_by_setters)
    monkeypatch.setattr(DocxWriter, "_templated", paragraph_by_setters)
    written = DocxWriter(DEFAULT_FONTS).build(model)
    assert etree.tostring(copied.element) == etree.tostring(written.element)
    headers = [etree.tostring(d.sections[0].header._element) for d in (copied, written)]
    assert headers[0] == headers[1]


def _docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_reports_opened_from_the_kept_base_are_the_ones_set_up_anew(
        report_data: ReportData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each report starts from the set-up document kept as a file: the file written must
    be, part for part, the one written on a document made and set up for it."""
    model = build_annual(report_data, WOMEN, SZ)
    write_docx(model, tmp_path / "warm.docx")  # the base is made (or was) …
    kept = _docx_parts(write_docx(model, tmp_path / "kept.docx"))  # … and reused

    def set_up_anew(self: DocxWriter) -> Any:
        doc = docx.Document()
        self._setup(doc)
        return doc

    monkeypatch.setattr(DocxWriter, "_new_document", set_up_anew)
    anew = _docx_parts(write_docx(model, tmp_path / "anew.docx"))
    assert kept.keys() == anew.keys()
    for name in kept:
        assert kept[name] == anew[name], name
