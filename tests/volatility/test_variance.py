"""Time to settlement, parity forwards and the VIX white-paper variance index."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.errors import ConfigError, SchemaError
from optionsflow.ingest.reference.chains import read_chain
from optionsflow.volatility.black import black76_price
from optionsflow.volatility.chain_time import rate_expr, with_minutes, with_rates
from optionsflow.volatility.forwards import parity_forwards
from optionsflow.volatility.variance import expiry_variance, variance_index

from tolerances import FEW_OPS_REL, FLAT_SMILE_POINTS_ABS, VARIANCE_SUM_REL, VIX_PUBLISHED_ABS

YEAR = 525_600.0


def test_minutes_to_am_and_pm_settlement() -> None:
    ts = dt.datetime(2022, 2, 4, 21, 15, tzinfo=dt.UTC)  # 16:15 EST
    frame = pl.DataFrame({
        s.TS: [ts] * 3,
        s.EXPIRY: [dt.date(2022, 2, 7), dt.date(2022, 2, 18), dt.date(2022, 3, 18)],
        s.SETTLEMENT: ["PM", "AM", "AM"],
    })  # fmt: skip
    got = with_minutes(frame).collect()[s.MINUTES].to_list()
    # 3 days less 15 min; 14 days less 6 h 45 min; 42 days less 6 h 45 min (wall clock over DST)
    assert got == [3 * 1440 - 15, 14 * 1440 - 405, 42 * 1440 - 405]


def test_rates_flat_and_linear_in_tenor() -> None:
    frame = pl.DataFrame({s.MINUTES: [0.0, 10 * 1440.0, 30 * 1440.0, 400 * 1440.0]})
    assert with_rates(frame, 0.01).collect()[s.RATE].to_list() == [0.01] * 4
    curve = pl.DataFrame({s.TENOR_DAYS: [30, 10], s.RATE: [0.03, 0.01]})  # any order
    got = frame.select(rate_expr(curve))[s.RATE].to_list()
    assert got == pytest.approx([0.01, 0.01, 0.03, 0.03], rel=FEW_OPS_REL)
    mid = pl.DataFrame({s.MINUTES: [20 * 1440.0]}).select(rate_expr(curve))[s.RATE][0]
    assert mid == pytest.approx(0.02, rel=FEW_OPS_REL)
    with pytest.raises(ConfigError, match="tenor_days, rate"):
        rate_expr(pl.DataFrame({"days": [1], s.RATE: [0.01]}))
    with pytest.raises(ConfigError, match="finite"):
        rate_expr(float("nan"))


def _chain(
    rows: list[tuple[float, str, float, float]], minutes: float, rate: float
) -> pl.DataFrame:
    d = dt.date(2022, 2, 4)
    return pl.DataFrame(
        [(d, "X", "X", dt.date(2022, 3, 4), k, r, b, a, minutes, rate) for k, r, b, a in rows],
        schema=[s.DATE, s.UNDERLYING, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT, s.BID, s.ASK,
                s.MINUTES, s.RATE],
        orient="row",
    )  # fmt: skip


def test_parity_forward_uses_the_smallest_call_put_gap_with_both_bids() -> None:
    rows = [
        (95.0, "C", 7.0, 7.4), (95.0, "P", 0.0, 0.3),  # gap small-ish but no put bid: not used
        (100.0, "C", 3.0, 3.4), (100.0, "P", 1.9, 2.1),  # |1.2 - 2.0|... C=3.2, P=2.0: gap 1.2
        (105.0, "C", 1.0, 1.2), (105.0, "P", 3.9, 4.1),  # C=1.1, P=4.0: gap 2.9
    ]  # fmt: skip
    minutes, rate = 40_000.0, 0.02
    out = parity_forwards(_chain(rows, minutes, rate)).collect().row(0, named=True)
    assert out[s.STRIKE] == 100.0
    expected = 100.0 + math.exp(rate * minutes / YEAR) * (3.2 - 2.0)
    assert out[s.FORWARD] == pytest.approx(expected, rel=FEW_OPS_REL)
    assert out[s.K0] == 100.0


def _naive_variance(chain: pl.DataFrame, forward: float, k0: float) -> tuple[float, int]:
    """The white paper's sum, strike by strike in plain Python loops."""
    minutes, rate = chain[s.MINUTES][0], chain[s.RATE][0]
    t = minutes / YEAR
    quotes: dict[tuple[float, str], tuple[float, float]] = {
        (k, r): (b, a) for k, r, b, a in chain.select(s.STRIKE, s.RIGHT, s.BID, s.ASK).iter_rows()
    }
    strikes = sorted({k for k, _ in quotes})

    def mid(k: float, r: str) -> float:
        b, a = quotes[(k, r)]
        return (b + a) / 2

    def walk(side: list[float], right: str) -> list[tuple[float, float]]:
        used, zeros = [], 0
        for k in side:
            bid = quotes.get((k, right), (0.0, 0.0))[0]
            if bid is None or bid <= 0:
                zeros += 1
                if zeros == 2:
                    break
                continue
            zeros = 0
            used.append((k, mid(k, right)))
        return used

    puts = walk([k for k in reversed(strikes) if k < k0], "P")
    calls = walk([k for k in strikes if k > k0], "C")
    picked = sorted([*puts, (k0, (mid(k0, "P") + mid(k0, "C")) / 2), *calls])
    total = 0.0
    for i, (k, q) in enumerate(picked):
        if i == 0:
            dk = picked[1][0] - k
        elif i == len(picked) - 1:
            dk = k - picked[i - 1][0]
        else:
            dk = (picked[i + 1][0] - picked[i - 1][0]) / 2
        total += dk / k**2 * math.exp(rate * t) * q
    return 2 / t * total - (forward / k0 - 1) ** 2 / t, len(picked)


