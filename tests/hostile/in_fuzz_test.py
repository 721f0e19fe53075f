"""Fuzzing the workbook and CSV readers: refused with problems (or a PlanwatchError) or
accepted — never any other exception.

Bounded so it stays fast: a few dozen examples per reader, no deadline (the machine is
shared). Every example runs the whole check of one file — reading, the catalogue checks
and every validation rule — against the collection tests' small catalogue, without
storing anything.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from in_support import CSV_HEADER, Catalogue, cat, csv_rows, filled

from planwatch.collect.importer import CheckedFile, check_file
from planwatch.collect.workbook import read_workbook
from planwatch.errors import PlanwatchError

__all__ = ["cat"]

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TOKENS = st.sampled_from([
    "", "0", "-1", "12,5", "1,234.5", "1.234,5", "1e300", "-1e999", "inf", "nan", "NaN", "１２.５",
    "85%", "85‰", "2023", "2023.9", "合计", "女", "sex=female", "W01-01", "C01-01", "370103",
    "区卫生健康局", '"', '""', ",", "\r", "\n", "\x00", "=HYPERLINK(\"x\")", "—", "/", " ", "\t",
    "9" * 400, "∞", "0x10", "1_0", "+", ".", "e5",
])
FIELD = st.one_of(TOKENS, st.text(max_size=30), st.lists(TOKENS, max_size=4).map("".join))


def checked(cat: Catalogue, path: Path) -> CheckedFile | None:
    """Check one file; a PlanwatchError is an acceptable refusal, anything else fails."""
    with cat.factory() as s:
        try:
            result = check_file(s, path)
        except PlanwatchError:
            return None
    assert result.report.valid or result.report.errors
    return result


@pytest.mark.slow
@given(rows=st.lists(st.lists(FIELD, min_size=0, max_size=11), max_size=12),
       keep_good=st.booleans(), encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig", "utf-16"]),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
@settings(FUZZ)
def test_csv_reader(cat: Catalogue, tmp_path_factory: object, rows: list[list[str]], keep_good: bool,
                    encoding: str, newline: str) -> None:
    lines = [CSV_HEADER, *(csv_rows() if keep_good else []), *(",".join(r) for r in rows)]
    path = Path(str(tmp_path_factory.mktemp("csv"))) / "fuzz.csv"  # type: ignore[attr-defined]
    try:
        data = newline.join(lines).encode(encoding)
    except UnicodeEncodeError:
        data = newline.join(lines).encode("utf-8", errors="surrogatepass")
    path.write_bytes(data)
    checked(cat, path)


@given(data=st.binary(max_size=3000))
@settings(FUZZ)
def test_csv_reader_on_bytes(cat: Catalogue, tmp_path_factory: object, data: bytes) -> None:
    path = Path(str(tmp_path_factory.mktemp("csvb"))) / "fuzz.csv"  # type: ignore[attr-defined]
    path.write_bytes(CSV_HEADER.encode() + b"\n" + data)
    checked(cat, path)


_TEMPLATE: dict[int, bytes] = {}


def template_bytes(cat: Catalogue, folder: Path) -> bytes:
    """One filled template per test database (each has its own template key), reused as the
    seed of every workbook mutation of that test."""
    key = id(cat.factory)
    if key not in _TEMPLATE:
        path = filled(cat, folder)
        assert check_file_ok(cat, path)
        _TEMPLATE[key] = path.read_bytes()
    return _TEMPLATE[key]


def check_file_ok(cat: Catalogue, path: Path) -> bool:
    with cat.factory() as s:
        return check_file(s, path).report.valid


CELL = st.one_of(FIELD, st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.booleans(),
                 st.none())


@pytest.mark.slow
@given(cells=st.dictionaries(st.sampled_from([f"{c}{r}" for c in "ABFIJKLM" for r in (1, 3, 4, 5, 12, 13, 40)]),
                             CELL, max_size=6))
@settings(FUZZ)
def test_workbook_reader_on_edited_cells(cat: Catalogue, tmp_path_factory: object, cells: dict[str, object]) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    from planwatch.collect import layout as L

    folder = Path(str(tmp_path_factory.mktemp("wb")))  # type: ignore[attr-defined]
    wb = load_workbook(io.BytesIO(template_bytes(cat, folder)))
    for ref, value in cells.items():
        try:
            wb[L.DATA_SHEET][ref] = value
        except (ValueError, TypeError, AttributeError, IllegalCharacterError):  # openpyxl's own refusals
            continue
    path = folder / "fuzz.xlsx"
    wb.save(path)
    checked(cat, path)


@given(member=st.sampled_from(["xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/workbook.xml",
                               "[Content_Types].xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels"]),
       at=st.floats(min_value=0, max_value=1), cut=st.integers(min_value=0, max_value=200),
       insert=st.binary(max_size=60) | TOKENS.map(str.encode))
@settings(FUZZ)
# openpyxl says so when a damaged relationship part names no valid target, and reads on.
@pytest.mark.filterwarnings("ignore:.*contains invalid dependency definitions:UserWarning")
def test_workbook_reader_on_damaged_xml(cat: Catalogue, tmp_path_factory: object, member: str, at: float,
                                        cut: int, insert: bytes) -> None:
    folder = Path(str(tmp_path_factory.mktemp("wbx")))  # type: ignore[attr-defined]
    source = zipfile.ZipFile(io.BytesIO(template_bytes(cat, folder)))
    path = folder / "fuzz.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                i = int(at * len(data))
                data = data[:i] + insert + data[i + cut:]
            out.writestr(info.filename, data)
    checked(cat, path)


@given(data=st.binary(min_size=0, max_size=2000), at=st.floats(min_value=0, max_value=1))
@settings(FUZZ)
def test_workbook_reader_on_damaged_zip(cat: Catalogue, tmp_path_factory: object, data: bytes, at: float) -> None:
    folder = Path(str(tmp_path_factory.mktemp("wbz")))  # type: ignore[attr-defined]
    good = template_bytes(cat, folder)
    i = int(at * len(good))
    path = folder / "fuzz.xlsx"
    path.write_bytes(good[:i] + data + good[i + len(data):])
    checked(cat, path)
    parsed = read_workbook(path)  # without the key: the reader alone
    assert parsed.problems or parsed.rows
