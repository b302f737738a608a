"""Implied correlation per date with its percentile rank and dispersion, as a table and as text.

:func:`correlation_table` joins the correlation stages for one index
(:func:`~optionsflow.correlation.implied_correlation`, its trailing
:func:`~optionsflow.correlation.percentile_rank` and
:func:`~optionsflow.correlation.dispersion_index`);
:func:`render_correlation` writes that table as text, JSON or CSV.

Examples
--------
>>> import datetime as dt
>>> vols = pl.DataFrame({"date": [dt.date(2026, 11, 20)] * 3, "symbol": ["SPX", "A", "B"],
...                      "iv": [0.20, 0.25, 0.20]})
>>> weights = pl.DataFrame({"symbol": ["A", "B"], "weight": [0.5, 0.5]})
>>> table = correlation_table(vols, weights).collect()
>>> print(render_correlation(table, index="SPX").splitlines()[0])
SPX implied correlation on 2026-11-20: 0.575 (no percentile: 1 day of history in the past 1y)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.correlation import dispersion_index, implied_correlation, percentile_rank
from optionsflow.correlation.implied import (
    IMPLIED_CORRELATION,
    IN_RANGE,
    N_CONSTITUENTS,
    WEIGHT_COVERAGE,
    constituent_coverage,
)
from optionsflow.correlation.percentile import MIN_HISTORY, Window
from optionsflow.ingest.reference.tables import index_symbol
from optionsflow.report.cboe_compare import compare_cells, compare_lines, compared_symbols
from optionsflow.report.text import ordinal
from optionsflow.schema import IV, WINDOW_N

N_WEIGHTED = "n_weighted"
"""Names the weights give a positive weight on a date (``constituent_coverage``)."""

__all__ = [
    "Correlation",
    "correlation_facts",
    "correlation_gap",
    "correlation_gap_query",
    "correlation_query",
    "correlation_table",
    "index_and_names",
    "render_correlation",
]

Format = Literal["text", "json", "csv"]


def index_and_names(
    vols: pl.LazyFrame | pl.DataFrame,
    index: str,
    *,
    index_vol: pl.LazyFrame | pl.DataFrame | None = None,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Split vols into the index's ``date, iv`` and the other names' rows.

    The index's rows are those with a null symbol or the symbol ``index``
    (normalised: ``^spx`` is SPX), taken from ``index_vol`` when it is given.

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date(2026, 11, 20)
    >>> vols = pl.DataFrame({"date": [d, d], "symbol": ["SPX", "A"], "iv": [0.15, 0.3]})
    >>> idx, names = index_and_names(vols, "^spx")
    >>> idx.collect().rows(), names.collect()["symbol"].to_list()
    ([(datetime.date(2026, 11, 20), 0.15)], ['A'])
    """
    symbol = index_symbol(index)
    lf = vols.lazy()
    is_index = pl.col(s.SYMBOL).is_null() | (pl.col(s.SYMBOL) == symbol)
    own = lf if index_vol is None else index_vol.lazy()
    return own.filter(is_index).select(s.DATE, s.IV), lf.filter(pl.col(s.SYMBOL) != symbol)