def test_variance_sum_matches_a_naive_loop_on_a_gappy_chain() -> None:
    rng = np.random.default_rng(7)
    minutes, rate, f = 30 * 1440.0, 0.03, 100.0
    t = minutes / YEAR
    rows = []
    for k in np.arange(60.0, 141.0, 2.5):
        for right in "CP":
            price = float(black76_price(f, k, t, 0.25, rate=rate, is_call=right == "C"))
            bid = round(max(price - 0.05, 0.0), 2) if rng.random() > 0.15 else 0.0  # random holes
            rows.append((float(k), right, bid, round(price + 0.05, 2)))
    chain = _chain(rows, minutes, rate)
    got = expiry_variance(chain).collect().row(0, named=True)
    expected, n = _naive_variance(chain, got[s.FORWARD], got[s.K0])
    assert got["__of_n_strikes"] == n
    assert got["__of_variance"] == pytest.approx(expected, rel=VARIANCE_SUM_REL)


# Published VIX closes (Cboe) and the flat rates of the chain README; expiries, forwards and K0
# are what the white-paper calculation uses on each chain.
PUBLISHED: dict[str, dict[str, Any]] = {
    "2022-02-04": {
        "vix": 23.22, "rate": 0.001, "near": ("2022-03-04", "SPXW"), "far": ("2022-03-11", "SPXW"),
        "near_forward": 4488.95, "far_forward": 4487.85, "near_k0": 4485.0, "far_k0": 4485.0,
    },
    "2022-06-10": {
        "vix": 27.75, "rate": 0.01, "near": ("2022-07-08", "SPXW"), "far": ("2022-07-15", "SPX"),
        "near_forward": 3908.15, "far_forward": 3908.50, "near_k0": 3905.0, "far_k0": 3905.0,
    },
}  # fmt: skip


