"""What the commands write with ``-o`` is readable by its owner only: files 0600, folders 0700.

Templates, reports, exports, assessments and catalogue files carry figures that are not yet
published (a unit's draft, the office's verdicts before the 统计局 releases them). Written
with Python's defaults under the usual umask 022 they came out 0644, readable by every user of
the machine, wherever ``-o`` pointed — often a shared folder or /tmp.

Why 0600 and not 0640: the figures come from the workspace, whose database, configuration and
folders ``init`` makes owner-only (0600/0700, :mod:`planwatch.store.workspace`), and a copy
should not be easier to read than its source. 0640 would hand them to the file's group, which
on many servers is one ``users`` group holding every account, so "group" is no narrower than
"everyone" there. The reports were already 0600 (their temporary files come from
``mkstemp``); templates and exports now match them. Sharing a file is a deliberate act —
``chmod g+r``, a copy to the shared folder, a download from the web application — not a side
effect of where ``-o`` pointed.

How: the writers are run inside :func:`private_outputs`, which adds 077 to the umask for the
time being. Every file and folder created meanwhile, by whichever library creates it
(openpyxl, python-docx, WeasyPrint, polars, and the report processes started meanwhile, which
inherit the umask), comes into existence without group or other bits, so it is never readable
by others, not even briefly. The umask's intent is kept: a stricter one (0277 …) still
applies, and only group/other bits are ever taken away. A file that already existed and is
overwritten in place keeps its inode and so its old mode; :func:`make_private` takes the
group/other bits off such a file — before writing when the command knows the name (``-o FILE``),
right after each file is written when the names are made from units or plans (``-o FOLDER``).
The folder given to ``-o`` is left as it is if it already existed: it is the user's.

The umask belongs to the whole process, which is right for a command (one job, then exit) and
why this lives in the CLI: the web application writes only inside its 0700 workspace.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OTHERS = stat.S_IRWXG | stat.S_IRWXO
"""The permission bits an output never keeps: anything for the group or for others."""


def make_private(path: Path) -> None:
    """Take the group and other bits off an existing regular file (a link's target is left alone)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISREG(st.st_mode) and st.st_mode & OTHERS:
        os.chmod(path, stat.S_IMODE(st.st_mode) & ~OTHERS)


@contextmanager
def private_outputs(*files: Path | None) -> Iterator[None]:
    """Create owner-only files and folders in the block; ``files``: the known output files (None: stdout).

    Those that exist are made private before the block, so a writer that overwrites one in
    place never puts new figures into a file others can read; they are checked again after.
    """
    known = [path for path in files if path is not None]
    for path in known:
        make_private(path)
    old = os.umask(0o077)
    os.umask(old | 0o077)
    try:
        yield
    finally:
        os.umask(old)
        for path in known:
            make_private(path)
