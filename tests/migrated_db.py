"""Migrated test databases without running the migrations for every test.

Making the newest schema costs tens of milliseconds on SQLite and more on PostgreSQL, and
about 240 tests ask for a migrated database. It is made by ``create_schema``, what init uses
(tests/store/test_store_migrations.py proves it the schema and rows running every revision
makes), once per worker:

* SQLite: into a template file, which each test gets a byte copy of.
* PostgreSQL: into the worker's test database. After a test, the next one gets the same
  schema back by emptying the tables (``DELETE``; ``TRUNCATE`` and ``DROP SCHEMA`` rewrite
  files and take far longer) and restoring what the migrations themselves left in them
  (the ``alembic_version`` row) and the sequences. Before reusing the schema its definition
  is compared with the one the migrations made (a fingerprint of the catalogue); a test that
  changed it (a downgrade, an extra table) makes the next one migrate from scratch, as does
  any failure of the cheap path. So every test still starts from exactly the migrated schema.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, MetaData, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from planwatch.store.db import make_engine, make_sessionmaker
from planwatch.store.fresh_schema import create_schema

# Everything in the public schema that a test could change: relations with their columns (in
# their order) and defaults, constraints, indexes, sequences' settings, triggers, functions and
# types; one line each.
_SCHEMA_ITEMS_SQL = """
  SELECT 'rel ' || c.relname || ' ' || c.relkind::text AS item
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'col ' || c.relname || '.' || a.attname || ' '
         || row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) || ' '
         || format_type(a.atttypid, a.atttypmod)
         || ' ' || a.attnotnull || ' ' || a.attidentity::text || ' '
         || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'con ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'idx ' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'seq ' || c.relname || ' ' || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax
         || ' ' || s.seqcycle
    FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'trg ' || t.tgname || ' ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal
  UNION ALL
  SELECT 'fn ' || p.proname || ' ' || md5(p.prosrc)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'typ ' || t.typname
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c', 'r', 'm')
     AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
"""
_FINGERPRINT_SQL = (
    f"SELECT md5(coalesce(string_agg(item, E'\\n' ORDER BY item), '')) FROM ({_SCHEMA_ITEMS_SQL}) AS items"
)


def postgres_schema_items(conn: Connection) -> list[str]:
    """What the fingerprint is made of, sorted: to compare two schemas item by item."""
    return sorted(conn.execute(text(f"SELECT item FROM ({_SCHEMA_ITEMS_SQL}) AS items")).scalars())


def _make_head_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        create_schema(conn)


def copy_sqlite_template(template: Path, db_url: str) -> None:
    """Put a copy of the migrated template file where ``db_url`` points."""
    target = make_url(db_url).database
    assert target, db_url
    shutil.copyfile(template, target)


def make_sqlite_template(path: Path) -> Path:
    """Give an empty SQLite file the head schema; the engine is disposed so no -wal file is left."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        _make_head_schema(engine)
    finally:
        engine.dispose()
    for extra in ("-wal", "-shm", "-journal"):
        assert not Path(f"{path}{extra}").exists(), f"{path}{extra} left behind"
    return path


@dataclass
class Snapshot:
    """The contents of one PostgreSQL database, and its schema's fingerprint, to restore by."""

    fingerprint: str
    delete_order: list[str]
    rows: dict[str, list[dict[str, Any]]]
    sequences: list[tuple[str, int, bool]]
    metadata: MetaData = field(repr=False)



