"""Order reconstruction + participant labels on a 10M-trade day vs a bare scan.

Each method runs in a fresh process (peak RSS from VmHWM).
Usage: ``python benchmarks/bench_participants.py [--rows 10000000]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
from _util import peak_rss_mb, run_child
from bench_signing import make_day


def child(method: str, path: Path) -> None:
    from optionsflow.classify.participant import classify_participant
    from optionsflow.classify.side import sign_trades

    started = time.perf_counter()
    lf = pl.scan_parquet(path)
    if method == "scan":
        lf.collect()
    elif method == "participants":
        classify_participant(lf).collect()
    elif method == "participants_labels":
        classify_participant(lf).select("order_id", "participant", "participant_reason").collect()
    elif method == "signed_participants":
        classify_participant(sign_trades(lf)).collect()
    print(
        json.dumps(
            {"method": method, "seconds": time.perf_counter() - started, "peak_mb": peak_rss_mb()}
        )
    )


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
        results = [
            run(m, path)
            for m in ("scan", "participants", "participants_labels", "signed_participants")
        ]
        base = results[0]["seconds"]
        print(f"{args.rows:,} trades")
        print(f"{'method':<22}{'seconds':>9}{'x scan':>8}{'peak MB':>9}")
        for r in results:
            print(
                f"{r['method']:<22}{r['seconds']:>9.2f}{r['seconds'] / base:>8.2f}{r['peak_mb']:>9,.0f}"
            )


if __name__ == "__main__":
    main()
