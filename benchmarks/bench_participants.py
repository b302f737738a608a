"""Order reconstruction + participant labels on a 10M-trade day vs a bare scan.

Each method runs in a fresh process (peak RSS from VmHWM) and is timed three ways:

* *cold*: its first call (what a one-shot job sees: fresh memory is paged in);
* *warm*: the best of three further calls (the allocator reuses the memory of the
  call before; the bare scan, which frees and re-asks for the same buffers, gains most);
* *paired*: five rounds of a bare scan then the method in the same process, medians of
  each and their ratio (both timed in the same allocator state).

Usage: ``python benchmarks/bench_participants.py [--rows 10000000]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
from _util import best_of, peak_rss_mb, run_child
from bench_signing import make_day

METHODS = ("scan", "participants", "participants_labels", "signed_participants")


def child(method: str, path: Path) -> None:
    """Time one method cold and warm in this process and print one JSON line."""
    from optionsflow.classify.participant import classify_participant
    from optionsflow.classify.side import sign_trades

    def once() -> int:
        lf = pl.scan_parquet(path)
        if method == "participants":
            lf = classify_participant(lf)
        elif method == "participants_labels":
            lf = classify_participant(lf).select("order_id", "participant", "participant_reason")
        elif method == "signed_participants":
            lf = classify_participant(sign_trades(lf))
        return lf.collect().height

    def scan() -> int:
        return pl.scan_parquet(path).collect().height

    started = time.perf_counter()
    rows = once()
    cold = time.perf_counter() - started
    warm, _ = best_of(once)
    pairs = [(best_of(scan, 1)[0], best_of(once, 1)[0]) for _ in range(5)]
    paired = statistics.median(m for _, m in pairs) / statistics.median(b for b, _ in pairs)
    print(json.dumps({"method": method, "cold": cold, "warm": warm, "paired": paired,
                      "rows": rows, "peak_mb": peak_rss_mb()}))  # fmt: skip


def run(method: str, path: Path) -> dict[str, Any]:
    return run_child(__file__, method, path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--child")
    parser.add_argument("--path", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "day.parquet"
        make_day(path, args.rows)
        results = [run(m, path) for m in METHODS]
        cold, warm = results[0]["cold"], results[0]["warm"]
        print(f"{args.rows:,} trades; x scan = ratio to the bare scan timed the same way")
        print(f"{'method':<22}{'cold s':>8}{'x scan':>8}{'warm s':>8}{'x scan':>8}"
              f"{'paired x':>10}{'peak MB':>9}")  # fmt: skip
        for r in results:
            print(
                f"{r['method']:<22}{r['cold']:>8.2f}{r['cold'] / cold:>8.2f}"
                f"{r['warm']:>8.2f}{r['warm'] / warm:>8.2f}{r['paired']:>10.2f}"
                f"{r['peak_mb']:>9,.0f}"
            )


if __name__ == "__main__":
    main()
