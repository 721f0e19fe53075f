"""Alembic environment packaged with planwatch; it always runs on a caller-given connection.

planwatch never reads alembic.ini: ``planwatch.store.migrate`` builds the Config in code
and passes the open connection in ``config.attributes["connection"]``, so migrations run
inside the caller's transaction on whichever database the workspace uses.
"""

from __future__ import annotations

from alembic import context

from planwatch.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("planwatch migrations need a connection in config.attributes['connection']")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only ALTER tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
