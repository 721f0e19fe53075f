"""Workspaces made from plan files once, then copied to each test that starts from one.

``init_workspace`` on the seed plans reads them and loads a catalogue of hundreds of rows:
seconds per call. Tests whose subject is something done *to* a freshly made workspace get
an identical one much faster: on SQLite its folder is copied (the first one made once per
run, shared by the xdist workers); on PostgreSQL the first one is made for real in the
worker's test database, and later ones get the same rows back (migrated_db.Snapshot) and a
copy of the folder, whose workspace.yaml names that same database.
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
        self._pg_cache: dict[tuple[str, ...], tuple[Path, Snapshot]] = {}

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
            pg.empty()
            init_workspace(path, [Path(f) for f in files], database_url).close()
            kept = self._factory.mktemp("seed-pg") / path.name
            shutil.copytree(path, kept)
            self._pg_cache[key] = (kept, pg.snapshot())
            return
        kept, snapshot = self._pg_cache[key]
        pg.load(snapshot)
        shutil.copytree(kept, path)
