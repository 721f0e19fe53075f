"""Applying the edits of a catalogue YAML (see :mod:`planwatch.store.catalogue_export`).

Editable: ``definition``, ``breakdowns``, ``better``, ``limits``, ``reporters`` and, per
target, ``baseline``, ``baseline_year``, ``relative`` and ``base_year``. A relative target
(以2020年为基数下降20%) shows ``relative`` (percent / points / multiple / annual_growth /
annual_points), ``base_year`` and, in ``value``, the signed amount (−20); the assessment
turns it into a bound on the base-year figure (planwatch.plan.semantics). Each 主要目标's
``monitoring`` (量化监测 / 定性评价 / 不纳入监测) is edited in the ``targets`` list. Everything
else comes from the plan and is read-only: changing it is an error rather than silently ignored, so nobody believes they
renamed an indicator when they did not. An import either applies every edit or, on any
error, none; each error names its place in the file (``indicators[3].targets[0].baseline``).
Indicators left out of the file are left unchanged.

``same_as: <code>`` makes an indicator share the figures of another (one series, see
:mod:`planwatch.store.series`); ``same_as: null`` makes it independent again. A linked
indicator's entry has no ``breakdowns`` or ``limits``: those belong to the series and are
edited on the indicator it points at.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch import vocabulary as vocab
from planwatch.errors import PlanwatchError
from planwatch.limits import DEFAULT, Limits
from planwatch.store import models as db
from planwatch.store.catalogue_refs import FORMAT, reporter_names, value_rows
from planwatch.store.monitoring import monitoring_problem, monitoring_targets, parse_monitoring, target_unit_names
from planwatch.store.series import Facts, conflicts
from planwatch.store.yaml_input import YamlInputError, load_yaml

EDITABLE_INDICATOR_FIELDS = ("definition", "breakdowns", "better", "limits", "reporters", "same_as")
EDITABLE_TARGET_FIELDS = ("baseline", "baseline_year", "relative", "base_year")


class CatalogueYamlError(PlanwatchError, ValueError):
    """The YAML file cannot be applied; ``errors`` lists every problem with its path."""

    code = "catalogue.yaml"

    def __init__(self, errors: list[tuple[str, str]], source: str = "") -> None:
        self.errors = errors
        self.source = source
        where = f"{source}：" if source else ""
        lines = "\n".join(f"  {path}: {message}" for path, message in errors)
        super().__init__(f"{where}目录 YAML 有 {len(errors)} 处错误，未做任何修改 (nothing changed):\n{lines}")


@dataclass(frozen=True)
class Change:
    path: str
    old: Any
    new: Any



class _Objects:
    """The objects of one table that edits change, all read in one query the first time one is."""

    def __init__(self, session: Session, model: Any) -> None:
        self._session = session
        self._model = model
        self._by_id: dict[int, Any] | None = None

    def get(self, row_id: int) -> Any:
        if self._by_id is None:
            self._by_id = {obj.id: obj for obj in self._session.scalars(select(self._model))}
        return self._by_id[row_id]


class _Stored:
    """A row as read for comparing with the file, standing for its object when an edit is applied.

    Attributes are read from the row (read with all the others in one query); setting one
    sets it on the object, fetched only then, so an import that changes nothing makes no
    objects (making every target value and target with its relations was most of its time).
    """

    __slots__ = ("_objects", "_row")

    def __init__(self, row: Any, objects: _Objects) -> None:
        object.__setattr__(self, "_row", row)
        object.__setattr__(self, "_objects", objects)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.stored(), name, value)

    def stored(self) -> Any:
        """The object itself."""
        return self._objects.get(self._row.id)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_read_only(check: _Checker, path: str, entry: dict[str, Any], current: dict[str, Any]) -> None:
    """Fields read from the plan text may be shown in the YAML but not changed there."""
    for name, value in current.items():
        if name in entry and not _same(entry[name], value):
            check.error(
                f"{path}.{name}", f"只读字段，来自规划文本 read-only field: {value!r} → {entry[name]!r}"
            )


def _check_number_or_null(check: _Checker, path: str, value: Any) -> float | None:
    if value is None:
        return None
    if not _is_number(value):
        check.error(path, f"应为数值或留空，实为 {value!r} (expected a number or null)")
        return None
    if abs(value) > DEFAULT.magnitude:
        check.error(path, f"数值 {value!r} 超出可接受的范围（绝对值不超过 {DEFAULT.magnitude:g}）")
        return None
    return float(value)


def _same(a: Any, b: Any) -> bool:
    if _is_number(a) and _is_number(b):
        return float(a) == float(b)
    return bool(a == b)


def _units_by_spelling(session: Session) -> dict[tuple[str, str], db.Unit]:
    units: dict[tuple[str, str], db.Unit] = {}
    for unit in session.scalars(select(db.Unit)):
        for spelling in [unit.name, *unit.aliases]:
            units.setdefault((unit.area_code, spelling), unit)
    return units


def _unit_named(units: dict[tuple[str, str], db.Unit], area: str, name: str) -> db.Unit | None:
    """The unit of ``area`` called ``name`` (or one of its aliases), blanks typed inside ignored."""
    return units.get((area, "".join(name.split())))


INDICATOR_KEYS = ("code", "name", "subject", "unit", "better", "is_rate", "rate_base", "limits", "definition",
                  "breakdowns", "reporters", "targets", "same_as")  # fmt: skip
TARGET_KEYS = ("area", "area_name", "ref", "comparator", "value", "direction", "unit", "year", "baseline_year",
               "baseline", "relative", "base_year", "raw")  # fmt: skip
MONITORING_KEYS = ("area", "plan", "ref", "text", "kind", "monitoring", "lead_units", "responsible_units")
TARGET_TEXT_MAX = 4000
TOP_KEYS = ("planwatch_catalogue", "indicators", "targets")
EARLIEST_YEAR = 1949
"""No baseline or base year before the People's Republic's statistics begin."""


def _unknown_keys(check: _Checker, path: str, entry: dict[str, Any], known: tuple[str, ...]) -> None:
    """A misspelt field (``defintion``) is an error, not an edit silently ignored."""
    for key in entry:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"，是否应为“{close[0]}”？" if close else f"（可用：{', '.join(known)}）"
        check.error(f"{path}.{key}" if path else str(key), f"未知字段 unknown field {key!r}{hint}")


def parse_yaml(text: str | bytes, source: str = "", limits: Limits = DEFAULT) -> dict[str, Any]:
    """The file's data, loaded strictly (see :mod:`planwatch.store.yaml_input`)."""
    try:
        data = load_yaml(text, limits=limits)
    except YamlInputError as exc:
        raise CatalogueYamlError([(exc.place or "?", exc.message)], source) from None
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise CatalogueYamlError(
            [("indicators", "缺少 indicators 列表 expected a mapping with an indicators list")],
            source,
        )
    if data.get("planwatch_catalogue", FORMAT) != FORMAT:
        raise CatalogueYamlError(
            [
                (
                    "planwatch_catalogue",
                    f"不支持的格式版本 unsupported format {data.get('planwatch_catalogue')!r}",
                )
            ],
            source,
        )
    return data


