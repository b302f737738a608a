"""Validation of reference tables: cells that parse, keys that are unique, values in range.

Reference tables (vols, weights, sector maps, index closes) are small, so they are
read whole and checked at once; every problem is a located error naming the file,
the 1-based data row, the column and the value. Nothing is dropped silently.

=====================  ===========================================================
rule                   error
=====================  ===========================================================
cell does not parse    ``ParseError``: ``file:row: column 'iv': not a number (got 'abc')``
missing value          ``ValidationError``: ``file:row: column 'iv': missing value``
duplicate key          ``ValidationError``: ``file:row: column 'symbol': duplicate key
                       (date, symbol), first at row N (got '2026-11-20, AAPL')``
value out of range     ``ValidationError``: ``file:row: column 'iv': must be a finite
                       number in (0, 5] (got 'nan')``
=====================  ===========================================================

Examples
--------
>>> import polars as pl
>>> frame = pl.DataFrame({"symbol": ["AAPL", "MSFT", "AAPL"], "weight": [0.6, 0.4, 0.1]})
>>> try:
...     unique_key(frame, ["symbol"], source="weights.csv")
... except ValidationError as err:
...     print(err.row, err.reason)
3 duplicate key (symbol), first at row 1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from optionsflow.errors import ParseError, ValidationError
from optionsflow.schema import private

__all__ = ["in_range", "no_nulls", "parsed", "unique_key"]

_ROW = private("ref_row")


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_row_index(_ROW, offset=1)


def parsed(raw: pl.DataFrame, dtypes: Mapping[str, pl.DataType], *, source: str) -> pl.DataFrame:
    """Cast text (or typed) columns to ``dtypes``; the first cell that does not parse raises.

    Dates in text are ISO ``YYYY-MM-DD``; numbers may not carry units or thousands
    separators. Nulls stay null (see :func:`no_nulls`).

    Raises
    ------
    ParseError
        For the first cell, in row order, that is present but does not parse.

    Examples
    --------
    >>> raw = pl.DataFrame({"date": ["2026-11-20", "2026-11-23"], "close": ["6,500", "6501"]})
    >>> parsed(raw, {"date": pl.Date(), "close": pl.Float64()}, source="spx.csv")
    Traceback (most recent call last):
    ...
    optionsflow.errors.ParseError: spx.csv:1: column 'close': not a number (got '6,500')
    """
    exprs = []
    for name, dtype in dtypes.items():
        col = pl.col(name)
        if raw.schema[name] == pl.String() and dtype == pl.Date():
            exprs.append(col.str.strip_chars().str.to_date("%Y-%m-%d", strict=False).alias(name))
        elif raw.schema[name] == pl.String() and dtype.is_numeric():
            exprs.append(col.str.strip_chars().cast(dtype, strict=False).alias(name))
        else:
            exprs.append(col.cast(dtype, strict=False).alias(name))
    out = raw.select(exprs)
    for name, dtype in dtypes.items():
        bad = raw[name].is_not_null() & out[name].is_null()
        if bad.any():
            row = int(bad.arg_true()[0])
            what = "not a date (YYYY-MM-DD)" if dtype == pl.Date() else "not a number"
            if not dtype.is_numeric() and dtype != pl.Date():
                what = f"not a {dtype}"
            raise ParseError(what, source=source, row=row + 1, column=name, value=raw[name][row])
    return out


def no_nulls(frame: pl.DataFrame, columns: Sequence[str], *, source: str) -> None:
    """Raise for the first missing (null or blank) value in ``columns``.

    Examples
    --------
    >>> no_nulls(pl.DataFrame({"sector": ["Energy", None]}), ["sector"], source="s.csv")
    Traceback (most recent call last):
    ...
    optionsflow.errors.ValidationError: s.csv:2: column 'sector': missing value
    """
    for name in columns:
        col = frame[name]
        missing = col.is_null()
        if col.dtype == pl.String():
            missing = missing | (col.str.strip_chars() == "")
        if missing.any():
            row = int(missing.arg_true()[0]) + 1
            raise ValidationError("missing value", source=source, row=row, column=name)


def unique_key(frame: pl.DataFrame, key: Sequence[str], *, source: str) -> None:
    """Raise at the first row whose ``key`` repeats an earlier row's, naming both rows.

    Examples
    --------
    >>> unique_key(pl.DataFrame({"symbol": ["A", "B"]}), ["symbol"], source="w.csv") is None
    True
    """
    numbered = _numbered(frame.select(key))
    first = pl.col(_ROW).min().over(key)
    repeats = numbered.with_columns(first.alias("first")).filter(pl.col(_ROW) != pl.col("first"))
    if repeats.height:
        hit = repeats.row(0, named=True)
        shown = ", ".join(str(hit[k]) for k in key)
        raise ValidationError(
            f"duplicate key ({', '.join(key)}), first at row {hit['first']}",
            source=source, row=hit[_ROW], column=key[-1], value=shown,
        )  # fmt: skip


def in_range(
    frame: pl.DataFrame,
    column: str,
    *,
    source: str,
    low: float,
    high: float = float("inf"),
    low_open: bool = True,
) -> None:
    """Raise at the first value of ``column`` that is NaN, infinite or outside the range.

    The range is ``(low, high]`` (``[low, high]`` with ``low_open=False``); nulls are
    left to :func:`no_nulls`.

    Examples
    --------
    >>> vols = pl.DataFrame({"iv": [0.2, float("nan")]})
    >>> try:
    ...     in_range(vols, "iv", source="v.csv", low=0.0, high=5.0)
    ... except ValidationError as err:
    ...     print(err)
    v.csv:2: column 'iv': must be a finite number in (0, 5] (got 'nan')
    """
    col = pl.col(column)
    above = col > low if low_open else col >= low
    ok = col.is_finite() & above & (col <= high)
    bad = frame.select((col.is_not_null() & ~ok).alias("bad"))["bad"]
    if bad.any():
        row = int(bad.arg_true()[0])
        opening = "(" if low_open else "["
        upper = "inf)" if high == float("inf") else f"{high:g}]"
        raise ValidationError(
            f"must be a finite number in {opening}{low:g}, {upper}",
            source=source, row=row + 1, column=column, value=frame[column][row],
        )  # fmt: skip
