"""The one lock that serialises everything that changes a unit's submissions.

Imports allocate revision numbers and transitions (submit, review, approve, return) move the
latest revision; both must see what the other committed, or an import that began before an
approval committed stores a draft on top of the approved revision (issue 11). So both take
the unit's row lock first, always in the same order — unit, then submission — which also
rules out deadlocks between them:

* PostgreSQL: ``SELECT … FOR UPDATE`` on the unit row. Under READ COMMITTED each later
  statement sees what the previous holder committed.
* SQLite: a no-op ``UPDATE`` of the unit row as the transaction's first statement, which takes
  the database write lock (waiting up to the busy timeout) before anything is read, so the
  transaction's snapshot is never older than the last writer's commit.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Connection, Table, bindparam, select, update

from planwatch.store.models import Submission, Unit

_UNIT = cast(Table, Unit.__table__)
_SUBMISSION = cast(Table, Submission.__table__)

_LOCK_UNIT_PG = select(_UNIT.c.id).where(_UNIT.c.id == bindparam("unit_id")).with_for_update()
_LOCK_UNIT_WRITE = update(_UNIT).where(_UNIT.c.id == bindparam("unit_id")).values(name=_UNIT.c.name)

_UNIT_OF_SUBMISSION = (
    select(_SUBMISSION.c.unit_id)
    .where(_SUBMISSION.c.id == bindparam("submission_id"))
    .scalar_subquery()
)
_LOCK_SUBMISSION_UNIT_PG = select(_UNIT.c.id).where(_UNIT.c.id == _UNIT_OF_SUBMISSION).with_for_update()
_LOCK_SUBMISSION_UNIT_WRITE = (
    update(_UNIT).where(_UNIT.c.id == _UNIT_OF_SUBMISSION).values(name=_UNIT.c.name)
)


def lock_unit(conn: Connection, unit_id: int) -> None:
    """Hold the unit's lock until the transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_UNIT_PG, {"unit_id": unit_id})
    else:
        conn.execute(_LOCK_UNIT_WRITE, {"unit_id": unit_id})


def lock_unit_of_submission(conn: Connection, submission_id: int) -> None:
    """Hold the lock of the unit a submission belongs to, in one statement (on SQLite the
    first statement must already be the write; see the module docstring). Nothing is locked
    for an unknown submission; the caller finds that out when it loads it."""
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_SUBMISSION_UNIT_PG, {"submission_id": submission_id})
    else:
        conn.execute(_LOCK_SUBMISSION_UNIT_WRITE, {"submission_id": submission_id})
