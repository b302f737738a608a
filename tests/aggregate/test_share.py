"""Shares, put/call ratios, theme baskets and sector coverage, by hand."""

import datetime as dt

import polars as pl
import pytest

from optionsflow.aggregate.partials import daily_flow
from optionsflow.aggregate.share import (
    participant_share,
    put_call_ratio,
    sector_coverage,
    theme_flow,
)
from optionsflow.testing import at, labelled

MON = dt.date(2026, 11, 16)
SECTORS = pl.DataFrame({"symbol": ["IONQ", "RGTI", "XOM"],
                        "sector": ["Information Technology"] * 2 + ["Energy"],
                        "theme": ["Quantum Computing", "Quantum Computing", None]})  # fmt: skip


def _partials() -> pl.LazyFrame:
    rows = [
        {"underlying": "IONQ", "right": "C", "size": 30, "side": 1},
        {"underlying": "IONQ", "right": "P", "size": 10, "side": -1},
        {"underlying": "RGTI", "right": "C", "size": 5, "side": -1, "participant": "institutional"},
        {"underlying": "XOM", "right": "P", "size": 20, "side": 1, "participant": "institutional"},
        {"underlying": "ZZZ", "right": "C", "size": 15, "side": 1, "price": 2.0},
        {
            "underlying": "XOM",
            "right": "C",
            "size": 4,
            "condition": "MLET",
            "side": None,
            "participant": "institutional",
        },
    ]
    return daily_flow(labelled([{**r, "ts": at(MON)} for r in rows]), sectors=SECTORS)


def test_participant_share_counts_every_print() -> None:
    out = participant_share(_partials()).collect()
    shares = dict(zip(out["participant"], out["contract_share"], strict=True))
    # retail 30 + 10 + 15 = 55; institutional 5 + 20 + 4 (multi-leg) = 29; total 84
    assert shares["retail"] == pytest.approx(55 / 84)
    assert shares["institutional"] == pytest.approx(29 / 84)


def test_put_call_ratio() -> None:
    by_class = put_call_ratio(_partials()).collect()
    ratios = dict(zip(by_class["participant"], by_class["put_call_ratio"], strict=True))
    assert ratios["retail"] == pytest.approx(10 / 45)
    assert ratios["institutional"] == pytest.approx(20 / 9)
    market = put_call_ratio(_partials(), by=()).collect()
    assert market["put_call_ratio"].item() == pytest.approx(30 / 54)
    premium = put_call_ratio(_partials(), by=(), measure="premium").collect()
    # price 1.00 x 100 except ZZZ at 2.00: calls 30+5+30(ZZZ: 15 x 2)+4 = 69 -> $6,900
    assert premium["calls"].item() == pytest.approx(6_900.0)


def test_theme_flow_from_map_and_from_baskets() -> None:
    out = theme_flow(_partials()).collect()
    calls = out.filter(pl.col("right") == "C").sort("participant")
    assert calls.select("participant", "bought", "sold", "net_contracts").rows() == [
        ("retail", 30, 0, 30),
        ("institutional", 0, 5, -5),
    ]
    baskets = theme_flow(_partials(), {"Quantum": ["IONQ"], "Oil": ["XOM", "ZZZ"]}).collect()
    assert sorted(baskets["theme"].unique()) == ["Oil", "Quantum"]
    oil = baskets.filter(pl.col("theme") == "Oil").sort("participant", "right")
    assert oil.select("participant", "right", "net_contracts", "net_premium").rows() == [
        ("retail", "C", 15, 3_000.0),
        ("institutional", "P", 20, 2_000.0),
    ]


def test_sector_coverage_names_unmapped_symbols() -> None:
    out = sector_coverage(_partials()).collect()
    assert out["week"].to_list() == ["2026-W47"]
    assert out["unmapped_symbols"].to_list() == [["ZZZ"]]
    # ZZZ $3,000 of IONQ $3,000 + $1,000, RGTI $500, XOM $2,000 + $400, ZZZ $3,000 = $9,900
    assert out["unmapped_premium_share"].item() == pytest.approx(3_000 / 9_900)
