r"""Implied volatility: exact to the float inputs, vectorised, with a reason code per option.

The price is reduced to Jäckel's normalised problem and solved by "Let's Be Rational"
(:mod:`optionsflow.volatility.lets_be_rational`). With ``A = S e^{-qT}``
(discounted forward) and ``B = K e^{-rT}`` (discounted strike),

* intrinsic value ``I = max(theta (A - B), 0)`` (``theta = +1`` call, ``-1`` put);
* time value ``p - I`` is the price of the out-of-the-money option of the
  other type (put-call parity), so every option becomes an out-of-the-money call
  with ``x = -|ln(A/B)|`` and normalised price ``beta = (p - I) / sqrt(A B)``;
* ``sigma = s / sqrt(T)`` where ``b(x, s) = beta``.

``A``, ``B``, ``p - I``, ``ln(A/B)`` and ``beta`` are formed in double-double
arithmetic (Dekker's exact products, Knuth's exact sums; ``e^{-qT} = 1 + expm1(-qT)``),
so the reduction adds well under one ulp of the price: the solver is limited by
the rounding of its inputs, not by its own arithmetic.

Status codes (:class:`IVStatus`; the vol is NaN unless the status is ``ok``):

====  ===================  ==============================================================
code  label                meaning
====  ===================  ==============================================================
0     ``ok``               a vol was found
1     ``below_intrinsic``  ``p < I`` by more than the rounding tolerance
2     ``above_maximum``    ``p >= A`` (call) or ``p >= B`` (put), or the normalised
                           price reaches its supremum ``e^{x/2}``: no finite vol
3     ``no_time_value``    ``|p - I|`` within the rounding tolerance ``eps p``
                           (plus ``eps (A + B)`` in the money), or the
                           normalised time value underflows: the price carries no
                           information on the vol, so none is made up
4     ``invalid_input``    price, spot, strike or ``tau`` not finite and positive, or
                           rate / dividend not finite
====  ===================  ==============================================================

Examples
--------
>>> import numpy as np
>>> vol = implied_vol([4.7594223928715332, 0.80859937290009358], 42.0, 40.0, 0.5,
...                   rate=0.1, is_call=[True, False])
>>> np.abs(vol - 0.2).max() < 1e-15
np.True_
>>> # below intrinsic, no time value, ok, above the maximum, invalid:
>>> implied_vol_status([9.0, 10.0, 12.0, 101.0, -1.0], 100.0, 90.0, 0.5).tolist()
[1, 3, 0, 2, 4]
>>> float(implied_vol_black76(20.0, 100.0, 90.0, 30.0)[()])
0.07011701801482094
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from enum import IntEnum
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from optionsflow.volatility.lets_be_rational import DBL_MIN, normalised_implied_vol
from optionsflow.volatility.rights import CallLike, call_flags

__all__ = [
    "CHUNK_SIZE",
    "IVResult",
    "IVStatus",
    "implied_vol",
    "implied_vol_black76",
    "implied_vol_status",
    "solve_implied_vol",
]

F64 = NDArray[np.float64]
I8 = NDArray[np.int8]

CHUNK_SIZE = 16_384
"""Options per work unit: small enough for the temporaries to stay in cache.

