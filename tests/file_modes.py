"""Permission bits of written files, for the tests of owner-only outputs and secrets."""

from __future__ import annotations

import stat
from pathlib import Path


def mode(path: Path) -> int:
    """The file's permission bits (0o600 …), without its type."""
    return stat.S_IMODE(path.stat().st_mode)
