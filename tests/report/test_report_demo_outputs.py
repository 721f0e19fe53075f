"""The demo's report folder read back from its files (docx, HTML, PDF, xlsx).

Checks what a reader of the files sees, not the report model: 示例数据（非真实统计） on the
title, every page header and in the metadata of each demo file and nowhere in a real
workspace's; no change sentence comparing two figures that print the same; the warnings
list's counts adding up and nothing addressed to the office itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import docx.document
import openpyxl
import pytest
import yaml
from built_once import demo_charts_shared
from docx.oxml.ns import qn
from report_support import docx_records
from sqlalchemy import select

from planwatch.demo import DemoSummary
from planwatch.demo.synthetic import LABEL as SYNTHETIC_LABEL
from planwatch.report.kinds import STANDARD_SET, generate
from planwatch.report.sample import SAMPLE_LABEL
from planwatch.report.workspace_data import load_report_data
from planwatch.store.models import SelfEvaluation
from planwatch.store.workspace import open_workspace

YEAR = 2024
WARNINGS_DOCX = f"{YEAR}年度规划监测预警清单.docx"
REAL_AREA = "370103"
CHANGE = re.compile(
    r"由(\d{4})年的(-?[\d.,]+)([^\d（）]*?)(降至|提高到)(\d{4})年的(-?[\d.,]+)")


@pytest.fixture(scope="module")
def demo_ws(demo: DemoSummary) -> Path:
    return demo.path


@pytest.fixture(scope="module")
def demo_files(demo_reports: list[Path]) -> list[Path]:
    return demo_reports


@pytest.fixture(scope="module")
def real_files(demo_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The same workspace without the ``demo`` section: a real workspace's reports."""
    copy = tmp_path_factory.mktemp("real") / "ws"
    shutil.copytree(demo_ws, copy)
    config = copy / "workspace.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.pop("demo")
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _strip_demo_evidence(copy)
    out = tmp_path_factory.mktemp("real-reports")
    with open_workspace(copy) as ws:
        report_data = load_report_data(ws, YEAR)
    assert not report_data.sample_label
    # Each kind of the standard set in the formats it is written in, for one district: whether a
    # file is marked is decided for the workspace, not per district (both districts: 3 s more CPU).
    with demo_charts_shared(tmp_path_factory):
        files = generate(report_data, STANDARD_SET, out, formats=["docx", "html", "xlsx"], areas=[REAL_AREA])
        return files + generate(report_data, ["warnings"], out, formats=["pdf"], areas=[REAL_AREA])


def _strip_demo_evidence(ws_path: Path) -> None:
    """The demo labels its made-up self-evaluation evidence 【示例数据，非真实统计】, and the
    任务分工表 quotes evidence as entered; a real workspace holds the units' own words."""
    with open_workspace(ws_path) as ws, ws.sessions() as session, session.begin():
        for se in session.scalars(select(SelfEvaluation)):
            se.evidence = (se.evidence or "").replace(f"【{SYNTHETIC_LABEL}】", "")


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    for s in d.sections:
        for part in (s.header, s.even_page_header, s.first_page_header):
            parts += [p.text for p in part.paragraphs]
    core = d.core_properties
    parts += [core.title or "", core.subject or "", core.keywords or "", core.category or "",
              core.comments or ""]
    return "\n".join(parts)


def _xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    parts = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    parts += [ws.oddHeader.center.text or "" for ws in wb]
    p = wb.properties
    parts += [p.title or "", p.subject or "", p.keywords or "", p.description or ""]
    return "\n".join(parts)


def _pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout


def _of(files: list[Path], suffix: str) -> list[Path]:
    found = [f for f in files if f.suffix == suffix]
    assert found, f"no {suffix} written"
    return found


def test_every_demo_docx_is_marked(demo_files: list[Path]) -> None:
    for path in _of(demo_files, ".docx"):
        d = docx.Document(str(path))
        assert d.core_properties.title.startswith(f"【{SAMPLE_LABEL}】"), path.name
        assert d.core_properties.keywords == SAMPLE_LABEL
        assert d.paragraphs[0].text == SAMPLE_LABEL  # the title page, above the title
        assert d.settings.odd_and_even_pages_header_footer
        for s in d.sections:  # odd and even pages each have their header
            assert [p.text for p in s.header.paragraphs] == [SAMPLE_LABEL], path.name
            assert [p.text for p in s.even_page_header.paragraphs] == [SAMPLE_LABEL]
            assert not s.different_first_page_header_footer


def test_every_demo_html_and_pdf_page_is_marked(demo_files: list[Path],
                                                pdf_pages: Callable[[Path], list[str]]) -> None:
    for path in _of(demo_files, ".html"):
        html = path.read_text(encoding="utf-8")
        assert re.search(rf"<title>【{SAMPLE_LABEL}】[^<]+</title>", html), path.name
        assert f'<p class="sample-label">{SAMPLE_LABEL}</p>' in html
        assert f'<meta name="keywords" content="{SAMPLE_LABEL}">' in html
    for path in _of(demo_files, ".pdf"):
        info = _pdf_info(path)
        assert f"Title:           【{SAMPLE_LABEL}】" in info, path.name
        assert f"Keywords:        {SAMPLE_LABEL}" in info
        pages = pdf_pages(path)
        assert len(pages) > 1
        unmarked = [i for i, page in enumerate(pages, start=1) if SAMPLE_LABEL not in page]
        assert not unmarked, f"{path.name}: pages {unmarked} carry no mark"


