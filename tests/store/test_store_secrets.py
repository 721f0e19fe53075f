"""Issue 11 item 6: the database password is never written to workspace.yaml nor printed, and
what a workspace holds is readable by its owner only (files 0600, folders 0700)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from file_modes import mode
from migrated_db import empty_postgres
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.store.credentials import (
    PASSWORD_ENV,
    PGPASS_FILE,
    CredentialsError,
    mask_password,
    pgpass_line,
    split_password,
)
from planwatch.store.db import DatabaseUrlError, check_database_url
from planwatch.store.workspace import SQLITE_FILE, WORKSPACE_FILE, open_workspace

JINAN = Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"
SECRET = "S3cr:et\\pw@x/y"
"""Colons, a backslash, an at sign and a slash: every character the two formats must escape."""



@pytest.fixture
def pg_url(pg_server_url: str) -> str:
    """The test server's database, emptied, with no password in its URL."""
    empty_postgres(pg_server_url)
    return pg_server_url


def with_password(url: str, password: str) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def connection_password(ws_path: Path) -> str | None:
    """The password libpq actually used to connect (trust auth accepts any, so ask libpq)."""
    with open_workspace(ws_path) as ws, ws.engine.connect() as conn:
        return conn.connection.dbapi_connection.info.password  # type: ignore[union-attr]


def test_url_helpers_never_leak() -> None:
    url = with_password("postgresql+psycopg://planwatch@db.example:5433/monitor", SECRET)
    bare, password = split_password(url)
    assert password == SECRET and bare == "postgresql+psycopg://planwatch@db.example:5433/monitor"
    assert SECRET not in mask_password(url) and "***" in mask_password(url)
    assert "hunter2" not in mask_password("not a url://u:hunter2@host/db")
    assert pgpass_line(url, SECRET) == "db.example:5433:monitor:planwatch:S3cr\\:et\\\\pw@x/y\n"
    with pytest.raises(DatabaseUrlError) as info:
        check_database_url("postgresql+psycopg://u:hunter2@host:notaport/db")
    assert "hunter2" not in str(info.value)


@pytest.mark.postgres
def test_init_keeps_the_password_out_of_yaml_and_output(
    pg_url: str, tmp_path: Path, umask_022: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["init", str(ws), "--plan", str(JINAN),
                                      "--database-url", with_password(pg_url, SECRET)])
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output and "S3cr" not in result.output
    config = (ws / WORKSPACE_FILE).read_text(encoding="utf-8")
    assert "S3cr" not in config
    assert yaml.safe_load(config)["database_url"] == pg_url
    assert (mode(ws), mode(ws / WORKSPACE_FILE), mode(ws / PGPASS_FILE)) == (0o700, 0o600, 0o600)
    assert (ws / PGPASS_FILE).read_text(encoding="utf-8") == pgpass_line(pg_url, SECRET)
    assert connection_password(ws) == SECRET  # libpq read the workspace's password file

    monkeypatch.setenv(PASSWORD_ENV, "from-the-environment")
    assert connection_password(ws) == "from-the-environment"  # the environment comes first
    monkeypatch.delenv(PASSWORD_ENV)

    os.chmod(ws / PGPASS_FILE, 0o644)  # readable by others: refused, not silently used
    with pytest.raises(CredentialsError, match="chmod 600"):
        open_workspace(ws)
    result = CliRunner().invoke(app, ["status", str(ws), "--year", "2023"])
    assert result.exit_code != 0 and "S3cr" not in result.output
    os.chmod(ws / PGPASS_FILE, 0o600)

    # a workspace.yaml from before: the password is moved out when the workspace is opened
    (ws / PGPASS_FILE).unlink()
    data = yaml.safe_load(config)
    data["database_url"] = with_password(pg_url, SECRET)
    (ws / WORKSPACE_FILE).write_text(yaml.safe_dump(data), encoding="utf-8")
    assert connection_password(ws) == SECRET
    assert "S3cr" not in (ws / WORKSPACE_FILE).read_text(encoding="utf-8")
    assert (mode(ws / WORKSPACE_FILE), mode(ws / PGPASS_FILE)) == (0o600, 0o600)


def test_sqlite_workspace_is_private_to_its_owner(tmp_path: Path, umask_022: None) -> None:
    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["init", str(ws), "--plan", str(JINAN)])
    assert result.exit_code == 0, result.output
    plans = ws / "plans"
    assert {p.name: mode(p) for p in (ws, plans)} == {"ws": 0o700, "plans": 0o700}
    files = [ws / WORKSPACE_FILE, ws / SQLITE_FILE, *plans.iterdir()]
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    with open_workspace(ws) as opened, opened.engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM unit")).scalar()
        wal = [ws / (SQLITE_FILE + "-wal"), ws / (SQLITE_FILE + "-shm")]
        assert all(p.exists() for p in wal)
        assert [mode(p) for p in wal] == [0o600, 0o600]  # SQLite copies the database's mode
    assert not (ws / PGPASS_FILE).exists()


