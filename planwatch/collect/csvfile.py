"""Reading a CSV submission: one row per figure, who and when in every row.

Columns (English or Chinese headers): ``area_code``/地区代码, ``unit``/填报单位,
``year``/年度, ``indicator``/指标代码, ``breakdown``/分组 (``total`` / 合计, ``sex=female``
/ 女, ``0-5岁`` …), ``value``/本年数值, ``numerator``/分子, ``denominator``/分母,
``note``/备注. Places are reported as (line number, header name); the header is line 1.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from planwatch.collect import breakdowns as bd
from planwatch.collect.cells import NotANumber, parse_number, parse_text
from planwatch.collect.problems import problem
from planwatch.collect.rows import InputRow, ParsedFile

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
REQUIRED = ("area_code", "unit", "year", "indicator", "value")
NUMBER_LABELS = {"value": "本年数值", "numerator": "分子", "denominator": "分母"}


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data, 0, 1, "neither UTF-8 nor GB18030")


def read_csv(path: str | Path, units: dict[str, str] | None = None) -> ParsedFile:
    p = Path(path)
    f = p.name
    parsed = ParsedFile(path=str(p), file=f, format="csv")
    try:
        text = _decode(p.read_bytes())
    except (OSError, UnicodeDecodeError) as exc:
        parsed.problems.append(problem("unreadable-file", file=f, reason=str(exc)))
        return parsed
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        parsed.problems.append(problem("empty-file", file=f))
        return parsed
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    for idx, name in enumerate(header):
        clean = name.strip()
        for field, accepted in HEADERS.items():
            if clean.lower() in accepted and field not in columns:
                columns[field] = idx
                names[field] = clean
    missing = [HEADERS[k][1] + f"({k})" for k in REQUIRED if k not in columns]
    for name in missing:
        parsed.problems.append(problem("missing-column", file=f, row=1, name=name))
    if missing:
        return parsed

    def get(values: list[str], field: str) -> str | None:
        idx = columns.get(field)
        if idx is None or idx >= len(values):
            return None
        return parse_text(values[idx])

    first_meta: dict[str, tuple[str, int]] = {}
    for line_no, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
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
                setattr(row, field, parse_number(get(values, field), (units or {}).get(code)))
            except NotANumber as exc:
                row.unreadable.add(field)
                parsed.problems.append(problem(
                    "non-numeric", file=f, row=line_no, column=names[field], field=label,
                    text=exc.text,
                ))
        row.note = get(values, "note")
        parsed.rows.append(row)

    if not parsed.rows:
        parsed.problems.append(problem("empty-file", file=f))
        return parsed
    parsed.area_code = first_meta["area_code"][0]
    parsed.unit_name = first_meta["unit"][0]
    year_text, year_line = first_meta["year"]
    parsed.header_place = (None, first_meta["unit"][1], names["unit"])
    try:
        parsed.year = int(float(year_text))
    except ValueError:
        parsed.problems.append(problem(
            "invalid-year", file=f, row=year_line, column=names["year"], year=year_text
        ))
    return parsed
