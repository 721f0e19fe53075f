"""Heading numbers of Chinese official documents: 一、 → （一） → 1. → （1）.

GB/T 9704 and every statistics bureau report number the levels this way; the writers
call ``heading_label`` with a section's position so numbering follows the structure.
"""

from __future__ import annotations

from planwatch.report.model import Document

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (enough for headings)."""
    if n < 0:
        raise ValueError(f"cannot write a negative heading number: {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        tail = chinese_number(rest)
        return head + ("一" + tail if rest < 20 else tail)
    raise ValueError(f"heading number too large: {n}")


def heading_label(path: tuple[int, ...]) -> str:
    """The label of a section at ``path`` (1-based positions from the top level)."""
    if not path:
        raise ValueError("empty heading path")
    n = path[-1]
    depth = len(path)
    if depth == 1:
        return f"{chinese_number(n)}、"
    if depth == 2:
        return f"（{chinese_number(n)}）"
    if depth == 3:
        return f"{n}."
    return f"（{n}）"


class TableNumbers:
    """Table numbers of one document in reading order (表1, 表2 …), given as a builder adds
    its tables, so that a sentence can say 见表3 before the writers run; a part left out
    (a list with nothing in it) takes no number. Figures are numbered by the writers."""

    def __init__(self) -> None:
        self.n = 0

    def table(self, title: str) -> str:
        self.n += 1
        return f"表{self.n} {title}"


def figure_numbers(model: Document) -> dict[int, int]:
    """Figure numbers (图1, 图2 …) by chart identity, in reading order, so that the Word
    and HTML captions number the same chart the same way."""
    return {id(chart): n for n, chart in enumerate(model.charts(), start=1)}
