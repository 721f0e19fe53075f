"""The day a report is dated (its 落款 and its file properties), and reading one given by a user.

An office writes its annual report in February and issues it on the day the district
government approves it, so the date is the user's to choose (``ReportData.date``); without
one a report is dated the day it is written. Every builder takes the date from
:func:`report_date` alone, and the clock from :func:`today` alone, so that a report given a
date is the same file whatever day it is written, and a test can move "today".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from planwatch.errors import PlanwatchError

if TYPE_CHECKING:
    from planwatch.report.data import ReportData
    from planwatch.report.model import Document

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class ReportDateError(PlanwatchError, ValueError):
    """A report date that is not a real day (``2025-02-30``, ``明天``); the message names it."""

    code = "report.date"


def today() -> dt.date:
    """The day a report without a date of its own is dated: the local calendar day."""
    return dt.date.today()


def document_time(model: Document) -> dt.datetime:
    """When a report file says it was made: its date at nine, in the properties of the Word
    file and the workbook, in the workbooks of the Word charts, and on every zip entry."""
    return dt.datetime.combine(model.date or today(), dt.time(9, 0))


def report_date(data: ReportData) -> dt.date:
    """The day the reports of ``data`` are dated: the one chosen, else today."""
    return data.date or today()


def parse_report_date(text: str, option: str = "--date") -> dt.date:
    """``2025-03-01`` (or ``2025-3-1``) → that day; anything else is refused with a Chinese
    message naming ``option`` and the text, rather than guessed at (ISO week dates and
    ``20250301``, which ``date.fromisoformat`` also takes, are not what an office types)."""
    found = _DATE.fullmatch(text.strip())
    if found is not None:
        try:
            return dt.date(*(int(g) for g in found.groups()))
        except ValueError:
            pass
    raise ReportDateError(
        f"{option} 应为有效日期 YYYY-MM-DD（如 2025-03-01），实为“{text}” (not a date)"
    )
