"""Unusual activity against a naive oracle and hand-built cases."""

import csv
import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from optionsflow.aggregate.unusual import unusual_activity
from optionsflow.calendar import trading_days
from optionsflow.config import Config, UnusualConfig
from optionsflow.errors import ConfigError
from optionsflow.ingest import read_chain
from optionsflow.testing import assert_engines_agree, at, labelled

from tolerances import FEW_OPS_REL

DAYS = trading_days(dt.date(2026, 10, 1), dt.date(2026, 11, 30))  # Thanksgiving inside


def _oracle(
    volumes: dict[tuple[float, dt.date], int], lookback: int
) -> dict[tuple[float, dt.date], tuple[float | None, int, float | None]]:
    """Mean/std/z per (strike, day) by brute force over trading days (zeros included)."""
    first = min(d for _, d in volumes)
    out = {}
    for (strike, day), v in volumes.items():
        i = DAYS.index(day)
        n = min(lookback, i - DAYS.index(first))
        hist = [volumes.get((strike, DAYS[j]), 0) for j in range(i - n, i)]
        mean: float | None = None
        z: float | None = None
        if n:
            mean = sum(hist) / n
            std = math.sqrt(max(sum(h * h for h in hist) / n - mean**2, 0))
            if n >= 5 and mean:
                z = (v - mean) / max(std, math.sqrt(mean))
        out[(strike, day)] = (mean, n, z)
    return out


def test_baseline_and_z_match_a_brute_force_oracle() -> None:
    rng = random.Random(3)
    rows, volumes = [], {}
    for day in DAYS[:30]:
        for strike in (100.0, 105.0, 110.0):
            if rng.random() < 0.3:  # a silent day for this contract
                continue
            v = rng.randint(1, 60)
            volumes[(strike, day)] = v
            rows.append({"ts": at(day), "strike": strike, "size": v})
    out = unusual_activity(labelled(rows), config=Config(unusual=UnusualConfig(lookback_days=7)),
                           only_flagged=False).collect()  # fmt: skip
    expected = _oracle(volumes, 7)
    assert out.height == len(volumes)
    for r in out.iter_rows(named=True):
        mean, n, z = expected[(r["strike"], r["date"])]
        assert r["baseline_days"] == n
        assert r["baseline_mean"] == pytest.approx(mean) if mean is not None else True
        if z is None:
            assert r["z_score"] is None
        else:
            assert r["z_score"] == pytest.approx(z)


def _quiet_then(loud: list[dict[str, Any]], days: int = 6) -> pl.DataFrame:
    quiet = [{"ts": at(d), "size": 10} for d in DAYS[:days]]
    return labelled(quiet + loud)


def test_flags_and_reasons() -> None:
    day = DAYS[6]
    loud = [
        {"ts": at(day), "size": 200, "side": -1, "price": 30.0},  # $600k premium
        {"ts": at(day), "size": 200, "side": -1, "price": 30.0},
    ]
    oi = pl.DataFrame({"root": ["XOM"], "expiry": [dt.date(2026, 12, 18)], "strike": [110.0],
                       "right": ["C"], "open_interest": [250]})  # fmt: skip
    out = unusual_activity(_quiet_then(loud), oi).collect()
    row = out.row(0, named=True)
    assert row["date"] == day
    assert row["volume"] == 400
    assert row["volume_oi"] == pytest.approx(1.6)
    assert row["premium"] == pytest.approx(1_200_000.0)
    assert row["bought_share"] == 0.0
    # mean 10, std 0 -> floor sqrt(10): z = 390 / 3.1623
    assert row["z_score"] == pytest.approx(390 / math.sqrt(10))
    assert row["reasons"] == ["volume 40.0x its 6-day average", "volume/OI 1.6", "premium $1.2M",
                              "100% sold"]  # fmt: skip
    assert row["score"] == pytest.approx(4 + 1.0)
    assert row["rank"] == 1


def test_min_volume_gates_volume_flags() -> None:
    out = unusual_activity(_quiet_then([{"ts": at(DAYS[6]), "size": 99}])).collect()
    assert out.filter(pl.col("date") == DAYS[6]).height == 0


def test_first_volume_after_silence() -> None:
    rows = [{"ts": at(DAYS[0]), "strike": 120.0, "size": 5}]  # starts the history
    rows += [{"ts": at(DAYS[8]), "size": 300}]
    out = unusual_activity(labelled(rows)).collect()
    assert out.filter(pl.col("strike") == 110.0)["reasons"].to_list() == [
        ["first volume in 8 trading days", "100% bought"]
    ]


def test_trading_days_skip_holidays() -> None:
    # Wed 2026-11-25 and Fri 2026-11-27 are consecutive sessions (Thanksgiving between)
    rows = [{"ts": at(dt.date(2026, 11, 25)), "size": 10},
            {"ts": at(dt.date(2026, 11, 27)), "size": 10}]  # fmt: skip
    out = unusual_activity(labelled(rows), only_flagged=False).collect()
    assert out["baseline_days"].to_list() == [0, 1]


