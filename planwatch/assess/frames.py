"""The two input frames of the assessment and their validating constructors.

The engine works on plain Polars frames so that it can assess a whole country at once and
stays independent of the database; these schemas are the contract between the loader
(``planwatch.assess.inputs``) or any other producer and the engine. The constructors refuse
bad input with a message saying which column and which row is wrong, instead of letting
a malformed row turn into a wrong verdict later.

observations — approved figures only (the loader filters):
    indicator_code str, area_code str, breakdown str ("total", "sex=female" …), year int,
    value float, numerator float|null, denominator float|null.
    One row per indicator × area × breakdown × year.

targets — one row per target of an indicator in an area:
    target_id str|null, indicator_code, area_code, kind ("quantitative" | "directional"),
    comparator ("<=", "<", ">=", ">", "=", "~", "maintain"; null for directional),
    target_value float|null, target_year int, baseline_year int (2020 for 十四五),
    direction ("increase" | "decrease" | "maintain" | "eliminate" | null), unit str,
    better ("higher" | "lower" | "hold"; derived from comparator/direction when null),
    must_hold bool (judged every year: 保持在/稳定在/不低于; defaults to comparator or
    direction "maintain"), lower_limit / upper_limit float|null (natural limits, defaulted
    from the unit: 0–100 for %, 0–1000 for ‰, ≥0 for other rates), lead_unit, plan,
    domain, indicator_name str (for reasons and summaries); optional target_rule str|null:
    how a relative target (以2020年为基数下降20%) became target_value, shown in the reason
    ("2020年为4.2/10万，下降20%即不高于3.36/10万"). A quantitative row may lack a
    target_value only when it has a target_rule (the base-year figure is missing): it is
    then 数据不足. Optional decimals int|null: the indicator's printed precision
    (``planwatch.assess.precision``; defaulted when null).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl

from planwatch.assess.precision import MAX_DECIMALS, default_decimals
from planwatch.errors import PlanwatchError
from planwatch.vocabulary import BETTER, COMPARATORS, DIRECTIONS, RATINGS

KEYS = ["indicator_code", "area_code", "breakdown"]
"""The key of one series."""

TOTAL = "total"
"""The breakdown value of the undisaggregated series."""

OBSERVATIONS_SCHEMA: dict[str, pl.DataType] = {
    "indicator_code": pl.String(),
    "area_code": pl.String(),
    "breakdown": pl.String(),
    "year": pl.Int32(),
    "value": pl.Float64(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
}
_OBS_OPTIONAL = {"numerator", "denominator"}

TARGETS_SCHEMA: dict[str, pl.DataType] = {
    "target_id": pl.String(),
    "indicator_code": pl.String(),
    "area_code": pl.String(),
    "kind": pl.String(),
    "comparator": pl.String(),
    "target_value": pl.Float64(),
    "target_year": pl.Int32(),
    "baseline_year": pl.Int32(),
    "direction": pl.String(),
    "unit": pl.String(),
    "better": pl.String(),
    "must_hold": pl.Boolean(),
    "lower_limit": pl.Float64(),
    "upper_limit": pl.Float64(),
    "lead_unit": pl.String(),
    "plan": pl.String(),
    "domain": pl.String(),
    "indicator_name": pl.String(),
    "target_rule": pl.String(),
    "decimals": pl.Int32(),
}
_TARGETS_REQUIRED = {"indicator_code", "area_code", "kind", "target_year"}

SELF_EVALUATIONS_SCHEMA: dict[str, pl.DataType] = {
    "area_code": pl.String(),
    "target_text": pl.String(),
    "lead_unit": pl.String(),
    "plan": pl.String(),
    "domain": pl.String(),
    "year": pl.Int32(),
    "rating": pl.String(),
    "evidence": pl.String(),
    "cycle": pl.String(),
}
"""Self-evaluations of qualitative targets (建立健全…机制) by their lead units.

