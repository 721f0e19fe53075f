"""Reading a CSV submission: one row per figure, who and when in every row.

Columns (English or Chinese headers): ``area_code``/地区代码, ``unit``/填报单位,
``year``/年度, ``indicator``/指标代码, ``breakdown``/分组 (``total`` / 合计, ``sex=female``
/ 女, ``0-5岁`` …), ``value``/本年数值, ``numerator``/分子, ``denominator``/分母,
``note``/备注; ``指标名称``/``计量单位``/``序号`` may be present for the reader's eye and are
ignored. Any other column, or a column given twice (a second 本年数值), is refused: a figure
in a column planwatch does not read would otherwise be dropped without a word.

UTF-8 (with or without BOM) or GB18030 — what Chinese Excel saves as “CSV” — and any line
ending (Excel for Mac's “CSV (Macintosh)” ends lines with CR alone). Places are reported as
(line number, header name); the header is line 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from planwatch.collect import breakdowns as bd
from planwatch.collect.cells import NotANumber, parse_number, parse_text, parse_year
from planwatch.collect.problems import problem
from planwatch.collect.rows import InputRow, ParsedFile
from planwatch.limits import DEFAULT, Limits

HEADERS: dict[str, tuple[str, ...]] = {
    "area_code": ("area_code", "地区代码", "area"),
    "unit": ("unit", "填报单位", "单位"),
    "year": ("year", "年度", "年份"),
    "indicator": ("indicator", "指标代码", "code"),
    "breakdown": ("breakdown", "分组"),
    "value": ("value", "本年数值", "数值"),
    "numerator": ("numerator", "分子"),
    "denominator": ("denominator", "分母"),
    "note": ("note", "备注"),
}
IGNORED_HEADERS = ("name", "指标名称", "计量单位", "序号")
"""Columns people add to read the file themselves; they carry no figure."""
REQUIRED = ("area_code", "unit", "year", "indicator", "value")
NUMBER_LABELS = {"value": "本年数值", "numerator": "分子", "denominator": "分母"}
TEXT_LABELS = {"area_code": "地区代码", "unit": "填报单位", "year": "年度", "indicator": "指标代码",
               "breakdown": "分组", "note": "备注"}  # fmt: skip


def decode_text(data: bytes) -> str | None:
    """A CSV file's text: UTF-8 (with or without BOM) or GB18030, as Excel and WPS save it on
    Chinese Windows; None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_csv(path: str | Path, units: dict[str, str] | None = None, limits: Limits = DEFAULT) -> ParsedFile:
    p = Path(path)
    f = p.name
    parsed = ParsedFile(path=str(p), file=f, format="csv")
    try:
        size = p.stat().st_size
        if size > limits.file_bytes:
            parsed.problems.append(problem("file-too-large", file=f, what="文件大小", size=size,
                                           limit=limits.file_bytes))
            return parsed
        text = decode_text(p.read_bytes())
    except OSError as exc:
        parsed.problems.append(problem("unreadable-file", file=f, reason=exc.strerror or str(exc)))
        return parsed
    if text is None:
        parsed.problems.append(problem(
            "unreadable-file", file=f,
            reason="不是 UTF-8 或 GB18030（GBK）编码的文本文件，请在 Excel 中另存为“CSV UTF-8”",
        ))
        return parsed
    # newline=None: CR, LF and CRLF all end a line (quoted line breaks are kept).
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        _read(reader, parsed, units or {}, limits)
    except csv.Error as exc:
        line = reader.line_num or None
        if "field larger than field limit" in str(exc):
            parsed.problems.append(problem("cell-too-long", file=f, row=line, field="单元格",
                                           length=f"超过 {csv.field_size_limit()}", limit=limits.note_chars))
        else:
            parsed.problems.append(problem("unreadable-file", file=f, row=line, reason=f"CSV 格式错误：{exc}"))
    return parsed


