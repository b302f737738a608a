"""Sector skew computed by hand (DESIGN.md section 6)."""

import datetime as dt

import polars as pl
import pytest

from optionsflow.aggregate.partials import daily_flow
from optionsflow.aggregate.skew import sector_skew
from optionsflow.testing import at, labelled

MONDAYS = [dt.date(2026, 10, 5) + dt.timedelta(weeks=i) for i in range(3)]
SECTORS = pl.DataFrame({"symbol": ["XOM", "NEE"], "sector": ["Energy", "Utilities"]})


def _row(week: int, symbol: str, side: int, dollars: int, **kw: object) -> dict[str, object]:
    # price 1.00 x size x 100 = dollars
    return {
        "ts": at(MONDAYS[week] + dt.timedelta(days=1)),
        "underlying": symbol,
        "side": side,
        "size": dollars // 100,
        "participant": "institutional",
        **kw,
    }


def _partials() -> pl.LazyFrame:
    rows = [
        _row(0, "XOM", 1, 300),
        _row(0, "XOM", -1, 100),
        _row(1, "XOM", -1, 200),
        _row(2, "XOM", 1, 400),
        _row(0, "NEE", 1, 100),
        _row(0, "NEE", -1, 100),
        _row(2, "NEE", -1, 100),
        _row(2, "NEE", 1, 5000, participant="retail"),  # other class: ignored
    ]
    return daily_flow(labelled(rows), sectors=SECTORS)


def test_hand_computed_skew() -> None:
    out = sector_skew(_partials(), participant="institutional", baseline_weeks=2).collect()
    xom = out.filter(pl.col("sector") == "Energy")
    nee = out.filter(pl.col("sector") == "Utilities")
    assert xom["skew"].to_list() == pytest.approx([0.5, -1.0, 1.0])
    assert xom["baseline"].to_list() == [None, 0.5, 0.0]
    assert xom["vs_baseline"].to_list() == [None, -1.5, 1.0]
    # a sector with no trading that week has no skew, but its zeros feed the baseline
    assert nee["skew"].to_list() == [0.0, None, -1.0]
    assert nee["baseline"].to_list() == [None, 0.0, 0.0]
    assert nee["vs_baseline"].to_list() == [None, None, -1.0]
    assert xom["share"].to_list() == pytest.approx([0.666666666, 1.0, 0.8])
    assert nee["share"].to_list() == pytest.approx([0.333333333, 0.0, 0.2])


def test_baseline_window_excludes_older_weeks() -> None:
    out = sector_skew(_partials(), participant="institutional", baseline_weeks=1).collect()
    xom = out.filter(pl.col("sector") == "Energy")
    assert xom["baseline"].to_list() == [None, 0.5, -1.0]


def test_class_as_a_whole() -> None:
    out = sector_skew(_partials(), participant="institutional", by=None).collect()
    # week 0: buys 400, sells 200 -> 1/3; week 2: buys 400, sells 100 -> 0.6
    assert out["sector"].unique().to_list() == ["All"]
    assert out["skew"].to_list() == pytest.approx([1 / 3, -1.0, 0.6])
    # baseline of week 2 = weeks 0-1: buys 400, sells 400 -> 0
    assert out["baseline"].to_list()[2] == pytest.approx(0.0)
