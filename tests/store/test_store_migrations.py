"""The packaged Alembic migration creates exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from migrated_db import empty_postgres, postgres_schema_items
from sqlalchemy import Connection, Engine, MetaData, inspect, select, text
from sqlalchemy.engine import make_url

from planwatch.store.db import make_engine
from planwatch.store.fresh_schema import create_schema
from planwatch.store.job_queue_schema import QUEUE_SCHEMA
from planwatch.store.migrate import current_revision, head_revision, upgrade_to, upgrade_to_head
from planwatch.store.models import Base

INITIAL = "0001"


def test_migration_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade_to_head(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_initial_revision_upgrades_to_head(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade_to(engine, INITIAL)
        assert current_revision(engine) == INITIAL
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision()
        upgrade_to_head(engine)  # idempotent
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
    finally:
        engine.dispose()


def test_a_new_database_gets_exactly_the_migrated_schema(db_url: str, tmp_path: Path) -> None:
    """create_schema (what init uses on an empty database) makes what running every revision
    makes: tables, columns in their order, types, nullability, defaults, indexes, constraints,
    triggers, and the rows the revisions insert (the template key is random in both)."""
    migrated = make_engine(db_url)
    try:
        upgrade_to_head(migrated)
        expected = _schema_and_rows(migrated)
    finally:
        migrated.dispose()
    if make_url(db_url).get_backend_name() == "sqlite":
        fresh_url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    else:
        fresh_url = db_url
        empty_postgres(db_url, also=(QUEUE_SCHEMA,))
    fresh = make_engine(fresh_url)
    try:
        with fresh.begin() as conn:
            create_schema(conn)
        assert current_revision(fresh) == head_revision()
        assert _schema_and_rows(fresh) == expected
    finally:
        fresh.dispose()


def _schema_and_rows(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            schema: Any = _sqlite_schema(conn)
        else:
            schema = {
                "public": postgres_schema_items(conn),
                "queue": sorted(conn.execute(text(_QUEUE_OBJECTS), {"schema": QUEUE_SCHEMA}).all()),
            }
        metadata = MetaData()
        metadata.reflect(conn)
        rows = {
            table.name: sorted(tuple(map(str, row)) for row in conn.execute(select(table)))
            for table in metadata.sorted_tables
        }
    [(name, key)] = rows.pop("workspace_secret")
    assert name == "template_key" and len(bytes.fromhex(key)) == 32
    return {"schema": schema, "rows": rows}


_QUEUE_OBJECTS = """
SELECT 'rel', c.relname || ' ' || c.relkind::text FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema
UNION ALL
SELECT 'fn', p.proname || ' ' || md5(p.prosrc) || ' ' || coalesce(array_to_string(p.proconfig, ','), '')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :schema
"""


def _sqlite_schema(conn: Connection) -> dict[str, Any]:
    """Each table's columns in order, and its keys, indexes and checks as sets: SQLite keeps the
    CREATE TABLE text as written, and the order of its constraints differs between two
    migrations of the same revisions already (batch mode rebuilds from unordered sets)."""
    inspector = inspect(conn)
    tables: dict[str, Any] = {}
    for table in inspector.get_table_names():
        foreign_keys: dict[int, list[tuple[Any, ...]]] = {}
        for fk in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")'):
            foreign_keys.setdefault(fk[0], []).append(tuple(fk[2:]))
        tables[table] = {
            "columns": conn.exec_driver_sql(f'PRAGMA table_xinfo("{table}")').all(),
            "foreign_keys": sorted(sorted(parts) for parts in foreign_keys.values()),
            # (SQLite numbers the indexes of UNIQUE and PRIMARY KEY constraints by where they
            # stand in that text, so only CREATE INDEX's indexes are compared by name)
            "indexes": sorted(
                (
                    ix[1] if ix[3] == "c" else "",
                    ix[2],
                    ix[3],
                    ix[4],
                    conn.exec_driver_sql(f'PRAGMA index_xinfo("{ix[1]}")').all(),
                )
                for ix in conn.exec_driver_sql(f'PRAGMA index_list("{table}")')
            ),
            "checks": sorted(
                (c["name"], " ".join(c["sqltext"].split())) for c in inspector.get_check_constraints(table)
            ),
            "unique": sorted((u["name"], u["column_names"]) for u in inspector.get_unique_constraints(table)),
            "primary_key": inspector.get_pk_constraint(table),
        }
    triggers = conn.exec_driver_sql(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).all()
    return {"tables": tables, "triggers": triggers}
