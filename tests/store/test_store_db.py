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
