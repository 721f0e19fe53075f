"""``planwatch.api`` is a package by area whose public names are imported on first use.

The names and ``__all__`` are those of the single module it replaced (tests/test_api.py and
the README use them unchanged); these tests keep the table of where each name lives equal to
``__all__`` and check that importing the package, or using one area, loads nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import planwatch.api as api


def _fresh(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_every_public_name_has_one_source_and_resolves_to_it() -> None:
    listed = [name for names in api._SOURCES.values() for name in names]
    assert sorted(listed) == sorted(api.__all__)
    assert len(set(listed)) == len(listed)
    for module, names in api._SOURCES.items():
        source = importlib.import_module(module)
        for name in names:
            assert getattr(api, name) is getattr(source, name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_function"):
        _ = api.no_such_function


def test_importing_the_api_loads_none_of_its_areas() -> None:
    loaded = _fresh(
        "import sys, planwatch.api\n"
        "print(sorted(m for m in sys.modules if m.startswith('planwatch.') and m != 'planwatch.api'))"
    )
    assert loaded == "[]"


def test_one_area_loads_only_its_own_module() -> None:
    loaded = _fresh(
        "import sys\nfrom planwatch import api\napi.list_units\n"
        "print(sorted(m for m in sys.modules if m.startswith('planwatch.api.')))"
    )
    assert loaded == "['planwatch.api._common', 'planwatch.api.catalogue']"


def test_no_api_name_is_shadowed_by_an_area_module() -> None:
    """Importing ``planwatch.api.catalogue`` sets ``api.catalogue``: no public name may be one."""
    areas = {info.name for info in pkgutil.iter_modules(api.__path__)}
    assert areas & set(api.__all__) == set()


def test_star_import_gives_every_name() -> None:
    namespace: dict[str, object] = {}
    exec("from planwatch.api import *", namespace)
    assert set(api.__all__) <= set(namespace)
