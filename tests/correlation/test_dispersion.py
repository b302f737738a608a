"""Dispersion index and proxy correlation: formula, agreement with implied_correlation, DSPX."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from optionsflow.correlation import dispersion_index, implied_correlation
from optionsflow.errors import ConfigError, SchemaError

from tolerances import COVERAGE_REL, DISPERSION_REL, DSPX_POINTS_ABS, FEW_OPS_REL, WEIGHTED_MEAN_REL

D1, D2 = dt.date(2026, 1, 5), dt.date(2026, 1, 6)
HISTORY = Path("cboe_index_history")  # in realdata


def _index(rows: dict[dt.date, float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"date": list(rows), "iv": list(rows.values())}, schema={"date": pl.Date, "iv": pl.Float64}
    )


def _vols(rows: list[tuple[dt.date, str, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"date": pl.Date, "symbol": pl.String, "iv": pl.Float64}, orient="row"
    )


def _weights(rows: dict[str, float]) -> pl.DataFrame:
    return pl.DataFrame({"symbol": list(rows), "weight": list(rows.values())})


def test_formula_by_hand() -> None:
    out = dispersion_index(
        _index({D1: 0.18}),
        _vols([(D1, "A", 0.3), (D1, "B", 0.2), (D1, "C", 0.1)]),
        _weights({"A": 2.0, "B": 1.0, "C": 1.0}),
    ).collect()
    row = out.row(0, named=True)
    sw = 0.5 * 0.3 + 0.25 * 0.2 + 0.25 * 0.1
    assert row["weighted_iv"] == pytest.approx(sw, rel=FEW_OPS_REL)
    assert row["dispersion"] == pytest.approx(math.sqrt(sw**2 - 0.18**2), rel=DISPERSION_REL)
    assert row["proxy_correlation"] == pytest.approx((0.18 / sw) ** 2, rel=DISPERSION_REL)
    assert row["dispersion_defined"] is True
    assert (row["n_constituents"], row["coverage_ok"]) == (3, True)


def test_rho_is_exactly_one_when_index_vol_is_the_weighted_vol() -> None:
    vols = _vols([(D1, "A", 0.25), (D1, "B", 0.25)])
    out = dispersion_index(_index({D1: 0.25}), vols, _weights({"A": 1.0, "B": 3.0})).collect()
    assert out["proxy_correlation"][0] == 1.0
    assert out["dispersion"][0] == 0.0
    rho = implied_correlation(_index({D1: 0.25}), vols, _weights({"A": 1.0, "B": 3.0})).collect()
    assert rho["implied_correlation"][0] == 1.0


def test_index_vol_above_weighted_vol_is_flagged_not_clipped() -> None:
    out = dispersion_index(
        _index({D1: 0.3, D2: None}),
        _vols([(D1, "A", 0.2), (D2, "A", 0.2)]),
        _weights({"A": 1.0}),
    ).collect()
    first, second = out.rows(named=True)
    assert first["dispersion"] is None
    assert first["dispersion_defined"] is False
    assert first["proxy_correlation"] == pytest.approx(2.25)
    assert second["index_iv"] is None
    assert second["dispersion"] is None
    assert second["weighted_iv"] is None


@st.composite
def _case(draw: st.DrawFn) -> tuple[dict[str, float], list[tuple[dt.date, str, float | None]]]:
    n = draw(st.integers(1, 12))
    weights = {f"S{i}": draw(st.floats(0.01, 5.0)) for i in range(n)}
    vols: list[tuple[dt.date, str, float | None]] = []
    for day in (D1, D2):
        for s in weights:
            v = draw(st.one_of(st.none(), st.floats(0.05, 1.5), st.just(-0.1)))
            vols.append((day, s, v))
    return weights, vols


@settings(max_examples=60, deadline=None)
@given(_case(), st.one_of(st.none(), st.integers(1, 6)), st.floats(0.0, 1.0))
def test_same_constituents_and_coverage_as_implied_correlation(
    case: tuple[dict[str, float], list[tuple[dt.date, str, float | None]]],
    top_n: int | None,
    min_coverage: float,
) -> None:
    weights, vols = case
    args = (_index({D1: 0.2, D2: 0.3}), _vols(vols), _weights(weights))
    disp = dispersion_index(*args, top_n=top_n, min_coverage=min_coverage).collect()
    rho = implied_correlation(*args, top_n=top_n, min_coverage=min_coverage).collect()
    cols = ["date", "n_constituents", "weight_coverage", "coverage_ok"]
    assert_frame_equal(disp.select(cols), rho.select(cols), check_exact=False, rel_tol=COVERAGE_REL)
    # and the weighted vol is sum w s over the names used, renormalised (plain Python)
    kept = sorted(weights, key=lambda s: (-weights[s], s))[:top_n]
    for day, got in zip((D1, D2), disp["weighted_iv"].to_list(), strict=True):
        used = [(weights[s], v) for d, s, v in vols if d == day and s in kept and v and v > 0]
        if not used:
            assert got is None
            continue
        total = math.fsum(w for w, _ in used)
        assert got == pytest.approx(
            math.fsum(w * v for w, v in used) / total, rel=WEIGHTED_MEAN_REL
        )


def test_dated_weights_apply_per_date() -> None:
    weights = pl.DataFrame(
        {"date": [D1, D1, D2, D2], "symbol": ["A", "B"] * 2, "weight": [1.0, 0.0, 0.0, 1.0]}
    )
    vols = _vols([(D1, "A", 0.2), (D1, "B", 0.4), (D2, "A", 0.2), (D2, "B", 0.4)])
    out = dispersion_index(_index({D1: 0.1, D2: 0.1}), vols, weights).collect()
    assert out["weighted_iv"].to_list() == [0.2, 0.4]


def test_bad_inputs() -> None:
    with pytest.raises(SchemaError) as err:
        dispersion_index(_index({D1: 0.2}), _vols([]).drop("iv"), _weights({"A": 1.0}))
    assert err.value.column == "iv"
    with pytest.raises(ConfigError):
        dispersion_index(_index({D1: 0.2}), _vols([]), _weights({"A": 1.0}), top_n=0)
    with pytest.raises(ConfigError):
        dispersion_index(_index({D1: 0.2}), _vols([]), _weights({"A": 1.0}), min_coverage=2.0)


def _history(realdata: Path, name: str, column: str) -> pl.DataFrame:
    return pl.read_csv(realdata / HISTORY / f"{name}_History.csv").select(
        pl.col("DATE").str.to_date("%m/%d/%Y").alias("date"),
        (pl.col(column).cast(pl.Float64) / 100.0).alias(name.lower()),
    )


@pytest.mark.realdata
def test_reproduces_cboe_dspx_from_vixeq_and_vix(realdata: Path) -> None:
    """DSPX = sqrt(VIXEQ^2 - VIX^2): VIXEQ is the S&P 500's cap-weighted constituent vol."""
    dspx = _history(realdata, "DSPX", "DSPX")
    vixeq = _history(realdata, "VIXEQ", "VIXEQ")
    vix = _history(realdata, "VIX", "CLOSE")
    days = dspx.join(vixeq, on="date").join(vix, on="date")
    assert days.height > 2500
    out = dispersion_index(
        days.select("date", pl.col("vix").alias("iv")),
        days.select("date", pl.lit("S&P 500 basket").alias("symbol"), pl.col("vixeq").alias("iv")),
        _weights({"S&P 500 basket": 1.0}),
    ).collect()
    check = days.join(out, on="date").filter(pl.col("vixeq") >= pl.col("vix"))
    miss = (100 * (check["dispersion"] - check["dspx"])).abs()
    share = (miss <= DSPX_POINTS_ABS).mean()
    assert isinstance(share, float)
    assert check.height > 2500
    assert share >= 0.95, f"only {share:.1%} of days within {DSPX_POINTS_ABS} points"