``cycle`` is "2023" (a yearly entry), "midterm" or "final"; ``year`` is the year it stands
for, so a mid-term entry and a yearly one of the same year can still be told apart.
"""

KINDS = ("quantitative", "directional")

LATE_SCHEMA: dict[str, pl.DataType] = {
    "area_code": pl.String(),
    "unit": pl.String(),
    "year": pl.Int32(),
    "due": pl.Date(),
    "submitted": pl.Date(),
}
"""Approved submissions handed in after their deadline: 迟报."""

CONFLICT_SCHEMA: dict[str, pl.DataType] = {
    "indicator_code": pl.String(),
    "area_code": pl.String(),
    "breakdown": pl.String(),
    "year": pl.Int32(),
    "values": pl.List(pl.Float64()),
}
"""Figures two units reported differently, left out of the assessment."""

DEFAULT_BASELINE_YEAR = 2020
"""十四五 plans measure progress from 2020."""

RATE_BASE: dict[str, float] = {"%": 100.0, "‰": 1000.0, "/千": 1000.0, "/万": 1e4, "/10万": 1e5}
"""value = numerator / denominator × base, for the units that are rates."""

_UPPER_LIMIT: dict[str, float] = {"%": 100.0, "‰": 1000.0}


class FrameError(PlanwatchError, ValueError):
    """An input frame does not follow its schema; the message says where."""

    code = "assess.frame"


FrameLike = pl.DataFrame | Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]


def _to_frame(data: FrameLike, name: str) -> pl.DataFrame:
    if isinstance(data, pl.DataFrame):
        return data
    try:
        return pl.DataFrame(data, infer_schema_length=None)
    except Exception as exc:  # polars raises several exception types here
        raise FrameError(f"{name}: 无法构造数据表 cannot build the frame: {exc}") from exc


def _cast(df: pl.DataFrame, schema: Mapping[str, pl.DataType], name: str) -> pl.DataFrame:
    exprs = []
    for col, dtype in schema.items():
        if df.schema[col] == dtype:
            exprs.append(pl.col(col))
            continue
        try:
            df.select(pl.col(col).cast(dtype, strict=True))
        except Exception as exc:
            raise FrameError(
                f"{name}: 列 {col} 的类型应为 {dtype}，实际为 {df.schema[col]} "
                f"(column {col} cannot be read as {dtype}): {exc}"
            ) from exc
        exprs.append(pl.col(col).cast(dtype))
    return df.select(exprs)


def _first_bad_row(df: pl.DataFrame, condition: pl.Expr) -> int | None:
    hit = df.lazy().with_row_index("_row").filter(condition).select("_row").head(1).collect()
    return None if hit.is_empty() else int(hit.item())


def _require_not_null(df: pl.DataFrame, columns: Sequence[str], name: str) -> None:
    counts = df.select(pl.col(c).null_count() for c in columns).row(0)
    for col, n in zip(columns, counts, strict=True):
        if n:
            row = _first_bad_row(df, pl.col(col).is_null())
            raise FrameError(
                f"{name}: 第{row}行（从0计）列 {col} 为空，共 {n} 行为空 "
                f"(row {row}: {col} is null, {n} rows in all)"
            )


Rule = tuple[pl.Expr, Callable[[int], str]]
"""A condition that marks a bad row, and the message naming the first such row."""


def _check_rows(df: pl.DataFrame, rules: Sequence[Rule]) -> None:
    """Raise the message of the first rule, in order, that some row breaks.

    One pass over the frame tells whether any rule is broken; only then is each rule's first
    bad row looked for, one query each: the frames are checked on every assessment and are
    nearly always right.
    """
    if not rules or not df.select(pl.any_horizontal([c for c, _ in rules]).any()).item():
        return
    for condition, message in rules:
        row = _first_bad_row(df, condition)
        if row is not None:
            raise FrameError(message(row))


def _in_rule(df: pl.DataFrame, col: str, allowed: Sequence[str], name: str) -> Rule:
    bad = pl.col(col).is_not_null() & ~pl.col(col).is_in(list(allowed))
    return bad, lambda row: (
        f"{name}: 第{row}行（从0计）列 {col} 的值 {df[col][row]!r} 不在 {list(allowed)} 中"
    )


def _require_in(df: pl.DataFrame, col: str, allowed: Sequence[str], name: str) -> None:
    _check_rows(df, [_in_rule(df, col, allowed, name)])


def observations_frame(data: FrameLike, *, check_duplicates: bool = True) -> pl.DataFrame:
    """Validate and normalise observations (column order and types of OBSERVATIONS_SCHEMA).

    ``check_duplicates`` can be switched off by a caller that has already guaranteed one
    row per series and year (the national benchmark); ``assess`` detects duplicates in
    the years it uses anyway.
    """
    name = "observations"
    df = _to_frame(data, name)
    missing = [c for c in OBSERVATIONS_SCHEMA if c not in df.columns and c not in _OBS_OPTIONAL]
    if missing:
        raise FrameError(f"{name}: 缺少列 missing columns: {', '.join(missing)}")
    df = df.with_columns(
        pl.lit(None, dtype=pl.Float64).alias(c) for c in _OBS_OPTIONAL if c not in df.columns
    )
    df = _cast(df, OBSERVATIONS_SCHEMA, name)
    _require_not_null(df, ["indicator_code", "area_code", "breakdown", "year", "value"], name)
    _check_rows(df, [(~pl.col("value").is_finite(), lambda row: (
        f"{name}: 第{row}行（从0计）value 不是有限数 (value is NaN or infinite)"))])
    if check_duplicates:
        dup = (
            df.lazy()
            .with_row_index("_row")
            .filter(pl.len().over([*KEYS, "year"]) > 1)
            .group_by([*KEYS, "year"])
            .agg(pl.col("_row").sort())
            .sort(pl.col("_row").list.first())
            .head(1)
            .collect()
        )
        if not dup.is_empty():
            r = dup.row(0, named=True)
            where = "、".join(f"第{i}行" for i in r["_row"])
            raise FrameError(
                f"{name}: {where}（从0计）重复：{r['indicator_code']} / {r['area_code']} / "
                f"{r['breakdown']} / {r['year']} 有不止一个值 (duplicate observation)"
            )
    return df


def _default_better() -> pl.Expr:
    c, d = pl.col("comparator"), pl.col("direction")
    return (
        pl.when(c.is_in([">=", ">"]) | d.is_in(["increase"]))
        .then(pl.lit("higher"))
        .when(c.is_in(["<=", "<"]) | d.is_in(["decrease", "eliminate"]))
        .then(pl.lit("lower"))
        .otherwise(pl.lit("hold"))
    )


def _unresolved() -> pl.Expr:
    """A relative target whose base-year figure is missing: no value, a rule saying why."""
    return pl.col("target_value").is_null() & pl.col("target_rule").is_not_null()


def targets_frame(data: FrameLike) -> pl.DataFrame:
    """Validate and normalise targets, filling the derivable columns (see module doc)."""
    name = "targets"
    df = _to_frame(data, name)
    missing = sorted(_TARGETS_REQUIRED - set(df.columns))
    if missing:
        raise FrameError(f"{name}: 缺少列 missing columns: {', '.join(missing)}")
    absent = [c for c in TARGETS_SCHEMA if c not in df.columns]
    df = df.with_columns(pl.lit(None, dtype=TARGETS_SCHEMA[c]).alias(c) for c in absent)
    df = _cast(df, TARGETS_SCHEMA, name)
    _require_not_null(df, ["indicator_code", "area_code", "kind", "target_year"], name)
    quant = pl.col("kind") == "quantitative"
    rules = [_in_rule(df, col, allowed, name) for col, allowed in (
        ("kind", KINDS), ("comparator", COMPARATORS), ("direction", DIRECTIONS), ("better", BETTER))]
    rules.append((quant & pl.col("comparator").is_null(),
                  lambda row: f"{name}: 第{row}行（从0计）是数量目标，但 comparator 为空"))
    rules.append((quant & pl.col("target_value").is_null() & ~_unresolved(),
                  lambda row: f"{name}: 第{row}行（从0计）是数量目标，但 target_value 为空"))
    rules.append((quant & ~pl.col("target_value").is_finite() & ~_unresolved(),
                  lambda row: f"{name}: 第{row}行（从0计）target_value 不是有限数"))
    rules.append(((pl.col("kind") == "directional") & pl.col("direction").is_null(),
                  lambda row: f"{name}: 第{row}行（从0计）是方向性目标，但 direction 为空"))
    _check_rows(df, rules)
    unit = pl.col("unit").fill_null("")
    df = df.with_columns(
        unit=unit,
        baseline_year=pl.col("baseline_year").fill_null(DEFAULT_BASELINE_YEAR),
        better=pl.coalesce(pl.col("better"), _default_better()),
        must_hold=pl.coalesce(
            pl.col("must_hold"),
            (pl.col("comparator") == "maintain").fill_null(False)
            | (pl.col("direction") == "maintain").fill_null(False),
        ),
        lower_limit=pl.coalesce(
            pl.col("lower_limit"),
            pl.when(unit.is_in(list(RATE_BASE))).then(pl.lit(0.0)),
        ),
        upper_limit=pl.coalesce(
            pl.col("upper_limit"), unit.replace_strict(_UPPER_LIMIT, default=None)
        ),
        lead_unit=pl.col("lead_unit").fill_null(""),
        plan=pl.col("plan").fill_null(""),
        domain=pl.col("domain").fill_null(""),
        indicator_name=pl.coalesce(pl.col("indicator_name"), pl.col("indicator_code")),
    )
    dec = pl.col("decimals")
    _check_rows(df, [
        (pl.col("baseline_year") >= pl.col("target_year"),
         lambda row: f"{name}: 第{row}行（从0计）baseline_year 不早于 target_year"),
        # a given printed precision must be one the reports can print
        (dec.is_not_null() & ~dec.is_between(0, MAX_DECIMALS),
         lambda row: f"{name}: 第{row}行（从0计）decimals 应在0到{MAX_DECIMALS}之间，实际为 {df['decimals'][row]}"),
    ])
    return _with_decimals(df).select(list(TARGETS_SCHEMA))


def _with_decimals(df: pl.DataFrame) -> pl.DataFrame:
    """Default the missing printed precisions (``precision``); given ones are checked already."""
    dec = pl.col("decimals")
    return df.with_columns(
        decimals=pl.coalesce(dec, default_decimals(pl.col("target_value"), pl.col("unit")))
    )


def self_evaluations_frame(data: FrameLike) -> pl.DataFrame:
    """Validate the qualitative targets' self-evaluations (完成 / 基本完成 / 未完成)."""
    name = "self_evaluations"
    df = _to_frame(data, name)
    missing = [c for c in ("area_code", "target_text", "year", "rating") if c not in df.columns]
    if missing:
        raise FrameError(f"{name}: 缺少列 missing columns: {', '.join(missing)}")
    absent = [c for c in SELF_EVALUATIONS_SCHEMA if c not in df.columns]
    df = df.with_columns(pl.lit(None, dtype=SELF_EVALUATIONS_SCHEMA[c]).alias(c) for c in absent)
    df = _cast(df, SELF_EVALUATIONS_SCHEMA, name)
    _require_not_null(df, ["area_code", "target_text", "year", "rating"], name)
    _require_in(df, "rating", RATINGS, name)
    return df.with_columns(pl.col(c).fill_null("") for c in ("lead_unit", "plan", "domain"))
