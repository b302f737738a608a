"""Validate inferred retail flow against Cboe Open-Close-style customer volume.

Cboe's Open-Close data reports, per day and underlying, customer volume by
trade-size bucket and by buy/sell. Its small bucket (< 100 contracts) is the
usual public proxy for retail. The layout read here (CSV or Parquet) is the
aggregate a user builds from it, one row per day, underlying, bucket and side:

================  ======  ===============================================
column            dtype   meaning
================  ======  ===============================================
``date``          Date    trade date
``underlying``    String  underlying symbol
``size_bucket``   String  ``small`` (< 100), ``medium`` (100-199), ``large``
``side``          String  ``buy`` or ``sell`` (customer side, opening and
                          closing together)
``volume``        Int64   customer contracts
================  ======  ===============================================

:func:`compare_open_close` sets our inferred retail volume (prints labelled
``retail`` and signed) per day, underlying and side beside the chosen bucket's
customer volume and reports the Pearson correlation across those cells and the
bias ``sum(ours) / sum(theirs) - 1``.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> d = dt.date(2026, 11, 20)
>>> ours = pl.DataFrame({"ts": [dt.datetime(2026, 11, 20, 15, tzinfo=dt.timezone.utc)] * 3,
...     "underlying": ["SPY", "SPY", "QQQ"], "side": [1, -1, 1], "size": [30, 10, 5],
...     "participant": ["retail"] * 3})
>>> theirs = pl.DataFrame({"date": [d, d, d], "underlying": ["SPY", "SPY", "QQQ"],
...     "size_bucket": ["small"] * 3, "side": ["buy", "sell", "buy"], "volume": [40, 10, 5]})
>>> result = compare_open_close(ours, theirs)
>>> result.pairs.select("underlying", "side", "ours", "theirs").rows()
[('QQQ', 'buy', 5, 5), ('SPY', 'buy', 30, 40), ('SPY', 'sell', 10, 10)]
>>> round(result.bias, 4)
-0.1818
"""

from __future__ import annotations

import dataclasses
import math
from typing import Literal

import polars as pl

from optionsflow import schema as s

__all__ = ["OPEN_CLOSE_SCHEMA", "OpenCloseComparison", "compare_open_close"]

OPEN_CLOSE_SCHEMA: dict[str, pl.DataType] = {
    s.DATE: pl.Date(),
    s.UNDERLYING: pl.String(),
    "size_bucket": pl.String(),
    "side": pl.String(),
    "volume": pl.Int64(),
}


@dataclasses.dataclass(frozen=True)
class OpenCloseComparison:
    """Our retail volume against Open-Close customer volume.

    Attributes
    ----------
    pairs
        ``date, underlying, side, ours, theirs`` for every cell either side has.
    correlation
        Pearson correlation of ``ours`` and ``theirs`` over the cells (NaN
        with fewer than two cells or no variation).
    bias
        ``sum(ours) / sum(theirs) - 1``.
    """

    pairs: pl.DataFrame
    correlation: float
    bias: float


def compare_open_close(
    trades: pl.LazyFrame | pl.DataFrame,
    open_close: pl.LazyFrame | pl.DataFrame,
    *,
    bucket: Literal["small", "medium", "large"] = "small",
) -> OpenCloseComparison:
    """Compare inferred retail buy/sell volume with Open-Close customer volume.

    Parameters
    ----------
    trades
        Trades with ``ts``, ``underlying``, ``side``, ``size``, ``participant``.
    open_close
        Customer volume in the layout of the module docstring.
    bucket
        Open-Close size bucket to compare with.

    Returns
    -------
    OpenCloseComparison
        Cell pairs, correlation and bias.

    Examples
    --------
    We saw 30 retail contracts bought and 10 sold in XOM (the institutional 50-lot
    does not count); Open-Close's small bucket says 40 and 10:

    >>> import datetime as dt
    >>> from optionsflow.testing import labelled
    >>> ours = labelled([{"size": 30}, {"size": 10, "side": -1},
    ...                  {"size": 50, "participant": "institutional"}])
    >>> theirs = pl.DataFrame({"date": [dt.date(2026, 11, 16)] * 2, "underlying": ["XOM"] * 2,
    ...     "size_bucket": ["small"] * 2, "side": ["buy", "sell"], "volume": [40, 10]})
    >>> result = compare_open_close(ours, theirs)
    >>> result.pairs.select("side", "ours", "theirs").rows(), round(result.bias, 4)
    ([('buy', 30, 40), ('sell', 10, 10)], -0.2)
    """
    lf = trades.lazy()
    s.require_columns(lf, (s.TS, s.UNDERLYING, s.SIDE, s.SIZE, s.PARTICIPANT),
                      by="compare_open_close")  # fmt: skip
    oc = open_close.lazy()
    s.validate_columns(oc.collect_schema(), OPEN_CLOSE_SCHEMA, what="Open-Close")
    keys = [s.DATE, s.UNDERLYING, "side"]
    ours = (
        lf.filter((pl.col(s.PARTICIPANT) == "retail") & pl.col(s.SIDE).is_in([1, -1]))
        .with_columns(
            s.trade_date(),
            pl.when(pl.col(s.SIDE) == 1)
            .then(pl.lit("buy"))
            .otherwise(pl.lit("sell"))
            .alias("side"),
        )
        .group_by(keys)
        .agg(pl.col(s.SIZE).sum().alias("ours"))
    )
    theirs = (
        oc.filter(pl.col("size_bucket") == bucket)
        .group_by(keys)
        .agg(pl.col("volume").sum().alias("theirs"))
    )
    pairs = (
        ours.join(theirs, on=keys, how="full", coalesce=True)
        .with_columns(pl.col("ours").fill_null(0), pl.col("theirs").fill_null(0))
        .sort(keys)
        .collect()
    )
    total_theirs = float(pairs["theirs"].sum())
    bias = float(pairs["ours"].sum()) / total_theirs - 1 if total_theirs else math.nan
    corr = pairs.select(pl.corr("ours", "theirs")).item() if pairs.height >= 2 else None
    return OpenCloseComparison(
        pairs=pairs, correlation=math.nan if corr is None else float(corr), bias=bias
    )
