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

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import CONTRACTS
from optionsflow.aggregate.weekly import PREMIUM, WEEK_START, weekly_flow

__all__ = ["CONTRACT_SHARE", "PREMIUM_SHARE", "participant_share"]

CONTRACT_SHARE = "contract_share"
PREMIUM_SHARE = "premium_share"


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
    """
    weekly = weekly_flow(partials, by=(s.PARTICIPANT,), include_complex=True)
    return weekly.with_columns(
        (pl.col(CONTRACTS) / pl.col(CONTRACTS).sum().over(WEEK_START)).alias(CONTRACT_SHARE),
        (pl.col(PREMIUM) / pl.col(PREMIUM).sum().over(WEEK_START)).alias(PREMIUM_SHARE),
    )
