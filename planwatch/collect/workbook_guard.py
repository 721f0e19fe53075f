"""What a workbook must pass before openpyxl parses any of it.

An .xlsx is a zip of XML files. Three hostile shapes cost a reader dearly or worse: a zip
whose members unpack to gigabytes (a 306 KB file holding a 300 MB note), members packed
at bomb-like ratios, and XML carrying a DTD — entity expansion (“billion laughs”) or
external entities. None occurs in a workbook Excel, WPS or LibreOffice writes, so all are
refused outright, measured from the zip directory and a streaming scan, before the
workbook is opened. (openpyxl also parses through defusedxml where it can; this check does
not depend on that.)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from planwatch.collect.problems import Problem, problem
from planwatch.limits import Limits

_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1 << 16
_RATIO_FLOOR = 1_000_000
"""Members smaller than this are never refused for their ratio (tiny XML packs well)."""


def workbook_problem(path: Path, limits: Limits) -> Problem | None:
    """The first reason not to open ``path`` as a workbook, or None when it may be opened."""
    f = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        return problem("unreadable-file", file=f, reason=exc.strerror or str(exc))
    if size > limits.file_bytes:
        return problem("file-too-large", file=f, what="文件大小", size=size, limit=limits.file_bytes)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            if total > limits.unpacked_bytes:
                return problem("file-too-large", file=f, what="解压后大小", size=total, limit=limits.unpacked_bytes)
            for m in members:
                if m.file_size > _RATIO_FLOOR and m.file_size > limits.unpacked_ratio * max(m.compress_size, 1):
                    return problem("unreadable-file", file=f, reason=(
                        f"压缩包成员 {m.filename} 的压缩比异常（{m.file_size}/{m.compress_size}），疑似压缩炸弹"))
            for m in members:
                if m.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, m):
                    return problem("unreadable-file", file=f, reason=(
                        f"{m.filename} 含有 DTD/实体声明，Excel 生成的文件不会有，拒绝读取"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            ValueError) as exc:
        return problem("unreadable-file", file=f, reason=f"不是有效的 Excel 工作簿（.xlsx 文件已损坏：{exc}）")
    except Exception as exc:  # zlib.error and friends have no common base worth naming
        return problem("unreadable-file", file=f, reason=f"不是有效的 Excel 工作簿（{type(exc).__name__}）")
    return None


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Stream the member and look for a DTD mark, even across chunk boundaries."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in _DTD_MARKS):
                return True
            tail = window[-16:]
    return False
