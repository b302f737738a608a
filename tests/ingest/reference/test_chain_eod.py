"""Cboe DataShop Option EOD Summary (with and without Calcs) as chains."""

from __future__ import annotations

import datetime as dt
import gzip
import zipfile
from pathlib import Path

import polars as pl
import pytest
from csv_cells import with_cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, ParseError, SourceError, ValidationError
from optionsflow.ingest.reference.chains import load_chain, read_chain

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "chains"
CALCS = FIXTURES / "UnderlyingOptionsEODCalcs_2026-03-06.csv"
QUOTES = FIXTURES / "UnderlyingOptionsEODQuotes_2026-03-06.csv"
# 15:45 EST on Friday 2026-03-06 is 20:45 UTC
AT_1545 = dt.datetime(2026, 3, 6, 20, 45, tzinfo=dt.UTC)


def _by_row(chain: pl.DataFrame) -> dict[int, dict[str, object]]:
    return {r[s.SOURCE_ROW]: r for r in chain.iter_rows(named=True)}


def test_calcs_file_maps_its_1545_snapshot_onto_the_canonical_chain() -> None:
    chain = read_chain(CALCS).collect()  # format="auto" recognises the layout
    assert chain.schema == pl.Schema(s.CHAIN_SCHEMA)
    assert chain.height == 6
    assert set(chain[s.TS]) == {AT_1545}
    assert set(chain[s.DATE]) == {dt.date(2026, 3, 6)}
    rows = _by_row(chain)
    call = rows[1]  # ^SPX SPX 2026-03-20 6800 C: the 15:45 columns, not the _eod ones
    assert (call[s.UNDERLYING], call[s.ROOT], call[s.SETTLEMENT], call[s.RIGHT]) == (
        "SPX", "SPX", "AM", "C",
    )  # fmt: skip
    assert (call[s.BID], call[s.ASK], call[s.BID_SIZE], call[s.ASK_SIZE]) == (61.2, 62.1, 35, 40)
    assert (call[s.LAST], call[s.VOLUME], call[s.OPEN_INTEREST]) == (59.8, 1520, 10450)
    assert (call[s.VENDOR_IV], call[s.VENDOR_DELTA], call[s.VENDOR_GAMMA]) == (
        0.1752,
        0.5401,
        0.0019,
    )
    # an index without a licensed bid/ask: 0 is no quote; Cboe's active price stands in
    assert (call[s.UNDERLYING_BID], call[s.UNDERLYING_ASK]) == (None, None)
    assert (call[s.UNDERLYING_PRICE], call[s.VENDOR_FORWARD]) == (6808.52, 6812.41)
    weekly = rows[3]  # SPXW: PM-settled; no trade, so no last sale
    assert (weekly[s.SETTLEMENT], weekly[s.LAST], weekly[s.VOLUME]) == ("PM", None, 0)
    floor = rows[4]  # ^VIX 30 C at Cboe's 0.0200 "not solved" floor
    assert (floor[s.UNDERLYING], floor[s.VENDOR_IV], floor[s.VENDOR_DELTA]) == ("VIX", None, None)
    equity = rows[6]
    assert (equity[s.UNDERLYING_BID], equity[s.UNDERLYING_ASK]) == (137.35, 137.39)
    assert equity[s.UNDERLYING_PRICE] == 137.37


def test_file_without_calcs() -> None:
    result = load_chain(QUOTES, format="cboe_eod_summary")
    assert result.counts == type(result.counts)(3, 3, 0)
    rows = _by_row(result.chain)
    assert rows[1][s.RIGHT] == "C"  # older files write c / p
    assert (rows[1][s.BID], rows[1][s.ASK], rows[1][s.OPEN_INTEREST]) == (2.35, 2.55, 1410)
    assert result.chain[s.VENDOR_IV].null_count() == 3
    assert result.chain[s.VENDOR_FORWARD].null_count() == 3
    assert rows[2][s.UNDERLYING_PRICE] == pytest.approx((137.35 + 137.39) / 2, rel=1e-15)
    assert rows[3][s.UNDERLYING_PRICE] is None  # ^VIX: 0/0 is no underlying quote


def test_early_close_snapshot_is_at_1245(tmp_path: Path) -> None:
    path = tmp_path / "UnderlyingOptionsEODQuotes_2025-11-28.csv"
    path.write_text(QUOTES.read_text().replace("2026-03-06", "2025-11-28"))
    chain = read_chain(path).collect()
    # the day after Thanksgiving closes at 13:00; Cboe's "1545" snapshot is taken at 12:45 EST
    assert set(chain[s.TS]) == {dt.datetime(2025, 11, 28, 17, 45, tzinfo=dt.UTC)}


