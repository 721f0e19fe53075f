"""Fixtures of the report tests; the data they return lives in report_support.py."""

from __future__ import annotations

import pytest
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

