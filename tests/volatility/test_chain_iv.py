"""Chain IVs: Black-76 on a forward, status codes, greeks; agreement with Cboe's vols."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.errors import SchemaError
from optionsflow.ingest.reference.chains import load_chain, read_chain
from optionsflow.volatility.black import black76_greeks, black76_price
from optionsflow.volatility.chain_iv import chain_implied_vols

from tolerances import (
    CBOE_EQUITY_OTM_IV_MEDIAN_ABS,
    CBOE_VIX_IV_MEDIAN_ABS,
    FORWARD_REL,
    IV_FROM_ROUNDED_PRICE_REL,
    PARITY_CALL_PUT_IV_ABS,
    PARITY_STRIKE_IV_ABS,
)

YEAR = 525_600.0


def _chain(
    rows: list[tuple[float, str, float | None, float | None]], minutes: float
) -> pl.DataFrame:
    d = dt.date(2026, 3, 2)
    return pl.DataFrame(
        [(d, "X", "X", dt.date(2026, 6, 19), k, r, b, a, minutes, 0.03) for k, r, b, a in rows],
        schema=[s.DATE, s.UNDERLYING, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT, s.BID, s.ASK,
                s.MINUTES, s.RATE],
        orient="row",
    )  # fmt: skip


def test_a_black76_chain_solves_back_to_its_vols_with_greeks() -> None:
    minutes, f = 100_000.0, 105.0
    t = minutes / YEAR
    rows: list[tuple[float, str, float | None, float | None]] = []
    vols = {}
    for k in np.arange(80.0, 131.0, 5.0):
        vol = 0.2 + 0.002 * abs(k - 100)  # a smile
        for right in "CP":
            p = float(black76_price(f, float(k), t, vol, rate=0.03, is_call=right == "C"))
            rows.append((float(k), right, p, p))
            vols[(float(k), right)] = vol
    out = chain_implied_vols(_chain(rows, minutes)).collect()
    assert out[s.FORWARD].to_list() == pytest.approx([f] * out.height, rel=1e-13)
    assert set(out[s.IV_STATUS].cast(str)) == {"ok"}
    want = np.array([vols[(k, r)] for k, r in out.select(s.STRIKE, s.RIGHT).iter_rows()])
    np.testing.assert_allclose(out[s.IV].to_numpy(), want, rtol=IV_FROM_ROUNDED_PRICE_REL)
    g = black76_greeks(
        f, out[s.STRIKE].to_numpy(), t, want, rate=0.03, is_call=(out[s.RIGHT] == "C").to_numpy()
    )
    np.testing.assert_allclose(out[s.DELTA].to_numpy(), g.delta, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(out[s.VEGA].to_numpy(), g.vega, rtol=1e-6)


def test_chain_statuses() -> None:
    rows: list[tuple[float, str, float | None, float | None]] = [
        (100.0, "C", 5.0, 5.2), (100.0, "P", 4.0, 4.2),  # the parity pair: ok
        (110.0, "C", 0.0, 0.4),  # zero bid
        (110.0, "P", 12.0, 11.0),  # crossed
        (120.0, "C", None, 0.1),  # no quote
        (90.0, "P", 0.5, 0.0),  # ask 0: no quote
        (90.0, "C", 0.1, 0.2),  # below intrinsic (F ~ 101)
    ]  # fmt: skip
    out = chain_implied_vols(_chain(rows, 50_000.0)).collect()
    assert out[s.IV_STATUS].cast(str).to_list() == [
        "ok", "ok", "zero_bid", "crossed", "no_quote", "no_quote", "below_intrinsic",
    ]  # fmt: skip
    assert out.filter(pl.col(s.IV_STATUS) != "ok")[s.IV].null_count() == 5
    expired = chain_implied_vols(_chain(rows[:2], 0.0)).collect()
    assert set(expired[s.IV_STATUS].cast(str)) == {"expired"}
    lonely = chain_implied_vols(_chain([(100.0, "C", 5.0, 5.2)], 50_000.0)).collect()
    assert lonely[s.IV_STATUS].cast(str).to_list() == ["no_forward"]
    with pytest.raises(SchemaError, match="vendor_forward"):
        chain_implied_vols(_chain(rows, 1.0), forward="vendor")


@pytest.mark.realdata
def test_vix_options_on_cboes_forward_agree_with_cboes_vols(calcs_intervals: Path) -> None:
    chain = load_chain(calcs_intervals, on_invalid="quarantine").chain.filter(
        pl.col(s.UNDERLYING) == "VIX"
    )
    out = chain_implied_vols(chain, forward="vendor").collect()
    both = out.filter(pl.col(s.VENDOR_IV).is_not_null() & pl.col(s.IV).is_not_null())
    assert both.height > 10_000
    gap = (both[s.IV] - both[s.VENDOR_IV]).abs()
    median = gap.median()
    assert isinstance(median, float)
    assert median <= CBOE_VIX_IV_MEDIAN_ABS


@pytest.mark.realdata
def test_spx_calls_and_puts_agree_on_the_parity_forward(realdata: Path) -> None:
    chain = read_chain(realdata / "cboe_option_chains" / "spx_quotedata_2022-02-04.csv")
    out = chain_implied_vols(chain, rate=0.001).collect()
    near = out.filter(
        (pl.col(s.EXPIRY) == dt.date(2022, 3, 4))
        & (pl.col(s.ROOT) == "SPXW")
        & pl.col(s.STRIKE).is_between(4400, 4600)
    )
    k4500 = near.filter(pl.col(s.STRIKE) == 4500).sort(s.RIGHT)
    assert k4500[s.VENDOR_IV].to_list() == [0.2233, 0.1660]  # Cboe's: 5.7 points apart
    wide = near.pivot(on=s.RIGHT, index=s.STRIKE, values=s.IV)
    assert (wide["C"] - wide["P"]).abs().max() <= PARITY_CALL_PUT_IV_ABS  # type: ignore[operator]


@pytest.mark.realdata
def test_american_calls_and_puts_agree_where_cboes_vols_do_not(calcs_intervals: Path) -> None:
    """Agilent (A): American equity options, solved on per-expiry parity forwards."""
    chain = load_chain(calcs_intervals, on_invalid="quarantine").chain.filter(
        pl.col(s.UNDERLYING) == "A"
    )
    out = chain_implied_vols(chain, rate=0.0).collect()
    # the parity strike of each (snapshot, expiry), found here by a plain loop: both bids > 0,
    # the smallest |call mid - put mid|; with r = 0 the forward is K* + (C - P)
    quotes: dict[tuple[object, object], dict[float, dict[str, float]]] = {}
    for r in out.iter_rows(named=True):
        if r[s.BID] > 0 and r[s.ASK] >= r[s.BID]:
            mids = quotes.setdefault((r[s.TS], r[s.EXPIRY]), {})
            mids.setdefault(r[s.STRIKE], {})[r[s.RIGHT]] = (r[s.BID] + r[s.ASK]) / 2
    parity: dict[tuple[object, object], tuple[float, float]] = {}
    for series, strikes in quotes.items():
        pairs = [(abs(m["C"] - m["P"]), k, k + m["C"] - m["P"]) for k, m in strikes.items()
                 if len(m) == 2]  # fmt: skip
        _, k_star, forward = min(pairs)
        parity[series] = (k_star, forward)
    assert len(parity) == 78  # 13 half-hourly snapshots x 6 expiries
    wide = out.pivot(
        on=s.RIGHT, index=[s.TS, s.EXPIRY, s.STRIKE], values=[s.IV, s.VENDOR_IV, s.FORWARD]
    )
    ours, cboe = [], []
    for r in wide.iter_rows(named=True):
        k_star, forward = parity.get((r[s.TS], r[s.EXPIRY]), (-1.0, 0.0))
        if r[s.STRIKE] == k_star:
            assert r[f"{s.FORWARD}_C"] == pytest.approx(forward, rel=FORWARD_REL)
            ours.append(abs(r[f"{s.IV}_C"] - r[f"{s.IV}_P"]))
            cboe.append(abs(r[f"{s.VENDOR_IV}_C"] - r[f"{s.VENDOR_IV}_P"]))
    assert len(ours) == 78
    # Cboe's call and put vols at the parity strike disagree (median 0.0099, up to 0.045) ...
    assert sum(gap > 0.002 for gap in cboe) >= 70
    assert float(np.median(cboe)) > 0.009
    # ... ours agree there
    assert max(ours) <= PARITY_STRIKE_IV_ABS
    # each strike's vol is read from its out-of-the-money side, and the output says which
    both = out.filter(pl.col(s.IV).is_not_null()).filter(
        pl.len().over(s.TS, s.EXPIRY, s.STRIKE) == 2
    )
    want = pl.when(pl.col(s.STRIKE) >= pl.col(s.FORWARD)).then(pl.lit("C")).otherwise(pl.lit("P"))
    assert (both[s.STRIKE_IV_RIGHT].cast(str) == both.select(want)["literal"]).all()
    otm = out.filter(pl.col(s.OTM) & pl.col(s.IV).is_not_null() & pl.col(s.VENDOR_IV).is_not_null())
    itm = out.filter(
        ~pl.col(s.OTM) & pl.col(s.IV).is_not_null() & pl.col(s.VENDOR_IV).is_not_null()
    )
    otm_gap = float((otm[s.IV] - otm[s.VENDOR_IV]).abs().median())  # type: ignore[arg-type]
    itm_gap = float((itm[s.IV] - itm[s.VENDOR_IV]).abs().median())  # type: ignore[arg-type]
    assert otm.height > 1_900
    assert otm_gap <= CBOE_EQUITY_OTM_IV_MEDIAN_ABS  # early exercise is worth little OTM
    assert itm_gap > 5 * otm_gap  # in the money Black-76 reads the early-exercise premium as vol


def test_strike_vol_prefers_the_out_of_the_money_side() -> None:
    minutes, f = 100_000.0, 100.0
    t = minutes / YEAR

    def price(k: float, right: str, vol: float) -> float:
        return float(black76_price(f, k, t, vol, rate=0.03, is_call=right == "C"))

    rows: list[tuple[float, str, float | None, float | None]] = [
        (100.0, "C", price(100.0, "C", 0.2), price(100.0, "C", 0.2)),  # the parity pair: F = 100
        (100.0, "P", price(100.0, "P", 0.2), price(100.0, "P", 0.2)),
        (90.0, "C", price(90.0, "C", 0.26), price(90.0, "C", 0.26)),  # ITM call: a richer vol
        (90.0, "P", price(90.0, "P", 0.24), price(90.0, "P", 0.24)),  # OTM put: the one read
        (110.0, "C", 0.0, 0.05),  # OTM call without a bid: the ITM put's vol stands in
        (110.0, "P", price(110.0, "P", 0.21), price(110.0, "P", 0.21)),
    ]
    out = chain_implied_vols(_chain(rows, minutes)).collect()
    got = {
        (r[s.STRIKE], r[s.RIGHT]): (r[s.OTM], r[s.STRIKE_IV], r[s.STRIKE_IV_RIGHT])
        for r in out.iter_rows(named=True)
    }
    assert got[(90.0, "C")][0] is False
    assert got[(90.0, "P")][0] is True
    for right in "CP":
        assert got[(90.0, right)][1:] == (pytest.approx(0.24, rel=IV_FROM_ROUNDED_PRICE_REL), "P")
        assert got[(100.0, right)][1:] == (pytest.approx(0.2, rel=IV_FROM_ROUNDED_PRICE_REL), "C")
        assert got[(110.0, right)][1:] == (pytest.approx(0.21, rel=IV_FROM_ROUNDED_PRICE_REL), "P")
