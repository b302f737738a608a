"""Sector skew: where a participant class tilts toward buying or selling.

For a class, week and sector, with ``B`` and ``S`` the bought and sold premium
of signed single-leg prints (DESIGN.md section 6)::

    skew        = (B - S) / (B + S)                  (null when B + S = 0)
    baseline    = (sum B - sum S) / (sum B + sum S)  over the previous
                  ``baseline_weeks`` weeks, the current week excluded
    vs_baseline = skew - baseline
    share       = (B + S) / (class premium that week, all sectors)   (null if 0)

A sector with premium on one side only has skew +1 or -1; a week in which a
sector did not trade has null skew but still feeds the baseline with zeros.

Examples
--------
>>> import polars as pl
>>> pl.select(skew_expr(pl.lit(3.0), pl.lit(1.0))).item()
0.5
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.weekly import (
    PREMIUM,
    WEEK,
    WEEK_START,
    iso_week_label,
    week_spine,
    weekly_flow,
)
from optionsflow.schema import ALL, BASELINE, BUY_PREMIUM, SELL_PREMIUM, SHARE, SKEW, VS_BASELINE

__all__ = [
    "BASELINE",
    "BUY_PREMIUM",
    "SELL_PREMIUM",
    "SHARE",
    "SKEW",
    "VS_BASELINE",
    "sector_skew",
    "skew_expr",
]


def skew_expr(buy: pl.Expr, sell: pl.Expr) -> pl.Expr:
    """``(buy - sell) / (buy + sell)``, null when both are zero."""
    total = buy + sell
    return pl.when(total > 0).then((buy - sell) / total)


def sector_skew(
    partials: pl.LazyFrame | pl.DataFrame,
    *,
    participant: s.Participant,
    baseline_weeks: int = 12,
    by: Literal["sector", "theme", "underlying"] | None = "sector",
) -> pl.LazyFrame:
    """Weekly buy/sell skew of premium per sector, against a trailing baseline.

    Parameters
    ----------
    partials
        Daily partials.
    participant
        Class whose flow is measured.
    baseline_weeks
        Weeks before the current one that make the baseline.
    by
        Grouping column; ``None`` measures the class as a whole (``sector``
        is then ``"All"``).

    Returns
    -------
    pl.LazyFrame
        ``week, week_start, <by>, buy_premium, sell_premium, skew, baseline,
        vs_baseline, share``, one row per week and group from the first to
        the last week, sorted by week and group.

    Examples
    --------
    Retail bought 3,000 and sold 1,000 dollars of XOM premium one week, the
    reverse the next; the first week is the second's baseline:

    >>> import datetime as dt
    >>> from optionsflow import daily_flow
    >>> from optionsflow.testing import at, labelled
    >>> w1, w2 = at(dt.date(2026, 11, 16)), at(dt.date(2026, 11, 23))
    >>> prints = labelled([{"ts": w1, "size": 30}, {"ts": w1, "size": 10, "side": -1},
    ...                    {"ts": w2, "size": 10}, {"ts": w2, "size": 30, "side": -1}])
    >>> sectors = pl.DataFrame({"symbol": ["XOM"], "sector": ["Energy"]})
    >>> partials = daily_flow(prints, sectors=sectors)
    >>> out = sector_skew(partials, participant="retail")
    >>> out.select("week", "sector", "skew", "baseline", "vs_baseline").collect().rows()
    [('2026-W47', 'Energy', 0.5, None, None), ('2026-W48', 'Energy', -0.5, 0.5, -1.0)]
    """
    s.check_choice("participant", participant, s.PARTICIPANTS)
    s.check_min("baseline_weeks", baseline_weeks)
    s.check_choice("by", by, ("sector", "theme", "underlying", None))
    key = by or s.SECTOR
    weekly = weekly_flow(partials, by=(s.PARTICIPANT, s.SIDE, *((by,) if by else ())))
    if by is None:
        weekly = weekly.with_columns(pl.lit(ALL).alias(key))
    mine = (
        weekly.filter(pl.col(s.PARTICIPANT) == participant)
        .group_by(WEEK_START, key)
        .agg(
            pl.col(PREMIUM).filter(pl.col(s.SIDE) == 1).sum().alias(BUY_PREMIUM),
            pl.col(PREMIUM).filter(pl.col(s.SIDE) == -1).sum().alias(SELL_PREMIUM),
        )
    )
    weeks = week_spine(weekly)
    groups = mine.select(pl.col(key).unique())
    buy, sell = pl.col(BUY_PREMIUM), pl.col(SELL_PREMIUM)
    class_total = (buy + sell).sum().over(WEEK_START)

    def trailing(col: pl.Expr) -> pl.Expr:
        return col.rolling_sum(baseline_weeks, min_samples=1).shift(1).over(key)

    return (
        weeks.join(groups, how="cross")
        .join(mine, on=[WEEK_START, key], how="left")
        .with_columns(buy.fill_null(0.0), sell.fill_null(0.0))
        .sort(key, WEEK_START)
        .with_columns(
            skew_expr(buy, sell).alias(SKEW),
            skew_expr(trailing(buy), trailing(sell)).alias(BASELINE),
            pl.when(class_total > 0).then((buy + sell) / class_total).alias(SHARE),
        )
        .with_columns(
            (pl.col(SKEW) - pl.col(BASELINE)).alias(VS_BASELINE),
            iso_week_label(pl.col(WEEK_START)).alias(WEEK),
        )
        .select(
            WEEK, WEEK_START, key, BUY_PREMIUM, SELL_PREMIUM, SKEW, BASELINE, VS_BASELINE, SHARE
        )
        .sort(WEEK_START, key)
    )
