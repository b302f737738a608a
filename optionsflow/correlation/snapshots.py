"""Dated index weights apply as of their date: the as-of rule every weights consumer shares.

A dated weights table (``date, symbol, weight``) is a history of **snapshots**: the
rows of one date are the index's weights from that date on. On any date ``t`` the
weights in force are those of the latest snapshot dated on or before ``t`` (a
Polars ``join_asof`` on the date, per snapshot, not per symbol: a name absent
from the snapshot in force has no weight, whatever older snapshots said). Dates
before the first snapshot have no weights. A snapshot per date is the special
case of weights joined on the exact date.

Snapshot dates are the dates with at least one valid weight (non-null, finite,
positive): a date whose rows are all invalid is no snapshot, and the one before
it stays in force.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> w = pl.DataFrame({"date": [dt.date(2008, 6, 30), dt.date(2025, 6, 30)],
...                   "symbol": ["XOM", "XOM"], "weight": [0.05, 0.007]})
>>> days = pl.DataFrame({"date": [dt.date(2008, 6, 27), dt.date(2020, 3, 2),
...                               dt.date(2025, 6, 30)]})
>>> weights_as_of(w, days).collect().rows()
[(datetime.date(2020, 3, 2), 'XOM', 0.05), (datetime.date(2025, 6, 30), 'XOM', 0.007)]
"""

from __future__ import annotations

import polars as pl

from optionsflow.schema import DATE, SYMBOL, WEIGHT, private, require_columns

__all__ = ["SNAPSHOT", "snapshot_in_force", "valid_positive", "weights_as_of"]

SNAPSHOT = private("snapshot")
"""Temporary column: the date of the weights snapshot in force on a row's date."""


def valid_positive(expr: pl.Expr) -> pl.Expr:
    """Non-null, finite and strictly positive: the weights every consumer keeps.

    Examples
    --------
    >>> pl.select(valid_positive(pl.Series([1.0, 0.0, None, float("nan")]))).to_series().to_list()
    [True, False, False, False]
    """
    return (expr.is_not_null() & expr.is_finite() & (expr > 0)).fill_null(False)


def snapshot_in_force(
    dates: pl.LazyFrame, weights: pl.LazyFrame, *, strict: bool = False
) -> pl.LazyFrame:
    """Each distinct ``date`` of ``dates`` with the date of the snapshot in force (``SNAPSHOT``).

    Parameters
    ----------
    dates
        Any frame with a ``date`` column (Date).
    weights
        Dated weights ``date, weight, ...``.
    strict
        Use the latest snapshot strictly before each date (a return over day
        ``t`` is weighted by the weights known before ``t``), not on or before it.

    Returns
    -------
    pl.LazyFrame
        ``date, SNAPSHOT``, sorted by date; ``SNAPSHOT`` is null before the first snapshot.

    Examples
    --------
    >>> import datetime as dt
    >>> w = pl.LazyFrame({"date": [dt.date(2026, 1, 5)], "weight": [1.0]})
    >>> days = pl.LazyFrame({"date": [dt.date(2026, 1, 2), dt.date(2026, 1, 5)]})
    >>> snapshot_in_force(days, w).collect()[SNAPSHOT].to_list()
    [None, datetime.date(2026, 1, 5)]
    >>> snapshot_in_force(days, w, strict=True).collect()[SNAPSHOT].to_list()
    [None, None]
    """
    snaps = (
        weights.filter(valid_positive(pl.col(WEIGHT)) & pl.col(DATE).is_not_null())
        .select(pl.col(DATE).unique().alias(SNAPSHOT))
        .sort(SNAPSHOT)
    )
    days = dates.select(pl.col(DATE).drop_nulls().unique()).sort(DATE)
    return days.join_asof(
        snaps,
        left_on=DATE,
        right_on=SNAPSHOT,
        strategy="backward",
        allow_exact_matches=not strict,
        coalesce=False,
    ).select(DATE, SNAPSHOT)


def weights_as_of(
    weights: pl.LazyFrame | pl.DataFrame,
    dates: pl.LazyFrame | pl.DataFrame,
    *,
    strict: bool = False,
) -> pl.LazyFrame:
    """Give each date the weights in force: the latest snapshot dated on or before it.

    Parameters
    ----------
    weights
        ``date, symbol, weight`` snapshots of an index's weights (rows with a
        null, non-finite or non-positive weight are dropped).
    dates
        Any frame with a ``date`` column; each distinct date gets the weights in force.
    strict
        Use the latest snapshot strictly before each date.

    Returns
    -------
    pl.LazyFrame
        ``date, symbol, weight``, one row per date and name of the snapshot in
        force, sorted by date and symbol; dates before the first snapshot have none.

    Raises
    ------
    SchemaError
        When ``weights`` lacks ``date``, ``symbol`` or ``weight``, or ``dates`` lacks ``date``.

    Examples
    --------
    Monthly rebalances: a date between two snapshots uses the earlier one.

    >>> import datetime as dt
    >>> w = pl.DataFrame({"date": [dt.date(2026, 1, 2)] * 2 + [dt.date(2026, 2, 2)] * 2,
    ...                   "symbol": ["A", "B"] * 2, "weight": [0.6, 0.4, 0.5, 0.5]})
    >>> days = pl.DataFrame({"date": [dt.date(2026, 1, 20)]})
    >>> weights_as_of(w, days).collect()["weight"].to_list()
    [0.6, 0.4]
    """
    w, d = weights.lazy(), dates.lazy()
    require_columns(w, [DATE, SYMBOL, WEIGHT], by="weights_as_of")
    require_columns(d, [DATE], by="weights_as_of")
    snaps = w.filter(valid_positive(pl.col(WEIGHT))).select(
        pl.col(DATE).alias(SNAPSHOT), SYMBOL, WEIGHT
    )
    return (
        snapshot_in_force(d, w, strict=strict)
        .join(snaps, on=SNAPSHOT, how="inner")
        .select(DATE, SYMBOL, WEIGHT)
        .sort(DATE, SYMBOL)
    )
