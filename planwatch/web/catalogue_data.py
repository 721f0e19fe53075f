"""What the catalogue pages show, and turning a page's edit into a catalogue YAML edit.

The pages never write the catalogue themselves. An edit becomes the smallest catalogue YAML
document that says it (one target, or one indicator) and goes through
:func:`planwatch.store.catalogue_import.import_catalogue` — the path ``planwatch catalogue
import`` takes — so the rules are one set: what is editable, what a valid value is, and the
Chinese message for each mistake. The YAML error paths (``targets[0].lead_units[1]``) are
mapped back to the form's fields so each message is shown by the field it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planwatch import vocabulary as vocab
from planwatch.errors import PlanwatchError
from planwatch.store import models as db
from planwatch.store.catalogue_import import CatalogueYamlError, Change, import_catalogue
from planwatch.store.catalogue_refs import FORMAT, value_refs
from planwatch.web.figures import plain_number

BREAKDOWN_LABELS = {"sex": "性别", "age_group": "年龄组", "residence": "城乡"}
BETTER_LABELS = {"higher": "越高越好", "lower": "越低越好", "hold": "保持在区间内"}
UNIT_SEPARATORS = re.compile(r"[、，,；;\s]+")


@dataclass
class ValueRow:
    tv: db.TargetValue
    indicator: db.Indicator

    @property
    def sign(self) -> str:
        return vocab.COMPARATOR_SIGNS.get(self.tv.comparator or "", "")

    @property
    def text(self) -> str:
        if self.tv.comparator is None:
            return vocab.DIRECTION_WORDS.get(self.tv.direction or "", self.tv.direction or "")
        value = self.tv.value
        number = plain_number(value)
        return f"{self.sign} {number}{self.tv.unit or ''}"


@dataclass
class TargetRow:
    target: db.Target
    ref: str
    lead: list[str]
    responsible: list[str]
    values: list[ValueRow] = field(default_factory=list)

    @property
    def monitoring(self) -> str:
        return vocab.MONITORING_LABELS[self.target.monitoring]


@dataclass
class DomainRow:
    domain: db.Domain
    targets: list[TargetRow]


def units_of(target: db.Target, role: str) -> list[str]:
    return [tu.unit.name for tu in sorted(target.units, key=lambda u: u.seq) if tu.role == role]


def area_plans(session: Session, area_code: str) -> list[db.Plan]:
    return list(session.scalars(select(db.Plan).where(db.Plan.area_code == area_code).order_by(db.Plan.id)))


def plan_tree(session: Session, plan: db.Plan) -> list[DomainRow]:
    """The plan's domains, each with its targets, their units and their target values."""
    values: dict[int, list[ValueRow]] = {}
    for tv in session.scalars(select(db.TargetValue).where(db.TargetValue.plan_id == plan.id,
                                                           db.TargetValue.target_id.is_not(None))
                              .options(selectinload(db.TargetValue.indicator)).order_by(db.TargetValue.id)):
        values.setdefault(tv.target_id or 0, []).append(ValueRow(tv, tv.indicator))
    domains = session.scalars(select(db.Domain).where(db.Domain.plan_id == plan.id).order_by(db.Domain.seq)
                              .options(selectinload(db.Domain.targets).selectinload(db.Target.units)
                                       .selectinload(db.TargetUnit.unit)))
    return [DomainRow(d, [TargetRow(t, f"D{d.seq}/T{t.number}", units_of(t, "lead"), units_of(t, "responsible"),
                                    values.get(t.id, [])) for t in d.targets]) for d in domains]


def target_values(session: Session, target: db.Target) -> list[ValueRow]:
    rows = session.scalars(select(db.TargetValue).where(db.TargetValue.target_id == target.id)
                           .options(selectinload(db.TargetValue.indicator)).order_by(db.TargetValue.id))
    return [ValueRow(tv, tv.indicator) for tv in rows]


def indicator_areas(session: Session, indicator: db.Indicator) -> set[str]:
    """Every area whose catalogue uses the indicator (its targets or its reporters)."""
    areas = set(session.scalars(select(db.TargetValue.area_code).where(db.TargetValue.indicator_id == indicator.id)))
    return areas | set(session.scalars(select(db.IndicatorReporter.area_code)
                                       .where(db.IndicatorReporter.indicator_id == indicator.id)))