@pytest.mark.realdata
@pytest.mark.parametrize("day", sorted(PUBLISHED))
def test_variance_index_reproduces_the_published_vix_close(realdata: Path, day: str) -> None:
    facts = PUBLISHED[day]
    chain = read_chain(realdata / "cboe_option_chains" / f"spx_quotedata_{day}.csv")
    out = variance_index(chain, rate=float(facts["rate"])).collect()
    assert out.height == 1
    row = out.row(0, named=True)
    assert (row[s.DATE], row[s.UNDERLYING]) == (dt.date.fromisoformat(day), "SPX")
    history = pl.read_csv(realdata / "cboe_index_history" / "VIX_History.csv")
    when = dt.date.fromisoformat(day).strftime("%m/%d/%Y")
    published = history.filter(pl.col("DATE") == when)["CLOSE"].item()
    assert published == facts["vix"]  # Cboe's own history file, as the chain README states
    assert row[s.VARIANCE_INDEX] == pytest.approx(published, abs=VIX_PUBLISHED_ABS)
    near, far = facts["near"], facts["far"]
    assert (str(row[s.NEAR_EXPIRY]), row[s.NEAR_ROOT]) == near
    assert (str(row[s.FAR_EXPIRY]), row[s.FAR_ROOT]) == far
    assert round(row[s.NEAR_FORWARD], 2) == facts["near_forward"]
    assert round(row[s.FAR_FORWARD], 2) == facts["far_forward"]
    assert (row[s.NEAR_K0], row[s.FAR_K0]) == (facts["near_k0"], facts["far_k0"])
    assert row[s.NEAR_STRIKES] > 100
    assert row[s.FAR_STRIKES] > 100

    # each term's variance sum against the naive loop over the same series
    timed = with_rates(with_minutes(chain), float(facts["rate"]))
    for term in ("near", "far"):
        expiry, root = facts[term]
        series = timed.filter(
            (pl.col(s.EXPIRY) == dt.date.fromisoformat(str(expiry))) & (pl.col(s.ROOT) == root)
        ).collect()
        expected, n = _naive_variance(series, row[f"{term}_forward"], row[f"{term}_k0"])
        assert row[f"{term}_strikes"] == n
        assert row[f"{term}_variance"] == pytest.approx(expected, rel=VARIANCE_SUM_REL)


@pytest.mark.realdata
def test_bracketing_dailies_moves_the_index_by_half_a_point(realdata: Path) -> None:
    chain = read_chain(realdata / "cboe_option_chains" / "spx_quotedata_2022-02-04.csv")
    cboe = variance_index(chain, rate=0.001).collect()[s.VARIANCE_INDEX][0]
    bracket = variance_index(chain, rate=0.001, terms="bracket").collect()
    assert bracket.select(s.NEAR_EXPIRY, s.FAR_EXPIRY).row(0) == (
        dt.date(2022, 3, 4), dt.date(2022, 3, 7),
    )  # fmt: skip
    assert abs(bracket[s.VARIANCE_INDEX][0] - cboe) > 0.3


def test_flat_smile_gives_its_vol_and_missing_columns_are_named() -> None:
    d, ts = dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 21, 15, tzinfo=dt.UTC)
    rows = []
    for e in (dt.date(2026, 3, 27), dt.date(2026, 4, 2)):
        t = ((e - d).days * 1440 - 15) / YEAR  # 16:15 ET to 16:00 ET, wall clock
        for k in np.arange(40.0, 250.0, 0.5):
            for right in "CP":
                p = float(black76_price(100.0, float(k), t, 0.2, rate=0.01, is_call=right == "C"))
                rows.append((d, ts, "X", "X", e, "PM", float(k), right, p, p))
    cols = [
        s.DATE,
        s.TS,
        s.UNDERLYING,
        s.ROOT,
        s.EXPIRY,
        s.SETTLEMENT,
        s.STRIKE,
        s.RIGHT,
        s.BID,
        s.ASK,
    ]
    chain = pl.DataFrame(rows, schema=cols, orient="row")
    out = variance_index(chain, rate=0.01).collect()
    assert out[s.VARIANCE_INDEX][0] == pytest.approx(20.0, abs=FLAT_SMILE_POINTS_ABS)
    with pytest.raises(SchemaError, match="column 'ask'"):
        variance_index(chain.drop(s.ASK))
