"""The plan reader on one very long line: time must grow with the size, not its square.

Run: ``.venv/bin/python benchmarks/reader_long_line.py [--megabytes 4]``

A plan pasted from a web page or a PDF extraction that lost its line breaks arrives as one
line of megabytes. Each shape below is read at ``1/4``, ``1/2`` and the full size; the
reader is linear when doubling the size roughly doubles the time. The run fails (exit 1)
when the full size takes more than 3× the time of the half size, or more than 60 s — a
quadratic reader took 77 s for 0.7 MB (issue 11).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from planwatch.plan.reader import read_files

PLAN_HEADING = "济南市市中区“十四五”妇女发展规划\n一、妇女与健康\n（一）主要目标。\n"
POLICY_HEADING = "一、妇女与健康\n"
"""Without a plan title the text is read as a policy document, paragraph by paragraph."""


def targets_one_sentence(size: int) -> str:
    """Quantitative targets joined by commas: one sentence of thousands of clauses."""
    unit = "孕产妇死亡率控制在8/10万以下，婴儿死亡率降至5‰以下，"
    return unit * (size // len(unit.encode()))


def targets_many_sentences(size: int) -> str:
    unit = "力争到2025年，妇女常见病筛查率达到85%以上。"
    return unit * (size // len(unit.encode()))


def prose(size: int) -> str:
    """Running text with no figure: what most of a pasted plan is."""
    rng = random.Random(11)
    chars = "加强妇女儿童健康服务体系建设推进优质资源均衡布局完善工作机制，、"
    return "".join(rng.choice(chars) for _ in range(size // 3))


def ratios(size: int) -> str:
    """A ratio chain 1:1:1…, which keeps one clause open across every colon."""
    return "比例为" + "1:" * (size // 2)


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "targets_one_sentence": (PLAN_HEADING, targets_one_sentence),
    "policy_one_sentence": (POLICY_HEADING, targets_one_sentence),
    "targets_many_sentences": (PLAN_HEADING, targets_many_sentences),
    "prose": (PLAN_HEADING, prose),
    "ratios": (PLAN_HEADING, ratios),
}


def read_seconds(text: str, folder: Path) -> float:
    path = folder / "long.txt"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    read_files([path])
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=4.0, help="full size of the line (default 4)")
    args = parser.parse_args()
    full = int(args.megabytes * 1_000_000)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'shape':24} {'MB':>6} {'seconds':>8}")
        for name, (heading, make) in SHAPES.items():
            times = []
            for size in (full // 4, full // 2, full):
                seconds = read_seconds(heading + make(size), folder)
                times.append(seconds)
                print(f"{name:24} {size / 1e6:6.2f} {seconds:8.2f}", flush=True)
            growth = times[2] / max(times[1], 1e-3)
            verdict = "linear" if growth <= 3.0 and times[2] <= 60 else "TOO SLOW"
            ok = ok and verdict == "linear"
            print(f"{name:24} half → full: ×{growth:.2f}  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
