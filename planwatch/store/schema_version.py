"""Which schema a database is at, and which this planwatch ships, without loading Alembic.

Opening a workspace only has to compare two revision ids; Alembic (and every migration
script, which it imports to walk the chain) is needed only to *change* a schema, on
``init`` and ``upgrade``. Reading ``alembic_version`` with one query and the chain from the
scripts' ``revision`` / ``down_revision`` lines keeps every command that opens a workspace
about a tenth of a second quicker to start; a test checks both answers against Alembic's.

Even reading the scripts' text costs a workspace command more than its query (each script is
parsed): a database at the newest revision, which is what every open meets once the workspace
is upgraded, is recognised from the scripts' *file names* alone (``0007_web_accounts.py``
holds revision ``0007``). The scripts are read only when the names and the database disagree,
to tell an older database from a newer one; a test keeps the names' head equal to Alembic's.
"""

from __future__ import annotations

import ast
import os
import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, inspect, text

VERSIONS_DIR = Path(__file__).with_name("migrations") / "versions"
_NUMBERED_SCRIPT = re.compile(r"(\d+)_\w+\.py")


def database_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None for a database planwatch never touched."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


@cache
def shipped_revisions() -> dict[str, tuple[str, ...]]:
    """Every migration's revision → the revisions it follows, read from the scripts' text."""
    chain: dict[str, tuple[str, ...]] = {}
    for script in sorted(VERSIONS_DIR.glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            target: ast.expr
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                values[target.id] = ast.literal_eval(value)
        if "revision" not in values:
            continue
        down = values.get("down_revision")
        parents = () if down is None else ((down,) if isinstance(down, str) else tuple(down))  # type: ignore[arg-type]
        chain[str(values["revision"])] = tuple(str(p) for p in parents)
    return chain


def shipped_head() -> str | None:
    """The one revision no other migration follows; None if the scripts have several heads."""
    chain = shipped_revisions()
    followed = {parent for parents in chain.values() for parent in parents}
    heads = [rev for rev in chain if rev not in followed]
    return heads[0] if len(heads) == 1 else None


def head_by_name() -> str | None:
    """The newest script's revision as its file name gives it (``0007_web_accounts.py`` → ``0007``).

    A directory listing, no file read: cheap enough for every open. None when no script is
    named that way. Only a shortcut for "the database is current"; anything else goes to
    :func:`shipped_head`, which reads the scripts.
    """
    numbers = [found.group(1) for name in os.listdir(VERSIONS_DIR)
               if (found := _NUMBERED_SCRIPT.fullmatch(name))]
    return max(numbers, key=int) if numbers else None
