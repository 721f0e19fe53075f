"""Self-contained HTML: inline CSS, charts as inline SVG, nothing fetched from elsewhere.

The page is meant to be mailed or archived as one file and to print like the Word
document (the stylesheet's @page rules also drive the PDF writer).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jinja2

from planwatch.report import charts
from planwatch.report.atomic import atomic_path
from planwatch.report.formatting import cell_text
from planwatch.report.model import (
    Block,
    Chart,
    Column,
    Document,
    PageBreak,
    Paragraph,
    Section,
    Table,
)
from planwatch.report.numbering import figure_numbers, heading_label
from planwatch.report.table_layout import (
    SHORT_HEADER,
    column_widths,
    kept_with_next,
    page_table,
    split_figure,
)
from planwatch.report.titles import title_lines

# The type area (156 mm) in em of the table font (9 pt, 小五) and the cells' padding
# (3 pt each side plus the rule), for the column widths; see report.css.
TABLE_PT = 9.0
TABLE_EM = 156 / 25.4 * 72 / TABLE_PT
CELL_PADDING_EM = 7.0 / TABLE_PT
TITLE_EM = 156 / 25.4 * 72 / 22


@functools.cache
def _environment() -> jinja2.Environment:
    """One environment per process: it keeps the compiled template (compiling it took 9 ms,
    as long as rendering a short report), and rendering with it is safe from any thread."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("planwatch.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def _css() -> str:
    return (resources.files("planwatch.report") / "templates" / "report.css").read_text("utf-8")


ChartFormat = Literal["svg", "png"]


def _cell(value: Any, column: Column) -> dict[str, Any]:
    """A cell's figure and bracketed note apart, so the figure is set unbroken.

    A figure without a note is the cell's only content, so the cell itself carries the
    ``figure`` class (no wrapping) instead of a span around the figure: the PDF writer
    styles and lays out every element, and these spans were a fifth of a report's
    elements. With a note, the span keeps the figure whole while the note may wrap."""
    text = cell_text(value, column)
    figure, note = split_figure(text) if column.kind != "text" else (text, "")
    classes = []
    if column.kind != "text" and not isinstance(value, str):
        classes.append("num")
    if column.kind != "text" and not note:
        classes.append("figure")
    return {"text": figure, "note": note, "classes": " ".join(classes)}


def _block(block: Block, charts_as: ChartFormat = "svg",
           figures: dict[int, int] | None = None) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "style": block.style, "text": block.text}
    if isinstance(block, Table):
        laid = page_table(block)
        grid = laid.grid
        # Each row, then the lines set under it; "keep": held on its page with the next.
        rows: list[dict[str, Any]] = []
        for row, below, (keep, keep_lines) in zip(grid.rows, laid.below, kept_with_next(laid),
                                                  strict=True):
            rows.append({"keep": keep, "cells": [
                _cell(value, column) for value, column in zip(row, grid.columns, strict=True)]})
            rows += [{"keep": k, "line": line} for line, k in zip(below, keep_lines, strict=True)]
        widths = column_widths(grid, TABLE_EM, CELL_PADDING_EM)
        total = sum(widths) or 1.0
        return {
            "type": "table",
            "widths": [f"{100 * w / total:.2f}%" for w in widths],
            "caption": block.caption,
            "headers": [
                {"text": c.header, "nowrap": len(c.header) <= SHORT_HEADER}
                for c in grid.columns
            ],
            "rows": rows,
            "notes": block.notes,
        }
    if isinstance(block, Chart):
        number = (figures or {}).get(id(block))
        caption = f"图{number} {block.title}" if number else block.title
        if charts_as == "png":
            return {"type": "chart", "title": block.title, "caption": caption, "svg": "",
                    "png": charts.png_data_uri(block)}
        return {"type": "chart", "title": block.title, "caption": caption,
                "svg": charts.svg(block), "png": ""}
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    raise TypeError(f"unknown block {type(block).__name__}")


def _section(section: Section, path: tuple[int, ...], charts_as: ChartFormat,
             figures: dict[int, int]) -> dict[str, Any]:
    return {
        "level": min(len(path) + 1, 5),
        "label": heading_label(path) if section.numbered else "",
        "title": section.title,
        "new_page": section.new_page,
        "blocks": [_block(b, charts_as, figures) for b in section.blocks],
        "sections": [
            _section(c, (*path, i), charts_as, figures)
            for i, c in enumerate(section.sections, start=1)
        ],
    }


def render_html(model: Document, charts_as: ChartFormat = "png") -> str:
    """The page, charts embedded as PNG (drawn once and shared with the Word and PDF
    output; the PDF writer typesets them far faster than SVG glyph outlines), or as
    SVG with ``charts_as="svg"`` for a page that scales without blur."""
    figures = figure_numbers(model)
    context = {
        "kind": model.kind,
        "title": model.title,
        "sample": model.sample_label,
        "title_lines": title_lines(model.title, TITLE_EM),
        "header_lines": [x for x in (model.subtitle, model.issuer, model.date_line) if x],
        "blocks": [_block(b, charts_as, figures) for b in model.blocks],
        "sections": [
            _section(s, (i,), charts_as, figures) for i, s in enumerate(model.sections, start=1)
        ],
    }
    template = _environment().get_template("document.html.j2")
    return template.render(doc=context, css=_css())


def write_html(model: Document, path: Path, html: str | None = None) -> Path:
    """Write the page (``html`` if already rendered)."""
    text = html if html is not None else render_html(model)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
