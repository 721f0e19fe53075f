"""Who reports an indicator in an area in a given data year, across a unit's retirement.

``indicator_reporter`` holds who reports *now*; a row taken over from a retired unit says from
which year (``since_year``). What the retired unit reported before is kept in
``former_reporter`` with the years it covered. A past year must be judged against the units
responsible then — a reorganisation in 2025 must not make 2023's completeness fall, nor ask the
successor for a 2023 figure its predecessor sent — so every question asked *for a year*
(completeness, the year's template and form, which codes a file of that year may carry) reads
:func:`reporters_in` instead of the table. Listings of the catalogue (export, reports, the
units page) read the table: they describe the present.
"""

from __future__ import annotations

from sqlalchemy import Integer, Subquery, literal, or_, select, union_all

from planwatch.store.models import FormerReporter, IndicatorReporter


def reporters_in(year: int | None) -> Subquery:
    """(indicator_id, area_code, unit_id) of the reporting assignments that hold in ``year``.

    ``None``: the assignments as they stand now (the table itself, with no year applied).
    """
    current = select(IndicatorReporter.indicator_id, IndicatorReporter.area_code, IndicatorReporter.unit_id)
    if year is None:
        return current.subquery("reporters_now")
    current = current.where(or_(IndicatorReporter.since_year.is_(None), IndicatorReporter.since_year <= year))
    former = select(FormerReporter.indicator_id, FormerReporter.area_code, FormerReporter.unit_id).where(
        FormerReporter.until_year >= year,
        or_(FormerReporter.since_year.is_(None), FormerReporter.since_year <= year),
    )
    return union_all(current, former).subquery("reporters_in_year")


def reporter_spans() -> Subquery:
    """(indicator_id, area_code, unit_id, since_year, until_year) of every assignment ever held:
    the current ones (``until_year`` null: open) and the former ones. For a reader that meets
    files of several years at once and sorts them out with :func:`holds_in` (the importer)."""
    current = select(
        IndicatorReporter.indicator_id, IndicatorReporter.area_code, IndicatorReporter.unit_id,
        IndicatorReporter.since_year, literal(None, Integer).label("until_year"),
    )
    former = select(
        FormerReporter.indicator_id, FormerReporter.area_code, FormerReporter.unit_id,
        FormerReporter.since_year, FormerReporter.until_year,
    )
    return union_all(current, former).subquery("reporter_spans")


def holds_in(since_year: int | None, until_year: int | None, year: int) -> bool:
    """An assignment from ``since_year`` to ``until_year`` (null: open) holds in ``year``."""
    return (since_year is None or since_year <= year) and (until_year is None or year <= until_year)
