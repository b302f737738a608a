"""Cboe-style implied correlation of an index from its constituents' implied vols.

Definition (DESIGN.md section 6): with index vol ``sI``, constituent vols ``s_i``
and weights ``w_i`` summing to 1 (all at one constant maturity, e.g. 30 days)::

    rho = (sI**2 - sum_i w_i**2 s_i**2) / (2 sum_{i<j} w_i w_j s_i s_j)
        = (sI**2 - sum_i w_i**2 s_i**2) / ((sum_i w_i s_i)**2 - sum_i w_i**2 s_i**2)

the second form being the O(n) one computed here.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> d = dt.date(2026, 1, 5)
>>> index_vol = pl.DataFrame({"date": [d], "iv": [0.2]})
>>> vols = pl.DataFrame({"date": [d, d], "symbol": ["A", "B"], "iv": [0.2, 0.2]})
>>> weights = pl.DataFrame({"symbol": ["A", "B"], "weight": [0.5, 0.5]})
>>> out = implied_correlation(index_vol, vols, weights).collect()
>>> out.select("implied_correlation", "n_constituents", "in_range").row(0)
(1.0, 2, True)
"""

from __future__ import annotations

import polars as pl

from optionsflow.correlation.snapshots import SNAPSHOT, snapshot_in_force, valid_positive
from optionsflow.errors import ConfigError, ValidationError
from optionsflow.schema import (
    COVERAGE_OK,
    DATE,
    IMPLIED_CORRELATION,
    IN_RANGE,
    INDEX_IV,
    IV,
    N_CONSTITUENTS,
    SUM_W2_IV2,
    SYMBOL,
    WEIGHT,
    WEIGHT_COVERAGE,
    WEIGHTED_IV,
    validate_columns,
)

__all__ = [
    "COVERAGE_OK",
    "IMPLIED_CORRELATION",
    "INDEX_IV",
    "IN_RANGE",
    "IV",
    "N_CONSTITUENTS",
    "SUM_W2_IV2",
    "SYMBOL",
    "WEIGHT",
    "WEIGHTED_IV",
    "WEIGHT_COVERAGE",
    "constituent_coverage",
    "implied_correlation",
    "index_aggregates",
    "require_matching_weights",
]

_INDEX_SCHEMA: dict[str, pl.DataType] = {DATE: pl.Date(), IV: pl.Float64()}
_VOLS_SCHEMA: dict[str, pl.DataType] = {DATE: pl.Date(), SYMBOL: pl.String(), IV: pl.Float64()}
_WEIGHTS_SCHEMA: dict[str, pl.DataType] = {SYMBOL: pl.String(), WEIGHT: pl.Float64()}


# private intermediate names (prefixed so they cannot clash with user columns)
_USED_W = "__of_used_weight"
_TOTAL_W = "__of_total_weight"
_HAS_VOL = "__of_has_vol"


