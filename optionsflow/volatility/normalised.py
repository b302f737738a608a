r"""The normalised Black function, evaluated to full double precision.

With log-moneyness ``x = ln(F/K)`` and total volatility ``s = sigma * sqrt(T)``,
the *normalised* Black call price (undiscounted, in units of ``sqrt(F K)``) is

.. math::

    b(x, s) = e^{x/2}\,\Phi(x/s + s/2) - e^{-x/2}\,\Phi(x/s - s/2),

so that a Black-76 call is worth ``D sqrt(F K) b(x, s)`` and a put
``D sqrt(F K) b(-x, s)`` (``D`` the discount factor). Its derivative in ``s``,
the normalised vega, is ``b'(x, s) = e^{x/2} phi(x/s + s/2) = exp(-(h**2 + t**2)/2) / sqrt(2 pi)``
with ``h = x/s`` and ``t = s/2``.

For ``x > 0`` the function is the intrinsic value ``2 sinh(x/2)`` plus
``b(-x, s)`` (put-call parity), so everything below works on out-of-the-money
``x <= 0``, where ``b`` is a small difference of two terms. Following Jäckel
(2015, "Let's Be Rational", *Wilmott* 2015(75), section 3), four regions of the
``(h, t)`` plane use four evaluations, each accurate to a few ulps times the
condition number of ``b`` (the rounding of ``h = x/s`` alone moves ``b`` by about
``h**2`` ulps):

1. ``h < -10`` and ``h + t < tau - 10``: an asymptotic expansion of
   ``Y(z) = Phi(z)/phi(z)`` (Abramowitz-Stegun 26.2.12) in ``q = (h/r)**2``,
   ``r = (h+t)(h-t)``, written in ``e = (t/h)**2`` so that nothing cancels:
   ``b = phi(h, t) (t/r) sum_n 2 (-1)**n (2n-1)!! q**n sum_k C(2n+1, 2k+1) e**k``
   (17 terms), with ``phi(h, t) = exp(-(h**2+t**2)/2)/sqrt(2 pi)``;
2. ``t < tau = 2 eps**(1/16)`` (about 0.21): a 12th-order Taylor expansion of
   ``Y(h+t) - Y(h-t)`` in ``t``, built on ``a = 1 + h Y(h)``;
3. ``h + t > 0.85``: the defining formula with ``Phi`` itself (the first term
   dominates, nothing cancels);
4. otherwise: ``b = exp(-(h**2+t**2)/2) (erfcx(-(h+t)/sqrt2) - erfcx(-(h-t)/sqrt2)) / 2``,
   one exponential and two scaled complementary error functions (a term whose
   ``erfcx`` argument is below 0.46875 uses ``e^{+-x/2} erfc`` instead).

Examples
--------
>>> import numpy as np
>>> from optionsflow.volatility.normalised import normalised_black, normalised_vega
>>> b = normalised_black(np.array([-0.1, 0.0, 0.1]), np.array([0.2, 0.2, 0.2]))
>>> bool(abs(b[2] - b[0] - 2 * np.sinh(0.05)) < 1e-15)  # parity
True
>>> float(normalised_vega(np.array([0.0]), np.array([0.0]))[0])  # 1/sqrt(2 pi)
0.3989422804014327
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import erfc, erfcx, ndtr

__all__ = [
    "ASYMPTOTIC_THRESHOLD",
    "SMALL_T_THRESHOLD",
    "black_otm_and_vega",
    "normalised_black",
    "normalised_intrinsic",
    "normalised_vega",
]

F64 = NDArray[np.float64]

DBL_EPSILON = float(np.finfo(np.float64).eps)
ONE_OVER_SQRT_TWO = 1.0 / math.sqrt(2.0)
ONE_OVER_SQRT_TWO_PI = 1.0 / math.sqrt(2.0 * math.pi)
SQRT_PI_OVER_TWO = math.sqrt(math.pi / 2.0)

ASYMPTOTIC_THRESHOLD = -10.0
"""``eta``: the asymptotic expansion (region 1) is used for ``h = x/s < eta``."""
SMALL_T_THRESHOLD = 2.0 * DBL_EPSILON ** (1.0 / 16.0)
"""``tau``: the small-``t`` expansion (region 2) is used for ``t = s/2 < tau``."""
_DIRECT_THRESHOLD = 0.85
"""Region 3 (``Phi`` directly) is used for ``h + t > 0.85``."""
_ASYMPTOTIC_ORDER = 17


def _odd_binomials(n: int) -> tuple[int, ...]:
    """``C(2n+1, 2k+1)`` for ``k = 0..n``: coefficients of ``P_n(e)`` in region 1."""
    return tuple(math.comb(2 * n + 1, 2 * k + 1) for k in range(n + 1))


_ASYMPTOTIC_COEFFS = tuple(_odd_binomials(n) for n in range(_ASYMPTOTIC_ORDER + 1))

# Region 2: expansion = 2t sum_k w**k P_k(a, h2) / (2k+1)!, w = t**2, h2 = h**2,
# P_k = sum_j h2**j (alpha_kj + beta_kj a); rows list (alpha_kj, beta_kj) for j = 0..k.
_SMALL_T_COEFFS: tuple[tuple[tuple[int, int], ...], ...] = (
    ((0, 1),),
    ((-1, 3), (0, 1)),
    ((-7, 15), (-1, 10), (0, 1)),
    ((-57, 105), (-18, 105), (-1, 21), (0, 1)),
    ((-561, 945), (-285, 1260), (-33, 378), (-1, 36), (0, 1)),
    ((-6555, 10395), (-4680, 17325), (-840, 6930), (-52, 990), (-1, 55), (0, 1)),
    (
        (-89055, 135135), (-82845, 270270), (-20370, 135135), (-1926, 25740),
        (-75, 2145), (-1, 78), (0, 1),
    ),
)  # fmt: skip

# Per order k, highest first: (alpha, beta) coefficients divided by (2k+1)!, highest power of
# h2 first, so that P_k / (2k+1)! = alpha(h2) + a beta(h2).
_SMALL_T_POLYS = tuple(
    (
        tuple(row[j][0] / math.factorial(2 * k + 1) for j in range(len(row) - 1, -1, -1)),
        tuple(row[j][1] / math.factorial(2 * k + 1) for j in range(len(row) - 1, -1, -1)),
    )
    for k, row in reversed(list(enumerate(_SMALL_T_COEFFS)))
)


def _asymptotic(h: F64, t: F64, gauss: F64) -> F64:
    """Region 1: ``b`` for large negative ``h`` (``gauss = exp(-(h**2+t**2)/2)``)."""
    e = (t / h) ** 2
    r = (h + t) * (h - t)
    q = (h / r) ** 2
    acc = np.zeros_like(h)
    poly = np.empty_like(h)
    for n in range(_ASYMPTOTIC_ORDER, -1, -1):  # acc = c_n(e) + (2n+1) q acc, in place
        coeffs = _ASYMPTOTIC_COEFFS[n]
        poly.fill(coeffs[-1])
        for c in coeffs[-2::-1]:
            poly *= e
            poly += c
        acc *= (2 * n + 1) * q
        acc += poly if n % 2 == 0 else -poly
    acc *= 2.0
    return np.maximum(ONE_OVER_SQRT_TWO_PI * gauss * (t / r) * acc, 0.0)


def _small_t(h: F64, t: F64, gauss: F64) -> F64:
    """Region 2: ``b`` by the Taylor expansion in ``t`` of ``Y(h+t) - Y(h-t)``."""
    a = 1.0 + h * SQRT_PI_OVER_TWO * erfcx(-ONE_OVER_SQRT_TWO * h)
    w = t * t
    h2 = h * h
    total = np.zeros_like(h)
    u, v = np.empty_like(h), np.empty_like(h)
    for alpha, beta in _SMALL_T_POLYS:  # highest order first; in place to spare allocations
        u.fill(alpha[0])
        v.fill(beta[0])
        for ca, cb in zip(alpha[1:], beta[1:], strict=True):
            u *= h2
            u += ca
            v *= h2
            v += cb
        v *= a
        v += u
        total *= w
        total += v
    return np.maximum(ONE_OVER_SQRT_TWO_PI * gauss * (2.0 * t) * total, 0.0)


def _direct(x: F64, h: F64, t: F64) -> F64:
    """Region 3: the defining formula (first term dominant)."""
    half = np.exp(0.5 * x)
    b: F64 = np.maximum(ndtr(h + t) * half - ndtr(h - t) / half, 0.0)
    return b


_CODY_THRESHOLD = 0.46875
"""Below this argument ``erfc`` is a plain rational function (no exponential)."""


def _scaled(x: F64, h: F64, t: F64, gauss: F64) -> F64:
    """Region 4: ``2b = e^{x/2} erfc(q1) - e^{-x/2} erfc(q2)``, ``q = -(h -+ t)/sqrt 2``.

    Each term is ``e^{+-x/2} erfc(q)`` when ``q < 0.46875`` (accurate without an
    exponential, and twice as fast as ``erfcx``), else
    ``exp(-(h**2+t**2)/2) erfcx(q)``: the exponential is then a common factor of
    both terms, so its rounding is not amplified by their cancellation (Jäckel's
    "optimal use of Cody's functions").
    """
    q1 = -ONE_OVER_SQRT_TWO * (h + t)
    q2 = -ONE_OVER_SQRT_TWO * (h - t)
    terms = []
    for q, sign in ((q1, 0.5), (q2, -0.5)):
        small = q < _CODY_THRESHOLD
        near, far = np.flatnonzero(small), np.flatnonzero(~small)
        if far.size == q.size:
            term = gauss * erfcx(q)
        elif near.size == q.size:
            term = np.exp(sign * x) * erfc(q)
        else:
            term = np.empty_like(q)
            term[near] = np.exp(sign * x[near]) * erfc(q[near])
            term[far] = gauss[far] * erfcx(q[far])
        terms.append(term)
    b: F64 = np.maximum(0.5 * (terms[0] - terms[1]), 0.0)
    return b


def black_otm_and_vega(x: F64, s: F64) -> tuple[F64, F64]:
    """``b(x, s)`` and ``b'(x, s)`` for ``x <= 0`` (1-d float64 arrays of one shape).

    ``s <= 0`` gives ``b = 0`` and ``b' = 0`` (vega at ``x = 0, s = 0`` is
    ``1/sqrt(2 pi)``). No input checks: this is the solver's inner kernel.
    """
    b = np.zeros_like(x)
    with np.errstate(all="ignore"):
        pos = s > 0.0
        h = np.where(pos, x / s, 0.0)
        t = 0.5 * s
        gauss = np.exp(-0.5 * (h * h + t * t))
        vega = np.where(pos | (x == 0.0), ONE_OVER_SQRT_TWO_PI * gauss, 0.0)
        r1 = pos & (h < ASYMPTOTIC_THRESHOLD) & (t + h < SMALL_T_THRESHOLD + ASYMPTOTIC_THRESHOLD)
        rest = pos & ~r1
        r2 = rest & (t < SMALL_T_THRESHOLD)
        rest &= ~r2
        r3 = rest & (h + t > _DIRECT_THRESHOLD)
        r4 = rest & ~r3
        for mask, kind in ((r1, 1), (r2, 2), (r3, 3), (r4, 4)):
            idx = np.flatnonzero(mask)
            if idx.size == 0:
                continue
            if idx.size == b.size:  # one region covers all: skip the gather
                hi, ti, gi, xi = h, t, gauss, x
            else:
                hi, ti, gi, xi = h[idx], t[idx], gauss[idx], x[idx]
            if kind == 1:
                val = _asymptotic(hi, ti, gi)
            elif kind == 2:
                val = _small_t(hi, ti, gi)
            elif kind == 3:
                val = _direct(xi, hi, ti)
            else:
                val = _scaled(xi, hi, ti, gi)
            if idx.size == b.size:
                b = val
            else:
                b[idx] = val
    return b, vega


def normalised_intrinsic(x: ArrayLike) -> F64:
    """Normalised intrinsic value of a call, ``max(e^{x/2} - e^{-x/2}, 0)``."""
    xa = np.asarray(x, dtype=np.float64)
    return np.maximum(2.0 * np.sinh(0.5 * xa), 0.0)


def normalised_black(x: ArrayLike, s: ArrayLike) -> F64:
    """Normalised Black call price ``b(x, s)``, broadcasting ``x`` and ``s``.

    Parameters
    ----------
    x
        Log-moneyness ``ln(F/K)``.
    s
        Total volatility ``sigma sqrt(T)``; ``s = 0`` gives the intrinsic value.

    Returns
    -------
    numpy.ndarray
        ``b(x, s)``: ``2 sinh(x/2)`` (when positive) plus ``b(-|x|, s)``, each
        region evaluated as in the module docstring. NaN where an input is NaN
        or ``s < 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.special import ndtr
    >>> float(normalised_black(0.0, 0.4)) == float(ndtr(0.2) - ndtr(-0.2))
    True
    """
    xb, sb = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(s, dtype=np.float64))
    xf = np.ascontiguousarray(xb).ravel()
    sf = np.ascontiguousarray(sb).ravel()
    otm, _ = black_otm_and_vega(-np.abs(xf), np.where(np.isfinite(sf), sf, 0.0))
    out = normalised_intrinsic(xf) + otm
    out = np.where(np.isnan(xf) | np.isnan(sf) | (sf < 0.0), np.nan, out)
    out = np.where(np.isposinf(sf), np.exp(0.5 * xf), out)
    return out.reshape(xb.shape)


def normalised_vega(x: ArrayLike, s: ArrayLike) -> F64:
    """Normalised vega ``db/ds = exp(-((x/s)**2 + (s/2)**2)/2) / sqrt(2 pi)``.

    Equal for calls and puts. At ``s = 0`` it is 0, except at ``x = 0``.
    """
    xb, sb = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(s, dtype=np.float64))
    with np.errstate(all="ignore"):
        h = np.where(sb > 0, xb / sb, np.where(xb == 0, 0.0, -np.inf))
        out = ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * (h * h + 0.25 * sb * sb))
    return np.where(np.isnan(xb) | np.isnan(sb) | (sb < 0.0), np.nan, out)
