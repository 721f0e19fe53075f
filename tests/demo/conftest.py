"""One demo workspace for the whole demo test directory: building it is the slow part."""

from __future__ import annotations

import pytest

from planwatch.demo import DemoSummary, build_demo


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return build_demo(tmp_path_factory.mktemp("demo") / "ws")
