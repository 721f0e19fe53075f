"""The online form of a unit's year: its cells come from the same template specification as
the Excel workbook, and what is typed goes through the importer's own checking path
(:func:`planwatch.collect.importer.check_parsed`) as :class:`InputRow` objects, so the form
shows the same problem ids and Chinese messages as an uploaded workbook and stores its draft
as a submission revision exactly like an import.

Each form cell is one template row; its position in the form (1, 2, …) is the row number the
rules report problems at, which is how a message finds its way back to its cell.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect.catalogue import ImportCatalogue
from planwatch.collect.cells import NotANumber, parse_number, parse_text
from planwatch.collect.history import CellRevision, cell_history
from planwatch.collect.importer import CheckedFile, check_parsed, store
from planwatch.collect.problems import PROBLEM_TYPES, Problem, problem
from planwatch.collect.rows import InputRow, ParsedFile
from planwatch.collect.template import TemplateSpec, template_spec
from planwatch.collect.workflow import Unlocked, unlocked
from planwatch.limits import Limits
from planwatch.store.models import Indicator, Observation, StoredProblem, Submission, Unit
from planwatch.web.figures import plain_number
from planwatch.web.pages_data import retirement_note

FORM_FILE = "网页填报"
"""What a problem's ``file`` and a revision's ``source_file`` say for figures typed online."""
VALUE_COLUMN = "本年数值"
NOTE_COLUMN = "说明"
NUMBER_FIELDS = {"value": VALUE_COLUMN, "numerator": "分子", "denominator": "分母"}
"""The typed fields of a cell and the column names problems give them (the workbook's labels)."""


@dataclass
class FormCell:
    """One input of the form: an indicator × breakdown, with last year's figure beside it."""

    row: int
    code: str
    name: str
    unit_label: str
    breakdown: str
    last_year: float | None
    target: str
    is_rate: bool = False
    measurable: bool = True
    """False for a directional indicator (no unit of measure): no figure is asked for, so the
    form shows the row as text, not as inputs."""
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    note: str = ""
    problems: list[Problem] = field(default_factory=list)
    derived: str = ""
    """the stored value when it was computed from numerator and denominator: shown beside the
    inputs, not put into the value input, so that changing a count recomputes it instead of
    clashing with a stale typed value."""
    history: list[CellRevision] = field(default_factory=list)
    """every revision of the year for this cell, newest first."""

    @property
    def breakdown_label(self) -> str:
        return bd.label(self.breakdown)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def needs_note(self) -> bool:
        """A warning stands on this cell and nobody has yet written why the figure is right."""
        return bool(self.warnings) and not self.note.strip()


@dataclass
class Form:
    area_code: str
    area_name: str
    unit_id: int
    unit_name: str
    year: int
    cells: list[FormCell]
    latest: Submission | None = None
    general: list[Problem] = field(default_factory=list)
    """problems that belong to no single cell."""
    checked: CheckedFile | None = None
    unlocked: Unlocked | None = None
    """the office's unlock that reopened the year, while the unit has not yet re-submitted."""
    retired: str | None = None
    """set when the unit was retired before this year: nothing may be filled (see pages_data)."""

    @property
    def errors(self) -> int:
        return sum(len(c.errors) for c in self.cells) + sum(p.severity == "error" for p in self.general)

    @property
    def unexplained(self) -> int:
        return sum(c.needs_note for c in self.cells)

    @property
    def editable(self) -> bool:
        return self.retired is None and (self.latest is None or self.latest.state in ("draft", "returned"))

    def key(self, cell: FormCell) -> str:
        return f"{cell.code}|{cell.breakdown}"


def empty_form(session: Session, unit: Unit, year: int) -> Form:
    """The form with the latest revision's figures and notes filled in."""
    spec: TemplateSpec = template_spec(session, unit, year)
    cells = [
        FormCell(row=n, code=r.indicator.code, name=r.indicator.name, unit_label=r.indicator.unit_label,
                 breakdown=r.breakdown, last_year=r.last_year, target=r.target, is_rate=r.indicator.is_rate,
                 measurable=r.indicator.measurable)
        for n, r in enumerate(spec.rows, start=1)
    ]
    latest = latest_submission(session, unit.area_code, unit.id, year)
    if latest is not None:
        stored = stored_figures(session, latest.id)
        history = cell_history(session, unit.area_code, unit.id, year)
        for c in cells:
            c.history = history.get((c.code, c.breakdown), [])
            found = stored.get((c.code, c.breakdown))
            if found is not None:
                c.value, c.numerator, c.denominator = (plain_number(found.value, None) if not found.derived else "",
                                                       plain_number(found.numerator, None),
                                                       plain_number(found.denominator, None))
                c.derived = plain_number(found.value) if found.derived else ""
                c.note = found.note
        # A required total left empty with a reason is stored as no figure and a warning that
        # carries the reason: read it back, or saving the form again would lose it.
        for code, note in unreported_notes(session, latest.id).items():
            for c in cells:
                if c.code == code and c.breakdown == bd.TOTAL and not c.value and not c.note:
                    c.note = note
    form = Form(spec.area_code, spec.area_name, unit.id, unit.name, year, cells, latest,
                retired=retirement_note(unit, year))
    if latest is not None and latest.state == "returned":
        form.unlocked = unlocked(session, latest.id)
    return form


@dataclass(frozen=True)
class StoredFigure:
    value: float
    numerator: float | None
    denominator: float | None
    note: str
    derived: bool
    """the value was computed from numerator and denominator, not typed."""


def latest_submission(session: Session, area_code: str, unit_id: int, year: int) -> Submission | None:
    return session.scalars(select(Submission).where(
        Submission.area_code == area_code, Submission.unit_id == unit_id, Submission.year == year,
    ).order_by(Submission.revision.desc()).limit(1)).first()


def stored_figures(session: Session, submission_id: int) -> dict[tuple[str, str], StoredFigure]:
    """(code, breakdown) → figure of a revision; the note is the ``note:`` flag the importer writes."""
    out: dict[tuple[str, str], StoredFigure] = {}
    rows = session.execute(select(Indicator.code, Observation.breakdown, Observation.value, Observation.numerator,
                                  Observation.denominator, Observation.flags)
                           .join(Indicator, Indicator.id == Observation.indicator_id)
                           .where(Observation.submission_id == submission_id))
    for code, breakdown, value, numerator, denominator, flags in rows:
        flags = [f for f in flags or [] if isinstance(f, str)]
        note = next((f[5:] for f in flags if f.startswith("note:")), "")
        out[(code, breakdown)] = StoredFigure(value, numerator, denominator, note, "derived-value" in flags)
    return out


def _unreported_pattern() -> re.Pattern[str]:
    """The message of ``value-not-reported`` as a pattern that gives back its indicator and note."""
    template = PROBLEM_TYPES["value-not-reported"].template
    parts = re.split(r"\{(\w+)\}", template)
    out = []
    for i, part in enumerate(parts):
        out.append(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)" if part != "note" else "(?P<note>.*)")
    return re.compile("^" + "".join(out) + "$", re.S)


UNREPORTED = _unreported_pattern()
"""Matches a stored ``value-not-reported`` message; its ``indicator`` and ``note`` groups."""


def unreported_notes(session: Session, submission_id: int) -> dict[str, str]:
    """indicator code → the reason a required total was left empty in a revision."""
    out: dict[str, str] = {}
    for message in session.scalars(select(StoredProblem.message).where(
            StoredProblem.submission_id == submission_id, StoredProblem.code == "value-not-reported")):
        found = UNREPORTED.match(message)
        if found is not None:
            out[found.group("indicator")] = found.group("note")
    return out


def fill(form: Form, values: dict[str, str], notes: dict[str, str]) -> None:
    """Put what was typed into the form's cells (keys as :meth:`Form.key`)."""
    for c in form.cells:
        key = form.key(c)
        c.value = values.get(key, "").strip()
        c.note = notes.get(key, "").strip()
        if c.is_rate:
            c.numerator = values.get(key + "|numerator", "").strip()
            c.denominator = values.get(key + "|denominator", "").strip()


def check(session: Session, form: Form, limits: Limits) -> CheckedFile:
    """Run the import's validation on the form and attach every problem to its cell."""
    parsed = ParsedFile(path=FORM_FILE, file=FORM_FILE, format="web", area_code=form.area_code,
                        unit_name=form.unit_name, unit_id=form.unit_id, year=form.year,
                        expected_codes=list(dict.fromkeys(c.code for c in form.cells)))
    unit_label = {c.code: c.unit_label for c in form.cells}
    for c in form.cells:
        row = InputRow(file=FORM_FILE, sheet=None, row=c.row, indicator_code=c.code, breakdown=c.breakdown,
                       columns={"indicator": "指标", "note": NOTE_COLUMN, **NUMBER_FIELDS})
        for name, label in NUMBER_FIELDS.items():
            try:
                setattr(row, name, parse_number(getattr(c, name), unit_label.get(c.code) or None, limits.magnitude))
            except NotANumber as exc:
                row.unreadable.add(name)
                parsed.problems.append(problem(exc.problem, file=FORM_FILE, row=c.row, column=label,
                                               field=label, text=exc.text, limit=limits.magnitude))
        note = parse_text(c.note)
        if note is not None and len(note) > limits.note_chars:
            parsed.problems.append(problem("cell-too-long", file=FORM_FILE, row=c.row, column=NOTE_COLUMN,
                                           field=NOTE_COLUMN, length=len(note), limit=limits.note_chars))
            note = note[: limits.note_chars]
        row.note = note
        # An empty breakdown cell is no figure at all (as an empty template row is not read).
        typed = row.value is not None or row.numerator is not None or row.denominator is not None
        if not typed and not row.unreadable and row.breakdown != bd.TOTAL and not note:
            continue
        parsed.rows.append(row)
    checked = check_parsed(session, parsed, ImportCatalogue.load(session), limits=limits)
    by_row = {c.row: c for c in form.cells}
    for c in form.cells:
        c.problems = []
    form.general = []
    for p in checked.report.problems:
        cell = by_row.get(p.row) if p.row is not None else None
        if cell is not None:
            cell.problems.append(p)
        else:
            form.general.append(p)
    form.checked = checked
    return checked


def save_draft(session: Session, form: Form, actor: str, now: dt.datetime) -> int:
    """Store the checked form as a new draft revision (the importer's own store and audit row)."""
    assert form.checked is not None and form.checked.report.valid
    return store(session, form.checked, actor, now).id
