"""The triggers that keep ``audit_log`` append-only, for migration 0007 and a new workspace.

等保 2.0 asks that audit records be beyond the application's reach: they refuse every UPDATE
and DELETE on SQLite and PostgreSQL, and TRUNCATE on PostgreSQL. Migration 0007 creates them
on an existing database and :func:`planwatch.store.fresh_schema.create_schema` on a new one, from
this one text, so both kinds of workspace get the same triggers.
"""

from __future__ import annotations

_REFUSAL = "audit_log is append-only: 审计日志不可修改或删除"

SQLITE_TRIGGERS = (
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
)
PG_TRIGGERS = (
    "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$"
    f" BEGIN RAISE EXCEPTION '{_REFUSAL}'; END; $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log"
    " FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()",
)


def audit_log_triggers(dialect: str) -> tuple[str, ...]:
    """The statements that create the triggers on this dialect (``sqlite`` or ``postgresql``)."""
    return PG_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS

