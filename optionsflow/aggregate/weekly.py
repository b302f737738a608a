"""Weekly rollups of daily partials.

Weeks are ISO weeks (Monday to Sunday). A week is labelled ``YYYY-Www`` and
dated by its Monday (``week_start``) and by its last session day of choice
(``week_end``: Friday by default). A week is ``complete`` when partials cover
every NYSE trading day of it; the latest week of a live store is often not.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> from optionsflow.aggregate.weekly import iso_week_label
>>> pl.select(iso_week_label(pl.lit(dt.date(2026, 11, 20)))).item()
'2026-W47'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final, Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import (
    COMPLEX,
    CONTRACTS,
    DELTA_NOTIONAL_USD,
    DELTA_PRINTS,
    PARTIAL_KEYS,
    PARTIAL_SCHEMA,
    PREMIUM_E4,
    TRADES,
)
from optionsflow.calendar import nyse_holidays
from optionsflow.schema import COMPLETE, DELTA_NOTIONAL, N_DAYS, PREMIUM, WEEK, WEEK_END, WEEK_START

__all__ = [
    "COMPLETE",
    "DELTA_NOTIONAL",
    "N_DAYS",
    "PREMIUM",
    "WEEK",
    "WEEK_END",
    "WEEK_START",
    "iso_week_label",
    "week_spine",
    "week_start",
    "weekly_flow",
]


_END_OFFSET: Final = {"FRI": 4, "SUN": 6}


def week_start(date: pl.Expr) -> pl.Expr:
    """Monday of the ISO week containing ``date``."""
    return date.dt.truncate("1w")


def iso_week_label(date: pl.Expr) -> pl.Expr:
    """``YYYY-Www`` label of the ISO week containing ``date``."""
    return pl.format(
        "{}-W{}",
        date.dt.iso_year(),
        date.dt.week().cast(pl.String).str.zfill(2),
    )


def week_spine(weekly: pl.LazyFrame) -> pl.LazyFrame:
    """Every ``week_start`` from the first to the last of ``weekly``, gaps included.

    An empty ``weekly`` gives an empty spine (not an out-of-range error).

    Examples
    --------
    >>> weeks = pl.LazyFrame({"week_start": [dt.date(2026, 11, 2), dt.date(2026, 11, 16)]})
    >>> week_spine(weeks).collect()["week_start"].to_list()
    [datetime.date(2026, 11, 2), datetime.date(2026, 11, 9), datetime.date(2026, 11, 16)]
    >>> week_spine(weeks.clear()).collect().height
    0
    """
    bounds = weekly.select(
        pl.col(WEEK_START).min().alias("_first"), pl.col(WEEK_START).max().alias("_last")
    )
    return (
        bounds.filter(pl.col("_first").is_not_null())
        .select(pl.date_ranges("_first", "_last", "1w").alias(WEEK_START))
        .explode(WEEK_START)
    )


def _trading_days_per_week() -> pl.LazyFrame:
    """Weekday holidays per ISO week, as ``week_start, holidays``."""
    days = [d for d in nyse_holidays() if d.weekday() < 5]
    return (
        pl.LazyFrame({s.DATE: days}, schema={s.DATE: pl.Date})
        .group_by(week_start(pl.col(s.DATE)).alias(WEEK_START))
        .agg(pl.len().cast(pl.Int64).alias("holidays"))
    )


def weekly_flow(
    partials: pl.LazyFrame | pl.DataFrame,
    *,
    by: Sequence[str] = (s.PARTICIPANT, s.RIGHT, s.SIDE),
    week_end: Literal["FRI", "SUN"] = "FRI",
    include_complex: bool = False,
) -> pl.LazyFrame:
    """Roll daily partials up to weeks.

    Parameters
    ----------
    partials
        Daily partials (:data:`~optionsflow.aggregate.partials.PARTIAL_SCHEMA`).
    by
        Partial key columns kept beside the week.
    week_end
        Day used to date the week in ``week_end``.
    include_complex
        Keep multi-leg and stock-tied prints (default: dropped, as they print
        at package prices and carry no direction).

    Returns
    -------
    pl.LazyFrame
        ``week, week_start, week_end, n_days, complete, *by, trades,
        contracts, premium, delta_notional, delta_prints`` sorted by week then
        ``by``; ``n_days`` counts the days with any print in the whole input
        that week.

    Examples
    --------
    A print every trading day of the week of 2026-11-16, then one on the Monday
    after (a week with Thanksgiving, still incomplete):

    >>> from optionsflow import daily_flow
    >>> from optionsflow.testing import at, labelled
    >>> days = [dt.date(2026, 11, d) for d in (16, 17, 18, 19, 20, 23)]
    >>> partials = daily_flow(labelled([{"ts": at(d), "size": 10} for d in days]))
    >>> out = weekly_flow(partials, by=()).select("week", "n_days", "complete", "contracts")
    >>> out.collect().rows()
    [('2026-W47', 5, True, 50), ('2026-W48', 1, False, 10)]
    """
    s.check_choices("by", by, PARTIAL_KEYS)
    s.check_choice("week_end", week_end, tuple(_END_OFFSET))
    lf = partials.lazy()
    s.validate_columns(lf.collect_schema(), PARTIAL_SCHEMA, what="partials")
    if not include_complex:
        lf = lf.filter(~pl.col(COMPLEX))
    lf = lf.with_columns(week_start(pl.col(s.DATE)).alias(WEEK_START))
    days = lf.group_by(WEEK_START).agg(pl.col(s.DATE).n_unique().cast(pl.Int64).alias(N_DAYS))
    sums = lf.group_by(WEEK_START, *by).agg(
        pl.col(c).sum() for c in (TRADES, CONTRACTS, PREMIUM_E4, DELTA_NOTIONAL_USD, DELTA_PRINTS)
    )
    offset = _END_OFFSET[week_end]
    return (
        sums.join(days, on=WEEK_START)
        .join(_trading_days_per_week(), on=WEEK_START, how="left")
        .with_columns(
            iso_week_label(pl.col(WEEK_START)).alias(WEEK),
            (pl.col(WEEK_START) + dt.timedelta(days=offset)).alias(WEEK_END),
            (pl.col(N_DAYS) >= 5 - pl.col("holidays").fill_null(0)).alias(COMPLETE),
            (pl.col(PREMIUM_E4) / 1e4).alias(PREMIUM),
            pl.col(DELTA_NOTIONAL_USD).cast(pl.Float64).alias(DELTA_NOTIONAL),
        )
        .select(
            WEEK,
            WEEK_START,
            WEEK_END,
            N_DAYS,
            COMPLETE,
            *by,
            TRADES,
            CONTRACTS,
            PREMIUM,
            DELTA_NOTIONAL,
            DELTA_PRINTS,
        )
        .sort(WEEK_START, *by, nulls_last=True)
    )
