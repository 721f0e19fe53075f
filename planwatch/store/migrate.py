"""Schema migrations: bring any planwatch database to the current schema.

The Alembic scripts ship inside the package (planwatch/store/migrations), so an
installed planwatch can upgrade a workspace without any alembic.ini lying around.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Engine, MetaData, PrimaryKeyConstraint, String, Table, insert, text

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


def create_schema(conn: Connection) -> None:
    """Give an empty database the newest schema, in the caller's transaction.

    What ``upgrade_to_head`` does on an empty database, the way Alembic's documentation
    builds a new database: the tables from the models, then the version stamped at head,
    instead of running every revision (on SQLite several rebuild tables, most of init's
    schema time). What the revisions do besides the models' tables is done here too: the
    audit log's triggers (0007), the template key (0006) and, on PostgreSQL, the job
    queue's schema (0009). tests/store/test_store_migrations.py checks that the result is
    the migrated schema, column order, constraints, triggers and rows included; a new
    revision that does more than change tables must add it here as well.
    """
    from planwatch.collect.template_key import NAME as TEMPLATE_KEY
    from planwatch.store.audit_log_schema import audit_log_triggers
    from planwatch.store.models import Base, WorkspaceSecret
    from planwatch.store.schema_version import shipped_head

    Base.metadata.create_all(conn, checkfirst=False)
    for statement in audit_log_triggers(conn.dialect.name):
        conn.execute(text(statement))
    # as migration 0006 makes it: 32 random bytes, hex
    conn.execute(insert(WorkspaceSecret), [{"name": TEMPLATE_KEY, "value": secrets.token_hex(32)}])
    if conn.dialect.name == "postgresql":
        from planwatch.store.job_queue_schema import apply_queue_schema

        apply_queue_schema(conn)
    # The stamp Alembic's ``stamp`` would write, without loading every revision script to find
    # the head: Alembic's version table as it makes it (name, String(32), the primary key's
    # name; tests/store/test_store_migrations.py compares it with the migrated one), holding
    # the head the scripts name (schema_version, which a test keeps equal to Alembic's).
    version = Table(
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )
    version.create(conn)
    conn.execute(insert(version), [{"version_num": shipped_head() or head_revision()}])