def import_catalogue(session: Session, text: str | bytes, *, actor: str, source: str = "") -> list[Change]:
    """Apply the edits in a catalogue YAML (text, or the file's bytes) within the caller's transaction.

    Validates everything first; raises CatalogueYamlError listing every problem (and changes
    nothing) if any. Records one AuditEvent with all changes; returns the changes (empty if
    the file matches the database).
    """
    data = parse_yaml(text, source)
    check = _Checker()
    _unknown_keys(check, "", data, TOP_KEYS)
    indicators = {ind.code: ind for ind in session.scalars(select(db.Indicator))}
    # What the edits compare with, as plain columns in one query each: each target value with
    # its reference, each reporter's unit name.
    values_of = value_rows(session)
    reporters_of = reporter_names(session)
    value_objects = _Objects(session, db.TargetValue)
    areas = set(session.scalars(select(db.Area.code)))
    units = _units_by_spelling(session)
    plans: list[tuple[str, Any]] = []  # deferred setters, applied only without errors
    changes: list[Change] = []
    seen_codes: set[str] = set()

    def plan_change(path: str, old: Any, new: Any, apply: Any) -> None:
        if not _same(old, new):
            changes.append(Change(path, old, new))
            plans.append((path, apply))

    for i, entry in enumerate(data["indicators"]):
        path = f"indicators[{i}]"
        if not isinstance(entry, dict):
            check.error(path, "应为映射 expected a mapping")
            continue
        _unknown_keys(check, path, entry, INDICATOR_KEYS)
        code = entry.get("code")
        ind = indicators.get(code) if isinstance(code, str) else None
        if ind is None:
            check.error(f"{path}.code", f"未知的指标代码 unknown indicator code: {code!r}")
            continue
        if ind.code in seen_codes:
            check.error(f"{path}.code", f"指标代码重复 duplicate indicator code: {code}")
            continue
        seen_codes.add(ind.code)
        values = [(area, ref, _Stored(tv, value_objects)) for area, ref, tv in values_of.get(ind.id, [])]
        _import_indicator(check, path, entry, ind, values, reporters_of.get(ind.id, {}), areas, units, plan_change)
    if "targets" in data:
        _import_monitoring(check, data["targets"], session, plan_change)
    _import_same_as(check, data["indicators"], indicators, plan_change)

    if check.errors:
        raise CatalogueYamlError(check.errors, source)
    for _path, apply in plans:
        apply()
    session.flush()
    if changes:
        session.add(
            db.AuditEvent(
                actor=actor,
                action="catalogue.import",
                entity="catalogue",
                entity_id=source or None,
                detail={
                    "changes": [{"path": c.path, "old": _jsonable(c.old), "new": _jsonable(c.new)} for c in changes]
                },
            )
        )
        session.flush()
    return changes


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _import_indicator(
    check: _Checker,
    path: str,
    entry: dict[str, Any],
    ind: db.Indicator,
    values: list[tuple[str, str, _Stored]],
    reporters: dict[str, list[str]],
    areas: set[str],
    units: dict[tuple[str, str], db.Unit],
    plan_change: Any,
) -> None:
    current = {
        "name": ind.name,
        "subject": ind.subject,
        "unit": ind.unit,
        "is_rate": ind.is_rate,
        "rate_base": ind.rate_base,
    }
    _check_read_only(check, path, entry, current)

    if "definition" in entry:
        value = entry["definition"]
        if value is not None and not isinstance(value, str):
            check.error(f"{path}.definition", "应为文本或留空 expected text or null")
        else:
            text = value.strip() if isinstance(value, str) and value.strip() else None
            plan_change(f"{path}.definition", ind.definition, text,
                        lambda: setattr(ind, "definition", text))  # fmt: skip

    if "better" in entry:
        value = entry["better"]
        if value not in vocab.BETTER:
            check.error(f"{path}.better", f"应为 {' / '.join(vocab.BETTER)} 之一，实为 {value!r}")
        else:
            plan_change(f"{path}.better", ind.better, value, lambda: setattr(ind, "better", value))

    if "breakdowns" in entry:
        _import_breakdowns(check, f"{path}.breakdowns", entry["breakdowns"], ind, plan_change)

    if "limits" in entry:
        _import_limits(check, f"{path}.limits", entry["limits"], ind, plan_change)

    if "reporters" in entry:
        _import_reporters(check, f"{path}.reporters", entry["reporters"], ind, reporters, areas, units,
                          plan_change)  # fmt: skip

    if "targets" in entry:
        _import_targets(check, f"{path}.targets", entry["targets"], values, plan_change)


