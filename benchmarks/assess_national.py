"""National-scale assessment benchmark: vectorised engine vs a per-series pandas loop.

    python benchmarks/assess_national.py            # 2,844 areas ≈ 12.8 M observations
    python benchmarks/assess_national.py --small    # 300 areas, a quick run

Three child processes, so that each peak memory figure (ru_maxrss) belongs to one job:
1. generate the workspace (seeded, in memory) and write it to Parquet in a temp dir;
2. read it and run ``assess(..., method="default")`` over every series — wall time, CPU
   time, series/second and peak RSS (which includes the input frames themselves);
3. run the straightforward pandas implementation on a deterministic sample of at least
   20,000 series, and check that it gives the same statuses as the engine.
The throughput ratio (engine series/s ÷ baseline series/s) is printed at the end.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

AS_OF = 2023
HERE = Path(__file__).resolve().parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _generate(out: Path, n_areas: int) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from national_data import generate

    t0 = time.perf_counter()
    obs, targets = generate(n_areas=n_areas)
    seconds = time.perf_counter() - t0
    obs.write_parquet(out / "obs.parquet")
    targets.write_parquet(out / "targets.parquet")
    return {"seconds": seconds, "observations": obs.height, "targets": targets.height,
            "peak_mb": _peak_mb()}


def _assess(out: Path) -> dict[str, float | dict[str, int]]:
    import polars as pl

    import planwatch

    obs = pl.read_parquet(out / "obs.parquet")
    targets = pl.read_parquet(out / "targets.parquet")
    loaded_mb = _peak_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    result = planwatch.assess_frames(obs, targets, AS_OF, method="default")
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    result.select("indicator_code", "area_code", "breakdown", "status").write_parquet(
        out / "result.parquet"
    )
    return {"seconds": seconds, "cpu_seconds": cpu, "series": result.height,
            "loaded_mb": loaded_mb, "peak_mb": _peak_mb(),
            "statuses": dict(result["status"].value_counts().iter_rows())}


def _baseline(out: Path, n_series: int) -> dict[str, float]:
    import polars as pl

    sys.path.insert(0, str(HERE))
    from pandas_baseline import assess_pandas

    keys = ["indicator_code", "area_code", "breakdown"]
    result = pl.read_parquet(out / "result.parquet")
    step = max(result.height // n_series, 1)
    sample = result.gather_every(step).head(n_series)
    obs = pl.read_parquet(out / "obs.parquet").join(sample.select(keys), on=keys)
    import planwatch

    targets = planwatch.targets_frame(pl.read_parquet(out / "targets.parquet")).join(
        sample.select("indicator_code", "area_code").unique(), on=["indicator_code", "area_code"]
    )
    import pandas as pd  # pyarrow is not installed: go through plain Python lists

    obs_pd = pd.DataFrame(obs.to_dict(as_series=False))
    targets_pd = pd.DataFrame(targets.to_dict(as_series=False))
    t0 = time.perf_counter()
    got = assess_pandas(obs_pd, targets_pd, AS_OF)
    seconds = time.perf_counter() - t0
    got_pl = pl.DataFrame(got[[*keys, "status"]].to_dict("list"))
    both = sample.join(got_pl, on=keys, suffix="_pandas")
    agree = both.filter(pl.col("status") == pl.col("status_pandas")).height
    return {"seconds": seconds, "series": len(got), "agree": agree, "compared": both.height}


def _child(job: str, out: Path, arg: int) -> dict[str, Any]:
    """Typed loosely: the figures come back as JSON, each value of the type its job printed."""
    cmd = [sys.executable, __file__, "--job", job, "--dir", str(out), "--arg", str(arg)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{job} failed:\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--small", action="store_true", help="300 areas instead of 2,844")
    p.add_argument("--baseline-series", type=int, default=20_000)
    p.add_argument("--job", choices=["generate", "assess", "baseline"], help=argparse.SUPPRESS)
    p.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--arg", type=int, default=0, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.job:
        fn = {"generate": _generate, "assess": lambda d, _: _assess(d), "baseline": _baseline}
        print(json.dumps(fn[a.job](a.dir, a.arg), ensure_ascii=False))
        return

    n_areas = 300 if a.small else 2844
    with tempfile.TemporaryDirectory(prefix="planwatch-bench-") as tmp:
        out = Path(tmp)
        gen = _child("generate", out, n_areas)
        print(f"generated {gen['observations']:,} observations, {gen['targets']:,} targets "
              f"for {n_areas:,} areas in {gen['seconds']:.1f} s (generator peak "
              f"{gen['peak_mb']:,.0f} MB, separate process)")
        res = _child("assess", out, 0)
        base = _child("baseline", out, a.baseline_series)

    polars_rate = res["series"] / res["seconds"]
    pandas_rate = base["series"] / base["seconds"]
    print(f"engine   : {res['series']:,} series in {res['seconds']:.2f} s wall "
          f"({res['cpu_seconds']:.2f} s CPU) = {polars_rate:,.0f} series/s")
    print(f"           peak RSS {res['peak_mb']:,.0f} MB (input frames alone "
          f"{res['loaded_mb']:,.0f} MB)")
    print(f"           statuses {json.dumps(res['statuses'], ensure_ascii=False)}")
    print(f"baseline : {base['series']:,} series (per-series pandas) in {base['seconds']:.2f} s "
          f"= {pandas_rate:,.0f} series/s")
    print(f"agreement: {base['agree']:,} / {base['compared']:,} statuses identical")
    print(f"ratio    : engine throughput = {polars_rate / pandas_rate:,.0f} × baseline")


if __name__ == "__main__":
    main()
