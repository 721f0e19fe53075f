"""Where a report title may break across lines.

A long title left to the typesetter breaks wherever the line is full, splitting words
("…监/测报告", "2024/年度监测报告"). Official documents break a title between phrases, so
the writers set each phrase from ``title_lines`` on a line of its own (Word) or keep it
unbreakable (HTML/PDF): the plan's name, then the year and the kind of report.
"""

from __future__ import annotations

import re

from planwatch.report.table_layout import text_em

# The year and kind of report at the end of a title: "2024年度监测报告", "2023年中期评估报告".
_TAIL = re.compile(r"(?:19|20)\d\d年.*$")


def title_lines(title: str, line_em: float) -> list[str]:
    """The title as phrases to set on separate lines when it is longer than ``line_em``
    characters; a title that fits, or has no year to break before, stays whole."""
    if text_em(title) <= line_em:
        return [title]
    match = _TAIL.search(title)
    if match is None or match.start() == 0:
        return [title]
    return [title[: match.start()], match.group(0)]
