"""The implied-vol solver: published values, a 40-digit oracle, round trips, status codes."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from optionsflow.volatility import (
    IVStatus,
    bsm_price,
    implied_vol,
    implied_vol_black76,
    implied_vol_status,
    solve_implied_vol,
)
from optionsflow.volatility.iv import CHUNK_SIZE

from tolerances import BLACK76_REFERENCE_ABS, IV_ORACLE_ABS, IV_SOLVER_ABS, IV_SOLVER_REL

oracle = pytest.importorskip("_mp_oracle", reason="mpmath not installed")

EPS = np.finfo(np.float64).eps


def test_hull_example_both_rights() -> None:
    # Hull, Options Futures and Other Derivatives: S=42, K=40, r=10%, sigma=20%, T=0.5
    vol = implied_vol(
        [4.7594223928715332, 0.80859937290009358], 42.0, 40.0, 0.5, rate=0.1, is_call=[True, False]
    )
    assert np.abs(vol - 0.2).max() <= 4 * EPS * 0.2


def test_black76_reference_value() -> None:
    # price 20, F=100, K=90, T=30 years, r=0 -> 0.07011701801482094 (the 40-digit root is
    # 0.0701170180148209309, so the value quoted is 1 ulp from the correctly rounded one)
    vol = float(implied_vol_black76(20.0, 100.0, 90.0, 30.0))
    exact = oracle.implied_vol(20.0, 100.0, 90.0, 30.0, 0.0, 0.0, True, 0.07)
    assert abs(vol - 0.07011701801482094) <= BLACK76_REFERENCE_ABS
    bound = np.spacing(20.0) / oracle.vega(100.0, 90.0, 30.0, exact, 0.0, 0.0)
    assert abs(vol - exact) <= bound


def _uniform_set(n: int, seed: int) -> dict[str, np.ndarray]:
    """The acceptance domain: S=100, K/S in [0.5, 1.5], T in [1 day, 2y], vol 5-150%."""
    rng = np.random.default_rng(seed)
    return {
        "spot": np.full(n, 100.0),
        "strike": 100.0 * rng.uniform(0.5, 1.5, n),
        "tau": rng.uniform(1 / 365, 2.0, n),
        "sigma": rng.uniform(0.05, 1.5, n),
        "rate": rng.uniform(0.0, 0.08, n),
        "div": rng.uniform(0.0, 0.05, n),
        "call": rng.random(n) < 0.5,
    }


def test_accuracy_against_40_digit_prices() -> None:
    """Exact to the float inputs: <= 1e-13 where they determine vol to 1e-13, else <= 2 bounds."""
    d = _uniform_set(2500, seed=20260105)
    cols = ("spot", "strike", "tau", "sigma", "rate", "div", "call")
    price = np.array([float(oracle.price(*row)) for row in zip(*(d[c] for c in cols), strict=True)])
    res = solve_implied_vol(
        price,
        d["spot"],
        d["strike"],
        d["tau"],
        rate=d["rate"],
        dividend=d["div"],
        is_call=d["call"],
    )
    ok = res.status == IVStatus.OK
    assert ok.mean() > 0.98  # the rest have no time value left after rounding
    assert set(np.unique(res.status[~ok])) <= {IVStatus.NO_TIME_VALUE, IVStatus.INVALID_INPUT}
    assert np.isnan(res.vol[~ok]).all()
    vega = np.array([oracle.vega(*row) for row in zip(*(d[c] for c in cols[:6]), strict=True)])
    with np.errstate(divide="ignore"):
        bound = np.spacing(price) / vega  # |d sigma| from one ulp of the price
    err = np.abs(res.vol - d["sigma"])
    well = ok & (bound <= IV_ORACLE_ABS)
    assert well.mean() > 0.95
    assert err[well].max() <= IV_ORACLE_ABS
    assert (err[ok & ~well] <= 2 * bound[ok & ~well]).all()


@settings(max_examples=300, deadline=None)
@given(
    moneyness=st.floats(0.5, 1.5),
    tau=st.floats(1 / 365, 2.0),
    sigma=st.floats(0.05, 1.5),
    rate=st.floats(0.0, 0.08),
    div=st.floats(0.0, 0.05),
    call=st.booleans(),
)
def test_price_vol_price_round_trip(  # noqa: PLR0917
    moneyness: float, tau: float, sigma: float, rate: float, div: float, call: bool
) -> None:
    spot, strike = 100.0, 100.0 * moneyness
    p = float(bsm_price(spot, strike, tau, sigma, rate=rate, dividend=div, is_call=call))
    res = solve_implied_vol(p, spot, strike, tau, rate=rate, dividend=div, is_call=call)
    if p == 0.0:  # far out of the money: the price underflowed
        assert res.status == IVStatus.INVALID_INPUT
        return
    if res.status == IVStatus.NO_TIME_VALUE:  # the rounded price equals the intrinsic value
        a, b = spot * math.exp(-div * tau), strike * math.exp(-rate * tau)
        intrinsic = max(a - b, 0.0) if call else max(b - a, 0.0)
        # the solver's own rule (an ulp of price and of each discounted leg), plus the
        # rounding of this naive oracle's exp and product
        eps = np.finfo(float).eps
        tol = eps * (p + a + b) + np.spacing(a) + np.spacing(b)
        assert abs(p - intrinsic) <= tol
        return
    assert res.status == IVStatus.OK
    vol = float(res.vol)
    vega = oracle.vega(spot, strike, tau, sigma, rate, div)
    # bsm_price itself is exact to a few ulps of S, K and p: the vol is, to that over vega
    slack = 8 * (np.spacing(spot) + np.spacing(strike) + np.spacing(p)) / vega
    assert abs(vol - sigma) <= max(slack, IV_SOLVER_ABS)
    back = float(bsm_price(spot, strike, tau, vol, rate=rate, dividend=div, is_call=call))
    assert abs(back - p) <= 8 * (np.spacing(spot) + np.spacing(strike) + np.spacing(p))


@settings(max_examples=200, deadline=None)
@given(
    moneyness=st.floats(0.6, 1.4),
    tau=st.floats(0.02, 2.0),
    sigma=st.floats(0.05, 1.0),
    rate=st.floats(0.0, 0.08),
    div=st.floats(0.0, 0.05),
)
def test_put_call_parity_gives_one_vol(
    moneyness: float, tau: float, sigma: float, rate: float, div: float
) -> None:
    spot, strike = 100.0, 100.0 * moneyness
    call = float(bsm_price(spot, strike, tau, sigma, rate=rate, dividend=div))
    put = call - spot * math.exp(-div * tau) + strike * math.exp(-rate * tau)  # parity
    res = solve_implied_vol(
        [call, put], spot, strike, tau, rate=rate, dividend=div, is_call=[True, False]
    )
    # discard the cases where parity rounding left one side without time value
    assume((res.status == IVStatus.OK).all())
    vega = oracle.vega(spot, strike, tau, sigma, rate, div)
    assert abs(res.vol[0] - res.vol[1]) <= 16 * (np.spacing(spot) + np.spacing(call)) / vega


def test_status_code_per_failure_class() -> None:
    # S=100, K=90, r=q=0: call intrinsic 10, maximum 100; put intrinsic 0, maximum 90
    prices = [9.0, 10.0, 12.0, 100.0, 150.0, 90.0, 0.0, -1.0, math.nan, math.inf]
    calls = [True, True, True, True, True, False, False, True, True, True]
    status = implied_vol_status(prices, 100.0, 90.0, 0.5, is_call=calls)
    expected = [
        IVStatus.BELOW_INTRINSIC,
        IVStatus.NO_TIME_VALUE,
        IVStatus.OK,
        IVStatus.ABOVE_MAXIMUM,
        IVStatus.ABOVE_MAXIMUM,
        IVStatus.ABOVE_MAXIMUM,
        IVStatus.INVALID_INPUT,
        IVStatus.INVALID_INPUT,
        IVStatus.INVALID_INPUT,
        IVStatus.INVALID_INPUT,
    ]
    assert status.dtype == np.int8
    assert status.tolist() == [int(s) for s in expected]
    vol = implied_vol(prices, 100.0, 90.0, 0.5, is_call=calls)
    assert np.isfinite(vol[2])
    assert np.isnan(np.delete(vol, 2)).all()


@pytest.mark.parametrize(
    ("spot", "strike", "tau", "rate", "div"),
    [
        (0.0, 90.0, 0.5, 0.0, 0.0),
        (100.0, -1.0, 0.5, 0.0, 0.0),
        (100.0, 90.0, 0.0, 0.0, 0.0),
        (100.0, 90.0, -0.1, 0.0, 0.0),
        (math.inf, 90.0, 0.5, 0.0, 0.0),
        (100.0, 90.0, 0.5, math.nan, 0.0),
        (100.0, 90.0, 0.5, 0.0, math.inf),
    ],
)
def test_invalid_inputs(spot: float, strike: float, tau: float, rate: float, div: float) -> None:
    res = solve_implied_vol(12.0, spot, strike, tau, rate=rate, dividend=div)
    assert int(res.status) == IVStatus.INVALID_INPUT
    assert math.isnan(float(res.vol))


def test_no_time_value_after_rounding_is_never_a_number() -> None:
    # deep in the money, one day: the exact price rounds to the intrinsic value
    spot, strike, tau = 100.0, 50.0, 1 / 365
    p = float(oracle.price(spot, strike, tau, 0.2, 0.0, 0.0, True))
    assert p == 50.0
    res = solve_implied_vol(p, spot, strike, tau)
    assert int(res.status) == IVStatus.NO_TIME_VALUE
    assert math.isnan(float(res.vol))


def test_status_labels_are_stable() -> None:
    assert [(s.value, s.label) for s in IVStatus] == [
        (0, "ok"),
        (1, "below_intrinsic"),
        (2, "above_maximum"),
        (3, "no_time_value"),
        (4, "invalid_input"),
    ]


def test_shapes_broadcast_and_scalars() -> None:
    strikes = np.linspace(80.0, 120.0, 6).reshape(2, 3)
    p = bsm_price(100.0, strikes, 0.25, 0.3)
    vol = implied_vol(p, 100.0, strikes, 0.25)
    assert vol.shape == (2, 3)
    np.testing.assert_allclose(vol, 0.3, rtol=IV_SOLVER_REL)
    assert implied_vol(5.0, 100.0, 100.0, 0.25).shape == ()
    empty = solve_implied_vol(np.empty(0), 100.0, 100.0, 0.25)
    assert empty.vol.shape == (0,)
    assert empty.status.shape == (0,)


def test_results_do_not_depend_on_threads_or_chunking() -> None:
    d = _uniform_set(2 * CHUNK_SIZE + 123, seed=3)
    p = bsm_price(
        d["spot"],
        d["strike"],
        d["tau"],
        d["sigma"],
        rate=d["rate"],
        dividend=d["div"],
        is_call=d["call"],
    )
    args = (p, d["spot"], d["strike"], d["tau"])
    kw = {"rate": d["rate"], "dividend": d["div"], "is_call": d["call"]}
    one = solve_implied_vol(*args, threads=1, **kw)
    two = solve_implied_vol(*args, threads=2, **kw)
    np.testing.assert_array_equal(one.vol, two.vol)
    np.testing.assert_array_equal(one.status, two.status)
    single = solve_implied_vol(
        p[:5],
        d["spot"][:5],
        d["strike"][:5],
        d["tau"][:5],
        rate=d["rate"][:5],
        dividend=d["div"][:5],
        is_call=d["call"][:5],
    )
    np.testing.assert_array_equal(single.vol, one.vol[:5])


def test_black76_equals_bsm_on_the_forward() -> None:
    forward, strike, tau, rate = 105.0, 100.0, 0.75, 0.04
    p = float(bsm_price(forward, strike, tau, 0.35, rate=rate, dividend=rate, is_call=False))
    vol = implied_vol_black76(p, forward, strike, tau, rate=rate, is_call=False)
    assert abs(float(vol) - 0.35) <= IV_SOLVER_ABS


def test_first_call_works_in_a_fresh_process() -> None:
    """No compilation or table building to prepare on first use: a fresh process just solves.

    Its time is measured (cold start) by ``benchmarks/bench_iv.py``, not asserted here.
    """
    code = (
        "from optionsflow.volatility import implied_vol; "
        "print(*implied_vol([2.0, 3.0], 100.0, 100.0, 0.25))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    fresh = [float(v) for v in out.stdout.split()]
    np.testing.assert_array_equal(fresh, implied_vol([2.0, 3.0], 100.0, 100.0, 0.25))
