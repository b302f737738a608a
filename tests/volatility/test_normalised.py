"""The normalised Black function and its inversion, region by region, against 40 digits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from optionsflow.volatility.lets_be_rational import normalised_implied_vol
from optionsflow.volatility.normalised import (
    ASYMPTOTIC_THRESHOLD,
    SMALL_T_THRESHOLD,
    black_otm_and_vega,
    normalised_black,
    normalised_intrinsic,
    normalised_vega,
)

from tolerances import NORMALISED_IV_REL, VEGA_REL

oracle = pytest.importorskip("_mp_oracle", reason="mpmath not installed")

EPS = np.finfo(np.float64).eps
RNG = np.random.default_rng(11)

# (x, s) samples inside each of Jäckel's four regions (x <= 0)
REGIONS = {
    "asymptotic": (-RNG.uniform(0.6, 3.0, 150), RNG.uniform(0.002, 0.05, 150)),
    "small_t": (-RNG.uniform(0.0, 1.0, 150), RNG.uniform(0.001, 2 * SMALL_T_THRESHOLD, 150)),
    "direct": (-RNG.uniform(0.0, 0.5, 150), RNG.uniform(2.5, 6.0, 150)),
    "erfcx": (-RNG.uniform(0.0, 1.5, 150), RNG.uniform(0.43, 2.5, 150)),
}


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_black_is_exact_to_its_inputs(region: str) -> None:
    """Relative error within a few ulps times the condition number of b(x, s)."""
    x, s = REGIONS[region]
    if region == "asymptotic":
        assert (x / s < ASYMPTOTIC_THRESHOLD).any()
    got, vega = black_otm_and_vega(x, s)
    for xi, si, bi, vi in zip(x, s, got, vega, strict=True):
        exact = float(oracle.normalised_black(xi, si))
        if exact < 1e-300:
            continue
        cond = oracle.normalised_condition(xi, si)
        assert abs(bi - exact) <= 32 * EPS * (1.0 + cond) * exact, (xi, si)
        exact_vega = float(oracle.mp.npdf(oracle.mp.mpf(xi) / si + si / 2) * oracle.mp.exp(xi / 2))
        assert vi == pytest.approx(exact_vega, rel=VEGA_REL)


def test_parity_and_limits() -> None:
    x = np.linspace(-2.0, 2.0, 41)
    s = np.full_like(x, 0.7)
    np.testing.assert_allclose(
        normalised_black(x, s) - normalised_black(-x, s), 2 * np.sinh(x / 2), atol=4 * EPS
    )
    np.testing.assert_array_equal(normalised_black(x, 0.0), normalised_intrinsic(x))
    np.testing.assert_allclose(normalised_black(x, np.inf), np.exp(x / 2))
    assert np.isnan(normalised_black(0.1, -1.0))
    assert float(normalised_vega(0.0, 0.0)) == pytest.approx(1 / np.sqrt(2 * np.pi))
    assert float(normalised_vega(-0.1, 0.0)) == 0.0


@settings(max_examples=300, deadline=None)
@given(x=st.floats(-4.0, 0.0), s=st.floats(1e-3, 8.0))
def test_inversion_round_trip(x: float, s: float) -> None:
    xa, sa = np.array([x]), np.array([s])
    beta, vega = black_otm_and_vega(xa, sa)
    # neither underflowed nor indistinguishable from the maximum
    assume(beta[0] > 1e-300 and beta[0] < np.exp(x / 2) * (1 - 1e-15))
    got = normalised_implied_vol(beta, xa)[0]
    # the inverse of the float beta is s to within the rounding of beta (and of b itself)
    bound = 64 * EPS * beta[0] / vega[0] if vega[0] > 0 else np.inf
    assert abs(got - s) <= bound + 8 * EPS * s


def test_inversion_is_vectorised_over_all_branches() -> None:
    x = -np.repeat([1e-12, 1e-4, 0.05, 0.5, 2.0], 400)
    s = np.tile(np.geomspace(1e-3, 6.0, 400), 5)
    beta, _ = black_otm_and_vega(x, s)
    keep = (beta > 1e-300) & (beta < np.exp(x / 2) * (1 - 1e-12))
    got = normalised_implied_vol(beta[keep], x[keep])
    np.testing.assert_allclose(got, s[keep], rtol=NORMALISED_IV_REL)
