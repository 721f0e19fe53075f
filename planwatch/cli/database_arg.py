"""How `init` and `demo` are told the PostgreSQL database without showing its password.

Anything on a command line is in the process list: ``ps`` and ``/proc/PID/cmdline`` show it
to every user of the machine for as long as the command runs, and shells keep it in their
history. A password in ``--database-url`` leaks that way even though planwatch itself never
writes nor prints it. So the URL can also come from

1. ``--database-url-file PATH``: a file holding the URL on one line, refused (like the
   workspace's ``.pgpass`` and like libpq's own) when its group or others have any access to
   it, since the whole point is that nobody else reads the password; or
2. the environment variable ``PLANWATCH_DATABASE_URL``, which only the process's owner (and
   root) can read in ``/proc/PID/environ``.

``--database-url`` keeps working; a password in it draws a warning on standard error, and
the two options together are refused rather than one silently winning. ``serve`` and
``worker`` take no URL at all: they open the workspace, whose workspace.yaml names the
database without a password, and find the password in ``PLANWATCH_DATABASE_PASSWORD`` or the
workspace's ``.pgpass`` (see :mod:`planwatch.store.credentials`).

This lives in the CLI because it is only about getting the URL into the process: Python
callers pass it to :func:`planwatch.api.create_workspace` as a string.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer

from planwatch.cli.console import errors, fail, labelled

URL_ENV = "PLANWATCH_DATABASE_URL"
_PASSWORD_IN_URL = re.compile(r"://[^/@:]*:[^/@]+@")

DatabaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="PostgreSQL：postgresql+psycopg://USER@HOST:PORT/DB（默认：工作区内 SQLite）；"
        "密码不写入 workspace.yaml，存入工作区 .pgpass（0600），或用环境变量 PLANWATCH_DATABASE_PASSWORD。"
        "命令行中的密码会出现在进程列表（ps）中：含密码的 URL 请改用 --database-url-file "
        f"或环境变量 {URL_ENV}",
    ),
]
DatabaseUrlFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--database-url-file",
        help="从文件读取数据库 URL（一行；文件权限须为 0600 或 0400，仅所有者可读）"
        "read the database URL from a file only its owner can read",
    ),
]

MAX_URL_FILE_BYTES = 4096
"""A URL file is one line; anything longer is not the file the user meant."""


def database_url(url: str | None, url_file: Path | None) -> str | None:
    """The URL from ``--database-url``, ``--database-url-file`` or ``PLANWATCH_DATABASE_URL``.

    A flag given on this command line wins over the environment, which may have been set
    for another purpose long before; None means the workspace's own SQLite file.
    """
    if url is not None and url_file is not None:
        raise fail("--database-url 与 --database-url-file 只能指定其一 (give one of them, not both)")
    if url_file is not None:
        return read_url_file(url_file)
    if url is not None:
        if _has_password(url):
            errors.print(labelled(
                "警告 warning:", "yellow",
                " 命令行中的数据库密码会出现在进程列表（ps）和 shell 历史中，"
                f"本机其他用户可以看到；请改用 --database-url-file 或环境变量 {URL_ENV}，"
                "或在 URL 中省略密码并设置 PLANWATCH_DATABASE_PASSWORD "
                "(a password on the command line is visible to other users)",
            ))
        return url
    return os.environ.get(URL_ENV) or None


def read_url_file(path: Path) -> str:
    """The URL in ``path``, refused unless only its owner may read or write it.

    The mode is read from the open file (``fstat``), so what is checked is what is read.
    """
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise fail(f"找不到数据库 URL 文件 file not found: {shown}") from None
    except OSError as exc:
        raise fail(f"无法读取数据库 URL 文件 {shown}：{exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise fail(f"数据库 URL 文件 {shown} 不是普通文件 (not a regular file)")
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise fail(
                f"数据库 URL 文件 {shown} 的权限为 {stat.S_IMODE(mode):04o}，其他用户可以读取其中的密码，"
                f"拒绝使用；请执行 chmod 600 {shown} (the URL file must be readable by its owner only)"
            )
        data = fh.read(MAX_URL_FILE_BYTES + 1)
    try:
        lines = [line.strip() for line in data.decode("utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError:
        lines = []
    if len(data) > MAX_URL_FILE_BYTES or len(lines) != 1:
        raise fail(f"数据库 URL 文件 {shown} 应只有一行数据库 URL (one line: the database URL)")
    return lines[0]


def _has_password(url: str) -> bool:
    """Whether ``url`` carries a password (``scheme://user:password@host``)."""
    try:
        return bool(urlsplit(url).password)
    except ValueError:  # malformed (init refuses it later), but a password in it still shows in ps
        return _PASSWORD_IN_URL.search(url) is not None
