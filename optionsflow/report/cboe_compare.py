"""Our correlation table beside Cboe's published indexes (``optionsflow corr --compare``).

:func:`compare_with_cboe` adds a Cboe index's values (points / 100) and the
difference, ours minus Cboe's; the helpers render those columns as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from optionsflow import schema as s
from optionsflow.correlation.implied import IMPLIED_CORRELATION
from optionsflow.errors import ValidationError
from optionsflow.ingest.reference.cboe_history import CLOSE
from optionsflow.ingest.reference.cboe_indexes import index_of
from optionsflow.ingest.reference.tables import index_symbol

__all__ = ["COMPARED", "compare_cells", "compare_lines", "compare_with_cboe", "compared_symbols"]


COMPARED: dict[str, str] = {
    "correlation": IMPLIED_CORRELATION,
    "dispersion": "dispersion",
    "constituent_vol": "weighted_iv",
    "vol": "index_iv",
}
"""The column of :func:`correlation_table` each kind of Cboe index is compared with."""


def compare_with_cboe(
    table: pl.LazyFrame | pl.DataFrame,
    history: pl.LazyFrame | pl.DataFrame,
    *,
    symbol: str,
    index: str = "SPX",
    source: str | None = None,
) -> pl.LazyFrame:
    """Put a Cboe index's published values beside ours: ``cboe_<symbol>`` and ``diff_<symbol>``.

    COR1M (and the other ``COR`` indexes) is compared with ``implied_correlation``,
    DSPX with ``dispersion``, VIXEQ with ``weighted_iv`` and a vol index of the
    index (VIX for SPX) with ``index_iv``; Cboe's points are divided by 100 so
    both are decimals, and the difference is ours minus Cboe's (null on a date
    one side lacks).

    Parameters
    ----------
    table
        A :func:`correlation_table`.
    history
        ``date, symbol, close`` in index points
        (:func:`~optionsflow.ingest.reference.cboe_history.read_cboe_history`);
        the rows of ``symbol`` are used.
    symbol
        The Cboe index (``COR1M``); the new columns are named after it, lower case.
    index
        The index of ``table``, which a vol index must be the vol of.
    source
        The history's file, named in errors.

    Returns
    -------
    pl.LazyFrame
        ``table`` (its rows and order) with ``cboe_<symbol>`` and ``diff_<symbol>``.

    Raises
    ------
    SchemaError
        When ``symbol`` is of no known kind.
    ValidationError
        When a vol index is the vol of another underlying than ``index``.

    Examples
    --------
    >>> import datetime as dt
    >>> vols = pl.DataFrame({"date": [dt.date(2026, 3, 27)] * 3,
    ...                      "symbol": ["SPX", "A", "B"], "iv": [0.20, 0.25, 0.20]})
    >>> weights = pl.DataFrame({"symbol": ["A", "B"], "weight": [0.5, 0.5]})
    >>> cor1m = pl.DataFrame({"date": [dt.date(2026, 3, 27)], "symbol": ["COR1M"],
    ...                       "close": [55.0]})
    >>> from optionsflow.report.correlation import correlation_table
    >>> out = compare_with_cboe(correlation_table(vols, weights), cor1m, symbol="COR1M")
    >>> row = out.select("implied_correlation", "cboe_cor1m", "diff_cor1m").collect().row(0)
    >>> [round(v, 4) for v in row]
    [0.575, 0.55, 0.025]
    """
    cboe = index_of(symbol, source=source)
    target = index_symbol(index)
    if cboe.kind == "vol" and cboe.underlying != target:
        raise ValidationError(
            f"{cboe.symbol} is the {cboe.what}, not a vol of the index {target}", source=source
        )
    ours = COMPARED[cboe.kind]
    name = symbol.lower()
    theirs = (
        history.lazy()
        .filter(pl.col(s.SYMBOL) == symbol)
        .select(s.DATE, (pl.col(CLOSE) / cboe.scale).alias(f"cboe_{name}"))
    )
    return (
        table.lazy()
        .join(theirs, on=s.DATE, how="left", maintain_order="left")
        .with_columns((pl.col(ours) - pl.col(f"cboe_{name}")).alias(f"diff_{name}"))
    )


def compared_symbols(table: pl.DataFrame) -> list[str]:
    """List the Cboe symbols compared in ``table`` (its ``cboe_<symbol>`` columns).

    Examples
    --------
    >>> compared_symbols(pl.DataFrame({"date": [], "cboe_cor1m": [], "diff_cor1m": []}))
    ['COR1M']
    """
    return [c.removeprefix("cboe_").upper() for c in table.columns if c.startswith("cboe_")]


def compare_lines(table: pl.DataFrame) -> list[str]:
    r"""Say, per compared index, the latest date both have and the mean (absolute) difference.

    Examples
    --------
    >>> import datetime as dt
    >>> table = pl.DataFrame({"date": [dt.date(2026, 3, 27)], "implied_correlation": [0.4],
    ...                       "cboe_cor1m": [0.42], "diff_cor1m": [-0.02]})
    >>> print(compare_lines(table)[0].replace("; ", ";\n"))
    implied_correlation vs Cboe COR1M on 2026-03-27: 0.400 vs 0.420 (-0.020);
    over 1 date shown: mean difference -0.020, mean absolute 0.020
    """
    lines = []
    for symbol in compared_symbols(table):
        name = symbol.lower()
        ours = COMPARED[index_of(symbol).kind]
        both = table.filter(pl.col(f"diff_{name}").is_not_null())
        if both.height == 0:
            lines.append(f"Cboe {symbol}: no date in common with ours among the dates shown")
            continue
        last = both.row(-1, named=True)
        diff = pl.col(f"diff_{name}")
        mean, mean_abs = both.select(diff.mean(), diff.abs().mean().alias("abs")).row(0)
        # dispersion in vol points, as the text table prints it; the others as decimals
        k, unit = (100.0, " pts") if ours == "dispersion" else (1.0, "")
        lines.append(
            f"{ours} vs Cboe {symbol} on {last[s.DATE]}: {k * last[ours]:.3f}{unit} vs "
            f"{k * last[f'cboe_{name}']:.3f}{unit} ({k * last[f'diff_{name}']:+.3f}); over "
            f"{both.height} date{'s' * (both.height != 1)} shown: mean difference "
            f"{k * mean:+.3f}, mean absolute {k * mean_abs:.3f}"
        )
    return lines


def compare_cells(row: Mapping[str, Any], symbols: Sequence[str]) -> list[str]:
    """Format one row's Cboe values and differences for the text table (dispersion in points).

    Examples
    --------
    >>> compare_cells({"cboe_cor1m": 0.42, "diff_cor1m": None}, ["COR1M"])
    ['  0.420', '   n/a ']
    """
    cells = []
    for sym in symbols:
        scale = 100 if index_of(sym).kind == "dispersion" else 1  # as the disp column
        for col in (f"cboe_{sym.lower()}", f"diff_{sym.lower()}"):
            cells.append("   n/a " if row[col] is None else f"{scale * row[col]:7.3f}")
    return cells
