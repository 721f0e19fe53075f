"""Write a report file whole or not at all.

A report generation interrupted with Ctrl-C (or failing half-way) must not leave a
truncated .docx that Word refuses to open, or worse, one that opens and looks complete.
Each file is written to a temporary name in the same folder and renamed into place only
once finished; ``os.replace`` is atomic within one file system.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path to write to; it becomes ``target`` when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        # BaseException: KeyboardInterrupt must clean up too.
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
