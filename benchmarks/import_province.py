"""Import one full year for a province-sized workspace and print rows per second.

Setup (not timed): a synthetic catalogue of 100 districts × 40 units; each unit reports
5 indicators (3 rates broken down by sex, 2 counts), i.e. 11 figures per unit, 44 000 per
year. Each unit's year is one CSV file (``--format xlsx`` uses real workbooks instead;
writing 4 000 of them takes minutes, so use it with fewer ``--districts``).

Timed, in the same run and on the same database:
  1. import      – ``import_files``: read, validate against catalogue and history, store
                   (one transaction per file, revision lock, audit event);
  2. baseline    – a naive importer: the same observations (already parsed), inserted
                   row by row through the ORM with a flush per row, one commit per file,
                   no validation. This is the simple thing one would write first.
The ratio import ÷ baseline says what validation-plus-bulk-insert costs or saves against
that naive store. Numbers are from SQLite unless ``--database-url`` says otherwise.

    python benchmarks/import_province.py [--districts 100] [--format csv|xlsx]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from planwatch.store import models as m
from planwatch.store.db import make_engine, make_sessionmaker
from planwatch.store.migrate import upgrade_to_head

UNITS_PER_DISTRICT = 40
INDICATORS_PER_UNIT = 5
YEAR = 2023


def seed(factory, districts: int) -> list[tuple[str, str, list[m.Indicator]]]:  # type: ignore[no-untyped-def]
    """Areas, units, indicators and assignments; returns (area, unit, indicators) per unit."""
    plan_units: list[tuple[str, str, list[m.Indicator]]] = []
    with factory() as s, s.begin():
        s.add(m.Area(code="370000", name="山东省", full_name="山东省", level="province"))
        s.add(m.Area(code="370100", name="某市", full_name="山东省某市", level="city",
                     parent_code="370000"))
        indicators: list[m.Indicator] = []
        for u in range(UNITS_PER_DISTRICT):
            for j in range(INDICATORS_PER_UNIT):
                rate = j < 3
                ind = m.Indicator(
                    code=f"B{u:02d}-{j:02d}", name=f"基准指标{u}-{j}", unit="%" if rate else "人",
                    better="higher", is_rate=rate, rate_base=100.0 if rate else None,
                    lower_limit=0.0, upper_limit=100.0 if rate else None,
                    breakdowns=["sex"] if rate else [], subject="women",
                )
                indicators.append(ind)
        s.add_all(indicators)
        s.flush()
        for d in range(districts):
            code = f"99{d:04d}"  # synthetic division codes, clear of the real 37xxxx ones
            s.add(m.Area(code=code, name=f"第{d}区", full_name=f"山东省某市第{d}区",
                         level="county", parent_code="370100"))
            s.flush()
            for u in range(UNITS_PER_DISTRICT):
                unit = m.Unit(area_code=code, name=f"区单位{u:02d}", aliases=[])
                s.add(unit)
                s.flush()
                mine = indicators[u * INDICATORS_PER_UNIT:(u + 1) * INDICATORS_PER_UNIT]
                for ind in mine:
                    s.add(m.IndicatorReporter(indicator_id=ind.id, area_code=code,
                                              unit_id=unit.id))
                plan_units.append((code, unit.name, mine))
    return plan_units


def figures(ind: m.Indicator, k: int) -> list[tuple[str, float, float | None, float | None]]:
    if ind.is_rate:
        out: list[tuple[str, float, float | None, float | None]] = []
        f_num, f_den = 400 + k % 50, 1000
        m_num, m_den = 380 + k % 40, 1000
        out.append(("合计", round((f_num + m_num) / (f_den + m_den) * 100, 2), f_num + m_num,
                    f_den + m_den))
        out.append(("女", round(f_num / f_den * 100, 2), f_num, f_den))
        out.append(("男", round(m_num / m_den * 100, 2), m_num, m_den))
        return out
    return [("合计", float(100 + k % 17), None, None)]


def write_csvs(units: list[tuple[str, str, list[m.Indicator]]], out: Path) -> list[Path]:
    paths = []
    for k, (area, unit, inds) in enumerate(units):
        p = out / f"{area}_{unit}.csv"
        with p.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["area_code", "unit", "year", "indicator", "breakdown", "value",
                        "numerator", "denominator"])
            for ind in inds:
                for label, v, num, den in figures(ind, k):
                    w.writerow([area, unit, YEAR, ind.code, label, v,
                                "" if num is None else num, "" if den is None else den])
        paths.append(p)
    return paths


def write_workbooks(factory, units, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    from planwatch.collect import breakdowns as bd
    from planwatch.collect.fill import Figure
    from planwatch.collect.template import template_filename, template_spec, write_template

    paths = []
    with factory() as s:
        for k, (area, unit_name, inds) in enumerate(units):
            unit = s.scalars(select(m.Unit).where(m.Unit.area_code == area,
                                                  m.Unit.name == unit_name)).one()
            spec = template_spec(s, unit, YEAR)
            figs = {(ind.code, bd.parse(label)): Figure(v, num, den)
                    for ind in inds for label, v, num, den in figures(ind, k)}
            paths.append(write_template(spec, out / template_filename(spec), figs))
    return paths


def naive_store(factory, units, limit: int) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """The baseline: row-by-row ORM inserts with a flush each, one commit per unit."""
    from planwatch.collect import breakdowns as bd

    rows = 0
    start = time.perf_counter()
    for k, (area, unit_name, inds) in enumerate(units[:limit]):
        with factory() as s, s.begin():
            unit_id = s.scalars(select(m.Unit.id).where(m.Unit.area_code == area,
                                                        m.Unit.name == unit_name)).one()
            sub = m.Submission(area_code=area, unit_id=unit_id, year=YEAR + 1, revision=1,
                               state="draft", created_by="naive")
            s.add(sub)
            s.flush()
            for ind in inds:
                for label, v, num, den in figures(ind, k):
                    s.add(m.Observation(submission_id=sub.id, indicator_id=ind.id,
                                        area_code=area, year=YEAR + 1, breakdown=bd.parse(label),
                                        value=v, numerator=num, denominator=den, flags=[]))
                    s.flush()
                    rows += 1
    return rows, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--districts", type=int, default=100)
    ap.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--baseline-units", type=int, default=400,
                    help="units stored by the naive baseline (rows/s is what is compared)")
    args = ap.parse_args()

    import planwatch

    with tempfile.TemporaryDirectory(prefix="planwatch-bench-") as tmp:
        out = Path(tmp)
        url = args.database_url or f"sqlite:///{out / 'planwatch.sqlite'}"
        engine = make_engine(url)
        upgrade_to_head(engine)
        factory = make_sessionmaker(engine)
        t0 = time.perf_counter()
        units = seed(factory, args.districts)
        files_dir = out / "files"
        files_dir.mkdir()
        paths = (write_csvs(units, files_dir) if args.format == "csv"
                 else write_workbooks(factory, units, files_dir))
        setup = time.perf_counter() - t0
        print(f"setup: {args.districts} districts × {UNITS_PER_DISTRICT} units = {len(units)} "
              f"{args.format} files in {setup:.1f}s ({engine.dialect.name})")

        # The synthetic catalogue above is seeded through the store (no plan text names 4,000
        # units); the measured import is the public API's, on the folder as a workspace.
        database = "null" if args.database_url is None else repr(args.database_url)
        (out / "workspace.yaml").write_text(f"planwatch_workspace: 1\nname: bench\ndatabase_url: {database}\n",
                                            encoding="utf-8")
        start = time.perf_counter()
        result = planwatch.import_data(out, paths, actor="benchmark")
        elapsed = time.perf_counter() - start
        assert result.accepted, [f.to_dict() for f in result.files if not f.accepted][:1]
        with factory() as s:
            stored = s.scalar(select(func.count()).select_from(m.Observation)) or 0
        import_rate = stored / elapsed
        print(f"import   : {stored} rows, {len(paths)} files in {elapsed:.2f}s "
              f"= {import_rate:,.0f} rows/s (read + validate + store)")

        n, t = naive_store(factory, units, min(args.baseline_units, len(units)))
        naive_rate = n / t
        print(f"baseline : {n} rows in {t:.2f}s = {naive_rate:,.0f} rows/s "
              f"(naive ORM, flush per row, no validation)")
        print(f"ratio import/baseline = {import_rate / naive_rate:.2f}×")
        engine.dispose()


if __name__ == "__main__":
    main()
