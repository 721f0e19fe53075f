"""Breakdown keys (``total``, ``sex=female``, ``age_group=0-5`` …) and their Chinese labels.

An indicator's ``breakdowns`` in the catalogue names the dimensions it is reported by
(``sex``, ``age_group``, ``residence``). A dimension may also carry its own categories,
written ``"age_group:0-2,3-5"`` or ``{"dimension": "age_group", "categories": [...]}``;
without them the defaults below apply. The template offers one row per category, and the
sum check compares each dimension's categories with the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planwatch.vocabulary import (
    AGE_GROUPS_ADULTS,
    AGE_GROUPS_CHILDREN,
    CATEGORY_LABELS,
    DIMENSION_LABELS,
    RESIDENCE,
    SEX,
    TOTAL,
)
from planwatch.vocabulary import breakdown_key as key
from planwatch.vocabulary import breakdown_label as label

__all__ = [
    "AGE_GROUPS_ADULTS", "AGE_GROUPS_CHILDREN", "CATEGORY_LABELS", "DIMENSION_LABELS", "RESIDENCE", "SEX", "TOTAL",
    "Dimension", "default_categories", "dimension_label", "dimensions", "key", "keys", "label", "parse",
]  # fmt: skip
"""The breakdown words come from :mod:`planwatch.vocabulary`; what collection adds is reading
the catalogue's ``breakdowns`` and parsing what people type."""

_LABEL_TO_CATEGORY = {v: k for k, v in CATEGORY_LABELS.items()}


@dataclass(frozen=True)
class Dimension:
    """One way an indicator is disaggregated, with its categories in display order."""

    name: str
    categories: tuple[str, ...]

    @property
    def label(self) -> str:
        return DIMENSION_LABELS.get(self.name, self.name)


def dimensions(spec: list[Any] | None, subject: str = "women") -> list[Dimension]:
    """Read the catalogue's ``breakdowns`` list into dimensions with categories."""
    result: list[Dimension] = []
    for entry in spec or []:
        if isinstance(entry, dict):
            name = str(entry.get("dimension") or entry.get("name") or "")
            cats = tuple(str(c) for c in entry.get("categories") or ())
        else:
            name, _, rest = str(entry).partition(":")
            cats = tuple(c.strip() for c in rest.split(",") if c.strip())
        name = name.strip()
        if not name:
            continue
        if not cats:
            cats = default_categories(name, subject)
        result.append(Dimension(name, cats))
    return result


def default_categories(name: str, subject: str) -> tuple[str, ...]:
    if name == "sex":
        return SEX
    if name == "residence":
        return RESIDENCE
    if name == "age_group":
        return AGE_GROUPS_CHILDREN if subject == "children" else AGE_GROUPS_ADULTS
    return ()


def keys(dims: list[Dimension]) -> list[str]:
    """Every breakdown key an indicator is reported by, total first."""
    return [TOTAL] + [key(d.name, c) for d in dims for c in d.categories]


def dimension_label(breakdown: str) -> str:
    if breakdown == TOTAL:
        return "合计"
    return "·".join(DIMENSION_LABELS.get(p.partition("=")[0], p) for p in breakdown.split(";"))


def parse(text: str) -> str:
    """Accept a key (``sex=female``) or a label (``女``, ``0-5岁``, ``合计``) and give the key.

    CSV files written by hand use labels; unknown text is returned unchanged so the
    caller can report it as an unknown breakdown at its exact place.
    """
    t = text.strip()
    if t in ("", "合计", "总计", TOTAL):
        return TOTAL
    if "=" in t:
        return t
    if t in _LABEL_TO_CATEGORY:
        cat = _LABEL_TO_CATEGORY[t]
        return key("sex" if cat in SEX else "residence", cat)
    age = t.removesuffix("岁")
    if age and (age[0].isdigit()):
        return key("age_group", age)
    return t
