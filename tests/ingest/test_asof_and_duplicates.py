"""The as-of NBBO join and the exact duplicate test, against naive loops."""

import random

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.ingest.accounting import DUPLICATE, Check, ParsedFile, assign_status
from optionsflow.ingest.asof import attach_quotes
from optionsflow.schema import ROW, STATUS


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_trades=st.integers(1, 40), n_quotes=st.integers(0, 60))
def test_attach_quotes_matches_a_naive_loop_in_any_order(
    seed: int, n_trades: int, n_quotes: int
) -> None:
    rng = random.Random(seed)
    trades = [(rng.choice("AB"), rng.randint(0, 30)) for _ in range(n_trades)]
    quotes = [(rng.choice("AB"), rng.randint(0, 30), float(i)) for i in range(n_quotes)]
    frame = pl.LazyFrame(
        {ROW: list(range(n_trades)), "_c": [c for c, _ in trades], s.TS: [t for _, t in trades],
         **{c: [None] * n_trades for c in (s.BID, s.ASK, s.BID_SIZE, s.ASK_SIZE)}},
        schema_overrides={ROW: pl.UInt32, s.TS: pl.Int64, s.BID: pl.Float64, s.ASK: pl.Float64,
                          s.BID_SIZE: pl.Int64, s.ASK_SIZE: pl.Int64},
    ).with_columns(pl.col(s.TS).cast(pl.Datetime("ns", "UTC")))  # fmt: skip
    quote_frame = pl.LazyFrame(
        {"_c": [c for c, _, _ in quotes], "_qts": [t for _, t, _ in quotes],
         s.BID: [b for _, _, b in quotes], s.ASK: [b + 0.5 for _, _, b in quotes],
         s.BID_SIZE: [1] * n_quotes, s.ASK_SIZE: [2] * n_quotes},
        schema={"_c": pl.String, "_qts": pl.Int64, s.BID: pl.Float64, s.ASK: pl.Float64,
                s.BID_SIZE: pl.Int64, s.ASK_SIZE: pl.Int64},
    )  # fmt: skip
    got = attach_quotes(frame, quote_frame, by="_c").collect()
    assert got[ROW].to_list() == list(range(n_trades))  # file order kept
    for (contract, ts), bid in zip(trades, got[s.BID].to_list(), strict=True):
        # the last quote strictly before the trade; among equal times, the last in the file
        earlier = [(qt, i) for i, (c, qt, _) in enumerate(quotes) if c == contract and qt < ts]
        expected = quotes[max(earlier)[1]][2] if earlier else None
        assert bid == expected


def _staged(rows: list[tuple[int, int, str]]) -> ParsedFile:
    frame = pl.LazyFrame(
        {ROW: list(range(len(rows))), "a": [r[0] for r in rows], "b": [r[1] for r in rows],
         "c": [r[2] for r in rows]},
        schema_overrides={ROW: pl.UInt32},
    ).with_columns(
        *[pl.lit(None, dtype).alias(name) for name, dtype in s.TRADE_SCHEMA.items()
          if name not in (s.SOURCE, s.SOURCE_ROW)],
    )  # fmt: skip
    never = Check("a", "never", pl.lit(value=False))
    return ParsedFile("t", frame, [never], raw=lambda _: pl.DataFrame(), dup_key=("a", "b", "c"),
                  dup_probe=1)  # fmt: skip


def test_duplicates_are_exact_whatever_the_probe() -> None:
    # rows 0-3 share the probe column a; only row 3 repeats an earlier row in every column
    rows = [(1, 1, "x"), (1, 2, "x"), (1, 1, "y"), (1, 1, "x"), (2, 1, "x"), (2, 1, "x")]
    status = assign_status(_staged(rows)).collect()[STATUS].to_list()
    assert [i for i, code in enumerate(status) if code == DUPLICATE] == [3, 5]


def test_a_clean_file_takes_the_short_path() -> None:
    rows = [(i, i, "x") for i in range(5)]
    status = assign_status(_staged(rows)).collect()[STATUS].to_list()
    assert DUPLICATE not in status
