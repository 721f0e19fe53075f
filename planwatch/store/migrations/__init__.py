"""Alembic migrations shipped with planwatch (see planwatch.store.migrate)."""
