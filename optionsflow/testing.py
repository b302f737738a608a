"""Builders of small canonical frames for tests, in the library's own tests and in yours.

Also :func:`assert_engines_agree`, which checks that a query gives the same frame on
Polars' in-memory and streaming engines.

Examples
--------
>>> frame = trades([{"price": 1.10}, {"price": 0.95, "size": 3}])
>>> frame.select("seq", "price", "size").rows()
[(1, 1.1, 1), (2, 0.95, 3)]
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict, Unpack

import polars as pl
from polars.testing import assert_frame_equal

from optionsflow import schema as s

__all__ = [
    "DEFAULTS",
    "T0",
    "FrameEqualOptions",
    "assert_engines_agree",
    "at",
    "labelled",
    "trades",
]

T0 = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)

DEFAULTS: dict[str, Any] = {
    s.SEQ: None,
    s.UNDERLYING: "XOM",
    s.ROOT: "XOM",
    s.EXPIRY: dt.date(2026, 12, 18),
    s.STRIKE: 110.0,
    s.RIGHT: "C",
    s.PRICE: 1.00,
    s.SIZE: 1,
    s.MULTIPLIER: 100,
    s.EXCHANGE: "XCBO",
    s.CONDITION: "AUTO",
    s.BID: 0.95,
    s.ASK: 1.05,
    s.BID_SIZE: 10,
    s.ASK_SIZE: 20,
    s.BID_EX: 0.95,
    s.ASK_EX: 1.05,
    s.BID_SIZE_EX: 5,
    s.ASK_SIZE_EX: 5,
    s.UNDERLYING_PRICE: 108.0,
    s.SOURCE: "test",
    s.SOURCE_ROW: None,
}


def trades(rows: list[dict[str, Any]], **extra_schema: pl.DataType) -> pl.DataFrame:
    """Canonical trades from partial row dicts.

    Unset columns take :data:`DEFAULTS`; ``ts`` defaults to :data:`T0` plus
    ``i`` milliseconds and ``seq`` / ``source_row`` to ``i + 1`` for row ``i``.
    """
    full = []
    for i, row in enumerate(rows):
        r = {s.TS: T0 + dt.timedelta(milliseconds=i), **DEFAULTS, **row}
        r[s.SEQ] = i + 1 if r[s.SEQ] is None else r[s.SEQ]
        r[s.SOURCE_ROW] = i + 1 if r[s.SOURCE_ROW] is None else r[s.SOURCE_ROW]
        full.append(r)
    schema = {**s.TRADE_SCHEMA, **extra_schema}
    extra = [c for c in full[0] if c not in schema]
    if extra:
        raise KeyError(f"unknown test columns {extra}")
    return pl.DataFrame(full, schema=schema)


def labelled(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Trades carrying ``side`` and ``participant`` given per row (defaults +1, retail)."""
    base = [{k: v for k, v in r.items() if k not in (s.SIDE, s.PARTICIPANT)} for r in rows]
    return trades(base).with_columns(
        pl.Series(s.SIDE, [r.get(s.SIDE, 1) for r in rows], dtype=s.SIDE_DTYPE),
        pl.Series(
            s.PARTICIPANT, [r.get(s.PARTICIPANT, "retail") for r in rows], dtype=s.PARTICIPANT_DTYPE
        ),
    )


def at(day: dt.date, hour: int = 15) -> dt.datetime:
    """Return a UTC timestamp during the New York session of ``day``."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


class FrameEqualOptions(TypedDict, total=False):
    """Keyword options of :func:`polars.testing.assert_frame_equal`."""

    check_row_order: bool
    check_column_order: bool
    check_dtypes: bool
    check_exact: bool
    rel_tol: float
    abs_tol: float
    categorical_as_str: bool


def assert_engines_agree(lf: pl.LazyFrame, **kwargs: Unpack[FrameEqualOptions]) -> pl.DataFrame:
    """Collect ``lf`` on the in-memory and the streaming engine and assert the frames are equal.

    Polars' default engine may itself be the streaming one, so comparing a streaming
    collect with a plain ``collect()`` can compare the streaming engine with itself;
    this names both engines.

    Parameters
    ----------
    lf : pl.LazyFrame
        The query to run twice.
    **kwargs
        Passed to :func:`polars.testing.assert_frame_equal`, e.g. ``check_row_order``,
        ``check_exact``, ``rel_tol`` or ``abs_tol``.

    Returns
    -------
    pl.DataFrame
        The in-memory engine's frame.

    Raises
    ------
    AssertionError
        When the two engines' frames differ.

    Examples
    --------
    >>> lf = pl.LazyFrame({"k": ["a", "b", "a"], "v": [1.0, 2.0, 3.0]})
    >>> assert_engines_agree(lf.group_by("k").agg(pl.col("v").sum()), check_row_order=False).shape
    (2, 2)
    """
    in_memory = lf.collect(engine="in-memory")
    streaming = lf.collect(engine="streaming")
    assert_frame_equal(in_memory, streaming, **kwargs)
    return in_memory
