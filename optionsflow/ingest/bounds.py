"""The ranges a trade's numbers must fall in: finite, positive and below an absurd bound.

Every ingest check of a number is one of these expressions, placed in an adapter's
check list (so it costs a comparison or two per cell, no pass of its own). A NaN
fails every range test: Polars orders NaN above every number, so ``NaN > bound``.

==========================  ==================================  ==========================
value                       accepted                            why the bound
==========================  ==================================  ==========================
trade price, bid, ask,      finite, ``0 < price <= 100,000``    five times the highest index
venue bid / ask             (quotes ``>= 0``: a zero side is    level with listed options
                            a one-sided market)                 (NDX ~ 21,000)
strike                      finite, ``0 < strike <= 100,000``   OSI symbols hold at most
                                                                99,999.999
underlying bid / ask        finite, ``0 <= price <= 1e6``       no optionable stock trades
                                                                near a million
size                        ``0 < size <= 10,000,000``          the largest prints are
                                                                about a million contracts
multiplier (canonical)      ``0 < multiplier <= 1,000``         listed multipliers are 1-1000
==========================  ==================================  ==========================

Examples
--------
>>> import polars as pl
>>> df = pl.DataFrame({"p": [1.5, 0.0, float("nan"), float("inf"), 1e308, None]})
>>> df.select(bad_price(pl.col("p"))).to_series().to_list()
[False, True, True, True, True, None]
"""

from __future__ import annotations

import polars as pl

__all__ = [
    "MAX_MULTIPLIER",
    "MAX_PRICE",
    "MAX_SIZE",
    "MAX_STRIKE",
    "MAX_UNDERLYING",
    "MULTIPLIER_REASON",
    "PRICE_REASON",
    "QUOTE_REASON",
    "SIZE_REASON",
    "STRIKE_REASON",
    "UNDERLYING_REASON",
    "bad_multiplier",
    "bad_price",
    "bad_quote",
    "bad_size",
    "bad_strike",
    "bad_underlying",
]

MAX_PRICE = 100_000.0
"""Largest option price (and bid / ask) per share taken as real."""
MAX_STRIKE = 100_000.0
"""Largest strike: an OSI symbol's eight strike digits stop at 99,999.999."""
MAX_UNDERLYING = 1_000_000.0
"""Largest underlying bid / ask."""
MAX_SIZE = 10_000_000
"""Largest print, in contracts."""
MAX_MULTIPLIER = 1_000
"""Largest contract multiplier."""

PRICE_REASON = f"must be a finite number > 0 and <= {MAX_PRICE:,.0f}"
QUOTE_REASON = f"must be a finite number >= 0 and <= {MAX_PRICE:,.0f}"
STRIKE_REASON = f"must be a finite number > 0 and <= {MAX_STRIKE:,.0f}"
UNDERLYING_REASON = f"must be a finite number >= 0 and <= {MAX_UNDERLYING:,.0f}"
SIZE_REASON = f"must be > 0 and <= {MAX_SIZE:,}"
MULTIPLIER_REASON = f"must be > 0 and <= {MAX_MULTIPLIER:,}"


def bad_price(x: pl.Expr) -> pl.Expr:
    """Flag a trade price that is not a finite number in ``(0, MAX_PRICE]`` (null: null)."""
    return ~x.is_between(0.0, MAX_PRICE, closed="right")


def bad_quote(x: pl.Expr) -> pl.Expr:
    """Flag a bid / ask that is not a finite number in ``[0, MAX_PRICE]`` (null: null)."""
    return ~x.is_between(0.0, MAX_PRICE, closed="both")


def bad_strike(x: pl.Expr) -> pl.Expr:
    """Flag a strike that is not a finite number in ``(0, MAX_STRIKE]`` (null: null)."""
    return ~x.is_between(0.0, MAX_STRIKE, closed="right")


def bad_underlying(x: pl.Expr) -> pl.Expr:
    """Flag an underlying bid / ask not in ``[0, MAX_UNDERLYING]`` (null: null)."""
    return ~x.is_between(0.0, MAX_UNDERLYING, closed="both")


def bad_size(x: pl.Expr) -> pl.Expr:
    """Flag a size not in ``(0, MAX_SIZE]`` (null: null)."""
    return ~x.is_between(0, MAX_SIZE, closed="right")


def bad_multiplier(x: pl.Expr) -> pl.Expr:
    """Flag a multiplier not in ``(0, MAX_MULTIPLIER]`` (null: null)."""
    return ~x.is_between(0, MAX_MULTIPLIER, closed="right")