Each temporary is then 128 KiB and the arrays one step works on stay in a 1 MiB
L2 cache: about 20 % less CPU than 32,768 on a day of synthetic prints on the 2-core
development machine (measured alternately in one process). Results do not depend on it."""
EPS = float(np.finfo(np.float64).eps)


class IVStatus(IntEnum):
    """Why an implied vol was (not) found; stored as Int8, labelled by :attr:`label`."""

    OK = 0
    BELOW_INTRINSIC = 1
    ABOVE_MAXIMUM = 2
    NO_TIME_VALUE = 3
    INVALID_INPUT = 4

    @property
    def label(self) -> str:
        """Lower-case name, e.g. ``"below_intrinsic"``."""
        return self.name.lower()


class IVResult(NamedTuple):
    """Implied vols (NaN where none) and their :class:`IVStatus` codes (Int8)."""

    vol: F64
    status: I8


# --- error-free transformations (double-double arithmetic) ---------------------------------
_SPLITTER = 134217729.0  # 2**27 + 1


def _two_sum(a: F64, b: F64) -> tuple[F64, F64]:
    """Return ``s, e`` with ``a + b = s + e`` exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a: F64) -> tuple[F64, F64]:
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def _two_prod(a: F64, b: F64) -> tuple[F64, F64]:
    """Return ``p, e`` with ``a * b = p + e`` exactly (Dekker)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _discounted(value: F64, rate: F64, tau: F64) -> tuple[F64, F64]:
    """``value * exp(-rate * tau)`` as an unevaluated sum ``hi + lo``.

    ``exp(-r T) = 1 + expm1(-r T)``: the small product ``value * expm1(-r T)`` is
    rounded once (at most ``|r T|/2`` ulp of ``value``), and the sum is exact.
    """
    return _two_sum(value, value * np.expm1(-rate * tau))


def _solve_chunk(  # noqa: PLR0917 (private kernel over seven arrays)
    price: F64, spot: F64, strike: F64, tau: F64, rate: F64, dividend: F64, call: NDArray[np.bool_]
) -> tuple[F64, I8]:
    n = price.size
    status = np.full(n, IVStatus.OK, dtype=np.int8)
    vol = np.full(n, np.nan)
    with np.errstate(all="ignore"):
        finite = (
            np.isfinite(price) & np.isfinite(spot) & np.isfinite(strike) & np.isfinite(tau)
            & np.isfinite(rate) & np.isfinite(dividend)
        )  # fmt: skip
        valid = finite & (price > 0) & (spot > 0) & (strike > 0) & (tau > 0)
        status[~valid] = IVStatus.INVALID_INPUT
        idx = np.flatnonzero(valid)
        if idx.size == 0:
            return vol, status
        if idx.size < n:
            price, spot, strike, tau = price[idx], spot[idx], strike[idx], tau[idx]
            rate, dividend, call = rate[idx], dividend[idx], call[idx]
        a_hi, a_lo = _discounted(spot, dividend, tau)
        b_hi, b_lo = _discounted(strike, rate, tau)
        sign = 2.0 * call - 1.0
        # intrinsic I = max(theta (A - B), 0) and time value p - I, in double-double
        d_hi, d_lo = _two_sum(a_hi, -b_hi)
        d_hi, d_lo = _two_sum(sign * d_hi, sign * (d_lo + a_lo - b_lo))
        itm = d_hi > 0
        t_hi, t_lo = _two_sum(price, -(d_hi * itm))
        tv_hi, tv_lo = _two_sum(t_hi, t_lo - d_lo * itm)
        tv = tv_hi + tv_lo
        tol = EPS * (price + itm * (a_hi + b_hi))  # about an ulp of each, rounded up
        code = np.zeros(idx.size, dtype=np.int8)
        code[tv <= tol] = IVStatus.NO_TIME_VALUE
        code[tv < -tol] = IVStatus.BELOW_INTRINSIC
        code[price >= np.where(call, a_hi, b_hi)] = IVStatus.ABOVE_MAXIMUM
        # x = ln(A/B), its low parts restored to first order
        x_otm = -np.abs(np.log(a_hi / b_hi) + (a_lo / a_hi - b_lo / b_hi))
        # beta in double-double: sqrt(A B) corrected by one exact Newton step, then the
        # quotient's remainder restored, so beta is within half an ulp (Dekker products)
        ab_hi, ab_lo = _two_prod(a_hi, b_hi)
        n0 = np.sqrt(ab_hi)
        sq_hi, sq_lo = _two_prod(n0, n0)
        n1 = (((ab_hi - sq_hi) - sq_lo) + (ab_lo + a_hi * b_lo + a_lo * b_hi)) / (2.0 * n0)
        beta0 = tv_hi / n0
        r_hi, r_lo = _two_prod(beta0, n0)
        beta = beta0 + ((((tv_hi - r_hi) - r_lo) + tv_lo) - beta0 * n1) / n0
        ok = code == IVStatus.OK
        code[ok & (beta >= np.exp(0.5 * x_otm))] = IVStatus.ABOVE_MAXIMUM
        code[ok & (beta < DBL_MIN)] = IVStatus.NO_TIME_VALUE
        solve = np.flatnonzero(code == IVStatus.OK)
        if solve.size:
            s = normalised_implied_vol(beta[solve], x_otm[solve])
            out = np.full(idx.size, np.nan)
            out[solve] = s / np.sqrt(tau[solve])
            vol[idx] = out
        status[idx] = code
    return vol, status


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _pool(threads: int) -> ThreadPoolExecutor:
    with _POOLS_LOCK:
        if threads not in _POOLS:
            _POOLS[threads] = ThreadPoolExecutor(threads, thread_name_prefix="optionsflow-iv")
        return _POOLS[threads]


def solve_implied_vol(
    price: ArrayLike,
    spot: ArrayLike,
    strike: ArrayLike,
    tau: ArrayLike,
    *,
    rate: ArrayLike = 0.0,
    dividend: ArrayLike = 0.0,
    is_call: CallLike = True,
    threads: int | None = None,
) -> IVResult:
    """Black-Scholes-Merton implied vol and status code for every option.

    Parameters
    ----------
    price
        Option price (per share, same currency as ``spot``).
    spot, strike
        Underlying price and strike.
    tau
        Time to expiry in years.
    rate, dividend
        Continuously compounded rate and dividend yield.
    is_call
        True for calls, False for puts, or ``"C"`` / ``"P"`` (scalars, arrays or a
        Series); anything else raises :class:`~optionsflow.errors.ConfigError`.
    threads
        Worker threads (NumPy releases the GIL). Default: the machine's cores, at
        most 8. Results do not depend on it.

    Returns
    -------
    IVResult
        ``vol`` (Float64, NaN unless ``status == 0``) and ``status`` (Int8,
        :class:`IVStatus`), both in the broadcast shape of the inputs.

    Examples
    --------
    >>> res = solve_implied_vol([2.0, 150.0], 100.0, 100.0, 0.25)
    >>> [IVStatus(c).label for c in res.status.tolist()]
    ['ok', 'above_maximum']
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (price, spot, strike, tau, rate, dividend)),
        call_flags(is_call),
    )
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(a).ravel() for a in arrays]
    n = flat[0].size
    workers = max(1, min(8, os.cpu_count() or 1) if threads is None else threads)
    starts = range(0, n, CHUNK_SIZE)

    def run(start: int) -> tuple[F64, I8]:
        p, s, k, t, r, q = (a[start : start + CHUNK_SIZE] for a in flat[:6])
        return _solve_chunk(p, s, k, t, r, q, flat[6][start : start + CHUNK_SIZE])

    if workers == 1 or n <= CHUNK_SIZE:
        parts = [run(i) for i in starts]
    else:
        parts = list(_pool(workers).map(run, starts))
    if not parts:
        return IVResult(np.empty(shape), np.empty(shape, dtype=np.int8))
    vol = np.concatenate([v for v, _ in parts]).reshape(shape)
    status = np.concatenate([c for _, c in parts]).reshape(shape)
    return IVResult(vol, status)


