"""What the output tests share: the hostile cases, a scan of written workbooks, and a tiny
CLI workspace built from the collection tests' hand-made catalogue (no plan reading)."""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from sqlalchemy import select

HERE = Path(__file__).resolve().parent
# The hand-made catalogue (collect_support) and report data (report_support) of those tests.
sys.path[:0] = [str(HERE.parent / "collect"), str(HERE.parent / "report")]

from collect_support import AREA, seed  # noqa: E402

from planwatch.store import models as m  # noqa: E402
from planwatch.store.db import make_engine, make_sessionmaker  # noqa: E402
from planwatch.store.migrate import upgrade_to_head  # noqa: E402
from planwatch.store.workspace import SQLITE_FILE, WorkspaceConfig, _write_config  # noqa: E402

CASES: dict[str, Any] = yaml.safe_load((HERE / "out_cases.yaml").read_text(encoding="utf-8"))
CELLS: list[dict[str, Any]] = CASES["cells"]
NAMES: list[dict[str, Any]] = CASES["names"]


@dataclass
class Scan:
    """Every cell of every sheet of some workbooks, as openpyxl and the raw XML see them."""

    files: int = 0
    cells: int = 0
    formulas: list[str] | None = None
    texts: dict[str, tuple[str, bool]] | None = None
    """text value → (data type, quote prefix), for the texts the test looks for."""


def scan(
    paths: list[Path], looking_for: set[str] = frozenset(),  # type: ignore[assignment]
    each: Callable[[Path, Any], None] | None = None,
) -> Scan:
    """``each(path, workbook)`` sees every workbook as loaded for the scan (loading is most of
    the scan's cost, so a test that looks further into the same files need not load them again)."""
    out = Scan(formulas=[], texts={})
    assert out.formulas is not None and out.texts is not None
    for path in paths:
        out.files += 1
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                xml = z.read(name) if name.startswith("xl/worksheets/") else b""
                if b"<f>" in xml or b"<f " in xml:
                    out.formulas.append(f"{path.name}:{name} has an <f> element")
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is None:
                        continue
                    out.cells += 1
                    if c.data_type == "f":
                        out.formulas.append(f"{path.name}!{ws.title}!{c.coordinate}={c.value!r}")
                    if isinstance(c.value, str) and c.value in looking_for:
                        out.texts[c.value] = (c.data_type, bool(c.quotePrefix))
        if each is not None:
            each(path, wb)
    return out


def cli_workspace(folder: Path, extra_units: list[str] = ()) -> Path:  # type: ignore[assignment]
    """A workspace folder the ``planwatch`` command opens, holding the hand-made catalogue.

    ``extra_units`` are added to the district and made reporters of its first indicator, so
    ``template --all-units`` writes a workbook for each.
    """
    folder.mkdir(parents=True)
    shutil.copyfile(_seeded_database(), folder / SQLITE_FILE)
    engine = make_engine(f"sqlite:///{folder / SQLITE_FILE}")
    try:
        with make_sessionmaker(engine)() as s, s.begin():
            indicators = {code: id_ for code, id_ in s.execute(select(m.Indicator.code, m.Indicator.id))}
            for name in extra_units:
                unit = m.Unit(area_code=AREA, name=name, aliases=[])
                s.add(unit)
                s.flush()
                s.add(m.IndicatorReporter(indicator_id=indicators["W01-01"], area_code=AREA,
                                          unit_id=unit.id))
    finally:
        engine.dispose()
    _write_config(folder, WorkspaceConfig(name=folder.name))
    return folder


_SEEDED: list[Path] = []


def _seeded_database() -> Path:
    """The hand-made catalogue in a migrated SQLite file, made once per process and copied:
    migrating a database costs far more than copying one."""
    if not _SEEDED:
        folder = Path(tempfile.mkdtemp(prefix="planwatch-out-support-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / SQLITE_FILE
        engine = make_engine(f"sqlite:///{path}")
        try:
            upgrade_to_head(engine)
            with make_sessionmaker(engine)() as s, s.begin():
                seed(s)
        finally:
            engine.dispose()
        for extra in ("-wal", "-shm", "-journal"):
            assert not Path(f"{path}{extra}").exists(), f"{path}{extra} left behind"
        _SEEDED.append(path)
    return _SEEDED[0]
