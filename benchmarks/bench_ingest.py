"""Ingest speed and memory against bare Polars reads of the same files, in the same run.

One synthetic day (``synth_day``, 10 million trades by default) is written as canonical
Parquet, as a Cboe DataShop CSV (ragged venue tail, 1-3 venues a row) and as Polygon
``trades_v1`` CSV.gz with a ``quotes_v1`` CSV.gz (two quotes per trade). Each method then
runs in a fresh child process (``_util.run_child``), so its peak RSS is its own:

* canonical: ``scan_trades(parquet).collect()`` / ``load_trades`` vs a bare
  ``pl.scan_parquet(parquet).collect()`` (target <= 1.3x);
* Cboe: vs ``pl.read_csv(csv, truncate_ragged_lines=True)`` (target <= 2x);
* Polygon: vs ``pl.read_csv`` of the trades file and of the quotes file (target <= 2x).

Usage: ``python benchmarks/bench_ingest.py [--rows 10000000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

import polars as pl
from _util import best_of, peak_rss_mb, run_child
from _vendor_files import write_cboe_csv, write_polygon

from optionsflow.ingest import load_trades, scan_trades
from optionsflow.synth import synth_day

DAY = dt.date(2026, 11, 20)
PARQUET = f"trades_{DAY}.parquet"
CBOE = f"UnderlyingOptionsTrades_{DAY}.csv"
TRADES, QUOTES = f"{DAY}.csv.gz", f"quotes_{DAY}.csv.gz"
CASES = (  # label, key, target
    ("canonical Parquet", "parquet", 1.3),
    ("Cboe CSV", "cboe", 2.0),
    ("Polygon CSV.gz + quotes", "polygon", 2.0),
)


def _method(name: str, root: Path) -> int:
    """Run one method once; returns the number of rows it produced."""
    parquet, cboe = root / PARQUET, root / CBOE
    trades, quotes = root / TRADES, root / QUOTES
    runs = {
        "bare_parquet": lambda: pl.scan_parquet(parquet).collect().height,
        "scan_parquet": lambda: scan_trades(parquet).collect().height,
        "load_parquet": lambda: load_trades(parquet).trades.height,
        "bare_cboe": lambda: pl.read_csv(cboe, truncate_ragged_lines=True).height,
        "scan_cboe": lambda: scan_trades(cboe).collect().height,
        "load_cboe": lambda: load_trades(cboe).trades.height,
        "bare_polygon": lambda: pl.read_csv(trades).height + 0 * pl.read_csv(quotes).height,
        "scan_polygon": lambda: scan_trades(trades, quotes=quotes).collect().height,
        "load_polygon": lambda: load_trades(trades, quotes=quotes).trades.height,
    }
    return int(runs[name]())


def child(method: str, root: Path) -> None:
    """Time one method (best of 3) in this process and print one JSON line."""
    seconds, rows = best_of(lambda: _method(method, root))
    print(json.dumps({"method": method, "seconds": seconds, "rows": rows, "rss_mb": peak_rss_mb()}))


def write_day(root: Path, rows: int) -> None:
    """Write the synthetic day in the three formats."""
    started = time.perf_counter()
    day = synth_day(DAY, rows)
    day.write_parquet(root / PARQUET)
    write_cboe_csv(day, root / CBOE)
    write_polygon(day, root / TRADES, root / QUOTES)
    names = (PARQUET, CBOE, TRADES, QUOTES)
    sizes = ", ".join(f"{n} {(root / n).stat().st_size / 1e6:,.0f} MB" for n in names)
    print(f"{rows:,} trades written in {time.perf_counter() - started:.0f} s: {sizes}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path)
        return
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = Path(tmp)
        write_day(root, args.rows)
        print("best of 3; each method in a fresh process (peak RSS of that process)\n")
        header = f"{'method':<36}{'seconds':>9}{'x bare':>8}{'target':>8}{'peak RSS MB':>13}"
        print(header)
        print("-" * len(header))
        for label, key, target in CASES:
            bare = run_child(__file__, f"bare_{key}", root)
            base = float(bare["seconds"])  # type: ignore[arg-type]
            print(f"{'bare ' + label:<36}{base:>9.2f}{1:>8.2f}{'':>8}{bare['rss_mb']:>13,.0f}")
            for how in ("scan", "load"):
                got = run_child(__file__, f"{how}_{key}", root)
                if "error" in got:
                    print(f"{how}_trades {label}: failed: {got['error']}")
                    continue
                seconds = float(got["seconds"])  # type: ignore[arg-type]
                print(
                    f"{how + '_trades ' + label:<36}{seconds:>9.2f}{seconds / base:>8.2f}"
                    f"{target:>8.1f}{got['rss_mb']:>13,.0f}"
                )
    print(f"\nparent peak RSS (writing the day): {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
