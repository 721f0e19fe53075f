"""The report model: one in-memory document that every writer renders.

Builders (one per report kind) fill it from the assessment; writers (docx, html, pdf,
xlsx) only lay it out. Keeping the content here, as plain data, is what lets the Word
document, the web page and the workbook say exactly the same thing, and lets tests check
the numbers once on the model instead of four times on four file formats.

Headings carry no numbers: the writers number them by depth (一、 （一） 1. （1）), so a
section added or removed never leaves the numbering wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

CellValue = str | int | float | None
"""A table cell: text, a number (formatted by its column), or None for 无数据 (shown as —)."""

ColumnKind = Literal["text", "number", "integer", "percent"]
ParagraphStyle = Literal["body", "note", "todo", "sign"]


@dataclass(frozen=True)
class Paragraph:
    """Running text. ``todo`` paragraphs are what the statistician must still write or
    check (drafts are marked so); ``sign`` lines are the closing issuing office and date,
    set flush right as official documents sign off."""

    text: str
    style: ParagraphStyle = "body"


@dataclass(frozen=True)
class Column:
    """A table column; ``decimals`` applies to numbers, ``width`` is in characters.

    ``below``: on a page (Word, PDF, HTML) the column's text is set in a row of its own under
    its row, across the whole table, headed by the column's name (评估说明：…). A sentence in a
    column beside seven short figures got five to eight characters a line and ran each row to
    five to eight lines; across the table it takes one or two. A workbook keeps it as a column,
    where the reader filters and sorts.
    """

    header: str
    kind: ColumnKind = "text"
    decimals: int = 1
    width: float | None = None
    below: bool = False

    @property
    def weight(self) -> float:
        """Share of the table width: the hint, or enough for a number or the header."""
        if self.width:
            return self.width
        return 10.0 if self.kind != "text" else float(max(len(self.header) * 2, 6))


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[CellValue]]
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for i, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"表格“{self.caption}”第{i}行有{len(row)}个单元格，应为{len(self.columns)}个"
                )

    def column(self, header: str) -> list[CellValue]:
        """All values of one column, for tests and for writers that sum columns."""
        index = [c.header for c in self.columns].index(header)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass
class Chart:
    """A chart as data: years on the x axis, one line per series, the target as a line."""

    title: str
    years: list[int]
    series: list[Series]
    unit: str = ""
    target: float | None = None
    target_label: str = ""
    kind: Literal["line", "bar"] = "line"
    # Years whose figures are reported but not yet approved: drawn as 待审定, not as an
    # empty slot that reads like a missing report.
    pending_years: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.years):
                raise ValueError(
                    f"图“{self.title}”的数据系列“{s.name}”有{len(s.values)}个值，"
                    f"年份有{len(self.years)}个"
                )


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Paragraph | Table | Chart | PageBreak


@dataclass
class Section:
    """A numbered heading with its content and subsections.

    ``new_page`` starts the section on a new page (the warnings list gives each lead unit
    its own page so that the office can send each unit only its part). ``numbered`` False
    prints the title without 一、/（一）: appendices carry their own label (附录一).
    """

    title: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    new_page: bool = False
    numbered: bool = True

    def add(self, block: Block) -> Block:
        self.blocks.append(block)
        return block

    def section(self, title: str, *, new_page: bool = False) -> Section:
        child = Section(title, new_page=new_page)
        self.sections.append(child)
        return child


@dataclass
class Document:
    """One report. ``kind`` names the builder (annual, warnings …) and the output file.

    ``sample_label`` is non-empty (示例数据（非真实统计）) for a report of a demo workspace:
    the writers print it on the title page, in every page header and in the metadata.
    """

    kind: str
    title: str
    subtitle: str = ""
    issuer: str = ""
    date_line: str = ""
    # The day the report is dated (file properties); the builders set it from
    # ``planwatch.report.dating.report_date``; None (a hand-built document): the day it is written.
    date: dt.date | None = None
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sample_label: str = ""

    def section(self, title: str, *, new_page: bool = False,
                numbered: bool = True) -> Section:
        child = Section(title, new_page=new_page, numbered=numbered)
        self.sections.append(child)
        return child

    def walk(self) -> Iterator[tuple[tuple[int, ...], Section]]:
        """Every section depth-first with its position path ((1,), (1, 2) …)."""

        def visit(
            sections: list[Section], prefix: tuple[int, ...]
        ) -> Iterator[tuple[tuple[int, ...], Section]]:
            for i, s in enumerate(sections, start=1):
                path = (*prefix, i)
                yield path, s
                yield from visit(s.sections, path)

        yield from visit(self.sections, ())

    def all_blocks(self) -> Iterator[Block]:
        yield from self.blocks
        for _, s in self.walk():
            yield from s.blocks

    def tables(self) -> list[Table]:
        return [b for b in self.all_blocks() if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for b in self.all_blocks() if isinstance(b, Chart)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.all_blocks() if isinstance(b, Paragraph)]