def _breakdown_entry(check: _Checker, path: str, value: Any) -> tuple[str, str] | None:
    """(dimension, canonical text) for one entry: ``sex``, ``age_group:0-2,3-6`` or a mapping.

    Categories are kept in the text form the collection module reads
    (:func:`planwatch.collect.breakdowns.dimensions`), so a dimension with its own age
    groups round-trips through export and import unchanged.
    """
    if isinstance(value, dict):
        name = value.get("dimension")
        cats = value.get("categories")
        if set(value) - {"dimension", "categories"} or not isinstance(cats, list):
            check.error(path, "应为 {dimension: 维度, categories: [分组…]} expected dimension/categories")
            return None
        categories = [str(c).strip() for c in cats]
    elif isinstance(value, str):
        name, _, rest = value.partition(":")
        categories = [c.strip() for c in rest.split(",")] if rest.strip() else []
    else:
        check.error(path, f"应为文本或映射，实为 {value!r} (expected text or a mapping)")
        return None
    name = str(name).strip() if name is not None else ""
    if name not in vocab.BREAKDOWN_DIMENSIONS:
        check.error(path, f"应为 {' / '.join(vocab.BREAKDOWN_DIMENSIONS)} 之一，实为 {name!r}")
        return None
    if any(not c or "," in c or ";" in c or "=" in c for c in categories) or len(set(categories)) != len(categories):
        check.error(path, f"分组名称为空、重复或含 , ; = (bad or duplicate categories): {categories!r}")
        return None
    return name, f"{name}:{','.join(categories)}" if categories else name