def empty_postgres(url: str, *, also: tuple[str, ...] = ()) -> None:
    """The PostgreSQL database at ``url`` with an empty ``public`` schema and none of the
    schemas in ``also`` (e.g. the job queue's)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            for schema in also:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    finally:
        engine.dispose()

class PostgresSchemas:
    """Hands out the worker's PostgreSQL test database either empty or freshly migrated."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._migrated: Snapshot | None = None
        # The schema reflected once per fingerprint: reflecting every table costs about 0.2 s of
        # CPU, and each snapshot of the same schema (the migrated one, then each prepared
        # database's or seed workspace's on top of it) would otherwise reflect it again.
        self._reflected: dict[str, MetaData] = {}

    def empty(self) -> None:
        """No tables at all (what ``db_url`` promises)."""
        self._migrated = None
        empty_postgres(self.url)

    def migrated(self) -> None:
        """The schema and contents the migrations make on an empty database."""
        if self._migrated is not None:
            try:
                if self._restore(self._migrated):
                    return
            except Exception:  # anything unexpected: fall back to the slow, sure path
                pass
        self.empty()
        engine = make_engine(self.url)
        try:
            _make_head_schema(engine)
            self._migrated = self._capture(engine)
        finally:
            engine.dispose()

    def snapshot(self) -> Snapshot:
        """What the database holds now (after a workspace was made in it, say)."""
        engine = create_engine(self.url)
        try:
            return self._capture(engine)
        finally:
            engine.dispose()

    def load(self, snapshot: Snapshot) -> None:
        """Give the database exactly the contents of ``snapshot`` (taken on the migrated schema)."""
        try:
            if self._restore(snapshot):
                return
        except Exception:  # the schema is not the migrated one: make it so, then load
            pass
        self.migrated()
        if not self._restore(snapshot):
            raise AssertionError("snapshot was not taken on the migrated schema")

    def _capture(self, engine: Engine) -> Snapshot:
        with engine.connect() as conn:
            fingerprint = conn.execute(text(_FINGERPRINT_SQL)).scalar_one()
            metadata = self._reflected.get(fingerprint)
            if metadata is None:
                metadata = MetaData()
                metadata.reflect(conn)
                self._reflected[fingerprint] = metadata
            rows = {
                t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                for t in metadata.sorted_tables
            }
            sequences = [
                (name, *conn.execute(text(f'SELECT last_value, is_called FROM "{name}"')).one())
                for name in conn.execute(text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname")).scalars()
            ]
        return Snapshot(
            fingerprint=fingerprint,
            delete_order=[t.name for t in reversed(metadata.sorted_tables)],
            rows={name: r for name, r in rows.items() if r},
            sequences=sequences,
            metadata=metadata,
        )

    def _restore(self, state: Snapshot) -> bool:
        """Empty the tables and put back the snapshot's rows; False if the schema differs."""
        engine = create_engine(self.url)
        try:
            with engine.begin() as conn:
                if conn.execute(text(_FINGERPRINT_SQL)).scalar_one() != state.fingerprint:
                    return False
                # The audit log's triggers refuse DELETE, as they must in use; the throw-away
                # test database is emptied with triggers off (the test role is a superuser).
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.execute(text("; ".join(f'DELETE FROM "{name}"' for name in state.delete_order)))
                for name, rows in state.rows.items():
                    conn.execute(state.metadata.tables[name].insert(), rows)
                if state.sequences:
                    conn.execute(text("SELECT " + ", ".join(
                        f"setval('\"{name}\"', {value}, {'true' if called else 'false'})"
                        for name, value, called in state.sequences)))
            return True
        finally:
            engine.dispose()


T = TypeVar("T")


class PreparedDatabases:
    """Migrated databases with some rows in them, filled once per worker and then copied.

    Many store tests start from the same small catalogue loaded into a fresh database: the
    loading is not what they test, and it cost more than the rest of their setting up. ``make``
    runs ``fill`` (in a session, committed) on a copy of the migrated template the first time a
    key is asked for and keeps the file (SQLite) or the rows (PostgreSQL, a Snapshot); every
    later test with that key gets a byte copy of the file or the rows restored. The key must
    name what ``fill`` does, all of it (the tests put a digest of the catalogue into it).
    What ``fill`` returned the first time (the ids of the rows it made, say) is kept with
    the key and returned to every later test: the copies hold the same rows and ids.
    """

    def __init__(self, folder: Path, sqlite_template: Callable[[], Path], pg: Callable[[], PostgresSchemas]) -> None:
        self._folder = folder
        self._sqlite_template = sqlite_template
        self._pg = pg
        self._files: dict[str, Path] = {}
        self._snapshots: dict[str, Snapshot] = {}
        self._results: dict[tuple[str, str], Any] = {}

    def make(self, db_url: str, key: str, fill: Callable[[Session], T]) -> T:
        """Leave at ``db_url`` the migrated schema with what ``fill`` adds to it, committed;
        return what ``fill`` returned when it ran."""
        backend = make_url(db_url).get_backend_name()
        if backend == "sqlite":
            if key not in self._files:
                path = self._folder / f"prepared-{len(self._files)}.sqlite"
                shutil.copyfile(self._sqlite_template(), path)
                self._results[(backend, key)] = _fill(f"sqlite:///{path}", fill)
                for extra in ("-wal", "-shm", "-journal"):
                    assert not Path(f"{path}{extra}").exists(), f"{path}{extra} left behind"
                self._files[key] = path
            copy_sqlite_template(self._files[key], db_url)
            return self._results[(backend, key)]  # type: ignore[no-any-return]
        pg = self._pg()
        assert db_url == pg.url, "prepared databases live in the worker's test database"
        if key not in self._snapshots:
            pg.migrated()
            self._results[(backend, key)] = _fill(db_url, fill)
            self._snapshots[key] = pg.snapshot()
        else:
            pg.load(self._snapshots[key])
        return self._results[(backend, key)]  # type: ignore[no-any-return]

    @contextmanager
    def session(self, db_url: str, key: str, fill: Callable[[Session], object]) -> Iterator[Session]:
        """``make``, then a session on the database (what the ``session`` fixture gives)."""
        self.make(db_url, key, fill)
        engine = make_engine(db_url)
        try:
            with make_sessionmaker(engine)() as session:
                yield session
        finally:
            engine.dispose()


def _fill(url: str, fill: Callable[[Session], T]) -> T:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            result = fill(session)
            session.commit()
            return result
    finally:
        engine.dispose()
