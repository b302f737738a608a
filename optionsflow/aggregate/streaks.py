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
* ``longest_streak``: the longest such run up to and including ``t``.

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

from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import CONTRACTS
from optionsflow.aggregate.weekly import PREMIUM, WEEK, WEEK_START, iso_week_label, weekly_flow

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

NET = "net_call_buying"
BOUGHT = "bought"
SOLD = "sold"
WEEKS_POSITIVE = "weeks_positive"
WEEKS = "weeks"
CURRENT_STREAK = "current_streak"
LONGEST_STREAK = "longest_streak"


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

    Returns
    -------
    pl.LazyFrame
        One row per week from the first to the last week in ``partials``:
        ``week, week_start, bought, sold, net_call_buying`` and the columns of
        :func:`streak_columns`.
    """
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
    spine = weekly.select(
        pl.date_range(pl.col(WEEK_START).min(), pl.col(WEEK_START).max(), "1w").alias(WEEK_START)
    )
    series = (
        spine.join(calls, on=WEEK_START, how="left")
        .with_columns(pl.col(BOUGHT).fill_null(0.0), pl.col(SOLD).fill_null(0.0))
        .with_columns(
            iso_week_label(pl.col(WEEK_START)).alias(WEEK),
            (pl.col(BOUGHT) - pl.col(SOLD)).alias(NET),
        )
        .select(WEEK, WEEK_START, BOUGHT, SOLD, NET)
    )
    return streak_columns(series, lookback=lookback)