def _import_breakdowns(check: _Checker, path: str, value: Any, ind: db.Indicator, plan_change: Any) -> None:
    if not isinstance(value, list):
        check.error(path, "应为列表 expected a list")
        return
    entries: dict[str, str] = {}
    ok = True
    for j, v in enumerate(value):
        entry = _breakdown_entry(check, f"{path}[{j}]", v)
        if entry is None:
            ok = False
        elif entry[0] in entries:
            check.error(path, "分组重复 duplicate breakdown")
            ok = False
        else:
            entries[entry[0]] = entry[1]
    if not ok:
        return
    ordered = [entries[d] for d in vocab.BREAKDOWN_DIMENSIONS if d in entries]
    plan_change(path, list(ind.breakdowns), ordered, lambda: setattr(ind, "breakdowns", ordered))


def _import_limits(check: _Checker, path: str, value: Any, ind: db.Indicator, plan_change: Any) -> None:
    if not isinstance(value, dict) or set(value) - {"lower", "upper"}:
        check.error(path, "应为 {lower: 数值|null, upper: 数值|null} expected lower/upper")
        return
    lower = _check_number_or_null(check, f"{path}.lower", value.get("lower"))
    upper = _check_number_or_null(check, f"{path}.upper", value.get("upper"))
    if lower is not None and upper is not None and lower > upper:
        check.error(path, f"下限大于上限 lower > upper: {lower} > {upper}")
        return

    def apply() -> None:
        ind.lower_limit, ind.upper_limit = lower, upper

    old = {"lower": ind.lower_limit, "upper": ind.upper_limit}
    new = {"lower": lower, "upper": upper}
    if not all(_same(old[k], new[k]) for k in old):
        plan_change(path, old, new, apply)


