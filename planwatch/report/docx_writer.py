"""Word output following the Chinese official-document layout (GB/T 9704-2012) where it applies.

A4 paper; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (the standard's type
area of 156 × 225 mm); body in 三号 (16 pt) serif with a fixed 28 pt line pitch and a
two-character first-line indent; headings 一、 in 黑体, （一） in 楷体-style, 1. bold;
page numbers as a PAGE field flanked by dashes, odd pages right and even pages left.
Headings use Word's built-in Heading 1–4 styles so the navigation pane and a table of
contents work for the statistician editing the draft.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from planwatch.report.atomic import atomic_path
from planwatch.report.chart_rules import HEIGHT_IN, WIDTH_IN
from planwatch.report.dating import document_time
from planwatch.report.docx_chart import ChartParts
from planwatch.report.fonts import DEFAULT_FONTS, OFFICE_FALLBACKS, FontRoles
from planwatch.report.formatting import cell_text
from planwatch.report.model import (
    Block,
    Chart,
    Document,
    PageBreak,
    Paragraph,
    Section,
    Table,
)
from planwatch.report.numbering import figure_numbers, heading_label
from planwatch.report.sample import marked_title
from planwatch.report.table_layout import (
    PageTable,
    column_widths,
    kept_with_next,
    page_table,
    split_figure,
)
from planwatch.report.titles import title_lines
from planwatch.report.zip_dates import write_dated

BODY_PT = 16  # 三号
TABLE_PT = 9  # 小五: seven columns on a 156 mm line, 评估说明 set under each row
TABLE_LINE_PT = 13
NOTE_PT = 12  # 小四
TITLE_PT = 22  # 二号
LINE_PITCH_PT = 28
TEXT_WIDTH_CM = 15.6
CHART_WIDTH_CM = 14.5
# Cell padding left and right (Word's default is 0.19 cm; narrower keeps room for text).
CELL_MARGIN_TWIPS = 57  # 0.1 cm
CELL_VMARGIN_TWIPS = 40  # 2 pt
TWIPS_PER_CM = 1440 / 2.54
BLACK = RGBColor(0, 0, 0)


def set_fonts(element: Any, latin: str, east_asia: str) -> None:
    """Set Latin and East Asian fonts on a run or style, dropping theme fonts.

    python-docx's ``font.name`` sets only the Latin slots; Chinese text uses
    ``w:eastAsia``, and the default template's theme attributes would override both.
    """
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _east_asian_language(style_element: Any) -> None:
    """Mark the style's text as simplified Chinese, so LibreOffice and WPS choose CJK
    fonts and line-breaking rules for it (the template says en-US only)."""
    rpr = style_element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _fix_layout(table: Any, block: Table) -> list[Any]:
    """Give the table a fixed layout and explicit column widths in every place a reader
    looks: w:tblLayout fixed, w:tblW, the grid (LibreOffice reads only this) and each
    cell (Word and WPS read these). Returns the widths as lengths for the cells."""
    em_twips = TABLE_PT * 20
    total_em = TEXT_WIDTH_CM * TWIPS_PER_CM / em_twips
    padding_em = 2 * CELL_MARGIN_TWIPS / em_twips
    ems = column_widths(block, total_em, padding_em)
    twips = [round(e * em_twips) for e in ems]
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblCellMar"):
        old = tbl_pr.find(qn(tag))
        if old is not None:
            tbl_pr.remove(old)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(sum(twips)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    # Schema order top, left, bottom, right; 2 pt above and below as report.css pads them.
    for side, size in (("top", CELL_VMARGIN_TWIPS), ("left", CELL_MARGIN_TWIPS),
                       ("bottom", CELL_VMARGIN_TWIPS), ("right", CELL_MARGIN_TWIPS)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(size))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    # Schema order inside w:tblPr: … tblW, jc, …, tblLayout, tblCellMar, tblLook.
    look = tbl_pr.find(qn("w:tblLook"))
    for el in (tbl_w, layout, margins):
        if look is not None:
            look.addprevious(el)
        else:
            tbl_pr.append(el)
    jc = tbl_pr.find(qn("w:jc"))
    if jc is not None:  # w:jc comes after w:tblW
        tbl_w.addnext(jc)
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(width))
    return [Emu(w * 635) for w in twips]  # 1 twip = 635 EMU


_NAMESPACES = re.compile(r' xmlns:\w+="[^"]*"')
_FIGURE, _NOTE, _HEADER = "\ue000", "\ue001", "\ue002"
_WIDTH_TWIPS = 77777  # stands for a cell's width while its template is made
_CONTROL = re.compile(r"[\x00-\x1f]")


def _xml_text(element: Any) -> str:
    """An element as XML text without its namespace declarations, to be made a template
    of (the declarations go on the element the template is pasted into)."""
    return _NAMESPACES.sub("", etree.tostring(element, encoding="unicode"))


def _t(text: str) -> str:
    """A w:t element as python-docx writes it: xml:space kept where the text starts or
    ends with spaces."""
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


_BASES: dict[FontRoles, bytes] = {}


class _TableRows:
    """Table rows written as XML text and parsed once per table.

    python-docx styles a cell through a dozen property setters, each a walk of the XML;
    cell by cell that was most of a table-heavy report's Word time. Here each kind of
    cell (header, or body by alignment and with or without a note; with or without
    keep-with-next) is made once per document by the setters themselves
    (``DocxWriter._cell`` / ``_body_cell``, ``_hold_together``'s properties) on a copy of
    python-docx's empty cell and kept as XML text; every cell is then that text with its
    width and words put in, so the document is exactly what the setters would have
    written. A cell whose text has a line break, tab or other control character (which
    python-docx turns into w:br / w:tab) still takes the setters' way.
    """

    def __init__(self, writer: DocxWriter) -> None:
        self.writer = writer
        self.templates: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self.cells: dict[tuple[Any, ...], str] = {}
        self.blank: Any = None
        self.table: Any = None

    def _by_setters(self, kind: str, figure: str, note: str, align: WD_ALIGN_PARAGRAPH,
                    keep: bool, span: int) -> str:
        """One cell as python-docx's setters write it, as XML text (width still the stand-in);
        ``span`` grid columns wide (a line set under its row across the table)."""
        tc = copy.deepcopy(self.blank)
        cell = _Cell(tc, self.table)
        if kind == "header":
            self.writer._cell(cell, figure, bold=True, align=align)
        else:
            self.writer._body_cell(cell, figure, note, align)
        if span > 1:
            tc.grid_span = span
        if keep:
            for p in tc.iter(qn("w:p")):
                p.get_or_add_pPr().keepNext_val = True
        return _xml_text(tc)

    def _template(self, key: tuple[Any, ...]) -> tuple[str, ...]:
        """Cell XML split around its width and texts: ``(kind, align, figure, note,
        keep, span)``, figure and note saying whether the cell has them."""
        found = self.templates.get(key)
        if found is None:
            kind, align, figure, note, keep, span = key
            marker = _HEADER if kind == "header" else _FIGURE
            text = self._by_setters(kind, marker if figure else "", _NOTE if note else "",
                                    align, keep, span)
            for marker in (_HEADER, _FIGURE, _NOTE):
                text = text.replace(f"<w:t>{marker}</w:t>", "\0")
            found = tuple(text.replace(f'w:w="{_WIDTH_TWIPS}"', '\0').split("\0"))
            self.templates[key] = found
        return found

    def _cell_xml(self, width: str, kind: str, texts: tuple[str, ...],
                  align: WD_ALIGN_PARAGRAPH, keep: bool, span: int = 1) -> str:
        """A cell's XML; the same cell again (a report's tables repeat —, 数据不足, %, a
        year's note some ten times for each one they hold) is the text already made."""
        key = (width, kind, texts, align, keep, span)
        made = self.cells.get(key)
        if made is None:
            made = self.cells[key] = self._make_cell_xml(width, kind, texts, align, keep, span)
        return made

    def _make_cell_xml(self, width: str, kind: str, texts: tuple[str, ...],
                       align: WD_ALIGN_PARAGRAPH, keep: bool, span: int) -> str:
        figure = texts[0]
        note = texts[1] if len(texts) > 1 else ""
        if _CONTROL.search(figure + note):
            return self._by_setters(kind, figure, note, align, keep, span).replace(
                f'w:w="{_WIDTH_TWIPS}"', f'w:w="{width}"')
        parts = self._template((kind, align, bool(figure), bool(note), keep, span))
        out = [parts[0]]
        fill = [f'w:w="{width}"', *(_t(t) for t in (figure, note) if t)]
        for piece, part in zip(fill, parts[1:], strict=True):
            out.append(piece)
            out.append(part)
        return "".join(out)

    def write(self, table: Any, laid: PageTable, widths: list[str]) -> None:
        """Replace python-docx's one empty row of ``table`` by the header and body rows:
        header repeated on each page, no row split across pages, a row held on one page
        with the lines set under it, the header with the first ``HEAD_ROWS`` rows and a
        short table whole (keep-with-next on every row but the last)."""
        self.table = table
        tr = table._tbl.tr_lst[0]
        if self.blank is None:
            self.blank = copy.deepcopy(tr.tc_lst[0])
            self.blank.tcPr.tcW.set(qn("w:w"), str(_WIDTH_TWIPS))
        block = laid.grid
        full = str(sum(int(w) for w in widths))
        left = WD_ALIGN_PARAGRAPH.LEFT
        xml = [f"<w:tbl {nsdecls('w')}>",
               '<w:tr><w:trPr><w:tblHeader w:val="true"/><w:cantSplit/></w:trPr>']
        for width, column in zip(widths, block.columns, strict=True):
            xml.append(self._cell_xml(width, "header", (column.header,),
                                      WD_ALIGN_PARAGRAPH.CENTER, bool(block.rows)))
        xml.append("</w:tr>")
        rows = zip(block.rows, laid.below, kept_with_next(laid), strict=True)
        for row, below, (keep, keep_lines) in rows:
            xml.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for width, value, column in zip(widths, row, block.columns, strict=True):
                numeric = column.kind != "text" and not isinstance(value, str)
                align = WD_ALIGN_PARAGRAPH.RIGHT if numeric else left
                text = cell_text(value, column)
                figure, note = split_figure(text) if column.kind != "text" else (text, "")
                xml.append(self._cell_xml(width, "body", (figure, note), align, keep))
            xml.append("</w:tr>")
            for line, keep_line in zip(below, keep_lines, strict=True):
                xml.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
                xml.append(self._cell_xml(full, "body", (line, ""), left, keep_line,
                                          span=len(widths)))
                xml.append("</w:tr>")
        xml.append("</w:tbl>")
        tbl = table._tbl
        tbl.remove(tr)
        tbl.extend(list(parse_xml("".join(xml))))


class DocxWriter:
    def __init__(self, fonts: FontRoles = DEFAULT_FONTS) -> None:
        self.fonts = fonts
        self._figures: dict[int, int] = {}
        self._rows = _TableRows(self)
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self._paragraphs: dict[tuple[Any, ...], tuple[str, str]] = {}
        self._run_props: dict[tuple[str, float, bool], str] = {}

    # ------------------------------------------------------------------ set-up

    def _new_document(self) -> DocxDocument:
        """A new document with the page, styles, font table and page numbers set up: set up
        once per process and font roles, kept as a file and opened from it for each report
        (opening is a third of what making and setting one up costs)."""
        base = _BASES.get(self.fonts)
        if base is None:
            doc = new_document()
            self._setup(doc)
            buffer = io.BytesIO()
            doc.save(buffer)
            base = _BASES[self.fonts] = buffer.getvalue()
        return new_document(io.BytesIO(base))

    def _setup(self, doc: DocxDocument) -> None:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.top_margin = Mm(37)
        section.bottom_margin = Mm(35)
        section.left_margin = Mm(28)
        section.right_margin = Mm(26)
        section.footer_distance = Mm(20)
        self._font_table(doc)

        normal = doc.styles["Normal"]
        set_fonts(normal.element, self.fonts.latin, self.fonts.body)
        _east_asian_language(normal.element)
        normal.font.size = Pt(BODY_PT)
        normal.font.color.rgb = BLACK
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PITCH_PT)
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)

        heading_fonts = {
            1: self.fonts.heading1,
            2: self.fonts.heading2,
            3: self.fonts.body,
            4: self.fonts.body,
        }
        for level, family in heading_fonts.items():
            style = doc.styles[f"Heading {level}"]
            set_fonts(style.element, self.fonts.latin, family)
            style.font.size = Pt(BODY_PT)
            style.font.bold = level in (2, 3)
            style.font.italic = False
            style.font.color.rgb = BLACK
            hpf = style.paragraph_format
            hpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            hpf.line_spacing = Pt(LINE_PITCH_PT)
            hpf.space_before = Pt(6 if level == 1 else 0)
            hpf.space_after = Pt(0)
            hpf.first_line_indent = Pt(BODY_PT * 2)
            hpf.keep_with_next = True

        self._page_numbers(doc)

    def _core_properties(self, doc: DocxDocument, model: Document) -> None:
        """File properties as the office would set them: its name as author, the report's
        date as created/modified (python-docx's template otherwise says 2013)."""
        when = document_time(model)
        core = doc.core_properties
        core.title = model.title
        core.subject = model.subtitle
        core.author = model.issuer
        core.last_modified_by = model.issuer
        core.created = when
        core.modified = when
        core.revision = 1
        core.language = "zh-CN"
        core.category = "监测评估报告"
        core.comments = ""
        core.keywords = ""

    def _font_table(self, doc: DocxDocument) -> None:
        """Declare the office fonts with their substitutes, so that Word and WPS without
        仿宋_GB2312 pick 仿宋 (``w:altName``, GB2312 charset, fixed pitch) rather than a
        Latin default, and every reader sees which font the document asks for."""
        part = next(
            r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")
        )
        blob: bytes = part.blob
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        declared = {f.get(f"{w}name") for f in ElementTree.fromstring(blob).iter(f"{w}font")}
        used = dict.fromkeys(
            (self.fonts.title, self.fonts.heading1, self.fonts.heading2, self.fonts.body,
             self.fonts.table)
        )
        entries = []
        for name in used:
            fallback = OFFICE_FALLBACKS.get(name)
            if fallback is None or name in declared:
                continue
            entries.append(
                f"<w:font w:name={quoteattr(name)}>"
                f"<w:altName w:val={quoteattr(fallback.windows)}/><w:charset w:val=\"86\"/>"
                f"<w:family w:val={quoteattr(fallback.family)}/>"
                f"<w:pitch w:val={quoteattr(fallback.pitch)}/></w:font>"
            )
        if entries:
            end = blob.rindex(b"</w:fonts>")
            part._blob = blob[:end] + "".join(entries).encode("utf-8") + blob[end:]

    def _page_number_paragraph(self, paragraph: DocxParagraph, align: WD_ALIGN_PARAGRAPH) -> None:
        paragraph.alignment = align
        pf = paragraph.paragraph_format
        pf.first_line_indent = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            pf.right_indent = Pt(14)
        else:
            pf.left_indent = Pt(14)
        for text, field in (("— ", False), ("PAGE", True), (" —", False)):
            run = paragraph.add_run()
            set_fonts(run._r, self.fonts.latin, self.fonts.body)
            run.font.size = Pt(14)  # 四号
            if not field:
                run.text = text
                continue
            begin = OxmlElement("w:fldChar")
            begin.set(qn("w:fldCharType"), "begin")
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            separate = OxmlElement("w:fldChar")
            separate.set(qn("w:fldCharType"), "separate")
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            end = OxmlElement("w:fldChar")
            end.set(qn("w:fldCharType"), "end")
            for el in (begin, instr, separate, placeholder, end):
                run._r.append(el)

    def _page_numbers(self, doc: DocxDocument) -> None:
        doc.settings.odd_and_even_pages_header_footer = True
        section = doc.sections[0]
        odd = section.footer.paragraphs[0]
        self._page_number_paragraph(odd, WD_ALIGN_PARAGRAPH.RIGHT)
        even = section.even_page_footer.paragraphs[0]
        self._page_number_paragraph(even, WD_ALIGN_PARAGRAPH.LEFT)

    # ------------------------------------------------------------------ content

    def _run(self, paragraph: DocxParagraph, text: str, family: str, size: float,
             bold: bool = False) -> None:
        """A run of ``text`` in ``family`` at ``size``: its run properties are written by
        the setters once per document and kind of run, then copied (a report adds some
        fifty runs, and each setter walks python-docx's child order rules). Text with a
        line break, tab or other control character takes the setters' way, which turns
        them into Word's break and tab elements."""
        key = (family, size, bold)
        props = self._run_props.get(key)
        if props is None or not text or _CONTROL.search(text):
            run = paragraph.add_run(text)
            set_fonts(run._r, self.fonts.latin, family)
            run.font.size = Pt(size)
            run.font.bold = bold
            if props is None:
                self._run_props[key] = _xml_text(run._r.get_or_add_rPr())
            return
        paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{props}{_t(text)}</w:r>"))

    def _title(self, doc: DocxDocument, model: Document) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(36)
        p.paragraph_format.space_after = Pt(12)
        for i, line in enumerate(title_lines(model.title, TEXT_WIDTH_CM / 2.54 * 72 / TITLE_PT)):
            if i:
                p.runs[-1].add_break()
            self._run(p, line, self.fonts.title, TITLE_PT, bold=True)
        for line in (model.subtitle, model.issuer, model.date_line):
            if line:
                q = doc.add_paragraph()
                q.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._run(q, line, self.fonts.heading2, BODY_PT)
        doc.add_paragraph()

    def _templated(self, doc: DocxDocument, key: tuple[Any, ...], text: str,
                   write: Callable[[DocxParagraph, str], None]) -> None:
        """Add the paragraph ``write`` makes of ``text``: written by ``write`` (python-docx's
        paragraph and run setters) once per document and kind of paragraph (``key``), with a
        marker for the text, and copied from then on with the text put in — the setters
        were a tenth of a report's Word time. Text with a line break, tab or other control
        character (which the setters turn into Word's elements) takes the setters' way;
        a paragraph without text is copied whole."""
        body = doc.element.body
        if _CONTROL.search(text):
            write(doc.add_paragraph(), text)
            return
        parts = self._paragraphs.get((key, bool(text)))
        if parts is None:
            write(doc.add_paragraph(), text and _FIGURE)
            made = body.p_lst[-1]
            xml = _xml_text(made)
            xml = xml.replace("<w:p", f"<w:p {nsdecls('w')}", 1)
            pieces = xml.split(f"<w:t>{_FIGURE}</w:t>") if text else [xml, ""]
            if len(pieces) != 2:  # not the one run this was written for: no template
                body.remove(made)
                write(doc.add_paragraph(), text)
                return
            parts = self._paragraphs[(key, bool(text))] = (pieces[0], pieces[1])
            if not text:
                return
            body.remove(made)
        body._insert_p(parse_xml(parts[0] + (_t(text) if text else "") + parts[1]))

    def _paragraph(self, doc: DocxDocument, block: Paragraph) -> None:
        self._templated(doc, ("body", block.style), block.text,
                        lambda p, text: self._write_body(p, block.style, text))

    def _write_body(self, p: DocxParagraph, style: str, text: str) -> None:
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        if style == "note":
            p.paragraph_format.line_spacing = Pt(20)
            self._run(p, text, self.fonts.heading2, NOTE_PT)
        elif style == "sign":
            p.paragraph_format.first_line_indent = Pt(0)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self._run(p, text, self.fonts.body, BODY_PT)
        elif style == "todo":
            self._run(p, text, self.fonts.body, BODY_PT)
            for run in p.runs:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            self._run(p, text, self.fonts.body, BODY_PT)

    def _cell(self, cell: _Cell, text: str, *, bold: bool, align: WD_ALIGN_PARAGRAPH) -> None:
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = align
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        # A fixed pitch, as report.css sets it: "single" spacing follows each font's own
        # ascent and descent and differs between Word, WPS and LibreOffice.
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(TABLE_LINE_PT)
        self._run(p, text, self.fonts.heading1 if bold else self.fonts.table, TABLE_PT, bold)

    def _table_caption(self, caption: DocxParagraph, text: str) -> None:
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.first_line_indent = Pt(0)
        caption.paragraph_format.keep_with_next = True
        self._run(caption, text, self.fonts.heading1, NOTE_PT)

    def _table_note(self, p: DocxParagraph, text: str) -> None:
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = Pt(16)
        self._run(p, text, self.fonts.table, TABLE_PT)

    @staticmethod
    def _spacer(p: DocxParagraph, text: str) -> None:
        p.paragraph_format.line_spacing = Pt(8)

    def _table(self, doc: DocxDocument, block: Table) -> None:
        self._templated(doc, ("table caption",), block.caption, self._table_caption)
        laid = page_table(block)
        table = doc.add_table(rows=1, cols=len(laid.grid.columns))
        table._tbl.tblStyle_val = self._style_id(doc, "Table Grid", WD_STYLE_TYPE.TABLE)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = _fix_layout(table, laid.grid)
        self._rows.write(table, laid, [str(w.twips) for w in widths])
        for note in block.notes:
            self._templated(doc, ("table note",), note, self._table_note)
        self._templated(doc, ("spacer",), "", self._spacer)

    def _body_cell(self, cell: _Cell, figure: str, note: str, align: WD_ALIGN_PARAGRAPH) -> None:
        self._cell(cell, figure, bold=False, align=align)
        if note:
            # The figure and its note on lines of their own: LibreOffice would
            # otherwise break inside the figure ("64.4/1（2021年）").
            run = cell.paragraphs[0].runs[-1]
            run.add_break()
            self._run(cell.paragraphs[0], note, self.fonts.table, TABLE_PT)

    def _chart(self, doc: DocxDocument, block: Chart) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.keep_with_next = True  # the caption stays under its chart
        width = Cm(CHART_WIDTH_CM)
        self._charts.add(p.add_run(), block, int(width),
                         int(width * HEIGHT_IN / WIDTH_IN))
        number = self._figures.get(id(block))
        label = f"图{number} " if number else ""
        self._templated(doc, ("chart caption",), f"{label}{block.title}", self._chart_caption)

    def _chart_caption(self, caption: DocxParagraph, text: str) -> None:
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.first_line_indent = Pt(0)
        self._run(caption, text, self.fonts.heading2, NOTE_PT)

    def _block(self, doc: DocxDocument, block: Block) -> None:
        if isinstance(block, Paragraph):
            self._paragraph(doc, block)
        elif isinstance(block, Table):
            self._table(doc, block)
        elif isinstance(block, Chart):
            self._chart(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _section(self, doc: DocxDocument, section: Section, path: tuple[int, ...]) -> None:
        level = min(len(path), 4)

        def heading(p: DocxParagraph, text: str) -> None:
            p._p.style = self._style_id(doc, f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH)
            p.paragraph_format.page_break_before = section.new_page
            p.add_run(text)

        self._templated(doc, ("heading", level, section.new_page),
                        (heading_label(path) if section.numbered else "") + section.title,
                        heading)
        for block in section.blocks:
            self._block(doc, block)
        for i, child in enumerate(section.sections, start=1):
            self._section(doc, child, (*path, i))

    def _sample_marks(self, doc: DocxDocument, model: Document) -> None:
        """A demo report says 示例数据（非真实统计） above its title, in the odd and even
        page headers and in the core properties (title, subject, keywords, category)."""
        label = model.sample_label
        if not label:
            return
        core = doc.core_properties
        core.title = marked_title(model.title, label)
        core.subject = f"{label} {model.subtitle}".strip()
        core.keywords = label
        core.category = label
        section = doc.sections[0]
        for header in (section.header, section.even_page_header):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            self._run(p, label, self.fonts.heading1, NOTE_PT)
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        self._run(p, label, self.fonts.heading1, BODY_PT, bold=True)
        p.runs[-1].font.color.rgb = RGBColor(0xC0, 0, 0)

    def _style_id(self, doc: DocxDocument, name: str, kind: WD_STYLE_TYPE) -> str | None:
        """The id python-docx gives a style name, looked up once per document: its lookup
        walks every style of the template each time (a fifth of a report's Word time)."""
        key = (name, kind)
        if key not in self._style_ids:
            self._style_ids[key] = doc.part.get_style_id(  # type: ignore[no-untyped-call]
                doc.styles[name], kind)
        return self._style_ids[key]

    def build(self, model: Document) -> DocxDocument:
        self._figures = figure_numbers(model)
        self._rows = _TableRows(self)
        self._style_ids = {}
        self._paragraphs = {}
        self._run_props = {}
        self._charts = ChartParts(self.fonts, document_time(model), model.issuer)
        doc = self._new_document()
        self._core_properties(doc, model)
        self._sample_marks(doc, model)
        self._title(doc, model)
        for block in model.blocks:
            self._block(doc, block)
        for i, section in enumerate(model.sections, start=1):
            self._section(doc, section, (i,))
        return doc

    def write(self, model: Document, path: Path) -> Path:
        doc = self.build(model)
        package = io.BytesIO()
        doc.save(package)
        with atomic_path(path) as tmp:
            # The parts dated as the report is, so that the same report is the same file.
            write_dated(package.getvalue(), tmp, document_time(model))
        return path


def write_docx(model: Document, path: Path, fonts: FontRoles = DEFAULT_FONTS) -> Path:
    return DocxWriter(fonts).write(model, path)
