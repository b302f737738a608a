"""Index concentration: top-N weight share, sector weights, equal- vs cap-weight returns.

Definitions, with weights ``w_i`` renormalised to sum to 1 over an index's
constituents on a date (rows with null, non-finite or non-positive weight dropped):

* **top-N share** ``sum of the N largest w_i`` ("39 cents of every dollar in the top ten");
* **Herfindahl** ``H = sum_i w_i**2`` and **effective number of names** ``1 / H``;
* **sector weight** ``sum of w_i over the sector's names``; with dated weights
  (snapshots, each in force from its date until the next:
  :mod:`~optionsflow.correlation.snapshots`) this is the sector's weight history,
  one row per snapshot, and ``change`` is the difference from the sector's
  previous snapshot;
* **equal- vs cap-weight return spread** on date ``t``, from prices ``P_i``:
  ``r_i = P_i,t / P_i,t-1 - 1`` (previous price of the same name),
  cap-weighted ``sum_i w_i r_i / sum_i w_i`` and equal-weighted ``mean_i r_i``
  over the names with a return and a weight, ``spread = equal - cap``, and
  cumulative returns ``prod(1 + r) - 1`` of each. Static weights are held fixed
  (daily rebalanced); dated weights (e.g. market caps) apply as of the latest
  snapshot dated strictly before ``t`` (the whole snapshot: a name it leaves
  out has no weight, whatever an older snapshot said).

Examples
--------
>>> import polars as pl
>>> w = pl.DataFrame({"symbol": list("ABCD"), "weight": [4.0, 3.0, 2.0, 1.0]})
>>> out = concentration(w, top=2).collect()
>>> round(out["top_share"][0], 12), round(out["effective_n"][0], 12)
(0.7, 3.333333333333)
>>> out["top_symbols"][0].to_list()
['A', 'B']
"""

from __future__ import annotations

import polars as pl

from optionsflow.correlation.implied import SYMBOL, WEIGHT
from optionsflow.correlation.snapshots import weights_as_of
from optionsflow.errors import ConfigError
from optionsflow.schema import (
    CAP_WEIGHTED_RETURN,
    CHANGE,
    CUMULATIVE_CAP,
    CUMULATIVE_EQUAL,
    CUMULATIVE_SPREAD,
    DATE,
    EFFECTIVE_N,
    EQUAL_WEIGHTED_RETURN,
    HERFINDAHL,
    N_CONSTITUENTS,
    SECTOR,
    SECTOR_WEIGHT,
    SPREAD,
    TOP_SHARE,
    TOP_SYMBOLS,
    UNMAPPED,
    require_columns,
)

__all__ = [
    "CAP_WEIGHTED_RETURN",
    "CUMULATIVE_CAP",
    "CUMULATIVE_EQUAL",
    "CUMULATIVE_SPREAD",
    "EFFECTIVE_N",
    "EQUAL_WEIGHTED_RETURN",
    "HERFINDAHL",
    "SPREAD",
    "TOP_SHARE",
    "TOP_SYMBOLS",
    "concentration",
    "sector_weights",
    "weighting_spread",
]


_NORM = "__of_w"
_RET = "__of_ret"


def _weights(weights: pl.LazyFrame | pl.DataFrame, by: str) -> tuple[pl.LazyFrame, bool]:
    """Return valid weights renormalised (per date when dated), and whether they are dated."""
    lf = weights.lazy()
    require_columns(lf, [SYMBOL, WEIGHT], by=by)
    dated = DATE in lf.collect_schema()
    w = pl.col(WEIGHT).cast(pl.Float64)
    lf = lf.select(*([DATE] if dated else []), SYMBOL, w).filter(
        w.is_not_null() & w.is_finite() & (w > 0)
    )
    total = pl.col(WEIGHT).sum().over(DATE) if dated else pl.col(WEIGHT).sum()
    return lf.with_columns((pl.col(WEIGHT) / total).alias(_NORM)), dated


