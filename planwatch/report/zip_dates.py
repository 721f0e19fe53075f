"""Zip packages (a .docx) whose entries carry the report's date, not the moment of saving.

python-docx stamps every part of the package with the clock time it is saved at, so the
same report written a minute later was a different file, though no part of it differed.
Re-stamping the entries with the date the report itself carries makes a report given a
date the same bytes whenever it is written (``planwatch.report.dating``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path


def write_dated(package: bytes, path: Path, when: dt.datetime) -> None:
    """Write the zip ``package`` to ``path`` with every entry dated ``when``; names, order,
    compression and the parts' bytes stay as they were."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info))
