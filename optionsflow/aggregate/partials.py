"""Daily flow partials: the mergeable building block of every flow view.

A partial row sums the prints of one (date, underlying, sector, theme, right,
participant, side, complex, moneyness, expiry bucket) cell. It holds sums and
counts only, and money is kept as exact integers (premium in units of 1e-4
currency, delta-adjusted notional in whole currency units), so partials of disjoint day sets
merge by addition and any grouping of days (batch, incremental, distributed)
gives bit-identical results.

Delta-adjusted notional of a print is ``delta * size * multiplier * S`` (``S``
the underlying price), rounded to a whole currency unit (an estimate: cents
would only add bytes), for prints with a ``delta``
(vendor-given or from :func:`optionsflow.volatility.with_greeks`);
``delta_prints`` counts them, so coverage is ``delta_prints / trades``.

Buckets:

* ``moneyness``: ``ATM`` when ``|S / K - 1| <= 0.02``; otherwise ``ITM`` or
  ``OTM`` by the contract's right; ``NA`` when the underlying price is missing.
* ``expiry_bucket``: calendar days to expiry ``0d``, ``1-7d``, ``8-30d``,
  ``31-90d``, ``>90d``.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> from optionsflow.aggregate.partials import daily_flow
>>> t = dt.datetime(2026, 1, 5, 15, tzinfo=dt.timezone.utc)
>>> trades = pl.LazyFrame({
...     "ts": [t, t], "underlying": ["XOM", "XOM"], "expiry": [dt.date(2026, 1, 16)] * 2,
...     "strike": [110.0, 110.0], "right": ["C", "C"], "price": [1.25, 1.30],
...     "size": [2, 3], "multiplier": [100, 100], "underlying_price": [108.0, 108.0],
...     "condition": ["AUTO", "AUTO"], "side": [1, 1], "participant": ["retail", "retail"],
... })
>>> row = daily_flow(trades).collect().row(0, named=True)
>>> row["sector"], row["trades"], row["contracts"], row["premium_e4"] / 1e4
('Unmapped', 2, 5, 640.0)
"""

from __future__ import annotations

from typing import Final

import polars as pl

from optionsflow import schema as s
from optionsflow.schema import (
    COMPLEX,
    CONTRACTS,
    DELTA_NOTIONAL_USD,
    DELTA_PRINTS,
    EXPIRY_BUCKET,
    MONEYNESS,
    PREMIUM_E4,
    TRADES,
    UNMAPPED,
)

__all__ = [
    "COMPLEX",
    "CONTRACTS",
    "DELTA_NOTIONAL_USD",
    "DELTA_PRINTS",
    "EXPIRY_BUCKET",
    "MONEYNESS",
    "PARTIAL_KEYS",
    "PARTIAL_SCHEMA",
    "PREMIUM_E4",
    "TRADES",
    "UNMAPPED",
    "daily_flow",
    "merge_partials",
    "premium_usd",
]


ATM_BAND: Final = 0.02
_HOUR = "__of_hour"
_HOUR_NS: Final = 3_600_000_000_000
EXPIRY_EDGES: Final = (0, 7, 30, 90)
EXPIRY_LABELS: Final = ("0d", "1-7d", "8-30d", "31-90d", ">90d")
MONEYNESS_DTYPE = pl.Enum(["ITM", "ATM", "OTM", "NA"])
EXPIRY_DTYPE = pl.Enum(list(EXPIRY_LABELS))

PARTIAL_SCHEMA: Final[dict[str, pl.DataType]] = {
    s.DATE: pl.Date(),
    s.UNDERLYING: pl.String(),
    s.SECTOR: pl.String(),
    s.THEME: pl.String(),
    s.RIGHT: s.RIGHT_DTYPE,
    s.PARTICIPANT: s.PARTICIPANT_DTYPE,
    s.SIDE: pl.Int8(),
    COMPLEX: pl.Boolean(),
    MONEYNESS: MONEYNESS_DTYPE,
    EXPIRY_BUCKET: EXPIRY_DTYPE,
    TRADES: pl.Int64(),
    CONTRACTS: pl.Int64(),
    PREMIUM_E4: pl.Int64(),
    DELTA_NOTIONAL_USD: pl.Int64(),
    DELTA_PRINTS: pl.Int64(),
}
"""Columns and dtypes of a partials frame, keys first."""
PARTIAL_KEYS: Final = tuple(list(PARTIAL_SCHEMA)[:10])
"""The key columns of :data:`PARTIAL_SCHEMA` (every column before the measures)."""
_MEASURES: Final = (TRADES, CONTRACTS, PREMIUM_E4, DELTA_NOTIONAL_USD, DELTA_PRINTS)


