"""Every validation rule, broken by a small workbook (or CSV), found at its exact place."""

from __future__ import annotations

import json
from pathlib import Path

from collect_support import EDUCATION, GOOD_HEALTH, HEALTH, Catalogue, filled, make_template, stored_state
from openpyxl import load_workbook
from sqlalchemy import func, select

from planwatch.collect import layout as L
from planwatch.collect.fill import Figure, fill_template
from planwatch.collect.importer import import_files
from planwatch.collect.problems import Problem
from planwatch.collect.template_key import template_key
from planwatch.collect.workflow import approve, review, submit
from planwatch.store.models import Submission

SHEET = L.DATA_SHEET


def rows_of(path: Path) -> dict[tuple[str, str], int]:
    """(code, breakdown) → sheet row, read from the template's hidden layout."""
    wb = load_workbook(path)
    meta = {r[0].value: r[1].value for r in wb[L.META_SHEET].iter_rows()}
    return {(c, b): L.FIRST_DATA_ROW + i for i, (c, b) in enumerate(json.loads(meta["rows"]))}


def figures(**changes: Figure) -> dict[tuple[str, str], Figure]:
    """GOOD_HEALTH with some totals replaced; ``W01_04=`` means indicator W01-04."""
    out = dict(GOOD_HEALTH)
    for k, fig in changes.items():
        out[(k.replace("_", "-", 1), "total")] = fig
    return out


def run(cat: Catalogue, path: Path) -> list[Problem]:
    result = import_files(cat.factory, [path], "测试员")
    return result.files[0].report.problems


def find(problems: list[Problem], code: str) -> Problem:
    hits = [p for p in problems if p.code == code]
    assert hits, f"{code} not in {[p.code for p in problems]}"
    return hits[0]


def place(p: Problem) -> tuple[str | None, str | None, int | None, str | None]:
    return (p.file, p.sheet, p.row, p.column)


def approved_year(cat: Catalogue, tmp_path: Path, year: int, figs: dict, unit: str = HEALTH) -> None:
    path = filled(cat, tmp_path, figs, unit=unit, year=year, name=f"{unit}-{year}.xlsx")
    result = import_files(cat.factory, [path], "测试员")
    assert result.accepted, result.files[0].report.to_dict()
    sub_id = result.files[0].submission_id
    assert sub_id is not None
    with cat.factory() as s, s.begin():
        submit(s, sub_id, "卫健局")
        review(s, sub_id, "统计局")
        approve(s, sub_id, "妇儿工委办公室")


def test_layout_rows_are_where_the_template_says(cat: Catalogue, tmp_path: Path) -> None:
    rows = rows_of(make_template(cat, HEALTH, 2023, tmp_path))
    # indicators in code order, total first, then each dimension's categories
    assert rows[("C01-01", "total")] == 4
    assert rows[("C01-01", "sex=female")] == 5
    assert rows[("W01-02", "residence=rural")] == 11
    assert rows[("W01-04", "total")] == 12


def test_good_workbook_has_no_problems(cat: Catalogue, tmp_path: Path) -> None:
    assert run(cat, filled(cat, tmp_path)) == []


def test_non_numeric(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path, figures(W01_04=Figure("八十")))
    p = find(run(cat, path), "non-numeric")
    assert place(p) == ("filled.xlsx", SHEET, 12, "I")
    assert "八十" in p.message


def test_rate_out_of_range(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path, figures(W01_02=Figure(120.0)))
    p = find(run(cat, path), "rate-out-of-range")
    assert place(p) == ("filled.xlsx", SHEET, 9, "I")


def test_negative_rate_is_out_of_range(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path, figures(C02_01=Figure(-1.0)))
    assert place(find(run(cat, path), "rate-out-of-range")) == ("filled.xlsx", SHEET, 7, "I")


def test_value_out_of_range(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path, figures(W01_04=Figure(150.0)))
    assert place(find(run(cat, path), "value-out-of-range")) == ("filled.xlsx", SHEET, 12, "I")


def _limit(cat: Catalogue, code: str, lower: float | None, upper: float | None) -> None:
    from planwatch.store.models import Indicator

    with cat.factory() as s, s.begin():
        indicator = s.get(Indicator, cat.indicators[code])
        assert indicator is not None
        indicator.lower_limit, indicator.upper_limit = lower, upper


