"""Trailing calendar-window percentile rank of a time series.

Used to say where today's implied correlation (or any level) sits within its
own recent history ("93rd percentile of the past year").

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> days = [dt.date(2026, 1, d) for d in (5, 6, 7)]
>>> s = pl.DataFrame({"date": days, "rho": [0.3, 0.2, 0.1]})
>>> percentile_rank(s, value="rho").collect()["percentile_1y"].round(2).to_list()
[100.0, 50.0, 33.33]
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from optionsflow.errors import ConfigError, SchemaError
from optionsflow.schema import WINDOW_N, check_min

__all__ = ["MIN_HISTORY", "WINDOW_DAYS", "WINDOW_N", "percentile_rank"]

Window = Literal["1y", "6m", "3m"]

WINDOW_DAYS: dict[str, int] = {"1y": 365, "6m": 182, "3m": 91}
"""Calendar length, in days, of each trailing window."""

MIN_HISTORY = 60
"""Observations a window needs before a level's percentile is said (about three months of days).

:func:`percentile_rank` defaults to 1 (any history); the correlation views pass this,
so a first day is not reported as "the 100th percentile"."""


# private intermediate names (prefixed so they cannot clash with user columns)
_ROW = "__of_row"
_LO = "__of_window_start"
_VAL = "__of_value"
_OTHER_DATE = "__of_other_date"
_OTHER_VAL = "__of_other_value"
_N = "__of_n"
_N_LE = "__of_n_le"


def percentile_rank(
    series: pl.LazyFrame | pl.DataFrame,
    *,
    value: str,
    date: str = "date",
    window: Window = "1y",
    min_history: int = 1,
) -> pl.LazyFrame:
    """Add the percentile rank of each value within its trailing calendar window.

    For a row on date ``d`` with value ``v``, the window is every row whose
    date lies in ``(d - L, d]``, with ``L`` = 365 days (``"1y"``), 182 days
    (``"6m"``) or 91 days (``"3m"``); it includes the current row and every
    other row on the same date. Then

    ``percentile = 100 * #{window rows with value <= v} / #{window rows}``,

    counting only window rows with a non-null value, so the current value
    always counts itself and the result lies in (0, 100]. Null (and NaN) values
    are ignored: they are not counted in any window and their own percentile
    is null.

    The computation is a lazy range self-join (``join_where``) on the date
    column followed by a group-by; rows need not be sorted and keep their order.

    Parameters
    ----------
    series
        Frame with a temporal ``date`` column and a numeric ``value`` column.
        Other columns are kept.
    value
        Name of the column to rank.
    date
        Name of the Date (or Datetime) column defining the window.
    window
        Trailing window length: ``"1y"``, ``"6m"`` or ``"3m"``.
    min_history
        Non-null values the window must hold for a percentile; below it the
        percentile is null (``window_n`` still says how many there were).
        :data:`MIN_HISTORY` (60) is the correlation views' choice.

    Returns
    -------
    pl.LazyFrame
        ``series`` with two columns added: ``percentile_{window}`` (Float64 in
        [0, 100], null when the row's value or date is null or the window holds
        fewer than ``min_history`` values) and ``window_n``
        (UInt32, the count of non-null values in the window; null when the
        row's date is null).

    Raises
    ------
    ConfigError
        When ``window`` is not one of the three, or ``min_history < 1``.
    SchemaError
        When ``value`` or ``date`` is missing, ``value`` is not numeric, or
        ``date`` is not temporal (``column`` names it).

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> s = pl.DataFrame({
    ...     "date": [dt.date(2025, 1, 1), dt.date(2025, 6, 1), dt.date(2026, 1, 2)],
    ...     "iv": [0.9, 0.1, 0.5],
    ... })
    >>> out = percentile_rank(s, value="iv").collect()
    >>> out.select("percentile_1y", "window_n").rows()  # 2025-01-01 is out of the last window
    [(100.0, 1), (50.0, 2), (100.0, 2)]

    With a minimum history of two values the first day has no percentile:

    >>> percentile_rank(s, value="iv", min_history=2).collect()["percentile_1y"].to_list()
    [None, 50.0, 100.0]
    """
    if window not in WINDOW_DAYS:
        raise ConfigError(
            f"window must be one of {sorted(WINDOW_DAYS)}", column="window", value=window
        )
    check_min("min_history", min_history)
    lf = series.lazy()
    schema = lf.collect_schema()
    for name in (date, value):
        if name not in schema:
            raise SchemaError(f"missing required column '{name}'", column=name)
    if not schema[date].is_temporal():
        raise SchemaError(f"expected a Date or Datetime, found {schema[date]}", column=date)
    if not schema[value].is_numeric():
        raise SchemaError(f"expected a numeric dtype, found {schema[value]}", column=value)

    out_col = f"percentile_{window}"
    v = pl.col(value)
    clean = v.fill_nan(None) if schema[value].is_float() else v
    # one evaluation feeds both sides of the self-join: were the input's floats computed twice
    # (parallel sums differ in the last bit), a row could fail to count itself
    base = lf.with_row_index(_ROW).cache()
    left = base.select(
        _ROW,
        pl.col(date),
        (pl.col(date) - pl.duration(days=WINDOW_DAYS[window])).alias(_LO),
        clean.alias(_VAL),
    )
    right = base.select(pl.col(date).alias(_OTHER_DATE), clean.alias(_OTHER_VAL)).filter(
        pl.col(_OTHER_VAL).is_not_null() & pl.col(_OTHER_DATE).is_not_null()
    )
    stats = (
        left.join_where(
            right,
            pl.col(_OTHER_DATE) <= pl.col(date),
            pl.col(_OTHER_DATE) > pl.col(_LO),
        )
        .group_by(_ROW)
        .agg(
            pl.len().cast(pl.UInt32).alias(_N),
            (pl.col(_OTHER_VAL) <= pl.col(_VAL)).sum().cast(pl.UInt32).alias(_N_LE),
        )
    )
    n = pl.when(pl.col(date).is_null()).then(None).otherwise(pl.col(_N).fill_null(0))
    pct = 100.0 * pl.col(_N_LE).cast(pl.Float64) / pl.col(_N).cast(pl.Float64)
    return (
        base.join(stats, on=_ROW, how="left", maintain_order="left")
        .with_columns(
            pl.when(clean.is_not_null() & (pl.col(_N) >= min_history))
            .then(pct)
            .otherwise(None)
            .alias(out_col),
            n.alias(WINDOW_N),
        )
        .drop(_ROW, _N, _N_LE)
    )