def test_ranking_within_a_day() -> None:
    day = DAYS[6]
    loud = [{"ts": at(day), "size": 500, "strike": 110.0},
            {"ts": at(day), "size": 500, "strike": 115.0, "condition": "ISOI"},
            {"ts": at(day), "size": 1, "strike": 115.0, "condition": "ISOI"},
            {"ts": at(day), "size": 1, "strike": 115.0, "condition": "ISOI"}]  # fmt: skip
    quiet = [{"ts": at(d), "size": 10, "strike": k} for d in DAYS[:6] for k in (110.0, 115.0)]
    out = unusual_activity(labelled(quiet + loud)).filter(pl.col("date") == day).collect()
    assert out.select("strike", "rank").rows() == [(115.0, 1), (110.0, 2)]


# --- volume and open interest from option chains ------------------------------------------------
CHAINS = Path(__file__).resolve().parents[1] / "fixtures" / "chains"
Key = tuple[str, dt.date, float, str]


def test_chain_open_interest_applies_to_its_own_day() -> None:
    chain = read_chain(CHAINS / "quotedata_small.csv")  # Friday 2026-03-13's chain
    friday, monday = dt.date(2026, 3, 13), dt.date(2026, 3, 16)
    contract = {"underlying": "SPX", "root": "SPXW", "expiry": dt.date(2026, 4, 10),
                "strike": 4400.0, "right": "C", "price": 140.0}  # fmt: skip
    prints = labelled([{**contract, "ts": at(friday), "size": 1800},
                       {**contract, "ts": at(monday), "size": 1800}])  # fmt: skip
    out = unusual_activity(prints, chain=chain, only_flagged=False).collect()
    # the chain's call open interest at 4400 is 1,500: 1,800 / 1,500 on Friday, unknown on Monday
    assert out.sort("date").select("date", "volume", "volume_oi").rows() == [
        (friday, 1800, pytest.approx(1.2)), (monday, 1800, None),
    ]  # fmt: skip
    with pytest.raises(ConfigError, match="not both"):
        unusual_activity(prints, pl.DataFrame(), chain=chain)
    with pytest.raises(ConfigError, match="needs trades or option chains"):
        unusual_activity()


def _flagged_by_oi(volumes: dict[Key, tuple[int, int]]) -> dict[Key, float]:
    """The naive rule: volume >= 100 and volume / OI > 1 (the default thresholds)."""
    return {k: v / oi for k, (v, oi) in volumes.items() if oi > 0 and v >= 100 and v / oi > 1.0}


def _chain_oi_flags(chain: pl.LazyFrame) -> dict[Key, float]:
    out = unusual_activity(chain=chain).filter(pl.col("flag_oi")).collect()
    assert out["premium"].null_count() == out.height  # a chain has no trade prices
    return {
        (r["root"], r["expiry"], r["strike"], r["right"]): r["volume_oi"]
        for r in out.iter_rows(named=True)
    }


@pytest.mark.realdata
def test_volume_over_open_interest_from_real_quote_intervals(calcs_intervals: Path) -> None:
    volumes: dict[Key, tuple[int, int]] = {}
    with calcs_intervals.open(newline="") as fh:
        for r in csv.DictReader(fh):
            if int(r["ask_size"]) < 0:  # the file's one corrupted row, which the reader sets aside
                continue
            key = (r["root"], dt.date.fromisoformat(r["expiration"]), float(r["strike"]),
                   r["option_type"])  # fmt: skip
            volume, _ = volumes.get(key, (0, 0))
            volumes[key] = (volume + int(r["trade_volume"]), int(r["open_interest"]))
    want = _flagged_by_oi(volumes)
    assert len(want) == 8
    chain = read_chain(calcs_intervals, on_invalid="quarantine")
    assert_engines_agree(unusual_activity(chain=chain, only_flagged=False), check_exact=True)
    got = _chain_oi_flags(chain)
    assert got.keys() == want.keys()
    for key, ratio in want.items():
        assert got[key] == pytest.approx(ratio, rel=FEW_OPS_REL)


@pytest.mark.realdata
def test_volume_over_open_interest_from_a_real_spx_chain(realdata: Path) -> None:
    path = realdata / "cboe_option_chains" / "spx_quotedata_2022-02-04.csv"
    volumes: dict[Key, tuple[int, int]] = {}
    with path.open(newline="") as fh:
        for fields in list(csv.reader(fh))[4:]:
            expiry = dt.datetime.strptime(fields[0], "%a %b %d %Y").date()
            for right, at_ in (("C", 1), ("P", 12)):  # symbol, ..., Volume +5, Open Interest +9
                root = fields[at_][: fields[at_].index("2")]  # SPXW220207C... -> SPXW
                volumes[(root, expiry, float(fields[11]), right)] = (
                    int(fields[at_ + 5]), int(fields[at_ + 9])
                )  # fmt: skip
    want = _flagged_by_oi(volumes)
    assert len(want) == 381
    got = _chain_oi_flags(read_chain(path))
    assert got.keys() == want.keys()
    for key, ratio in want.items():
        assert got[key] == pytest.approx(ratio, rel=FEW_OPS_REL)
