from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from optionsflow.correlation import implied_correlation
from optionsflow.errors import ConfigError, SchemaError
from optionsflow.testing import assert_engines_agree

from tolerances import CORRELATION_ABS, CORRELATION_REL, FEW_OPS_ABS, FEW_OPS_REL

D1 = dt.date(2026, 1, 5)
D2 = dt.date(2026, 1, 6)
OUT_COLUMNS = [
    "date",
    "implied_correlation",
    "n_constituents",
    "weight_coverage",
    "in_range",
    "coverage_ok",
]


def _index(rows: Mapping[dt.date, float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"date": list(rows), "iv": list(rows.values())},
        schema={"date": pl.Date, "iv": pl.Float64},
    )


def _vols(rows: Sequence[tuple[dt.date, str, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"date": pl.Date, "symbol": pl.String, "iv": pl.Float64}, orient="row"
    )


def _weights(rows: dict[str, float]) -> pl.DataFrame:
    return pl.DataFrame(
        {"symbol": list(rows), "weight": list(rows.values())},
        schema={"symbol": pl.String, "weight": pl.Float64},
    )


def _naive_rho(index_iv: float, weights: list[float], vols: list[float]) -> float:
    """Cboe formula with the O(n^2) double sum over i < j, in plain Python."""
    total = math.fsum(weights)
    w = [x / total for x in weights]
    n = len(w)
    own = math.fsum(w[i] ** 2 * vols[i] ** 2 for i in range(n))
    cross = math.fsum(w[i] * w[j] * vols[i] * vols[j] for i in range(n) for j in range(i + 1, n))
    return (index_iv**2 - own) / (2.0 * cross)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[list[float], list[float], float, float]:
    n = draw(st.integers(2, 30))
    vols = draw(st.lists(st.floats(0.05, 1.5), min_size=n, max_size=n))
    weights = draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n))
    total = math.fsum(weights)
    a = [w / total * s for w, s in zip(weights, vols, strict=True)]
    own = math.fsum(x * x for x in a)
    cross = math.fsum(a[i] * a[j] for i in range(n) for j in range(i + 1, n))
    # keep the index variance positive: rho > -own / (2 cross)
    lo = max(-0.2, 0.9 * (-own / (2.0 * cross)))
    rho = lo + draw(st.floats(0.0, 1.0)) * (1.0 - lo)
    index_iv = math.sqrt(own + 2.0 * rho * cross)
    return weights, vols, rho, index_iv


@settings(max_examples=300, deadline=None)
@given(_cases())
def test_matches_known_rho_and_double_sum(
    case: tuple[list[float], list[float], float, float],
) -> None:
    weights, vols, rho, index_iv = case
    symbols = [f"S{i:02d}" for i in range(len(vols))]
    vol_rows = [(D1, s, v) for s, v in zip(symbols, vols, strict=True)]
    vol_rows.append((D1, "NOT_IN_INDEX", 0.9))  # ignored: no weight
    out = implied_correlation(
        _index({D1: index_iv}), _vols(vol_rows), _weights(dict(zip(symbols, weights, strict=True)))
    ).collect()
    got = out["implied_correlation"][0]
    tol = {"rel_tol": CORRELATION_REL, "abs_tol": CORRELATION_ABS}
    assert math.isclose(got, rho, **tol)
    assert math.isclose(got, _naive_rho(index_iv, weights, vols), **tol)
    assert out["n_constituents"][0] == len(vols)
    assert math.isclose(out["weight_coverage"][0], 1.0, rel_tol=FEW_OPS_REL)
    assert out["in_range"][0] is (-1.0 <= got <= 1.0)


def test_rho_is_one_when_index_vol_is_weighted_sum() -> None:
    weights = {"A": 0.5, "B": 0.25, "C": 0.25}
    vols = {"A": 0.2, "B": 0.4, "C": 0.3}
    index_iv = sum(weights[s] * vols[s] for s in weights)
    out = implied_correlation(
        _index({D1: index_iv}), _vols([(D1, s, v) for s, v in vols.items()]), _weights(weights)
    ).collect()
    assert out["implied_correlation"][0] == pytest.approx(1.0, abs=FEW_OPS_ABS)
    assert out["in_range"][0] is True


