"""Signing speed and memory: GSU_LARGE on a 10M-trade day against baselines.

Each method runs in a fresh subprocess so its peak RSS is its own:

* ``scan``: bare ``pl.scan_parquet(path).collect()``;
* ``lr_reference``: a hand-written Polars Lee-Ready (quote rule, then tick
  against the previous different price per contract via ``.over``);
* ``lee_ready`` / ``gsu_large``: ``sign_trades`` from Parquet, all columns kept;
* ``gsu_labels``: the same, selecting only ``side, side_rule`` (labels);
* ``tclf``: tclf 0.4.0 on 1M rows, its prep (lag/lead prices) included.

Also reports how many labels ``price_compare="tick"`` and ``"float"`` differ on.

Usage: ``python benchmarks/bench_signing.py [--rows 10000000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
from _util import peak_rss_mb, run_child

DAY = dt.date(2026, 11, 20)
CHUNK = 1_000_000


def make_day(path: Path, rows: int) -> None:
    """Write ``rows`` synthetic trades of one day, in 1M chunks of different seeds."""
    from optionsflow.synth import SynthConfig, synth_day

    writer = None
    done = 0
    for i in range(-(-rows // CHUNK)):
        n = min(CHUNK, rows - done)
        chunk = synth_day(DAY, n, config=SynthConfig(seed=1000 + i)).with_columns(
            (pl.col("seq") + done).alias("seq"), (pl.col("source_row") + done).alias("source_row")
        )
        table = chunk.to_arrow()
        writer = writer or pq.ParquetWriter(path, table.schema, compression="zstd")
        writer.write_table(table)
        done += n
    assert writer is not None
    writer.close()


def lr_reference(path: Path) -> pl.DataFrame:
    """Straightforward Polars Lee-Ready, as a user would write it."""
    contract = ["root", "expiry", "strike", "right"]
    price = pl.col("price")
    mid = (pl.col("bid") + pl.col("ask")) / 2
    prev = price.shift(1).over(contract, order_by=["ts", "seq"])
    lag = pl.when(price != prev).then(prev).forward_fill().over(contract, order_by=["ts", "seq"])
    quote = pl.when(price > mid).then(1).when(price < mid).then(-1)
    tick = pl.when(price > lag).then(1).when(price < lag).then(-1)
    return pl.scan_parquet(path).with_columns(pl.coalesce(quote, tick).alias("side")).collect()


def child(method: str, path: Path) -> None:
    from optionsflow.classify.side import GSU_LARGE, LEE_READY, neighbour_prices, sign_trades

    started = time.perf_counter()
    extra: dict[str, object] = {}
    if method == "scan":
        pl.scan_parquet(path).collect()
    elif method == "lr_reference":
        lr_reference(path)
    elif method in ("lee_ready", "gsu_large"):
        layers = LEE_READY if method == "lee_ready" else GSU_LARGE
        sign_trades(pl.scan_parquet(path), layers=layers).collect()
    elif method == "gsu_labels":
        # labels only: projection pushdown reads just the columns the rules need
        sign_trades(pl.scan_parquet(path), layers=GSU_LARGE).select("side", "side_rule").collect()
    elif method == "modes":
        lf = pl.scan_parquet(path)
        a = sign_trades(lf, layers=GSU_LARGE, price_compare="tick").select("side").collect()
        b = sign_trades(lf, layers=GSU_LARGE, price_compare="float").select("side").collect()
        diff = (a["side"] != b["side"]) | (a["side"].is_null() != b["side"].is_null())
        extra = {"differ": int(diff.sum()), "rows": a.height}
    elif method == "tclf":
        from tclf.classical_classifier import ClassicalClassifier

        frame = neighbour_prices(pl.scan_parquet(path).head(CHUNK), price_compare="float").select(
            pl.col("price").alias("trade_price"), pl.col("size").cast(pl.Float64).alias("trade_size"),
            pl.col("bid").alias("bid_best"), pl.col("ask").alias("ask_best"),
            pl.col("bid_size").cast(pl.Float64).alias("bid_size_best"),
            pl.col("ask_size").cast(pl.Float64).alias("ask_size_best"),
            pl.col("bid_ex"), pl.col("ask_ex"),
            pl.col("bid_size_ex").cast(pl.Float64), pl.col("ask_size_ex").cast(pl.Float64),
            pl.col("price_all_lead"),
        ).collect()  # fmt: skip
        layers = [("trade_size", "ex"), ("quote", "best"), ("quote", "ex"), ("depth", "best"),
                  ("depth", "ex"), ("rev_tick", "all")]  # fmt: skip
        ClassicalClassifier(layers=layers, strategy="const").fit(frame.to_pandas()).predict(
            frame.to_pandas()
        )
    elapsed = time.perf_counter() - started
    print(json.dumps({"method": method, "seconds": elapsed, "peak_mb": peak_rss_mb(), **extra}))


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
        started = time.perf_counter()
        make_day(path, args.rows)
        print(f"generated {args.rows:,} trades in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:,.0f} MB Parquet)")  # fmt: skip
        methods = ("scan", "lr_reference", "lee_ready", "gsu_large", "gsu_labels")
        results = {m: run(m, path) for m in methods}
        base, ref = results["scan"]["seconds"], results["lr_reference"]["seconds"]
        print(f"{'method':<14}{'seconds':>9}{'x scan':>8}{'x LR ref':>10}{'peak MB':>9}")
        for m, r in results.items():
            print(f"{m:<14}{r['seconds']:>9.2f}{r['seconds'] / base:>8.2f}"
                  f"{r['seconds'] / ref:>10.2f}{r['peak_mb']:>9,.0f}")  # fmt: skip
        modes = run("modes", path)
        print(f"tick vs float comparison: {modes['differ']:,} of {modes['rows']:,} GSU_LARGE labels "
              f"differ ({modes['differ'] / modes['rows']:.3%})")  # fmt: skip
        t = run("tclf", path)
        if "error" in t:
            print(f"tclf: not run ({t['error']})")
        else:
            print(f"tclf 0.4.0, 1,000,000 rows with prep: {t['seconds']:.2f} s, "
                  f"peak {t['peak_mb']:,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