def premium_usd(column: str = PREMIUM_E4) -> pl.Expr:
    """Premium in currency units from the exact integer column."""
    return pl.col(column) / 1e4


def _moneyness() -> pl.Expr:
    """ATM / ITM / OTM bucket of each print (see module docstring)."""
    spot, strike = pl.col(s.UNDERLYING_PRICE), pl.col(s.STRIKE)
    call_itm = spot > strike
    itm = pl.when(pl.col(s.RIGHT) == "C").then(call_itm).otherwise(spot < strike)
    bucket = (
        pl.when(spot.is_null() | strike.is_null())
        .then(pl.lit("NA"))
        .when((spot / strike - 1).abs() <= ATM_BAND)
        .then(pl.lit("ATM"))
        .when(itm)
        .then(pl.lit("ITM"))
        .otherwise(pl.lit("OTM"))
    )
    return bucket.cast(MONEYNESS_DTYPE).alias(MONEYNESS)


def _expiry_bucket() -> pl.Expr:
    """Calendar days from trade date to expiry, bucketed."""
    dte = (pl.col(s.EXPIRY) - pl.col(s.DATE)).dt.total_days()
    expr: pl.Expr = pl.lit(EXPIRY_LABELS[-1])
    for edge, label in reversed(list(zip(EXPIRY_EDGES, EXPIRY_LABELS, strict=False))):
        expr = pl.when(dte <= edge).then(pl.lit(label)).otherwise(expr)
    return expr.cast(EXPIRY_DTYPE).alias(EXPIRY_BUCKET)


def _attach_sectors(lf: pl.LazyFrame, sectors: pl.LazyFrame | pl.DataFrame | None) -> pl.LazyFrame:
    """Add ``sector`` / ``theme`` from a ``symbol, sector[, theme]`` map."""
    have = lf.collect_schema()
    if sectors is None:
        if s.SECTOR in have:
            return (
                lf if s.THEME in have else lf.with_columns(pl.lit(None, pl.String).alias(s.THEME))
            )
        return lf.with_columns(
            pl.lit(UNMAPPED).alias(s.SECTOR), pl.lit(None, pl.String).alias(s.THEME)
        )
    smap = sectors.lazy()
    if s.THEME not in smap.collect_schema():
        smap = smap.with_columns(pl.lit(None, pl.String).alias(s.THEME))
    smap = smap.select(
        pl.col("symbol").alias(s.UNDERLYING), pl.col(s.SECTOR), pl.col(s.THEME)
    ).unique(s.UNDERLYING, keep="first")
    lf = lf.drop([c for c in (s.SECTOR, s.THEME) if c in have])
    return lf.join(smap, on=s.UNDERLYING, how="left").with_columns(
        pl.col(s.SECTOR).fill_null(UNMAPPED)
    )


