"""PDF from the HTML rendering, typeset by WeasyPrint.

WeasyPrint installs from PyPI and needs only Pango from the system (Debian
``libpango-1.0-0 libpangoft2-1.0-0``), which is far lighter than LibreOffice; it honours the
stylesheet's @page rules (A4, official-document margins, page numbers) and embeds the CJK
fonts it uses, so the PDF reads the same everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planwatch.errors import PlanwatchError
from planwatch.report.atomic import atomic_path
from planwatch.report.html_writer import render_html
from planwatch.report.model import Document


class PdfUnavailableError(PlanwatchError, RuntimeError):
    """WeasyPrint or the system libraries it needs are missing."""

    code = "report.pdf_unavailable"


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango shared libraries not found
        raise PdfUnavailableError(
            "无法生成 PDF：需要 WeasyPrint 及 Pango 库（Debian: sudo apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk，或运行 bash scripts/setup.sh）。"
            f" PDF output needs WeasyPrint and Pango: {exc}"
        ) from exc
    return weasyprint


def pdf_bytes(model: Document, html: str | None = None) -> bytes:
    weasyprint = _weasyprint()
    text = html if html is not None else render_html(model)
    data: bytes = weasyprint.HTML(string=text).write_pdf()
    return data


def write_pdf(model: Document, path: Path, html: str | None = None) -> Path:
    data = pdf_bytes(model, html)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