def test_a_rate_from_counts_is_held_to_the_range(cat: Catalogue, tmp_path: Path) -> None:
    """6 deaths in 10 000 births is 60/10万, as implausible against a range of 0–50 as a typed 60."""
    _limit(cat, "W01-01", 0.0, 50.0)
    problems = run(cat, filled(cat, tmp_path, figures(W01_01=Figure(None, 6, 10000))))
    p = find(problems, "computed-value-out-of-range")
    assert place(p) == ("filled.xlsx", SHEET, 8, "J")  # the numerator, where the clerk typed
    assert p.severity == "error"
    assert p.message == "由分子 6、分母 10000 算得 60/10万，超出该指标允许范围 0–50"
    assert "value-out-of-range" not in [q.code for q in problems]


def test_swapped_counts_of_a_rate_per_10_wan_are_refused(cat: Catalogue, tmp_path: Path) -> None:
    """Births in the deaths column: 1 200 000/10万 from 12 and 10 passes no proportion check (a rate
    per 10万 counts events, so its numerator may exceed its denominator), but it leaves the range."""
    _limit(cat, "W01-01", 0.0, 100_000.0)  # the natural range the catalogue gives a rate per 10万
    problems = run(cat, filled(cat, tmp_path, figures(W01_01=Figure(None, 12, 10))))
    assert place(find(problems, "computed-value-out-of-range")) == ("filled.xlsx", SHEET, 8, "J")


def test_counts_a_proportion_check_refuses_are_not_refused_twice(cat: Catalogue, tmp_path: Path) -> None:
    _limit(cat, "C02-01", 0.0, 100.0)
    problems = run(cat, filled(cat, tmp_path, figures(C02_01=Figure(None, 1200, 1000))))
    assert [p.code for p in problems if p.severity == "error"] == ["numerator-exceeds-denominator"]


def test_numerator_exceeds_denominator(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path, figures(C02_01=Figure(95.0, 1200, 1000)))
    p = find(run(cat, path), "numerator-exceeds-denominator")
    assert place(p) == ("filled.xlsx", SHEET, 7, "J")


def test_rate_inconsistent(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path, figures(W01_01=Figure(20.0, 1, 11111)))
    p = find(run(cat, path), "rate-inconsistent")
    assert place(p) == ("filled.xlsx", SHEET, 8, "I")
    assert "9" in p.message  # the computed rate is shown


def test_zero_denominator_and_incomplete_rate(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path, figures(W01_01=Figure(9.0, 1, 0), C02_01=Figure(95.0, 950)))
    problems = run(cat, path)
    assert place(find(problems, "zero-denominator")) == ("filled.xlsx", SHEET, 8, "K")
    assert place(find(problems, "rate-incomplete")) == ("filled.xlsx", SHEET, 7, "J")


def test_breakdown_sum_mismatch_for_rate_counts(cat: Catalogue, tmp_path: Path) -> None:
    figs = figures()
    figs[("W01-02", "residence=rural")] = Figure(75.0, 300, 400)  # 510 + 300 ≠ 800
    p = find(run(cat, filled(cat, tmp_path, figs)), "breakdown-sum-mismatch")
    assert place(p) == ("filled.xlsx", SHEET, 9, "J")


def test_breakdown_sum_mismatch_for_counts(cat: Catalogue, tmp_path: Path) -> None:
    figs = {
        ("W01-03", "total"): Figure(100),
        ("W01-03", "residence=urban"): Figure(70),
        ("W01-03", "residence=rural"): Figure(20),
        ("C02-01", "total"): Figure(95.0, 950, 1000),
    }
    path = filled(cat, tmp_path, figs, unit=EDUCATION)
    p = find(run(cat, path), "breakdown-sum-mismatch")
    # education's template: C02-01 on row 4, W01-03 total on row 5
    assert place(p) == ("filled.xlsx", SHEET, 5, "I")


def test_total_rate_outside_its_breakdowns(cat: Catalogue, tmp_path: Path) -> None:
    figs = figures()
    figs[("C01-01", "total")] = Figure(5.0)
    figs[("C01-01", "sex=female")] = Figure(3.0)
    figs[("C01-01", "sex=male")] = Figure(4.0)
    p = find(run(cat, filled(cat, tmp_path, figs)), "breakdown-outside-total")
    assert place(p) == ("filled.xlsx", SHEET, 4, "I")


