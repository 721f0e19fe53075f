"""What validation needs to know about the catalogue and the past, as plain data.

Rules are pure functions of (rows, context); the importer builds the context from the
database once per file. Tests can build one by hand, which keeps every rule testable
without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planwatch.collect import breakdowns as bd


@dataclass(frozen=True)
class IndicatorSpec:
    """The catalogue facts about one indicator that decide whether a figure is plausible."""

    id: int
    code: str
    name: str
    unit: str | None
    better: str = "higher"
    is_rate: bool = False
    rate_base: float | None = None
    lower_limit: float | None = None
    upper_limit: float | None = None
    subject: str = "women"
    dims: tuple[bd.Dimension, ...] = ()
    series: str | None = None
    """code of the indicator whose figures this one shares (its rows are stored there)."""

    @property
    def breakdown_keys(self) -> list[str]:
        return bd.keys(list(self.dims))

    @property
    def measurable(self) -> bool:
        """Has a unit of measure, so a figure can be required (``""`` is dimensionless)."""
        return self.unit is not None

    @property
    def unit_label(self) -> str:
        return self.unit or ""


@dataclass
class ValidationContext:
    """Everything the rules compare a file against, for one unit, area and year."""

    area_code: str
    area_name: str
    unit_id: int
    unit_name: str
    year: int
    indicators: dict[str, IndicatorSpec]
    """every indicator in the catalogue, by code."""
    assigned: set[str] = field(default_factory=set)
    """codes this unit reports in this area."""
    history: dict[tuple[str, str], list[tuple[int, float]]] = field(default_factory=dict)
    """(code, breakdown) → [(year, value)] before ``year``, oldest first."""
    others: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=dict)
    """(code, breakdown) → [(unit name, value)] reported for this area and year by other units."""
    locked_revision: int | None = None
    """revision number of an approved submission for this unit and year, if any."""
