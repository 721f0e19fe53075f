"""procrastinate's tables, types and functions, in a PostgreSQL schema of their own.

procrastinate (the job queue the web application uses on PostgreSQL) ships its schema as
one SQL script with unqualified names. It is run here with ``search_path`` set to
``planwatch_queue``, and every connection procrastinate opens sets the same search path
(:mod:`planwatch.web.job_queue`), so the queue never mixes with planwatch's own tables,
schema checks of ``public`` do not see it, and removing it is one ``DROP SCHEMA``.

The script comes from the pinned procrastinate version; a new version's migrations would be
applied by a new planwatch migration.
"""

from __future__ import annotations

from typing import Any

QUEUE_SCHEMA = "planwatch_queue"


def apply_queue_schema(connection: Any) -> None:
    """Create the queue schema afresh inside the migration's transaction (SQLAlchemy connection)."""
    from procrastinate.schema import SchemaManager

    raw = connection.connection.driver_connection  # psycopg: runs a multi-statement script without parameters
    raw.execute(f"DROP SCHEMA IF EXISTS {QUEUE_SCHEMA} CASCADE")
    raw.execute(f"CREATE SCHEMA {QUEUE_SCHEMA}")
    previous = raw.execute("SELECT current_setting('search_path')").fetchone()[0]
    raw.execute(f"SET LOCAL search_path TO {QUEUE_SCHEMA}")
    raw.execute(SchemaManager.get_schema())
    # its functions and triggers name tables unqualified: pin their search path, so they work
    # whoever calls them (a DELETE by a database administrator on the public search path too)
    raw.execute(
        "DO $$ DECLARE f record; BEGIN"
        " FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p"
        f" JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '{QUEUE_SCHEMA}' LOOP"
        f" EXECUTE format('ALTER FUNCTION %s SET search_path = {QUEUE_SCHEMA}', f.sig); END LOOP; END $$"
    )
    raw.execute("SELECT set_config('search_path', %s, true)", (previous,))


def drop_queue_schema(connection: Any) -> None:
    connection.connection.driver_connection.execute(f"DROP SCHEMA IF EXISTS {QUEUE_SCHEMA} CASCADE")
