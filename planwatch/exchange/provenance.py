"""Where each pulled submission came from: the provenance rows a pull wrote, for listing.

Apart from :mod:`planwatch.exchange.pull` because listing is a read that needs the models
only, while a pull needs the importer and its workbook readers: ``planwatch pulled`` then
starts without them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.store import models as m


def provenance(session: Session, area_code: str | None = None) -> list[dict[str, Any]]:
    """Every pulled submission the city holds with its source, newest pull first."""
    q = (
        select(m.PulledSubmission, m.Submission, m.Unit.name)
        .join(m.Submission, m.Submission.id == m.PulledSubmission.submission_id)
        .join(m.Unit, m.Unit.id == m.Submission.unit_id)
        .order_by(m.PulledSubmission.pulled_at.desc(), m.PulledSubmission.id.desc())
    )
    if area_code is not None:
        q = q.where(m.Submission.area_code == area_code)
    return [
        {
            "submission_id": sub.id,
            "area_code": sub.area_code,
            "unit": unit,
            "year": sub.year,
            "revision": sub.revision,
            "source_kind": p.source_kind,
            "source": p.source,
            "source_submission_id": p.source_submission_id,
            "source_revision": p.source_revision,
            "source_approved_at": p.source_approved_at,
            "pulled_at": p.pulled_at,
            "pulled_by": p.pulled_by,
        }
        for p, sub, unit in session.execute(q)
    ]
