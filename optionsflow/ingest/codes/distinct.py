"""Evaluate a costly elementwise expression once per distinct value of a column.

A day of option trades holds millions of rows but only thousands of distinct
symbols and a handful of distinct condition cells. Parsing each distinct value
once and mapping the results back with ``replace_strict`` is several times
cheaper than parsing every row, and cheaper than a ``unique`` + ``join`` (which
must also restore the row order). Measured on a 10-million-trade Polygon day:
symbol fields 0.66 s by join, 0.43 s here.

Examples
--------
>>> import polars as pl
>>> frame = pl.DataFrame({"s": ["a", None, "b", "a"]})
>>> upper = per_distinct(pl.col("s"), lambda v: v.str.to_uppercase(), return_dtype=pl.String)
>>> frame.select(upper).to_series().to_list()
['A', None, 'B', 'A']
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from polars._typing import PolarsDataType

__all__ = ["per_distinct"]


def per_distinct(
    column: pl.Expr, fn: Callable[[pl.Expr], pl.Expr], *, return_dtype: PolarsDataType
) -> pl.Expr:
    """Apply ``fn`` to the distinct values of ``column`` and map the results back.

    Parameters
    ----------
    column
        The input expression.
    fn
        Elementwise function of an expression (it sees a column of distinct
        values, null included when present).
    return_dtype
        The dtype ``fn`` returns.

    Returns
    -------
    pl.Expr
        ``fn(column)``. The whole column is mapped at once: batch by batch,
        the distinct values of every batch would be parsed again.
    """

    def run(values: pl.Series) -> pl.Series:
        if values.is_empty():  # replace_strict would give the input's dtype
            return pl.Series(values.name, [], dtype=return_dtype)
        distinct = values.unique()
        mapped = distinct.to_frame("v").select(fn(pl.col("v")).cast(return_dtype)).to_series()
        return values.replace_strict(distinct, mapped, return_dtype=return_dtype)

    return column.map_batches(run, return_dtype=return_dtype, is_elementwise=False)