def test_negative_count(cat: Catalogue, tmp_path: Path) -> None:
    figs = {("W01-03", "total"): Figure(-5), ("C02-01", "total"): Figure(95.0, 950, 1000)}
    path = filled(cat, tmp_path, figs, unit=EDUCATION)
    assert place(find(run(cat, path), "negative-value")) == ("filled.xlsx", SHEET, 5, "I")


def test_missing_required(cat: Catalogue, tmp_path: Path) -> None:
    figs = figures()
    del figs[("W01-04", "total")]
    p = find(run(cat, filled(cat, tmp_path, figs)), "missing-required")
    assert place(p) == ("filled.xlsx", SHEET, 12, "I")
    assert "W01-04" in p.message


def test_missing_value_with_a_reason_is_a_warning(cat: Catalogue, tmp_path: Path) -> None:
    figs = figures(W01_04=Figure(note="人口普查年份才有数据"))
    result = import_files(cat.factory, [filled(cat, tmp_path, figs)], "测试员")
    assert result.accepted
    p = find(result.files[0].report.problems, "value-not-reported")
    assert p.severity == "warning"
    assert place(p) == ("filled.xlsx", SHEET, 12, "L")


def test_rate_without_counts_is_a_warning(cat: Catalogue, tmp_path: Path) -> None:
    result = import_files(cat.factory, [filled(cat, tmp_path, figures(C02_01=Figure(95.0)))], "t")
    assert result.accepted
    p = find(result.files[0].report.problems, "rate-without-counts")
    assert (p.severity, p.row, p.column) == ("warning", 7, "J")


def test_suspect_unit_scale(cat: Catalogue, tmp_path: Path) -> None:
    history = tmp_path / "h"
    history.mkdir()
    approved_year(cat, history, 2022, GOOD_HEALTH)
    # 婴儿死亡率 is in ‰ and was 3.5; 0.0035 is the same figure written as a fraction
    figs = figures()
    figs[("C01-01", "total")] = Figure(0.0035)
    figs[("C01-01", "sex=female")] = Figure(0.003)
    figs[("C01-01", "sex=male")] = Figure(0.004)
    p = find(run(cat, filled(cat, tmp_path, figs)), "suspect-unit-scale")
    assert place(p) == ("filled.xlsx", SHEET, 4, "I")
    assert "1/1000" in p.message


def test_year_on_year_jump_is_a_warning_stored_with_the_data(
    cat: Catalogue, tmp_path: Path
) -> None:
    for year, value in ((2020, 80.0), (2021, 80.2), (2022, 80.4)):
        d = tmp_path / str(year)
        d.mkdir()
        approved_year(cat, d, year, figures(W01_04=Figure(value)))
    result = import_files(cat.factory, [filled(cat, tmp_path, figures(W01_04=Figure(84.0)))], "t")
    assert result.accepted
    p = find(result.files[0].report.problems, "year-on-year-jump")
    assert p.severity == "warning"
    assert place(p) == ("filled.xlsx", SHEET, 12, "I")
    from planwatch.collect.submissions import resolve_submission, submission_detail

    with cat.factory() as s:
        sub = resolve_submission(s, submission_id=result.files[0].submission_id)
        detail = submission_detail(s, sub)
    assert [q["code"] for q in detail.problems] == ["year-on-year-jump"]
    flagged = [o for o in detail.observations if o["indicator"] == "W01-04"]
    assert flagged[0]["flags"] == ["year-on-year-jump"]


def test_small_steady_change_is_not_a_jump(cat: Catalogue, tmp_path: Path) -> None:
    for year, value in ((2021, 80.2), (2022, 80.4)):
        d = tmp_path / str(year)
        d.mkdir()
        approved_year(cat, d, year, figures(W01_04=Figure(value)))
    problems = run(cat, filled(cat, tmp_path, figures(W01_04=Figure(80.7))))
    assert "year-on-year-jump" not in [p.code for p in problems]


def test_suspect_unit_scale_of_a_rate_entered_as_counts(cat: Catalogue, tmp_path: Path) -> None:
    """分母 typed in 万人 instead of 人: the rate the counts give is 10 000× its history."""
    history = tmp_path / "h"
    history.mkdir()
    approved_year(cat, history, 2022, GOOD_HEALTH)  # 孕产妇死亡率 9.0/10万 (1 of 11 111)
    p = find(run(cat, filled(cat, tmp_path, figures(W01_01=Figure(None, 1, 1.1111)))),
             "suspect-unit-scale")
    assert (p.severity, place(p)) == ("error", ("filled.xlsx", SHEET, 8, "J"))
    assert p.message.startswith("填报值 90000.9") and "10000 倍" in p.message and "/10万" in p.message


