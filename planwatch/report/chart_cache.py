"""The folder through which report processes share the PNG charts they draw.

Its own module, not part of ``charts``, so that the report pool can point its workers at
the folder without importing matplotlib in a worker that only writes Word files.
"""

from __future__ import annotations

from pathlib import Path

_shared: list[Path | None] = [None]


def use_shared_cache(folder: Path | None) -> None:
    """Share drawn charts with other processes through ``folder`` (None: stop sharing).

    The report pool's workers all point at one temporary folder, so a chart that two
    documents contain is drawn by whichever worker meets it first and read by the others.
    """
    _shared[0] = folder


def shared_cache() -> Path | None:
    return _shared[0]
