"""PDF from the HTML rendering, typeset by WeasyPrint.

WeasyPrint installs from PyPI and needs only Pango from the system (Debian
``libpango-1.0-0 libpangoft2-1.0-0``), which is far lighter than LibreOffice; it honours the
stylesheet's @page rules (A4, official-document margins, page numbers) and embeds the CJK
fonts it uses, so the PDF reads the same everywhere.
"""

from __future__ import annotations

import functools
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


# Rules of WeasyPrint's user-agent stylesheet for pseudo-elements no report has: list
# markers (the reports have no list items) and footnotes and notes (nothing is floated
# into one). They match every element, so WeasyPrint works out six styles more for each
# element of the page, most of the cascade's cost.
UNUSED_UA_RULES = ("::marker ", "::footnote-", "::note-")


def without_unused_ua_rules(css: str) -> str:
    """The user-agent stylesheet less the one-line rules of ``UNUSED_UA_RULES``."""
    return "\n".join(line for line in css.splitlines()
                     if not line.lstrip().startswith(UNUSED_UA_RULES))


@functools.cache
def _html_class() -> Any:
    """WeasyPrint's ``HTML`` with the user-agent stylesheet less ``UNUSED_UA_RULES``: the
    five demo PDFs then take an eighth less time, and their pages are the same to the pixel.

    WeasyPrint (pinned in pyproject.toml) picks the stylesheet in ``HTML._ua_stylesheets``;
    should a release move it or the files it is built from, the unchanged ``HTML`` is
    used, which writes the same pages, only slower. Built once per process: parsing the
    stylesheet takes longer than the cascade time it saves on a short document."""
    weasyprint = _weasyprint()
    try:
        from weasyprint.html import UA_COUNTER_STYLE, UA_FORM_STYLESHEET

        ua = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text("utf-8")
    except (ImportError, OSError):
        return weasyprint.HTML
    if not hasattr(weasyprint.HTML, "_ua_stylesheets"):
        return weasyprint.HTML
    sheet = weasyprint.CSS(string=without_unused_ua_rules(ua), counter_style=UA_COUNTER_STYLE)
    base: Any = weasyprint.HTML

    class ReportHTML(base):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet, UA_FORM_STYLESHEET] if forms else [sheet]

    return ReportHTML


def pdf_bytes(model: Document, html: str | None = None) -> bytes:
    text = html if html is not None else render_html(model)
    data: bytes = _html_class()(string=text).write_pdf()
    return data


def write_pdf(model: Document, path: Path, html: str | None = None) -> Path:
    data = pdf_bytes(model, html)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
