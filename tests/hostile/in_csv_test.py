"""Hostile and careless CSV files: refused cleanly at their place, or read right."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from in_support import (
    CSV_HEADER,
    Catalogue,
    assert_refused,
    cat,
    csv_rows,
    run,
    stored,
    write_csv,
)

from planwatch.collect.importer import import_files

__all__ = ["cat"]

F = "in.csv"
# In csv_rows() the W01-04 total (人均预期寿命, 80.5) is the 5th data line, i.e. line 6.
W0104_LINE = 6


def with_value(value: str) -> list[str]:
    lines = csv_rows()
    parts = lines[W0104_LINE - 2].split(",")
    parts[5] = value
    lines[W0104_LINE - 2] = ",".join(parts)
    return [CSV_HEADER, *lines]


@pytest.mark.parametrize("year", ["inf", "2023.9", "-inf", "nan", "1e400", "二〇二三", "20 23"])
def test_year_that_is_not_a_whole_year(cat: Catalogue, tmp_path: Path, year: str) -> None:
    path = write_csv(tmp_path / F, [CSV_HEADER, *csv_rows(year)])
    assert_refused(cat, run(cat, path), "invalid-year", (F, None, 2, "年度"))


@pytest.mark.parametrize(("typed", "code"), [
    ('"12,5"', "ambiguous-separator"),
    ('"1.234,5"', "ambiguous-separator"),
    ("1e300", "number-too-large"),
    ("1e13", "number-too-large"),
    ("inf", "non-numeric"),
    ("1_000", "non-numeric"),
])
def test_numbers_never_misread(cat: Catalogue, tmp_path: Path, typed: str, code: str) -> None:
    path = write_csv(tmp_path / F, with_value(typed))
    assert_refused(cat, run(cat, path), code, (F, None, W0104_LINE, "本年数值"))


def test_second_value_column(cat: Catalogue, tmp_path: Path) -> None:
    lines = [CSV_HEADER + ",本年数值", *(line + ",1" for line in csv_rows())]
    assert_refused(cat, run(cat, write_csv(tmp_path / F, lines)), "duplicate-column", (F, None, 1, "本年数值"))


def test_unknown_column(cat: Catalogue, tmp_path: Path) -> None:
    lines = [CSV_HEADER + ",上年数值", *(line + ",1" for line in csv_rows())]
    assert_refused(cat, run(cat, write_csv(tmp_path / F, lines)), "unknown-column", (F, None, 1, "上年数值"))


def test_ten_megabyte_field(cat: Catalogue, tmp_path: Path) -> None:
    lines = [CSV_HEADER, *csv_rows()]
    lines[3] = lines[3] + '"' + "x" * 10_000_000 + '"'
    result = run(cat, write_csv(tmp_path / F, lines))
    assert_refused(cat, result, "cell-too-long")
    assert all(len(p.message) < 300 for p in result.report.problems)


def test_long_note(cat: Catalogue, tmp_path: Path) -> None:
    lines = [CSV_HEADER, *csv_rows()]
    lines[3] = lines[3] + "说" * 5000
    assert_refused(cat, run(cat, write_csv(tmp_path / F, lines)), "cell-too-long", (F, None, 4, "备注"))


def test_cr_only_line_endings_are_read(cat: Catalogue, tmp_path: Path) -> None:
    """Excel for Mac's “CSV (Macintosh)” ends lines with CR alone."""
    path = write_csv(tmp_path / F, [CSV_HEADER, *csv_rows()], newline="\r")
    result = run(cat, path)
    assert result.accepted, result.report.problems
    assert result.observations == 9


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_chinese_excel_encodings_are_read(cat: Catalogue, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / F, [CSV_HEADER, *csv_rows()], newline="\r\n", encoding=encoding)
    assert run(cat, path).accepted


def test_random_bytes(cat: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / F
    path.write_bytes(os.urandom(100_000))
    assert_refused(cat, run(cat, path), "unreadable-file", (F, None, None, None))


def test_nul_in_a_line(cat: Catalogue, tmp_path: Path) -> None:
    lines = [CSV_HEADER, *csv_rows()]
    lines[2] = lines[2].replace("卫生", "卫\x00生")
    result = run(cat, write_csv(tmp_path / F, lines))
    assert not result.accepted and stored(cat) == 0


def test_utf16_export(cat: Catalogue, tmp_path: Path) -> None:
    path = write_csv(tmp_path / F, [CSV_HEADER, *csv_rows()], encoding="utf-16")
    result = run(cat, path)
    assert not result.accepted and stored(cat) == 0
    assert result.report.problems


def test_empty_and_header_only(cat: Catalogue, tmp_path: Path) -> None:
    assert_refused(cat, run(cat, write_csv(tmp_path / F, [])), "empty-file")
    assert_refused(cat, run(cat, write_csv(tmp_path / "h.csv", [CSV_HEADER])), "empty-file")


def test_rows_over_the_cap_are_not_read(cat: Catalogue, tmp_path: Path) -> None:
    """200,000 duplicate rows took 190 s and printed 200,000 lines; now refused at the cap."""
    line = csv_rows()[0]
    path = write_csv(tmp_path / F, [CSV_HEADER, *([line] * 200_000)])
    result = run(cat, path)
    assert_refused(cat, result, "too-many-rows", (F, None, 20_002, None))
    shown = result.to_dict()
    assert len(shown["errors"]) + len(shown["warnings"]) <= 50


def test_thousands_of_problems_are_counted_but_not_all_listed(cat: Catalogue, tmp_path: Path) -> None:
    line = csv_rows()[0]
    path = write_csv(tmp_path / F, [CSV_HEADER, *([line] * 3_000)])
    result = run(cat, path)
    assert_refused(cat, result, "duplicate-row")
    report = result.report
    assert len(report.errors) >= 2_999
    listed = report.to_dict()
    assert len(listed["errors"]) == 50 and listed["omitted"] == len(report.problems) - 50
    assert listed["stats"]["errors"] == len(report.errors)
    assert report.table_rows()[-1][3].startswith(f"另有 {len(report.problems) - 50} 个问题")


def test_a_batch_with_one_bad_file_stores_nothing(cat: Catalogue, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [CSV_HEADER, *csv_rows()])
    bad = write_csv(tmp_path / "bad.csv", with_value('"12,5"'))
    result = import_files(cat.factory, [good, bad], "hostile")
    assert [(f.accepted, f.held) for f in result.files] == [(False, True), (False, False)]
    assert stored(cat) == 0
    partial = import_files(cat.factory, [good, bad], "hostile", partial=True)
    assert [f.accepted for f in partial.files] == [True, False]
    assert stored(cat) == 1
