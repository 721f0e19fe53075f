"""Score the plan reader on the corpus of real plan texts in tests/corpus.

    .venv/bin/python benchmarks/corpus_score.py              # the development part
    .venv/bin/python benchmarks/corpus_score.py --held-back  # the part kept back
    .venv/bin/python benchmarks/corpus_score.py --all -v     # everything, with the misses

Each gold file in tests/corpus/gold names its text; `held_back: true` marks the documents
kept out of day-to-day work, scored only to see how the reader generalises.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

import planwatch
from planwatch.cli.parse_cmd import print_score

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--held-back", action="store_true", help="score only the held-back part")
    group.add_argument("--all", action="store_true", help="score the whole corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    console = Console()
    per_doc = Table(title="每个文件 / per document", title_justify="left")
    for header in ("文件", "级别", "周期", "目标", "单位", "量化", "多读"):
        per_doc.add_column(header)
    total = None
    started = time.perf_counter()
    for path in sorted((CORPUS / "gold").glob("*.yaml")):
        gold = planwatch.read_gold(path)
        if not args.all and gold.held_back != args.held_back:
            continue
        assert gold.text is not None, path
        result = planwatch.score_plans(planwatch.parse_plans([gold.text]), gold)
        if total is None:
            total = type(result)()  # an empty tally of the same kind
        total.add(result)
        per_doc.add_row(
            path.stem,
            str(gold.meta.get("level", "")),
            str(gold.meta.get("cycle", "")),
            f"{result.targets_found}/{result.targets}",
            f"{result.units_exact}/{result.units}",
            f"{result.indicators_right}/{result.indicators}",
            str(result.extra_targets),
        )
    console.print(per_doc)
    if total is None:
        console.print("没有可评分的文件 no gold file in this part")
        return
    part = "全部" if args.all else ("保留部分（held back）" if args.held_back else "开发部分")
    misses = total.misses
    if not args.verbose:
        total.misses = []
    print_score(total, console, title=f"语料库{part}合计（{time.perf_counter() - started:.2f} 秒）")
    if not args.verbose and misses:
        console.print(f"（{len(misses)} 处不符；加 -v 查看）")


if __name__ == "__main__":
    main()