def breakdown_parts(indicator: db.Indicator) -> dict[str, str]:
    """dimension → its categories text ('' for the usual ones), for the checkboxes of the form."""
    parts: dict[str, str] = {}
    for entry in indicator.breakdowns:
        name, _, categories = str(entry).partition(":")
        parts[name] = categories
    return parts


# --------------------------------------------------------------------------- edits


class CatalogueEditError(PlanwatchError, ValueError):
    """The import refused the edit: each message keyed by the form field it is about."""

    code = "web.catalogue_edit"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in fields.values() for m in ms))
        self.fields = fields


def _number_or_text(text: str) -> Any:
    """A number for the YAML when the field holds one; else the text, for the import to refuse by name."""
    cleaned = text.strip().replace("，", "").replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        return text.strip() or None
    return int(number) if number.is_integer() else number


def _apply(session: Session, document: dict[str, Any], actor: str, fields: dict[str, str]) -> list[Change]:
    """Import the document; on refusal map each YAML path to the form field by longest prefix."""
    text = yaml.safe_dump({"planwatch_catalogue": FORMAT, **document}, allow_unicode=True, sort_keys=False)
    try:
        return import_catalogue(session, text, actor=actor, source="网页编辑")
    except CatalogueYamlError as exc:
        by_field: dict[str, list[str]] = {}
        for path, message in exc.errors:
            name = next((fields[p] for p in sorted(fields, key=len, reverse=True) if path.startswith(p)), "_form")
            by_field.setdefault(name, []).append(message)
        raise CatalogueEditError(by_field) from None


def edit_target(session: Session, target: db.Target, form: dict[str, str], actor: str) -> list[Change]:
    """Text, lead and responsible units, and each numeric value's comparator and value of one target."""
    domain = target.domain
    plan = domain.plan
    entry: dict[str, Any] = {"area": plan.area_code, "plan": plan.title, "ref": f"D{domain.seq}/T{target.number}",
                             "text": form.get("text", "")}
    for key in ("lead_units", "responsible_units"):
        entry[key] = [n for n in UNIT_SEPARATORS.split(form.get(key, "")) if n]
    fields = {"targets[0].text": "text", "targets[0].lead_units": "lead_units",
              "targets[0].responsible_units": "responsible_units"}
    indicators: list[dict[str, Any]] = []
    for row in target_values(session, target):
        tv = row.tv
        if tv.comparator is None:
            continue
        area, ref = value_refs(row.indicator)[tv.id]
        i = len(indicators)
        indicators.append({"code": row.indicator.code, "targets": [{
            "area": area, "ref": ref, "comparator": form.get(f"comparator_{tv.id}", tv.comparator),
            "value": _number_or_text(form.get(f"value_{tv.id}", ""))}]})
        fields[f"indicators[{i}].targets[0].comparator"] = f"comparator_{tv.id}"
        fields[f"indicators[{i}].targets[0].value"] = f"value_{tv.id}"
        fields[f"indicators[{i}]"] = f"value_{tv.id}"
    return _apply(session, {"indicators": indicators, "targets": [entry]}, actor, fields)


def edit_indicator(session: Session, indicator: db.Indicator, form: dict[str, str], dimensions: list[str],
                   actor: str) -> list[Change]:
    """Definition and breakdowns of one indicator."""
    breakdowns = []
    for name in dimensions:
        categories = form.get(f"categories_{name}", "").strip().replace("，", ",")
        breakdowns.append(f"{name}:{categories}" if categories else name)
    entry: dict[str, Any] = {"code": indicator.code, "definition": form.get("definition", "")}
    if indicator.series_id is None or breakdowns != list(indicator.breakdowns):
        entry["breakdowns"] = breakdowns  # a linked indicator's breakdowns are its series': sent only if changed
    fields = {"indicators[0].definition": "definition", "indicators[0].breakdowns": "breakdowns",
              "indicators[0].same_as": "breakdowns"}
    return _apply(session, {"indicators": [entry]}, actor, fields)
