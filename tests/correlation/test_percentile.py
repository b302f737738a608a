from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal, cast

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from optionsflow.correlation import percentile_rank
from optionsflow.errors import ConfigError, SchemaError
from optionsflow.testing import assert_engines_agree

from tolerances import FEW_OPS_REL

START = dt.date(2024, 1, 1)
DAYS = {"1y": 365, "6m": 182, "3m": 91}
Window = Literal["1y", "6m", "3m"]


def _frame(dates: Sequence[dt.date | None], values: Sequence[float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"date": dates, "value": values}, schema={"date": pl.Date, "value": pl.Float64}
    )


def _naive(
    dates: list[dt.date], values: list[float | None], window: str
) -> tuple[list[float | None], list[int]]:
    """Plain-Python oracle: for each row, scan every row with date in (d - L, d]."""
    length = dt.timedelta(days=DAYS[window])
    pct: list[float | None] = []
    counts: list[int] = []
    for d, v in zip(dates, values, strict=True):
        inside = [
            x for e, x in zip(dates, values, strict=True) if d - length < e <= d and x is not None
        ]
        counts.append(len(inside))
        pct.append(None if v is None else 100.0 * sum(x <= v for x in inside) / len(inside))
    return pct, counts


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 900),  # day offsets: random gaps, duplicates allowed
            st.one_of(st.none(), st.integers(-5, 5).map(float), st.floats(-1.0, 1.0)),
        ),
        min_size=1,
        max_size=60,
    ),
    window=st.sampled_from(["1y", "6m", "3m"]),
)
def test_matches_naive_loop(rows: list[tuple[int, float | None]], window: Window) -> None:
    dates = [START + dt.timedelta(days=k) for k, _ in rows]
    values = [v for _, v in rows]
    out = percentile_rank(_frame(dates, values), value="value", window=window).collect()
    pct, counts = _naive(dates, values, window)
    assert out["date"].to_list() == dates  # input order kept
    assert out["value"].to_list() == values
    got = out[f"percentile_{window}"].to_list()
    assert [g is None for g in got] == [p is None for p in pct]
    assert [g for g in got if g is not None] == pytest.approx(
        [p for p in pct if p is not None], rel=FEW_OPS_REL
    )
    assert out["window_n"].to_list() == counts


def test_hand_cases() -> None:
    days = [START + dt.timedelta(days=k) for k in range(3)]
    up = percentile_rank(_frame(days, [1.0, 2.0, 3.0]), value="value").collect()
    assert up["percentile_1y"].to_list() == [100.0, 100.0, 100.0]
    down = percentile_rank(_frame(days, [3.0, 2.0, 1.0]), value="value").collect()
    assert down["percentile_1y"].to_list() == pytest.approx([100.0, 50.0, 100.0 / 3.0])
    assert down["window_n"].to_list() == [1, 2, 3]
    assert down.schema["percentile_1y"] == pl.Float64


def test_values_older_than_window_are_excluded() -> None:
    d0 = dt.date(2025, 1, 1)
    dates = [d0, d0 + dt.timedelta(days=1), d0 + dt.timedelta(days=365)]
    out = percentile_rank(_frame(dates, [0.1, 0.9, 0.5]), value="value").collect()
    # on d0 + 365 the window is (d0, d0 + 365]: d0 drops out, d0 + 1 stays
    assert out["window_n"].to_list() == [1, 2, 2]
    assert out["percentile_1y"].to_list() == [100.0, 100.0, 50.0]
    out = percentile_rank(_frame(dates, [0.1, 0.9, 0.5]), value="value", window="3m").collect()
    assert out["window_n"].to_list() == [1, 2, 1]
    assert out["percentile_3m"].to_list() == [100.0, 100.0, 100.0]


def test_same_date_rows_share_a_window_and_order_is_kept() -> None:
    d = dt.date(2025, 3, 3)
    dates = [d + dt.timedelta(days=1), d, d + dt.timedelta(days=1)]
    out = percentile_rank(_frame(dates, [1.0, 5.0, 2.0]), value="value").collect()
    assert out["value"].to_list() == [1.0, 5.0, 2.0]
    assert out["window_n"].to_list() == [3, 1, 3]
    assert out["percentile_1y"].to_list() == pytest.approx([100 / 3, 100.0, 200 / 3])


def test_nulls_and_nans_are_ignored() -> None:
    days = [START + dt.timedelta(days=k) for k in range(4)]
    out = percentile_rank(
        _frame([*days, None], [2.0, None, float("nan"), 1.0, 3.0]), value="value"
    ).collect()
    assert out["percentile_1y"].to_list() == [100.0, None, None, 50.0, None]
    assert out["window_n"].to_list() == [1, 1, 1, 2, None]


def test_datetime_and_integer_columns() -> None:
    ts = [dt.datetime(2025, 1, 1, 16), dt.datetime(2025, 1, 2, 16), dt.datetime(2026, 1, 1, 16)]
    frame = pl.DataFrame({"ts": ts, "n": [3, 1, 2], "extra": ["a", "b", "c"]})
    out = percentile_rank(frame, value="n", date="ts", window="1y").collect()
    assert out.columns == ["ts", "n", "extra", "percentile_1y", "window_n"]
    assert out["percentile_1y"].to_list() == [100.0, 50.0, 100.0]


@pytest.mark.parametrize("missing", ["date", "value"])
def test_missing_column_raises_schema_error(missing: str) -> None:
    frame = _frame([START], [1.0]).drop(missing)
    with pytest.raises(SchemaError, match=f"'{missing}'") as err:
        percentile_rank(frame, value="value")
    assert err.value.column == missing


def test_wrong_dtypes_raise_schema_error() -> None:
    frame = pl.DataFrame({"date": ["2025-01-01"], "value": ["x"]})
    with pytest.raises(SchemaError, match="Date or Datetime") as err:
        percentile_rank(frame, value="value")
    assert err.value.column == "date"
    frame = frame.with_columns(pl.col("date").str.to_date())
    with pytest.raises(SchemaError, match="numeric") as err:
        percentile_rank(frame, value="value")
    assert err.value.column == "value"


def test_eager_equals_lazy() -> None:
    dates = [START + dt.timedelta(days=k * 17) for k in range(40)]
    values = [float((k * 7) % 11) if k % 9 else None for k in range(40)]
    frame = _frame(dates, values)
    eager = percentile_rank(frame, value="value", window="6m").collect()
    lazy = percentile_rank(frame.lazy(), value="value", window="6m")
    assert_frame_equal(eager, assert_engines_agree(lazy))
    assert_engines_agree(percentile_rank(frame, value="value", window="6m"))


def test_unknown_window_is_a_config_error() -> None:
    frame = pl.DataFrame({"date": [dt.date(2026, 1, 5)], "value": [1.0]})
    with pytest.raises(ConfigError, match="window must be one of") as err:
        percentile_rank(frame, value="value", window=cast(Any, "2y"))  # deliberately unknown
    assert err.value.column == "window"
