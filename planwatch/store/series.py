"""One indicator, one series: indicators of several plans that share their figures.

The women's and the children's plan of a district both name 九年义务教育巩固率. They are
two indicators of the catalogue (``W02-12`` and ``C03-04``: each keeps its code, its
plan's targets and its better direction), but one figure per area and year: collecting it
twice invites two units, or one unit on two days, to report two different numbers, and
the two reports then contradict each other. So the catalogue links them: the later one
gets ``series_id`` = the earlier one, which is *the series*. Figures are stored under the
series, templates ask for it once, and the assessment gives every linked target the same
figures.

Why a link column and not one merged indicator: codes are stable identifiers that edits,
workbooks and reports already use, and a target belongs to its own plan's indicator
(with its own better direction: 保持在98% in one plan, 达到98%以上 in another). A link
keeps all of that and adds only "whose figures": one nullable foreign key, undone by
setting it back to NULL.

Rules, checked here for both the automatic links made when plans are loaded and the
``same_as`` edits of the catalogue YAML:

- a link points at an indicator that is not itself linked (no chains, hence no cycles);
- names agree after :func:`normalise_name` (automatic links only: in the YAML the user
  decides that differently worded indicators are the same);
- units agree (an indicator with no unit yet — a direction only — joins any series);
- better directions do not contradict (higher against lower; ``hold`` fits either);
- definitions, where both are written, say the same thing.

An automatic link is made only when the indicator is created; a later load never touches
existing indicators, so a link removed in the YAML stays removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.store import models as db

_PUNCTUATION = re.compile(r"[\s\u3000“”\"'‘’「」『』、，,。.·・:：;；]+")
_OPPOSITE = {("higher", "lower"), ("lower", "higher")}


def normalise_name(name: str) -> str:
    """The name as compared for linking: full/half width folded, spaces and quotes removed.

    Plan texts exported from Word or PDF differ in exactly these (九年义务教育 巩固率,
    “两癌”筛查率 / "两癌"筛查率); anything else in the wording is a different name.
    """
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", name))


def normalise_definition(text: str | None) -> str | None:
    """A definition as compared: empty means "not written", punctuation and width ignored."""
    if text is None:
        return None
    key = _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text))
    return key or None


def better_compatible(a: str, b: str) -> bool:
    """``higher`` and ``lower`` contradict; ``hold`` (a level to keep) fits either."""
    return (a, b) not in _OPPOSITE


@dataclass(frozen=True)
class Facts:
    """What decides whether two indicators may share a series."""

    code: str
    name: str
    unit: str | None
    better: str
    definition: str | None

    @classmethod
    def of(cls, ind: db.Indicator) -> Facts:
        return cls(ind.code, ind.name, ind.unit, ind.better, ind.definition)


def conflicts(series: Facts, member: Facts) -> list[str]:
    """Why ``member`` cannot share the figures of ``series`` (empty: it can), in Chinese."""
    out: list[str] = []
    if series.unit is not None and member.unit is not None and series.unit != member.unit:
        out.append(f"计量单位不同（{series.code}：{series.unit}，{member.code}：{member.unit}）")
    elif series.unit is None and member.unit is not None:
        out.append(
            f"{series.code} 没有计量单位而 {member.code} 为“{member.unit}”，"
            f"请让 {series.code} 指向 {member.code}（same_as 反过来）"
        )
    if not better_compatible(series.better, member.better):
        out.append(f"方向相反（{series.code}：{series.better}，{member.code}：{member.better}）")
    a, b = normalise_definition(series.definition), normalise_definition(member.definition)
    if a is not None and b is not None and a != b:
        out.append(f"定义不同（{series.code}：“{series.definition}”，{member.code}：“{member.definition}”）")
    return out


@dataclass
class Member:
    code: str
    name: str
    subject: str
    unit: str | None
    better: str
    targets: list[str] = field(default_factory=list)
    """``area plan-title: raw`` of each target value, in id order."""


@dataclass
class SeriesLink:
    """A series with more than one indicator: the one figures are stored under, and the rest."""

    series: Member
    members: list[Member]

    def to_dict(self) -> dict[str, object]:
        def one(m: Member) -> dict[str, object]:
            return {"code": m.code, "name": m.name, "subject": m.subject, "unit": m.unit,
                    "better": m.better, "targets": m.targets}  # fmt: skip

        return {"series": one(self.series), "members": [one(m) for m in self.members]}


def list_links(session: Session) -> list[SeriesLink]:
    """Every shared series, by the series' code; members by code."""
    linked = list(session.scalars(select(db.Indicator).where(db.Indicator.series_id.is_not(None))))
    if not linked:
        return []
    ids = {i.series_id for i in linked} | {i.id for i in linked}
    inds = {i.id: i for i in session.scalars(select(db.Indicator).where(db.Indicator.id.in_(ids)))}
    targets: dict[int, list[str]] = {}
    q = select(db.TargetValue).where(db.TargetValue.indicator_id.in_(ids)).order_by(db.TargetValue.id)
    for tv in session.scalars(q):
        targets.setdefault(tv.indicator_id, []).append(f"{tv.area_code}《{tv.plan.title}》{tv.raw}")

    def member(i: db.Indicator) -> Member:
        return Member(i.code, i.name, i.subject, i.unit, i.better, targets.get(i.id, []))

    groups: dict[int, list[db.Indicator]] = {}
    for i in linked:
        assert i.series_id is not None
        groups.setdefault(i.series_id, []).append(i)
    return sorted(
        (SeriesLink(member(inds[s]), [member(i) for i in sorted(ms, key=lambda i: i.code)])
         for s, ms in groups.items()),
        key=lambda link: link.series.code,
    )
