"""The full rule family on hand-built tapes.

Expected labels follow the rules' definitions in Ellis, Michaely & O'Hara
(2000) for EMO, Chakrabarty, Li, Nguyen & Van Ness (2007) for CLNV, and
Grauer, Schuster & Uhrig-Homburg ("Option Trade Classification") for the
trade-size and depth rules, as ``tclf`` 0.4.0 implements them.
"""

from typing import Any, TypedDict, Unpack

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.classify.rules import Compare
from optionsflow.classify.side import GSU_LARGE, STACKS, Layer, QuoteSource, Rule, sign_trades
from optionsflow.testing import assert_engines_agree, trades

BID, ASK = 1.00, 1.10  # mid 1.05; CLNV deciles: lower <= 1.03, upper >= 1.07
COMPARES: tuple[Compare, ...] = ("tick", "float")


class _Options(TypedDict, total=False):
    price_compare: Compare


def _book(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Trades quoted 1.00 / 1.10 on the NBBO and the venue unless a row says otherwise."""
    quoted = {"bid": BID, "ask": ASK, "bid_ex": BID, "ask_ex": ASK}
    return trades([{**quoted, **row} for row in rows])


def _side(rows: list[dict[str, Any]], layer: Layer, **kw: Unpack[_Options]) -> list[int | None]:
    out = sign_trades(_book(rows), layers=[layer], **kw).collect()
    return out[s.SIDE].to_list()


@pytest.mark.parametrize("compare", COMPARES)
def test_emo(compare: Compare) -> None:
    rows = [
        {"price": 1.20},  # first trade, above the ask: not at ask/bid -> tick: none yet
        {"price": 1.10},  # at the ask -> quote rule: buy
        {"price": 1.00},  # at the bid -> sell
        {"price": 1.06},  # inside, off the quotes -> tick vs 1.00: up, buy
        {"price": 1.04},  # inside -> tick vs 1.06: down, sell
    ]
    assert _side(rows, ("emo", "best"), price_compare=compare) == [None, 1, -1, 1, -1]
    # locked market: at the ask AND at the bid -> not XOR -> tick
    locked = [{"price": 1.00}, {"price": 1.05, "bid": 1.05, "ask": 1.05}]
    assert _side(locked, ("emo", "best"), price_compare=compare) == [-1, 1]


def test_emo_quote_null_has_no_fallback() -> None:
    # crossed quote with the print at the ask only: EMO picks the quote rule, which is null
    rows = [{"price": 0.90}, {"price": 1.00, "bid": 1.10, "ask": 1.00}]
    # row 0 is off the quotes and first of its contract: EMO's tick test has nothing
    assert _side(rows, ("emo", "best")) == [None, None]
    # Lee-Ready: row 0 below the mid; row 1's quote is crossed, so its tick (up) decides
    assert _side(rows, ("lr", "best")) == [-1, 1]


@pytest.mark.parametrize("compare", COMPARES)
def test_clnv_deciles(compare: Compare) -> None:
    rows = [
        {"price": 1.08},  # upper 30% -> quote: buy
        {"price": 1.07},  # upper bound exactly (0.7*1.10 + 0.3*1.00 = 1.07) -> buy
        {"price": 1.05},  # middle -> tick vs 1.07: down
        {"price": 1.03},  # lower bound exactly -> quote: sell
        {"price": 1.12},  # outside the spread -> tick vs 1.03: up
    ]
    assert _side(rows, ("clnv", "best"), price_compare=compare) == [1, 1, -1, -1, 1]


def test_reverse_hybrids_use_the_next_price() -> None:
    rows = [{"price": 1.05}, {"price": 1.06}, {"price": 1.02}]
    # rev_lr: 1.05 at mid -> next 1.06 is higher: sell; 1.06 > mid: buy; 1.02 < mid: sell
    assert _side(rows, ("rev_lr", "best")) == [-1, 1, -1]
    assert _side(rows, ("lr", "best")) == [None, 1, -1]
    # rev_clnv: 1.05 and 1.06 sit in the middle deciles -> reverse tick; 1.02 is in the lower
    assert _side(rows, ("rev_clnv", "best")) == [-1, 1, -1]
    assert _side(rows, ("rev_emo", "best")) == [-1, 1, None]


def test_trade_size_rule() -> None:
    rows: list[dict[str, Any]] = [
        {"size": 10, "bid_size": 10, "ask_size": 20},  # = bid size: a resting bid filled -> buy
        {"size": 20, "bid_size": 10, "ask_size": 20},  # = ask size -> sell
        {"size": 15, "bid_size": 15, "ask_size": 15},  # sizes equal: undecided
        {"size": 7, "bid_size": 10, "ask_size": 20},  # neither
        {"size": 7, "bid_size": None, "ask_size": None},  # no sizes
    ]
    for compare in COMPARES:
        got = _side(rows, ("trade_size", "best"), price_compare=compare)
        assert got == [1, -1, None, None, None]


def test_trade_size_ex_uses_the_venue_quote() -> None:
    rows = [{"size": 5, "bid_size_ex": 5, "ask_size_ex": 9, "bid_size": 50, "ask_size": 90}]
    assert _side(rows, ("trade_size", "ex")) == [1]
    assert _side(rows, ("trade_size", "best")) == [None]


@pytest.mark.parametrize("compare", COMPARES)
def test_depth_rule(compare: Compare) -> None:
    rows = [
        {"price": 1.05, "bid_size": 10, "ask_size": 30},  # midpoint, ask deeper -> buy
        {"price": 1.05, "bid_size": 30, "ask_size": 10},  # bid deeper -> sell
        {"price": 1.05, "bid_size": 10, "ask_size": 10},  # equal -> none
        {"price": 1.06, "bid_size": 10, "ask_size": 30},  # not at the midpoint -> none
    ]
    assert _side(rows, ("depth", "best"), price_compare=compare) == [1, -1, None, None]


def test_stale_prints_skip_the_quote() -> None:
    rows: list[dict[str, Any]] = [
        {"price": 1.00},
        {"price": 1.08, "condition": "LATE"},
        {"price": 1.09},
    ]
    out = sign_trades(_book(rows), layers=[("lr", "best")]).collect()
    # the late print is above the mid but is signed by its tick (up from 1.00), not its quote
    assert out[s.SIDE].to_list() == [-1, 1, 1]
    out = sign_trades(_book(rows), layers=[("quote", "best")]).collect()
    assert out[s.SIDE].to_list() == [-1, None, 1]


def test_fill_strategies() -> None:
    rows: list[dict[str, Any]] = [
        {"price": 1.05},
        {"price": 1.05},
        {"price": 1.05, "condition": "MLET"},
    ]
    const = sign_trades(_book(rows), layers=[("quote", "best")], fill="const").collect()
    assert const[s.SIDE].to_list() == [0, 0, None]
    rnd = sign_trades(_book(rows * 40), layers=[("quote", "best")], fill="random").collect()
    filled = rnd.filter(pl.col(s.CONDITION) != "MLET")[s.SIDE]
    assert set(filled.to_list()) == {-1, 1}
    again = sign_trades(_book(rows * 40), layers=[("quote", "best")], fill="random").collect()
    assert again[s.SIDE].equals(rnd[s.SIDE])
    assert rnd[s.SIDE_RULE].drop_nulls().to_list() == ["complex"] * 40


# --- properties ------------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=300)


@st.composite
def quoted_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 10))
    rows = []
    for _ in range(n):
        bid = draw(cents)
        ask = bid + draw(st.integers(0, 40))
        price = draw(st.integers(max(1, bid - 5), ask + 5))
        sizes = draw(st.lists(st.integers(1, 50), min_size=5, max_size=5))
        rows.append(
            {
                "price": price / 100,
                "bid": bid / 100,
                "ask": ask / 100,
                "bid_ex": bid / 100,
                "ask_ex": ask / 100,
                "size": sizes[0],
                "bid_size": sizes[1],
                "ask_size": sizes[2],
                "bid_size_ex": sizes[3],
                "ask_size_ex": sizes[4],
            }
        )
    return rows


def _mirror(row: dict[str, Any]) -> dict[str, Any]:
    """Reflect the print through the midpoint and swap the book's sides."""
    return {
        **row,
        "price": round(row["bid"] + row["ask"] - row["price"], 2),
        "bid_size": row["ask_size"],
        "ask_size": row["bid_size"],
        "bid_size_ex": row["ask_size_ex"],
        "ask_size_ex": row["bid_size_ex"],
    }


@settings(max_examples=80, deadline=None)
@given(
    rows=quoted_rows(),
    rule=st.sampled_from(["quote", "trade_size", "depth", "emo", "clnv"]),
    source=st.sampled_from(["best", "ex"]),
)
def test_mirroring_flips_every_quote_decided_label(
    rows: list[dict[str, Any]], rule: Rule, source: QuoteSource
) -> None:
    """Each row is its own contract, so EMO/CLNV can only decide through their quote branch."""
    rows = [{**r, "strike": 100.0 + i} for i, r in enumerate(rows)]
    mirrored = [_mirror(r) for r in rows]
    assume(all(r["price"] > 0 for r in mirrored))
    layers: list[Layer] = [(rule, source)]
    a = sign_trades(trades(rows), layers=layers).collect()
    b = sign_trades(trades(mirrored), layers=layers).collect()
    assert b[s.SIDE].to_list() == [None if x is None else -x for x in a[s.SIDE]]


@settings(max_examples=60, deadline=None)
@given(rows=quoted_rows(), k=st.integers(1, len(GSU_LARGE) - 1))
def test_later_layers_never_change_earlier_labels(rows: list[dict[str, Any]], k: int) -> None:
    head = sign_trades(trades(rows), layers=GSU_LARGE[:k]).collect()
    full = sign_trades(trades(rows), layers=GSU_LARGE).collect()
    decided = head[s.SIDE].is_not_null()
    assert full.filter(decided)[s.SIDE].equals(head.filter(decided)[s.SIDE])
    assert full.filter(decided)[s.SIDE_RULE].equals(head.filter(decided)[s.SIDE_RULE])


@pytest.mark.parametrize("name", sorted(STACKS))
def test_eager_lazy_streaming_agree_for_every_stack(name: str) -> None:
    rows = [{"price": p / 100, "size": 1 + i % 3} for i, p in enumerate([100, 104, 108, 105, 102])]
    frame = trades(rows)
    lazy = sign_trades(frame.lazy(), layers=STACKS[name])
    eager = sign_trades(frame, layers=STACKS[name]).collect()
    assert assert_engines_agree(lazy, check_exact=True).equals(eager)
