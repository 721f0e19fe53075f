"""The exchange layer sits above the core: it uses store, collect and assess; none of them uses it."""

from __future__ import annotations

import ast
from pathlib import Path

import planwatch

PACKAGE = Path(planwatch.__file__).resolve().parent
CORE = ("plan", "store", "collect", "assess", "report", "demo")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_nothing_in_the_core_imports_the_exchange_layer() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for layer in CORE for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in _imports(path) if name == "planwatch.exchange" or name.startswith("planwatch.exchange.")
    ]
    assert offenders == []


def test_the_exchange_layer_reaches_no_interface() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in sorted((PACKAGE / "exchange").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[:2] in (["planwatch", "cli"], ["planwatch", "web"], ["planwatch", "api"])
    ]
    assert offenders == []