def implied_vol(
    price: ArrayLike,
    spot: ArrayLike,
    strike: ArrayLike,
    tau: ArrayLike,
    *,
    rate: ArrayLike = 0.0,
    dividend: ArrayLike = 0.0,
    is_call: CallLike = True,
) -> F64:
    """Black-Scholes-Merton implied vol, NaN where no vol exists.

    Parameters are those of :func:`solve_implied_vol`; :func:`implied_vol_status`
    says why a value is NaN.

    Returns
    -------
    numpy.ndarray
        Float64 in the broadcast shape of the inputs.

    Examples
    --------
    Hull's call worth 1.875 (S=21, K=20, r=10%, T=0.25) has an implied vol of 23.5%;
    a price below intrinsic value has none:

    >>> vol = implied_vol([1.875, 0.5], 21.0, 20.0, 0.25, rate=0.1)
    >>> round(float(vol[0]), 4), bool(np.isnan(vol[1]))
    (0.2345, True)
    """
    return solve_implied_vol(
        price, spot, strike, tau, rate=rate, dividend=dividend, is_call=is_call
    ).vol


def implied_vol_status(
    price: ArrayLike,
    spot: ArrayLike,
    strike: ArrayLike,
    tau: ArrayLike,
    *,
    rate: ArrayLike = 0.0,
    dividend: ArrayLike = 0.0,
    is_call: CallLike = True,
) -> I8:
    """:class:`IVStatus` code per option (Int8), same inputs as :func:`implied_vol`."""
    return solve_implied_vol(
        price, spot, strike, tau, rate=rate, dividend=dividend, is_call=is_call
    ).status


def implied_vol_black76(
    price: ArrayLike,
    forward: ArrayLike,
    strike: ArrayLike,
    tau: ArrayLike,
    *,
    rate: ArrayLike = 0.0,
    is_call: CallLike = True,
) -> F64:
    """Black-76 implied vol of an option on ``forward``, discounted at ``rate``.

    Identical to :func:`implied_vol` with ``spot = forward`` and ``dividend = rate``
    (then ``A = F e^{-rT}``); use :func:`solve_implied_vol` that way for the
    status codes.
    """
    return implied_vol(price, forward, strike, tau, rate=rate, dividend=rate, is_call=is_call)