def correlation_table(
    constituent_vols: pl.LazyFrame | pl.DataFrame,
    weights: pl.LazyFrame | pl.DataFrame,
    *,
    index_vol: pl.LazyFrame | pl.DataFrame | None = None,
    index: str = "SPX",
    top_n: int | None = None,
    min_coverage: float = 0.0,
    window: Window = "1y",
    min_history: int = MIN_HISTORY,
) -> pl.LazyFrame:
    """Implied correlation per date with its percentile rank, dispersion and coverage.

    Parameters
    ----------
    constituent_vols
        ``date, symbol, iv`` implied vols (e.g.
        :func:`~optionsflow.ingest.reference.tables.read_vol_table`); rows of
        ``index`` are the index's own vols when ``index_vol`` is not given, and
        are never a constituent.
    weights
        ``symbol, weight[, date]`` index weights.
    index_vol
        ``date[, symbol], iv`` vols of the index; rows whose symbol is null or
        ``index`` are used. Default: the ``index`` rows of ``constituent_vols``.
    index
        Symbol of the index (a Cboe ``^`` prefix is dropped).
    top_n
        Use only the heaviest ``top_n`` names of ``weights``.
    min_coverage
        Weight coverage below which ``coverage_ok`` is false.
    window
        Trailing window of the percentile rank (column ``percentile_<window>``).
    min_history
        Correlations the window must hold before a percentile is given (null,
        printed ``n/a``, before): :data:`~optionsflow.correlation.percentile.MIN_HISTORY`.

    Returns
    -------
    pl.LazyFrame
        The columns of :func:`~optionsflow.correlation.implied_correlation`, then
        ``percentile_<window>``, ``window_n``, ``dispersion``, ``proxy_correlation``,
        ``index_iv`` and ``weighted_iv`` (:func:`~optionsflow.correlation.dispersion_index`),
        then ``n_weighted`` and ``no_vol`` (the weighted names dropped that day
        for want of a valid vol, ``"; "``-joined; null when none)
        (:func:`~optionsflow.correlation.implied.constituent_coverage`), one row
        per date of the index vols.

    Examples
    --------
    Two equally weighted names at 25% and 20% against an index at 20%:

    >>> import datetime as dt
    >>> vols = pl.DataFrame({"date": [dt.date(2026, 11, 20)] * 3,
    ...                      "symbol": ["SPX", "A", "B"], "iv": [0.20, 0.25, 0.20]})
    >>> weights = pl.DataFrame({"symbol": ["A", "B"], "weight": [0.5, 0.5]})
    >>> row = correlation_table(vols, weights).collect().row(0, named=True)
    >>> round(row["implied_correlation"], 4), row["n_constituents"], row["percentile_1y"]
    (0.575, 2, None)
    >>> correlation_table(vols, weights, min_history=1).collect()["percentile_1y"].item()
    100.0
    """
    index_rows, names = index_and_names(constituent_vols, index, index_vol=index_vol)
    rho = implied_correlation(index_rows, names, weights, top_n=top_n, min_coverage=min_coverage)
    disp = dispersion_index(index_rows, names, weights, top_n=top_n, min_coverage=min_coverage)
    cover = constituent_coverage(names, weights, top_n=top_n).select(
        s.DATE,
        "n_weighted",
        pl.when(pl.col("no_vol").list.len() > 0)
        .then(pl.col("no_vol").list.join("; "))
        .alias("no_vol"),
    )
    ranked = percentile_rank(
        rho, value="implied_correlation", window=window, min_history=min_history
    )
    return ranked.join(
        disp.select(s.DATE, "dispersion", "proxy_correlation", "index_iv", "weighted_iv"),
        on=s.DATE,
        how="left",
        maintain_order="left",
    ).join(cover, on=s.DATE, how="left", maintain_order="left")


def _text(table: pl.DataFrame, index: str, window: str) -> str:
    pct = f"percentile_{window}"
    lines = []
    if table.height:
        last = table.row(-1, named=True)
        rho, rank = last["implied_correlation"], last[pct]
        if rho is not None:
            if rank is not None:
                where = f" ({ordinal(rank)} percentile of the past {window})"
            else:
                n = last.get(WINDOW_N) or 0
                where = f" (no percentile: {n} day{'s' * (n != 1)} of history in the past {window})"
            lines.append(f"{index} implied correlation on {last[s.DATE]}: {rho:.3f}{where}")
        if last.get("no_vol"):
            names = last["no_vol"].split("; ")
            shown = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
            lines.append(
                f"{len(names)} of {last['n_weighted']} weighted names had no valid vol "
                f"on {last[s.DATE]} and were left out: {shown}"
            )
    lines += compare_lines(table)
    compared = compared_symbols(table)
    header = f"{'date':<10}  {'rho':>7}  {'pct':>5}  {'disp':>7}  {'proxy':>7}  {'names':>5}  cover"
    header += "".join(f"  {sym:>7}  {'diff':>7}" for sym in compared)
    lines.append(header)
    for r in table.iter_rows(named=True):
        cells = [
            f"{r[s.DATE]!s:<10}",
            "   n/a " if r["implied_correlation"] is None else f"{r['implied_correlation']:7.3f}",
            "  n/a" if r[pct] is None else f"{r[pct]:5.1f}",
            "   n/a " if r["dispersion"] is None else f"{100 * r['dispersion']:7.2f}",
            "   n/a " if r["proxy_correlation"] is None else f"{r['proxy_correlation']:7.3f}",
            f"{r['n_constituents']:5d}",
            "  n/a" if r["weight_coverage"] is None else f"{r['weight_coverage']:5.1%}",
        ]
        cells += compare_cells(r, compared)
        lines.append("  ".join(cells))
    return "\n".join(lines) + "\n"


