"""Migrated test databases without running the migrations for every test.

Making the newest schema costs tens of milliseconds on SQLite and more on PostgreSQL (about a
third of a second of the server's CPU: every table and index is a file to create), and about
240 tests ask for a migrated database. It is made by ``create_schema``, what init uses
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

  The checks cost less than doing the work blindly. The fingerprint is taken again only after
  some DDL ran in the database since it was last taken: an event trigger counts every DDL
  command, in a schema of its own outside ``public``. Only tables that do not hold the wanted
  rows are emptied and filled (by ``COPY``): a table still holds the rows this fixture wrote
  into it when it has as many rows and every one is still the version its transaction wrote
  (``xmin``); any insert, update or delete since leaves a row of another transaction or
  another count. All of it goes through one connection kept for the worker.
  tests/test_migrated_db.py checks that each shortcut still catches the changes it must.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, text
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
    """The contents of one PostgreSQL database, and its schema's fingerprint, to restore by.

    Each table's rows are kept as ``COPY`` text (with their number): written back by one
    ``COPY`` each, byte for byte what was read, without building a statement per row.
    """

    fingerprint: str
    tables: dict[str, tuple[int, bytes]]
    sequences: list[tuple[str, int, bool]]


def empty_postgres(url: str, *, also: tuple[str, ...] = ()) -> None:
    """The PostgreSQL database at ``url`` with an empty ``public`` schema and none of the
    schemas in ``also`` (e.g. the job queue's)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            _empty(conn, also)
    finally:
        engine.dispose()


def _empty(conn: Connection, also: tuple[str, ...] = ()) -> None:
    conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
    conn.execute(text("CREATE SCHEMA public"))
    for schema in also:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


# Counts every DDL command run in the test database, in a schema of its own (outside public,
# so neither the fingerprint nor the schema comparisons of the tests see it). A sequence, not
# a table: nextval is not undone by a rollback, so a rolled-back DDL is counted too (a
# needless check, never a missed one). ENABLE ALWAYS: fired under session_replication_role =
# replica as well.
DDL_COUNTER_SCHEMA = "planwatch_test_ddl"
_DDL_TRIGGERS = ("planwatch_test_ddl_end", "planwatch_test_ddl_drop")
_DDL_COUNTER_SQL = f"""
CREATE SCHEMA {DDL_COUNTER_SCHEMA};
CREATE SEQUENCE {DDL_COUNTER_SCHEMA}.changes;
CREATE FUNCTION {DDL_COUNTER_SCHEMA}.count_change() RETURNS event_trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
  AS $$ BEGIN PERFORM nextval('{DDL_COUNTER_SCHEMA}.changes'); END $$;
CREATE EVENT TRIGGER {_DDL_TRIGGERS[0]} ON ddl_command_end EXECUTE FUNCTION {DDL_COUNTER_SCHEMA}.count_change();
CREATE EVENT TRIGGER {_DDL_TRIGGERS[1]} ON sql_drop EXECUTE FUNCTION {DDL_COUNTER_SCHEMA}.count_change();
ALTER EVENT TRIGGER {_DDL_TRIGGERS[0]} ENABLE ALWAYS;
ALTER EVENT TRIGGER {_DDL_TRIGGERS[1]} ENABLE ALWAYS
"""
# The count, provided the counter and both triggers are still there, still always enabled and
# still calling the counting function (else NULL: the fingerprint is then checked every time).
_DDL_COUNT_SQL = f"""
SELECT CASE WHEN to_regclass('{DDL_COUNTER_SCHEMA}.changes') IS NOT NULL
             AND (SELECT count(*) FROM pg_event_trigger
                   WHERE evtname IN ('{_DDL_TRIGGERS[0]}', '{_DDL_TRIGGERS[1]}') AND evtenabled = 'A'
                     AND evtfoid = to_regprocedure('{DDL_COUNTER_SCHEMA}.count_change()')) = 2
            THEN coalesce(pg_sequence_last_value(to_regclass('{DDL_COUNTER_SCHEMA}.changes')), 0) END
"""


class PostgresSchemas:
    """Hands out the worker's PostgreSQL test database either empty or freshly migrated.

    Its own statements go through one connection kept open for the worker: a new one costs
    the server a process and the warming of its catalogue caches, more than the work itself.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._migrated: Snapshot | None = None
        self._engine = create_engine(url, pool_size=1, max_overflow=0, connect_args={"prepare_threshold": None})
        self._counting: bool | None = None  # whether the DDL counter is installed (None: not tried)
        # The DDL count at which public last had a fingerprint checked, and that fingerprint:
        # while the count stays, the schema is unchanged and needs no new check.
        self._verified: tuple[int, str] | None = None
        # The tables this object wrote while the DDL count stayed at _verified's: the COPY
        # text written and the transaction that wrote it. A table whose rows are all from
        # that transaction, as many as were written, still holds exactly that text.
        self._written: dict[str, tuple[bytes, str]] = {}

    def close(self) -> None:
        self._engine.dispose()

    def empty(self) -> None:
        """No tables at all (what ``db_url`` promises)."""
        with self._transaction() as conn:
            _empty(conn)

    def migrated(self) -> None:
        """The schema and contents the migrations make on an empty database."""
        if self._migrated is not None:
            try:
                if self._restore(self._migrated):
                    return
            except Exception:  # anything unexpected: fall back to the slow, sure path
                pass
        self.empty()
        with self._transaction() as conn:
            create_schema(conn)
        self._migrated = self._capture()

    def snapshot(self) -> Snapshot:
        """What the database holds now (after a workspace was made in it, say)."""
        return self._capture()

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

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A transaction on the kept connection, the DDL counter installed first (once)."""
        if self._counting is None:
            self._counting = self._install_counter()
        with self._engine.begin() as conn:
            yield conn

    def _ddl_count(self, conn: Connection) -> int | None:
        """The DDL counter's value; None when it cannot be trusted."""
        if not self._counting:
            return None
        count = conn.execute(text(_DDL_COUNT_SQL)).scalar_one()
        return None if count is None else int(count)

    def _install_counter(self) -> bool:
        try:
            with self._engine.begin() as conn:
                if conn.execute(text("SELECT to_regnamespace(:name)"), {"name": DDL_COUNTER_SCHEMA}).scalar() is None:
                    conn.exec_driver_sql(_DDL_COUNTER_SQL)
        except Exception:  # not a superuser, say: the fingerprint is checked every time instead
            return False
        return True

    def _schema_is(self, conn: Connection, fingerprint: str) -> bool:
        """Whether public's schema has ``fingerprint``; forgets what it wrote on any DDL."""
        count = self._ddl_count(conn)
        if count is not None and self._verified == (count, fingerprint):
            return True
        self._verified = None
        self._written.clear()
        if conn.execute(text(_FINGERPRINT_SQL)).scalar_one() != fingerprint:
            return False
        if count is not None:
            self._verified = (count, fingerprint)
        return True

    def _capture(self) -> Snapshot:
        with self._transaction() as conn:
            count = self._ddl_count(conn)
            fingerprint = conn.execute(text(_FINGERPRINT_SQL)).scalar_one()
            if self._verified is None or self._verified[0] != count:
                self._written.clear()
            self._verified = None if count is None else (count, fingerprint)
            names = conn.execute(text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = :kind ORDER BY c.relname"), {"kind": "r"}).scalars().all()
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            tables = {}
            for name in names:
                with cursor.copy(f'COPY "{name}" TO STDOUT') as copy:
                    data = b"".join(bytes(block) for block in copy)
                tables[name] = (data.count(b"\n"), data)  # one line a row (COPY escapes newlines)
            sequence_names = conn.execute(text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = :kind ORDER BY c.relname"), {"kind": "S"}).scalars().all()
            sequences = [
                (name, *conn.execute(text(f'SELECT last_value, is_called FROM "{name}"')).one())
                for name in sequence_names
            ]
        return Snapshot(fingerprint=fingerprint, tables=tables, sequences=sequences)

    def _restore(self, state: Snapshot) -> bool:
        """Put back the snapshot's rows in the tables that do not hold them already; False if
        the schema differs."""
        with self._transaction() as conn:
            if not self._schema_is(conn, state.fingerprint):
                return False
            # Every table's rows, and how many of them some other transaction than the one
            # that wrote the table's text here put there (a change since, or never written here).
            written = {name: self._written.get(name, (None, "0")) for name in state.tables}
            checks = " UNION ALL ".join(
                f"SELECT '{name}', count(*), count(*) FILTER (WHERE xmin <> '{by}'::xid) FROM \"{name}\""
                for name, (_, by) in written.items()
            )
            found = {name: (rows, others) for name, rows, others in conn.execute(text(checks))}
            stale = [
                name for name, (rows, data) in state.tables.items()
                if not (found[name][0] == 0 == rows or (found[name] == (rows, 0) and written[name][0] == data))
            ]
            xid = None
            if stale:
                # The audit log's triggers refuse DELETE, as they must in use; the throw-away
                # test database is emptied with triggers off (the test role is a superuser).
                # (Foreign keys are triggers too: neither order matters.)
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.execute(text("; ".join(f'DELETE FROM "{name}"' for name in stale)))
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                for name in stale:
                    if state.tables[name][0]:
                        with cursor.copy(f'COPY "{name}" FROM STDIN') as copy:
                            copy.write(state.tables[name][1])
                xid = conn.execute(text("SELECT pg_current_xact_id()::xid::text")).scalar_one()
            if state.sequences:
                conn.execute(text("SELECT " + ", ".join(
                    f"setval('\"{name}\"', {value}, {'true' if called else 'false'})"
                    for name, value, called in state.sequences)))
        if xid is not None and self._verified is not None:
            self._written.update((name, (state.tables[name][1], xid)) for name in stale)
        return True


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
