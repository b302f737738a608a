r"""Black-Scholes-Merton and Black-76 prices and greeks, vectorised over NumPy arrays.

**Black-Scholes-Merton** (continuous dividend yield ``q``): with spot ``S``,
strike ``K``, time to expiry ``T`` in years, rate ``r`` and vol ``sigma``,
``A = S e^{-qT}`` (discounted forward), ``B = K e^{-rT}`` (discounted strike),
``d1 = (ln(A/B) + sigma**2 T/2) / (sigma sqrt T)`` and ``d2 = d1 - sigma sqrt T``:

* call ``C = A Phi(d1) - B Phi(d2)``, put ``P = B Phi(-d2) - A Phi(-d1)``;
* delta ``dV/dS``: call ``e^{-qT} Phi(d1)``, put ``-e^{-qT} Phi(-d1)``;
* gamma ``d2V/dS2 = e^{-qT} phi(d1) / (S sigma sqrt T)`` (both);
* vega ``dV/dsigma = A phi(d1) sqrt T`` (both; per unit of vol, i.e. per 100 vol points);
* theta ``dV/dt = -dV/dT`` per year: call
  ``-A phi(d1) sigma/(2 sqrt T) - r B Phi(d2) + q A Phi(d1)``, put
  ``-A phi(d1) sigma/(2 sqrt T) + r B Phi(-d2) - q A Phi(-d1)``.

**Black-76** on a forward ``F`` is the same with ``S = F`` and ``q = r``
(``A = F e^{-rT}``); its delta is with respect to ``F``.

Prices are evaluated through the normalised Black function
(:mod:`optionsflow.volatility.normalised`):
``V = max(theta (A - B), 0) + sqrt(A B) b(-|ln(A/B)|, sigma sqrt T)``, which stays
accurate to a few ulps for deep out-of-the-money options, where the textbook
difference of two ``Phi`` terms loses every digit. ``sigma = 0`` or ``T = 0``
gives the discounted intrinsic value; negative ``sigma`` or ``T`` gives NaN.
Greeks need ``sigma > 0`` and ``T > 0`` (NaN otherwise).

Examples
--------
Hull's example (S=42, K=40, r=10%, sigma=20%, T=0.5):

>>> import numpy as np
>>> c, p = bsm_price(42.0, 40.0, 0.5, 0.2, rate=0.1, is_call=np.array([True, False]))
>>> round(float(c), 4), round(float(p), 4)
(4.7594, 0.8086)
>>> g = bsm_greeks(42.0, 40.0, 0.5, 0.2, rate=0.1)
>>> round(float(g.delta), 4), round(float(g.vega), 4)
(0.7791, 8.8134)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

from optionsflow.volatility.normalised import black_otm_and_vega
from optionsflow.volatility.rights import CallLike, call_flags

__all__ = ["Greeks", "black76_greeks", "black76_price", "bsm_delta", "bsm_greeks", "bsm_price"]

F64 = NDArray[np.float64]
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class Greeks(NamedTuple):
    """Option greeks, each an array of the broadcast input shape.

    Attributes
    ----------
    delta
        ``dV/dS`` (Black-76: ``dV/dF``).
    gamma
        ``d2V/dS2`` (Black-76: ``d2V/dF2``).
    vega
        ``dV/dsigma``, per unit of volatility (divide by 100 for one vol point).
    theta
        ``dV/dt = -dV/dT``, per year (divide by 365 for one calendar day).
    """

    delta: F64
    gamma: F64
    vega: F64
    theta: F64


def _f64(value: ArrayLike) -> F64:
    return np.asarray(value, dtype=np.float64)


def _price(a: F64, b: F64, tau: F64, sigma: F64, is_call: NDArray[np.bool_]) -> F64:
    """Price from discounted forward ``a`` and discounted strike ``b`` (broadcast, flat)."""
    theta = np.where(is_call, 1.0, -1.0)
    with np.errstate(all="ignore"):
        s = sigma * np.sqrt(tau)
        x = np.log(a / b)
        otm, _ = black_otm_and_vega(-np.abs(x), np.where(np.isfinite(s) & (s > 0), s, 0.0))
        value = np.maximum(theta * (a - b), 0.0) + np.sqrt(a * b) * otm
    value = np.where(np.isposinf(s), np.where(is_call, a, b), value)
    invalid = (sigma < 0) | (tau < 0) | (a < 0) | (b < 0)
    return np.where(invalid, np.nan, value)


def _flat(*arrays: ArrayLike) -> tuple[tuple[int, ...], list[F64]]:
    broadcast = np.broadcast_arrays(*[_f64(a) for a in arrays])
    shape = broadcast[0].shape
    return shape, [np.ascontiguousarray(a).ravel() for a in broadcast]


def bsm_price(
    spot: ArrayLike,
    strike: ArrayLike,
    tau: ArrayLike,
    sigma: ArrayLike,
    *,
    rate: ArrayLike = 0.0,
    dividend: ArrayLike = 0.0,
    is_call: CallLike = True,
) -> F64:
    """Black-Scholes-Merton price (formula in the module docstring).

    Parameters
    ----------
    spot, strike
        Underlying price ``S`` and strike ``K``.
    tau
        Time to expiry ``T`` in years.
    sigma
        Annualised volatility (0.2 = 20%).
    rate, dividend
        Continuously compounded rate ``r`` and dividend yield ``q``.
    is_call
        True for calls, False for puts.

    Returns
    -------
    numpy.ndarray
        Float64 prices in the broadcast shape of the inputs (a 0-d array for
        scalar inputs).

    Examples
    --------
    Hull's two-month index option (S=930, K=900, r=8%, q=3%, sigma=20%), call and put:

    >>> c, p = bsm_price(930.0, 900.0, 2 / 12, 0.2, rate=0.08, dividend=0.03,
    ...                  is_call=[True, False])
    >>> round(float(c), 4), round(float(p), 4)
    (51.833, 14.551)
    """
    shape, (s, k, t, v, r, q, c) = _flat(
        spot, strike, tau, sigma, rate, dividend, call_flags(is_call)
    )
    with np.errstate(all="ignore"):
        a, b = s * np.exp(-q * t), k * np.exp(-r * t)
    out = _price(a, b, t, v, c.astype(bool))
    return out.reshape(shape)


def black76_price(
    forward: ArrayLike,
    strike: ArrayLike,
    tau: ArrayLike,
    sigma: ArrayLike,
    *,
    rate: ArrayLike = 0.0,
    is_call: CallLike = True,
) -> F64:
    """Black-76 price of an option on a forward ``F``, discounted at ``rate``.

    Examples
    --------
    >>> round(float(black76_price(100.0, 90.0, 30.0, 0.07011701801482094)), 12)
    20.0
    """
    shape, (f, k, t, v, r, c) = _flat(forward, strike, tau, sigma, rate, call_flags(is_call))
    with np.errstate(all="ignore"):
        disc = np.exp(-r * t)
        a, b = f * disc, k * disc
    return _price(a, b, t, v, c.astype(bool)).reshape(shape)


def _greeks(  # noqa: PLR0917 (private kernel over seven arrays)
    s: F64, k: F64, t: F64, v: F64, r: F64, q: F64, c: NDArray[np.bool_]
) -> tuple[F64, F64, F64, F64]:
    with np.errstate(all="ignore"):
        dq, dr = np.exp(-q * t), np.exp(-r * t)
        a, b = s * dq, k * dr
        sqrt_t = np.sqrt(t)
        vol = v * sqrt_t
        d1 = np.log(a / b) / vol + 0.5 * vol
        d2 = d1 - vol
        pdf = _INV_SQRT_2PI * np.exp(-0.5 * d1 * d1)
        n1, n2 = ndtr(np.where(c, d1, -d1)), ndtr(np.where(c, d2, -d2))
        sign = np.where(c, 1.0, -1.0)
        delta = sign * dq * n1
        gamma = dq * pdf / (s * vol)
        vega = a * pdf * sqrt_t
        theta = -a * pdf * v / (2.0 * sqrt_t) - sign * (r * b * n2 - q * a * n1)
    bad = ~((v > 0) & (t > 0) & (s > 0) & (k > 0))
    return tuple(np.where(bad, np.nan, g) for g in (delta, gamma, vega, theta))  # type: ignore[return-value]


def bsm_delta(  # noqa: PLR0917 (the kernel's seven arrays)
    s: F64, k: F64, t: F64, v: F64, r: F64 | float, q: F64 | float, c: NDArray[np.bool_]
) -> F64:
    """Black-Scholes-Merton delta alone, as :func:`bsm_greeks` computes it (same operations).

    1-d float arrays of one shape (``r`` and ``q`` may be scalars), ``c`` True
    for calls; NaN unless ``v``, ``t``, ``s`` and ``k`` are positive.

    Examples
    --------
    >>> one, call = np.ones(1), np.ones(1, dtype=bool)
    >>> delta = bsm_delta(49.0 * one, 50.0 * one, 20 / 52 * one, 0.2 * one, 0.05, 0.0, call)
    >>> bool(delta[0] == bsm_greeks(49.0, 50.0, 20 / 52, 0.2, rate=0.05).delta)
    True
    """
    with np.errstate(all="ignore"):
        dq, dr = np.exp(-q * t), np.exp(-r * t)
        a, b = s * dq, k * dr
        vol = v * np.sqrt(t)
        d1 = np.log(a / b) / vol + 0.5 * vol
        delta = np.where(c, 1.0, -1.0) * dq * ndtr(np.where(c, d1, -d1))
    bad = ~((v > 0) & (t > 0) & (s > 0) & (k > 0))
    out: F64 = np.where(bad, np.nan, delta)
    return out


def bsm_greeks(
    spot: ArrayLike,
    strike: ArrayLike,
    tau: ArrayLike,
    sigma: ArrayLike,
    *,
    rate: ArrayLike = 0.0,
    dividend: ArrayLike = 0.0,
    is_call: CallLike = True,
) -> Greeks:
    """Black-Scholes-Merton delta, gamma, vega and theta (module docstring).

    Parameters are those of :func:`bsm_price`.

    Returns
    -------
    Greeks
        Arrays in the broadcast input shape.

    Examples
    --------
    Hull's 20-week call (S=49, K=50, r=5%, sigma=20%): delta 0.522, gamma 0.066,
    vega 12.1 per unit of vol, theta -4.31 per year:

    >>> g = bsm_greeks(49.0, 50.0, 20 / 52, 0.2, rate=0.05)
    >>> [round(float(x), 4) for x in (g.delta, g.gamma, g.vega, g.theta)]
    [0.5216, 0.0655, 12.1055, -4.3053]
    """
    shape, (s, k, t, v, r, q, c) = _flat(
        spot, strike, tau, sigma, rate, dividend, call_flags(is_call)
    )
    return Greeks(*(g.reshape(shape) for g in _greeks(s, k, t, v, r, q, c.astype(bool))))


def black76_greeks(
    forward: ArrayLike,
    strike: ArrayLike,
    tau: ArrayLike,
    sigma: ArrayLike,
    *,
    rate: ArrayLike = 0.0,
    is_call: CallLike = True,
) -> Greeks:
    """Black-76 greeks with respect to the forward (BSM with ``S = F``, ``q = r``).

    Examples
    --------
    >>> g = black76_greeks(100.0, 100.0, 1.0, 0.2)
    >>> round(float(g.delta), 6), round(float(g.vega), 6)  # Phi(0.1), 100 phi(0.1)
    (0.539828, 39.695255)
    """
    shape, (f, k, t, v, r, c) = _flat(forward, strike, tau, sigma, rate, call_flags(is_call))
    return Greeks(*(g.reshape(shape) for g in _greeks(f, k, t, v, r, r, c.astype(bool))))
