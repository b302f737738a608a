"""Participant shares of volume: "retail is ~60% of options volume".

For a week, the share of a class is its contracts (premium) over all
contracts (premium) printed that week, multi-leg and stock-tied prints
included, ``unknown`` prints included in the denominator.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> from optionsflow.aggregate.partials import PARTIAL_SCHEMA
>>> row = {k: None for k in PARTIAL_SCHEMA}
>>> parts = pl.DataFrame(
...     [dict(row, date=dt.date(2026, 1, 5), participant=p, complex=False,
...           trades=1, contracts=c, premium_e4=c * 10_000) for p, c in
...      [("retail", 60), ("institutional", 30), ("unknown", 10)]],
...     schema=PARTIAL_SCHEMA)
>>> out = participant_share(parts).collect()
>>> out.filter(pl.col("participant") == "retail")["contract_share"].item()
0.6
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import CONTRACTS, PARTIAL_SCHEMA, PREMIUM_E4, UNMAPPED
from optionsflow.aggregate.weekly import (
    PREMIUM,
    WEEK,
    WEEK_START,
    iso_week_label,
    week_start,
    weekly_flow,
)
from optionsflow.errors import ConfigError, SectorCoverageWarning
from optionsflow.schema import CONTRACT_SHARE, PREMIUM_SHARE

__all__ = [
    "CONTRACT_SHARE",
    "PREMIUM_SHARE",
    "check_sector_coverage",
    "participant_share",
    "put_call_ratio",
    "sector_coverage",
    "theme_flow",
]


def participant_share(partials: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Weekly share of contracts and premium per participant class.

    Parameters
    ----------
    partials
        Daily partials.

    Returns
    -------
    pl.LazyFrame
        The columns of :func:`~optionsflow.aggregate.weekly.weekly_flow` by
        ``participant`` plus ``contract_share`` and ``premium_share`` in [0, 1].

    Examples
    --------
    Retail trades 60 of 100 contracts but, at 1.00 against institutions' 3.00,
    only 6,000 of 16,000 dollars of premium:

    >>> from optionsflow import daily_flow
    >>> from optionsflow.testing import labelled
    >>> prints = labelled([{"size": 60}, {"size": 30, "price": 3.0, "participant": "institutional"},
    ...                    {"size": 10, "participant": "unknown"}])
    >>> out = participant_share(daily_flow(prints))
    >>> out.select("participant", "contract_share", "premium_share").collect().rows()
    [('retail', 0.6, 0.375), ('institutional', 0.3, 0.5625), ('unknown', 0.1, 0.0625)]
    """
    weekly = weekly_flow(partials, by=(s.PARTICIPANT,), include_complex=True)
    return weekly.with_columns(
        (pl.col(CONTRACTS) / pl.col(CONTRACTS).sum().over(WEEK_START)).alias(CONTRACT_SHARE),
        (pl.col(PREMIUM) / pl.col(PREMIUM).sum().over(WEEK_START)).alias(PREMIUM_SHARE),
    )