def _header(header: list[str], parsed: ParsedFile) -> tuple[dict[str, int], dict[str, str]] | None:
    f = parsed.file
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    known = "、".join(accepted[1] for accepted in HEADERS.values())
    for idx, name in enumerate(header):
        clean = name.strip()
        field = next((k for k, accepted in HEADERS.items() if clean.lower() in accepted), None)
        if field is None:
            if clean in IGNORED_HEADERS or (not clean and idx == len(header) - 1):
                continue
            parsed.problems.append(problem("unknown-column", file=f, row=1, column=clean or f"第{idx + 1}列",
                                           name=clean or "（空）", known=known))
        elif field in columns:
            parsed.problems.append(problem("duplicate-column", file=f, row=1, column=clean, name=clean,
                                           first=names[field]))
        else:
            columns[field] = idx
            names[field] = clean
    missing = [HEADERS[k][1] + f"({k})" for k in REQUIRED if k not in columns]
    for name in missing:
        parsed.problems.append(problem("missing-column", file=f, row=1, name=name))
    if missing or parsed.problems:
        return None
    return columns, names


def _read(rows_iter: Iterator[list[str]], parsed: ParsedFile, units: dict[str, str], limits: Limits) -> None:
    f = parsed.file
    header = next(rows_iter, None)
    if header is None or not any(h.strip() for h in header):
        parsed.problems.append(problem("empty-file", file=f))
        return
    found = _header(header, parsed)
    if found is None:
        return
    columns, names = found

    def get(values: list[str], field: str) -> str | None:
        idx = columns.get(field)
        if idx is None or idx >= len(values):
            return None
        return parse_text(values[idx])

    first_meta: dict[str, tuple[str, int]] = {}
    for line_no, values in enumerate(rows_iter, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(parsed.rows) >= limits.rows:
            parsed.problems.append(problem("too-many-rows", file=f, row=line_no, limit=limits.rows))
            return
        if _too_long(values, columns, names, parsed, line_no, limits):
            continue
        for field in ("area_code", "unit", "year"):
            value = get(values, field) or ""
            if field not in first_meta:
                first_meta[field] = (value, line_no)
            elif value != first_meta[field][0]:
                parsed.problems.append(problem(
                    "metadata-mismatch", file=f, row=line_no, column=names[field],
                    field=HEADERS[field][1], found=value, expected=first_meta[field][0],
                ))
        code = get(values, "indicator") or ""
        row = InputRow(
            file=f, sheet=None, row=line_no, indicator_code=code,
            breakdown=bd.parse(get(values, "breakdown") or ""),
            columns=names.copy(),
        )
        for field, label in NUMBER_LABELS.items():
            if field not in columns:
                continue
            try:
                setattr(row, field, parse_number(get(values, field), units.get(code), limits.magnitude))
            except NotANumber as exc:
                row.unreadable.add(field)
                parsed.problems.append(problem(
                    exc.problem, file=f, row=line_no, column=names[field], field=label,
                    text=exc.text, limit=limits.magnitude,
                ))
        row.note = get(values, "note")
        parsed.rows.append(row)

    if not parsed.rows:
        if not parsed.problems:
            parsed.problems.append(problem("empty-file", file=f))
        return
    parsed.area_code = first_meta["area_code"][0]
    parsed.unit_name = first_meta["unit"][0]
    year_text, year_line = first_meta["year"]
    parsed.header_place = (None, first_meta["unit"][1], names["unit"])
    parsed.year = parse_year(year_text)
    if parsed.year is None:
        parsed.problems.append(problem(
            "invalid-year", file=f, row=year_line, column=names["year"], year=year_text[:40]
        ))


def _too_long(
    values: list[str], columns: dict[str, int], names: dict[str, str], parsed: ParsedFile, line_no: int,
    limits: Limits,
) -> bool:
    """Report every over-long cell of a row; such a row is not read further."""
    found = False
    for field, idx in columns.items():
        if idx >= len(values):
            continue
        cap = limits.note_chars if field == "note" else limits.cell_chars
        if len(values[idx]) > cap:
            label = NUMBER_LABELS.get(field) or TEXT_LABELS[field]
            parsed.problems.append(problem("cell-too-long", file=parsed.file, row=line_no, column=names[field],
                                           field=label, length=len(values[idx]), limit=cap))
            found = True
    return found
