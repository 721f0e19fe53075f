"""What every file import shares, whatever the file holds (figures or self-evaluations).

A batch's verdict is whether every file was accepted (the CLI's exit code). The figures
import checks every file before storing any and stores none of a batch with a refused file
unless asked for a partial import (:func:`planwatch.collect.importer.import_files`).
Storing is retried after losing a race with a concurrent import; which failures count as
such a race is the caller's to say, because the two imports guard different rows. The file's
SHA-256 goes into the audit trail so the very file a figure came from can be found again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker


class FileOutcome(Protocol):
    @property
    def accepted(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...


F = TypeVar("F", bound=FileOutcome)
T = TypeVar("T")


@dataclass
class BatchResult(Generic[F]):
    """The outcome of each file of one import call, in the order given."""

    files: list[F] = field(default_factory=list)
    partial: bool = False
    """True when valid files were to be stored even though others were refused."""

    @property
    def held(self) -> int:
        """Valid files left unstored because the batch had a refused file."""
        return sum(bool(getattr(f, "held", False)) for f in self.files)

    @property
    def accepted(self) -> bool:
        """True when every file was accepted (the CLI's exit code 0)."""
        return bool(self.files) and all(f.accepted for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.accepted,
            "accepted": sum(f.accepted for f in self.files),
            "rejected": sum(not f.accepted and not getattr(f, "held", False) for f in self.files),
            "held": self.held,
            "partial": self.partial,
            "files": [f.to_dict() for f in self.files],
        }


def file_sha256(path: Path) -> str | None:
    """The file's checksum, or None when it can no longer be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def retry_transaction(
    factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    attempts: int,
    retryable: Callable[[IntegrityError | OperationalError], bool],
) -> T:
    """Run ``work`` in a fresh committed transaction, again after a lost race.

    Each retry starts from a new session, so ``work`` sees what the winner wrote; the
    pause grows with each attempt to let the racing transaction finish.
    """
    for attempt in range(1, attempts + 1):
        try:
            with factory() as session, session.begin():
                return work(session)
        except (IntegrityError, OperationalError) as exc:
            if attempt == attempts or not retryable(exc):
                raise
            time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")
