"""Generator speed, the default pipeline, and the summary wall time.

Baselines measured in the same run: writing/reading the generated day as
Parquet with bare Polars, and a bare ``scan_parquet().collect()``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from _util import best_of, peak_rss_mb

from optionsflow.batch.pipeline import flow_partials
from optionsflow.synth import market_paths, synth_day
from optionsflow.synth.paths import HORIZON

DAY = dt.date(2026, 11, 20)
N = 1_000_000


def main() -> None:
    t_paths, _ = best_of(lambda: market_paths(HORIZON), repeat=1)
    print(f"market paths (cached after first call): {t_paths:.2f} s")
    t_gen, day = best_of(lambda: synth_day(DAY, N))
    print(f"synth_day {N:,} trades: {t_gen:.2f} s = {N / t_gen:,.0f} trades/s")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "day.parquet"
        t_write, _ = best_of(lambda: day.write_parquet(path))
        t_scan, _ = best_of(lambda: pl.scan_parquet(path).collect())
        t_pipe, parts = best_of(lambda: flow_partials(pl.scan_parquet(path)).collect())
        print(f"bare write_parquet: {t_write:.2f} s  (generator / write = {t_gen / t_write:.1f}x)")
        print(f"bare scan_parquet().collect(): {t_scan:.3f} s")
        print(
            f"Parquet -> Lee-Ready + participants -> daily partials: {t_pipe:.3f} s "
            f"({t_pipe / t_scan:.1f}x the bare scan), {parts.height:,} partial rows"
        )
    cli = [sys.executable, "-m", "optionsflow", "summary"]
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    print(
        f"`optionsflow summary` on the bundled sample, wall (process start included): "
        f"best {min(times):.2f} s, worst {max(times):.2f} s"
    )
    print(f"peak RSS: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
