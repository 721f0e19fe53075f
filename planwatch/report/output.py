"""Writing one report model in the formats asked for."""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from planwatch.errors import PlanwatchError
from planwatch.report.model import Document

FORMATS = ("docx", "pdf", "html", "xlsx")


class FormatError(PlanwatchError, ValueError):
    """An output format planwatch cannot write."""

    code = "report.format"


def parse_formats(text: str | Iterable[str]) -> list[str]:
    """``"docx,pdf"`` → ``["docx", "pdf"]``, refusing unknown names (no silent skipping)."""
    items = text.split(",") if isinstance(text, str) else list(text)
    formats: list[str] = []
    for item in items:
        name = item.strip().lower().lstrip(".")
        if not name:
            continue
        if name not in FORMATS:
            raise FormatError(
                f"未知的输出格式 unknown format: {name!r}（可选 choose from: {', '.join(FORMATS)}）"
            )
        if name not in formats:
            formats.append(name)
    if not formats:
        raise FormatError("未指定输出格式 no output format given")
    return formats


def safe_stem(text: str) -> str:
    """A file name from a title: keeps Chinese, drops characters file systems reject."""
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._")
    return stem[:120] or "report"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while one document is written.

    The writers (WeasyPrint above all) make a million short-lived objects per document,
    few of them in cycles; with the collector on, every object that survived the last
    collection (the whole process's, in a test run or the web application) was walked
    again some dozen times per document (3 of the demo set's 22 CPU seconds). The
    document's own cycles (about a fifth of its peak memory) are collected once it is
    written instead; a second writer thread finding the collector off leaves turning it
    back on to the first."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def write_document(model: Document, out_dir: Path, formats: Iterable[str],
                   stem: str | None = None) -> list[Path]:
    """Write ``model`` as ``out_dir/stem.<format>`` for each format; returns the paths."""
    with collector_paused():
        return _write_formats(model, out_dir, formats, safe_stem(stem or model.title))


def _write_formats(model: Document, out_dir: Path, formats: Iterable[str],
                   name: str) -> list[Path]:
    written: list[Path] = []
    html: str | None = None
    # Each writer is imported when its format is asked for: a process writing Word files
    # only does not load matplotlib and WeasyPrint (a second of a report worker's start).
    for fmt in parse_formats(list(formats)):
        path = out_dir / f"{name}.{fmt}"
        if fmt == "docx":
            from planwatch.report.docx_writer import write_docx

            written.append(write_docx(model, path))
        elif fmt == "xlsx":
            from planwatch.report.xlsx_writer import write_xlsx

            written.append(write_xlsx(model, path))
        else:
            from planwatch.report.html_writer import render_html, write_html
            from planwatch.report.pdf_writer import write_pdf

            html = html or render_html(model)
            if fmt == "html":
                written.append(write_html(model, path, html))
            else:
                written.append(write_pdf(model, path, html))
    return written
