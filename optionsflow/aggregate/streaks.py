"""Call-buying streaks: "retail bought calls in 35 of the past 36 weeks".

For a participant class and week, **net call buying** is bought-call minus
sold-call contracts (or premium), over signed single-leg prints only
(DESIGN.md section 6). A week is *positive* when that net is > 0; a week with
no prints, or a net of exactly zero, is not positive. Weeks with no data at all
inside the observed range still count (as not positive), so a gap can never
lengthen a streak.

For each week ``t``:

* ``weeks_positive``: positive weeks among the ``lookback`` weeks ending at
  ``t`` (``weeks`` says how many weeks that window really had);
* ``current_streak``: consecutive positive weeks ending at ``t``;
* ``longest_streak``: the longest such run up to and including ``t``;
* ``index_return`` (when index prices are given): the index's return over the
  same window (the ``weeks`` weeks counted, fewer than ``lookback`` early on),
  from the last close before its first week to the last close of week ``t``
  ("during which the S&P 500 gained 24.1%").

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> from optionsflow.aggregate.streaks import streak_columns
>>> weekly = pl.LazyFrame({
...     "week_start": [dt.date(2026, 1, 5) + dt.timedelta(weeks=i) for i in range(5)],
...     "net_call_buying": [3.0, -1.0, 2.0, 4.0, 1.0],
... })
>>> out = streak_columns(weekly, lookback=4).collect()
>>> out["weeks_positive"].to_list(), out["current_streak"].to_list()
([1, 1, 2, 3, 3], [1, 0, 1, 2, 3])
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import CONTRACTS
from optionsflow.aggregate.weekly import (
    PREMIUM,
    WEEK,
    WEEK_START,
    iso_week_label,
    week_spine,
    weekly_flow,
)
from optionsflow.schema import (
    BOUGHT,
    CURRENT_STREAK,
    LONGEST_STREAK,
    NET,
    SOLD,
    WEEKS,
    WEEKS_POSITIVE,
)

__all__ = [
    "BOUGHT",
    "CURRENT_STREAK",
    "LONGEST_STREAK",
    "NET",
    "SOLD",
    "WEEKS",
    "WEEKS_POSITIVE",
    "call_buying_streak",
    "streak_columns",
]


def streak_columns(weekly: pl.LazyFrame, *, lookback: int = 36) -> pl.LazyFrame:
    """Add streak columns to a gap-free weekly series of ``net_call_buying``.

    Parameters
    ----------
    weekly
        One row per consecutive week (``week_start``) with ``net_call_buying``.
    lookback
        Window length, in weeks, of ``weeks_positive``.

    Returns
    -------
    pl.LazyFrame
        ``weekly`` sorted by week plus ``weeks_positive``, ``weeks``,
        ``current_streak`` and ``longest_streak`` (see module docstring).
    """
    s.check_min("lookback", lookback)
    positive = (pl.col(NET) > 0).fill_null(False)
    run = (positive != positive.shift(1)).fill_null(True).cum_sum()
    streak = pl.when(positive).then(pl.int_range(1, pl.len() + 1).over(run)).otherwise(0)
    return (
        weekly.sort(WEEK_START)
        .with_columns(
            positive.cast(pl.Int64).rolling_sum(lookback, min_samples=1).alias(WEEKS_POSITIVE),
            pl.int_range(1, pl.len() + 1).clip(upper_bound=lookback).alias(WEEKS),
            streak.cast(pl.Int64).alias(CURRENT_STREAK),
        )
        .with_columns(pl.col(CURRENT_STREAK).cum_max().alias(LONGEST_STREAK))
    )


def call_buying_streak(
    partials: pl.LazyFrame | pl.DataFrame,
    *,
    participant: s.Participant,
    measure: Literal["contracts", "premium"] = "contracts",
    lookback: int = 36,
    index_prices: pl.LazyFrame | pl.DataFrame | None = None,
) -> pl.LazyFrame:
    """Weekly net call buying of one participant class, with streak counts.

    Parameters
    ----------
    partials
        Daily partials.
    participant
        Class whose calls are counted.
    measure
        Net of ``contracts`` or of ``premium`` (currency units).
    lookback
        Window, in weeks, of ``weeks_positive``.
    index_prices
        ``date, close`` of an index; adds ``index_return`` over each window.

    Returns
    -------
    pl.LazyFrame
        One row per week from the first to the last week in ``partials``:
        ``week, week_start, bought, sold, net_call_buying`` and the columns of
        :func:`streak_columns`.

    Examples
    --------
    Retail buys 10 calls, sells 10, then buys 10 in each of the next two weeks:

    >>> from optionsflow import daily_flow
    >>> from optionsflow.testing import at, labelled
    >>> mondays = [dt.date(2026, 11, 2) + dt.timedelta(weeks=i) for i in range(4)]
    >>> prints = labelled([{"ts": at(d), "size": 10, "side": side}
    ...                    for d, side in zip(mondays, [1, -1, 1, 1], strict=True)])
    >>> out = call_buying_streak(daily_flow(prints), participant="retail").collect()
    >>> for row in out.select("week", "net_call_buying", "weeks_positive", "current_streak").rows():
    ...     print(*row)
    2026-W45 10.0 1 1
    2026-W46 -10.0 1 0
    2026-W47 10.0 2 1
    2026-W48 10.0 3 2
    """
    s.check_choice("participant", participant, s.PARTICIPANTS)
    s.check_choice("measure", measure, ("contracts", "premium"))
    s.check_min("lookback", lookback)
    column = CONTRACTS if measure == "contracts" else PREMIUM
    weekly = weekly_flow(partials, by=(s.PARTICIPANT, s.RIGHT, s.SIDE))
    calls = (
        weekly.filter((pl.col(s.PARTICIPANT) == participant) & (pl.col(s.RIGHT) == "C"))
        .group_by(WEEK_START)
        .agg(
            pl.col(column).filter(pl.col(s.SIDE) == 1).sum().cast(pl.Float64).alias(BOUGHT),
            pl.col(column).filter(pl.col(s.SIDE) == -1).sum().cast(pl.Float64).alias(SOLD),
        )
    )
    spine = week_spine(weekly)
    series = (
        spine.join(calls, on=WEEK_START, how="left")
        .with_columns(pl.col(BOUGHT).fill_null(0.0), pl.col(SOLD).fill_null(0.0))
        .with_columns(
            iso_week_label(pl.col(WEEK_START)).alias(WEEK),
            (pl.col(BOUGHT) - pl.col(SOLD)).alias(NET),
        )
        .select(WEEK, WEEK_START, BOUGHT, SOLD, NET)
    )
    out = streak_columns(series, lookback=lookback)
    if index_prices is None:
        return out
    return _with_index_return(out, index_prices.lazy())


def _with_index_return(weekly: pl.LazyFrame, prices: pl.LazyFrame) -> pl.LazyFrame:
    """Add the index's return over each streak window of ``weeks`` weeks (as-of closes)."""
    s.require_columns(prices, (s.DATE, s.CLOSE), by="call_buying_streak(index_prices=...)")
    end, before = s.private("end"), s.private("before")
    close_end, close_start = s.private("close_end"), s.private("close_start")

    def closes(at: str, value: str) -> pl.LazyFrame:
        return prices.select(
            pl.col(s.DATE).cast(pl.Date).alias(s.private(at)),
            pl.col(s.CLOSE).cast(pl.Float64).alias(value),
        ).sort(s.private(at))

    window = weekly.with_columns(
        (pl.col(WEEK_START) + dt.timedelta(days=6)).alias(end),
        # the window the streak counts: ``weeks`` weeks, fewer than ``lookback`` early on
        (pl.col(WEEK_START) - pl.duration(weeks=pl.col(WEEKS) - 1) - dt.timedelta(days=1)).alias(
            before
        ),
    )
    at_end = window.sort(end).join_asof(
        closes("end_date", close_end), left_on=end, right_on=s.private("end_date")
    )
    both = at_end.sort(before).join_asof(
        closes("start_date", close_start), left_on=before, right_on=s.private("start_date")
    )
    return (
        both.with_columns((pl.col(close_end) / pl.col(close_start) - 1).alias("index_return"))
        .select(*weekly.collect_schema().names(), "index_return")
        .sort(WEEK_START)
    )
