"""Issue #15 item 15: every public stage checks its input schema at entry, without collecting.

A frame whose collection would fail loudly (a user function that raises) proves that
only the schema was looked at: the stage must raise ``SchemaError`` naming the column
before anything is read.
"""

from collections.abc import Callable

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.aggregate import (
    call_buying_streak,
    daily_flow,
    merge_partials,
    participant_share,
    put_call_ratio,
    sector_skew,
    theme_flow,
    unusual_activity,
    weekly_flow,
)
from optionsflow.aggregate.share import sector_coverage
from optionsflow.classify import (
    classify_participant,
    neighbour_prices,
    reconstruct_orders,
    sign_trades,
)
from optionsflow.errors import SchemaError
from optionsflow.testing import labelled
from optionsflow.volatility.enrich import with_greeks

Stage = Callable[[pl.LazyFrame], object]

TRADE_STAGES: dict[str, Stage] = {
    "sign_trades": sign_trades,
    "neighbour_prices": neighbour_prices,
    "reconstruct_orders": reconstruct_orders,
    "classify_participant": classify_participant,
    "daily_flow": daily_flow,
    "unusual_activity": unusual_activity,
    "with_greeks": with_greeks,
}
PARTIAL_STAGES: dict[str, Stage] = {
    "weekly_flow": weekly_flow,
    "merge_partials": merge_partials,
    "participant_share": participant_share,
    "put_call_ratio": put_call_ratio,
    "theme_flow": lambda p: theme_flow(p, {"Oil": ["XOM"]}),
    "sector_skew": lambda p: sector_skew(p, participant="retail"),
    "call_buying_streak": lambda p: call_buying_streak(p, participant="retail"),
    "sector_coverage": sector_coverage,
}


def _never(series: pl.Series) -> pl.Series:
    raise AssertionError("the stage read data: it must check the schema only")


def poisoned(frame: pl.DataFrame, column: str, expr: pl.Expr) -> pl.LazyFrame:
    """``frame`` lazily, with ``column`` replaced by ``expr`` behind a function that raises."""
    dtype = frame.lazy().select(expr.alias(column)).collect_schema()[column]
    bomb = pl.col(column).map_batches(_never, return_dtype=dtype)
    return frame.lazy().with_columns(expr.alias(column)).with_columns(bomb)


@pytest.fixture(scope="module")
def prints() -> pl.DataFrame:
    return labelled([{"size": 2}, {"size": 3, "price": 1.10}, {"size": 4, "side": -1}])


@pytest.mark.parametrize("stage", TRADE_STAGES, ids=str)
def test_string_prices_are_named(prints: pl.DataFrame, stage: str) -> None:
    lf = poisoned(prints, s.PRICE, pl.col(s.PRICE).cast(pl.String))
    with pytest.raises(SchemaError) as info:
        TRADE_STAGES[stage](lf)
    assert info.value.column == s.PRICE
    assert "needs a number, found String" in str(info.value)
    assert len(str(info.value)) < 200  # one line, no plan dump


@pytest.mark.parametrize("stage", [n for n in TRADE_STAGES if n != "classify_participant"])
def test_naive_ts_is_named(prints: pl.DataFrame, stage: str) -> None:
    lf = poisoned(prints, s.TS, pl.col(s.TS).dt.replace_time_zone(None))
    with pytest.raises(SchemaError) as info:
        TRADE_STAGES[stage](lf)
    assert info.value.column == s.TS
    assert "time-zone-aware Datetime (UTC)" in str(info.value)
    assert "a naive time is ambiguous" in str(info.value)


def test_classify_participant_checks_ts_through_orders(prints: pl.DataFrame) -> None:
    lf = poisoned(prints, s.TS, pl.col(s.TS).dt.replace_time_zone(None))
    with pytest.raises(SchemaError, match="time-zone-aware") as info:
        classify_participant(lf)
    assert info.value.column == s.TS


@pytest.mark.parametrize(
    ("column", "expr", "needs"),
    [
        (s.SIZE, pl.col(s.SIZE).cast(pl.Float64), "an integer, found Float64"),
        (s.STRIKE, pl.col(s.STRIKE).cast(pl.String), "a number, found String"),
        (s.EXPIRY, pl.col(s.EXPIRY).cast(pl.String), "a Date, found String"),
        (s.RIGHT, pl.lit(1, pl.Int8), "text or an Enum, found Int8"),
    ],
)
def test_other_canonical_dtypes_are_checked(
    prints: pl.DataFrame, column: str, expr: pl.Expr, needs: str
) -> None:
    with pytest.raises(SchemaError) as info:
        daily_flow(poisoned(prints, column, expr))
    assert info.value.column == column
    assert str(info.value).endswith(needs)


def test_looser_dtypes_than_the_canonical_ones_pass(prints: pl.DataFrame) -> None:
    loose = prints.with_columns(
        pl.col(s.PRICE).cast(pl.Float32),
        pl.col(s.SIZE).cast(pl.Int32),
        pl.col(s.RIGHT).cast(pl.String),
        pl.col(s.TS).dt.cast_time_unit("us"),
    )
    got = daily_flow(loose).collect()
    want = daily_flow(prints).collect()
    assert got.select("contracts", "trades").sum().row(0) == want.select(
        "contracts", "trades"
    ).sum().row(0)


@pytest.mark.parametrize("stage", PARTIAL_STAGES, ids=str)
def test_partials_of_the_wrong_dtype_are_named(prints: pl.DataFrame, stage: str) -> None:
    partials = daily_flow(prints).collect()
    lf = poisoned(partials, s.DATE, pl.col(s.DATE).cast(pl.String))
    with pytest.raises(SchemaError) as info:
        PARTIAL_STAGES[stage](lf)
    assert info.value.column == s.DATE