def daily_flow(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    sectors: pl.LazyFrame | pl.DataFrame | None = None,
) -> pl.LazyFrame:
    """Sum signed, labelled trades into daily partials.

    Parameters
    ----------
    trades
        Canonical trades with ``side`` (from :func:`~optionsflow.sign_trades`)
        and ``participant`` (from :func:`~optionsflow.classify_participant`).
    sectors
        Map with columns ``symbol, sector[, theme]``. When ``None`` an existing
        ``sector`` column is used, else every underlying is ``Unmapped``.

    Returns
    -------
    pl.LazyFrame
        One row per cell of :data:`PARTIAL_KEYS` with ``trades``,
        ``contracts`` and ``premium_e4`` (``sum(price * size * multiplier)``
        in exact units of 1e-4), in :data:`PARTIAL_SCHEMA` order, sorted.

    Examples
    --------
    Two XOM call buys (2 lots at 1.00, 3 at 1.10) and a 4-lot sale, with a sector map:

    >>> from optionsflow.testing import labelled
    >>> prints = labelled([{"size": 2}, {"size": 3, "price": 1.10}, {"size": 4, "side": -1}])
    >>> sectors = pl.DataFrame({"symbol": ["XOM"], "sector": ["Energy"]})
    >>> cells = daily_flow(prints, sectors=sectors)
    >>> cells.select("sector", "side", "trades", "contracts", "premium_e4").collect().rows()
    [('Energy', -1, 1, 4, 4000000), ('Energy', 1, 2, 5, 5300000)]
    """
    lf = trades.lazy()
    needed = (s.TS, s.UNDERLYING, s.EXPIRY, s.STRIKE, s.RIGHT, s.PRICE, s.SIZE, s.MULTIPLIER,
              s.UNDERLYING_PRICE, s.CONDITION, s.SIDE, s.PARTICIPANT)  # fmt: skip
    s.require_columns(lf, needed, by="daily_flow")
    have = lf.collect_schema()
    # Stage 1 groups rows by UTC hour and cheap keys: New York's UTC offsets are whole
    # hours, so an hour falls on one New York date, derived once per group in stage 2,
    # together with the expiry bucket and the sector (no per-row time-zone work or join).
    carried = [c for c in (s.SECTOR, s.THEME) if sectors is None and c in have]
    hour = (pl.col(s.TS).dt.epoch("ns") // _HOUR_NS).alias(_HOUR)
    delta = pl.col(s.DELTA) if s.DELTA in have else pl.lit(None, pl.Float64)
    notional = delta * pl.col(s.SIZE) * pl.col(s.MULTIPLIER) * pl.col(s.UNDERLYING_PRICE)
    price_e4 = (pl.col(s.PRICE) * 1e4).round(0).cast(pl.Int64)
    keys1 = [_HOUR, s.UNDERLYING, *carried, s.EXPIRY, s.RIGHT, s.PARTICIPANT, s.SIDE, COMPLEX,
             MONEYNESS]  # fmt: skip
    stage1 = (
        lf.with_columns(
            hour,
            _moneyness(),
            s.condition_in(s.MULTILEG_CONDITIONS | s.STOCK_TIED_CONDITIONS, lf).alias(COMPLEX),
            pl.col(s.RIGHT).cast(s.RIGHT_DTYPE),
            pl.col(s.PARTICIPANT).cast(s.PARTICIPANT_DTYPE),
            pl.col(s.SIDE).cast(s.SIDE_DTYPE),
        )
        .group_by(keys1)
        .agg(
            pl.len().cast(pl.Int64).alias(TRADES),
            pl.col(s.SIZE).cast(pl.Int64).sum().alias(CONTRACTS),
            (price_e4 * pl.col(s.SIZE) * pl.col(s.MULTIPLIER).cast(pl.Int64))
            .sum()
            .alias(PREMIUM_E4),
            notional.round(0).cast(pl.Int64).sum().alias(DELTA_NOTIONAL_USD),
            notional.is_not_null().sum().cast(pl.Int64).alias(DELTA_PRINTS),
        )
    )
    dated = stage1.with_columns(
        (pl.col(_HOUR) * _HOUR_NS)
        .cast(pl.Datetime("ns", "UTC"))
        .dt.convert_time_zone(s.NEW_YORK)
        .dt.date()
        .alias(s.DATE)
    ).with_columns(_expiry_bucket())
    out = (
        _attach_sectors(dated, sectors)
        .group_by(PARTIAL_KEYS)
        .agg(pl.col(m).sum() for m in _MEASURES)
    )
    return out.select(list(PARTIAL_SCHEMA)).sort(PARTIAL_KEYS, nulls_last=True)


def merge_partials(*partials: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Merge partials of any day sets by adding cells with equal keys.

    Because every measure is an integer sum, ``merge_partials(a, b)`` equals
    ``daily_flow`` of the union of the trades exactly, for disjoint day sets
    and for overlapping ones (where it double counts on purpose: merge only
    what was computed from disjoint trades).

    Parameters
    ----------
    *partials
        Frames in :data:`PARTIAL_SCHEMA`.

    Returns
    -------
    pl.LazyFrame
        One row per distinct key, sorted like :func:`daily_flow`.

    Examples
    --------
    A morning and an afternoon batch of one day merge into the day's cell:

    >>> import datetime as dt
    >>> from optionsflow.testing import at, labelled
    >>> am = labelled([{"size": 2}])
    >>> pm = labelled([{"size": 3, "ts": at(dt.date(2026, 11, 16), hour=19)}])
    >>> merged = merge_partials(daily_flow(am), daily_flow(pm)).collect()
    >>> merged.select("date", "trades", "contracts").rows()
    [(datetime.date(2026, 11, 16), 2, 5)]
    >>> merged.equals(daily_flow(pl.concat([am, pm])).collect())
    True
    """
    frames = [p.lazy() for p in partials]
    for frame in frames:
        s.validate_columns(frame.collect_schema(), PARTIAL_SCHEMA, what="partials")
    merged = (
        pl.concat(frames, how="vertical")
        .group_by(PARTIAL_KEYS)
        .agg(pl.col(m).sum() for m in _MEASURES)
    )
    return merged.select(list(PARTIAL_SCHEMA)).sort(PARTIAL_KEYS, nulls_last=True)
