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

TOTAL = "total"

SEX = ("female", "male")
RESIDENCE = ("urban", "rural")
AGE_GROUPS_CHILDREN = ("0-5", "6-11", "12-17")
AGE_GROUPS_ADULTS = ("18-34", "35-59", "60+")

DIMENSION_LABELS = {"sex": "性别", "age_group": "年龄组", "residence": "城乡"}
CATEGORY_LABELS = {
    "female": "女",
    "male": "男",
    "urban": "城镇",
    "rural": "农村",
}
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


def key(dimension: str, category: str) -> str:
    return f"{dimension}={category}"


def keys(dims: list[Dimension]) -> list[str]:
    """Every breakdown key an indicator is reported by, total first."""
    return [TOTAL] + [key(d.name, c) for d in dims for c in d.categories]


def label(breakdown: str) -> str:
    """``sex=female`` → ``女``; ``age_group=0-5`` → ``0-5岁``; ``total`` → ``合计``."""
    if breakdown == TOTAL:
        return "合计"
    parts = []
    for pair in breakdown.split(";"):
        dim, _, cat = pair.partition("=")
        if dim == "age_group":
            parts.append(cat if cat.endswith("岁") else f"{cat}岁")
        else:
            parts.append(CATEGORY_LABELS.get(cat, cat))
    return "·".join(parts)


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
