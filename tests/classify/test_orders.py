"""Order reconstruction and order-level participant labels on hand-built tapes."""

import datetime as dt
import itertools
import random
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.classify import orders
from optionsflow.classify.orders import reconstruct_orders
from optionsflow.classify.participant import classify_participant
from optionsflow.config import Config, ParticipantConfig
from optionsflow.errors import ConfigError
from optionsflow.testing import T0, assert_engines_agree, trades

MS = dt.timedelta(milliseconds=1)


def _orders(rows: list[dict[str, Any]], **kw: Any) -> pl.DataFrame:
    return classify_participant(reconstruct_orders(trades(rows), **kw)).collect()


def test_four_venue_iso_sweep_is_one_institutional_order() -> None:
    venues = ["XCBO", "XPHO", "XISX", "BATO"]
    rows = [
        {
            "ts": T0 + i * 3 * MS,
            "exchange": v,
            "price": 1.05 + 0.01 * (i // 2),
            "size": 25,
            "condition": "ISOI",
        }
        for i, v in enumerate(venues)
    ]
    out = _orders(rows)
    assert out["order_id"].n_unique() == 1
    assert out.select("order_size", "n_venues", "is_sweep").unique().rows() == [(100, 4, True)]
    assert set(out["participant"]) == {"institutional"}
    assert set(out["participant_reason"]) == {"iso_sweep"}


def test_small_auction_print_is_retail_and_cross_is_institutional() -> None:
    out = _orders(
        [{"condition": "SLAN", "size": 5}, {"condition": "SLCN", "size": 500, "strike": 120.0}]
    )
    assert out.select("participant", "participant_reason", "is_block").rows() == [
        ("retail", "auction", False),
        ("institutional", "cross", True),
    ]


def test_at_the_midpoint_unsigned_prints_never_merge() -> None:
    rows = [
        {"ts": T0, "exchange": "XCBO", "condition": "ISOI", "size": 10},  # 1.00 = mid
        {"ts": T0 + MS, "exchange": "XPHO", "condition": "ISOI", "size": 10},
    ]
    assert _orders(rows)["order_id"].n_unique() == 2


def test_different_contracts_or_sides_never_merge() -> None:
    rows = [
        {"ts": T0, "exchange": "XCBO", "condition": "ISOI", "size": 10},
        {"ts": T0 + MS, "exchange": "XPHO", "condition": "ISOI", "size": 10, "strike": 115.0},
        {"ts": T0 + 2 * MS, "exchange": "XISX", "condition": "ISOI", "size": 10, "right": "P"},
        # same contract, but at the bid (the other side of the book)
        {"ts": T0 + 3 * MS, "exchange": "BATO", "condition": "ISOI", "size": 10, "price": 0.95},
    ]
    out = _orders(rows)
    assert out["order_id"].n_unique() == 4
    assert out["order_size"].to_list() == [10, 10, 10, 10]


@pytest.mark.parametrize(("gap_ms", "one_order"), [(49, True), (50, True), (51, False)])
def test_window_edge_is_inclusive(gap_ms: int, one_order: bool) -> None:
    # at the ask (1.05): the buy side of the book
    rows = [
        {"ts": T0, "exchange": "XCBO", "condition": "ISOI", "size": 10, "price": 1.05},
        {
            "ts": T0 + gap_ms * MS,
            "exchange": "XPHO",
            "condition": "ISOI",
            "size": 10,
            "price": 1.05,
        },
    ]
    out = _orders(rows)
    assert (out["order_id"].n_unique() == 1) is one_order


def test_window_is_between_consecutive_prints() -> None:
    # three ISO prints 40 ms apart: each gap is inside the window, so one order of 120 ms
    rows = [
        {"ts": T0 + 40 * i * MS, "exchange": v, "condition": "ISOI", "size": 10, "price": 1.05}
        for i, v in enumerate(["XCBO", "XPHO", "XISX"])
    ]
    assert _orders(rows)["order_id"].n_unique() == 1
    assert _orders(rows, window="30ms")["order_id"].n_unique() == 3


def test_non_iso_prints_merge_only_when_they_walk_the_book_across_venues() -> None:
    walk = [
        {"ts": T0 + i * MS, "exchange": v, "price": p, "size": 40}
        for i, (v, p) in enumerate([("XCBO", 1.05), ("XPHO", 1.06)])
    ]
    assert _orders(walk)["order_size"].to_list() == [80, 80]
    back = [{**walk[0], "price": 1.06}, {**walk[1], "price": 1.05}]  # prices fall on a buy
    assert _orders(back)["order_size"].to_list() == [40, 40]
    one_venue = [{**walk[0]}, {**walk[1], "exchange": "XCBO"}]  # same venue, different prices
    assert _orders(one_venue)["order_size"].to_list() == [40, 40]


def test_split_fills_of_one_order_merge() -> None:
    # an auction allocated to three responders: same venue, time and price
    rows = [
        {"ts": T0, "condition": "SLAN", "size": n, "seq": i + 1, "price": 1.04}
        for i, n in enumerate((3, 4, 5))
    ]
    out = _orders(rows)
    assert out["order_size"].to_list() == [12, 12, 12]
    assert set(out["participant_reason"]) == {"auction"}


def test_a_print_of_unknown_size_makes_its_order_size_unknown() -> None:
    rows = [
        {"ts": T0, "exchange": "XCBO", "condition": "ISOI", "size": 10, "price": 1.05},
        {"ts": T0 + 3 * MS, "exchange": "XPHO", "condition": "ISOI", "size": None, "price": 1.05},
        {"ts": T0, "exchange": "XCBO", "size": 7, "strike": 120.0},
    ]
    out = _orders(rows)
    assert out["order_size"].to_list() == [None, None, 7]
    assert out["order_id"].to_list() == [0, 0, 2]


def test_order_size_decides_not_print_size() -> None:
    # five 40-lot prints on five venues walking up: a 200-lot order, not five retail trades
    rows = [
        {"ts": T0 + i * MS, "exchange": v, "price": 1.05 + 0.01 * i, "size": 40}
        for i, v in enumerate(["XCBO", "XPHO", "XISX", "BATO", "EDGO"])
    ]
    out = _orders(rows)
    assert set(out["participant"]) == {"institutional"}
    assert out["order_size"].to_list() == [200] * 5


def test_unsigned_trades_use_the_midpoint_and_ids_are_first_rows() -> None:
    rows = [
        {"ts": T0, "exchange": "XCBO", "condition": "ISOI", "price": 1.05, "size": 1},
        {"ts": T0 + MS, "exchange": "XPHO", "condition": "ISOI", "price": 1.05, "size": 2},
        {"ts": T0 + 2 * MS, "condition": "AUTO", "price": 1.00, "size": 3, "bid": None},
    ]
    out = reconstruct_orders(trades(rows)).collect()
    assert out["order_id"].to_list() == [0, 0, 2]
    assert out.drop(*[c for c in out.columns if c.startswith(("order", "n_", "is_"))]).equals(
        trades(rows)
    )


def test_running_again_replaces_columns_in_place() -> None:
    rows: list[dict[str, Any]] = [{"condition": "SLAN", "size": 5}, {"size": 300, "strike": 120.0}]
    once = classify_participant(trades(rows)).collect()
    # a different block size changes the labels; the columns keep their places
    cfg = Config(participant=ParticipantConfig(block_size=1000, block_premium=1e9))
    again = classify_participant(reconstruct_orders(once, config=cfg), config=cfg).collect()
    assert again.columns == once.columns
    assert again["participant"].to_list() == ["retail", "unknown"]
    assert once["participant"].to_list() == ["retail", "institutional"]


def test_bad_window() -> None:
    with pytest.raises(ConfigError, match="expected a positive window like"):
        reconstruct_orders(trades([{}]), window="fast")


def test_eager_lazy_streaming_agree() -> None:
    rows = [
        {
            "ts": T0 + i * 7 * MS,
            "exchange": ["XCBO", "XPHO"][i % 2],
            "size": 1 + i,
            "condition": ["ISOI", "AUTO"][i % 2],
            "strike": 110.0 + 5 * (i % 3),
        }
        for i in range(30)
    ]
    frame = trades(rows)
    lazy = classify_participant(frame.lazy())
    eager = classify_participant(frame).collect()
    assert assert_engines_agree(lazy, check_exact=True).equals(eager)
    assert s.PARTICIPANT in eager.columns


def _naive_orders(rows: list[dict[str, Any]], window_ms: int) -> list[int]:
    """Order size per print by the documented rules, by brute force."""
    book = [
        1 if 2 * r["price"] > 0.95 + 1.05 else (-1 if 2 * r["price"] < 2.0 else None) for r in rows
    ]
    key = [(r["strike"], r["right"], b) for r, b in zip(rows, book, strict=True)]
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["ts"], i))
    bursts: dict[int, int] = {}
    last: dict[tuple[float, str, int | None], tuple[int, dt.datetime]] = {}
    next_id = 0
    for i in order:
        if book[i] is None:
            continue
        prev = last.get(key[i])
        if prev is not None and (rows[i]["ts"] - prev[1]) <= dt.timedelta(milliseconds=window_ms):
            bursts[i] = prev[0]
        else:
            bursts[i] = next_id
            next_id += 1
        last[key[i]] = (bursts[i], rows[i]["ts"])
    members: dict[int, list[int]] = {}
    for i, b in bursts.items():
        members.setdefault(b, []).append(i)
    size = [r["size"] for r in rows]
    for idx in members.values():
        idx.sort(key=lambda i: (rows[i]["ts"], i))
        venues = {rows[i]["exchange"] for i in idx}
        prices = [rows[i]["price"] for i in idx]
        direction = book[idx[0]]
        walks = all((b - a) * direction >= 0 for a, b in itertools.pairwise(prices))
        same_fill = (
            len(venues) == 1 and len({rows[i]["ts"] for i in idx}) == 1 and len(set(prices)) == 1
        )
        if (
            any(rows[i]["condition"] == "ISOI" for i in idx)
            or (len(venues) >= 2 and walks)
            or same_fill
        ):
            total = sum(rows[i]["size"] for i in idx)
            for i in idx:
                size[i] = total
    return size


