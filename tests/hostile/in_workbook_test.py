"""Hostile and careless workbooks: each is refused cleanly, at its place, storing nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from in_support import (
    DATA_MEMBER,
    HEALTH,
    SHEET,
    Catalogue,
    assert_refused,
    cat,
    filled,
    rewrite_member,
    row_of,
    run,
    set_cells,
    stored,
)

from planwatch.collect import layout as L
from planwatch.limits import Limits

__all__ = ["cat"]

F = "filled.xlsx"


def test_corrupt_sheet_xml(cat: Catalogue, tmp_path: Path) -> None:
    path = rewrite_member(filled(cat, tmp_path), DATA_MEMBER, lambda xml: xml[: len(xml) // 2])
    assert_refused(cat, run(cat, path), "unreadable-file", (F, None, None, None))


def test_sheet_xml_replaced_by_garbage(cat: Catalogue, tmp_path: Path) -> None:
    path = rewrite_member(filled(cat, tmp_path), "xl/workbook.xml", lambda _: b"<workbook><sheets>\x00\xff")
    assert_refused(cat, run(cat, path), "unreadable-file", (F, None, None, None))


@pytest.mark.parametrize("dtd", [
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;">]>',
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
])
def test_dtd_entities_are_refused_before_parsing(cat: Catalogue, tmp_path: Path, dtd: bytes) -> None:
    def inject(xml: bytes) -> bytes:
        head, _, rest = xml.partition(b"?>")
        return head + b"?>" + dtd + rest

    for member in (DATA_MEMBER, "xl/workbook.xml", "[Content_Types].xml"):
        path = rewrite_member(filled(cat, tmp_path), member, inject)
        result = run(cat, path)
        assert_refused(cat, result, "unreadable-file", (F, None, None, None))
        assert "DTD" in result.report.problems[0].message


def test_short_metadata_row(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    set_cells(path, {"A20": "extra", "B1": None}, sheet=L.META_SHEET)
    assert_refused(cat, run(cat, path), "tampered-layout", (F, L.META_SHEET, None, None))


def test_year_changed_and_public_digest_recomputed(cat: Catalogue, tmp_path: Path) -> None:
    import json

    from openpyxl import load_workbook

    path = filled(cat, tmp_path)
    wb = load_workbook(path)
    ws = wb[L.META_SHEET]
    meta = {r[0].value: r[1].value for r in ws.iter_rows()}
    meta["rows"] = json.loads(meta["rows"])
    meta["year"] = 2022
    meta["digest"] = L.layout_digest(meta)  # the checksum anyone can compute
    for row in ws.iter_rows():
        key = row[0].value
        if key in ("year", "digest"):
            row[1].value = meta[key]
    wb.save(path)
    assert_refused(cat, run(cat, path), "tampered-layout", (F, L.META_SHEET, None, None))


@pytest.mark.parametrize(("typed", "code"), [
    ("12,5", "ambiguous-separator"),
    ("1.234,5", "ambiguous-separator"),
    ("80,00", "ambiguous-separator"),
    ("1e300", "number-too-large"),
    ("2e12", "number-too-large"),
    (1e300, "number-too-large"),
    ("inf", "non-numeric"),
    ("nan", "non-numeric"),
    ("1_000", "non-numeric"),
    ("0x50", "non-numeric"),
    (True, "non-numeric"),
    ("８０,５", "ambiguous-separator"),
])
def test_numbers_never_misread(cat: Catalogue, tmp_path: Path, typed: object, code: str) -> None:
    path = filled(cat, tmp_path)
    row = row_of(path, "W01-04")
    set_cells(path, {f"I{row}": typed})
    assert_refused(cat, run(cat, path), code, (F, SHEET, row, "I"))


@pytest.mark.parametrize(("typed", "value"), [("80.5", 80.5), ("８０.５", 80.5), ("1,080.5", 1080.5)])
def test_numbers_read_by_the_documented_rule(cat: Catalogue, tmp_path: Path, typed: str, value: float) -> None:
    path = filled(cat, tmp_path)
    row = row_of(path, "W01-04")
    set_cells(path, {f"I{row}": typed})
    result = run(cat, path, limits=None)
    if value > 110:  # 1,080.5 is read right, and then is beyond 寿命's limits (40–110)
        assert_refused(cat, result, "value-out-of-range", (F, SHEET, row, "I"))
    else:
        assert result.accepted, result.report.problems


def test_second_value_column(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    row = row_of(path, "W01-04")
    set_cells(path, {f"M{L.HEADER_ROW}": "本年数值", f"M{row}": 81.0})
    assert_refused(cat, run(cat, path), "tampered-layout", (F, SHEET, L.HEADER_ROW, "M"))


def test_note_over_the_cap(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    row = row_of(path, "W01-04")
    set_cells(path, {f"L{row}": "说明" * 1500})
    assert_refused(cat, run(cat, path), "cell-too-long", (F, SHEET, row, "L"))


def huge_note(path: Path, text: str) -> Path:
    """A note cell written straight into the sheet XML (openpyxl itself stops at 32,767 chars)."""
    cell = f'<row r="13"><c r="L13" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData>'
    return rewrite_member(path, DATA_MEMBER, lambda xml: xml.replace(b"</sheetData>", cell.encode(), 1))


def test_note_that_unpacks_past_the_cap(cat: Catalogue, tmp_path: Path) -> None:
    """The 306 KB workbook holding 300 MB of note, scaled down: refused from the zip directory."""
    path = huge_note(filled(cat, tmp_path), "备注" * 1_000_000)
    assert path.stat().st_size < 200_000
    result = run(cat, path, limits=Limits(unpacked_bytes=5_000_000))
    assert_refused(cat, result, "file-too-large", (F, None, None, None))


def test_member_packed_like_a_bomb(cat: Catalogue, tmp_path: Path) -> None:
    path = huge_note(filled(cat, tmp_path), "a" * 4_000_000)
    assert_refused(cat, run(cat, path), "unreadable-file", (F, None, None, None))


def test_file_over_the_size_cap(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    assert_refused(cat, run(cat, path, limits=Limits(file_bytes=1_000)), "file-too-large", (F, None, None, None))


def test_rows_over_the_cap(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    assert_refused(cat, run(cat, path, limits=Limits(rows=3)), "too-many-rows", (F, SHEET, None, None))


def test_a_million_rows_of_padding_are_not_read(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    set_cells(path, {"A1048576": "x"})
    result = run(cat, path)
    assert_refused(cat, result, "too-many-rows", (F, SHEET, None, None))


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04" + b"\x00" * 100, os.urandom(4096)])
def test_not_a_workbook(cat: Catalogue, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert_refused(cat, run(cat, path), "unreadable-file", ("x.xlsx", None, None, None))


def test_truncated_workbook(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    assert_refused(cat, run(cat, path), "unreadable-file", (F, None, None, None))


def test_workbook_of_another_unit_stays_whole(cat: Catalogue, tmp_path: Path) -> None:
    """Sanity: the untouched template is accepted, so the refusals above are the edits'."""
    path = filled(cat, tmp_path)
    assert run(cat, path).accepted
    assert stored(cat) == 1 and HEALTH
