"""Differential test: with float comparison, labels equal tclf 0.4.0's on every row.

tclf is an optional dev dependency (it declares numpy<2 but runs on numpy 2):
``pip install scikit-learn narwhals && pip install --no-deps tclf==0.4.0``.
The test skips when it is not installed.
"""

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.classify.side import (
    STACKS,
    Layer,
    QuoteSource,
    Rule,
    neighbour_prices,
    sign_trades,
)

tclf = pytest.importorskip("tclf.classical_classifier", exc_type=ImportError)

RULES: list[Rule] = [
    "quote",
    "tick",
    "rev_tick",
    "lr",
    "rev_lr",
    "emo",
    "rev_emo",
    "clnv",
    "rev_clnv",
    "trade_size",
    "depth",
]
FEATURES = [
    "trade_price",
    "trade_size",
    "bid_best",
    "ask_best",
    "bid_size_best",
    "ask_size_best",
    "bid_ex",
    "ask_ex",
    "bid_size_ex",
    "ask_size_ex",
    "price_all_lag",
    "price_all_lead",
    "price_ex_lag",
    "price_ex_lead",
    "price_best_lag",
    "price_best_lead",
]
T0 = dt.datetime(2026, 11, 16, 15, tzinfo=dt.UTC)


def random_tape(seed: int, n: int = 300) -> pl.DataFrame:
    """A messy tape: few contracts and venues, midpoint prints, ties, crossed and null quotes."""
    rng = np.random.default_rng(seed)
    bid = rng.integers(0, 60, n) / 100 + 1.0
    ask = bid + rng.integers(-2, 12, n) / 100  # some crossed, some locked
    kind = rng.integers(0, 6, n)
    price = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3],
        [ask, bid, (bid + ask) / 2, bid + rng.integers(0, 15, n) / 100],
        np.round(bid + (ask - bid) * rng.random(n), 4),
    )
    price = np.round(np.maximum(price, 0.01), 4)
    bid_size = rng.integers(1, 6, n)
    ask_size = np.where(rng.random(n) < 0.2, bid_size, rng.integers(1, 6, n))
    size = np.where(
        rng.random(n) < 0.5,
        np.where(rng.random(n) < 0.5, bid_size, ask_size),
        rng.integers(1, 6, n),
    )
    null_q = rng.random(n) < 0.05
    ex_shift = rng.integers(0, 3, n) / 100
    frame = pl.DataFrame(
        {
            s.TS: [
                T0 + dt.timedelta(milliseconds=int(x)) for x in np.sort(rng.integers(0, 5000, n))
            ],
            s.SEQ: np.arange(n, dtype=np.int64),
            s.ROOT: "SPY",
            s.EXPIRY: dt.date(2026, 12, 18),
            s.STRIKE: rng.choice([600.0, 605.0, 610.0], n),
            s.RIGHT: rng.choice(["C", "P"], n),
            s.EXCHANGE: rng.choice(["XCBO", "XPHO", "XISX"], n),
            s.CONDITION: "AUTO",
            s.PRICE: price,
            s.SIZE: size.astype(np.int64),
            s.BID: bid,
            s.ASK: ask,
            s.BID_SIZE: bid_size.astype(np.int64),
            s.ASK_SIZE: ask_size.astype(np.int64),
            s.BID_EX: np.round(bid - ex_shift, 4),
            s.ASK_EX: np.round(ask + ex_shift, 4),
            s.BID_SIZE_EX: np.maximum(bid_size - 1, 1).astype(np.int64),
            s.ASK_SIZE_EX: ask_size.astype(np.int64),
        },
        strict=False,
    )
    no_quote = pl.Series(null_q)
    return frame.with_columns(
        pl.when(no_quote).then(None).otherwise(pl.col(s.BID)).alias(s.BID),
        pl.when(no_quote).then(None).otherwise(pl.col(s.ASK)).alias(s.ASK),
        pl.col(s.TS).dt.cast_time_unit("ns"),
    )


def tclf_labels(frame: pl.DataFrame, layers: Sequence[Layer]) -> np.ndarray:
    lagged = neighbour_prices(frame, price_compare="float").collect()
    x = lagged.select(
        pl.col(s.PRICE).alias("trade_price"),
        pl.col(s.SIZE).cast(pl.Float64).alias("trade_size"),
        pl.col(s.BID).alias("bid_best"),
        pl.col(s.ASK).alias("ask_best"),
        pl.col(s.BID_SIZE).cast(pl.Float64).alias("bid_size_best"),
        pl.col(s.ASK_SIZE).cast(pl.Float64).alias("ask_size_best"),
        pl.col(s.BID_EX).alias("bid_ex"),
        pl.col(s.ASK_EX).alias("ask_ex"),
        pl.col(s.BID_SIZE_EX).cast(pl.Float64).alias("bid_size_ex"),
        pl.col(s.ASK_SIZE_EX).cast(pl.Float64).alias("ask_size_ex"),
        "price_all_lag",
        "price_all_lead",
        "price_ex_lag",
        "price_ex_lead",
        # our "best" as a tick source means "all"
        pl.col("price_all_lag").alias("price_best_lag"),
        pl.col("price_all_lead").alias("price_best_lead"),
    ).to_numpy()
    clf = tclf.ClassicalClassifier(layers=layers, strategy="const", features=FEATURES)
    return np.asarray(clf.fit(x).predict(x))


def ours(frame: pl.DataFrame, layers: Sequence[Layer]) -> np.ndarray:
    out = sign_trades(
        frame,
        layers=layers,
        price_compare="float",
        fill="const",
        condition_aware=False,
    ).collect()
    return out[s.SIDE].to_numpy().astype(np.float64)


SOURCES: tuple[QuoteSource, ...] = ("best", "ex")
LAYERS: list[list[Layer]] = [[(rule, src)] for rule in RULES for src in SOURCES]
LAYERS += [list(stack) for stack in STACKS.values()]


@pytest.mark.parametrize("layers", LAYERS, ids=lambda ls: "+".join(f"{r}_{q}" for r, q in ls))
def test_identical_labels_on_a_messy_tape(layers: list[Layer]) -> None:
    frame = random_tape(seed=7, n=400)
    expected = tclf_labels(frame, layers)
    got = ours(frame, layers)
    mismatch = np.flatnonzero(expected != got)
    assert mismatch.size == 0, frame[mismatch.tolist()]
    assert (expected != 0).sum() > 20  # the tape exercises the rule


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), which=st.integers(0, len(LAYERS) - 1))
def test_identical_labels_on_random_tapes(seed: int, which: int) -> None:
    frame = random_tape(seed, n=120)
    np.testing.assert_array_equal(ours(frame, LAYERS[which]), tclf_labels(frame, LAYERS[which]))