def test_year_on_year_jump_of_a_rate_entered_as_counts(cat: Catalogue, tmp_path: Path) -> None:
    """A rate given only as 分子/分母 is judged like the same rate typed as a value."""
    for year in (2020, 2021, 2022):
        d = tmp_path / str(year)
        d.mkdir()
        approved_year(cat, d, year, GOOD_HEALTH)  # 孕产妇死亡率 9.0/10万 every year
    typed = tmp_path / "typed"
    typed.mkdir()
    by_value = find(run(cat, filled(cat, typed, figures(W01_01=Figure(27.0, 3, 11111)))),
                    "year-on-year-jump")
    by_counts = find(run(cat, filled(cat, tmp_path, figures(W01_01=Figure(None, 3, 11111)))),
                     "year-on-year-jump")
    assert (by_counts.severity, place(by_counts)) == ("warning", ("filled.xlsx", SHEET, 8, "J"))
    assert place(by_value) == ("filled.xlsx", SHEET, 8, "I")
    shared = "较上年（2022 年 9）变化 +18"
    assert by_value.message.startswith(shared) and by_counts.message.startswith(shared)


def test_steady_rate_entered_as_counts_is_not_flagged(cat: Catalogue, tmp_path: Path) -> None:
    for year in (2021, 2022):
        d = tmp_path / str(year)
        d.mkdir()
        approved_year(cat, d, year, GOOD_HEALTH)
    problems = run(cat, filled(cat, tmp_path, figures(W01_01=Figure(None, 1, 11111))))
    assert not {"year-on-year-jump", "suspect-unit-scale"} & {p.code for p in problems}


def test_conflicting_report_between_units(cat: Catalogue, tmp_path: Path) -> None:
    assert import_files(cat.factory, [filled(cat, tmp_path)], "卫健局").accepted
    figs = {("W01-03", "total"): Figure(100), ("C02-01", "total"): Figure(93.0, 930, 1000)}
    path = filled(cat, tmp_path, figs, unit=EDUCATION, name="edu.xlsx")
    result = import_files(cat.factory, [path], "教体局")
    assert result.accepted  # a warning: both figures are kept
    p = find(result.files[0].report.problems, "conflicting-report")
    assert place(p) == ("edu.xlsx", SHEET, 4, "I")
    assert HEALTH in p.message
    from planwatch.collect.conflicts import find_conflicts

    with cat.factory() as s:
        conflicts = find_conflicts(s, year=2023)
    assert [(c.indicator, sorted(u for u, _, _ in c.reports)) for c in conflicts] == [
        ("C02-01", sorted([HEALTH, EDUCATION]))
    ]


def test_submission_locked_after_approval(cat: Catalogue, tmp_path: Path) -> None:
    approved_year(cat, tmp_path, 2023, GOOD_HEALTH)
    before = stored_state(cat)
    assert before == ([(1, "approved")], {"1": 80.5}, 1)
    problems = run(cat, filled(cat, tmp_path, figures(W01_04=Figure(99.0)), name="again.xlsx"))
    p = find(problems, "submission-locked")
    assert p.file == "again.xlsx"
    assert stored_state(cat) == before  # no revision, no audit row, the approved value kept


# --------------------------------------------------------------------------- layout


def forge_meta(path: Path, key: bytes | None, **changes: object) -> None:
    """Edit the hidden metadata and recompute its checksum: with the workspace's key, a
    template from elsewhere (the importer's deeper checks must still catch it); without
    it, a forgery the digest itself refuses."""
    wb = load_workbook(path)
    ws = wb[L.META_SHEET]
    meta = {r[0].value: r[1].value for r in ws.iter_rows()}
    meta["rows"] = json.loads(meta["rows"])
    meta.update(changes)
    meta["digest"] = L.layout_digest(meta, key)
    for i, (k, v) in enumerate(meta.items(), start=1):
        ws.cell(i, 1, k)
        ws.cell(i, 2, json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v)
    wb.save(path)