@st.composite
def tapes(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 25))
    return [
        {
            "ts": T0 + dt.timedelta(milliseconds=draw(st.integers(0, 400))),
            "strike": draw(st.sampled_from([110.0, 115.0])),
            "right": draw(st.sampled_from(["C", "P"])),
            "exchange": draw(st.sampled_from(["XCBO", "XPHO", "XISX"])),
            "condition": draw(st.sampled_from(["AUTO", "ISOI", "SLAN"])),
            "price": draw(st.sampled_from([0.96, 1.00, 1.03, 1.04, 1.05, 1.06])),
            "size": draw(st.integers(1, 30)),
        }
        for _ in range(n)
    ]


# a lone print this far from the rest stretches the frame's time range, so the packed
# time part counts in steps of ~1.6 us (10 days) or ~57 us (one year) instead of 1 ns
FAR = st.sampled_from([None, dt.timedelta(days=10), dt.timedelta(days=365)])


@settings(max_examples=150, deadline=None)
@given(rows=tapes(), window_ms=st.sampled_from([1, 20, 50, 120]), far=FAR)
def test_matches_a_brute_force_reconstruction(
    rows: list[dict[str, Any]], window_ms: int, far: dt.timedelta | None
) -> None:
    if far is not None:
        rows = [*rows, {**rows[0], "ts": rows[0]["ts"] + far}]
    got = reconstruct_orders(trades(rows), window=f"{window_ms}ms").collect()
    assert got["order_size"].to_list() == _naive_orders(rows, window_ms)