def render_correlation(
    table: pl.DataFrame, *, index: str = "SPX", window: Window = "1y", fmt: Format = "text"
) -> str:
    """Render a :func:`correlation_table` as text, JSON or CSV.

    Parameters
    ----------
    table
        The collected table.
    index
        Symbol of the index (a Cboe ``^`` prefix is dropped).
    window
        The table's percentile window.
    fmt
        ``text`` (the latest value in a sentence, then one line per date with
        dispersion in vol points), ``json`` (``{"index": ..., "rows": [...]}``,
        dates as ISO strings) or ``csv``.

    Returns
    -------
    str
        The document, newline-terminated.

    Examples
    --------
    >>> import datetime as dt
    >>> vols = pl.DataFrame({"date": [dt.date(2026, 11, 20)] * 3,
    ...                      "symbol": ["SPX", "A", "B"], "iv": [0.20, 0.25, 0.20]})
    >>> weights = pl.DataFrame({"symbol": ["A", "B"], "weight": [0.5, 0.5]})
    >>> table = correlation_table(vols, weights, min_history=1).collect()
    >>> print(render_correlation(table), end="")
    SPX implied correlation on 2026-11-20: 0.575 (100th percentile of the past 1y)
    date            rho    pct     disp    proxy  names  cover
    2026-11-20    0.575  100.0    10.31    0.790      2  100.0%
    >>> import json
    >>> json.loads(render_correlation(table, fmt="json"))["rows"][0]["date"]
    '2026-11-20'
    """
    symbol = index_symbol(index)
    if fmt == "csv":
        return table.write_csv()
    if fmt == "json":
        rows = table.with_columns(pl.col(s.DATE).cast(pl.String)).to_dicts()
        return json.dumps({"index": symbol, "rows": rows}, indent=2) + "\n"
    return _text(table, symbol, window)


@dataclasses.dataclass(frozen=True)
class Correlation:
    """Implied correlation on the last date with data, with its 1-year percentile, low and high."""

    date: dt.date
    value: float | None
    percentile_1y: float | None
    n_constituents: int
    weight_coverage: float | None
    in_range: bool | None
    low_1y: float | None = None
    high_1y: float | None = None
    history_days: int | None = None
    n_weighted: int | None = None


def correlation_query(
    index_vol: pl.LazyFrame,
    constituent_vols: pl.LazyFrame,
    weights: pl.LazyFrame,
    end: dt.date,
    min_history: int = MIN_HISTORY,
) -> pl.LazyFrame:
    """Implied correlation on its last date up to ``end``, with its 1-year percentile, low, high.

    The percentile needs ``min_history`` dates with a correlation in the
    trailing year (``window_n`` says how many there were); ``n_weighted`` is
    the count of names the weights give a positive weight that date.
    """
    rho = implied_correlation(index_vol, constituent_vols, weights).filter(pl.col(s.DATE) <= end)
    known = percentile_rank(
        rho, value=IMPLIED_CORRELATION, window="1y", min_history=min_history
    ).filter(pl.col(IMPLIED_CORRELATION).is_not_null())
    weighted = constituent_coverage(constituent_vols, weights).select(s.DATE, N_WEIGHTED)
    # the same trailing year as the percentile: dates in (last - 365 days, last]
    year = known.filter(pl.col(s.DATE) > pl.col(s.DATE).max() - dt.timedelta(days=365))
    low_high = year.select(
        pl.col(IMPLIED_CORRELATION).min().alias("low_1y"),
        pl.col(IMPLIED_CORRELATION).max().alias("high_1y"),
    )
    last = known.sort(s.DATE).tail(1).join(weighted, on=s.DATE, how="left")
    return last.join(low_high, how="cross")


