r"""Time to settlement as Cboe measures it, and a risk-free rate per expiry.

Minutes to settlement (Cboe VIX white paper):
``T = (M_current day + M_settlement day + M_other days) / 525,600``, i.e. the New York
wall-clock minutes from the snapshot ``ts`` to the settlement time, where an AM-settled
series (SPX standard monthlies) settles at :data:`AM_SETTLE` (09:30 ET, the opening prints
of expiry day) and a PM-settled one (SPXW and everything else) at :data:`PM_SETTLE`
(16:00 ET). Counting wall-clock minutes makes a day 1,440 minutes across a DST change,
as Cboe's day counts do.

Rates: one flat continuously-compounded rate, or a ``tenor_days, rate`` table read as a
curve linear in tenor (days = minutes / 1,440) and flat beyond its ends.

Examples
--------
>>> import datetime as dt
>>> chain = pl.DataFrame({
...     "ts": [dt.datetime(2022, 2, 4, 21, 15, tzinfo=dt.UTC)] * 2,
...     "expiry": [dt.date(2022, 3, 4), dt.date(2022, 3, 18)],
...     "settlement": ["PM", "AM"]})
>>> with_minutes(chain).collect()["minutes"].to_list()  # 28 days - 15 min; 42 days - 6 h 45 min
[40305.0, 60075.0]
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from optionsflow.errors import ConfigError
from optionsflow.schema import EXPIRY, MINUTES, NEW_YORK, RATE, SETTLEMENT, TENOR_DAYS, TS

__all__ = [
    "AM_SETTLE",
    "MINUTES_PER_YEAR",
    "PM_SETTLE",
    "RateOption",
    "rate_expr",
    "with_minutes",
    "with_rates",
]

MINUTES_PER_YEAR = 525_600.0
"""Minutes in a 365-day year, Cboe's annualisation."""
AM_SETTLE = dt.time(9, 30)
"""Settlement time of AM-settled series (opening prints of expiry day), New York."""
PM_SETTLE = dt.time(16, 0)
"""Settlement time of PM-settled series (the close), New York."""

RateOption = float | pl.DataFrame
"""A flat rate (decimal, continuously compounded) or a ``tenor_days, rate`` table."""


def with_minutes(chain: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Add ``minutes``: New York wall-clock minutes from ``ts`` to settlement.

    Needs ``ts`` (aware datetime), ``expiry`` (Date) and ``settlement`` (``AM``/``PM``).

    Examples
    --------
    >>> import datetime as dt
    >>> frame = pl.DataFrame({"ts": [dt.datetime(2022, 3, 11, 21, 15, tzinfo=dt.UTC)],
    ...                       "expiry": [dt.date(2022, 3, 18)], "settlement": ["PM"]})
    >>> with_minutes(frame).collect()["minutes"][0]  # across the DST change: 7 days less 15 min
    10065.0
    """
    lf = chain.lazy()
    local = pl.col(TS).dt.convert_time_zone(NEW_YORK).dt.replace_time_zone(None)
    am = pl.col(SETTLEMENT).cast(pl.String) == "AM"
    settle_time = pl.when(am).then(pl.lit(AM_SETTLE)).otherwise(pl.lit(PM_SETTLE))
    settle = pl.col(EXPIRY).dt.combine(settle_time, time_unit="ns")
    minutes = (settle - local.dt.cast_time_unit("ns")).dt.total_seconds() / 60.0
    return lf.with_columns(minutes.cast(pl.Float64).alias(MINUTES))


def rate_expr(rate: RateOption) -> pl.Expr:
    """Give each row's ``rate`` for its ``minutes``: flat, or linear in tenor from a table.

    Parameters
    ----------
    rate
        A float, or a frame with ``tenor_days`` and ``rate`` (decimals), one row per tenor.

    Raises
    ------
    ConfigError
        For a table without those columns, empty, or with a non-finite value.

    Examples
    --------
    >>> curve = pl.DataFrame({"tenor_days": [7.0, 35.0], "rate": [0.01, 0.02]})
    >>> frame = pl.DataFrame({"minutes": [1440.0 * 21, 1440.0, 1440.0 * 90]})
    >>> frame.select(rate_expr(curve))["rate"].to_list()
    [0.015, 0.01, 0.02]
    """
    if not isinstance(rate, pl.DataFrame):
        if not np.isfinite(rate):
            raise ConfigError("rate must be a finite number", value=rate)
        return pl.lit(float(rate), pl.Float64()).alias(RATE)
    for name in (TENOR_DAYS, RATE):
        if name not in rate.columns:
            raise ConfigError("rate table needs columns tenor_days, rate", column=name)
    table = rate.select(pl.col(TENOR_DAYS, RATE).cast(pl.Float64)).sort(TENOR_DAYS)
    x, y = table[TENOR_DAYS].to_numpy(), table[RATE].to_numpy()
    if not table.height or not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ConfigError("rate table must hold finite tenor_days and rate values", column=RATE)
    days = pl.col(MINUTES) / 1440.0
    return days.map_batches(
        lambda m: pl.Series(np.interp(m.to_numpy(), x, y)), return_dtype=pl.Float64
    ).alias(RATE)


def with_rates(chain: pl.LazyFrame | pl.DataFrame, rate: RateOption) -> pl.LazyFrame:
    """Add ``rate`` to a frame with ``minutes`` (see :func:`rate_expr`).

    Examples
    --------
    >>> with_rates(pl.DataFrame({"minutes": [40305.0]}), 0.001).collect()["rate"][0]
    0.001
    """
    return chain.lazy().with_columns(rate_expr(rate))