def test_wrong_sheet(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    wb = load_workbook(path)
    wb[L.DATA_SHEET].title = "Sheet1"
    wb.save(path)
    p = find(run(cat, path), "wrong-sheet")
    assert place(p) == ("filled.xlsx", None, None, None)
    assert "Sheet1" in p.message


def test_tampered_code_cell(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    wb = load_workbook(path)
    wb[L.DATA_SHEET]["B8"] = "W01-02"
    wb.save(path)
    assert place(find(run(cat, path), "tampered-layout")) == ("filled.xlsx", SHEET, 8, "B")


def test_tampered_inserted_row(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    wb = load_workbook(path)
    wb[L.DATA_SHEET].insert_rows(6)
    wb.save(path)
    p = find(run(cat, path), "tampered-layout")
    assert (p.sheet, p.row, p.column) == (SHEET, 6, "B")


def test_tampered_header(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    wb = load_workbook(path)
    wb[L.DATA_SHEET]["I3"] = "数值"
    wb.save(path)
    assert place(find(run(cat, path), "tampered-layout")) == ("filled.xlsx", SHEET, 3, "I")


def test_tampered_metadata(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    wb = load_workbook(path)
    ws = wb[L.META_SHEET]
    for row in ws.iter_rows():
        if row[0].value == "year":
            row[1].value = 2024
    wb.save(path)
    p = find(run(cat, path), "tampered-layout")
    assert (p.file, p.sheet) == ("filled.xlsx", L.META_SHEET)


def test_year_changed_with_a_recomputed_public_digest_is_refused(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    forge_meta(path, None, year=2022)  # the digest anyone can compute: no key
    problems = run(cat, path)
    assert [(p.code, p.sheet) for p in problems] == [("tampered-layout", L.META_SHEET)]
    with cat.factory() as s:
        assert s.scalar(select(func.count()).select_from(Submission)) == 0


def key_of(cat: Catalogue) -> bytes:
    with cat.factory() as s:
        return template_key(s)


def test_rows_added_below_the_template(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    wb = load_workbook(path)
    wb[L.DATA_SHEET]["B14"] = "W09-09"
    wb.save(path)
    assert place(find(run(cat, path), "tampered-layout")) == ("filled.xlsx", SHEET, 14, "A")


def test_unknown_unit(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    forge_meta(path, key_of(cat), unit_name="区不存在局", unit_id=9999)
    p = find(run(cat, path), "unknown-unit")
    assert place(p) == ("filled.xlsx", SHEET, L.INFO_ROW, "A")


def test_unknown_indicator_in_a_forged_template(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    wb = load_workbook(path)
    wb[L.DATA_SHEET]["B12"] = "W09-99"
    wb.save(path)
    wb = load_workbook(path)
    layout = json.loads(next(r[1].value for r in wb[L.META_SHEET].iter_rows()
                             if r[0].value == "rows"))
    layout[-1] = ["W09-99", "total"]
    forge_meta(path, key_of(cat), rows=layout)
    problems = run(cat, path)
    assert place(find(problems, "unknown-indicator")) == ("filled.xlsx", SHEET, 12, "B")
    assert place(find(problems, "missing-required")) == ("filled.xlsx", SHEET, None, None)


def test_unreadable_and_unsupported_files(cat: Catalogue, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    other = tmp_path / "data.ods"
    other.write_bytes(b"x")
    result = import_files(cat.factory, [broken, other], "t")
    assert [f.report.problems[0].code for f in result.files] == [
        "unreadable-file", "unsupported-format"
    ]
    assert not result.accepted


def test_fill_refuses_rows_the_template_lacks(cat: Catalogue, tmp_path: Path) -> None:
    tpl = make_template(cat, EDUCATION, 2023, tmp_path)
    try:
        fill_template(tpl, {("W01-01", "total"): Figure(1.0)})
    except KeyError as exc:
        assert "W01-01" in str(exc)
    else:
        raise AssertionError("expected KeyError")


def test_every_problem_kind_has_a_chinese_name() -> None:
    """Pages show the kind of a problem in Chinese beside its stable id."""
    from planwatch.collect.problems import PROBLEM_LABELS, PROBLEM_TYPES

    assert set(PROBLEM_LABELS) == set(PROBLEM_TYPES)
    assert all(label and not label.isascii() for label in PROBLEM_LABELS.values())
