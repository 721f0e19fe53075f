"""Self-contained HTML: inline CSS, charts as inline SVG, nothing fetched from elsewhere.

The page is meant to be mailed or archived as one file and to print like the Word
document (the stylesheet's @page rules also drive the PDF writer).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jinja2

from planwatch.report import charts
from planwatch.report.atomic import atomic_path
from planwatch.report.formatting import cell_text
from planwatch.report.model import Block, Chart, Document, PageBreak, Paragraph, Section, Table
from planwatch.report.numbering import heading_label


def _environment() -> jinja2.Environment:
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


def _block(block: Block, charts_as: ChartFormat = "svg") -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "style": block.style, "text": block.text}
    if isinstance(block, Table):
        rows = [
            [
                {
                    "text": cell_text(value, column),
                    "numeric": column.kind != "text" and not isinstance(value, str),
                }
                for value, column in zip(row, block.columns, strict=True)
            ]
            for row in block.rows
        ]
        weights = [c.weight for c in block.columns]
        total = sum(weights)
        return {
            "type": "table",
            "widths": [f"{100 * w / total:.1f}%" for w in weights],
            "caption": block.caption,
            "headers": [c.header for c in block.columns],
            "rows": rows,
            "notes": block.notes,
        }
    if isinstance(block, Chart):
        if charts_as == "png":
            return {"type": "chart", "title": block.title, "svg": "",
                    "png": charts.png_data_uri(block)}
        return {"type": "chart", "title": block.title, "svg": charts.svg(block), "png": ""}
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    raise TypeError(f"unknown block {type(block).__name__}")


def _section(section: Section, path: tuple[int, ...], charts_as: ChartFormat) -> dict[str, Any]:
    return {
        "level": min(len(path) + 1, 5),
        "label": heading_label(path),
        "title": section.title,
        "new_page": section.new_page,
        "blocks": [_block(b, charts_as) for b in section.blocks],
        "sections": [
            _section(c, (*path, i), charts_as) for i, c in enumerate(section.sections, start=1)
        ],
    }


def render_html(model: Document, charts_as: ChartFormat = "png") -> str:
    """The page, charts embedded as PNG (drawn once and shared with the Word and PDF
    output; the PDF writer typesets them far faster than SVG glyph outlines), or as
    SVG with ``charts_as="svg"`` for a page that scales without blur."""
    context = {
        "kind": model.kind,
        "title": model.title,
        "sample": model.sample_label,
        "header_lines": [x for x in (model.subtitle, model.issuer, model.date_line) if x],
        "blocks": [_block(b, charts_as) for b in model.blocks],
        "sections": [_section(s, (i,), charts_as) for i, s in enumerate(model.sections, start=1)],
    }
    template = _environment().get_template("document.html.j2")
    return template.render(doc=context, css=_css())


def write_html(model: Document, path: Path, html: str | None = None) -> Path:
    """Write the page (``html`` if already rendered)."""
    text = html if html is not None else render_html(model)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
