"""Build the bundled ``sample_data/`` directory, byte for byte reproducibly.

Run ``optionsflow synth --sample --out sample_data`` to regenerate it. The
directory holds:

* ``trades/trades_<date>.parquet``: the last full week of raw prints in the
  canonical schema, with ground-truth label columns;
* ``store/``: daily partials of the preceding weeks, classified by the default
  pipeline, in the store layout a nightly ``optionsflow batch`` keeps
  (``store/partials/date=YYYY-MM-DD/part-0.parquet``, docs/batch.md);
* ``partials/truth.parquet``: daily partials of every day from the true labels;
* ``sectors.csv`` (``symbol, sector, theme`` of every traded name and index
  member), ``weights.csv`` (``date, symbol, weight``: SPX weights of its 500 members,
  yearly snapshots from 2008 and today's dated the sample's first day, so every vol
  date uses the weights its index vol is built from:
  :func:`~optionsflow.synth.index.weights_history`),
  ``vols.parquet`` (``date, symbol, iv``: 30-day implied vols, index included),
  ``index_prices.csv`` (``date, symbol, close`` of SPX).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import daily_flow, merge_partials
from optionsflow.batch.pipeline import flow_partials
from optionsflow.batch.seed import store_partials
from optionsflow.bundled import SAMPLE_FILES
from optionsflow.calendar import trading_days
from optionsflow.synth.index import full_sector_map, weights_history
from optionsflow.synth.paths import HORIZON, SynthConfig, market_paths
from optionsflow.synth.trades import TRUE_ORDER_ID, synth_day

__all__ = ["SAMPLE_END", "SampleSpec", "build_sample", "open_close_view", "truth_partials"]

SAMPLE_END = dt.date(2026, 11, 20)
"""Friday closing the bundled sample's raw week."""


@dataclasses.dataclass(frozen=True, slots=True)
class SampleSpec:
    """Size of the bundled sample.

    Attributes
    ----------
    end
        Last day (a Friday); its week is shipped as raw trades.
    weeks
        Weeks of history before the raw week.
    history_trades_per_day
        Prints generated per history day (only their partials are kept).
    week_trades_per_day
        Prints per day of the raw week; the same as a history day, so that the
        raw week is not a spike against the weeks before it.
    config
        Generator settings.
    """

    end: dt.date = SAMPLE_END
    weeks: int = 64
    history_trades_per_day: int = 24_000
    week_trades_per_day: int = 24_000
    config: SynthConfig = dataclasses.field(default_factory=SynthConfig)


def open_close_view(trades: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Cboe Open-Close-style customer volume built from the generator's truth.

    Every synthetic print is a customer's, bucketed by its true order's size
    (< 100, 100-199, > 199 contracts) and labelled with the true side, in the
    layout of :mod:`optionsflow.evaluate.open_close`.
    """
    order_size = pl.col(s.SIZE).sum().over(TRUE_ORDER_ID)
    bucket = (
        pl.when(order_size < 100)
        .then(pl.lit("small"))
        .when(order_size < 200)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("large"))
    )
    side = pl.when(pl.col(s.TRUE_SIDE) == 1).then(pl.lit("buy")).otherwise(pl.lit("sell"))
    return (
        trades.lazy()
        .with_columns(s.trade_date(), bucket.alias("size_bucket"), side.alias("side"))
        .group_by(s.DATE, s.UNDERLYING, "size_bucket", "side")
        .agg(pl.col(s.SIZE).sum().cast(pl.Int64).alias("volume"))
        .sort(s.DATE, s.UNDERLYING, "size_bucket", "side")
    )


def truth_partials(trades: pl.LazyFrame | pl.DataFrame, *, sectors: pl.DataFrame) -> pl.LazyFrame:
    """Daily partials from the generator's true side and participant labels."""
    lf = trades.lazy().with_columns(
        pl.col(s.TRUE_SIDE).alias(s.SIDE), pl.col(s.TRUE_PARTICIPANT).alias(s.PARTICIPANT)
    )
    return daily_flow(lf, sectors=sectors)


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path, compression="zstd", compression_level=19, statistics=True)


def build_sample(
    out: str | Path,
    spec: SampleSpec | None = None,
    *,
    on_day: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Generate the sample directory; return row counts per file.

    Parameters
    ----------
    out
        Target directory (created; existing sample files are overwritten).
    spec
        Sizes and generator settings.
    on_day
        Called after each generated day with its trades and the number of days
        (progress).

    Returns
    -------
    dict[str, int]
        Rows written per relative path.
    """
    spec = spec or SampleSpec()
    root = Path(out)
    sectors = full_sector_map()
    week_start = spec.end - dt.timedelta(days=spec.end.weekday())
    first = week_start - dt.timedelta(weeks=spec.weeks)
    days = trading_days(first, spec.end)
    history_days = [d for d in days if d < week_start]
    counts: dict[str, int] = {}
    classified, truth = [], []
    for day in days:
        n = spec.history_trades_per_day if day < week_start else spec.week_trades_per_day
        trades = synth_day(day, n, config=spec.config)
        truth.append(truth_partials(trades, sectors=sectors).collect())
        if day in history_days:
            classified.append(flow_partials(trades, sectors=sectors).collect())
        else:
            rel = f"{SAMPLE_FILES.trades}/trades_{day.isoformat()}.parquet"
            _write_parquet(trades, root / rel)
            counts[rel] = trades.height
        if on_day is not None:
            on_day(trades.height, len(days))
    history = merge_partials(*classified).collect()
    shutil.rmtree(root / SAMPLE_FILES.history, ignore_errors=True)
    store_partials(history, root / SAMPLE_FILES.history, origin="optionsflow synth --sample")
    counts[SAMPLE_FILES.history] = history.height
    frame = merge_partials(*truth).collect()
    _write_parquet(frame, root / SAMPLE_FILES.truth)
    counts[SAMPLE_FILES.truth] = frame.height
    paths = market_paths(HORIZON, spec.config)
    vols = paths.implied_vols().filter(pl.col(s.DATE).is_between(first, spec.end))
    _write_parquet(vols, root / SAMPLE_FILES.vols)
    counts[SAMPLE_FILES.vols] = vols.height
    closes = paths.closes("SPX").filter(pl.col(s.DATE).is_between(first, spec.end))
    tables = (
        (SAMPLE_FILES.sectors, sectors),
        (SAMPLE_FILES.weights, weights_history(first)),
        (
            SAMPLE_FILES.index_prices,
            closes.select(s.DATE, pl.lit("SPX").alias(s.SYMBOL), pl.col(s.CLOSE).round(2)),
        ),
    )
    for rel, table in tables:
        table.write_csv(root / rel)
        counts[rel] = table.height
    return counts
