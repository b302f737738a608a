r"""Jäckel's "Let's Be Rational" inversion of the normalised Black function, vectorised.

Reference: P. Jäckel (2015), "Let's Be Rational", *Wilmott* 2015(75), 40-53.

Given ``x = ln(F/K) <= 0`` (an out-of-the-money call; in-the-money options and
puts are mapped here by put-call parity and ``b_put(x) = b_call(-x)``) and a
normalised price ``0 < beta < b_max = e^{x/2}``, find ``s > 0`` with
``b(x, s) = beta`` (:mod:`optionsflow.volatility.normalised`).

**Initial guess.** The point of inflexion ``s_c = sqrt(2|x|)`` of ``s -> b(x, s)``
and the tangent there define ``s_l = s_c - b_c/b'_c`` and
``s_u = s_c + (b_max - b_c)/b'_c``, cutting the price axis into four
segments. On ``[b_l, b_c]`` and ``[b_c, b_u]`` the inverse ``s(beta)`` is
interpolated by a shape-preserving rational cubic (Delbourgo and Gregory, 1985)
through the end points with slopes ``1/b'``. Below ``b_l`` the lower map
``f(beta) = (2 pi/sqrt 27) |x| Phi(-|x|/(sqrt3 s))**3`` and above ``b_u`` the upper map
``f(beta) = Phi(-s/2)`` are interpolated instead (they are nearly linear in
``beta`` there) and inverted in closed form.

**Refinement.** Two Householder steps of order three,
``s += n (1 + h n/2) / (1 + n (h + h3 n/6))`` with ``n = -g/g'``, ``h = g''/g'``,
``h3 = g'''/g'``, on an objective ``g`` that is nearly linear in each segment:
``g = 1/ln b(s) - 1/ln beta`` on the lowest segment,
``g = ln((b_max - beta)/(b_max - b(s)))`` on the highest when ``beta > b_max/2``,
and ``g = b(s) - beta`` elsewhere. With ``b'' / b' = x**2/s**3 - s/4`` and
``b''' / b' = (b''/b')**2 - 3 x**2/s**4 - 1/4`` all derivatives are cheap. The
paper shows this reaches the attainable precision everywhere.

Everything is branch-free over arrays: segments are masks, not loops over options.

Examples
--------
>>> import numpy as np
>>> from optionsflow.volatility.normalised import normalised_black
>>> x, s = np.array([-0.3, 0.0, -0.5]), np.array([0.25, 1.0, 0.04])
>>> beta = normalised_black(x, s)
>>> bool(np.allclose(normalised_implied_vol(beta, x), s, rtol=1e-14))
True
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.special import erfcx, ndtr, ndtri

from optionsflow.volatility.normalised import (
    DBL_EPSILON,
    ONE_OVER_SQRT_TWO_PI,
    SQRT_PI_OVER_TWO,
    black_otm_and_vega,
)

__all__ = ["HOUSEHOLDER_STEPS", "normalised_implied_vol"]

F64 = NDArray[np.float64]
B8 = NDArray[np.bool_]

HOUSEHOLDER_STEPS = 2
"""Number of Householder(3) steps after the rational initial guess."""

DBL_MIN = float(np.finfo(np.float64).tiny)
DBL_MAX = float(np.finfo(np.float64).max)
SQRT_TWO_PI = math.sqrt(2.0 * math.pi)
SQRT_THREE = math.sqrt(3.0)
TWO_PI_OVER_SQRT_27 = 2.0 * math.pi / math.sqrt(27.0)
_R_MIN = -(1.0 - math.sqrt(DBL_EPSILON))
_R_MAX = 2.0 / (DBL_EPSILON * DBL_EPSILON)


# --- rational cubic interpolation (Delbourgo & Gregory 1985, as used by Jäckel) --------------
def _rc_interpolate(  # noqa: PLR0917 (the interpolant's eight defining numbers)
    x: F64, x_l: F64, x_r: F64, y_l: F64, y_r: F64, d_l: F64, d_r: F64, r: F64
) -> F64:
    """Rational cubic through ``(x_l, y_l), (x_r, y_r)`` with slopes ``d_l, d_r``, shape ``r``."""
    h = x_r - x_l
    t = (x - x_l) / h
    omt = 1.0 - t
    t2, omt2 = t * t, omt * omt
    num = y_r * t2 * t + (r * y_r - h * d_r) * t2 * omt + (r * y_l + h * d_l) * t * omt2
    cubic = (num + y_l * omt2 * omt) / (1.0 + (r - 3.0) * t * omt)
    linear = y_r * t + y_l * omt
    out = np.where(r >= _R_MAX, linear, cubic)
    return np.where(np.abs(h) > 0.0, out, 0.5 * (y_l + y_r))


def _rc_min_param(d_l: F64, d_r: F64, slope: F64, prefer_shape: bool) -> F64:
    """Smallest shape parameter keeping the interpolant monotone/convex where the data are."""
    monotonic = (d_l * slope >= 0.0) & (d_r * slope >= 0.0)
    convex = (d_l <= slope) & (slope <= d_r)
    concave = (d_l >= slope) & (slope >= d_r)
    fallback = _R_MAX if prefer_shape else -DBL_MAX
    r1 = np.where(
        monotonic, np.where(np.abs(slope) >= DBL_MIN, (d_r + d_l) / slope, fallback), -DBL_MAX
    )
    sml, drs = slope - d_l, d_r - slope
    degenerate = (np.abs(sml) < DBL_MIN) | (np.abs(drs) < DBL_MIN)
    r2_cc = np.where(
        degenerate, fallback, np.maximum(np.abs((d_r - d_l) / drs), np.abs((d_r - d_l) / sml))
    )
    r2 = np.where(convex | concave, r2_cc, np.where(monotonic & prefer_shape, _R_MAX, -DBL_MAX))
    out = np.maximum(_R_MIN, np.maximum(r1, r2))
    return np.where(monotonic | convex | concave, out, _R_MIN)


def _rc_param(  # noqa: PLR0917 (the interpolant's defining numbers)
    x_l: F64, x_r: F64, y_l: F64, y_r: F64, d_l: F64, d_r: F64, d2: F64, *, right: bool,
    prefer_shape: bool,
) -> F64:  # fmt: skip
    """Convex shape parameter fitting the second derivative ``d2`` at the right or left end."""
    h = x_r - x_l
    slope = (y_r - y_l) / h
    num = 0.5 * h * d2 + (d_r - d_l)
    den = d_r - slope if right else slope - d_l
    r = np.where(
        np.abs(num) < DBL_MIN,
        0.0,
        np.where(np.abs(den) < DBL_MIN, np.where(num > 0, _R_MAX, _R_MIN), num / den),
    )
    return np.maximum(r, _rc_min_param(d_l, d_r, slope, prefer_shape))


# --- the lower and upper maps --------------------------------------------------------------
def _lower_map_guess(beta: F64, x: F64, s_l: F64, b_l: F64) -> F64:
    """Guess ``s`` on the lowest segment ``beta < b_l`` via the lower map."""
    ax = np.abs(x)
    z = ax / (SQRT_THREE * s_l)
    y = z * z
    s2 = s_l * s_l
    phi_cdf = ndtr(-z)
    mills = SQRT_PI_OVER_TWO * erfcx(z / math.sqrt(2.0))  # Phi(-z) / phi(z)
    fpp = (
        (math.pi / 6.0) * y / (s2 * s_l) * phi_cdf
        * (8.0 * SQRT_THREE * s_l * ax + (3.0 * s2 * (s2 - 8.0) - 8.0 * x * x) * mills)
        * np.exp(2.0 * y + 0.25 * s2)
    )  # fmt: skip
    fp = 2.0 * math.pi * y * phi_cdf * phi_cdf * np.exp(y + 0.125 * s2)
    f_l = TWO_PI_OVER_SQRT_27 * ax * phi_cdf * phi_cdf * phi_cdf
    zero, one = np.zeros_like(beta), np.ones_like(beta)
    r = _rc_param(zero, b_l, zero, f_l, one, fp, fpp, right=True, prefer_shape=True)
    f = _rc_interpolate(beta, zero, b_l, zero, f_l, one, fp, r)
    t = beta / b_l
    f = np.where(f > 0.0, f, (f_l * t + b_l * (1.0 - t)) * t)  # quadratic fallback
    inv = ndtri(np.cbrt(f / (TWO_PI_OVER_SQRT_27 * ax)))
    return np.where(f > 0.0, np.abs(x / (SQRT_THREE * inv)), 0.0)


def _upper_map_guess(beta: F64, x: F64, s_u: F64, b_u: F64, b_max: F64) -> F64:
    """Guess ``s`` on the highest segment ``beta > b_u`` via the upper map."""
    f_u = ndtr(-0.5 * s_u)
    w = (x / s_u) ** 2
    fp = -0.5 * np.exp(0.5 * w)
    fpp = SQRT_PI_OVER_TWO * np.exp(w + 0.125 * s_u * s_u) * w / s_u
    zero, half = np.zeros_like(beta), np.full_like(beta, -0.5)
    r = _rc_param(b_u, b_max, f_u, zero, fp, half, fpp, right=False, prefer_shape=True)
    f = _rc_interpolate(beta, b_u, b_max, f_u, zero, fp, half, r)
    f = np.where(np.isfinite(fpp), f, -1.0)
    h = b_max - b_u
    t = (beta - b_u) / h
    f = np.where(f > 0.0, f, (f_u * (1.0 - t) + 0.5 * h * t) * (1.0 - t))
    guess: F64 = -2.0 * ndtri(f)
    return guess


# --- the solver ----------------------------------------------------------------------------
def _householder(newton: F64, halley: F64, hh3: F64) -> F64:
    return newton * (1.0 + 0.5 * halley * newton) / (1.0 + newton * (halley + hh3 * newton / 6.0))


class _Guess(NamedTuple):
    s: F64
    s_left: F64
    s_right: F64
    use_lower: B8  # objective 1/ln b - 1/ln beta
    use_upper: B8  # objective ln((b_max - beta)/(b_max - b))
    b_max: F64


def _initial_guess(beta: F64, x: F64) -> _Guess:
    """Four-segment rational guess and the bracket it implies."""
    b_max = np.exp(0.5 * x)
    s_c = np.sqrt(-2.0 * x)
    b_c = 0.5 * b_max - ndtr(-s_c) / b_max  # b(x, s_c) in closed form; the guess only
    v_c = b_max * ONE_OVER_SQRT_TWO_PI
    lower = beta < b_c
    s_side = np.where(lower, s_c - b_c / v_c, s_c + (b_max - b_c) / v_c)
    b_side, v_side = black_otm_and_vega(x, s_side)

    # Middle segments: rational cubic from (b_c, s_c) to (b_l, s_l) or (b_u, s_u), with zero
    # second derivative at the b_c end. The interpolant is symmetric in its two ends, so the
    # b_c node can always be the "left" one (h < 0 on the lower side).
    inv_vc = 1.0 / v_c
    inv_side = 1.0 / v_side
    zero = np.zeros_like(beta)
    r = _rc_param(b_c, b_side, s_c, s_side, inv_vc, inv_side, zero, right=False, prefer_shape=False)
    s = _rc_interpolate(beta, b_c, b_side, s_c, s_side, inv_vc, inv_side, r)
    s_left, s_right = np.minimum(s_c, s_side), np.maximum(s_c, s_side)

    use_lower = lower & (beta < b_side)
    use_upper = ~lower & (beta > b_side)
    idx = np.flatnonzero(use_lower)
    if idx.size:
        s[idx] = _lower_map_guess(beta[idx], x[idx], s_side[idx], b_side[idx])
        s_left[idx], s_right[idx] = DBL_MIN, s_side[idx]
    idx = np.flatnonzero(use_upper)
    if idx.size:
        s[idx] = _upper_map_guess(beta[idx], x[idx], s_side[idx], b_side[idx], b_max[idx])
        s_left[idx], s_right[idx] = s_side[idx], DBL_MAX
    return _Guess(s, s_left, s_right, use_lower, use_upper & (beta > 0.5 * b_max), b_max)


def _lower_step(b: F64, bp: F64, beta: F64, b_halley: F64, b_hh3: F64) -> F64:
    """Householder step for ``g = 1/ln b(s) - 1/ln beta``."""
    ln_b, ln_beta = np.log(b), np.log(beta)
    bpob = bp / b
    k = 1.0 + 2.0 / ln_b
    newton = (ln_beta - ln_b) * ln_b / ln_beta / bpob
    halley = b_halley - bpob * k
    hh3 = b_hh3 + 2.0 * bpob * bpob * (1.0 + 3.0 / ln_b * (1.0 + 1.0 / ln_b))
    return _householder(newton, halley, hh3 - 3.0 * b_halley * bpob * k)


def _upper_step(  # noqa: PLR0917 (six arrays of one step)
    b: F64, bp: F64, beta: F64, b_max: F64, b_halley: F64, b_hh3: F64
) -> F64:
    """Householder step for ``g = ln((b_max - beta)/(b_max - b(s)))``."""
    gap = b_max - b
    g = np.log((b_max - beta) / gap)
    gp = bp / gap
    return _householder(-g / gp, b_halley + gp, b_hh3 + gp * (2.0 * gp + 3.0 * b_halley))


def normalised_implied_vol(beta: F64, x: F64) -> F64:
    """Solve ``b(x, s) = beta`` for ``s``, for out-of-the-money calls.

    Parameters
    ----------
    beta
        1-d array of normalised prices, ``0 < beta < exp(x/2)``.
    x
        1-d array (same shape) of log-moneyness, ``x <= 0``.

    Returns
    -------
    numpy.ndarray
        ``s = sigma sqrt(T)``. Inputs outside the domain give meaningless
        values: callers check the domain first (see :mod:`optionsflow.volatility.iv`).
    """
    with np.errstate(all="ignore"):
        s, s_left, s_right, use_lower, use_upper, b_max = _initial_guess(beta, x)
        active = np.ones(beta.shape, dtype=bool)  # not yet converged: |ds| > eps s
        for step in range(HOUSEHOLDER_STEPS):
            if step > 0:  # a step that left the bracket is replaced by bisection
                out = active & ~((s > s_left) & (s < s_right))
                s = np.where(out, 0.5 * (s_left + s_right), s)
            b, bp = black_otm_and_vega(x, s)
            s_right = np.where((b > beta) & (s < s_right), s, s_right)
            s_left = np.where((b < beta) & (s > s_left), s, s_left)
            b_halley = (x / s) ** 2 / s - 0.25 * s  # b'' / b'
            b_hh3 = b_halley * b_halley - 3.0 * (x / (s * s)) ** 2 - 0.25  # b''' / b'
            ds = _householder((beta - b) / bp, b_halley, b_hh3)
            bad = ~(bp > 0.0)
            idx = np.flatnonzero(use_lower)
            if idx.size:
                bi = b[idx]
                ds[idx] = _lower_step(bi, bp[idx], beta[idx], b_halley[idx], b_hh3[idx])
                bad[idx] |= ~(bi > 0.0)
            idx = np.flatnonzero(use_upper)
            if idx.size:
                bi, bpi, bmi = b[idx], bp[idx], b_max[idx]
                ds[idx] = _upper_step(bi, bpi, beta[idx], bmi, b_halley[idx], b_hh3[idx])
                bad[idx] |= ~(bi < bmi) | ~(bpi > DBL_MIN)
            # underflow or a non-finite step: bisect the bracket instead
            ds = np.where(bad | ~np.isfinite(ds), 0.5 * (s_left + s_right) - s, ds)
            ds = np.where(active, np.maximum(-0.5 * s, ds), 0.0)
            s = s + ds
            active &= np.abs(ds) > DBL_EPSILON * s
    return s
