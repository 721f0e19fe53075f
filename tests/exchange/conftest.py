"""The demo's export, made once for the exchange tests of a module."""

from __future__ import annotations

from pathlib import Path

import pytest

import planwatch
from planwatch.demo import DemoSummary


@pytest.fixture(scope="module")
def exported(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo's approved figures as SDMX-CSV 2.0 and its structure as SDMX-ML 3.0."""
    folder = tmp_path_factory.mktemp("sdmx-export")
    data, dsd = folder / "demo.csv", folder / "dsd.xml"
    planwatch.export_data(demo.path, data, format="sdmx")
    planwatch.export_structure(demo.path, dsd)
    return data, dsd
