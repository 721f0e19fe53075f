"""Schema migrations: bring any planwatch database to the current schema.

The Alembic scripts ship inside the package (planwatch/store/migrations), so an
installed planwatch can upgrade a workspace without any alembic.ini lying around.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "planwatch ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database planwatch never touched."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to(engine: Engine, revision: str) -> None:
    """Run the migrations up to ``revision`` in one transaction (all or nothing)."""
    _run(engine, command.upgrade, revision)


def downgrade_to(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision``, under the same rules as an upgrade.

    Used to reproduce a workspace an older planwatch made; a downgrade that would lose
    data the older schema cannot hold fails and changes nothing.
    """
    _run(engine, command.downgrade, revision)


def _run(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    """One migration step in one transaction.

    On SQLite, a migration that changes a constraint copies the table (batch mode); with
    foreign keys enforced, dropping the old copy of a referenced table would fail. So, as
    SQLite's own procedure for schema changes prescribes, enforcement is off during the
    migration (it can only be switched outside a transaction) and every key is checked
    before the commit.
    """
    cfg = alembic_config()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg, revision)
                if raw is not None:
                    _check_foreign_keys(conn)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"schema upgrade would break foreign keys: {broken[:5]}")


def upgrade_to_head(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision; a no-op when already there."""
    upgrade_to(engine, "head")
