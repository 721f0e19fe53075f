"""What the office sees when it reviews a submission: each figure against last year's
approved one, and each warning with the 说明 the unit wrote beside its cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect.history import CellRevision, cell_history, latest_submissions, series
from planwatch.collect.template import template_spec
from planwatch.report.formatting import POINT_UNITS, change, printed_change
from planwatch.store.models import Indicator, Observation, StoredProblem, Submission, Unit
from planwatch.web.figures import plain_number
from planwatch.web.form_data import FORM_FILE, UNREPORTED

REVIEW_STATES = ("submitted", "reviewed", "returned", "approved")


def _places(value: float) -> int:
    """How many decimals the figure was typed with (3.29 → 2, 1.0 → 0), at most six."""
    text = plain_number(value)
    return min(len(text.split(".")[1]), 6) if "." in text else 0


@dataclass
class ReviewFigure:
    code: str
    name: str
    breakdown: str
    value: float
    last_year: float | None
    note: str
    history: list[CellRevision] = field(default_factory=list)
    """every revision of the year for this cell, newest first."""
    unit: str | None = None

    @property
    def change(self) -> str:
        """The change on last year in words a reviewer scans: +0.01个千分点 for a rate in % or ‰,
        +12.5% for other figures, 持平 when both print the same, or 无上年数.

        Taken between the two figures at the decimals they were typed with, so 3.29 against
        3.3 is −0.01, and 1 against 1.0 is 持平."""
        if self.last_year is None:
            return "无上年数"
        places = max(_places(self.value), _places(self.last_year))
        delta = printed_change(self.last_year, self.value, places)
        if delta == 0:
            return "持平"
        if self.unit in POINT_UNITS:
            # 3.29‰ → 3.30‰ rose 0.01个千分点; "+0.3%" beside it would read as 0.3 points.
            return change(delta, self.unit, places)
        if self.last_year == 0:
            return "上年为 0"
        relative = delta / abs(self.last_year) * 100
        if abs(relative) < 0.05:
            return "+<0.1%" if delta > 0 else "-<0.1%"
        return f"{relative:+.1f}%"


@dataclass
class ReviewWarning:
    code: str
    message: str
    place: str
    note: str


def area_submissions(session: Session, area_code: str, state: str, year: int | None) -> list[tuple[Submission, str]]:
    """The latest revision of each unit's year in ``state`` (older revisions await nothing)."""
    return area_submissions_by_state(session, area_code, year).get(state, [])


def area_submissions_by_state(session: Session, area_code: str,
                              year: int | None) -> dict[str, list[tuple[Submission, str]]]:
    """state → the latest revisions in it, newest year first, then by unit; with unit names.

    One read for the whole list page: its tabs count every state, and reading the area's
    revisions once per tab was five reads of every revision the area ever stored.
    """
    latest = sorted(latest_submissions(session, area_code=area_code, year=year),
                    key=lambda s: (-s.year, s.unit_id))
    names = {u: n for u, n in session.execute(select(Unit.id, Unit.name).where(Unit.area_code == area_code))}
    out: dict[str, list[tuple[Submission, str]]] = {}
    for sub in latest:
        out.setdefault(sub.state, []).append((sub, names.get(sub.unit_id, str(sub.unit_id))))
    return out


def review_figures(session: Session, sub: Submission) -> list[ReviewFigure]:
    rows = session.execute(
        select(Observation, Indicator).join(Indicator, Indicator.id == Observation.indicator_id)
        .where(Observation.submission_id == sub.id).order_by(Indicator.code, Observation.id)).all()
    last = series(session, sub.area_code, years=[sub.year - 1], exclude_unit_id=None)
    # The office reads what left the unit: a draft the unit has started since is its own.
    history = cell_history(session, sub.area_code, sub.unit_id, sub.year, drafts=False)
    out = []
    for obs, ind in rows:
        note = next((f[5:] for f in obs.flags or [] if isinstance(f, str) and f.startswith("note:")), "")
        out.append(ReviewFigure(ind.code, ind.name, bd.label(obs.breakdown), obs.value,
                                last.get((ind.id, obs.breakdown), {}).get(sub.year - 1), note,
                                history.get((ind.code, obs.breakdown), []), ind.unit))
    return out


def review_warnings(session: Session, sub: Submission) -> list[ReviewWarning]:
    """Stored warnings, each with the 说明 of its cell when the figures came from the online form
    (a form's row number is the cell's position in the unit's template)."""
    notes: dict[int, str] = {}
    if sub.source_file == FORM_FILE:
        unit = session.get(Unit, sub.unit_id)
        assert unit is not None
        spec = template_spec(session, unit, sub.year)
        stored = {(code, breakdown): note for code, breakdown, note in _notes(session, sub.id)}
        notes = {n: stored.get((r.indicator.code, r.breakdown), "") for n, r in enumerate(spec.rows, start=1)}
    out = []
    for p in session.scalars(select(StoredProblem).where(StoredProblem.submission_id == sub.id,
                                                         StoredProblem.severity == "warning")
                             .order_by(StoredProblem.id)):
        place = "".join([p.sheet or "", f" 第{p.row}行" if p.row else "", f" {p.column}列" if p.column else ""])
        note = notes.get(p.row or 0, "")
        if p.code == "value-not-reported" and not note:  # the reason travels in the warning itself
            found = UNREPORTED.match(p.message)
            note = found.group("note") if found else ""
        out.append(ReviewWarning(p.code, p.message, place.strip(), note))
    return out


def _notes(session: Session, submission_id: int) -> list[tuple[str, str, str]]:
    rows = session.execute(select(Indicator.code, Observation.breakdown, Observation.flags)
                           .join(Indicator, Indicator.id == Observation.indicator_id)
                           .where(Observation.submission_id == submission_id))
    return [(code, breakdown, next((f[5:] for f in flags or [] if isinstance(f, str) and f.startswith("note:")), ""))
            for code, breakdown, flags in rows]