def implied_correlation(
    index_vol: pl.LazyFrame | pl.DataFrame,
    constituent_vols: pl.LazyFrame | pl.DataFrame,
    weights: pl.LazyFrame | pl.DataFrame,
    *,
    top_n: int | None = None,
    min_coverage: float = 0.0,
) -> pl.LazyFrame:
    """Implied correlation per date, Cboe formula, with coverage diagnostics.

    For each date, with the weights ``w_i`` renormalised to sum to 1 over
    the constituents used that day,

    ``rho = (sI**2 - sum(w_i**2 s_i**2)) / ((sum(w_i s_i))**2 - sum(w_i**2 s_i**2))``

    which equals ``(sI**2 - sum(w_i**2 s_i**2)) / (2 sum_{i<j} w_i w_j s_i s_j)``
    (DESIGN.md section 6). All vols must be at one constant maturity.

    Parameters
    ----------
    index_vol
        Columns ``date`` (Date) and ``iv`` (Float64): the index's implied vol.
        One row per date.
    constituent_vols
        Columns ``date`` (Date), ``symbol`` (String), ``iv`` (Float64). At most
        one row per (date, symbol). Symbols absent from ``weights`` are ignored.
    weights
        Columns ``symbol`` (String), ``weight`` (Float64), and optionally ``date``
        (Date). Without ``date`` the weights are static and apply to every date;
        with it they are snapshots that apply as of their date: each date uses
        the latest snapshot dated on or before it, and dates before the first
        snapshot have none (:mod:`~optionsflow.correlation.snapshots`). Rows
        whose weight is null, non-finite or not positive are dropped. At most
        one row per symbol (per snapshot).
    top_n
        Keep only the ``top_n`` heaviest names of ``weights`` (per snapshot
        when dated; ties broken by ascending symbol) before anything else.
    min_coverage
        Threshold in [0, 1] for ``coverage_ok``.

    Returns
    -------
    pl.LazyFrame
        One row per row of ``index_vol``, sorted by date, with columns

        - ``date``;
        - ``implied_correlation`` (Float64): ``rho`` above; null when the index
          iv is missing (null, non-finite or not positive), when no constituent
          is used, or when the denominator is 0 (a single constituent);
        - ``n_constituents`` (UInt32): constituents used: in ``weights`` (after
          ``top_n``) with a non-null, finite, positive ``iv`` that date;
        - ``weight_coverage`` (Float64, in [0, 1]): raw weight of the used names
          divided by the raw weight of all names in ``weights`` (after
          ``top_n``) in force that date; null when no weights are in force;
        - ``in_range`` (Boolean): ``-1 <= rho <= 1``; null when ``rho`` is null.
          An out-of-range ``rho`` is flagged here, never clipped;
        - ``coverage_ok`` (Boolean): ``weight_coverage >= min_coverage``
          (false when ``weight_coverage`` is null).

    Raises
    ------
    SchemaError
        When an input lacks a column or has one of the wrong dtype (``column``
        names it).
    ConfigError
        When ``top_n < 1`` or ``min_coverage`` is outside [0, 1].

    Examples
    --------
    One of three names has no vol: the other two are renormalised to 0.5 each.

    >>> import datetime as dt
    >>> import polars as pl
    >>> d = dt.date(2026, 1, 5)
    >>> index_vol = pl.DataFrame({"date": [d], "iv": [0.25]})
    >>> vols = pl.DataFrame({"date": [d, d], "symbol": ["A", "B"], "iv": [0.3, 0.2]})
    >>> weights = pl.DataFrame({"symbol": ["A", "B", "C"], "weight": [0.4, 0.4, 0.2]})
    >>> out = implied_correlation(index_vol, vols, weights, min_coverage=0.9).collect()
    >>> round(out["implied_correlation"][0], 6)  # (0.0625-0.0325)/(0.0625-0.0325)
    1.0
    >>> out.select("n_constituents", "weight_coverage", "coverage_ok").row(0)
    (2, 0.8, False)
    """
    aggregates = index_aggregates(
        index_vol, constituent_vols, weights, top_n=top_n, min_coverage=min_coverage
    )
    sigma_idx, s1, s2 = pl.col(INDEX_IV), pl.col(WEIGHTED_IV), pl.col(SUM_W2_IV2)
    denom = s1 * s1 - s2
    rho = pl.when(sigma_idx.is_not_null() & (pl.col(N_CONSTITUENTS) > 0) & (denom != 0)).then(
        (sigma_idx * sigma_idx - s2) / denom
    )
    rho_col = pl.col(IMPLIED_CORRELATION)
    return (
        aggregates.with_columns(rho.alias(IMPLIED_CORRELATION))
        .with_columns(((rho_col >= -1.0) & (rho_col <= 1.0)).alias(IN_RANGE))
        .select(DATE, IMPLIED_CORRELATION, N_CONSTITUENTS, WEIGHT_COVERAGE, IN_RANGE, COVERAGE_OK)
    )


def _selected_weights(weights: pl.LazyFrame, *, dated: bool, top_n: int | None) -> pl.LazyFrame:
    """Keep the valid weights, then the ``top_n`` heaviest (per ``SNAPSHOT`` when dated)."""
    w = weights.select(*([pl.col(DATE).alias(SNAPSHOT)] if dated else []), SYMBOL, WEIGHT)
    w = w.filter(valid_positive(pl.col(WEIGHT)))
    if top_n is not None:
        w = w.sort([WEIGHT, SYMBOL], descending=[True, False], nulls_last=True)
        position = pl.int_range(pl.len())
        w = w.filter((position.over(SNAPSHOT) if dated else position) < top_n)
    return w


