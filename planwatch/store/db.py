"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production).

SQLite needs three settings on every connection to behave like a real database for
this job: foreign keys enforced (off by default in SQLite), WAL journaling so readers
are not blocked by an import, and a busy timeout so two writers queue instead of
failing at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker

from planwatch.errors import PlanwatchError
from planwatch.store.credentials import mask_password

SQLITE_BUSY_TIMEOUT_MS = 30_000


class DatabaseUrlError(PlanwatchError, ValueError):
    """The database URL names a backend planwatch does not support."""

    code = "store.database_url"


def check_database_url(url: str) -> str:
    """Accept only the two supported backends, with the psycopg 3 driver for PostgreSQL."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise DatabaseUrlError(
            f"无法解析数据库地址 invalid database URL: {mask_password(url)!r}") from exc
    if parsed.drivername == "sqlite" or parsed.drivername == "postgresql+psycopg":
        return url
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        raise DatabaseUrlError(
            f"请使用 postgresql+psycopg:// 驱动 use the psycopg 3 driver: postgresql+psycopg://… "
            f"(got {parsed.drivername}://)"
        )
    raise DatabaseUrlError(
        f"不支持的数据库 unsupported database {parsed.drivername!r}: "
        "use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB"
    )


class DatabaseUnreachableError(PlanwatchError):
    """The database server cannot be reached (not running, wrong host or port, refused)."""

    code = "store.database_unreachable"


def _unreachable(context: ExceptionContext) -> None:
    """Turn a failure to connect to PostgreSQL into a message naming host and port.

    Only connecting is translated: an OperationalError on a live connection (a lock
    timeout, a serialisation failure) stays what it is, because the importers retry those.
    The password is never shown; the server's own reason is, with it masked.
    """
    if context.connection is not None and not context.is_disconnect:
        return
    url = context.engine.url if context.engine is not None else None
    if url is None or url.get_backend_name() != "postgresql":
        return
    if not isinstance(context.original_exception, Exception) or context.sqlalchemy_exception is None:
        return
    if type(context.original_exception).__name__ != "OperationalError":
        return
    lines = [line.strip() for line in str(context.original_exception).splitlines() if line.strip()]
    reason = lines[0] if lines else type(context.original_exception).__name__
    if url.password:
        reason = reason.replace(str(url.password), "***")
    raise DatabaseUnreachableError(
        f"无法连接 PostgreSQL 数据库服务器 {url.host or 'localhost'}:{url.port or 5432}"
        f"（数据库 {url.database or ''}，用户 {url.username or ''}）：{reason}。"
        "请确认服务器已启动、地址和端口正确 (cannot connect to the database server)"
    ) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not _is_memory(dbapi_connection):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _is_memory(dbapi_connection: Any) -> bool:
    cursor = dbapi_connection.cursor()
    try:
        rows = cursor.execute("PRAGMA database_list").fetchall()
    finally:
        cursor.close()
    return any(row[1] == "main" and not row[2] for row in rows)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for a supported URL, with the SQLite pragmas installed."""
    check_database_url(url)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "handle_error", _unreachable)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; take it over
        # so that a session's transaction really is one database transaction.
        event.listen(engine, "connect", _disable_pysqlite_begin)
        event.listen(engine, "begin", _emit_begin)
    return engine


def _disable_pysqlite_begin(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


SQLITE_BEGIN_OPTION = "planwatch_sqlite_begin"
"""Execution option naming the SQLite BEGIN mode of a transaction (``"immediate"``)."""


def _emit_begin(conn: Any) -> None:
    # A deferred transaction that reads and then writes cannot wait for another writer in WAL
    # mode: its snapshot is stale once the other commits, and SQLite answers "database is
    # locked" at once instead of using the busy timeout. Transactions that will write (a web
    # request touching its session) begin IMMEDIATE, so they queue on the busy timeout.
    mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "immediate" else "BEGIN")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit if the block succeeds, roll back everything if it raises."""
    with factory() as session, session.begin():
        yield session
