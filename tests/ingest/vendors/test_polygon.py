"""Polygon / Massive flat files: trades_v1, quotes_v1 joined as of each trade."""

import datetime as dt
import gzip
from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.errors import ConfigError, ParseError, SchemaError, SourceError
from optionsflow.ingest import load_trades, scan_trades

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
DAY = FIXTURES / "polygon" / "2026-03-06.csv"
QUOTES = FIXTURES / "polygon" / "quotes_2026-03-06.csv"
OLD = FIXTURES / "polygon" / "2019-01-02.csv"
BAD = FIXTURES / "polygon" / "2026-03-09.csv"
CBOE = FIXTURES / "cboe" / "UnderlyingOptionsTrades_2026-03-06.csv"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def test_day_accounting_drops_duplicates_and_cancels() -> None:
    result = load_trades(DAY)
    c = result.counts
    # row 4 repeats row 2 exactly; row 5 carries condition 201 (Canceled)
    assert (c.read, c.accepted, c.rejected, c.cancelled, c.duplicates) == (6, 4, 0, 1, 1)
    assert result.trades[s.SOURCE_ROW].to_list() == [1, 2, 3, 6]


def test_day_fields() -> None:
    trades = load_trades(DAY).trades
    first = trades.row(0, named=True)
    assert first[s.TS] == dt.datetime(2026, 3, 6, 14, 30, 0, 123456, tzinfo=dt.UTC)
    assert trades[s.TS][0].timestamp() == pytest.approx(1772807400.123456789)
    assert trades.select(pl.col(s.TS).dt.epoch("ns")).to_series().to_list() == [
        1772807400123456789, 1772807401000000000, 1772807460500000000, 1772807470000000000,
    ]  # fmt: skip
    assert trades.select(s.UNDERLYING, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT).rows() == [
        ("SPY", "SPY", dt.date(2026, 3, 20), 600.0, "C"),
        ("SPY", "SPY", dt.date(2026, 3, 20), 600.0, "C"),
        ("SPX", "SPXW", dt.date(2026, 3, 6), 5900.0, "P"),
        ("AAPL", "AAPL", dt.date(2026, 3, 20), 250.0, "C"),
    ]
    assert trades.select(s.EXCHANGE, s.CONDITION, s.PRICE, s.SIZE, s.SEQ).rows() == [
        ("XCBO", "AUTO", 1.25, 10, 1),
        ("ARCO", "ISOI", 1.3, 5, 2),  # "209,219": the sweep wins over automatic execution
        ("XCBO", "MLET", 2.5, 20, 3),
        ("XNDQ", "REGULAR", 3.1, 1, 6),  # no condition at all
    ]
    assert trades[s.BID].null_count() == trades.height  # no quotes file: no NBBO


def test_quotes_join_strictly_before_each_trade() -> None:
    trades = load_trades(DAY, quotes=QUOTES).trades
    assert trades.select(s.BID, s.ASK, s.BID_SIZE, s.ASK_SIZE).rows() == [
        (1.2, 1.26, 25, 30),  # quote at 14:30:00.000
        (1.2, 1.26, 25, 30),  # the 1.28 / 1.31 quote has the trade's exact time: not before it
        (2.4, 2.6, 11, 15),
        (None, None, None, None),  # AAPL never quoted
    ]
    assert trades[s.BID_EX].null_count() == trades.height
    assert scan_trades(DAY, quotes=QUOTES).collect().equals(trades)


def test_older_files_without_participant_timestamp() -> None:
    trades = load_trades(OLD).trades
    assert trades.select(s.TS, s.ROOT, s.STRIKE, s.RIGHT, s.EXCHANGE, s.CONDITION).rows() == [
        (utc(2019, 1, 2, 14, 30), "AAPL", 150.0, "C", "XCBO", "AUTO"),
        (utc(2019, 1, 2, 15, 0), "AAPL", 140.0, "P", "XISX", "SLAN"),
    ]


def test_bad_rows_are_located() -> None:
    result = load_trades(BAD, on_invalid="quarantine")
    assert (result.counts.read, result.counts.accepted, result.counts.rejected) == (10, 1, 9)
    assert result.rejects.select("source_row", "column", "reason", "value").rows() == [
        (2, "ticker", "expected an option symbol like O:SPY251219C00600000", "SPY"),
        (3, "price", "expected a number", "abc"),
        (4, "size", "must be > 0 and <= 10,000,000", "0"),
        (5, "exchange", "unknown Polygon exchange id", "314"),
        (6, "conditions", "unknown Polygon condition id", "211"),
        (7, "conditions", 'expected condition ids like 209 or "209,219"', "x,y"),
        (8, "sip_timestamp", "outside the file's trading day 2026-03-09", "1773149406000000000"),
        (9, "sip_timestamp", "expected nanoseconds since the epoch", "-"),
        (10, "price", "must be a finite number > 0 and <= 100,000", "-1.5"),
    ]
    with pytest.raises(ParseError) as info:
        load_trades(BAD)
    assert str(info.value) == (
        f"{BAD}:2: column 'ticker': expected an option symbol like O:SPY251219C00600000 (got 'SPY')"
    )


def test_gzip_day_with_gzip_quotes(tmp_path: Path) -> None:
    day, quotes = tmp_path / "2026-03-06.csv.gz", tmp_path / "quotes.csv.gz"
    day.write_bytes(gzip.compress(DAY.read_bytes()))
    quotes.write_bytes(gzip.compress(QUOTES.read_bytes()))
    got = load_trades(day, quotes=quotes).trades.drop(s.SOURCE)
    assert got.equals(load_trades(DAY, quotes=QUOTES).trades.drop(s.SOURCE))


def test_quote_file_problems(tmp_path: Path) -> None:
    broken = tmp_path / "quotes.csv"
    broken.write_text(QUOTES.read_text().replace("bid_price", "bid"))
    with pytest.raises(SchemaError, match="column 'bid_price'"):
        load_trades(DAY, quotes=broken)
    with pytest.raises(SourceError, match="Polygon quotes file"):
        load_trades(QUOTES)
    with pytest.raises(ConfigError, match="not cboe"):
        load_trades(CBOE, quotes=QUOTES)


def test_unreadable_quote_rows_are_skipped(tmp_path: Path) -> None:
    quotes = tmp_path / "quotes.csv"
    lines = QUOTES.read_text().splitlines()
    lines.insert(1, "O:SPY260320C00600000,302,oops,30,302,1.1,25,0,not-a-time")
    quotes.write_text("\n".join(lines) + "\n")
    assert load_trades(DAY, quotes=quotes).trades[s.BID].to_list() == [1.2, 1.2, 2.4, None]