def concentration(weights: pl.LazyFrame | pl.DataFrame, *, top: int = 10) -> pl.LazyFrame:
    """Top-``top`` weight share, Herfindahl and effective number of names.

    Parameters
    ----------
    weights
        ``symbol``, ``weight`` and optionally ``date`` (then one result per date).
    top
        How many of the heaviest names make the "top" (ties by ascending symbol).

    Returns
    -------
    pl.LazyFrame
        ``[date,] n_constituents, top_share, top_symbols (list, heaviest first),
        herfindahl, effective_n``.

    Raises
    ------
    SchemaError
        When ``symbol`` or ``weight`` is missing.
    ConfigError
        When ``top < 1``.

    Examples
    --------
    Dated weights give one row per date: 5/3/2 weights, then three equal names
    (``1 / H`` is 1 / 0.38 and then exactly 3):

    >>> import datetime as dt
    >>> d1, d2 = dt.date(2026, 1, 5), dt.date(2026, 1, 6)
    >>> w = pl.DataFrame({"date": [d1] * 3 + [d2] * 3, "symbol": list("ABC") * 2,
    ...                   "weight": [5.0, 3.0, 2.0, 1.0, 1.0, 1.0]})
    >>> out = concentration(w, top=1).select("date", "top_share", "top_symbols", "effective_n")
    >>> [(d.day, round(s, 4), top, round(n, 4)) for d, s, top, n in out.collect().rows()]
    [(5, 0.5, ['A'], 2.6316), (6, 0.3333, ['A'], 3.0)]
    """
    if top < 1:
        raise ConfigError(f"top must be >= 1, got {top}", column="top")
    lf, dated = _weights(weights, "concentration")
    w = pl.col(_NORM)
    # Rank on the raw weight (equal weights stay exactly equal; Polars may round a lazy
    # division differently from row to row), ties by symbol; groups keep the frame order.
    keys = [DATE] if dated else []
    ranked = lf.sort([*keys, WEIGHT, SYMBOL], descending=[*(False for _ in keys), True, False])
    aggs = [
        pl.len().cast(pl.UInt32).alias(N_CONSTITUENTS),
        w.head(top).sum().alias(TOP_SHARE),
        pl.col(SYMBOL).head(top).alias(TOP_SYMBOLS),
        (w * w).sum().alias(HERFINDAHL),
    ]
    if dated:
        out = ranked.group_by(DATE, maintain_order=True).agg(aggs)
    else:  # one group: aggregate contexts give the top symbols as a list
        out = ranked.group_by(pl.lit(0).alias("__of_all")).agg(aggs).drop("__of_all")
    return out.with_columns((1.0 / pl.col(HERFINDAHL)).alias(EFFECTIVE_N))


def sector_weights(
    weights: pl.LazyFrame | pl.DataFrame, sectors: pl.LazyFrame | pl.DataFrame
) -> pl.LazyFrame:
    """Weight of each sector (and, with dated weights, its history and change).

    Parameters
    ----------
    weights
        ``symbol``, ``weight`` and optionally ``date``.
    sectors
        ``symbol`` and ``sector`` (e.g. :func:`optionsflow.ingest.read_sector_map`).
        Names without a sector count under ``"Unmapped"``.

    Returns
    -------
    pl.LazyFrame
        ``[date,] sector, sector_weight, n_constituents[, change]``, sorted by
        date and descending weight. ``change`` (dated weights only) is the
        difference from the sector's previous date, null on its first.

    Examples
    --------
    >>> import polars as pl
    >>> w = pl.DataFrame({"symbol": ["A", "B", "C"], "weight": [2.0, 1.0, 1.0]})
    >>> s = pl.DataFrame({"symbol": ["A", "B"], "sector": ["Tech", "Energy"]})
    >>> sector_weights(w, s).collect().rows()
    [('Tech', 0.5, 1), ('Energy', 0.25, 1), ('Unmapped', 0.25, 1)]
    """
    lf, dated = _weights(weights, "sector_weights")
    sec = sectors.lazy()
    require_columns(sec, [SYMBOL, SECTOR], by="sector_weights")
    joined = lf.join(
        sec.select(SYMBOL, SECTOR).unique(SYMBOL, keep="first"), on=SYMBOL, how="left"
    ).with_columns(pl.col(SECTOR).fill_null(UNMAPPED))
    keys = [DATE, SECTOR] if dated else [SECTOR]
    out = joined.group_by(keys).agg(
        pl.col(_NORM).sum().alias(SECTOR_WEIGHT), pl.len().cast(pl.UInt32).alias(N_CONSTITUENTS)
    )
    # weights equal to 12 decimals are a tie, broken by name: a float sum's last bits depend on
    # the order the engine adds in, and must not reorder two sectors of the same weight
    heaviest = pl.col(SECTOR_WEIGHT).round(12)
    if not dated:
        return out.sort([heaviest, SECTOR], descending=[True, False])
    return (
        out.sort(DATE)
        .with_columns(pl.col(SECTOR_WEIGHT).diff().over(SECTOR).alias(CHANGE))
        .sort([pl.col(DATE), heaviest, pl.col(SECTOR)], descending=[False, True, False])
    )