def _import_reporters(
    check: _Checker,
    path: str,
    value: Any,
    ind: db.Indicator,
    current: dict[str, list[str]],
    areas: set[str],
    units: dict[tuple[str, str], db.Unit],
    plan_change: Any,
) -> None:
    """``current``: the names of the units now reporting ``ind``, by area."""
    if not isinstance(value, dict):
        check.error(path, "应为 地区代码 → 单位列表 的映射 expected area code → list of units")
        return
    wanted: dict[str, list[db.Unit]] = {}
    for area, names in value.items():
        area_code = str(area)
        apath = f"{path}.{area_code}"
        if area_code not in areas:
            check.error(apath, f"未知的地区代码 unknown area code: {area_code}")
            continue
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            check.error(apath, "应为单位名称列表 expected a list of unit names")
            continue
        chosen: list[db.Unit] = []
        for j, name in enumerate(names):
            unit = _unit_named(units, area_code, name)
            if unit is None:
                check.error(f"{apath}[{j}]", f"该地区没有此单位 unknown unit in {area_code}: {name}")
            elif _refused_retired(check, f"{apath}[{j}]", unit, current.get(area_code, []), "填报单位"):
                continue
            elif unit not in chosen:
                chosen.append(unit)
        wanted[area_code] = chosen
    for area_code, chosen in wanted.items():
        old = sorted(current.get(area_code, []))
        new = sorted(u.name for u in chosen)

        def apply(area_code: str = area_code, chosen: list[db.Unit] = chosen) -> None:
            replaced = [r for r in ind.reporters if r.area_code == area_code]
            keep = [r for r in ind.reporters if r.area_code != area_code]
            ind.reporters = keep + [
                db.IndicatorReporter(area_code=area_code, unit_id=u.id, since_year=_since(replaced, u))
                for u in chosen
            ]

        plan_change(f"{path}.{area_code}", old, new, apply)


def _since(replaced: list[db.IndicatorReporter], unit: db.Unit) -> int | None:
    """The first year ``unit`` reports, when the YAML reassigns an indicator: a unit kept keeps
    its own; a new one starts when the ones it replaces started, since a retired unit's
    former assignment still answers for the years before (store.reporters)."""
    own = next((r for r in replaced if r.unit_id == unit.id), None)
    if own is not None:
        return own.since_year
    years = [r.since_year for r in replaced if r.since_year is not None]
    return max(years) if years else None


def _refused_retired(check: _Checker, path: str, unit: db.Unit, current: list[str], role: str) -> bool:
    """A retired unit cannot be given work it does not already hold (checked error at ``path``)."""
    if unit.retired_from is None or unit.name in current:
        return False
    heir = f"，其工作由“{unit.successor.name}”承接" if unit.successor is not None else ""
    check.error(path, f"单位“{unit.name}”已于{unit.retired_from}年度起停用，不能指定为{role}{heir} the unit is retired")
    return True


def _import_targets(
    check: _Checker, path: str, value: Any, values: list[tuple[str, str, _Stored]], plan_change: Any
) -> None:
    if not isinstance(value, list):
        check.error(path, "应为列表 expected a list")
        return
    by_key = {(area, ref): tv for area, ref, tv in values}
    for j, entry in enumerate(value):
        tpath = f"{path}[{j}]"
        if not isinstance(entry, dict):
            check.error(tpath, "应为映射 expected a mapping")
            continue
        _unknown_keys(check, tpath, entry, TARGET_KEYS)
        key = (str(entry.get("area")), str(entry.get("ref")))
        tv = by_key.get(key)
        if tv is None:
            check.error(tpath, f"找不到该目标值 no target value for area {key[0]}, ref {key[1]}")
            continue
        current = {
            "direction": tv.direction,
            "unit": tv.unit,
            "year": tv.target_year,
            "raw": tv.raw,
        }
        _check_read_only(check, tpath, entry, current)
        _import_amount(check, tpath, entry, tv, plan_change)
        if "baseline" in entry:
            baseline = _check_number_or_null(check, f"{tpath}.baseline", entry["baseline"])
            if baseline is not None or entry["baseline"] is None:
                plan_change(f"{tpath}.baseline", tv.baseline_value, baseline,
                            lambda tv=tv, b=baseline: setattr(tv, "baseline_value", b))  # fmt: skip
        if "baseline_year" in entry:
            year = entry["baseline_year"]
            if not isinstance(year, int) or isinstance(year, bool):
                check.error(f"{tpath}.baseline_year", f"应为年份整数 expected a year, got {year!r}")
            elif year < EARLIEST_YEAR:
                check.error(f"{tpath}.baseline_year", f"年份应不早于 {EARLIEST_YEAR} 年，实为 {year} (not a year)")
            elif year >= tv.target_year:
                check.error(
                    f"{tpath}.baseline_year",
                    f"基期年份应早于目标年份 {tv.target_year} (baseline must precede target)",
                )
            else:
                plan_change(f"{tpath}.baseline_year", tv.baseline_year, year,
                            lambda tv=tv, y=year: setattr(tv, "baseline_year", y))  # fmt: skip
        _import_relative(check, tpath, entry, tv, plan_change)


