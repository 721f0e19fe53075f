"""Fixtures of the report tests; the data they return lives in report_support.py."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from built_once import build_once
from report_support import make_report_data, sample_document

from planwatch.report.data import ReportData
from planwatch.report.model import Document


@pytest.fixture
def document() -> Document:
    return sample_document()


# ---------------------------------------------------------------- assessment-shaped input


@pytest.fixture(scope="session")
def report_data() -> ReportData:
    return make_report_data()


@pytest.fixture(scope="session")
def pdf_pages(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], list[str]]:
    """``pdf_pages(path)``: each page's text as printed (``pdftotext -layout``), blank pages
    left out; read once per run for a file however many tests and xdist workers ask. The demo's
    annual reports are read by test_report_demo_outputs and test_report_annual_readback, each
    about 0.4 s of poppler's CPU."""

    def read(path: Path) -> str:
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout

    def pages(path: Path) -> list[str]:
        key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
        _, text = build_once(tmp_path_factory, f"pdftotext-{key}", lambda _folder: read(path))
        return [page for page in text.split("\f") if page.strip()]

    return pages