def correlation_gap_query(
    vols: pl.LazyFrame, weights: pl.LazyFrame, index: str, end: dt.date
) -> pl.LazyFrame:
    """Count what an implied correlation of ``vols`` and ``weights`` needs, to say what is missing.

    One row: ``index_vols`` (dates with a valid vol of ``index`` up to
    ``end``), ``weighted`` (names with a positive finite weight), ``matched``
    (those names with a valid vol on some date up to ``end``), ``shared_dates``
    (dates with both the index's vol and a weighted name's) and ``most_names``
    (the most weighted names with a vol on one such date); a valid vol is
    positive and finite.
    """
    valid = pl.col(IV).is_finite() & (pl.col(IV) > 0) & (pl.col(s.DATE) <= end)
    names = weights.filter(pl.col(s.WEIGHT).is_finite() & (pl.col(s.WEIGHT) > 0)).select(
        pl.col(s.SYMBOL).unique()
    )
    named = vols.filter(valid & (pl.col(s.SYMBOL) != index)).join(names, on=s.SYMBOL)
    index_dates = vols.filter(valid & (pl.col(s.SYMBOL) == index)).select(s.DATE).unique()
    per_date = named.group_by(s.DATE).agg(pl.col(s.SYMBOL).n_unique().alias("names"))
    return pl.concat(
        [
            index_dates.select(pl.len().alias("index_vols")),
            names.select(pl.len().alias("weighted")),
            named.select(pl.col(s.SYMBOL).n_unique().alias("matched")),
            index_dates.join(per_date, on=s.DATE).select(
                pl.len().alias("shared_dates"),
                pl.col("names").max().fill_null(0).alias("most_names"),
            ),
        ],
        how="horizontal",
    )


def correlation_gap(counts: pl.DataFrame, index: str) -> str:
    """Say which input kept :func:`correlation_gap_query`'s implied correlation from existing.

    Examples
    --------
    >>> counts = pl.DataFrame({"index_vols": [3], "weighted": [0], "matched": [0],
    ...                        "shared_dates": [0], "most_names": [0]})
    >>> correlation_gap(counts, "SPX")
    'the weights give no name a positive weight'
    """
    r = counts.row(0, named=True)
    if r["index_vols"] == 0:
        return f"the vols hold no valid vol of the index {index!r}"
    if r["weighted"] == 0:
        return "the weights give no name a positive weight"
    if r["matched"] == 0:
        return "no weighted name has a valid vol in the vols"
    if r["shared_dates"] == 0:
        return "the index and constituent vols share no date"
    if r["most_names"] < 2:  # a pair is the least a correlation needs
        return "at most one weighted name has a vol on any date: a correlation needs two"
    return "the dated weights weigh no name on the vols' dates"


def correlation_facts(frame: pl.DataFrame) -> Correlation | None:
    """Turn :func:`correlation_query`'s row into a :class:`Correlation`.

    Parameters
    ----------
    frame
        One row, or none when no date had an implied correlation.

    Returns
    -------
    Correlation or None
        The latest implied correlation and where it sits in its year.

    Examples
    --------
    >>> correlation_facts(pl.DataFrame()) is None
    True
    """
    if frame.height == 0:
        return None
    r = frame.row(0, named=True)
    return Correlation(
        date=r[s.DATE],
        value=r[IMPLIED_CORRELATION],
        percentile_1y=r["percentile_1y"],
        n_constituents=int(r[N_CONSTITUENTS]),
        weight_coverage=r[WEIGHT_COVERAGE],
        in_range=r[IN_RANGE],
        low_1y=r["low_1y"],
        high_1y=r["high_1y"],
        history_days=r[WINDOW_N],
        n_weighted=r[N_WEIGHTED],
    )
