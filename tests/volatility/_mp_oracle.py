"""High-precision (mpmath, 40 digits) reference values, independent of the code under test.

Only the textbook formulas are used: ``Phi`` is ``mpmath.ncdf``, derivatives are
``mpmath.diff`` of the price, and implied vols are ``mpmath.findroot`` of the price.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import mpmath as mp  # ships no types: a mypy override in pyproject.toml makes it Any
else:
    mp = pytest.importorskip("mpmath")

mp.mp.dps = 40


def price(  # noqa: PLR0917
    spot: float, strike: float, tau: float, sigma: float, rate: float, div: float, call: bool
) -> mp.mpf:
    s, k, t, v, r, q = (mp.mpf(a) for a in (spot, strike, tau, sigma, rate, div))
    a, b = s * mp.exp(-q * t), k * mp.exp(-r * t)
    if v == 0 or t == 0:
        return max(a - b, mp.mpf(0)) if call else max(b - a, mp.mpf(0))
    sd = v * mp.sqrt(t)
    d1 = mp.log(a / b) / sd + sd / 2
    d2 = d1 - sd
    if call:
        return a * mp.ncdf(d1) - b * mp.ncdf(d2)
    return b * mp.ncdf(-d2) - a * mp.ncdf(-d1)


def greeks(  # noqa: PLR0917
    spot: float, strike: float, tau: float, sigma: float, rate: float, div: float, call: bool
) -> tuple[float, float, float, float]:
    """Delta, gamma, vega, theta (= -dV/dtau) by high-precision numerical differentiation."""

    def f(s: mp.mpf, t: mp.mpf, v: mp.mpf) -> mp.mpf:
        return price(s, strike, t, v, rate, div, call)

    s, t, v = mp.mpf(spot), mp.mpf(tau), mp.mpf(sigma)
    delta = mp.diff(lambda x: f(x, t, v), s)
    gamma = mp.diff(lambda x: f(x, t, v), s, 2)
    vega = mp.diff(lambda x: f(s, t, x), v)
    theta = -mp.diff(lambda x: f(s, x, v), t)
    return float(delta), float(gamma), float(vega), float(theta)


def normalised_black(x: float, s: float) -> mp.mpf:
    xm, sm = mp.mpf(x), mp.mpf(s)
    return mp.exp(xm / 2) * mp.ncdf(xm / sm + sm / 2) - mp.exp(-xm / 2) * mp.ncdf(xm / sm - sm / 2)


def normalised_condition(x: float, s: float) -> float:
    """``|x db/dx / b| + |s db/ds / b|``: relative sensitivity of b to its inputs."""
    xm, sm = mp.mpf(x), mp.mpf(s)
    b = normalised_black(x, s)
    bx = (
        mp.exp(xm / 2) * mp.ncdf(xm / sm + sm / 2) + mp.exp(-xm / 2) * mp.ncdf(xm / sm - sm / 2)
    ) / 2
    bs = mp.npdf(xm / sm + sm / 2) * mp.exp(xm / 2)
    return float(abs(xm * bx / b) + abs(sm * bs / b))


def implied_vol(  # noqa: PLR0917
    p: float,
    spot: float,
    strike: float,
    tau: float,
    rate: float,
    div: float,
    call: bool,
    guess: float,
) -> float:
    """The vol whose exact price equals the float ``p`` (root of the 40-digit price)."""
    target = mp.mpf(p)
    root = mp.findroot(
        lambda v: price(spot, strike, tau, v, rate, div, call) - target, mp.mpf(guess)
    )
    return float(root)


def vega(  # noqa: PLR0917
    spot: float, strike: float, tau: float, sigma: float, rate: float, div: float
) -> float:
    a = spot * math.exp(-div * tau)
    sd = sigma * math.sqrt(tau)
    d1 = math.log(a / (strike * math.exp(-rate * tau))) / sd + sd / 2
    return a * math.sqrt(tau) * math.exp(-d1 * d1 / 2) / math.sqrt(2 * math.pi)
