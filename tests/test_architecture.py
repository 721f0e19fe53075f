"""The layering the issue asks for, checked on the source: the CLI calls only the API; the
core never reaches up into the CLI; the pure layers never pull in the database; and the
command line starts without the report stack."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import planwatch

PACKAGE = Path(planwatch.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "planwatch":
                found.update(f"planwatch.{alias.name}" for alias in node.names)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_cli_modules_import_only_the_api_errors_and_their_own_helpers() -> None:
    # planwatch.web is the other interface: ``serve`` starts it and ``user`` administers its
    # accounts on the server; it is not core, so the CLI may reach it.
    allowed = ("planwatch.api", "planwatch.errors", "planwatch.cli", "planwatch.web")
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in _modules("cli")
        for name in _imports(path)
        if (name == "planwatch" or name.startswith("planwatch."))
        and name != "planwatch"
        and not any(name == a or name.startswith(a + ".") for a in allowed)
    }
    assert sorted(offenders) == []


def test_nothing_in_the_core_imports_the_cli() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in PACKAGE.rglob("*.py")
        if "cli" not in path.relative_to(PACKAGE).parts
        for name in _imports(path)
        if name == "planwatch.cli" or name.startswith("planwatch.cli.")
    ]
    assert offenders == []


PURE = {
    "plan": [p for p in _modules("plan")],
    "assess engine": [p for p in _modules("assess") if p.name not in ("inputs.py", "run.py")],
    "report builders": _modules("report/builders"),
}
"""The layers that compute without a database: the reader, the assessment engine (its
input reader ``inputs`` and the ``run`` over a workspace excepted) and the report builders."""


def _dotted(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@pytest.mark.parametrize("layer", sorted(PURE))
def test_pure_layers_never_load_sqlalchemy(layer: str) -> None:
    """Imported together in a fresh interpreter, no module of the layer loads SQLAlchemy,
    directly or through anything it imports."""
    names = [_dotted(p) for p in PURE[layer]]
    assert names, layer
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'sqlalchemy' in sys.modules:\n"
        "        print(name); break\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{out.stdout.strip()} loads SQLAlchemy"


def test_the_command_line_starts_without_the_heavy_layers() -> None:
    """``planwatch --help`` and every command that writes no report must not pay for the
    report stack, the database or the data frames before the command runs."""
    heavy = ["matplotlib", "weasyprint", "docx", "openpyxl", "polars", "sqlalchemy", "alembic", "jinja2"]
    code = (
        "import sys\n"
        "import planwatch.cli.main\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_exports_the_api() -> None:
    from planwatch import api

    assert sorted(set(planwatch.__all__) - {"__version__"}) == sorted(api.__all__)
    for name in api.__all__:
        assert getattr(planwatch, name) is getattr(api, name)
    with pytest.raises(AttributeError):
        _ = planwatch.no_such_name  # type: ignore[attr-defined]


def test_no_api_name_is_shadowed_by_a_submodule() -> None:
    """Once ``planwatch.assess`` (the package) is imported, the attribute is the package:
    an API function of that name would work only until then."""
    import pkgutil

    from planwatch import api

    submodules = {info.name for info in pkgutil.iter_modules(planwatch.__path__)}
    assert submodules & set(api.__all__) == set()
