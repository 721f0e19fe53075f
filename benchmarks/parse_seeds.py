"""How long reading both seed documents takes, against a raw scan of the same files.

Run: ``.venv/bin/python benchmarks/parse_seeds.py [--repeat N]``

The baseline is the cheapest thing any reader must do: read the files and find the numbered
items with one regular expression. The ratio says how much the full reader (line repair,
document split, units, quantities, directions) costs on top of that.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import planwatch

SEEDS = [
    Path(__file__).resolve().parent.parent / "examples" / "plans" / name
    for name in ("jinan-shizhong-2022-7.txt", "shanting-gazette-2022-1.md")
]
_ITEM = re.compile(r"^[（(]\d+[）)]", re.MULTILINE)


def raw_scan() -> int:
    return sum(len(_ITEM.findall(p.read_text(encoding="utf-8"))) for p in SEEDS)


def full_read() -> int:
    return planwatch.parse_plans(SEEDS).catalogue.target_count()


def timed(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    times = []
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    full_read()  # warm imports and regex caches; both sides are measured warm
    base, items = timed(raw_scan, args.repeat)
    full, targets = timed(full_read, args.repeat)
    size = sum(p.stat().st_size for p in SEEDS) / 1024
    print(f"seeds: {len(SEEDS)} files, {size:.0f} KiB")
    print(f"baseline raw scan : {base * 1000:8.1f} ms  ({items} numbered items)")
    print(f"full reader       : {full * 1000:8.1f} ms  ({targets} main targets)")
    print(f"ratio full/baseline: {full / base:.1f}x")


if __name__ == "__main__":
    main()