def put_call_ratio(
    partials: pl.LazyFrame | pl.DataFrame,
    *,
    by: Sequence[str] = (s.PARTICIPANT,),
    measure: Literal["contracts", "premium"] = "contracts",
) -> pl.LazyFrame:
    """Weekly put/call ratio: put volume over call volume (Cboe's definition).

    All prints count, multi-leg and stock-tied included, as in Cboe's
    published ratios; ``by=()`` gives the market-wide ratio.

    Parameters
    ----------
    partials
        Daily partials.
    by
        Partial key columns to keep (default: per participant class).
    measure
        Ratio of ``contracts`` or of ``premium``.

    Returns
    -------
    pl.LazyFrame
        ``week, week_start, *by, calls, puts, put_call_ratio`` (null when no
        calls traded).

    Examples
    --------
    80 calls against 30 single-leg puts plus a 10-lot multi-leg put (counted):

    >>> from optionsflow import daily_flow
    >>> from optionsflow.testing import labelled
    >>> prints = labelled([{"size": 80}, {"size": 30, "right": "P"},
    ...                    {"size": 10, "right": "P", "condition": "MLET"}])
    >>> out = put_call_ratio(daily_flow(prints), by=())
    >>> out.select("calls", "puts", "put_call_ratio").collect().rows()
    [(80.0, 40.0, 0.5)]
    """
    s.check_choice("measure", measure, ("contracts", "premium"))
    column = CONTRACTS if measure == "contracts" else PREMIUM
    weekly = weekly_flow(partials, by=(*by, s.RIGHT), include_complex=True)
    return (
        weekly.group_by(WEEK, WEEK_START, *by)
        .agg(
            pl.col(column).filter(pl.col(s.RIGHT) == "C").sum().cast(pl.Float64).alias("calls"),
            pl.col(column).filter(pl.col(s.RIGHT) == "P").sum().cast(pl.Float64).alias("puts"),
        )
        .with_columns(
            pl.when(pl.col("calls") > 0)
            .then(pl.col("puts") / pl.col("calls"))
            .alias("put_call_ratio")
        )
        .sort(WEEK_START, *by, nulls_last=True)
    )


def theme_flow(
    partials: pl.LazyFrame | pl.DataFrame,
    themes: Mapping[str, Sequence[str]] | None = None,
) -> pl.LazyFrame:
    """Weekly signed flow of thematic baskets.

    Parameters
    ----------
    partials
        Daily partials.
    themes
        ``{"Quantum Computing": ["IONQ", "RGTI", "QBTS"], ...}``; a symbol may
        sit in several baskets. ``None`` uses the partials' ``theme`` column
        (from the sector map).

    Returns
    -------
    pl.LazyFrame
        ``week, week_start, theme, participant, right, bought, sold,
        net_contracts, buy_premium, sell_premium, net_premium`` over signed
        single-leg prints.

    Examples
    --------
    10 XOM calls bought and 4 CVX calls sold make the basket's net; AAPL is in no basket:

    >>> from optionsflow import daily_flow
    >>> from optionsflow.testing import labelled
    >>> prints = labelled([{"size": 10}, {"size": 4, "side": -1, "underlying": "CVX"},
    ...                    {"size": 7, "underlying": "AAPL"}])
    >>> out = theme_flow(daily_flow(prints), {"Oil majors": ["XOM", "CVX"]})
    >>> out.select("theme", "right", "bought", "sold", "net_contracts").collect().rows()
    [('Oil majors', 'C', 10, 4, 6)]
    """
    lf = partials.lazy()
    if themes is not None:
        basket = pl.LazyFrame(
            [(sym, name) for name, syms in themes.items() for sym in syms],
            schema={s.UNDERLYING: pl.String, "basket": pl.String},
            orient="row",
        )
        lf = lf.drop(s.THEME).join(basket, on=s.UNDERLYING).rename({"basket": s.THEME})
    weekly = weekly_flow(
        lf.filter(pl.col(s.THEME).is_not_null()), by=(s.THEME, s.PARTICIPANT, s.RIGHT, s.SIDE)
    )
    buy, sell = pl.col(s.SIDE) == 1, pl.col(s.SIDE) == -1
    return (
        weekly.group_by(WEEK, WEEK_START, s.THEME, s.PARTICIPANT, s.RIGHT)
        .agg(
            pl.col(CONTRACTS).filter(buy).sum().alias("bought"),
            pl.col(CONTRACTS).filter(sell).sum().alias("sold"),
            pl.col(PREMIUM).filter(buy).sum().alias("buy_premium"),
            pl.col(PREMIUM).filter(sell).sum().alias("sell_premium"),
        )
        .with_columns(
            (pl.col("bought") - pl.col("sold")).alias("net_contracts"),
            (pl.col("buy_premium") - pl.col("sell_premium")).alias("net_premium"),
        )
        .sort(WEEK_START, s.THEME, s.PARTICIPANT, s.RIGHT)
    )