def test_every_demo_workbook_sheet_is_marked(demo_files: list[Path]) -> None:
    for path in _of(demo_files, ".xlsx"):
        wb = openpyxl.load_workbook(path)
        assert wb.properties.title.startswith(f"【{SAMPLE_LABEL}】")
        assert wb.properties.keywords == SAMPLE_LABEL
        for ws in wb:
            assert ws["A3"].value == SAMPLE_LABEL, (path.name, ws.title)
            assert ws.oddHeader.center.text == SAMPLE_LABEL


def test_a_real_workspace_is_never_marked(real_files: list[Path],
                                         pdf_pages: Callable[[Path], list[str]]) -> None:
    assert {f.suffix for f in real_files} == {".docx", ".html", ".xlsx", ".pdf"}
    for path in real_files:
        if path.suffix == ".docx":
            text = _docx_text(path)
        elif path.suffix == ".xlsx":
            text = _xlsx_text(path)
        elif path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
        else:
            text = _pdf_info(path) + "\n".join(pdf_pages(path))
        assert "示例数据" not in text, path.name
        assert "非真实统计" not in text, path.name


def test_no_change_between_figures_that_print_the_same(demo_files: list[Path]) -> None:
    seen = 0
    for path in _of(demo_files, ".docx"):
        text = _docx_text(path)
        for m in CHANGE.finditer(text):
            seen += 1
            before, after = m.group(2), m.group(6)
            assert before != after, m.group(0)
            went_up = float(after.replace(",", "")) > float(before.replace(",", ""))
            assert went_up == (m.group(4) == "提高到"), m.group(0)
        assert not re.search(r"(?<!\d)0项(指标)?(向目标方向改善|持平|出现退步)", text), path.name
        for m in re.finditer(r"(\d+)项出现退步。(?:[^。]*。)?退步的有：([^。]*)。", text):
            listed = m.group(2).count("；") + 1
            assert listed <= int(m.group(1)), m.group(0)
    assert seen > 0, "the demo's annual reports compare figures with last year"


def _warnings_doc(demo_files: list[Path]) -> docx.document.Document:
    (path,) = [f for f in demo_files if f.name == WARNINGS_DOCX]
    return docx.Document(str(path))


def test_warnings_list_counts_add_up(demo_files: list[Path]) -> None:
    d = _warnings_doc(demo_files)
    intro = next(p.text for p in d.paragraphs if p.text.startswith(f"{YEAR}年监测"))
    m = re.search(r"共有(\d+)项指标发出预警（按最主要的预警计：([^）]*)）", intro)
    assert m, intro
    total = int(m.group(1))
    by_type = {k: int(n) for k, n in re.findall(r"([^、\d]+?)(\d+)项", m.group(2))}
    assert sum(by_type.values()) == total
    # The rows of the lead units' tables: one per warned indicator.
    rows = [r for t in d.tables if [c.text for c in t.rows[0].cells][3] == "预警类型"
            for r in docx_records(t)]
    assert rows and all(r["情况说明"] for r in rows)
    unassigned = [t for t in d.tables if [c.text for c in t.rows[0].cells][-1] == "规划中的牵头单位"]
    n_unassigned_warned = sum(
        1 for t in unassigned for r in t.rows[1:] if not r.cells[3].text.startswith("数据缺失"))
    assert len(rows) + n_unassigned_warned == total
    # The summary table: each area's count is the sum of its types, the total row theirs.
    summary = d.tables[0]
    header = [c.text for c in summary.rows[0].cells]
    assert header[:2] == ["地区", "预警指标"]
    body = [[c.text for c in r.cells] for r in summary.rows[1:]]
    for r in body:
        assert int(r[1]) == sum(int(x) for x in r[2:]), r
    assert body[-1][0] == "合计" and int(body[-1][1]) == len(rows)
    assert {h: int(n) for h, n in zip(header[2:], body[-1][2:], strict=True)} == by_type
    # Each unit's sentence counts its own table's rows.
    for p in d.paragraphs:
        unit_m = re.match(r"(\S+?)牵头的(\d+)项指标发出预警", p.text)
        if unit_m:
            assert _rows_of_next_table(p._p) - 1 == int(unit_m.group(2)), p.text


def _rows_of_next_table(element: object) -> int:
    """Rows of the first table after ``element`` in the document body (its own table); a
    line set under a row, one cell across the table, is part of that row."""
    node = element.getnext()  # type: ignore[attr-defined]
    while node is not None and node.tag != qn("w:tbl"):
        node = node.getnext()
    assert node is not None
    return len([tr for tr in node.findall(qn("w:tr")) if len(tr.findall(qn("w:tc"))) > 1])


def test_warnings_list_is_addressed_to_units_of_one_district(demo_files: list[Path]) -> None:
    d = _warnings_doc(demo_files)
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert not [h for h in headings if "妇儿工委" in h or "未指定" in h]
    top = [h for h in headings if re.match(r"^[一二三四五六七八九十]+、", h)]
    assert top[:2] == ["一、市中区预警指标", "二、山亭区预警指标"]
    assert "三、催报清单" in top and "四、未明确责任单位的目标" in top
    # Under each district only that district's units: 区城乡水务局 is 山亭区's, 区水务局 市中区's.
    first, second = headings.index(top[0]), headings.index(top[1])
    shizhong = headings[first:second]
    assert any(h.endswith("区水务局") and not h.endswith("城乡水务局") for h in shizhong)
    assert not any(h.endswith("区城乡水务局") for h in shizhong)
    assert any(h.endswith("区城乡水务局") for h in headings[second:])
    # The office's own target is listed for it to assign, not sent to it.
    unassigned = next(t for t in d.tables
                      if [c.text for c in t.rows[0].cells][-1] == "规划中的牵头单位")
    assert any(r.cells[-1].text == "区妇儿工委办公室" for r in unassigned.rows[1:])
