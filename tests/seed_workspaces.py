"""Workspaces made from plan files once, then copied to each test that starts from one.

``init_workspace`` on the seed plans reads them and loads a catalogue of hundreds of rows:
seconds per call. Tests whose subject is something done *to* a freshly made workspace get
an identical one much faster: on SQLite its folder is copied (the first one made once per
run, shared by the xdist workers); on PostgreSQL the first one is made for real in the
test database of the first worker that asks (once per run too), and every later one gets the
same rows back in its worker's database (migrated_db.Snapshot, pickled for the other workers)
and a copy of the folder, whose workspace.yaml is made to name that worker's database.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from built_once import build_once
from migrated_db import PostgresSchemas, Snapshot

from planwatch.store.workspace import init_workspace


class SeedWorkspaces:
    """``make(path, plans, database_url)`` leaves at ``path`` what
    ``init_workspace(path, plans, database_url).close()`` would."""

    def __init__(self, factory: pytest.TempPathFactory, pg: Callable[[], PostgresSchemas]) -> None:
        self._factory = factory
        self._pg = pg
        self._pg_cache: dict[tuple[str, ...], tuple[Path, str, Snapshot]] = {}

    def make(self, path: Path, plans: Sequence[Path], database_url: str | None = None) -> Path:
        files = tuple(str(Path(p).resolve()) for p in plans)
        if database_url is None:
            self._make_sqlite(path, files)
        else:
            self._make_pg(path, files, database_url)
        return path

    def make_then(
        self, path: Path, plans: Sequence[Path], database_url: str | None, name: str, then: Callable[[Path], None]
    ) -> Path:
        """``make(path, plans, database_url)`` followed by ``then(path)``.

        On SQLite the pair is done once per run (shared by the xdist workers, like the seed
        workspaces themselves) and the result copied: ``name`` must stand for what ``then``
        does, identically on every call. On PostgreSQL both are done each time.
        """
        if database_url is not None:
            self.make(path, plans, database_url)
            then(path)
            return path
        files = tuple(str(Path(p).resolve()) for p in plans)
        digest = hashlib.sha256("\n".join((*files, path.name, name)).encode()).hexdigest()[:16]

        def build(folder: Path) -> None:
            self._make_sqlite(folder / path.name, files)
            then(folder / path.name)

        folder, _ = build_once(self._factory, f"seed-then-{digest}", build)
        shutil.copytree(folder / path.name, path)
        return path

    def _make_sqlite(self, path: Path, files: tuple[str, ...]) -> None:
        digest = hashlib.sha256("\n".join((*files, path.name)).encode()).hexdigest()[:16]

        def build(folder: Path) -> None:
            init_workspace(folder / path.name, [Path(f) for f in files]).close()

        folder, _ = build_once(self._factory, f"seed-{digest}", build)
        shutil.copytree(folder / path.name, path)

    def _make_pg(self, path: Path, files: tuple[str, ...], database_url: str) -> None:
        pg = self._pg()
        assert database_url == pg.url, "seed workspaces live in the worker's test database"
        key = (*files, path.name)
        if key not in self._pg_cache:
            self._pg_cache[key] = self._build_pg(path.name, files, pg)
        else:
            pg.load(self._pg_cache[key][2])
        kept, built_in, _ = self._pg_cache[key]
        shutil.copytree(kept, path)
        if built_in != pg.url:  # made in another worker's database: name this worker's
            config = path / "workspace.yaml"
            text = config.read_text(encoding="utf-8")
            assert text.count(built_in) == 1, "workspace.yaml names its database once"
            config.write_text(text.replace(built_in, pg.url), encoding="utf-8")

    def _build_pg(self, name: str, files: tuple[str, ...], pg: PostgresSchemas) -> tuple[Path, str, Snapshot]:
        """The workspace made once per run in the first asking worker's database; that worker
        keeps its rows, the others get them restored from the snapshot (same migrated schema,
        the fingerprint checks it), with the folder's database URL made theirs by the caller."""
        digest = hashlib.sha256("\n".join((*files, name)).encode()).hexdigest()[:16]
        built_here = False

        def build(folder: Path) -> tuple[str, Snapshot]:
            nonlocal built_here
            pg.empty()
            init_workspace(folder / name, [Path(f) for f in files], pg.url).close()
            built_here = True
            return pg.url, pg.snapshot()

        folder, (built_in, snapshot) = build_once(self._factory, f"seed-pg-{digest}", build)
        if not built_here:
            pg.load(snapshot)
        return folder / name, built_in, snapshot