def constituent_coverage(
    constituent_vols: pl.LazyFrame | pl.DataFrame,
    weights: pl.LazyFrame | pl.DataFrame,
    *,
    top_n: int | None = None,
) -> pl.LazyFrame:
    """Which weighted names each date's correlation used, and which it dropped and why.

    The names are selected as in :func:`implied_correlation` (valid weights,
    ``top_n``, the snapshot in force when dated); a weighted name is dropped on
    a date when it has no vol that date, or only a null, non-finite or
    non-positive one. Vols of names with no weight are counted, not used.

    Parameters
    ----------
    constituent_vols
        ``date, symbol, iv`` implied vols.
    weights
        ``symbol, weight[, date]`` index weights.
    top_n
        Keep only the ``top_n`` heaviest names of ``weights``.

    Returns
    -------
    pl.LazyFrame
        One row per date of ``constituent_vols``, sorted: ``date``,
        ``n_weighted`` (weighted names that date), ``n_used``, ``no_vol``
        (sorted list of the weighted names dropped for want of a valid vol) and
        ``n_unweighted`` (names with a valid vol but no weight).

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date(2026, 1, 5)
    >>> vols = pl.DataFrame({"date": [d] * 3, "symbol": ["A", "B", "X"],
    ...                      "iv": [0.3, float("nan"), 0.2]})
    >>> weights = pl.DataFrame({"symbol": ["A", "B", "C"], "weight": [0.4, 0.4, 0.2]})
    >>> constituent_coverage(vols, weights).collect().row(0)
    (datetime.date(2026, 1, 5), 3, 1, ['B', 'C'], 1)
    """
    if top_n is not None and top_n < 1:
        raise ConfigError(f"top_n must be >= 1, got {top_n}", column="top_n")
    vols_lf, weights_lf = constituent_vols.lazy(), weights.lazy()
    validate_columns(
        vols_lf.collect_schema(), _VOLS_SCHEMA, source="constituent_vols", what="required"
    )
    weights_schema = weights_lf.collect_schema()
    validate_columns(weights_schema, _WEIGHTS_SCHEMA, source="weights", what="required")
    dated = DATE in weights_schema
    w = _selected_weights(weights_lf, dated=dated, top_n=top_n)
    dates = vols_lf.select(DATE).unique()
    if dated:  # each date's names: those of the snapshot in force
        in_force = snapshot_in_force(vols_lf, weights_lf)
        expected = in_force.join(w, on=SNAPSHOT).select(DATE, SYMBOL)
    else:
        expected = dates.join(w.select(SYMBOL), how="cross")
    ok = valid_positive(pl.col(IV))
    valid = vols_lf.filter(ok).select(DATE, SYMBOL, pl.lit(True).alias(_HAS_VOL)).unique()
    has = pl.col(_HAS_VOL).fill_null(False)
    per_date = (
        expected.join(valid, on=[DATE, SYMBOL], how="left")
        .group_by(DATE)
        .agg(
            pl.len().cast(pl.UInt32).alias("n_weighted"),
            has.sum().cast(pl.UInt32).alias("n_used"),
            pl.col(SYMBOL).filter(~has).sort().alias("no_vol"),
        )
    )
    # names with a valid vol are used or unweighted: count them, not join them
    n_valid = valid.group_by(DATE).agg(pl.len().cast(pl.UInt32).alias(_HAS_VOL))
    return (
        dates.join(per_date, on=DATE, how="left")
        .join(n_valid, on=DATE, how="left")
        .with_columns(pl.col("n_weighted", "n_used", _HAS_VOL).fill_null(0))
        .with_columns(
            (pl.col(_HAS_VOL) - pl.col("n_used")).alias("n_unweighted"),
            pl.col("no_vol").fill_null([]),
        )
        .select(DATE, "n_weighted", "n_used", "no_vol", "n_unweighted")
        .sort(DATE)
    )


def require_matching_weights(
    constituent_vols: pl.LazyFrame | pl.DataFrame,
    weights: pl.LazyFrame | pl.DataFrame,
    *,
    source: str | None = None,
) -> None:
    """Refuse vols none of whose symbols has a weight (a wrong file, or symbols spelt otherwise).

    Reads only the two symbol columns' distinct values.

    Raises
    ------
    ValidationError
        Naming ``source`` and a few symbols of each side.

    Examples
    --------
    >>> vols = pl.DataFrame({"symbol": ["aapl", "msft"]})
    >>> weights = pl.DataFrame({"symbol": ["AAPL", "MSFT"]})
    >>> try:
    ...     require_matching_weights(vols, weights, source="iv.csv")
    ... except ValidationError as err:
    ...     print(err.reason)
    no symbol of the vols has a weight (vols: 'aapl', 'msft'; weights: 'AAPL', 'MSFT')
    """
    vol_names, weight_names = pl.collect_all(
        [
            constituent_vols.lazy().select(pl.col(SYMBOL).drop_nulls().unique().sort()),
            weights.lazy().select(pl.col(SYMBOL).drop_nulls().unique().sort()),
        ]
    )
    have, want = vol_names[SYMBOL], weight_names[SYMBOL]
    if want.len() == 0 or have.is_in(want.implode()).any():
        return

    def few(names: pl.Series) -> str:
        shown = ", ".join(f"'{n}'" for n in names.head(3))
        return shown + (", ..." if names.len() > 3 else "") if shown else "none"

    raise ValidationError(
        f"no symbol of the vols has a weight (vols: {few(have)}; weights: {few(want)})",
        source=source,
        column=SYMBOL,
    )


