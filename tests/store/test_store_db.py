"""Engine settings: SQLite behaves like a server database; only supported URLs are accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from planwatch.store.db import DatabaseUrlError, check_database_url, make_engine


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    engine.dispose()


def test_sqlite_rollback_is_complete(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        conn.execute(text("CREATE TABLE u (y INTEGER)"))
        raise RuntimeError("abort")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
        tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
        assert list(tables) == ["t"]
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://postgres@localhost/db", "psycopg 3"),
        ("mysql://u@h/db", "不支持的数据库"),
        ("not a url", "无法解析"),
    ],
)
def test_unsupported_urls(url: str, message: str) -> None:
    with pytest.raises(DatabaseUrlError, match=message):
        check_database_url(url)


def _read_then_write_in_two_threads(tmp_path: Path, immediate: bool) -> list[str]:
    """Two transactions that each read, wait for the other to have read, then write — the
    shape of two web requests touching their sessions at once. Returns each one's outcome."""
    import threading

    from planwatch.store.db import SQLITE_BEGIN_OPTION, make_sessionmaker

    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE seen (who TEXT, n INTEGER)"))
    sessions = make_sessionmaker(engine)
    have_read = [threading.Event(), threading.Event()]
    outcomes = ["", ""]

    def worker(i: int) -> None:
        try:
            with sessions() as session, session.begin():
                if immediate:
                    session.connection(execution_options={SQLITE_BEGIN_OPTION: "immediate"})
                session.execute(text("SELECT count(*) FROM seen")).scalar()
                have_read[i].set()
                have_read[1 - i].wait(timeout=0.5)  # the other blocks at BEGIN when immediate
                session.execute(text("INSERT INTO seen VALUES (:w, 1)"), {"w": str(i)})
            outcomes[i] = "ok"
        except Exception as exc:  # the outcome is what the test looks at
            outcomes[i] = type(exc).__name__

    threads = [threading.Thread(target=worker, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM seen")).scalar()
    engine.dispose()
    outcomes.append(f"stored={stored}")
    return outcomes


def test_deferred_read_then_write_transactions_collide_on_sqlite(tmp_path: Path) -> None:
    # The failure the web application met with several logins at once: the second writer's
    # snapshot is stale and SQLite refuses it at once, whatever the busy timeout.
    outcomes = _read_then_write_in_two_threads(tmp_path, immediate=False)
    assert "OperationalError" in outcomes and "stored=1" in outcomes


def test_immediate_transactions_queue_instead_of_failing(tmp_path: Path) -> None:
    assert _read_then_write_in_two_threads(tmp_path, immediate=True) == ["ok", "ok", "stored=2"]
