"""Issue 11 item 1, reports: a plan whose unit, indicator, domain or target names start with
``=``, ``+``, ``-`` or ``@``, and a self-evaluation whose evidence is ``=HYPERLINK(…)``, give
report workbooks of every kind with those texts as text cells — no formula anywhere."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from out_support import scan  # first: puts report_support on the path
from report_support import make_report_data

from planwatch.report.data import ReportData
from planwatch.report.kinds import KINDS, jobs
from planwatch.report.xlsx_writer import write_xlsx

EVIDENCE = '=HYPERLINK("http://evil.example/x","详见附件")'
TRIGGER = {"indicator_name": "=", "lead_unit": "@", "unit": "@", "domain": "-", "target_text": "+"}
"""Column → the prefix its texts get, in every frame (so the frames still agree)."""


def hostile(data: ReportData) -> ReportData:
    def poison(frame: pl.DataFrame) -> pl.DataFrame:
        exprs = [(pl.lit(prefix) + pl.col(c)).alias(c) for c, prefix in TRIGGER.items()
                 if c in frame.columns and frame.schema[c] == pl.String]
        return frame.with_columns(exprs) if exprs else frame

    data.result = poison(data.result)
    data.target_units = poison(data.target_units)
    data.reporters = poison(data.reporters)
    data.self_evaluations = poison(data.self_evaluations).with_columns(evidence=pl.lit(EVIDENCE))
    return data


def test_every_report_kind_writes_hostile_names_as_text(tmp_path: Path) -> None:
    data = hostile(make_report_data())
    written: list[Path] = []
    for kind in KINDS:
        for i, job in enumerate(jobs(data, kind, preview=True)):
            written.append(write_xlsx(job.build(), tmp_path / f"{kind}-{i}.xlsx"))
    kinds = {p.name.split("-")[0] for p in written}
    assert kinds == set(KINDS), kinds  # six kinds of report workbook
    looking = {EVIDENCE, "=孕产妇死亡率", "@区卫生健康局"}
    found = scan(written, looking)
    assert found.formulas == []
    assert found.texts.get(EVIDENCE) == ("s", True), "the evidence reached no workbook"
    assert found.texts.get("@区卫生健康局") == ("s", True)
    hostile_cells = sum(1 for p in written for _ in _formula_like_texts(p))
    assert hostile_cells >= 20, hostile_cells


def _formula_like_texts(path: Path) -> list[str]:
    from openpyxl import load_workbook

    out = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    assert c.data_type == "s" and c.quotePrefix, (path.name, c.coordinate, c.value)
                    out.append(c.value)
    return out


def test_the_count_of_neutralised_cells(tmp_path: Path) -> None:
    """The figure for the closing note: how many hostile cells the six workbooks held."""
    data = hostile(make_report_data())
    paths = [write_xlsx(job.build(), tmp_path / f"{kind}-{i}.xlsx")
             for kind in KINDS for i, job in enumerate(jobs(data, kind, preview=True))]
    counts = {p.name: len(_formula_like_texts(p)) for p in paths}
    print(f"\n{len(paths)} workbooks, {sum(counts.values())} formula-like text cells, all text:", counts)
    assert all(counts.values()), counts
