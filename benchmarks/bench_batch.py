"""Batch job speed: the per-day job, building a store, checking it, local pool and Dask.

* (a) the whole per-day job as ``run_batch`` runs it for one day (ingest -> quotes -> sign ->
  participant -> greeks -> partials -> atomic writes, into a fresh store) on one synthetic
  ``--rows`` day written as a Cboe DataShop CSV (``_vendor_files.write_cboe_csv``) and as
  canonical Parquet, against a bare ``pl.read_csv`` of the same CSV (target <= 3x) and a
  bare ``pl.scan_parquet().collect()`` of the same Parquet file (target <= 4x); peak memory
  <= 2x the bare read's. Every method runs in a fresh child process (``_util.run_child``,
  best of 3 there, so its peak RSS is its own), and the bare read and the job alternate for
  ``--rounds`` rounds, so the ratios are measured side by side on a loaded machine;
* (b) ``run_batch`` building a store of ``--store-days`` synthetic days (250, the acceptance
  size), and checking it when it is up to date (the acceptance asks <= 1 % of the build);
* (d) ``workers=2`` and ``dask="local"`` (2 worker processes, cluster start included) over
  the first ``--days`` of those days (8), against a serial build of the same days.

Usage: ``python benchmarks/bench_batch.py [--rows 1000000] [--rounds 2] [--store-days 250]
[--days 8] [--day-rows 200000] [--no-dask] [--only-day | --no-day]`` (the acceptance size of (a) is
``--rows 10000000``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl
from _util import best_of, peak_rss_mb, run_child
from _vendor_files import write_cboe_csv

from optionsflow.batch import run_batch
from optionsflow.calendar import trading_days
from optionsflow.synth import synth_day

DAY = dt.date(2026, 11, 20)
PARQUET = f"trades_{DAY}.parquet"
CBOE = f"UnderlyingOptionsTrades_{DAY}.csv"
CASES = (  # label, bare method, job method, time target, memory target
    ("Cboe CSV", "bare_cboe", "day_cboe", 3.0, 2.0),
    ("canonical Parquet", "bare_parquet", "day_parquet", 4.0, 2.0),
)


def _method(name: str, root: Path) -> int:
    """Run one method once; returns the number of rows it read (or the day's accepted)."""
    files = {"cboe": root / CBOE, "parquet": root / PARQUET}
    kind, fmt = name.split("_", 1)
    path = files[fmt]
    if kind == "bare" and fmt == "cboe":
        return pl.read_csv(path, truncate_ragged_lines=True).height
    if kind == "bare":
        return pl.scan_parquet(path).collect().height
    store = Path(tempfile.mkdtemp(prefix="store-", dir=root))
    try:
        report = run_batch([path], store=store)
        if report.exit_code != 0:
            raise RuntimeError("\n".join(report.lines()))
        return report.totals.accepted
    finally:
        shutil.rmtree(store)


def child(method: str, root: Path) -> None:
    """Time one method (best of 3) in this process and print one JSON line.

    ``cpu`` is the best process CPU time (all threads) of a run: less sensitive
    than wall time to other jobs on a loaded machine.
    """
    cpu: list[float] = []

    def once() -> int:
        started = time.process_time()
        rows = _method(method, root)
        cpu.append(time.process_time() - started)
        return rows

    seconds, rows = best_of(once)
    print(json.dumps({"method": method, "seconds": seconds, "cpu": min(cpu), "rows": rows,
                      "rss_mb": peak_rss_mb()}))  # fmt: skip


def per_day_job(rows: int, rounds: int) -> None:
    """(a): the per-day job against bare reads of the same day, each in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-day-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        day = synth_day(DAY, rows)
        day.write_parquet(root / PARQUET)
        write_cboe_csv(day, root / CBOE)
        del day
        sizes = ", ".join(f"{n} {(root / n).stat().st_size / 1e6:,.0f} MB" for n in (CBOE, PARQUET))
        print(f"{rows:,} trades written in {time.perf_counter() - started:.0f} s: {sizes}")
        print(
            f"per-day job (run_batch, one day, fresh store) vs bare read; best of 3 per process, "
            f"{rounds} alternated rounds; x CPU = process CPU time (all threads) ratio\n"
        )
        header = (
            f"{'input':<20}{'bare s':>8}{'job s':>8}{'x bare':>8}{'x CPU':>7}{'target':>8}"
            f"{'bare MB':>9}{'job MB':>9}{'x mem':>7}{'target':>8}"
        )
        print(header)
        print("-" * len(header))
        for label, bare_name, job_name, target, mem_target in CASES:
            got: dict[str, list[dict[str, object]]] = {bare_name: [], job_name: []}
            for _ in range(rounds):
                for name in (bare_name, job_name):
                    result = run_child(__file__, name, root)
                    if "error" in result:
                        raise SystemExit(f"{name}: {result['error']}")
                    got[name].append(result)
            bare = min(float(r["seconds"]) for r in got[bare_name])  # type: ignore[arg-type]
            job = min(float(r["seconds"]) for r in got[job_name])  # type: ignore[arg-type]
            bare_mb = max(float(r["rss_mb"]) for r in got[bare_name])  # type: ignore[arg-type]
            job_mb = max(float(r["rss_mb"]) for r in got[job_name])  # type: ignore[arg-type]
            paired = [
                float(j["seconds"]) / float(b["seconds"])  # type: ignore[arg-type]
                for b, j in zip(got[bare_name], got[job_name], strict=True)
            ]
            cpu = min(float(r["cpu"]) for r in got[job_name]) / min(  # type: ignore[arg-type]
                float(r["cpu"])
                for r in got[bare_name]  # type: ignore[arg-type]
            )
            print(
                f"{label:<20}{bare:>8.2f}{job:>8.2f}{job / bare:>8.2f}{cpu:>7.2f}{target:>8.1f}"
                f"{bare_mb:>9,.0f}{job_mb:>9,.0f}{job_mb / bare_mb:>7.2f}{mem_target:>8.1f}"
            )
            print(f"{'':<20}per-round ratios {', '.join(f'{x:.2f}' for x in paired)}"
                  f" (median {statistics.median(paired):.2f})")  # fmt: skip
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="trades of the (a) day")
    parser.add_argument("--rounds", type=int, default=2, help="alternated rounds of (a)")
    parser.add_argument("--store-days", type=int, default=250, help="days of the (b) store")
    parser.add_argument("--days", type=int, default=8, help="days of the (d) comparison")
    parser.add_argument("--day-rows", type=int, default=200_000, help="trades per store day")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--only-day", action="store_true", help="run (a) only")
    parser.add_argument("--no-day", action="store_true", help="skip (a)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path)
        return
    if not args.no_day:
        per_day_job(args.rows, args.rounds)
    if args.only_day:
        return
    days = trading_days(dt.date(2026, 9, 1), dt.date(2027, 12, 31))[
        : max(args.store_days, args.days)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        started = time.perf_counter()
        files = []
        for day in days:
            files.append(folder / f"trades_{day}.parquet")
            synth_day(day, args.day_rows).write_parquet(files[-1])
        print(f"{len(days)} days of {args.day_rows:,} trades written in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip

        store = Path(tmp) / "serial"
        started = time.perf_counter()
        report = run_batch(files[: args.store_days], store=store, progress=None)
        t_build = time.perf_counter() - started
        assert report.exit_code == 0
        t_check, again = best_of(lambda: run_batch(files[: args.store_days], store=store))
        assert not again.written
        print(
            f"(b) build {args.store_days} days: {t_build:.1f} s; up-to-date check "
            f"{t_check * 1e3:.0f} ms ({t_check / t_build:.3%} of the build; target <= 1%)"
        )

        few = files[: args.days]
        started = time.perf_counter()
        run_batch(few, store=Path(tmp) / "few", progress=None)
        t_serial = time.perf_counter() - started
        started = time.perf_counter()
        run_batch(few, store=Path(tmp) / "pool", workers=2, progress=None)
        t_pool = time.perf_counter() - started
        print(f"(d) {len(few)} days: serial {t_serial:.2f} s; workers=2: {t_pool:.2f} s "
              f"({t_pool / t_serial:.2f}x serial)")  # fmt: skip
        if not args.no_dask and importlib.util.find_spec("distributed") is not None:
            started = time.perf_counter()
            run_batch(few, store=Path(tmp) / "dask", dask="local", progress=None)
            t_dask = time.perf_counter() - started
            print(
                f"(d) dask local (2 workers, start included): {t_dask:.2f} s "
                f"({t_dask / t_pool:.2f}x workers=2; target <= 1.25x)"
            )
        print(f"peak RSS of this process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
