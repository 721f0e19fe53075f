"""Getting text lines out of plan files, whatever they were saved as.

Plans reach a district office as Word files, as PDF gazettes, or as text already extracted
from either. Every format is reduced here to a list of raw lines so that the rest of the
reader deals with one shape only; line numbers in warnings refer to these lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planwatch.errors import PlanwatchError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}


class SourceError(PlanwatchError):
    """The file could not be read at all (missing, corrupt, wrong format)."""

    code = "plan.source"


def read_source_lines(path: Path) -> list[str]:
    """Return the file's text as lines, choosing the extractor by the file's suffix."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise SourceError(f"文件不存在：{path}")
    if suffix == ".docx":
        return _docx_lines(path)
    if suffix == ".pdf":
        return _pdf_lines(path)
    text = decode_text(path.read_bytes())
    if _looks_binary(text):
        raise SourceError(
            f"{path.name} 不是文本文件（含有 NUL 或大量无法解码的字节），"
            "请提供 .txt/.md（UTF-8 或 GB18030）、.docx 或 .pdf"
        )
    return text.splitlines()


BINARY_SHARE = 0.01
"""Share of undecodable bytes and control characters above which a file is not text. A
damaged UTF-8 export has a handful (reported line by line); random bytes have ~50 %."""


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:200_000]
    odd = sum(1 for ch in sample if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f\v"))
    return odd > max(3, BINARY_SHARE * len(sample))


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), or GB18030 as older office PCs save.

    A UTF-8 file with a few damaged bytes stays UTF-8: the damage becomes U+FFFD, which the
    reader reports line by line, instead of the whole file turning into GB18030 mojibake.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    damaged = data.decode("utf-8-sig", errors="replace")
    if damaged.count("\ufffd") <= max(3, len(damaged) // 1000):
        return damaged
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return damaged


def _docx_lines(path: Path) -> list[str]:
    import docx  # python-docx; imported lazily because most runs read text files
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise SourceError(f"无法读取 Word 文件 {path.name}：{exc}") from exc
    except Exception as exc:  # zipfile.BadZipFile and lxml errors have no common base
        raise SourceError(f"无法读取 Word 文件 {path.name}：{exc}") from exc
    return _body_lines(document)


def _body_lines(document: Any) -> list[str]:
    """Paragraphs and tables in the order the body holds them.

    A table is kept where it stands (an indicator table inside the plan it belongs to, a
    任务分工 table after it), one line per row with cells joined by tabs; a cell's own line
    breaks become spaces so that a row stays one line. A cell merged across columns repeats
    its text in python-docx; the repeats are dropped.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(Paragraph(child, document).text.splitlines() or [""])
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    if cell._tc is previous:
                        continue
                    previous = cell._tc
                    cells.append(" ".join(cell.text.split()))
                lines.append("\t".join(cells))
    return lines


def _pdf_lines(path: Path) -> list[str]:
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many unrelated types on damaged files
        raise SourceError(f"无法读取 PDF 文件 {path.name}：{exc}") from exc
    if not any(p.strip() for p in pages):
        raise SourceError(f"PDF 文件 {path.name} 没有文本层（可能是扫描件），请先进行文字识别")
    lines: list[str] = []
    for text in pages:
        lines.extend(text.splitlines())
        lines.append("")
    return lines
