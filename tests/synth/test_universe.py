"""Tests of the synthetic market's static universe."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any, cast

import polars as pl
import pytest

from optionsflow.errors import ConfigError
from optionsflow.synth.index import (
    ENERGY_HISTORY,
    INDEX_CAP_BN,
    REST_OF_INDEX,
    SECTOR_WEIGHTS,
    index_weights,
    members,
    weights_history,
)
from optionsflow.synth.universe import (
    GICS_SECTORS,
    THEMES,
    UNIVERSE,
    Underlying,
    sector_map,
    universe_frame,
)

from tolerances import SPX_SPY_RATIO_REL, WEIGHT_RATIO_REL, WEIGHT_SUM_ABS

CONSTITUENTS = Path("sp500_constituents/constituents.csv")  # in realdata
SMALL_CAPS = {"IONQ", "RGTI", "QBTS", "RKLB", "ASTS", "LUNR", "SYM"}
INDEX_PRODUCTS = {"SPX", "SPY", "QQQ", "IWM"}
BY_SYMBOL = {u.symbol: u for u in UNIVERSE}


def test_gics_sectors_are_the_eleven_spelled_exactly() -> None:
    assert GICS_SECTORS == (
        "Communication Services",
        "Consumer Discretionary",
        "Consumer Staples",
        "Energy",
        "Financials",
        "Health Care",
        "Industrials",
        "Information Technology",
        "Materials",
        "Real Estate",
        "Utilities",
    )
    assert set(THEMES) == {
        "Quantum Computing",
        "Robotics & Automation",
        "Space",
        "AI Semiconductors",
    }


def test_universe_size_order_and_uniqueness() -> None:
    symbols = [u.symbol for u in UNIVERSE]
    assert len(symbols) >= 64
    assert symbols == sorted(symbols)
    assert len(set(symbols)) == len(symbols)


def test_every_sector_has_at_least_four_names() -> None:
    counts = Counter(u.sector for u in UNIVERSE if not u.is_index)
    assert set(counts) == set(GICS_SECTORS)
    assert min(counts.values()) >= 4


def test_index_products() -> None:
    indices = {u.symbol for u in UNIVERSE if u.is_index}
    assert indices == INDEX_PRODUCTS
    for symbol in INDEX_PRODUCTS:
        u = BY_SYMBOL[symbol]
        assert (u.sector, u.theme, u.market_cap_bn, u.weeklies) == ("Index", None, 0.0, True)
    assert all(u.market_cap_bn > 0.0 for u in UNIVERSE if not u.is_index)


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        (
            "Quantum Computing",
            {
                "IONQ": "Information Technology",
                "RGTI": "Information Technology",
                "QBTS": "Information Technology",
            },
        ),
        (
            "Robotics & Automation",
            {"ISRG": "Health Care", "SYM": "Industrials", "TER": "Information Technology"},
        ),
        (
            "Space",
            {"RKLB": "Industrials", "ASTS": "Communication Services", "LUNR": "Industrials"},
        ),
        (
            "AI Semiconductors",
            {
                "NVDA": "Information Technology",
                "AMD": "Information Technology",
                "AVGO": "Information Technology",
            },
        ),
    ],
)
def test_theme_members_and_their_sectors(theme: str, expected: dict[str, str]) -> None:
    for symbol, sector in expected.items():
        assert BY_SYMBOL[symbol].theme == theme
        assert BY_SYMBOL[symbol].sector == sector


def test_roots_equal_symbols_including_spx_monthlies() -> None:
    assert all(u.root == u.symbol for u in UNIVERSE)


def test_plausible_levels() -> None:
    assert all(u.spot > 0.0 and 0.05 < u.base_vol < 2.0 for u in UNIVERSE)
    assert BY_SYMBOL["KO"].base_vol < BY_SYMBOL["AAPL"].base_vol < BY_SYMBOL["IONQ"].base_vol
    assert BY_SYMBOL["SPX"].base_vol < 0.25
    assert 3000.0 < BY_SYMBOL["SPX"].spot < 10000.0
    assert BY_SYMBOL["SPX"].spot / BY_SYMBOL["SPY"].spot == pytest.approx(
        10.0, rel=SPX_SPY_RATIO_REL
    )
    utilities = [u.activity for u in UNIVERSE if u.sector == "Utilities"]
    assert max(utilities) < min(BY_SYMBOL[s].activity for s in ("SPY", "SPX", "QQQ", "TSLA"))
    assert not any(BY_SYMBOL[s].weeklies for s in SMALL_CAPS)
    assert all(BY_SYMBOL[s].weeklies for s in ("AAPL", "NVDA", "TSLA", "SPY"))


@pytest.mark.realdata
def test_sectors_match_sp500_constituents(realdata: Path) -> None:
    with (realdata / CONSTITUENTS).open(newline="") as handle:
        gics = {row["Symbol"]: row["GICS Sector"] for row in csv.DictReader(handle)}
    members = {u.symbol for u in UNIVERSE if u.symbol in gics}
    assert len(members) >= 44
    for symbol in members:
        assert BY_SYMBOL[symbol].sector == gics[symbol], symbol
    named = set(index_weights()["symbol"]) - {m.symbol for m in REST_OF_INDEX}
    assert named <= set(gics)


def test_universe_frame_matches_universe() -> None:
    frame = universe_frame()
    assert frame.schema == pl.Schema(
        {
            "symbol": pl.String,
            "sector": pl.String,
            "theme": pl.String,
            "spot": pl.Float64,
            "market_cap_bn": pl.Float64,
            "base_vol": pl.Float64,
            "is_index": pl.Boolean,
            "weeklies": pl.Boolean,
            "activity": pl.Float64,
            "root": pl.String,
        }
    )
    assert frame.height == len(UNIVERSE)
    assert frame.rows() == [dataclasses.astuple(u) for u in UNIVERSE]
    assert frame["theme"].null_count() == sum(u.theme is None for u in UNIVERSE)


def test_sector_map_layout() -> None:
    smap = sector_map()
    assert smap.schema == pl.Schema({"symbol": pl.String, "sector": pl.String, "theme": pl.String})
    assert smap["symbol"].to_list() == [u.symbol for u in UNIVERSE]
    row = smap.filter(pl.col("symbol") == "RGTI").row(0)
    assert row == ("RGTI", "Information Technology", "Quantum Computing")
    assert smap.filter(pl.col("symbol") == "KO").row(0) == ("KO", "Consumer Staples", None)


def test_index_weights() -> None:
    weights = index_weights("SPX")
    assert weights.schema == pl.Schema({"symbol": pl.String, "weight": pl.Float64})
    assert weights["weight"].sum() == pytest.approx(1.0, rel=0.0, abs=WEIGHT_SUM_ABS)
    assert (weights["weight"] > 0.0).all()
    symbols = weights["symbol"].to_list()
    assert symbols == sorted(symbols)
    assert not (set(symbols) & (SMALL_CAPS | INDEX_PRODUCTS))
    assert {"AAPL", "NVDA", "KO", "NEE", "JPM", "XOM"} <= set(symbols)
    w = dict(weights.iter_rows())
    cap_ratio = BY_SYMBOL["NVDA"].market_cap_bn / BY_SYMBOL["KO"].market_cap_bn
    assert w["NVDA"] / w["KO"] == pytest.approx(cap_ratio, rel=WEIGHT_RATIO_REL)
    assert index_weights().equals(weights)


def test_index_has_500_members_with_the_sector_weights_and_top_ten_share() -> None:
    m = members()
    assert m.height == 500
    assert m["symbol"].n_unique() == 500
    assert set(SECTOR_WEIGHTS) == set(GICS_SECTORS)
    assert sum(SECTOR_WEIGHTS.values()) == pytest.approx(1.0, rel=0.0, abs=WEIGHT_SUM_ABS)
    by_sector = dict(m.group_by("sector").agg(pl.col("market_cap_bn").sum()).iter_rows())
    for sector, weight in SECTOR_WEIGHTS.items():
        assert by_sector[sector] / INDEX_CAP_BN == pytest.approx(weight, rel=WEIGHT_RATIO_REL)
    caps = m["market_cap_bn"].sort(descending=True)
    assert float(caps.head(10).sum()) / INDEX_CAP_BN == pytest.approx(0.39, abs=0.001)
    # every unnamed member is smaller than the index's tenth name
    tenth = caps[9]
    assert max(x.market_cap_bn for x in REST_OF_INDEX) < tenth
    assert set(m.filter(~pl.col("traded"))["symbol"]) == {x.symbol for x in REST_OF_INDEX}


def test_weights_history_shifts_energy_through_the_members() -> None:
    today = dt.date(2025, 8, 25)
    history = weights_history(today)
    assert history.schema == pl.Schema({"date": pl.Date, "symbol": pl.String, "weight": pl.Float64})
    dates = [dt.date(y, 6, 30) for y in range(2008, 2026)] + [today]
    assert history["date"].unique(maintain_order=True).to_list() == dates
    sector = dict(zip(members()["symbol"], members()["sector"], strict=True))
    caps = dict(zip(members()["symbol"], members()["market_cap_bn"], strict=True))
    for (day,), snap in history.group_by("date", maintain_order=True):
        w = dict(snap.select("symbol", "weight").iter_rows())
        assert set(w) == set(caps)  # the same 500 members every year
        assert sum(w.values()) == pytest.approx(1.0, rel=0.0, abs=WEIGHT_SUM_ABS)
        energy = sum(v for k, v in w.items() if sector[k] == "Energy")
        assert energy == pytest.approx(
            ENERGY_HISTORY.get(day.year, 0.029) if day != today else 0.029, rel=WEIGHT_RATIO_REL
        )
        # within a sector the members keep today's cap ratios
        for a, b in (("XOM", "CVX"), ("NVDA", "AAPL"), ("ENE001", "ENE002")):
            assert sector[a] == sector[b]
            assert w[a] / w[b] == pytest.approx(caps[a] / caps[b], rel=WEIGHT_RATIO_REL)
    assert max(ENERGY_HISTORY, key=ENERGY_HISTORY.__getitem__) == 2008
    assert ENERGY_HISTORY[2008] == 0.161
    assert min(ENERGY_HISTORY.values()) > SECTOR_WEIGHTS["Energy"]  # today is Energy's low
    now = history.filter(pl.col("date") == today).drop("date")
    assert now.equals(index_weights())  # the weights the index vol is built from
    with pytest.raises(ConfigError, match="after 2025-06-30"):
        weights_history(dt.date(2025, 6, 30))


@pytest.mark.parametrize("index", ["NDX", "spx", "RUT", ""])
def test_unknown_index_raises(index: str) -> None:
    with pytest.raises(ConfigError, match=f"unknown index '{index}'"):
        index_weights(index)


def test_underlying_is_frozen_and_validated() -> None:
    ko = BY_SYMBOL["KO"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        cast(Any, ko).spot = 1.0  # deliberately: the dataclass is frozen
    fields = dataclasses.asdict(ko)
    with pytest.raises(ConfigError, match="Beverages") as info:
        Underlying(**{**fields, "sector": "Beverages"})
    assert info.value.column == "sector"
    with pytest.raises(ConfigError, match="Metaverse"):
        Underlying(**{**fields, "theme": "Metaverse"})
    with pytest.raises(ConfigError, match="Index"):
        Underlying(**{**fields, "is_index": True})
    with pytest.raises(ConfigError, match="positive"):
        Underlying(**{**fields, "base_vol": 0.0})
