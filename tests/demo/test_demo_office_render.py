"""The demo's annual report as the office sees it: the Word file opened in LibreOffice
(as WPS users often see it) against the WeasyPrint PDF of the same report.

One document is converted (市中区, women's plan, 2024): LibreOffice takes seconds per file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from planwatch.demo import DemoSummary
from planwatch.report.builders import build_annual
from planwatch.report.docx_writer import TABLE_PT
from planwatch.report.model import Document
from planwatch.report.output import safe_stem
from planwatch.report.workspace_data import load_report_data
from planwatch.store.workspace import open_workspace

YEAR = 2024
PLAN = "济南市市中区“十四五”妇女发展规划"
AREA = "370103"
STATUSES = ("已实现", "基本实现", "预计可实现", "预计达标困难", "逆向变化", "数据不足")

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
needs_office = pytest.mark.skipif(
    LIBREOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice（Debian libreoffice-writer-nogui）或 pdftotext 未安装："
           "bash scripts/setup.sh 以 root 运行时会安装 / LibreOffice or poppler missing",
)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def annual(demo: DemoSummary) -> Document:
    with open_workspace(demo.path) as ws:
        data = load_report_data(ws, YEAR)
    return build_annual(data, PLAN, AREA)


@pytest.fixture(scope="module")
def rendered(annual: Document, demo_reports: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report as docx, as LibreOffice's PDF of that docx, and as WeasyPrint's PDF.

    The docx and the WeasyPrint PDF are the demo's standard set's files for this plan and area
    (the same document through the same writers), written once per run for every test that
    reads reports back; only LibreOffice's conversion is this module's own.
    """
    if LIBREOFFICE is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext missing")
    out = tmp_path_factory.mktemp("office")
    written = {p.name: p for p in demo_reports}
    stem = safe_stem(annual.title)
    docx_path, weasy = written[f"{stem}.docx"], written[f"{stem}.pdf"]
    profile = out / "lo-profile"  # a private profile: parallel runs do not share a lock
    subprocess.run(
        [LIBREOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out / "lo"), str(docx_path)],
        capture_output=True, text=True, check=True, timeout=300,
    )
    return {"docx": docx_path, "office": out / "lo" / f"{stem}.pdf", "weasy": weasy}


@pytest.fixture(scope="module")
def office_pages(rendered: dict[str, Path], pdf_pages: Callable[[Path], list[str]]) -> list[str]:
    """LibreOffice's PDF as text, page by page, read once for the tests that search it."""
    return pdf_pages(rendered["office"])


@needs_office
def test_libreoffice_page_count_close_to_the_pdf(rendered: dict[str, Path]) -> None:
    office, weasy = _pages(rendered["office"]), _pages(rendered["weasy"])
    assert abs(office - weasy) <= 0.1 * weasy, (office, weasy)


@needs_office
def test_no_column_narrower_than_four_characters(rendered: dict[str, Path]) -> None:
    d = docx.Document(str(rendered["docx"]))
    four_chars = 4 * TABLE_PT * 20  # twips
    assert d.tables
    for i, table in enumerate(d.tables, start=1):
        tbl = table._tbl
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed", i
        grid = [int(g.get(qn("w:w"))) for g in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert min(grid) >= four_chars, (i, grid)


@needs_office
def test_header_cells_stay_on_one_line_in_libreoffice(rendered: dict[str, Path],
                                                      office_pages: list[str]) -> None:
    """Every table's header row appears in LibreOffice's PDF as one printed line holding
    all its cells in order (a wrapped cell, "预计达/标困难", would leave a fragment)."""
    d = docx.Document(str(rendered["docx"]))
    lines = [re.sub(r"\s+", " ", ln).strip()
             for page in office_pages for ln in page.splitlines()]
    # pdftotext puts a space between a figure and a Chinese character ("2024 年").
    squeeze = [re.sub(r"(?<=\d) (?=年)", "", ln) for ln in lines]
    headers_seen = set()
    for table in d.tables:
        headers = [c.text for c in table.rows[0].cells]
        pattern = r"(^| )" + r" +".join(re.escape(h) for h in headers) + r"( |$)"
        assert any(re.search(pattern, ln) for ln in squeeze), headers
        headers_seen.update(headers)
    assert set(STATUSES) <= headers_seen  # the status table was among them


@needs_office
def test_figures_not_split_in_libreoffice(rendered: dict[str, Path],
                                         office_pages: list[str]) -> None:
    """Every figure of the indicator tables (74.54, 64.41 …) is printed whole."""
    d = docx.Document(str(rendered["docx"]))
    text = "\n".join(office_pages)
    figures: dict[str, int] = {}
    for table in d.tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                first = cell.text.split("\n")[0]
                if re.fullmatch(r"-?\d+\.\d{2}", first):
                    figures[first] = figures.get(first, 0) + 1
    assert len(figures) > 20
    for figure, count in figures.items():
        assert len(re.findall(rf"(?<![\d.]){re.escape(figure)}(?![\d])", text)) >= count, figure


@needs_office
def test_weasyprint_keeps_title_and_captions_whole(rendered: dict[str, Path],
                                                  pdf_pages: Callable[[Path], list[str]]) -> None:
    pages = pdf_pages(rendered["weasy"])
    # the demo's 示例数据 mark (page header, line above the title) comes first
    first = [ln.strip() for ln in pages[0].splitlines() if ln.strip() and "示例数据" not in ln]
    assert first[0].replace(" ", "") == "济南市市中区“十四五”妇女发展规划"
    assert first[1].replace(" ", "") == "2024年度监测报告"
    for n, page in enumerate(pages, start=1):
        body = [ln.strip() for ln in page.splitlines() if ln.strip()]
        body = [ln for ln in body if not re.fullmatch(r"—\s*\d+\s*—", ln)]
        # A table caption is never the last line of a page (its table on the next one).
        assert not (body and re.match(r"表\s*\d+", body[-1])), (n, body[-1])


def test_demo_years_awaiting_approval_are_known(demo: DemoSummary) -> None:
    """The demo leaves some 2024 submissions 已报送/已审核: their figures are pending."""
    with open_workspace(demo.path) as ws:
        data = load_report_data(ws, YEAR)
    assert data.pending.height > 0
    for code, area, _ in data.pending.iter_rows():
        for year in data.pending_years(code, area):
            assert year not in data.series(code, area)
    assert any(data.pending_years(c, a) == [YEAR] for c, a, _ in data.pending.iter_rows())
