"""Cboe-style dispersion index and the proxy implied correlation.

With index vol ``sI``, constituent vols ``s_i`` and weights ``w_i`` renormalised to
sum to 1 over the constituents used (all at one constant maturity, e.g. 30 days):

* weighted constituent vol ``sW = sum_i w_i s_i`` (Cboe's VIXEQ is this for the S&P 500);
* dispersion ``D = sqrt(sW**2 - sI**2)``, the definition of the Cboe S&P 500
  Dispersion Index (DSPX, in vol points ``100 D``); undefined (null) when
  ``sI > sW``, which is flagged, not clipped;
* proxy implied correlation ``rho ~ (sI / sW)**2``, the exact Cboe implied
  correlation (:func:`~optionsflow.correlation.implied_correlation`) when the
  ``sum w_i**2 s_i**2`` terms are negligible (many names); ``rho = 1`` exactly
  when ``sI = sW``.

The constituents used on a date follow :func:`~optionsflow.correlation.implied_correlation`
exactly: valid positive weights, the ``top_n`` heaviest (per date when dated, ties
by ascending symbol), and a non-null, finite, positive vol that day; so
``n_constituents`` and ``weight_coverage`` agree between the two.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> d = dt.date(2026, 1, 5)
>>> index_vol = pl.DataFrame({"date": [d], "iv": [0.16]})
>>> vols = pl.DataFrame({"date": [d, d], "symbol": ["A", "B"], "iv": [0.3, 0.1]})
>>> weights = pl.DataFrame({"symbol": ["A", "B"], "weight": [1.0, 1.0]})
>>> out = dispersion_index(index_vol, vols, weights).collect()
>>> [round(v, 12) for v in out.select("weighted_iv", "dispersion", "proxy_correlation").row(0)]
[0.2, 0.12, 0.64]
"""

from __future__ import annotations

import polars as pl

from optionsflow.correlation.implied import (
    COVERAGE_OK,
    INDEX_IV,
    N_CONSTITUENTS,
    WEIGHT_COVERAGE,
    WEIGHTED_IV,
    index_aggregates,
)
from optionsflow.schema import DATE, DISPERSION, DISPERSION_DEFINED, PROXY_CORRELATION

__all__ = [
    "DISPERSION",
    "DISPERSION_DEFINED",
    "INDEX_IV",
    "PROXY_CORRELATION",
    "WEIGHTED_IV",
    "dispersion_expr",
    "dispersion_index",
    "proxy_correlation_expr",
]


def dispersion_expr(weighted_iv: str | pl.Expr, index_iv: str | pl.Expr) -> pl.Expr:
    """``sqrt(weighted_iv**2 - index_iv**2)``, null where the radicand is negative.

    Examples
    --------
    >>> import polars as pl
    >>> pl.select(dispersion_expr(pl.lit(0.25), pl.lit(0.15))).item()
    0.2
    """
    w = pl.col(weighted_iv) if isinstance(weighted_iv, str) else weighted_iv
    i = pl.col(index_iv) if isinstance(index_iv, str) else index_iv
    radicand = w * w - i * i
    return pl.when(radicand >= 0).then(radicand.sqrt()).otherwise(None)


def proxy_correlation_expr(weighted_iv: str | pl.Expr, index_iv: str | pl.Expr) -> pl.Expr:
    """``(index_iv / weighted_iv)**2``, null where ``weighted_iv`` is not positive."""
    w = pl.col(weighted_iv) if isinstance(weighted_iv, str) else weighted_iv
    i = pl.col(index_iv) if isinstance(index_iv, str) else index_iv
    return pl.when(w > 0).then((i / w) ** 2).otherwise(None)


def dispersion_index(
    index_vol: pl.LazyFrame | pl.DataFrame,
    constituent_vols: pl.LazyFrame | pl.DataFrame,
    weights: pl.LazyFrame | pl.DataFrame,
    *,
    top_n: int | None = None,
    min_coverage: float = 0.0,
) -> pl.LazyFrame:
    """Dispersion index and proxy correlation per date (formulas in the module docstring).

    Parameters
    ----------
    index_vol, constituent_vols, weights, top_n, min_coverage
        As for :func:`optionsflow.correlation.implied_correlation`.

    Returns
    -------
    pl.LazyFrame
        One row per row of ``index_vol``, sorted by date: ``date``, ``index_iv``,
        ``weighted_iv``, ``dispersion``, ``proxy_correlation``,
        ``dispersion_defined``, ``n_constituents`` (UInt32), ``weight_coverage``
        and ``coverage_ok``. Values are null when the index vol is invalid or no
        constituent is used.

    Raises
    ------
    SchemaError
        When an input lacks a column or has one of the wrong dtype.
    ConfigError
        When ``top_n < 1`` or ``min_coverage`` is outside [0, 1].

    Examples
    --------
    Two equally weighted names at 30% and 10% vol (``sW`` = 20%): an index at
    16% gives ``D = sqrt(0.2**2 - 0.16**2) = 0.12``; an index at 25%, above
    ``sW``, leaves the dispersion undefined (flagged, not clipped):

    >>> import datetime as dt
    >>> d1, d2 = dt.date(2026, 1, 5), dt.date(2026, 1, 6)
    >>> index_vol = pl.DataFrame({"date": [d1, d2], "iv": [0.16, 0.25]})
    >>> vols = pl.DataFrame({"date": [d1, d1, d2, d2], "symbol": list("ABAB"),
    ...                      "iv": [0.3, 0.1, 0.3, 0.1]})
    >>> weights = pl.DataFrame({"symbol": ["A", "B"], "weight": [1.0, 1.0]})
    >>> out = dispersion_index(index_vol, vols, weights).collect()
    >>> out.select(pl.col("dispersion", "proxy_correlation").round(4), "dispersion_defined").rows()
    [(0.12, 0.64, True), (None, 1.5625, False)]
    """
    aggregates = index_aggregates(
        index_vol, constituent_vols, weights, top_n=top_n, min_coverage=min_coverage
    )
    valid = pl.col(INDEX_IV).is_not_null() & pl.col(WEIGHTED_IV).is_not_null()
    return aggregates.with_columns(
        pl.when(valid).then(dispersion_expr(WEIGHTED_IV, INDEX_IV)).alias(DISPERSION),
        pl.when(valid).then(proxy_correlation_expr(WEIGHTED_IV, INDEX_IV)).alias(PROXY_CORRELATION),
        pl.when(valid).then(pl.col(WEIGHTED_IV) >= pl.col(INDEX_IV)).alias(DISPERSION_DEFINED),
    ).select(
        DATE,
        INDEX_IV,
        WEIGHTED_IV,
        DISPERSION,
        PROXY_CORRELATION,
        DISPERSION_DEFINED,
        N_CONSTITUENTS,
        WEIGHT_COVERAGE,
        COVERAGE_OK,
    )
