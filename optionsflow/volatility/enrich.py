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

import polars as pl

from optionsflow import schema as s
from optionsflow.schema import TAU
from optionsflow.volatility.expr import IV_STATUS, bsm_greek_expr, with_implied_vol

__all__ = ["TAU", "with_greeks"]

_YEAR_NS = 365 * 86_400 * 1_000_000_000
_CUTOFF = dt.time(16, 0)


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
    expiry_close = (
        pl.col(s.EXPIRY)
        .dt.combine(_CUTOFF)
        .dt.replace_time_zone(s.NEW_YORK)
        .dt.convert_time_zone("UTC")
    )
    tau = (expiry_close.dt.epoch("ns") - pl.col(s.TS).dt.epoch("ns")) / _YEAR_NS
    call = pl.col(s.RIGHT) == "C"
    given = {c: pl.col(c) for c in (s.IV, s.DELTA) if c in have}
    lf = lf.rename({c: f"__of_given_{c}" for c in given}).with_columns(tau.alias(TAU))
    solved = with_implied_vol(
        lf,
        price=s.PRICE,
        spot=s.UNDERLYING_PRICE,
        strike=s.STRIKE,
        tau=TAU,
        rate=rate,
        dividend=dividend,
        is_call=call,
    )
    delta = bsm_greek_expr(
        "delta",
        pl.col(s.UNDERLYING_PRICE),
        pl.col(s.STRIKE),
        pl.col(TAU),
        pl.col(s.IV),
        rate=rate,
        dividend=dividend,
        is_call=call,
    )
    out = solved.with_columns(delta.alias(s.DELTA))
    for c in given:
        out = out.with_columns(pl.col(f"__of_given_{c}").fill_null(pl.col(c)).alias(c))
    return out.select(pl.exclude("^__of_given_.*$")).with_columns(pl.col(IV_STATUS))