def test_compressed_files_read_alike(tmp_path: Path) -> None:
    want = read_chain(CALCS).collect().drop(s.SOURCE)
    archive = tmp_path / "UnderlyingOptionsEODCalcs_2026-03-06.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(CALCS, CALCS.name)
    packed = tmp_path / "calcs.csv.gz"
    packed.write_bytes(gzip.compress(CALCS.read_bytes()))
    for path in (archive, packed):
        assert read_chain(path).collect().drop(s.SOURCE).equals(want)
    packed.write_bytes(gzip.compress(CALCS.read_bytes())[:-40])
    with pytest.raises(OptionsFlowError, match="truncated or corrupt"):
        load_chain(packed, format="cboe_eod_summary")


def test_a_header_of_another_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("underlying_symbol,quote_date,root\nA,2026-03-06,A\n")
    with pytest.raises(SourceError, match="not a known option-chain format"):
        load_chain(path)
    with pytest.raises(SourceError, match="not a Cboe Option EOD Summary file"):
        load_chain(path, format="cboe_eod_summary")


@pytest.mark.parametrize(
    ("row", "column", "value", "kind", "reason"),
    [
        (2, "bid_1545", "x", ParseError, "not a number"),
        (3, "ask_size_1545", "-5", ValidationError, "must not be negative"),
        (1, "option_type", "X", ParseError, "not C or P"),
        (4, "expiration", "2026/04/17", ParseError, "not a date (YYYY-MM-DD)"),
        (2, "quote_date", "06/03/2026", ParseError, "not a date (YYYY-MM-DD)"),
        (5, "strike", "0", ValidationError, "must be a positive finite number"),
        (5, "open_interest", "1.5", ValidationError, "not a whole number"),
        (6, "implied_volatility_1545", "-0.2", ValidationError, "must not be negative"),
        (6, "ask_eod", "N/A", ParseError, "not a number"),  # the _eod quotes are checked too
        (1, "vwap", "-1", ValidationError, "must not be negative"),
        (3, "root", "", ParseError, "missing value"),
    ],
)
def test_bad_cells_are_located_and_counted(  # noqa: PLR0917 (one parametrized case)
    tmp_path: Path, row: int, column: str, value: str, kind: type[OptionsFlowError], reason: str
) -> None:
    path = with_cell(CALCS, tmp_path, row, column, value)
    result = load_chain(path, on_invalid="quarantine")
    assert (result.counts.read, result.counts.accepted, result.counts.rejected) == (6, 5, 1)
    assert result.rejects.select(s.SOURCE_ROW, "column", "reason").row(0) == (row, column, reason)
    assert result.rejects["raw"][0] == path.read_text().splitlines()[row]
    with pytest.raises(kind, match=f"{CALCS.name}:{row}: column '{column}'") as info:
        load_chain(path)
    assert info.value.reason == reason


def test_a_short_line_is_located(tmp_path: Path) -> None:
    header, *lines = CALCS.read_text().splitlines()
    lines[1] = ",".join(lines[1].split(",")[:20])
    path = tmp_path / CALCS.name
    path.write_text("\n".join([header, *lines]) + "\n")
    result = load_chain(path, on_invalid="quarantine")
    assert result.rejects.select(s.SOURCE_ROW, "column", "reason").row(0) == (
        2, None, "malformed line: expected 34 fields",
    )  # fmt: skip


NASTY = ["", "N/A", "-1", "0", "1e308", "nan", "inf", "9" * 30, "\uff12", '"', " 5 ", "x,y", "c"]
cells = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]), max_size=12),
)
FILES = {path.name: path for path in (CALCS, QUOTES)}


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), value=cells)
def test_any_mutated_cell_is_accepted_or_located(
    tmp_path: Path, data: st.DataObject, value: str
) -> None:
    source = FILES[data.draw(st.sampled_from(sorted(FILES)))]
    header, *lines = source.read_text().splitlines()
    row = data.draw(st.integers(1, len(lines)))
    column = data.draw(st.sampled_from(header.split(",")))
    path = with_cell(source, tmp_path, row, column, value)
    result = load_chain(path, on_invalid="quarantine")  # never raises
    c = result.counts
    assert c.read == len(lines) == c.accepted + c.rejected
    assert result.rejects.height == c.rejected
    assert result.chain.schema == pl.Schema(s.CHAIN_SCHEMA)
    if c.rejected:
        assert result.rejects[s.SOURCE_ROW].to_list() == [row]
        first = result.rejects.row(0, named=True)
        with pytest.raises(OptionsFlowError) as info:
            load_chain(path)
        assert (info.value.row, info.value.column, info.value.reason) == (
            first[s.SOURCE_ROW], first["column"], first["reason"],
        )  # fmt: skip
    else:
        assert load_chain(path).counts == c