@settings(max_examples=60, deadline=None)
@given(rows=tapes(), window_ms=st.sampled_from([1, 50]))
def test_contract_hash_collisions_cost_speed_not_correctness(
    rows: list[dict[str, Any]], window_ms: int
) -> None:
    # with a 63-bit time part the packed values keep one bit of contract hash: nearly
    # every contract collides with another, so candidates come from several contracts
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(orders, "_TIME_BITS", 63)
        got = reconstruct_orders(trades(rows), window=f"{window_ms}ms").collect()
    assert got["order_size"].to_list() == _naive_orders(rows, window_ms)


@settings(max_examples=60, deadline=None)
@given(rows=tapes(), window_ms=st.sampled_from([1, 50]), offset_ms=st.integers(-200, 0))
def test_orders_that_straddle_a_wrap_of_the_packed_time(
    rows: list[dict[str, Any]], window_ms: int, offset_ms: int
) -> None:
    # the packed time part wraps every 2**39 units; move the tape onto a wrap instant
    window_ns = window_ms * 1_000_000
    period_ns = (1 << orders._TIME_BITS) * orders._time_unit(window_ns)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    wrap = epoch + dt.timedelta(
        microseconds=(int(T0.timestamp() * 1e9) // period_ns + 1) * period_ns // 1000
    )
    shift = wrap - T0 + dt.timedelta(milliseconds=offset_ms)
    rows = [{**r, "ts": r["ts"] + shift} for r in rows]
    got = reconstruct_orders(trades(rows), window=f"{window_ms}ms").collect()
    assert got["order_size"].to_list() == _naive_orders(rows, window_ms)


def test_candidates_are_a_superset_of_prints_with_a_close_neighbour() -> None:
    # the packed-value search against a direct pairwise check, on a day-long frame
    rng = random.Random(7)
    rows = [
        {
            "ts": T0 + dt.timedelta(milliseconds=rng.randrange(0, 6 * 3600 * 1000, 7)),
            "strike": rng.choice([110.0, 115.0, 120.0]),
            "right": rng.choice(["C", "P"]),
            "price": rng.choice([0.96, 1.04]),
        }
        for _ in range(3000)
    ]
    frame = trades(rows).with_columns(
        pl.when(pl.col(s.PRICE) > 1).then(1).otherwise(-1).cast(pl.Int8).alias(s.SIDE)
    )
    narrow = frame.lazy().with_columns(orders._packed([*s.CONTRACT_KEY, s.SIDE], 50_000_000))
    near = set(orders._near_values(narrow, 50_000_000).collect()[orders._PACKED])
    packed = narrow.collect()[orders._PACKED].to_list()
    by_key: dict[tuple[Any, ...], list[tuple[dt.datetime, int]]] = {}
    for i, r in enumerate(frame.iter_rows(named=True)):
        by_key.setdefault((r["strike"], r["right"], r["side"]), []).append((r["ts"], i))
    close = set()
    for prints in by_key.values():
        prints.sort()
        for (t0, i), (t1, j) in itertools.pairwise(prints):
            if t1 - t0 <= 50 * MS:
                close |= {i, j}
    assert close, "the tape should have close pairs"
    assert all(packed[i] in near for i in close)
