"""Where the PostgreSQL password lives: never in workspace.yaml, never on screen.

workspace.yaml is meant to be read, copied and mailed around; a password in its database URL
leaks with it, and ``init`` used to print it. So the URL is stored without the password, and
the password is found when the database is opened, in this order:

1. the environment variable ``PLANWATCH_DATABASE_PASSWORD`` (for servers and CI);
2. ``.pgpass`` in the workspace folder — libpq's own format (``host:port:db:user:password``),
   which ``init`` writes when it is given a URL with a password, created with mode 0600 and
   refused if anyone but its owner may read it;
3. whatever libpq finds itself: ``PGPASSWORD``, ``PGPASSFILE`` or ``~/.pgpass``.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from planwatch.errors import PlanwatchError

PASSWORD_ENV = "PLANWATCH_DATABASE_PASSWORD"
PGPASS_FILE = ".pgpass"

_URL_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")


class CredentialsError(PlanwatchError):
    """The workspace's password file is unsafe or unreadable."""

    code = "store.credentials"


def mask_password(url: str) -> str:
    """``url`` with any password shown as ``***``, even when it cannot be parsed."""
    try:
        parsed = make_url(url)
    except Exception:  # an unparseable URL still must not be echoed with its password
        return _URL_PASSWORD.sub(r"\1***@", url)
    if parsed.password is None:
        return url
    return parsed.render_as_string(hide_password=True)


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None)."""
    parsed = make_url(url)
    if parsed.password is None:
        return url, None
    bare = parsed._replace(password=None)  # URL.set() ignores None: it cannot clear a field
    return bare.render_as_string(hide_password=False), str(parsed.password)


def _pgpass_field(value: object) -> str:
    if value is None or value == "":
        return "*"
    return str(value).replace("\\", "\\\\").replace(":", "\\:")


def pgpass_line(url: str, password: str) -> str:
    """The libpq password-file line that gives ``password`` for exactly this server, database
    and user (``*`` where the URL leaves a part to libpq's default)."""
    parsed = make_url(url)
    fields = [parsed.host or "localhost", parsed.port, parsed.database, parsed.username]
    return ":".join(_pgpass_field(f) for f in fields) + ":" + _pgpass_field(password) + "\n"


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable and writable by the owner only (0600),
    whatever the umask; the file never exists with wider permissions, not even briefly."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fd = -1
            fh.write(text)
    finally:
        if fd != -1:
            os.close(fd)
    tmp.replace(path)


def write_pgpass(folder: Path, url: str, password: str) -> Path:
    path = folder / PGPASS_FILE
    write_private(path, pgpass_line(url, password))
    return path


def _check_private(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(
            f"密码文件 {path} 的权限为 {stat.S_IMODE(mode):04o}，其他用户可以读取，拒绝使用；"
            f"请执行 chmod 600 {path} (password file must be mode 0600)"
        )


def engine_arguments(folder: Path, url: str) -> tuple[str, dict[str, Any]]:
    """The URL and connect arguments to open the workspace's database with its password."""
    parsed: URL = make_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.password is not None:
        return url, {}
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return parsed.set(password=from_env).render_as_string(hide_password=False), {}
    passfile = folder / PGPASS_FILE
    if passfile.is_file():
        _check_private(passfile)
        return url, {"connect_args": {"passfile": str(passfile)}}
    return url, {}