def sector_coverage(partials: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Weekly share of premium whose underlying the sector map did not know.

    Returns
    -------
    pl.LazyFrame
        ``week, week_start, unmapped_premium_share, unmapped_symbols`` (sorted
        list of the ``Unmapped`` underlyings).
    """
    lf = partials.lazy()
    s.validate_columns(lf.collect_schema(), PARTIAL_SCHEMA, what="partials")
    lf = lf.with_columns(week_start(pl.col(s.DATE)).alias(WEEK_START))
    unmapped = pl.col(s.SECTOR) == UNMAPPED
    return (
        lf.group_by(WEEK_START)
        .agg(
            (pl.col("premium_e4").filter(unmapped).sum() / pl.col("premium_e4").sum()).alias(
                "unmapped_premium_share"
            ),
            pl.col(s.UNDERLYING).filter(unmapped).unique().sort().alias("unmapped_symbols"),
        )
        .with_columns(iso_week_label(pl.col(WEEK_START)).alias(WEEK))
        .select(WEEK, WEEK_START, "unmapped_premium_share", "unmapped_symbols")
        .sort(WEEK_START)
    )


MIN_SECTOR_COVERAGE = 0.5
"""Share of single-name premium a sector map should cover before sector views are trusted."""


def check_sector_coverage(
    partials: pl.LazyFrame | pl.DataFrame,
    *,
    minimum: float = MIN_SECTOR_COVERAGE,
    source: str | None = None,
) -> float | None:
    """Share of single-name premium the sector map covered; warn when it is below ``minimum``.

    Single names are the underlyings outside the ``Index`` sector; their premium
    counts as mapped unless its sector reads ``Unmapped``. Collects one number
    from ``partials`` (pass collected partials to pay nothing twice).

    Parameters
    ----------
    partials
        Daily partials built with a sector map.
    minimum
        Coverage in [0, 1] below which :class:`~optionsflow.errors.SectorCoverageWarning`
        is issued.
    source
        The map's file name, for the message.

    Returns
    -------
    float or None
        Mapped share of single-name premium; None when there is no single-name premium.

    Examples
    --------
    >>> import warnings
    >>> from optionsflow import daily_flow
    >>> from optionsflow.testing import labelled
    >>> partials = daily_flow(labelled([{"size": 10}, {"size": 30, "underlying": "ABC"}]),
    ...                       sectors=pl.DataFrame({"symbol": ["XOM"], "sector": ["Energy"]}))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     share = check_sector_coverage(partials, source="sectors.csv")
    >>> share
    0.25
    >>> print(str(caught[0].message)[:80])
    sectors.csv: the sector map covers 25.0% of single-name premium (unmapped: ABC);
    """
    if not 0.0 <= minimum <= 1.0:
        raise ConfigError(f"must be in [0, 1] (got {minimum})", column="minimum")
    lf = partials.lazy()
    s.validate_columns(lf.collect_schema(), PARTIAL_SCHEMA, what="partials")
    unmapped = pl.col(s.SECTOR) == UNMAPPED
    row = (
        lf.filter(pl.col(s.SECTOR) != s.INDEX_SECTOR)
        .select(
            pl.col(PREMIUM_E4).sum().cast(pl.Float64).alias("total"),
            pl.col(PREMIUM_E4).filter(~unmapped).sum().cast(pl.Float64).alias("mapped"),
            pl.col(s.UNDERLYING).filter(unmapped).unique().sort().implode().alias("names"),
        )
        .collect()
        .row(0, named=True)
    )
    if not row["total"]:
        return None
    share = float(row["mapped"] / row["total"])
    if share < minimum:
        names: list[str] = row["names"]
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        where = f"{source}: " if source else ""
        warnings.warn(
            f"{where}the sector map covers {share:.1%} of single-name premium "
            f"(unmapped: {shown}); sector views describe little of the flow",
            SectorCoverageWarning,
            stacklevel=2,
        )
    return share
