"""The demo's annual reports read back from their files (docx, PDF, HTML) as the office
would read them: no placeholder, no setting name or program name, no English word outside
the few proper names and units Chinese reports print as they are, the 示例数据 mark, the
draft mark on the drafted parts, and a 达标率 that is the counts printed beside it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from planwatch.assess.config import AssessConfig
from planwatch.report.sample import SAMPLE_LABEL
from planwatch.report.sentences import DRAFT, TODO

YEAR = 2024
ALLOWED_WORDS = frozenset({"HPV"})
"""ASCII words a Chinese report prints as they are: 人乳头瘤病毒 (HPV) in the plans' own
indicator name. Anything else in Latin letters is a setting, a program or an untranslated
label."""
PROGRAM_NAMES = ("planwatch", "sdg-build", "opensdg", "Open SDG", "DNS", "UN 2023")
WORD = re.compile(r"[A-Za-z]{2,}")
ATTAINMENT = re.compile(r"(\d+)项指标中(\d+)项达标，达标率(\d+\.\d{2})%")


@pytest.fixture(scope="module")
def annual_files(demo_reports: list[Path]) -> list[Path]:
    """The annual reports of the demo's standard set, in docx, PDF and HTML."""
    files = [p for p in demo_reports if "年度监测报告" in p.name and p.suffix in (".docx", ".pdf", ".html")]
    assert len(files) == 12, [p.name for p in demo_reports]  # 2 areas × 2 plans × 3 formats
    return files


class _Text(HTMLParser):
    """The page's visible text (the title included), not its style sheet or markup."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    for s in d.sections:
        for part in (s.header, s.even_page_header, s.first_page_header, s.footer):
            parts += [p.text for p in part.paragraphs]
    core = d.core_properties
    parts += [core.title or "", core.subject or "", core.author or "", core.category or ""]
    return "\n".join(parts)


def _html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def annual_texts(annual_files: list[Path], pdf_pages: Callable[[Path], list[str]]) -> dict[Path, str]:
    """Each annual file's text, read once for the module's tests (docx parsed, PDF through
    pdftotext as test_report_demo_outputs reads it, HTML's visible text): reading the twelve
    files takes about two seconds."""
    read: dict[str, Callable[[Path], str]] = {
        ".docx": _docx_text, ".html": _html_text, ".pdf": lambda path: "\f".join(pdf_pages(path))}
    found = {f: read[f.suffix](f) for f in annual_files}
    assert {f.suffix for f in found} == set(read), "docx, PDF and HTML written"
    assert len(found) == 12, "four annual reports (two plans, two districts) in three formats"
    return found


def test_no_placeholder_and_a_marked_draft(annual_texts: dict[Path, str]) -> None:
    for path, text in annual_texts.items():
        flat = re.sub(r"\s+", "", text)
        assert TODO not in flat, path.name
        assert "待统计人员补充" not in flat, path.name
        assert flat.count(DRAFT) >= 2, f"{path.name}: 存在问题 and 对策建议 marked as drafts"
        assert "存在问题及原因" in flat and "对策建议" in flat and "监测指标完成情况" in flat


def test_no_setting_name_program_name_or_english_word(annual_texts: dict[Path, str]) -> None:
    keys = [f.name for f in dataclasses.fields(AssessConfig)]
    assert "trend_window_years" in keys
    for path, text in annual_texts.items():
        for key in keys:
            assert key not in text, f"{path.name}: setting {key}"
        for name in PROGRAM_NAMES:
            assert name not in text, f"{path.name}: {name}"
        words = set(WORD.findall(text)) - ALLOWED_WORDS
        assert not words, f"{path.name}: English words {sorted(words)}"


def test_every_demo_annual_says_sample_data(annual_texts: dict[Path, str]) -> None:
    for path, text in annual_texts.items():
        assert SAMPLE_LABEL in re.sub(r"\s+", "", text), path.name


def test_attainment_rate_is_its_counts(annual_texts: dict[Path, str]) -> None:
    for path, text in annual_texts.items():
        flat = re.sub(r"\s+", "", text)
        found = ATTAINMENT.findall(flat)
        assert found, f"{path.name}: no “N项指标中M项达标，达标率xx.xx%”"
        for n, m, rate in found:
            want = (Decimal(int(m)) * 100 / Decimal(int(n))).quantize(
                Decimal("0.01"), ROUND_HALF_UP)
            assert rate == str(want), f"{path.name}: {n}项中{m}项 printed as {rate}%"
        # The plan's sentence: its counts are the appendix table's 是 and 是 + 否.
        if path.suffix == ".docx":
            d = docx.Document(str(path))
            table = next(t for t in d.tables if t.rows[0].cells[-1].text == "是否达标")
            verdicts = [r.cells[-1].text for r in table.rows[1:]]
            total = re.search(r"全规划纳入监测的指标共(\d+)项，可监测(\d+)项。", flat)
            assert total is not None
            n, m, _ = found[0]
            assert int(total.group(1)) == len(verdicts)
            assert int(n) == verdicts.count("是") + verdicts.count("否")
            assert int(m) == verdicts.count("是")
