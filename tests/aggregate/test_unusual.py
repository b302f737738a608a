"""Unusual activity against a naive oracle and hand-built cases."""

import datetime as dt
import math
import random
from typing import Any

import polars as pl
import pytest

from optionsflow.aggregate.unusual import unusual_activity
from optionsflow.calendar import trading_days
from optionsflow.config import Config, UnusualConfig
from optionsflow.testing import at, labelled

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
