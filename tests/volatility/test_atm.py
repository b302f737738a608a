"""ATM vol per expiry and constant-maturity interpolation against hand-computed oracles."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import polars as pl
import pytest

from optionsflow.errors import ConfigError, SchemaError
from optionsflow.volatility import bsm_price
from optionsflow.volatility.atm import (
    AtmMethod,
    ForwardSource,
    atm_term_structure,
    atm_vol,
    constant_maturity,
)

from tolerances import FORWARD_REL, INTERPOLATION_REL, IV_ROUND_TRIP_ABS

D = dt.date(2026, 1, 5)
SPOT, RATE, DIV = 100.0, 0.03, 0.01


def _quotes(
    smile: Callable[[float, int], float],
    days: tuple[int, ...] = (20, 45),
    strikes: np.ndarray | None = None,
    symbol: str = "XYZ",
) -> pl.DataFrame:
    """Exact BSM quotes (bid = ask) with vol ``smile(k, atm_index)`` at log-moneyness k."""
    strikes = np.arange(80.0, 121.0, 2.5) if strikes is None else strikes
    rows = []
    for i, n in enumerate(days):
        tau = n / 365
        fwd = SPOT * math.exp((RATE - DIV) * tau)
        for k in strikes:
            vol = smile(math.log(k / fwd), i)
            for right in ("C", "P"):
                p = float(
                    bsm_price(SPOT, k, tau, vol, rate=RATE, dividend=DIV, is_call=right == "C")
                )
                rows.append(
                    {
                        "date": D,
                        "underlying": symbol,
                        "expiry": D + dt.timedelta(days=n),
                        "strike": float(k),
                        "right": right,
                        "bid": p,
                        "ask": p,
                        "underlying_price": SPOT,
                    }
                )
    return pl.DataFrame(rows)


ATM = (0.20, 0.25)


@pytest.mark.parametrize("method", ["forward", "delta50"])
@pytest.mark.parametrize("forward", ["parity", "underlying"])
def test_flat_smile_recovers_the_vol(method: AtmMethod, forward: ForwardSource) -> None:
    quotes = _quotes(lambda k, i: ATM[i])
    out = atm_term_structure(
        quotes, method=method, forward=forward, rate=RATE, dividend=DIV
    ).collect()
    assert out["iv"].to_list() == pytest.approx(list(ATM), abs=IV_ROUND_TRIP_ABS)
    taus = [20 / 365, 45 / 365]
    assert out["forward"].to_list() == pytest.approx(
        [SPOT * math.exp((RATE - DIV) * t) for t in taus], rel=FORWARD_REL
    )
    assert out["n_options"].to_list() == [17, 17]


def _smile(k: float, i: int) -> float:
    return ATM[i] + 0.1 * k * k - 0.05 * k


def test_forward_atm_is_linear_between_the_neighbouring_strikes() -> None:
    out = atm_term_structure(_quotes(_smile), rate=RATE, dividend=DIV).collect()
    for i, n in enumerate((20, 45)):
        fwd = SPOT * math.exp((RATE - DIV) * n / 365)
        lo, hi = 2.5 * math.floor(fwd / 2.5), 2.5 * math.floor(fwd / 2.5) + 2.5
        k_lo, k_hi = math.log(lo / fwd), math.log(hi / fwd)
        oracle = _smile(k_lo, i) + (_smile(k_hi, i) - _smile(k_lo, i)) * (-k_lo) / (k_hi - k_lo)
        assert out["iv"][i] == pytest.approx(oracle, abs=IV_ROUND_TRIP_ABS)


def test_delta50_is_where_d1_crosses_zero() -> None:
    out = atm_term_structure(_quotes(_smile), method="delta50", rate=RATE, dividend=DIV).collect()
    for i, n in enumerate((20, 45)):
        tau = n / 365
        fwd = SPOT * math.exp((RATE - DIV) * tau)
        strikes = np.arange(80.0, 121.0, 2.5)
        ks = np.log(strikes / fwd)
        vols = np.array([_smile(k, i) for k in ks])
        key = ks / (vols * math.sqrt(tau)) - 0.5 * vols * math.sqrt(tau)  # -d1
        j = int(np.flatnonzero(key <= 0)[-1])
        oracle = vols[j] + (vols[j + 1] - vols[j]) * (-key[j]) / (key[j + 1] - key[j])
        assert out["iv"][i] == pytest.approx(oracle, abs=IV_ROUND_TRIP_ABS)


def test_trades_timestamps_and_size_weights() -> None:
    q = _quotes(lambda k, i: 0.3, days=(30,))
    ts = dt.datetime(2026, 1, 5, 20, 0, tzinfo=dt.UTC)  # 15:00 in New York
    trades = (
        pl.concat(
            [
                q.with_columns(price=pl.col("bid"), size=pl.lit(3)),
                q.with_columns(price=pl.col("bid") * 1.5, size=pl.lit(0)),  # weight 0: ignored
            ]
        )
        .with_columns(ts=pl.lit(ts))
        .drop("date")
    )
    out = atm_vol(trades, price="price", tenor_days=30, rate=RATE, dividend=DIV).collect()
    assert out["date"].to_list() == [D]
    assert out["iv"][0] == pytest.approx(0.3, abs=IV_ROUND_TRIP_ABS)


def test_crossed_quotes_and_expired_options_are_dropped() -> None:
    q = _quotes(lambda k, i: 0.3, days=(30,))
    bad = q.head(4).with_columns(bid=pl.col("ask") + 1.0)  # crossed: no midpoint
    expired = q.head(4).with_columns(expiry=pl.lit(D))
    out = atm_vol(pl.concat([q.slice(4), bad, expired]), rate=RATE, dividend=DIV).collect()
    assert out["iv"][0] == pytest.approx(0.3, abs=IV_ROUND_TRIP_ABS)


def test_strikes_not_straddling_the_forward_give_no_atm_vol() -> None:
    q = _quotes(lambda k, i: 0.3, days=(30,), strikes=np.array([80.0, 85.0, 90.0]))
    out = atm_term_structure(q, forward="underlying", rate=RATE, dividend=DIV).collect()
    assert out.height == 0


def _term(rows: list[tuple[str, int, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(D, s, D + dt.timedelta(days=n), v) for s, n, v in rows],
        schema={"date": pl.Date, "symbol": pl.String, "expiry": pl.Date, "iv": pl.Float64},
        orient="row",
    )


def test_constant_maturity_in_total_variance() -> None:
    term = _term([("A", 10, 0.3), ("A", 25, 0.2), ("A", 60, 0.25), ("B", 30, 0.4)])
    out = constant_maturity(term, tenor_days=[30, 91, 5], extrapolate="none").collect()
    rows = {(r["symbol"], r["tenor_days"]): r for r in out.iter_rows(named=True)}
    w1, w2 = 0.2**2 * 25, 0.25**2 * 60
    expected = math.sqrt((w1 + (w2 - w1) * (30 - 25) / (60 - 25)) / 30)
    assert rows["A", 30]["iv"] == pytest.approx(expected, rel=INTERPOLATION_REL)
    assert (rows["A", 30]["near_expiry"], rows["A", 30]["far_expiry"]) == (
        D + dt.timedelta(days=25),
        D + dt.timedelta(days=60),
    )
    assert rows["B", 30]["iv"] == 0.4  # exact tenor
    assert rows["B", 30]["far_expiry"] is None
    assert rows["A", 91]["iv"] is None  # beyond the last expiry
    assert rows["A", 5]["iv"] is None  # before the first
    flat = constant_maturity(term, tenor_days=[91, 5], extrapolate="flat").collect()
    assert flat.filter(pl.col("symbol") == "A")["iv"].to_list() == [0.3, 0.25]
    assert out.columns == ["date", "symbol", "tenor_days", "iv", "near_expiry", "far_expiry"]


def test_constant_maturity_is_flat_for_a_flat_term_structure() -> None:
    term = _term([("A", n, 0.22) for n in (7, 14, 35, 70, 180)])
    out = constant_maturity(term, tenor_days=list(range(7, 181, 9))).collect()
    assert out["iv"].to_list() == pytest.approx([0.22] * out.height, rel=INTERPOLATION_REL)


def test_bad_inputs_raise_named_errors() -> None:
    with pytest.raises(ConfigError) as err:
        constant_maturity(_term([("A", 10, 0.3)]), tenor_days=0)
    assert err.value.column == "tenor_days"
    with pytest.raises(ConfigError) as err:
        atm_vol(_quotes(lambda k, i: 0.3), method=cast(Any, "atmf"))  # deliberately unknown
    assert err.value.column == "method"
    with pytest.raises(SchemaError) as schema_err:
        atm_vol(_quotes(lambda k, i: 0.3).drop("bid"))
    assert schema_err.value.column == "bid"
    with pytest.raises(SchemaError) as schema_err:
        atm_vol(_quotes(lambda k, i: 0.3).drop("underlying_price"), forward="underlying")
    assert schema_err.value.column == "underlying_price"