def _import_amount(
    check: _Checker, tpath: str, entry: dict[str, Any], tv: _Stored, plan_change: Any
) -> None:
    """``comparator`` and ``value`` of a numeric target: a misread number (控制在8 read as 80)
    is corrected here; a directional target (逐步提高) has neither and gets none."""
    if tv.comparator is None:
        for name in ("comparator", "value"):
            if name in entry and entry[name] is not None:
                check.error(f"{tpath}.{name}", "方向性目标没有比较符和目标值 a directional target has no amount")
        return
    if "comparator" in entry:
        comparator = entry["comparator"]
        if comparator not in vocab.COMPARATORS:
            signs = " / ".join(vocab.COMPARATORS)
            check.error(f"{tpath}.comparator", f"应为 {signs} 之一，实为 {comparator!r}")
        else:
            plan_change(f"{tpath}.comparator", tv.comparator, comparator,
                        lambda tv=tv, c=comparator: setattr(tv, "comparator", c))  # fmt: skip
    if "value" in entry:
        if entry["value"] is None:
            check.error(f"{tpath}.value", "数值目标必须有目标值 a numeric target needs a value")
            return
        value = _check_number_or_null(check, f"{tpath}.value", entry["value"])
        if value is not None:
            plan_change(f"{tpath}.value", tv.value, value, lambda tv=tv, v=value: setattr(tv, "value", v))


def _import_relative(
    check: _Checker, tpath: str, entry: dict[str, Any], tv: _Stored, plan_change: Any
) -> None:
    """``relative`` and ``base_year`` of one target: a relative target needs a number, and a
    base year only makes sense for a relative target, before the target year."""
    kind = entry.get("relative", tv.relative)
    if "relative" in entry:
        if kind is not None and kind not in vocab.RELATIVE_KINDS:
            check.error(f"{tpath}.relative",
                        f"应为 {' / '.join(vocab.RELATIVE_KINDS)} 或 null，实为 {kind!r}")  # fmt: skip
            return
        if kind is not None and tv.comparator is None:
            check.error(f"{tpath}.relative", "方向性目标不能是相对目标 a directional target has no amount")
            return
        plan_change(f"{tpath}.relative", tv.relative, kind,
                    lambda tv=tv, k=kind: setattr(tv, "relative", k))  # fmt: skip
    base = entry.get("base_year", tv.base_year if kind is not None else None)
    if "base_year" in entry:
        if base is not None and (not isinstance(base, int) or isinstance(base, bool)):
            check.error(f"{tpath}.base_year", f"应为年份整数或留空 expected a year or null, got {base!r}")
            return
        if base is not None and base < EARLIEST_YEAR:
            check.error(f"{tpath}.base_year", f"年份应不早于 {EARLIEST_YEAR} 年，实为 {base} (not a year)")
            return
        if base is not None and kind is None and base != tv.base_year:
            check.error(f"{tpath}.base_year", "只有相对目标才有基数年份 only a relative target has a base year")
            return
        if base is not None and base >= tv.target_year:
            check.error(f"{tpath}.base_year",
                        f"基数年份应早于目标年份 {tv.target_year} (base year precedes the target year)")  # fmt: skip
            return
    if kind is None and base is not None:
        base = None  # turning a target absolute clears its base year
    plan_change(f"{tpath}.base_year", tv.base_year, base,
                lambda tv=tv, y=base: setattr(tv, "base_year", y))  # fmt: skip


# --------------------------------------------------------------------------- monitoring mode


