"""with_greeks: tau at the 16:00 New York cut-off, IV round trip, closed-form delta."""

import datetime as dt
import math

import polars as pl
import pytest
from scipy.stats import norm

from optionsflow.testing import trades
from optionsflow.volatility.black import bsm_price
from optionsflow.volatility.enrich import with_greeks

from tolerances import DELTA_REL, FEW_OPS_REL, IV_ROUND_TRIP_ABS

TS = dt.datetime(2026, 11, 16, 20, 0, tzinfo=dt.UTC)  # 15:00 EST
CLOSE = dt.datetime(2026, 12, 18, 21, 0, tzinfo=dt.UTC)  # 16:00 EST on expiry
TAU = (CLOSE - TS).total_seconds() / (365 * 86_400)


def _delta(s: float, k: float, t: float, v: float, *, r: float, q: float, call: bool) -> float:
    d1 = (math.log(s / k) + (r - q + v * v / 2) * t) / (v * math.sqrt(t))
    cdf = float(norm.cdf(d1))  # scipy is untyped here: Any
    return math.exp(-q * t) * (cdf if call else cdf - 1)


@pytest.mark.parametrize(("right", "strike", "vol"), [("C", 110.0, 0.3), ("P", 100.0, 0.55)])
def test_round_trip_and_closed_form_delta(right: str, strike: float, vol: float) -> None:
    r, q, spot = 0.04, 0.01, 108.0
    price = float(bsm_price(spot, strike, TAU, vol, rate=r, dividend=q, is_call=right == "C"))
    frame = trades(
        [{"ts": TS, "price": price, "strike": strike, "right": right, "underlying_price": spot}]
    )
    out = with_greeks(frame, rate=r, dividend=q).collect().row(0, named=True)
    assert out["tau"] == pytest.approx(TAU, rel=FEW_OPS_REL)
    assert out["iv"] == pytest.approx(vol, abs=IV_ROUND_TRIP_ABS)
    assert out["iv_status"] == "ok"
    assert out["delta"] == pytest.approx(
        _delta(spot, strike, TAU, vol, r=r, q=q, call=right == "C"), rel=DELTA_REL
    )


def test_no_time_value_gives_null_iv_and_delta() -> None:
    frame = trades([{"ts": TS, "price": 0.5, "strike": 100.0, "underlying_price": 108.0}])
    out = with_greeks(frame).collect().row(0, named=True)  # 0.5 is below the intrinsic 8.0
    assert out["iv"] is None
    assert out["delta"] is None
    assert out["iv_status"] == "below_intrinsic"


def test_vendor_values_are_kept_and_nulls_filled() -> None:
    price = float(bsm_price(108.0, 110.0, TAU, 0.3))
    frame = trades([{"ts": TS, "price": price}, {"ts": TS, "price": price}]).with_columns(
        pl.Series("delta", [0.123, None]), pl.Series("iv", [0.5, None])
    )
    out = with_greeks(frame).collect()
    assert out["delta"][0] == 0.123
    assert out["iv"][0] == 0.5
    assert out["iv"][1] == pytest.approx(0.3, abs=IV_ROUND_TRIP_ABS)
    assert out.columns.count("delta") == 1


def test_dst_cut_off() -> None:
    # expiry 2026-07-17: 16:00 EDT = 20:00 UTC
    ts = dt.datetime(2026, 7, 17, 19, 0, tzinfo=dt.UTC)
    frame = trades([{"ts": ts, "expiry": dt.date(2026, 7, 17), "price": 1.0}])
    out = with_greeks(frame).collect()
    assert out["tau"].item() == pytest.approx(3600 / (365 * 86_400), rel=FEW_OPS_REL)