def test_out_of_range_rho_is_flagged_not_clipped() -> None:
    weights = _weights({"A": 0.5, "B": 0.5})
    vols = _vols([(D1, "A", 0.2), (D1, "B", 0.2), (D2, "A", 0.5), (D2, "B", 0.01)])
    # D1: index vol above sum w sigma = 0.2 -> rho > 1; D2: tiny index vol -> rho < -1
    out = implied_correlation(_index({D1: 0.3, D2: 0.01}), vols, weights).collect()
    # D1: a = (0.1, 0.1), own = 0.02, (sum a)^2 - own = 0.02
    # D2: a = (0.25, 0.005), own = 0.062525, (sum a)^2 - own = 0.0025
    expected = [(0.09 - 0.02) / 0.02, (0.0001 - 0.062525) / 0.0025]
    assert expected[0] == pytest.approx(3.5)
    assert expected[1] == pytest.approx(-24.97)
    assert out["implied_correlation"].to_list() == pytest.approx(expected, rel=CORRELATION_REL)
    assert out["in_range"].to_list() == [False, False]


def test_missing_vol_renormalises_weights() -> None:
    weights = _weights({"A": 0.5, "B": 0.3, "C": 0.1, "D": 0.05, "E": 0.05})
    vols = _vols(
        [
            (D1, "A", 0.2),
            (D1, "B", 0.4),
            (D1, "C", None),  # null
            (D1, "D", float("nan")),  # not finite
            (D1, "E", -0.1),  # not positive
        ]
    )
    out = implied_correlation(_index({D1: 0.25}), vols, weights, min_coverage=0.85).collect()
    # renormalised: A 0.625, B 0.375; a = (0.125, 0.15); S1 = 0.275, S2 = 0.038125
    expected = (0.0625 - 0.038125) / (0.275**2 - 0.038125)
    assert expected == pytest.approx(0.65)
    row = out.row(0, named=True)
    assert row["implied_correlation"] == pytest.approx(expected, rel=CORRELATION_REL)
    assert row["n_constituents"] == 2
    assert row["weight_coverage"] == pytest.approx(0.8, rel=FEW_OPS_REL)
    assert row["coverage_ok"] is False
    assert row["in_range"] is True


def test_top_n_keeps_heaviest_names_ties_by_symbol() -> None:
    weights = _weights({"A": 0.1, "B": 0.4, "C": 0.2, "D": 0.2, "E": 0.1})
    # only B and C survive top_n=2 (C beats D on the tie); vols for others are ignored
    vols = _vols([(D1, s, 0.3) for s in "ABDE"] + [(D1, "C", 0.3)])
    out = implied_correlation(_index({D1: 0.3}), vols, weights, top_n=2).collect()
    assert out["n_constituents"][0] == 2
    assert out["implied_correlation"][0] == pytest.approx(1.0, abs=FEW_OPS_ABS)
    # C missing: coverage is B's share of B + C (not of the whole index)
    vols_no_c = _vols([(D1, s, 0.3) for s in "ABDE"])
    out = implied_correlation(_index({D1: 0.3}), vols_no_c, weights, top_n=2).collect()
    assert out["n_constituents"][0] == 1
    assert out["weight_coverage"][0] == pytest.approx(0.4 / 0.6, rel=FEW_OPS_REL)
    assert out["implied_correlation"][0] is None  # one name: denominator 0