def _import_monitoring(check: _Checker, value: Any, session: Session, plan_change: Any) -> None:
    units = _units_by_spelling(session)
    if not isinstance(value, list):
        check.error("targets", "应为列表 expected a list")
        return
    objects = _Objects(session, db.Target)
    by_key = {(area, plan, ref): _Stored(t, objects) for area, plan, ref, t in monitoring_targets(session)}
    names = target_unit_names(session)
    labels = " / ".join(vocab.MONITORING_LABELS.values())
    for j, entry in enumerate(value):
        path = f"targets[{j}]"
        if not isinstance(entry, dict):
            check.error(path, "应为映射 expected a mapping")
            continue
        _unknown_keys(check, path, entry, MONITORING_KEYS)
        key = (str(entry.get("area")), str(entry.get("plan")), str(entry.get("ref")))
        target = by_key.get(key)
        if target is None:
            check.error(path, f"找不到该目标 no target: area {key[0]}, plan {key[1]}, ref {key[2]}")
            continue
        _check_read_only(check, path, entry, {"kind": target.kind})
        _import_target_text(check, path, entry, target, plan_change)
        for field, role in (("lead_units", "lead"), ("responsible_units", "responsible")):
            if field in entry:
                _import_target_units(check, f"{path}.{field}", entry[field], target, key[0], units, role,
                                     names.get((target.id, role), []), plan_change)
        if "monitoring" not in entry:
            continue
        mode = parse_monitoring(entry["monitoring"])
        if mode is None:
            check.error(f"{path}.monitoring", f"应为 {labels} 之一，实为 {entry['monitoring']!r}")
            continue
        problem = monitoring_problem(cast(db.Target, target), mode)  # reads only its kind
        if problem:
            check.error(f"{path}.monitoring", problem)
            continue
        plan_change(f"{path}.monitoring", vocab.MONITORING_LABELS[target.monitoring], vocab.MONITORING_LABELS[mode],
                    lambda t=target, m=mode: setattr(t, "monitoring", m))  # fmt: skip


def _import_target_text(check: _Checker, path: str, entry: dict[str, Any], target: _Stored,
                        plan_change: Any) -> None:
    """A 主要目标's wording, corrected where the reader or the source garbled it."""
    if "text" not in entry:
        return
    value = entry["text"]
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        check.error(f"{path}.text", "目标内容不能为空 the target text cannot be empty")
    elif len(text) > TARGET_TEXT_MAX:
        check.error(f"{path}.text", f"目标内容过长（{len(text)} 字，不超过 {TARGET_TEXT_MAX} 字）")
    else:
        plan_change(f"{path}.text", target.text, text, lambda t=target, x=text: setattr(t, "text", x))


def _import_target_units(
    check: _Checker, path: str, value: Any, target: _Stored, area: str,
    units: dict[tuple[str, str], db.Unit], role: str, old: list[str], plan_change: Any,
) -> None:
    """The 牵头单位 or 责任单位 of a target, by name, in the plan's order; units of its own area only.

    ``old``: the names of its units in that role now, in order."""
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        check.error(path, "应为单位名称列表 expected a list of unit names")
        return
    chosen: list[db.Unit] = []
    for j, name in enumerate(value):
        unit = _unit_named(units, area, name)
        if unit is None:
            check.error(f"{path}[{j}]", f"该地区没有此单位 unknown unit in {area}: {name}")
            return
        if unit in chosen:
            check.error(f"{path}[{j}]", f"单位重复 duplicate unit: {name}")
            return
        if _refused_retired(check, f"{path}[{j}]", unit, old, "牵头单位" if role == "lead" else "责任单位"):
            return
        chosen.append(unit)
    new = [u.name for u in chosen]

    def apply(target: _Stored = target, chosen: list[db.Unit] = chosen, role: str = role) -> None:
        stored: db.Target = target.stored()
        keep = [tu for tu in stored.units if tu.role != role]
        stored.units = keep + [db.TargetUnit(unit_id=u.id, role=role, seq=i) for i, u in enumerate(chosen)]

    if old != new:
        plan_change(path, old, new, apply)


