"""Cboe DataShop Option Quote Intervals as chains: mapping, the IV floor, located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from csv_cells import with_cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, ParseError, ValidationError
from optionsflow.ingest.reference.chains import load_chain, read_chain

FIXTURE = (
    Path(__file__).resolve().parents[2]
    / "fixtures" / "chains" / "UnderlyingOptionsIntervals_1800sec_calcs_oi_2026-03-06.csv"
)  # fmt: skip


def test_fixture_maps_onto_the_canonical_chain() -> None:
    chain = read_chain(FIXTURE).collect()
    assert chain.schema == pl.Schema(s.CHAIN_SCHEMA)
    assert chain.height == 5
    first = chain.row(0, named=True)
    assert first[s.TS] == dt.datetime(2026, 3, 6, 15, 0, tzinfo=dt.UTC)  # 10:00 EST
    assert (first[s.UNDERLYING], first[s.ROOT], first[s.SETTLEMENT]) == ("VIX", "VIXW", "AM")
    assert (first[s.BID_SIZE], first[s.ASK_SIZE], first[s.LAST], first[s.VOLUME]) == (
        20,
        25,
        0.9,
        12,
    )
    assert (first[s.VENDOR_FORWARD], first[s.UNDERLYING_PRICE], first[s.OPEN_INTEREST]) == (
        18.1, 17.5, 350,
    )  # fmt: skip
    put = chain.row(1, named=True)
    assert put[s.LAST] is None  # no trade in the interval: close 0 is not a price
    floor = chain.row(2, named=True)
    assert floor[s.VENDOR_IV] is None  # 0.0200 is Cboe's "not solved"
    assert floor[s.VENDOR_DELTA] is None
    equity = chain.filter(pl.col(s.UNDERLYING) == "A")
    assert set(equity[s.SETTLEMENT].cast(str)) == {"PM"}


@pytest.mark.parametrize(
    ("row", "column", "value", "kind", "reason"),
    [
        (2, "bid", "x", ParseError, "not a number"),
        (3, "ask_size", "-5", ValidationError, "must not be negative"),
        (1, "option_type", "X", ParseError, "not C or P"),
        (4, "expiration", "2026/04/17", ParseError, "not a date (YYYY-MM-DD)"),
        (5, "strike", "0", ValidationError, "must be a positive finite number"),
        (5, "open_interest", "1.5", ValidationError, "not a whole number"),
        (1, "quote_datetime", "", ParseError, "missing value"),
    ],
)
def test_bad_cells_are_located_and_counted(  # noqa: PLR0917 (one parametrized case)
    tmp_path: Path, row: int, column: str, value: str, kind: type[OptionsFlowError], reason: str
) -> None:
    path = with_cell(FIXTURE, tmp_path, row, column, value)
    result = load_chain(path, on_invalid="quarantine")
    assert (result.counts.read, result.counts.accepted, result.counts.rejected) == (5, 4, 1)
    assert result.rejects.select(s.SOURCE_ROW, "column", "reason").row(0) == (row, column, reason)
    with pytest.raises(kind, match=f"{FIXTURE.name}:{row}: column '{column}'") as info:
        load_chain(path)
    assert info.value.reason == reason


NASTY = ["", "N/A", "-1", "0", "1e308", "nan", "inf", "9" * 30, "\uff12", '"', " 5 ", "x,y"]
cells = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]), max_size=12),
)
COLUMNS = FIXTURE.read_text().splitlines()[0].split(",")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(row=st.integers(1, 5), column=st.sampled_from(COLUMNS), value=cells)
def test_any_mutated_cell_is_accepted_or_located(
    tmp_path: Path, row: int, column: str, value: str
) -> None:
    path = with_cell(FIXTURE, tmp_path, row, column, value)
    result = load_chain(path, on_invalid="quarantine")  # never raises
    c = result.counts
    assert c.read == 5 == c.accepted + c.rejected
    assert result.rejects.height == c.rejected
    if c.rejected:
        first = result.rejects.row(0, named=True)
        with pytest.raises(OptionsFlowError) as info:
            load_chain(path)
        assert (info.value.row, info.value.column, info.value.reason) == (
            first[s.SOURCE_ROW], first["column"], first["reason"],
        )  # fmt: skip


@pytest.mark.realdata
def test_real_quote_intervals(realdata: Path) -> None:
    folder = realdata / "cboe_datashop_samples"
    calcs = load_chain(
        folder / "UnderlyingOptionsIntervals_1800sec_calcs_oi_2021-04-26.csv",
        on_invalid="quarantine",
    )
    assert (calcs.counts.read, calcs.counts.rejected) == (20_160, 1)
    # the README's corrupted row: ask_size -5 on data row 325
    assert calcs.rejects.select(s.SOURCE_ROW, "column").row(0) == (325, "ask_size")
    assert calcs.chain[s.VENDOR_IV].null_count() >= 1_849  # the 0.0200 floor, and zeros
    basic = load_chain(folder / "UnderlyingOptionsIntervals_1800sec_2021-04-26.csv")
    assert basic.counts.accepted == 20_160
    assert basic.chain[s.VENDOR_FORWARD].null_count() == 20_160
    assert set(basic.chain[s.UNDERLYING]) == {"A", "VIX"}


@pytest.mark.realdata
def test_interval_volumes_add_up_to_the_session_volume(realdata: Path) -> None:
    import csv  # noqa: PLC0415 (the oracle reads the file its own way)

    path = realdata / "cboe_datashop_samples" / "UnderlyingOptionsIntervals_1800sec_2021-04-26.csv"
    totals: dict[tuple[str, str, float, str], int] = {}
    last: dict[tuple[str, str, float, str], tuple[str, float]] = {}
    with path.open(newline="") as fh:
        for r in csv.DictReader(fh):
            key = (r["root"], r["expiration"], float(r["strike"]), r["option_type"])
            totals[key] = totals.get(key, 0) + int(r["trade_volume"])
            if int(r["trade_volume"]) > 0:
                last[key] = max(last.get(key, ("", 0.0)), (r["quote_datetime"], float(r["close"])))
    chain = read_chain(path).collect()
    final = (
        chain.sort(s.TS)
        .group_by(s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT)
        .agg(
            pl.col(s.VOLUME).last(),
            pl.col(s.LAST).last(),
            pl.col(s.VOLUME).diff().min().alias("step"),
        )
    )
    got = {
        (r[s.ROOT], r[s.EXPIRY].isoformat(), r[s.STRIKE], r[s.RIGHT]): r
        for r in final.iter_rows(named=True)
    }
    assert got.keys() == totals.keys()
    assert sum(totals.values()) == 288_580 + 237  # ^VIX and A, the whole file
    assert {k: r[s.VOLUME] for k, r in got.items()} == totals
    assert {k: r[s.LAST] for k, r in got.items() if r[s.LAST] is not None} == {
        k: v[1] for k, v in last.items()
    }
    assert min(r["step"] for r in got.values() if r["step"] is not None) >= 0  # running sums
