"""Polars expressions over the NumPy kernels: prices, greeks and implied vols.

Each builder takes column names, expressions or scalars and returns an elementwise
``pl.Expr`` (``map_batches(..., is_elementwise=True)``), so it runs lazily, in
streaming batches, and gives exactly the NumPy functions' numbers. A null input
gives a null output (for implied vols: status ``invalid_input``).

Examples
--------
>>> import polars as pl
>>> df = pl.DataFrame({"S": [42.0, 42.0], "K": [40.0, 40.0], "right": ["C", "P"]})
>>> out = df.with_columns(
...     bsm_price_expr("S", "K", 0.5, 0.2, rate=0.1, is_call=pl.col("right") == "C")
...     .alias("price")
... ).with_columns(
...     implied_vol_expr("price", "S", "K", 0.5, rate=0.1, is_call=pl.col("right") == "C")
...     .alias("iv")
... )
>>> out["price"].round(6).to_list(), out["iv"].round(12).to_list()
([4.759422, 0.808599], [0.2, 0.2])
>>> with_implied_vol(out.lazy(), price="price", spot="S", strike="K", tau=0.5, rate=0.1,
...                  is_call=pl.col("right") == "C").collect()["iv_status"].to_list()
['ok', 'ok']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import polars as pl
from numpy.typing import NDArray

from optionsflow.errors import ConfigError
from optionsflow.schema import IV, IV_STATUS
from optionsflow.volatility.black import bsm_greeks, bsm_price
from optionsflow.volatility.iv import IVStatus, solve_implied_vol
from optionsflow.volatility.rights import call_series

__all__ = [
    "IV",
    "IV_STATUS",
    "IV_STATUS_DTYPE",
    "black76_price_expr",
    "bsm_greek_expr",
    "bsm_price_expr",
    "implied_vol_expr",
    "implied_vol_status_expr",
    "with_implied_vol",
]

IV_STATUS_DTYPE = pl.Enum([s.label for s in IVStatus])
_STATUS_VALUES = pl.Series(IV_STATUS, [s.label for s in IVStatus], dtype=IV_STATUS_DTYPE)

Operand = str | pl.Expr | float | bool
"""A column name, an expression or a scalar."""
Greek = Literal["delta", "gamma", "vega", "theta"]
Model = Literal["bsm", "black76"]


def _expr(value: Operand) -> pl.Expr:
    if isinstance(value, pl.Expr):
        return value
    if isinstance(value, str):
        return pl.col(value)
    return pl.lit(value)


def _call(value: Operand) -> pl.Expr:
    """Make the ``is_call`` operand: ``"C"`` / ``"P"`` are rights, other strings columns."""
    if isinstance(value, str) and value in ("C", "P"):
        return pl.lit(value == "C")
    return _expr(value)


def input_arrays(
    series: Sequence[pl.Series],
) -> tuple[list[NDArray[np.float64]], NDArray[np.bool_], NDArray[np.bool_]]:
    """Split the inputs: floats, then the last (``is_call``) as booleans, and a null mask.

    Raises
    ------
    RightError
        When ``is_call`` holds something other than booleans or ``"C"`` / ``"P"``.
    """
    n = max(len(s) for s in series)
    null = np.zeros(n, dtype=bool)
    arrays: list[NDArray[np.float64]] = []
    for s in series[:-1]:
        if s.null_count():
            null |= np.broadcast_to(s.is_null().to_numpy(), (n,))
        filled = s.cast(pl.Float64).fill_null(np.nan)
        arrays.append(filled.to_numpy().astype(np.float64, copy=False))
    flags, call_null = call_series(series[-1])
    null |= np.broadcast_to(call_null, (n,))
    return arrays, np.broadcast_to(flags, (n,)), null


def status_series(codes: NDArray[np.int8]) -> pl.Series:
    """``iv_status`` (Enum :data:`IV_STATUS_DTYPE`) of :class:`IVStatus` codes.

    A gather from the five labels: no per-row Python strings are made.

    Examples
    --------
    >>> import numpy as np
    >>> status_series(np.array([0, 4, 1], dtype=np.int8)).to_list()
    ['ok', 'invalid_input', 'below_intrinsic']
    """
    return _STATUS_VALUES.gather(pl.Series(codes, dtype=pl.UInt32))


def _batch(
    operands: Sequence[Operand], kernel: Callable[..., NDArray[np.float64]], name: str
) -> pl.Expr:
    def run(series: Sequence[pl.Series]) -> pl.Series:
        (s, k, t, v, r, q), flag, null = input_arrays(series)
        out = np.asarray(kernel(s, k, t, v, rate=r, dividend=q, is_call=flag), dtype=np.float64)
        out = np.broadcast_to(out, null.shape)
        return pl.Series(name, np.where(null | ~np.isfinite(out), np.nan, out)).fill_nan(None)

    return pl.map_batches(
        [*[_expr(o) for o in operands[:-1]], _call(operands[-1])], run, return_dtype=pl.Float64,
        is_elementwise=True,
    )  # fmt: skip


def bsm_price_expr(
    spot: Operand,
    strike: Operand,
    tau: Operand,
    sigma: Operand,
    *,
    rate: Operand = 0.0,
    dividend: Operand = 0.0,
    is_call: Operand = True,
) -> pl.Expr:
    """Black-Scholes-Merton price (:func:`optionsflow.volatility.black.bsm_price`)."""
    return _batch((spot, strike, tau, sigma, rate, dividend, is_call), bsm_price, "price")


def black76_price_expr(
    forward: Operand,
    strike: Operand,
    tau: Operand,
    sigma: Operand,
    *,
    rate: Operand = 0.0,
    is_call: Operand = True,
) -> pl.Expr:
    """Black-76 price (BSM with ``spot = forward`` and ``dividend = rate``)."""
    return bsm_price_expr(forward, strike, tau, sigma, rate=rate, dividend=rate, is_call=is_call)


def bsm_greek_expr(
    greek: Greek,
    spot: Operand,
    strike: Operand,
    tau: Operand,
    sigma: Operand,
    *,
    rate: Operand = 0.0,
    dividend: Operand = 0.0,
    is_call: Operand = True,
) -> pl.Expr:
    """One Black-Scholes-Merton greek (:func:`optionsflow.volatility.black.bsm_greeks`).

    Examples
    --------
    >>> import polars as pl
    >>> pl.select(bsm_greek_expr("delta", 100.0, 100.0, 1.0, 0.2)).item() > 0.5
    True
    """
    if greek not in ("delta", "gamma", "vega", "theta"):
        raise ConfigError(f"unknown greek {greek!r}", column="greek")

    def kernel(
        s: NDArray[np.float64],
        k: NDArray[np.float64],
        t: NDArray[np.float64],
        v: NDArray[np.float64],
        **options: NDArray[np.float64] | NDArray[np.bool_],
    ) -> NDArray[np.float64]:
        return getattr(bsm_greeks(s, k, t, v, **options), greek)  # type: ignore[no-any-return]

    return _batch((spot, strike, tau, sigma, rate, dividend, is_call), kernel, greek)


def _solve_series(series: Sequence[pl.Series]) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
    (p, s, k, t, r, q), flag, null = input_arrays(series)
    res = solve_implied_vol(np.where(null, np.nan, p), s, k, t, rate=r, dividend=q, is_call=flag)
    n = null.shape[0]
    return np.broadcast_to(res.vol, (n,)), np.broadcast_to(res.status, (n,))


def implied_vol_expr(
    price: Operand,
    spot: Operand,
    strike: Operand,
    tau: Operand,
    *,
    rate: Operand = 0.0,
    dividend: Operand = 0.0,
    is_call: Operand = True,
) -> pl.Expr:
    """Implied vol (:func:`optionsflow.volatility.iv.implied_vol`), null where none exists.

    For Black-76 pass the forward as ``spot`` and ``dividend = rate``.
    """

    def run(series: Sequence[pl.Series]) -> pl.Series:
        vol, _ = _solve_series(series)
        return pl.Series(IV, vol).fill_nan(None)

    operands = [_expr(o) for o in (price, spot, strike, tau, rate, dividend)]
    return pl.map_batches(
        [*operands, _call(is_call)], run, return_dtype=pl.Float64, is_elementwise=True
    )


def implied_vol_status_expr(
    price: Operand,
    spot: Operand,
    strike: Operand,
    tau: Operand,
    *,
    rate: Operand = 0.0,
    dividend: Operand = 0.0,
    is_call: Operand = True,
) -> pl.Expr:
    """Status label (Enum :data:`IV_STATUS_DTYPE`) of :func:`implied_vol_expr`."""

    def run(series: Sequence[pl.Series]) -> pl.Series:
        _, status = _solve_series(series)
        return status_series(status)

    operands = [_expr(o) for o in (price, spot, strike, tau, rate, dividend)]
    return pl.map_batches(
        [*operands, _call(is_call)], run, return_dtype=IV_STATUS_DTYPE, is_elementwise=True
    )


def with_implied_vol(
    frame: pl.LazyFrame | pl.DataFrame,
    *,
    price: Operand = "price",
    spot: Operand = "underlying_price",
    strike: Operand = "strike",
    tau: Operand = "tau",
    rate: Operand = 0.0,
    dividend: Operand = 0.0,
    is_call: Operand | None = None,
    model: Model = "bsm",
) -> pl.LazyFrame:
    """Add ``iv`` (Float64, null unless ok) and ``iv_status`` (Enum) in one solve.

    Parameters
    ----------
    frame
        Options, one per row.
    price, spot, strike, tau, rate, dividend
        Column names, expressions or scalars. With ``model="black76"``, ``spot``
        is the forward and ``dividend`` is ignored (set to ``rate``).
    is_call
        Boolean operand, ``"C"`` / ``"P"``, or a column of booleans or rights (String,
        Enum); default ``pl.col("right") == "C"``. Other values raise ``ConfigError``.
    model
        ``"bsm"`` (Black-Scholes-Merton) or ``"black76"``.

    Returns
    -------
    pl.LazyFrame
        ``frame`` with ``iv`` and ``iv_status`` added.

    Examples
    --------
    Hull's 1.875 call (S=21, K=20, r=10%, 3 months) and a put priced below intrinsic:

    >>> prints = pl.DataFrame({"price": [1.875, 0.5], "underlying_price": [21.0, 19.0],
    ...                        "strike": [20.0, 20.0], "tau": [0.25, 0.25], "right": ["C", "P"]})
    >>> out = with_implied_vol(prints, rate=0.1).collect()
    >>> out.select(pl.col("iv").round(4), "iv_status").rows()
    [(0.2345, 'ok'), (None, 'below_intrinsic')]
    """
    if model not in ("bsm", "black76"):
        raise ConfigError(f"unknown model {model!r}", column="model")
    call = pl.col("right") == "C" if is_call is None else is_call
    div = rate if model == "black76" else dividend

    def run(series: Sequence[pl.Series]) -> pl.Series:
        vol, status = _solve_series(series)
        return pl.DataFrame(
            {
                IV: pl.Series(vol).fill_nan(None),
                IV_STATUS: status_series(status),
            }
        ).to_struct("__of_iv")

    dtype = pl.Struct({IV: pl.Float64, IV_STATUS: IV_STATUS_DTYPE})
    solved = pl.map_batches(
        [*[_expr(o) for o in (price, spot, strike, tau, rate, div)], _call(call)],
        run,
        return_dtype=dtype,
        is_elementwise=True,
    )
    return (
        frame.lazy()
        .with_columns(solved.alias("__of_iv"))
        .with_columns(pl.col("__of_iv").struct.field(IV, IV_STATUS))
        .drop("__of_iv")
    )