URL_ENV = "PLANWATCH_DATABASE_URL"
PS_WARNING = "进程列表（ps）"


def url_file(folder: Path, url: str, file_mode: int) -> Path:
    path = folder / "database-url"
    path.write_text(url + "\n", encoding="utf-8")
    os.chmod(path, file_mode)
    return path


@pytest.mark.postgres
@pytest.mark.parametrize("source", ["file", "environment"])
def test_init_takes_the_url_with_its_password_off_the_command_line(
    source: str, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither way puts the password into argv (what ps shows), and neither draws the warning."""
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    ws = tmp_path / "ws"
    args = ["init", str(ws), "--plan", str(JINAN)]
    if source == "file":
        args += ["--database-url-file", str(url_file(tmp_path, with_password(pg_url, SECRET), 0o600))]
        monkeypatch.delenv(URL_ENV, raising=False)
    else:
        monkeypatch.setenv(URL_ENV, with_password(pg_url, SECRET))
    assert not any("S3cr" in a for a in args)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "S3cr" not in result.output and PS_WARNING not in result.output
    assert yaml.safe_load((ws / WORKSPACE_FILE).read_text(encoding="utf-8"))["database_url"] == pg_url
    assert connection_password(ws) == SECRET


@pytest.mark.postgres
def test_a_password_on_the_command_line_is_warned_about(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)
    result = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(JINAN),
                                      "--database-url", with_password(pg_url, SECRET)])
    assert result.exit_code == 0, result.output
    assert PS_WARNING in result.stderr and "--database-url-file" in result.stderr
    assert "S3cr" not in result.output
    # without a password there is nothing to warn about (the database is taken now: refused)
    result = CliRunner().invoke(app, ["init", str(tmp_path / "ws2"), "--plan", str(JINAN),
                                      "--database-url", pg_url])
    assert result.exit_code == 1 and PS_WARNING not in result.output


@pytest.mark.parametrize("file_mode", [0o644, 0o640, 0o604], ids=["0644", "0640", "0604"])
def test_a_url_file_others_can_read_is_refused(file_mode: int, tmp_path: Path) -> None:
    path = url_file(tmp_path, "postgresql+psycopg://planwatch:hunter2@db.example/monitor", file_mode)
    result = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(JINAN),
                                      "--database-url-file", str(path)])
    assert result.exit_code == 1
    said = "".join(result.output.split())  # rich wraps long paths
    assert f"权限为{file_mode:04o}" in said and f"chmod600{path}" in said
    assert "hunter2" not in result.output
    assert not (tmp_path / "ws").exists()


def test_url_file_and_url_together_or_a_bad_file_are_refused(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    good = url_file(tmp_path, "postgresql+psycopg://planwatch@db.example/monitor", 0o600)
    both = CliRunner().invoke(app, ["init", str(ws), "--plan", str(JINAN), "--database-url",
                                    "postgresql+psycopg://planwatch@db.example/monitor",
                                    "--database-url-file", str(good)])
    assert both.exit_code == 1 and "只能指定其一" in both.output
    missing = CliRunner().invoke(app, ["init", str(ws), "--plan", str(JINAN),
                                       "--database-url-file", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "找不到数据库 URL 文件" in missing.output
    two_lines = url_file(tmp_path, "postgresql+psycopg://a@h/d\npostgresql+psycopg://b@h/d", 0o600)
    result = CliRunner().invoke(app, ["init", str(ws), "--plan", str(JINAN),
                                      "--database-url-file", str(two_lines)])
    assert result.exit_code == 1 and "应只有一行" in result.output
    assert not ws.exists()


def test_the_environment_stands_for_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PLANWATCH_DATABASE_URL is read when neither option is given (and checked like one)."""
    monkeypatch.setenv(URL_ENV, "mysql://x/y")
    result = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(JINAN)])
    assert result.exit_code == 1 and "不支持的数据库" in result.output
    assert not (tmp_path / "ws").exists()
    monkeypatch.setenv(URL_ENV, "")  # set but empty: the workspace's SQLite file, as without it
    result = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(JINAN)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ws" / SQLITE_FILE).exists()


def test_the_warning_needs_no_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Said before connecting, so it is there even when the server is down."""
    monkeypatch.delenv(URL_ENV, raising=False)
    url = "postgresql+psycopg://planner:Secr3tPassw0rd@127.0.0.1:1/planwatch"
    result = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(JINAN), "--database-url", url])
    assert result.exit_code == 1 and PS_WARNING in result.stderr
    assert "Secr3tPassw0rd" not in result.output


def test_demo_takes_the_url_file_too(tmp_path: Path) -> None:
    path = url_file(tmp_path, "postgresql+psycopg://planwatch:hunter2@db.example/monitor", 0o644)
    result = CliRunner().invoke(app, ["demo", str(tmp_path / "demo"), "--database-url-file", str(path)])
    assert result.exit_code == 1 and "chmod" in result.output and "hunter2" not in result.output
    assert not (tmp_path / "demo").exists()
