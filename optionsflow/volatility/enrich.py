"""Implied vol and delta of every print, for delta-adjusted notional.

Vendors sometimes ship a trade's IV and delta (Cboe's ``TradesCalcs`` files);
when they do not, :func:`with_greeks` computes them from the print itself:

* time to expiry ``tau = (expiry 16:00 New York - ts) / 365 days`` (ACT/365,
  the exercise cut-off of US equity and index options);
* ``iv`` by the Let's Be Rational solver from the trade price, the underlying
  price, the strike and ``tau`` under Black-Scholes-Merton with the given
  rate and dividend yield (null where no vol exists: see ``iv_status``);
* ``delta`` = ``e^{-q tau} Phi(d1)`` for calls, ``-e^{-q tau} Phi(-d1)`` for puts,
  at that vol.

Existing ``iv`` / ``delta`` values are kept; only nulls (or absent columns)
are filled.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> from optionsflow.testing import trades
>>> from optionsflow.volatility.black import bsm_price
>>> ts = dt.datetime(2026, 11, 16, 20, 0, tzinfo=dt.timezone.utc)  # 15:00 New York
>>> close = dt.datetime(2026, 12, 18, 21, 0, tzinfo=dt.timezone.utc)  # 16:00 New York
>>> tau = (close - ts).total_seconds() / (365 * 86400)
>>> price = round(float(bsm_price(108.0, 110.0, tau, 0.30, rate=0.04)), 4)
>>> out = with_greeks(trades([{"ts": ts, "price": price}]), rate=0.04).collect()
>>> round(out["iv"].item(), 3), round(out["delta"].item(), 2)
(0.3, 0.45)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from optionsflow import schema as s
from optionsflow.schema import TAU
from optionsflow.volatility.black import bsm_delta
from optionsflow.volatility.expr import IV_STATUS, IV_STATUS_DTYPE, input_arrays, status_series
from optionsflow.volatility.iv import solve_implied_vol

__all__ = ["TAU", "with_greeks"]

_YEAR_NS = 365 * 86_400 * 1_000_000_000
_CUTOFF = dt.time(16, 0)
_SOLVED = s.private("greeks")


def _expiry_close(expiry: pl.Expr) -> pl.Expr:
    """Expiry at 16:00 New York in UTC (``Datetime("ns", "UTC")`` rows)."""
    return expiry.dt.combine(_CUTOFF).dt.replace_time_zone(s.NEW_YORK).dt.convert_time_zone("UTC")


def _close_ns(expiry: pl.Series) -> pl.Series:
    """Epoch nanoseconds of each expiry's close, converted once per distinct expiry.

    Same values as ``_expiry_close`` row by row (a time-zone lookup per row);
    a day's prints have a few dozen expiries.
    """
    distinct = expiry.unique().drop_nulls()
    close = distinct.to_frame().select(_expiry_close(pl.col(expiry.name)).dt.epoch("ns"))
    return expiry.replace_strict(distinct, close.to_series(), return_dtype=pl.Int64)


def _iv_and_delta(rate: float, dividend: float) -> pl.Expr:
    """One NumPy pass per batch: ``iv``, ``iv_status`` and ``delta`` as a struct.

    The vol is solved once and the delta is taken at it in the same call, with
    exactly the operations of :func:`~optionsflow.volatility.expr.with_implied_vol`
    followed by :func:`~optionsflow.volatility.expr.bsm_greek_expr` (same numbers),
    without a second trip through Polars and without making a label per row.
    Polars already runs the batches (morsels of about 100k rows) on its own
    threads, so each solve is single-threaded: a nested pool only adds hand-offs.
    """

    def run(series: Sequence[pl.Series]) -> pl.Series:
        (price, spot, strike, tau), flag, null = input_arrays(series)
        res = solve_implied_vol(
            np.where(null, np.nan, price), spot, strike, tau,
            rate=rate, dividend=dividend, is_call=flag, threads=1,
        )  # fmt: skip
        vol = res.vol
        delta = bsm_delta(spot, strike, tau, vol, rate, dividend, flag)
        delta = np.where(null | np.isnan(vol) | ~np.isfinite(delta), np.nan, delta)
        return pl.DataFrame(
            {
                s.IV: pl.Series(vol).fill_nan(None),
                IV_STATUS: status_series(res.status),
                s.DELTA: pl.Series(delta).fill_nan(None),
            }
        ).to_struct(_SOLVED)

    dtype = pl.Struct({s.IV: pl.Float64, IV_STATUS: IV_STATUS_DTYPE, s.DELTA: pl.Float64})
    operands = [pl.col(c) for c in (s.PRICE, s.UNDERLYING_PRICE, s.STRIKE, TAU)]
    return pl.map_batches(
        [*operands, pl.col(s.RIGHT) == "C"], run, return_dtype=dtype, is_elementwise=True
    )


def with_greeks(
    trades: pl.LazyFrame | pl.DataFrame, *, rate: float = 0.0, dividend: float = 0.0
) -> pl.LazyFrame:
    """Add ``tau``, ``iv``, ``iv_status`` and ``delta`` to canonical trades.

    Parameters
    ----------
    trades
        Canonical trades with ``underlying_price``.
    rate
        Continuously compounded risk-free rate.
    dividend
        Continuous dividend yield.

    Returns
    -------
    pl.LazyFrame
        The input plus the four columns (existing ``iv`` / ``delta`` values
        kept, nulls filled).
    """
    lf = trades.lazy()
    needed = (s.TS, s.EXPIRY, s.STRIKE, s.RIGHT, s.PRICE, s.UNDERLYING_PRICE)
    s.require_columns(lf, needed, by="with_greeks")
    have = lf.collect_schema()
    close = pl.col(s.EXPIRY).map_batches(_close_ns, return_dtype=pl.Int64, is_elementwise=True)
    tau = (close - pl.col(s.TS).dt.epoch("ns")) / _YEAR_NS
    given = [c for c in (s.IV, s.DELTA) if c in have]
    lf = lf.rename({c: f"__of_given_{c}" for c in given}).with_columns(tau.alias(TAU))
    out = (
        lf.with_columns(_iv_and_delta(float(rate), float(dividend)).alias(_SOLVED))
        .with_columns(pl.col(_SOLVED).struct.field(s.IV, IV_STATUS, s.DELTA))
        .drop(_SOLVED)
    )
    for c in given:
        out = out.with_columns(pl.col(f"__of_given_{c}").fill_null(pl.col(c)).alias(c))
    return out.select(pl.exclude("^__of_given_.*$"))