def weighting_spread(
    prices: pl.LazyFrame | pl.DataFrame,
    weights: pl.LazyFrame | pl.DataFrame,
    *,
    price: str = "close",
) -> pl.LazyFrame:
    """Equal- minus cap-weighted daily return of an index's constituents.

    Parameters
    ----------
    prices
        ``date``, ``symbol`` and a price column (``price``), one row per name and date.
    weights
        ``symbol``, ``weight`` and optionally ``date`` (the snapshot dated
        strictly before each return's date applies).
    price
        Name of the price column.

    Returns
    -------
    pl.LazyFrame
        Per date with at least one return: ``date, n_constituents,
        cap_weighted_return, equal_weighted_return, spread, cumulative_cap,
        cumulative_equal, cumulative_spread``, sorted by date.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> d0, d1 = dt.date(2026, 1, 5), dt.date(2026, 1, 6)
    >>> px = pl.DataFrame({"date": [d0, d0, d1, d1], "symbol": ["A", "B"] * 2,
    ...                    "close": [100.0, 10.0, 110.0, 10.0]})
    >>> w = pl.DataFrame({"symbol": ["A", "B"], "weight": [3.0, 1.0]})
    >>> out = weighting_spread(px, w).collect()
    >>> [round(v, 6) for v in out.select("cap_weighted_return", "equal_weighted_return",
    ...                                  "spread").row(0)]
    [0.075, 0.05, -0.025]
    """
    px = prices.lazy()
    require_columns(px, [DATE, SYMBOL, price], by="weighting_spread")
    lf, dated = _weights(weights, "weighting_spread")
    p = pl.col(price).cast(pl.Float64)
    rets = (
        px.select(DATE, SYMBOL, p.alias(price))
        .sort(SYMBOL, DATE)
        .with_columns((pl.col(price) / pl.col(price).shift(1).over(SYMBOL) - 1.0).alias(_RET))
        .filter(pl.col(_RET).is_not_null() & pl.col(_RET).is_finite())
    )
    if dated:  # the snapshot in force before the day of the return
        rets = rets.join(weights_as_of(lf, rets, strict=True), on=[DATE, SYMBOL], how="left")
    else:
        rets = rets.join(lf.select(SYMBOL, WEIGHT), on=SYMBOL, how="left")
    r, w_ = pl.col(_RET), pl.col(WEIGHT)
    daily = (
        rets.filter(w_.is_not_null())
        .group_by(DATE)
        .agg(
            pl.len().cast(pl.UInt32).alias(N_CONSTITUENTS),
            ((w_ * r).sum() / w_.sum()).alias(CAP_WEIGHTED_RETURN),
            r.mean().alias(EQUAL_WEIGHTED_RETURN),
        )
        .sort(DATE)
    )
    cap, eq = pl.col(CAP_WEIGHTED_RETURN), pl.col(EQUAL_WEIGHTED_RETURN)
    return daily.with_columns(
        (eq - cap).alias(SPREAD),
        ((1.0 + cap).cum_prod() - 1.0).alias(CUMULATIVE_CAP),
        ((1.0 + eq).cum_prod() - 1.0).alias(CUMULATIVE_EQUAL),
    ).with_columns((pl.col(CUMULATIVE_EQUAL) - pl.col(CUMULATIVE_CAP)).alias(CUMULATIVE_SPREAD))
