"""What a reader makes of one input file: who it is from, its rows, and where each came from.

Workbook and CSV readers both produce a :class:`ParsedFile`, so validation and storage
never depend on the input format (one reader per format, one model in the middle).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planwatch.collect.problems import Problem


@dataclass
class InputRow:
    """One figure as entered: indicator × breakdown, with the cell of every field."""

    file: str
    sheet: str | None
    row: int
    indicator_code: str
    breakdown: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    """field name (``value``, ``numerator`` …) → column letter or CSV header."""
    unreadable: set[str] = field(default_factory=set)
    """fields that held text that is not a number (already reported as non-numeric)."""

    def column(self, name: str) -> str | None:
        return self.columns.get(name)


@dataclass
class ParsedFile:
    """A whole input file after reading, before any catalogue check."""

    path: str
    file: str
    format: str
    area_code: str | None = None
    unit_name: str | None = None
    unit_id: int | None = None
    year: int | None = None
    template_version: str | None = None
    rows: list[InputRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    expected_codes: list[str] = field(default_factory=list)
    """indicator codes the template listed (empty for CSV)."""
    header_place: tuple[str | None, int | None, str | None] = (None, None, None)
    """(sheet, row, column) where the unit/area/year were read, for unit/area problems."""