def test_dated_weights_are_joined_per_date() -> None:
    weights = pl.DataFrame(
        {
            "date": [D1, D1, D2, D2],
            "symbol": ["A", "B", "A", "B"],
            "weight": [0.5, 0.5, 0.8, 0.2],
        }
    )
    vols = _vols([(D1, "A", 0.2), (D1, "B", 0.4), (D2, "A", 0.2), (D2, "B", 0.4)])
    out = implied_correlation(_index({D1: 0.25, D2: 0.2}), vols, weights).collect()
    expected = [_naive_rho(0.25, [0.5, 0.5], [0.2, 0.4]), _naive_rho(0.2, [0.8, 0.2], [0.2, 0.4])]
    assert out["implied_correlation"].to_list() == pytest.approx(expected, rel=CORRELATION_REL)
    # top_n is applied per date: A on both dates (tie on D1 broken by symbol)
    out = implied_correlation(_index({D1: 0.25, D2: 0.2}), vols, weights, top_n=1).collect()
    assert out["n_constituents"].to_list() == [1, 1]
    assert out["weight_coverage"].to_list() == [1.0, 1.0]
    assert out["implied_correlation"].to_list() == [None, None]
    only_b = vols.filter(pl.col("symbol") == "B")
    out = implied_correlation(_index({D1: 0.25, D2: 0.2}), only_b, weights, top_n=1).collect()
    assert out["n_constituents"].to_list() == [0, 0]  # B is not in the top 1 on either date
    assert out["weight_coverage"].to_list() == [0.0, 0.0]


def test_missing_data_gives_null_rho_and_one_row_per_index_date() -> None:
    d3 = dt.date(2026, 1, 7)
    vols = _vols([(D1, "A", 0.2), (D1, "B", 0.3), (D2, "A", 0.2), (D2, "B", 0.3)])
    index = _index({d3: 0.2, D2: None, D1: 0.25})  # unsorted; D2 index vol missing
    out = implied_correlation(index, vols, _weights({"A": 0.5, "B": 0.5})).collect()
    assert out.columns == OUT_COLUMNS
    assert out.schema["n_constituents"] == pl.UInt32
    assert out["date"].to_list() == [D1, D2, d3]
    rho = out["implied_correlation"].to_list()
    assert rho[0] is not None
    assert rho[1:] == [None, None]
    assert out["in_range"].to_list() == [True, None, None]
    assert out["n_constituents"].to_list() == [2, 2, 0]
    assert out["weight_coverage"].to_list() == [1.0, 1.0, 0.0]
    assert out["coverage_ok"].to_list() == [True, True, True]


@pytest.mark.parametrize(
    ("which", "column"),
    [("index", "iv"), ("index", "date"), ("vols", "symbol"), ("weights", "weight")],
)
def test_missing_column_raises_schema_error(which: str, column: str) -> None:
    frames = {
        "index": _index({D1: 0.2}),
        "vols": _vols([(D1, "A", 0.2)]),
        "weights": _weights({"A": 1.0}),
    }
    frames[which] = frames[which].drop(column)
    with pytest.raises(SchemaError, match=f"'{column}'") as err:
        implied_correlation(frames["index"], frames["vols"], frames["weights"])
    assert err.value.column == column


def test_wrong_dtype_raises_schema_error() -> None:
    weights = pl.DataFrame({"symbol": ["A"], "weight": [1]})  # Int64
    with pytest.raises(SchemaError, match="expected dtype") as err:
        implied_correlation(_index({D1: 0.2}), _vols([(D1, "A", 0.2)]), weights)
    assert err.value.column == "weight"


@pytest.mark.parametrize(("top_n", "min_coverage"), [(0, 0.0), (None, 1.5), (None, -0.1)])
def test_bad_options_raise_config_error(top_n: int | None, min_coverage: float) -> None:
    with pytest.raises(ConfigError) as err:
        implied_correlation(
            _index({D1: 0.2}),
            _vols([(D1, "A", 0.2)]),
            _weights({"A": 1.0}),
            top_n=top_n,
            min_coverage=min_coverage,
        )
    assert err.value.column == ("top_n" if top_n is not None else "min_coverage")


def test_eager_equals_lazy() -> None:
    index = _index({D1: 0.25, D2: 0.3})
    vols = _vols([(D1, "A", 0.2), (D1, "B", 0.4), (D2, "A", 0.25), (D2, "C", 0.5)])
    weights = _weights({"A": 0.5, "B": 0.3, "C": 0.2})
    eager = implied_correlation(index, vols, weights, top_n=3).collect()
    lazy = implied_correlation(index.lazy(), vols.lazy(), weights.lazy(), top_n=3)
    assert_frame_equal(eager, assert_engines_agree(lazy))
    assert_engines_agree(implied_correlation(index, vols, weights, top_n=3))
