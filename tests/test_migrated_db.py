"""The PostgreSQL test fixture (migrated_db.PostgresSchemas) hands out exactly what it promises
however the previous test left the database: the shortcuts it takes (the DDL counter instead of
the fingerprint, tables left alone that still hold the right rows) must never let a change
through. Compared here with what a test sees: the schema items, every table's rows and the
sequences."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from migrated_db import DDL_COUNTER_SCHEMA, PostgresSchemas, postgres_schema_items
from sqlalchemy import Connection, Engine, create_engine, text

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(_pg_schemas: PostgresSchemas) -> PostgresSchemas:
    return _pg_schemas


@pytest.fixture
def other(pg_server_url: str) -> Iterator[Engine]:
    """A connection of the test's own, as the code under test would open."""
    engine = create_engine(pg_server_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _contents(engine: Engine, *, random_key: bool = True) -> dict[str, object]:
    """Everything a test could see; ``random_key=False``: but the template key's value."""
    with engine.connect() as conn:
        tables = conn.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname")).scalars().all()
        sequences = conn.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname")).scalars().all()
        rows = {t: sorted(map(str, conn.execute(text(f'SELECT * FROM "{t}"')).all())) for t in tables}
        if not random_key and "workspace_secret" in rows:  # migrating makes a new random key
            [key] = conn.execute(text("SELECT name, value FROM workspace_secret")).all()
            assert key.name == "template_key" and len(bytes.fromhex(key.value)) == 32
            del rows["workspace_secret"]
        return {
            "schema": postgres_schema_items(conn),
            "rows": rows,
            "sequences": {s: conn.execute(text(f'SELECT last_value, is_called FROM "{s}"')).one() for s in sequences},
        }


USER_COLUMNS = "username, display_name, password_hash, must_change_password, disabled, failed_logins, created_at"


def _sample_rows(engine: Engine) -> None:
    """A few rows in several tables, one with a newline and a tab in it, and used sequences."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO area (code, name, full_name, level) VALUES "
                          "('370000', '山东省', '山东省', 'province'), ('370100', E'济南\\n市', E'济南\\t市', 'city')"))
        conn.execute(text(f"INSERT INTO users ({USER_COLUMNS}) VALUES "
                          "('a', 'A', 'x', true, false, 0, now()), ('b', 'B', 'y', true, false, 0, now())"))


def _change_schema(conn: Connection, change: str) -> None:
    if change == "as a replica":  # what the fixture itself restores under
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("ALTER TABLE users DROP COLUMN display_name"))
    elif change == "emptied schema":  # what a test on an empty database does first
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    elif change == "extra index":
        conn.execute(text("CREATE INDEX extra_index ON area (name)"))
    else:
        raise AssertionError(change)


# Each change costs a migration from scratch (about a third of a second of the server's CPU):
# a few kinds only. Any DDL bumps the same counter; the fingerprint they fall back on to tell
# a changed schema from the migrated one is what the fixture always compared.
@pytest.mark.parametrize("change", ["as a replica", "emptied schema"])
def test_a_changed_schema_is_migrated_again(pg: PostgresSchemas, other: Engine, change: str) -> None:
    pg.migrated()
    expected = _contents(other, random_key=False)
    with other.begin() as conn:
        _change_schema(conn, change)
    assert _contents(other)["schema"] != expected["schema"]
    pg.migrated()
    assert _contents(other, random_key=False) == expected


def test_a_snapshot_is_loaded_onto_the_migrated_schema_again(pg: PostgresSchemas, other: Engine) -> None:
    pg.migrated()
    _sample_rows(other)
    snapshot = pg.snapshot()
    expected = _contents(other)
    with other.begin() as conn:
        _change_schema(conn, "extra index")
    pg.load(snapshot)
    assert _contents(other) == expected


def test_a_rolled_back_schema_change_changes_nothing(pg: PostgresSchemas, other: Engine) -> None:
    pg.migrated()
    expected = _contents(other, random_key=False)
    with other.connect() as conn:
        conn.execute(text("CREATE TABLE extra (id int)"))
        conn.rollback()
    pg.migrated()
    assert _contents(other, random_key=False) == expected


ROW_CHANGES: dict[str, Callable[[Connection], object]] = {
    "inserted": lambda c: c.execute(text(
        f"INSERT INTO users ({USER_COLUMNS}) VALUES ('c', 'C', 'z', true, false, 0, now())")),
    "deleted": lambda c: c.execute(text("DELETE FROM area WHERE code = '370100'")),
    "updated, same count": lambda c: c.execute(text("UPDATE area SET name = '济南' WHERE code = '370100'")),
    "one row replaced by another": lambda c: c.execute(text(
        "DELETE FROM users WHERE username = 'b'; "
        f"INSERT INTO users (id, {USER_COLUMNS}) SELECT 2, 'c', 'B', 'y', true, false, 0, created_at FROM users")),
    "truncated": lambda c: c.execute(text("TRUNCATE alembic_version")),
    "sequence advanced": lambda c: c.execute(text("SELECT nextval('users_id_seq')")),
    "as a replica": lambda c: c.execute(text("SET LOCAL session_replication_role = replica; "
                                             "DELETE FROM audit_event; UPDATE area SET level = 'county'")),
}


@pytest.mark.parametrize("change", list(ROW_CHANGES))
def test_rows_a_test_changed_are_put_back(pg: PostgresSchemas, other: Engine, change: str) -> None:
    pg.migrated()
    migrated = _contents(other)
    _sample_rows(other)
    snapshot = pg.snapshot()
    expected = _contents(other)
    for _ in range(3):  # first onto the rows as written, then onto rows the fixture wrote
        pg.load(snapshot)
        assert _contents(other) == expected
        with other.begin() as conn:
            ROW_CHANGES[change](conn)
        assert _contents(other) != expected
    pg.load(snapshot)
    assert _contents(other) == expected
    pg.migrated()
    assert _contents(other) == migrated


def test_snapshots_alike_but_for_a_value_are_told_apart(pg: PostgresSchemas, other: Engine) -> None:
    """Two snapshots with as many rows in every table, one value apart, loaded in turn."""
    pg.migrated()
    _sample_rows(other)
    first, first_contents = pg.snapshot(), _contents(other)
    with other.begin() as conn:
        conn.execute(text("UPDATE area SET name = '济南' WHERE code = '370100'"))
    second, second_contents = pg.snapshot(), _contents(other)
    assert first_contents != second_contents
    for snapshot, contents in [(first, first_contents), (second, second_contents)] * 2:
        pg.load(snapshot)
        assert _contents(other) == contents


def test_tables_that_still_hold_the_rows_are_left_alone(pg: PostgresSchemas, other: Engine) -> None:
    """The shortcut itself: a load after a test that changed one table rewrites that table only."""
    pg.migrated()
    _sample_rows(other)
    snapshot = pg.snapshot()
    pg.load(snapshot)

    def row_versions() -> dict[str, list[str]]:
        with other.connect() as conn:
            return {t: conn.execute(text(f'SELECT xmin::text FROM "{t}" ORDER BY 1')).scalars().all()
                    for t in ("area", "users")}

    before = row_versions()
    with other.begin() as conn:
        conn.execute(text("UPDATE users SET display_name = 'Z' WHERE username = 'a'"))
    pg.load(snapshot)
    after = row_versions()
    assert after["area"] == before["area"]
    assert after["users"] != before["users"]


def test_without_the_ddl_counter_the_fingerprint_still_catches_a_change(pg: PostgresSchemas, other: Engine) -> None:
    pg.migrated()
    expected = _contents(other, random_key=False)
    with other.begin() as conn:
        conn.execute(text("ALTER EVENT TRIGGER planwatch_test_ddl_end DISABLE"))
        conn.execute(text("ALTER EVENT TRIGGER planwatch_test_ddl_drop DISABLE"))
    try:
        with other.begin() as conn:
            conn.execute(text("CREATE TABLE extra (id int)"))
        pg.migrated()
        assert _contents(other, random_key=False) == expected
    finally:
        with other.begin() as conn:
            conn.execute(text("ALTER EVENT TRIGGER planwatch_test_ddl_end ENABLE ALWAYS"))
            conn.execute(text("ALTER EVENT TRIGGER planwatch_test_ddl_drop ENABLE ALWAYS"))


def test_the_counter_is_out_of_the_schema_tests_compare(pg: PostgresSchemas, other: Engine) -> None:
    pg.migrated()
    with other.connect() as conn:
        assert not [item for item in postgres_schema_items(conn) if DDL_COUNTER_SCHEMA in item]
        assert conn.execute(text("SELECT to_regnamespace(:s)"), {"s": DDL_COUNTER_SCHEMA}).scalar() is not None