def index_aggregates(
    index_vol: pl.LazyFrame | pl.DataFrame,
    constituent_vols: pl.LazyFrame | pl.DataFrame,
    weights: pl.LazyFrame | pl.DataFrame,
    *,
    top_n: int | None = None,
    min_coverage: float = 0.0,
) -> pl.LazyFrame:
    """Per-date sums over the constituents used, shared by correlation and dispersion.

    Inputs and the selection of constituents are as for
    :func:`implied_correlation`. With weights ``w_i`` renormalised over the
    names used that day: ``weighted_iv = sum(w_i s_i)`` and
    ``sum_w2_iv2 = sum(w_i**2 s_i**2)``.

    Returns
    -------
    pl.LazyFrame
        One row per row of ``index_vol``, sorted by date: ``date``,
        ``index_iv`` (null unless positive and finite), ``weighted_iv``,
        ``sum_w2_iv2`` (null with no constituent or invalid index vol),
        ``n_constituents``, ``weight_coverage`` and ``coverage_ok``.
    """
    if top_n is not None and top_n < 1:
        raise ConfigError(f"top_n must be >= 1, got {top_n}", column="top_n")
    if not 0.0 <= min_coverage <= 1.0:
        raise ConfigError(
            f"min_coverage must be in [0, 1], got {min_coverage}", column="min_coverage"
        )
    index_lf, vols_lf, weights_lf = index_vol.lazy(), constituent_vols.lazy(), weights.lazy()
    validate_columns(index_lf.collect_schema(), _INDEX_SCHEMA, source="index_vol", what="required")
    validate_columns(
        vols_lf.collect_schema(), _VOLS_SCHEMA, source="constituent_vols", what="required"
    )
    weights_schema = weights_lf.collect_schema()
    validate_columns(weights_schema, _WEIGHTS_SCHEMA, source="weights", what="required")
    dated = DATE in weights_schema
    if dated:
        validate_columns(weights_schema, {DATE: pl.Date()}, source="weights", what="required")

    w = _selected_weights(weights_lf, dated=dated, top_n=top_n)
    total = pl.col(WEIGHT).sum().alias(_TOTAL_W)
    totals = w.group_by(SNAPSHOT).agg(total) if dated else w.select(total)

    # Constituents used: a valid vol that date and a weight (in the snapshot in force).
    used = vols_lf.select(DATE, SYMBOL, IV).filter(valid_positive(pl.col(IV)))
    if dated:
        in_force = snapshot_in_force(index_lf, weights_lf)
        used = used.join(in_force, on=DATE).join(w, on=[SNAPSHOT, SYMBOL])
    else:
        used = used.join(w, on=SYMBOL)
    a = pl.col(WEIGHT) / pl.col(WEIGHT).sum().over(DATE) * pl.col(IV)  # renormalised w_i s_i
    per_date = used.group_by(DATE).agg(
        a.sum().alias(WEIGHTED_IV),
        (a * a).sum().alias(SUM_W2_IV2),
        pl.col(WEIGHT).sum().alias(_USED_W),
        pl.len().cast(pl.UInt32).alias(N_CONSTITUENTS),
    )
    idx = pl.col(IV)
    out = index_lf.select(DATE, pl.when(valid_positive(idx)).then(idx).alias(INDEX_IV)).join(
        per_date, on=DATE, how="left", maintain_order="left"
    )
    out = (
        out.join(in_force, on=DATE, how="left", maintain_order="left").join(
            totals, on=SNAPSHOT, how="left", maintain_order="left"
        )
        if dated
        else out.join(totals, how="cross", maintain_order="left")
    )
    total_w = pl.col(_TOTAL_W)
    coverage = pl.when(total_w > 0).then((pl.col(_USED_W).fill_null(0.0) / total_w).clip(0.0, 1.0))
    known = pl.col(INDEX_IV).is_not_null()
    return (
        out.with_columns(
            pl.when(known).then(pl.col(WEIGHTED_IV)).alias(WEIGHTED_IV),
            pl.when(known).then(pl.col(SUM_W2_IV2)).alias(SUM_W2_IV2),
            pl.col(N_CONSTITUENTS).fill_null(0),
            coverage.alias(WEIGHT_COVERAGE),
        )
        .with_columns((pl.col(WEIGHT_COVERAGE) >= min_coverage).fill_null(False).alias(COVERAGE_OK))
        .select(
            DATE, INDEX_IV, WEIGHTED_IV, SUM_W2_IV2, N_CONSTITUENTS, WEIGHT_COVERAGE, COVERAGE_OK
        )
        .sort(DATE, maintain_order=True)
    )
