"""BSM and Black-76 prices and greeks against published values and a 40-digit oracle."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optionsflow.volatility import black76_greeks, black76_price, bsm_greeks, bsm_price

from tolerances import CLOSED_FORM_REL, GREEKS_ABS, GREEKS_REL

oracle = pytest.importorskip("_mp_oracle", reason="mpmath not installed")

EPS = np.finfo(np.float64).eps


def test_hull_prices_to_the_last_digits() -> None:
    call, put = bsm_price(42.0, 40.0, 0.5, 0.2, rate=0.1, is_call=np.array([True, False]))
    assert call == pytest.approx(4.7594223928715332, rel=4 * EPS)
    assert put == pytest.approx(0.80859937290009358, rel=8 * EPS)


def test_hull_greeks_published_values() -> None:
    # Hull: delta N(d1) = 0.7791, put delta -0.2209
    g = bsm_greeks(42.0, 40.0, 0.5, 0.2, rate=0.1, is_call=np.array([True, False]))
    assert np.round(g.delta, 4).tolist() == [0.7791, -0.2209]
    assert g.gamma[0] == g.gamma[1]
    assert g.vega[0] == g.vega[1]


def _cases(n: int, seed: int) -> list[tuple[float, float, float, float, float, float, bool]]:
    rng = np.random.default_rng(seed)
    return [
        (
            float(rng.uniform(50, 150)),
            100.0,
            float(rng.uniform(0.01, 2.0)),
            float(rng.uniform(0.05, 1.2)),
            float(rng.uniform(0, 0.08)),
            float(rng.uniform(0, 0.05)),
            bool(rng.random() < 0.5),
        )
        for _ in range(n)
    ]


def test_prices_match_40_digits_including_deep_out_of_the_money() -> None:
    cases = [*_cases(400, seed=1), (100.0, 200.0, 0.05, 0.1, 0.0, 0.0, True)]  # price ~ 1e-300
    s, k, t, v, r, q, c = (np.array(col) for col in zip(*cases, strict=True))
    got = bsm_price(s, k, t, v, rate=r, dividend=q, is_call=c)
    for value, case in zip(got, cases, strict=True):
        exact = float(oracle.price(*case))
        spot, strike = case[0], case[1]
        # relative to the price, plus the ulps of the intrinsic part in the money
        assert abs(value - exact) <= 16 * EPS * exact + 4 * (np.spacing(spot) + np.spacing(strike))


def test_greeks_match_40_digit_derivatives() -> None:
    for case in _cases(40, seed=2):
        spot, strike, tau, sigma, rate, div, call = case
        g = bsm_greeks(spot, strike, tau, sigma, rate=rate, dividend=div, is_call=call)
        exact = oracle.greeks(*case)
        for got, want in zip(g, exact, strict=True):
            assert float(got) == pytest.approx(want, rel=GREEKS_REL, abs=GREEKS_ABS)


@settings(max_examples=300, deadline=None)
@given(
    spot=st.floats(10.0, 500.0),
    moneyness=st.floats(0.3, 3.0),
    tau=st.floats(1e-3, 5.0),
    sigma=st.floats(0.01, 3.0),
    rate=st.floats(-0.02, 0.1),
    div=st.floats(0.0, 0.1),
)
def test_put_call_parity(  # noqa: PLR0917
    spot: float, moneyness: float, tau: float, sigma: float, rate: float, div: float
) -> None:
    strike = spot * moneyness
    c, p = bsm_price(spot, strike, tau, sigma, rate=rate, dividend=div, is_call=[True, False])
    forward_value = spot * math.exp(-div * tau) - strike * math.exp(-rate * tau)
    assert c - p == pytest.approx(forward_value, abs=8 * (np.spacing(spot) + np.spacing(strike)))
    assert c >= max(forward_value, 0.0) - 4 * np.spacing(spot)


def test_black76_is_bsm_on_a_forward() -> None:
    f, k, t, v, r = 105.0, np.array([90.0, 100.0, 110.0]), 0.75, 0.3, 0.04
    for call in (True, False):
        np.testing.assert_array_equal(
            black76_price(f, k, t, v, rate=r, is_call=call),
            bsm_price(f, k, t, v, rate=r, dividend=r, is_call=call),
        )
    g76, gbsm = black76_greeks(f, k, t, v, rate=r), bsm_greeks(f, k, t, v, rate=r, dividend=r)
    for a, b in zip(g76, gbsm, strict=True):
        np.testing.assert_array_equal(a, b)
    # Black-76 delta is dV/dF = e^{-rT} Phi(d1)
    d1 = np.log(f / k) / (v * math.sqrt(t)) + 0.5 * v * math.sqrt(t)
    expected = math.exp(-r * t) * 0.5 * (1 + np.vectorize(math.erf)(d1 / math.sqrt(2)))
    np.testing.assert_allclose(g76.delta, expected, rtol=CLOSED_FORM_REL)


def test_limits_and_invalid_inputs() -> None:
    # zero vol or time: discounted intrinsic; infinite vol: the maximum; negative: NaN
    assert float(bsm_price(100.0, 90.0, 1.0, 0.0, rate=0.05)) == pytest.approx(
        100.0 - 90.0 * math.exp(-0.05)
    )
    assert float(bsm_price(100.0, 110.0, 0.0, 0.3, is_call=False)) == pytest.approx(10.0)
    assert float(bsm_price(100.0, 110.0, 1.0, math.inf, dividend=0.02)) == pytest.approx(
        100.0 * math.exp(-0.02)
    )
    assert math.isnan(float(bsm_price(100.0, 110.0, 1.0, -0.1)))
    assert math.isnan(float(bsm_price(100.0, 110.0, -1.0, 0.1)))
    g = bsm_greeks(100.0, 110.0, 0.0, 0.3)
    assert all(math.isnan(float(x)) for x in g)


def test_shapes_broadcast() -> None:
    p = bsm_price(np.array([[90.0], [110.0]]), np.array([95.0, 100.0, 105.0]), 0.5, 0.2)
    assert p.shape == (2, 3)
    assert bsm_price(100.0, 100.0, 1.0, 0.2).shape == ()
    assert bsm_greeks(100.0, [90.0, 110.0], 1.0, 0.2).theta.shape == (2,)
