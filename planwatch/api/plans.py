"""Plan documents: read them into a catalogue, score a reading against a gold file, the JSON Schema.

Nothing here touches a workspace: the plan reader is pure.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planwatch.api._common import RequestError

if TYPE_CHECKING:
    from planwatch.plan.gold import Gold, Score
    from planwatch.results import ParsedPlans


def parse_plans(files: Sequence[str | os.PathLike[str]]) -> ParsedPlans:
    """Read plan documents (.txt .md .docx .pdf) into a catalogue; files that are missing or
    could not be read at all are listed (a caller exits non-zero for them)."""
    from planwatch.plan.reader import read_files
    from planwatch.results import ParsedPlans

    paths = [Path(f) for f in files]
    catalogue = read_files(paths)
    # A file the reader could not open at all is the one warning without a line number.
    unread = {w.file for w in catalogue.warnings if w.line is None}
    return ParsedPlans(catalogue, [p for p in paths if not p.is_file() or str(p) in unread])


def read_gold(path: str | os.PathLike[str]) -> Gold:
    """A hand-checked gold file (what a plan should read as), with its text and metadata."""
    from planwatch.plan.gold import load_gold

    return load_gold(Path(path))


def score_plans(parsed: ParsedPlans, gold: Gold | str | os.PathLike[str]) -> Score:
    """Score a parsed catalogue against a gold file: targets, units, quantitative targets."""
    from planwatch.plan.gold import Gold, score

    return score(parsed.catalogue, gold if isinstance(gold, Gold) else read_gold(gold))


SCHEMAS = ("catalogue",)
"""The output formats whose JSON Schema :func:`json_schema` gives."""


def json_schema(name: str = "catalogue") -> dict[str, Any]:
    """The JSON Schema of an output format (today: ``catalogue``, what ``parse`` writes)."""
    from planwatch.plan.quality import ParseOutput

    if name not in SCHEMAS:
        raise RequestError(f"未知的 schema：{name}（可选：{', '.join(SCHEMAS)}）")
    return ParseOutput.model_json_schema()
