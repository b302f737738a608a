"""Batch job speed: building a store, checking an up-to-date one, local pool and Dask.

* the per-day job (ingest -> sign -> participant -> greeks -> partials -> atomic writes)
  against a bare ``pl.scan_parquet(day).collect()`` of the same canonical file;
* ``run_batch`` building a store of ``--days`` synthetic days, and checking it when it
  is up to date (the acceptance asks <= 1 % of the build);
* ``workers=2`` and ``dask="local"`` (2 worker processes, cluster start included) over
  the same days, against the serial build.

Usage: ``python benchmarks/bench_batch.py [--days 8] [--rows 200000] [--no-dask]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import tempfile
import time
from pathlib import Path

import polars as pl
from _util import best_of, peak_rss_mb

from optionsflow.batch import run_batch
from optionsflow.calendar import trading_days
from optionsflow.synth import synth_day


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=8)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    days = trading_days(dt.date(2026, 9, 1), dt.date(2027, 12, 31))[: args.days]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        for day in days:
            synth_day(day, args.rows).write_parquet(folder / f"trades_{day}.parquet")
        one = folder / f"trades_{days[0]}.parquet"
        t_scan, _ = best_of(lambda: pl.scan_parquet(one).collect())

        def one_day() -> object:
            return run_batch([one], store=Path(tempfile.mkdtemp(dir=tmp)))

        t_day, _ = best_of(one_day)
        print(
            f"per-day job, {args.rows:,} trades: {t_day:.3f} s; bare scan {t_scan:.3f} s; "
            f"ratio {t_day / t_scan:.1f}x"
        )

        store = Path(tmp) / "serial"
        started = time.perf_counter()
        report = run_batch([folder], store=store)
        t_build = time.perf_counter() - started
        assert report.exit_code == 0
        t_check, again = best_of(lambda: run_batch([folder], store=store))
        assert not again.written
        print(
            f"build {len(days)} days: {t_build:.2f} s; up-to-date check {t_check * 1e3:.1f} ms "
            f"({t_check / t_build:.2%} of the build)"
        )

        started = time.perf_counter()
        run_batch([folder], store=Path(tmp) / "pool", workers=2)
        t_pool = time.perf_counter() - started
        print(f"workers=2: {t_pool:.2f} s ({t_pool / t_build:.2f}x serial)")
        if not args.no_dask and importlib.util.find_spec("distributed") is not None:
            started = time.perf_counter()
            run_batch([folder], store=Path(tmp) / "dask", dask="local")
            t_dask = time.perf_counter() - started
            print(
                f"dask local (2 workers, start included): {t_dask:.2f} s "
                f"({t_dask / t_pool:.2f}x workers=2)"
            )
        print(f"peak RSS of this process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