def _import_same_as(
    check: _Checker, entries: list[Any], indicators: dict[str, db.Indicator], plan_change: Any
) -> None:
    """Validate and plan the ``same_as`` edits against the catalogue as it will be after import.

    The whole file is considered at once, so that moving a series (A's and B's ``same_as``
    both to C) is one consistent edit, and a chain or cycle is refused whichever entry
    creates it. Every link touching an entry of the file is checked with the unit, better
    direction and definition the import leaves it with.
    """
    by_id = {ind.id: ind for ind in indicators.values()}
    final: dict[str, str | None] = {
        code: (by_id[ind.series_id].code if ind.series_id in by_id else None)
        for code, ind in indicators.items()
    }
    index: dict[str, int] = {}
    wanted: dict[str, str | None] = {}
    for i, entry in enumerate(entries):
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or code not in indicators:
            continue
        index.setdefault(code, i)
        if "same_as" not in entry:
            continue
        target = entry["same_as"]
        spath = f"indicators[{i}].same_as"
        if target is not None and not isinstance(target, str):
            check.error(spath, f"应为指标代码或留空，实为 {target!r} (expected a code or null)")
        elif target == code:
            check.error(spath, "不能指向自己 an indicator cannot be the same as itself")
        elif target is not None and target not in indicators:
            check.error(spath, f"未知的指标代码 unknown indicator code: {target!r}")
        else:
            final[code] = target
            wanted[code] = target
    members: dict[str, list[str]] = {}
    for code, target in final.items():
        if target is not None:
            members.setdefault(target, []).append(code)

    def facts(code: str) -> Facts:
        """The indicator as the import leaves it (invalid edits are reported elsewhere)."""
        ind = indicators[code]
        entry = entries[index[code]] if code in index else {}
        better = entry.get("better", ind.better)
        definition = entry.get("definition", ind.definition)
        return Facts(
            code, ind.name, ind.unit, better if better in vocab.BETTER else ind.better,
            definition.strip() or None if isinstance(definition, str) else None,
        )

    for code, target in sorted(final.items()):
        if target is None or (code not in index and target not in index):
            continue
        where = (f"indicators[{index[code]}].same_as" if code in wanted
                 else f"indicators[{index[code]}]" if code in index else f"indicators[{index[target]}]")
        if final.get(target) is not None:
            check.error(where, f"不能指向 {target}：它本身与 {final[target]} 共用序列，请直接写 same_as: "
                               f"{final[target]}（不允许链式或循环 no chains or cycles）")
        elif code in members:
            check.error(where, f"{code} 已是 {'、'.join(sorted(members[code]))} 的共用序列，不能再指向 "
                               f"{target}；请把它们一并指向同一指标 (no chains)")
        elif problems := conflicts(facts(target), facts(code)):
            check.error(where, f"{code} 不能与 {target} 共用序列：{'；'.join(problems)} (incompatible)")
        if code not in index:
            continue
        entry, ind = entries[index[code]], indicators[code]
        stored = {"breakdowns": list(ind.breakdowns),
                  "limits": {"lower": ind.lower_limit, "upper": ind.upper_limit}}  # fmt: skip
        for name, old in stored.items():
            if name in entry and not _same_json(entry[name], old):
                check.error(f"indicators[{index[code]}].{name}",
                            f"{code} 与 {target} 共用序列，{name} 以 {target} 为准，请在 {target} 下编辑 "
                            "(edit it on the series)")
    for code, target in wanted.items():
        ind = indicators[code]
        new_id = indicators[target].id if target is not None else None
        was = by_id[ind.series_id].code if ind.series_id in by_id else None
        plan_change(f"indicators[{index[code]}].same_as", was, target,
                    lambda ind=ind, new_id=new_id: setattr(ind, "series_id", new_id))


def _same_json(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    return _same(a, b)
