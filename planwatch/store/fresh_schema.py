"""The newest schema made at once on an empty database, for ``init``: no revision is run.

Kept apart from :mod:`planwatch.store.migrate` so that ``planwatch init`` does not load
Alembic at all (about a tenth of a second of the command), as opening a workspace does not
(:mod:`planwatch.store.schema_version`).
"""

from __future__ import annotations

import secrets

from sqlalchemy import Column, Connection, MetaData, PrimaryKeyConstraint, String, Table, insert, text

from planwatch.collect.template_key import NAME as TEMPLATE_KEY
from planwatch.store.audit_log_schema import audit_log_triggers
from planwatch.store.models import Base, WorkspaceSecret
from planwatch.store.schema_version import shipped_head


def create_schema(conn: Connection) -> None:
    """Give an empty database the newest schema, in the caller's transaction.

    What :func:`planwatch.store.migrate.upgrade_to_head` does on an empty database, the way
    Alembic's documentation builds a new database: the tables from the models, then the
    version stamped at head, instead of running every revision (on SQLite several rebuild
    tables, most of init's schema time). What the revisions do besides the models' tables is done here too: the
    audit log's triggers (0007), the template key (0006) and, on PostgreSQL, the job
    queue's schema (0009). tests/store/test_store_migrations.py checks that the result is
    the migrated schema, column order, constraints, triggers and rows included; a new
    revision that does more than change tables must add it here as well.
    """
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
    conn.execute(insert(version), [{"version_num": shipped_head() or _alembic_head()}])


def _alembic_head() -> str:
    """The head as Alembic finds it: only when the scripts' text names several heads."""
    from planwatch.store.migrate import head_revision

    return head_revision()
