"""The consolidated quote in force before each trade: an as-of join that keeps file order.

Vendor trade files come without the NBBO (Polygon) or with it in a separate file
(Databento ``cbbo``). :func:`attach_quotes` fills ``bid``, ``ask`` and their sizes
from the contract's last quote *strictly before* the trade. Only a narrow frame
(row, contract, time) is sorted and joined; the quotes found are put back in row
order beside the trades, which keep their file order. Sorting the whole trade
frame by time and back cost about twice as much on a 10-million-trade day.

Examples
--------
>>> import polars as pl
>>> from optionsflow import schema as s
>>> from optionsflow.schema import ROW
>>> trades = pl.LazyFrame({
...     ROW: [0, 1], "_c": ["A", "A"], s.TS: [5, 9], s.BID: [None, None], s.ASK: [None, None],
...     s.BID_SIZE: [None, None], s.ASK_SIZE: [None, None],
... }).with_columns(pl.col(s.TS).cast(pl.Datetime("ns", "UTC")))
>>> quotes = pl.LazyFrame({
...     "_c": ["A", "A"], "_qts": [5, 7], s.BID: [1.0, 1.1], s.ASK: [1.2, 1.3],
...     s.BID_SIZE: [10, 11], s.ASK_SIZE: [12, 13],
... })
>>> attach_quotes(trades, quotes, by="_c").select(s.BID, s.ASK).collect().rows()
[(None, None), (1.1, 1.3)]
"""

from __future__ import annotations

import polars as pl

from optionsflow import schema as s
from optionsflow.schema import ROW

__all__ = ["NBBO_COLUMNS", "attach_quotes", "sorted_by"]

NBBO_COLUMNS: tuple[str, ...] = (s.BID, s.ASK, s.BID_SIZE, s.ASK_SIZE)
"""The quote columns :func:`attach_quotes` fills."""


def sorted_by(frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """``frame`` sorted by ``column``, without the sort's copy when it already is.

    Vendor files are usually in time order already; checking is one pass,
    sorting (a gather of every column) costs far more. Either way the column
    comes out flagged sorted.
    """

    def ensure(rows: pl.DataFrame) -> pl.DataFrame:
        if rows[column].is_sorted():
            return rows
        return rows.lazy().sort(column).collect()

    return frame.map_batches(ensure, streamable=False).with_columns(pl.col(column).set_sorted())


def attach_quotes(
    trades: pl.LazyFrame, quotes: pl.LazyFrame, *, by: str, semi_join: bool = False
) -> pl.LazyFrame:
    """Fill :data:`NBBO_COLUMNS` from the last quote of the same ``by`` key before each trade.

    Parameters
    ----------
    trades
        ParsedFile trades with ``_row``, ``ts`` and the ``by`` column.
    quotes
        ``by``, ``_qts`` (nanoseconds since the epoch) and :data:`NBBO_COLUMNS`.
    by
        The contract column shared by both frames.
    semi_join
        First cut the quotes to the traded contracts: for quote files much larger
        than the trade file, a semi-join the streaming engine runs without
        holding the whole file.

    Returns
    -------
    pl.LazyFrame
        ``trades`` in row order with the NBBO columns filled (null where the
        contract has no earlier quote).
    """
    trades = sorted_by(trades, ROW).cache()  # in row order already: this makes it certain
    key = pl.col(s.TS).dt.epoch("ns").fill_null(pl.lit(-(2**63), pl.Int64)).alias("_key")
    left = sorted_by(trades.select(ROW, by, key), "_key")
    if semi_join:
        quotes = quotes.join(trades.select(pl.col(by).unique()), on=by, how="semi")
    found = left.join_asof(
        sorted_by(quotes.select(by, "_qts", *NBBO_COLUMNS), "_qts"), left_on="_key",
        right_on="_qts", by=by, strategy="backward", allow_exact_matches=False,
        check_sortedness=False,
    )  # fmt: skip
    nbbo = sorted_by(found, ROW).select(NBBO_COLUMNS)
    return s.beside(trades, nbbo)
