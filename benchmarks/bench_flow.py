"""Flow aggregation speed: daily partials from 10M classified trades, weekly rollups.

* ``daily_flow`` on a classified 10M-trade day, against a bare
  ``pl.scan_parquet(path).collect()`` of the same file in the same run;
* ``weekly_flow`` (and the streak and skew views) over 252 trading days of
  stored partials (the bundled sample's last 252 days).

Usage: ``python benchmarks/bench_flow.py [--rows 10000000]``.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import polars as pl
from _util import best_of, peak_rss_mb
from bench_signing import make_day

from optionsflow.aggregate.partials import daily_flow, read_partials
from optionsflow.aggregate.skew import sector_skew
from optionsflow.aggregate.streaks import call_buying_streak
from optionsflow.aggregate.weekly import weekly_flow
from optionsflow.batch.pipeline import classify_trades
from optionsflow.bundled import SAMPLE_FILES, sample_dir
from optionsflow.synth import sector_map


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw, classified = Path(tmp) / "raw.parquet", Path(tmp) / "classified.parquet"
        make_day(raw, args.rows)
        classify_trades(pl.scan_parquet(raw)).sink_parquet(classified)
        smap = sector_map()
        t_scan, _ = best_of(lambda: pl.scan_parquet(classified).collect())
        t_daily, parts = best_of(
            lambda: daily_flow(pl.scan_parquet(classified), sectors=smap).collect()
        )
        print(
            f"{args.rows:,} classified trades ({classified.stat().st_size / 1e6:,.0f} MB Parquet)"
        )
        print(f"bare scan_parquet().collect(): {t_scan:.2f} s")
        print(
            f"daily_flow -> {parts.height:,} partial rows: {t_daily:.2f} s = {t_daily / t_scan:.2f}x the bare scan"
        )
    stored = read_partials(sample_dir() / SAMPLE_FILES.history).collect()
    days = stored["date"].unique().sort().tail(252)
    year = stored.filter(pl.col("date").is_in(days.implode()))
    print(f"252 days of partials: {year.height:,} rows")
    for name, fn in (
        ("weekly_flow(by participant, right, side)", lambda: weekly_flow(year).collect()),
        (
            "call_buying_streak(retail)",
            lambda: call_buying_streak(year, participant="retail").collect(),
        ),
        (
            "sector_skew(institutional)",
            lambda: sector_skew(year, participant="institutional").collect(),
        ),
    ):
        t, _ = best_of(fn)
        print(f"{name}: {t * 1000:.0f} ms")
    print(f"peak RSS: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
