"""Concentration, sector weights and the equal- vs cap-weight spread against plain Python."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optionsflow.correlation import concentration, sector_weights, weighting_spread
from optionsflow.errors import ConfigError, SchemaError
from optionsflow.schema import UNMAPPED

from tolerances import TINY_WEIGHT_ABS

D0, D1, D2 = dt.date(2026, 1, 5), dt.date(2026, 1, 6), dt.date(2026, 1, 7)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.floats(0.001, 100.0), min_size=1, max_size=40),
    st.integers(1, 15),
)
def test_top_share_and_herfindahl_match_plain_python(weights: list[float], top: int) -> None:
    symbols = [f"S{i:02d}" for i in range(len(weights))]
    frame = pl.DataFrame({"symbol": symbols, "weight": weights})
    row = concentration(frame, top=top).collect().row(0, named=True)
    total = math.fsum(weights)
    ranked = sorted(zip(weights, symbols, strict=True), key=lambda p: (-p[0], p[1]))
    assert row["n_constituents"] == len(weights)
    assert row["top_share"] == pytest.approx(math.fsum(w for w, _ in ranked[:top]) / total)
    assert row["top_symbols"] == [s for _, s in ranked[:top]]
    hhi = math.fsum((w / total) ** 2 for w in weights)
    assert row["herfindahl"] == pytest.approx(hhi)
    assert row["effective_n"] == pytest.approx(1 / hhi)


def test_top_ten_cents_on_the_dollar_per_date_and_invalid_weights_dropped() -> None:
    w = pl.DataFrame(
        {
            "date": [D0] * 4 + [D1] * 3,
            "symbol": ["A", "B", "C", "D", "A", "B", "C"],
            "weight": [39.0, 21.0, 40.0, None, 1.0, 1.0, -5.0],
        }
    )
    out = concentration(w, top=1).collect()
    assert out["date"].to_list() == [D0, D1]
    assert out["top_share"].to_list() == pytest.approx([0.4, 0.5])
    assert out["n_constituents"].to_list() == [3, 2]
    with pytest.raises(ConfigError):
        concentration(w, top=0)
    with pytest.raises(SchemaError) as err:
        concentration(w.drop("weight"))
    assert err.value.column == "weight"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 10.0), st.sampled_from("ABCX")), min_size=1, max_size=30))
def test_sector_weights_sum_to_one(rows: list[tuple[float, str]]) -> None:
    weights = pl.DataFrame(
        {"symbol": [f"S{i}" for i in range(len(rows))], "weight": [w for w, _ in rows]}
    )
    sectors = pl.DataFrame(
        {
            "symbol": [f"S{i}" for i, (_, s) in enumerate(rows) if s != "X"],
            "sector": [s for _, s in rows if s != "X"],
        },
        schema={"symbol": pl.String, "sector": pl.String},
    )
    out = sector_weights(weights, sectors).collect()
    assert out["sector_weight"].sum() == pytest.approx(1.0)
    total = math.fsum(w for w, _ in rows)
    for sector, weight in zip(out["sector"], out["sector_weight"], strict=True):
        label = "X" if sector == UNMAPPED else sector
        assert weight == pytest.approx(math.fsum(w for w, s in rows if s == label) / total)
    assert out["sector_weight"].to_list() == sorted(out["sector_weight"].to_list(), reverse=True)


def test_sector_weight_history_and_change() -> None:
    w = pl.DataFrame(
        {
            "date": [D0, D0, D1, D1],
            "symbol": ["A", "B", "A", "B"],
            "weight": [3.0, 1.0, 1.0, 1.0],
        }
    )
    s = pl.DataFrame({"symbol": ["A", "B"], "sector": ["Tech", "Energy"]})
    out = sector_weights(w, s).collect()
    assert out.rows() == [
        (D0, "Tech", 0.75, 1, None),
        (D0, "Energy", 0.25, 1, None),
        (D1, "Energy", 0.5, 1, 0.25),
        (D1, "Tech", 0.5, 1, -0.25),
    ]


def _prices() -> pl.DataFrame:
    closes = {"A": [100.0, 110.0, 99.0], "B": [50.0, 50.0, 55.0], "C": [10.0, 9.0, 9.0]}
    return pl.DataFrame(
        [(d, s, closes[s][i]) for i, d in enumerate((D0, D1, D2)) for s in closes],
        schema={"date": pl.Date, "symbol": pl.String, "close": pl.Float64},
        orient="row",
    )


def test_weighting_spread_static_weights() -> None:
    w = pl.DataFrame({"symbol": ["A", "B", "C"], "weight": [6.0, 3.0, 1.0]})
    out = weighting_spread(_prices(), w).collect()
    r1 = {"A": 0.1, "B": 0.0, "C": -0.1}
    r2 = {"A": -0.1, "B": 0.1, "C": 0.0}
    cap = [sum(w_ * r[s] for s, w_ in zip("ABC", (0.6, 0.3, 0.1), strict=True)) for r in (r1, r2)]
    eq = [sum(r.values()) / 3 for r in (r1, r2)]
    assert out["date"].to_list() == [D1, D2]
    assert out["cap_weighted_return"].to_list() == pytest.approx(cap)
    assert out["equal_weighted_return"].to_list() == pytest.approx(eq)
    assert out["spread"].to_list() == pytest.approx([e - c for e, c in zip(eq, cap, strict=True)])
    cum_cap = (1 + cap[0]) * (1 + cap[1]) - 1
    cum_eq = (1 + eq[0]) * (1 + eq[1]) - 1
    assert out["cumulative_cap"][-1] == pytest.approx(cum_cap)
    assert out["cumulative_spread"][-1] == pytest.approx(cum_eq - cum_cap)


def test_weighting_spread_dated_weights_apply_from_the_next_day() -> None:
    # caps set on D0 apply to D1's return; caps set on D1 apply to D2's
    w = pl.DataFrame(
        {
            "date": [D0, D0, D0, D1, D1, D1],
            "symbol": ["A", "B", "C"] * 2,
            "weight": [1.0, 0.0001, 0.0001, 0.0001, 1.0, 0.0001],
        }
    )
    out = weighting_spread(_prices(), w).collect()
    assert out["cap_weighted_return"].to_list() == pytest.approx([0.1, 0.1], abs=TINY_WEIGHT_ABS)
    assert out["n_constituents"].to_list() == [3, 3]


def test_equal_sector_weights_are_ordered_by_name() -> None:
    # 0.1 + 0.2 and 0.3 differ in the last bit; as weights of two sectors they are a tie
    weights = pl.DataFrame({"symbol": ["A", "B", "C", "D"], "weight": [0.1, 0.2, 0.3, 0.4]})
    sectors = pl.DataFrame({"symbol": ["A", "B", "C", "D"], "sector": ["Z", "Z", "Y", "X"]})
    out = sector_weights(weights, sectors).collect()
    assert out["sector"].to_list() == ["X", "Y", "Z"]
