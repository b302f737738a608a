"""Signing rules on hand-built tapes (Lee & Ready 1991; DESIGN.md section 6)."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict, Unpack, cast

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.classify.rules import Compare
from optionsflow.classify.side import GSU_SMALL, LEE_READY, Layer, sign_trades
from optionsflow.errors import ConfigError, SchemaError
from optionsflow.testing import T0, assert_engines_agree, trades


class _Options(TypedDict, total=False):
    layers: Sequence[Layer]
    price_compare: Compare
    sign_complex: bool
    condition_aware: bool


def _sides(frame: pl.DataFrame, **kwargs: Unpack[_Options]) -> list[tuple[int | None, str | None]]:
    out = sign_trades(frame, **kwargs).collect()
    return list(zip(out[s.SIDE].to_list(), out[s.SIDE_RULE].to_list(), strict=True))


def test_quote_rule_above_below_and_at_mid() -> None:
    # bid 0.95 / ask 1.05, mid 1.00
    tape = trades([{"price": 1.05}, {"price": 0.96}, {"price": 1.00}])
    out = _sides(tape, layers=[("quote", "best")])
    assert out == [(1, "quote_best"), (-1, "quote_best"), (None, None)]


def test_tick_test_uses_previous_different_price() -> None:
    # prices 1.00, 1.00, 1.10, 1.10, 1.05: zero ticks look back to the last change
    tape = trades([{"price": p} for p in (1.00, 1.00, 1.10, 1.10, 1.05)])
    out = _sides(tape, layers=[("tick", "all")])
    assert [side for side, _ in out] == [None, None, 1, 1, -1]


def test_reverse_tick_uses_next_different_price() -> None:
    tape = trades([{"price": p} for p in (1.00, 1.00, 1.10, 1.05, 1.05)])
    out = _sides(tape, layers=[("rev_tick", "all")])
    # 1.00 -> next different 1.10 is higher: sell; 1.10 -> 1.05 lower: buy; last run: none
    assert [side for side, _ in out] == [-1, -1, 1, None, None]


def test_tick_test_is_per_contract_and_ordered_by_time_then_seq() -> None:
    other = {"strike": 120.0}
    tape = trades(
        [
            {"price": 2.00, "seq": 2},
            {"price": 1.00, "seq": 1, "ts": T0},  # same ts as row 0, earlier seq
            {"price": 5.00, **other},
            {"price": 1.50, **other},
        ]
    )
    out = _sides(tape, layers=[("tick", "all")])
    assert [side for side, _ in out] == [1, None, None, -1]


def test_tick_ex_compares_on_the_same_venue_only() -> None:
    tape = trades(
        [
            {"price": 1.00, "exchange": "XCBO"},
            {"price": 2.00, "exchange": "XPHO"},
            {"price": 1.50, "exchange": "XCBO"},
        ]
    )
    assert [x for x, _ in _sides(tape, layers=[("tick", "ex")])] == [None, None, 1]
    assert [x for x, _ in _sides(tape, layers=[("tick", "all")])] == [None, 1, -1]


def test_lee_ready_falls_back_to_tick_at_the_midpoint() -> None:
    tape = trades([{"price": 1.10}, {"price": 1.00}])
    assert _sides(tape, layers=LEE_READY) == [(1, "lr_best"), (-1, "lr_best")]


def test_crossed_quote_has_no_midpoint_but_locked_does() -> None:
    crossed = trades([{"price": 0.90}, {"price": 1.10, "bid": 1.10, "ask": 1.00}])
    assert _sides(crossed, layers=[("quote", "best")]) == [(-1, "quote_best"), (None, None)]
    assert _sides(crossed, layers=LEE_READY)[1] == (1, "lr_best")  # tick: 1.10 > 0.90
    locked = trades([{"price": 1.00, "bid": 1.00, "ask": 1.00}])
    assert _sides(locked, layers=[("quote", "best")]) == [(None, None)]


def test_null_quotes_and_first_trade_stay_unsigned() -> None:
    tape = trades([{"price": 1.00, "bid": None, "ask": None}])
    assert _sides(tape, layers=LEE_READY) == [(None, None)]


def test_zero_bid_is_a_valid_one_sided_market() -> None:
    tape = trades([{"price": 0.05, "bid": 0.0, "ask": 0.05}])
    assert _sides(tape, layers=[("quote", "best")]) == [(1, "quote_best")]


def test_tick_compare_fixes_binary_midpoint_noise() -> None:
    # (0.01 + 0.06) / 2 = 0.035 in decimal, but 0.034999999999999996 in binary floating point
    tape = trades([{"price": 0.035, "bid": 0.01, "ask": 0.06}])
    assert _sides(tape, layers=[("quote", "best")]) == [(None, None)]
    mid = 0.5 * (0.06 + 0.01)
    assert mid < 0.035  # the float midpoint falls below the printed price
    expected = 1
    assert _sides(tape, layers=[("quote", "best")], price_compare="float")[0][0] == expected


def test_stack_order_and_side_rule() -> None:
    tape = trades([{"price": 1.00, "bid_ex": 0.90, "ask_ex": 1.05}, {"price": 1.00}])
    # row 0: NBBO mid 1.00 -> null; venue mid 0.975 -> buy. row 1 likewise; row 1's ex quote same
    out = _sides(tape, layers=GSU_SMALL)
    assert out[0] == (1, "quote_ex")


def test_complex_prints_left_unsigned_unless_asked() -> None:
    tape = trades([{"price": 1.05, "condition": "MLET"}, {"price": 1.05, "condition": "TLET"}])
    assert _sides(tape) == [(None, "complex"), (None, "complex")]
    assert _sides(tape, sign_complex=True) == [(1, "quote_best"), (1, "quote_best")]
    assert _sides(tape, condition_aware=False) == [(1, "quote_best"), (1, "quote_best")]


def test_missing_column_names_the_layer() -> None:
    tape = trades([{}]).drop(s.BID_EX)
    with pytest.raises(SchemaError, match="signing layer 'quote_ex'") as err:
        sign_trades(tape, layers=GSU_SMALL)
    assert err.value.column == "bid_ex"


def test_bad_stacks_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="at least one layer"):
        sign_trades(trades([{}]), layers=[])
    with pytest.raises(ConfigError, match="unknown signing layer"):
        sign_trades(trades([{}]), layers=[cast(Any, ("magic", "best"))])  # deliberately unknown


def test_input_order_and_columns_are_kept() -> None:
    tape = trades([{"price": p} for p in (1.0, 1.2, 0.9)]).reverse()
    out = sign_trades(tape).collect()
    assert out.drop(s.SIDE, s.SIDE_RULE).equals(tape)
    assert out[s.SIDE].dtype == pl.Int8


prices = st.integers(min_value=1, max_value=400).map(lambda c: c / 100)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(prices, prices, prices), min_size=1, max_size=12))
def test_mirroring_flips_every_quote_decided_label(rows: list[tuple[float, float, float]]) -> None:
    """Price -> 2*mid - price with bid/ask swapped in role flips the quote rule's answer."""
    base = [{"price": p, "bid": min(b, a), "ask": max(b, a)} for p, b, a in rows]
    mirrored = [{**r, "price": round(r["bid"] + r["ask"] - r["price"], 2)} for r in base]
    assume(all(r["price"] > 0 for r in mirrored))
    a = _sides(trades(base), layers=[("quote", "best")])
    b = _sides(trades(mirrored), layers=[("quote", "best")])
    assert [None if x is None else -x for x, _ in a] == [x for x, _ in b]


def test_eager_lazy_and_streaming_agree() -> None:
    tape = trades(
        [
            {"price": p, "ts": T0 + dt.timedelta(seconds=i)}
            for i, p in enumerate((1.0, 1.1, 1.1, 0.9, 1.0, 1.0))
        ]
    )
    lazy = sign_trades(tape.lazy())
    assert assert_engines_agree(lazy, check_exact=True).equals(sign_trades(tape).collect())


def test_tick_test_does_not_cross_trading_days() -> None:
    day1 = dt.datetime(2026, 11, 16, 20, 59, tzinfo=dt.UTC)  # 15:59 New York
    day2 = dt.datetime(2026, 11, 17, 14, 31, tzinfo=dt.UTC)  # 09:31 next day
    tape = trades([{"price": 1.00, "ts": day1}, {"price": 1.20, "ts": day2}])
    assert [x for x, _ in _sides(tape, layers=[("tick", "all")])] == [None, None]
    assert [x for x, _ in _sides(tape, layers=[("rev_tick", "all")])] == [None, None]
