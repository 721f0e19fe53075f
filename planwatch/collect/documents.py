"""Each unit's yearly written report (规划落实情况和下一年工作安排), attached and searchable.

The file is stored whole (bytes and checksum) next to its extracted text, attached to the
unit's latest submission for the year when there is one. Search is a plain substring
match over the extracted text: the corpus is tens of documents a year per district, so an
index would add machinery without adding anything a reader would notice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.history import latest_submissions
from planwatch.collect.locks import lock_unit
from planwatch.errors import PlanwatchError
from planwatch.store.models import AuditEvent, SubmissionDocument, Unit, utcnow

MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".md": "text/markdown",
}
SNIPPET_CHARS = 40


class DocumentError(PlanwatchError, ValueError):
    """The document cannot be read; nothing was stored."""

    code = "collect.document"


class DocumentLocked(DocumentError):
    """The unit's figures for the year are approved and locked; its report is locked with them."""

    code = "collect.document_locked"


def extract_text(filename: str, content: bytes) -> str:
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".docx":
            from docx import Document

            doc = Document(io.BytesIO(content))
            parts = [p.text for p in doc.paragraphs]
            for table in doc.tables:
                for row in table.rows:
                    parts.append("\t".join(c.text for c in row.cells))
            return "\n".join(parts).replace("\x00", "").strip()
        if suffix == ".pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(content))
            return "\n".join((page.extract_text() or "") for page in reader.pages).replace("\x00", "").strip()
        if suffix in (".txt", ".md"):
            if b"\x00" in content:  # UTF-16 or a binary file; PostgreSQL text cannot hold NUL
                raise DocumentError(f"{filename}：含有 NUL 字符，不是 UTF-8/GB18030 纯文本"
                                    "（如为 UTF-16 编码，请另存为 UTF-8）")
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    return content.decode(encoding).strip()
                except UnicodeDecodeError:
                    continue
            raise DocumentError(f"{filename}：文本编码无法识别（应为 UTF-8 或 GB18030）")
    except DocumentError:
        raise
    except Exception as exc:  # the parsers raise many types for a damaged file
        raise DocumentError(f"{filename}：文件无法读取（{type(exc).__name__}: {exc}）") from exc
    raise DocumentError(
        f"{filename}：不支持的文件类型“{suffix}”，请提交 docx、pdf 或 txt unsupported type"
    )


def attach_document(
    session: Session,
    unit: Unit,
    year: int,
    path: str | Path,
    actor: str,
    *,
    at: dt.datetime | None = None,
) -> SubmissionDocument:
    """Store the file with its text, linked to the unit's latest submission of ``year``."""
    p = Path(path)
    try:
        content = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{p}：无法读取文件 cannot read ({exc})") from exc
    text = extract_text(p.name, content)
    if not text:
        raise DocumentError(f"{p.name}：没有提取到文字（扫描件请先做文字识别）no text found")
    # The report belongs to the year's figures: once they are approved it is locked with them
    # (under the unit's lock, so an approval committing meanwhile is seen), until an unlock.
    lock_unit(session.connection(), unit.id)
    latest = latest_submissions(session, area_code=unit.area_code, year=year, unit_id=unit.id)
    if latest and latest[0].state == "approved":
        raise DocumentLocked(
            f"{unit.name} {year} 年数据已审定（第 {latest[0].revision} 版），已锁定，不能再上传文档；"
            "如需更正，请联系工委办解锁 approved data is locked"
        )
    when = at or utcnow()
    doc = SubmissionDocument(
        submission_id=latest[0].id if latest else None,
        area_code=unit.area_code, unit_id=unit.id, year=year, filename=p.name,
        media_type=MEDIA_TYPES.get(p.suffix.lower(), "application/octet-stream"), text=text,
        content=content, sha256=hashlib.sha256(content).hexdigest(), created_by=actor,
        created_at=when,
    )
    session.add(doc)
    session.flush()
    session.add(AuditEvent(
        at=when, actor=actor, action="document.add", entity="submission_document",
        entity_id=str(doc.id),
        detail={"unit": unit.name, "area_code": unit.area_code, "year": year,
                "filename": p.name, "sha256": doc.sha256, "submission_id": doc.submission_id},
    ))
    session.flush()
    return doc


@dataclass
class DocumentHit:
    id: int
    unit: str
    area_code: str
    year: int
    filename: str
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _snippet(text: str, query: str) -> str:
    i = text.find(query)
    if i < 0:
        return text[: 2 * SNIPPET_CHARS].replace("\n", " ")
    start, end = max(0, i - SNIPPET_CHARS), i + len(query) + SNIPPET_CHARS
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return (prefix + text[start:end] + suffix).replace("\n", " ")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_documents(
    session: Session,
    query: str,
    *,
    year: int | None = None,
    area_code: str | None = None,
    unit_id: int | None = None,
) -> list[DocumentHit]:
    q = (
        select(SubmissionDocument, Unit.name)
        .join(Unit, Unit.id == SubmissionDocument.unit_id)
        .where(SubmissionDocument.text.like(f"%{_escape_like(query)}%", escape="\\"))
        .order_by(SubmissionDocument.year, SubmissionDocument.unit_id, SubmissionDocument.id)
    )
    if year is not None:
        q = q.where(SubmissionDocument.year == year)
    if area_code is not None:
        q = q.where(SubmissionDocument.area_code == area_code)
    if unit_id is not None:
        q = q.where(SubmissionDocument.unit_id == unit_id)
    return [
        DocumentHit(d.id, name, d.area_code, d.year, d.filename, _snippet(d.text, query))
        for d, name in session.execute(q)
    ]


def list_documents(
    session: Session, unit: Unit, year: int | None = None
) -> list[SubmissionDocument]:
    q = select(SubmissionDocument).where(SubmissionDocument.unit_id == unit.id)
    if year is not None:
        q = q.where(SubmissionDocument.year == year)
    return list(session.scalars(q.order_by(SubmissionDocument.year, SubmissionDocument.id)))
