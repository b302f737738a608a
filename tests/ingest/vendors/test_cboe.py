"""Cboe DataShop Option Trades: fixtures written for these tests, and the real sample day."""

import datetime as dt
import gzip
import zipfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.errors import ParseError, SchemaError, ValidationError
from optionsflow.ingest import load_trades, scan_trades
from optionsflow.testing import assert_engines_agree

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "fixtures" / "ingest" / "cboe"
GOOD = FIXTURES / "UnderlyingOptionsTrades_2026-03-06.csv"
CALCS = FIXTURES / "UnderlyingOptionsTradesCalcs_2025-07-01.csv"
BAD = FIXTURES / "UnderlyingOptionsTrades_2026-03-09.csv"
REAL_DAY = Path("cboe_datashop_samples/UnderlyingOptionsTrades_2016-06-01.csv")  # in realdata


def utc(  # noqa: PLR0917
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, us, tzinfo=dt.UTC)


def by_seq(frame: pl.DataFrame, seq: int) -> dict[str, object]:
    return frame.filter(pl.col(s.SEQ) == seq).row(0, named=True)


def test_fixture_day_accounting() -> None:
    result = load_trades(GOOD)
    c = result.counts
    assert (c.read, c.accepted, c.rejected, c.cancelled, c.duplicates) == (8, 5, 0, 2, 1)
    assert result.trades[s.SEQ].to_list() == [1001, 1002, 1003, 1004, 1007]
    assert result.rejects.is_empty()


def test_fixture_day_fields() -> None:
    trades = load_trades(GOOD).trades
    spx = by_seq(trades, 1001)
    assert spx.pop(s.UNDERLYING_PRICE) == pytest.approx(5901.2)  # (5901.10 + 5901.30) / 2
    assert spx == {
        s.TS: utc(2026, 3, 6, 14, 30, 0, 125_000),  # 09:30:00.125 New York, EST (UTC-5)
        s.SEQ: 1001, s.UNDERLYING: "SPX", s.ROOT: "SPXW", s.EXPIRY: dt.date(2026, 3, 6),
        s.STRIKE: 5900.0, s.RIGHT: "C", s.PRICE: 12.5, s.SIZE: 3, s.MULTIPLIER: 100,
        s.EXCHANGE: "XCBO", s.CONDITION: "REGULAR", s.BID: 12.3, s.ASK: 12.7,
        s.BID_SIZE: None, s.ASK_SIZE: None, s.BID_EX: 12.3, s.ASK_EX: 12.7,
        s.BID_SIZE_EX: 10, s.ASK_SIZE_EX: 15,
        s.SOURCE: str(GOOD), s.SOURCE_ROW: 1, "crossed_quote": False, "zero_quote": False,
    }  # fmt: skip
    sweep = by_seq(trades, 1002)  # printing venue EDGX (65) is the third tail entry
    assert (sweep[s.EXCHANGE], sweep[s.CONDITION]) == ("EDGO", "ISOI")
    assert (sweep[s.BID_SIZE_EX], sweep[s.BID_EX], sweep[s.ASK_SIZE_EX], sweep[s.ASK_EX]) == (
        8, 3.2, 9, 3.3,
    )  # fmt: skip
    assert sweep[s.TS] == utc(2026, 3, 6, 15, 15, 30, 500_000)
    no_tail = by_seq(trades, 1003)
    assert (no_tail[s.EXCHANGE], no_tail[s.CONDITION], no_tail[s.BID_EX]) == ("XPHO", "MLET", None)
    one_sided = by_seq(trades, 1004)
    assert (one_sided[s.BID], one_sided[s.CONDITION], one_sided["zero_quote"]) == (
        0.0,
        "SLAN",
        True,
    )
    crossed = by_seq(trades, 1007)
    assert (crossed[s.BID], crossed[s.ASK], crossed["crossed_quote"]) == (0.06, 0.04, True)
    assert crossed[s.TS] == utc(2026, 3, 6, 20, 59, 59, 999_000)


def test_calcs_variant_in_summer_time() -> None:
    trades = load_trades(CALCS).trades
    tsla = by_seq(trades, 77)
    assert tsla[s.TS] == utc(2025, 7, 1, 17, 45, 10, 250_000)  # EDT, UTC-4
    assert (tsla[s.EXCHANGE], tsla[s.BID_EX], tsla[s.ASK_SIZE_EX]) == ("XBXO", 12.3, 4)
    assert tsla[s.UNDERLYING_PRICE] == pytest.approx(300.15)
    vix = by_seq(trades, 78)  # index underlying, tail fields present but empty
    assert (vix[s.UNDERLYING], vix[s.ROOT], vix[s.CONDITION], vix[s.BID_EX]) == (
        "VIX", "VIXW", "SLAI", None,
    )  # fmt: skip
    zero_underlying = by_seq(trades, 79)
    assert (zero_underlying[s.EXCHANGE], zero_underlying[s.UNDERLYING_PRICE]) == ("MPRL", None)


def test_strict_mode_raises_the_first_bad_row() -> None:
    with pytest.raises(ParseError) as info:
        load_trades(BAD)
    err = info.value
    assert str(err) == f"{BAD}:2: column 'trade_price': expected a number (got 'N/A')"
    assert (err.row, err.column, err.value) == (2, "trade_price", "N/A")


def test_lazy_strict_mode_raises_the_same_error_on_collect() -> None:
    lazy = scan_trades(BAD)
    with pytest.raises(ParseError, match=r":2: column 'trade_price': expected a number"):
        lazy.collect()


def test_quarantine_reports_every_bad_row() -> None:
    result = load_trades(BAD, on_invalid="quarantine")
    c = result.counts
    assert (c.read, c.accepted, c.rejected) == (15, 1, 14)
    got = result.rejects.select("source_row", "column", "reason", "value").rows()
    assert got == [
        (2, "trade_price", "expected a number", "N/A"),
        (3, "trade_size", "must be > 0 and <= 10,000,000", "0"),
        (4, "trade_size", "must be > 0 and <= 10,000,000", "-5"),
        (5, "trade_price", "must be a finite number > 0 and <= 100,000", "0.0000"),
        (6, "strike", "expected a number", "abc"),
        (7, "option_type", "expected 'C' or 'P'", "X"),
        (
            8,
            "quote_datetime",
            "outside the file's trading day 2026-03-09",
            "2026-03-10 09:45:07.000",
        ),
        (9, "exchange_id", "unknown Cboe exchange id", "99"),
        (10, "trade_condition_id", "unknown Cboe condition id", "77"),
        (11, "quote_datetime", "expected a time 'YYYY-MM-DD HH:MM:SS.fff'", "garbage"),
        (12, "expiration", "expected a date 'YYYY-MM-DD'", "2026-13-01"),
        (13, "best_bid", "expected a number", "x"),
        (14, "underlying_symbol", "missing value", None),  # a blank line
        (15, "trade_size", "missing value", None),  # a line cut after exchange_id
    ]
    lines = BAD.read_text().splitlines()
    assert result.rejects["raw"][0] == lines[2]
    assert result.trades[s.SEQ].to_list() == [2001]


def test_rule_violations_are_validation_errors(tmp_path: Path) -> None:
    path = tmp_path / BAD.name
    lines = BAD.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[3]]) + "\n")
    with pytest.raises(
        ValidationError, match=r":1: column 'trade_size': must be > 0 and <= 10,000,000 \(got '0'\)"
    ):
        load_trades(path)


@pytest.mark.parametrize("kind", ["gzip", "zip", "zstd"])
def test_compressed_files_read_the_same(tmp_path: Path, kind: str) -> None:
    if kind == "gzip":
        path = tmp_path / f"{GOOD.name}.gz"
        path.write_bytes(gzip.compress(GOOD.read_bytes()))
    elif kind == "zip":
        path = tmp_path / GOOD.name.replace(".csv", ".zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(GOOD, GOOD.name)
    else:
        zstandard = pytest.importorskip("zstandard")
        path = tmp_path / f"{GOOD.name}.zst"
        path.write_bytes(zstandard.ZstdCompressor().compress(GOOD.read_bytes()))
    plain = load_trades(GOOD).trades.drop(s.SOURCE)
    assert load_trades(path).trades.drop(s.SOURCE).equals(plain)


def test_venue_quote_found_beyond_the_sampled_tail_width(tmp_path: Path) -> None:
    lines = GOOD.read_text().splitlines()
    filler = [lines[3].replace(",1003,", f",{9000 + i},") for i in range(1000)]  # no tail
    wide = (
        "AAPL,2026-03-06 12:00:00.000,5000,AAPL,2026-03-20,250.000,P,69,1,3.1000,0,0,3.0000,"
        "3.2000,249.00,249.02,4,5,1,3.0,1,3.2,9,1,3.0,1,3.2,1,1,3.0,1,3.2,69,44,3.05,55,3.15"
    )
    path = tmp_path / GOOD.name
    path.write_text("\n".join([lines[0], *filler, wide]) + "\n")
    trades = load_trades(path).trades
    row = by_seq(trades, 5000)
    assert (row[s.BID_SIZE_EX], row[s.BID_EX], row[s.ASK_SIZE_EX], row[s.ASK_EX]) == (
        44, 3.05, 55, 3.15,
    )  # fmt: skip


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / GOOD.name
    path.write_text(GOOD.read_text().replace("trade_price,", "price_of_trade,", 1))
    with pytest.raises(SchemaError, match="column 'trade_price': missing required column"):
        load_trades(path)


def test_lazy_scan_equals_eager_and_projects() -> None:
    eager = load_trades(GOOD).trades
    assert scan_trades(GOOD).collect().equals(eager)
    assert (
        scan_trades(GOOD).select(s.PRICE).collect()[s.PRICE].to_list() == eager[s.PRICE].to_list()
    )
    assert assert_engines_agree(scan_trades(GOOD), check_exact=True).equals(eager)


# --- the real Cboe DataShop sample day ---------------------------------------------------------


@pytest.mark.realdata
def test_real_sample_day_reads_completely(realdata: Path) -> None:
    result = load_trades(realdata / REAL_DAY)
    c = result.counts
    # 2,295 data rows; row 1533 (trade_condition_id 35, canceled 1) was cancelled and row 1536
    # (trade_condition_id 40, canceled 2) is its cancel record.
    assert (c.read, c.accepted, c.rejected, c.cancelled, c.duplicates) == (2295, 2293, 0, 2, 0)
    trades = result.trades
    assert not trades[s.SOURCE_ROW].is_in([1533, 1536]).any()
    counts = dict(trades.group_by(s.CONDITION).len().iter_rows())
    # ids 0 (1493) and 106 (49) are REGULAR; 35 (719, one cancelled) is a legacy spread
    assert counts == {"REGULAR": 1542, "MLET": 718, "LATE": 22, "ISOI": 9, "OSEQ": 2}
    assert trades["zero_quote"].sum() == 52  # best_bid 0.0000 on 52 rows: kept, flagged
    assert trades["crossed_quote"].sum() == 0
    assert trades[s.EXCHANGE].unique().to_list() == ["XCBO"]


@pytest.mark.realdata
def test_real_sample_first_trade_every_field(realdata: Path) -> None:
    day = realdata / REAL_DAY
    trades = load_trades(day).trades
    # ^VIX,2016-06-01 13:57:58.175,78677916,VIX,2016-06-08,12.500,C,5,1,2.4000,0,0,2.1500,
    # 2.6000,14.7500,14.7500,1,5,269,2.1500,2420,2.6000
    assert trades.row(0, named=True) == {
        s.TS: utc(2016, 6, 1, 17, 57, 58, 175_000),  # New York EDT (UTC-4) wall clock
        s.SEQ: 78677916, s.UNDERLYING: "VIX", s.ROOT: "VIX", s.EXPIRY: dt.date(2016, 6, 8),
        s.STRIKE: 12.5, s.RIGHT: "C", s.PRICE: 2.4, s.SIZE: 1, s.MULTIPLIER: 100,
        s.EXCHANGE: "XCBO", s.CONDITION: "REGULAR", s.BID: 2.15, s.ASK: 2.6,
        s.BID_SIZE: None, s.ASK_SIZE: None, s.BID_EX: 2.15, s.ASK_EX: 2.6,
        s.BID_SIZE_EX: 269, s.ASK_SIZE_EX: 2420, s.UNDERLYING_PRICE: 14.75,
        s.SOURCE: str(day), s.SOURCE_ROW: 1, "crossed_quote": False, "zero_quote": False,
    }  # fmt: skip
    assert trades[s.TS].dtype == pl.Datetime("ns", "UTC")


@pytest.mark.realdata
def test_real_sample_short_row_and_zero_underlying(realdata: Path) -> None:
    trades = load_trades(realdata / REAL_DAY).trades
    short = trades.filter(pl.col(s.SOURCE_ROW) == 777).row(0, named=True)  # 17 fields, no tail
    assert (short[s.SEQ], short[s.BID_EX], short[s.UNDERLYING_PRICE]) == (223327, None, None)
    assert (short[s.BID], short[s.ASK], short["zero_quote"]) == (0.0, 0.0, True)
    assert trades.filter(pl.col(s.SOURCE_ROW) == 1363)[s.UNDERLYING_PRICE].item() is None


def test_the_real_day_is_not_copied_into_the_fixtures() -> None:
    assert not any(p.name.startswith("UnderlyingOptionsTrades_2016") for p in FIXTURES.iterdir())


@given(
    day=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    nanos=st.integers(0, 86_400 * 10**9 - 1),
    digits=st.integers(0, 9),
)
def test_wallclock_reads_every_precision_exactly(day: dt.date, nanos: int, digits: int) -> None:
    from optionsflow.ingest.vendors.cboe import _wallclock  # noqa: PLC0415

    whole, frac = divmod(nanos, 10**9)
    kept = frac // 10 ** (9 - digits) if digits else 0
    text = f"{day} {whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    text += f".{kept:0{digits}d}" if digits else ""
    got_day, local = _wallclock(pl.lit(text))
    got = pl.select(got_day.alias("d"), local.alias("ns")).row(0)
    epoch_day = (day - dt.date(1970, 1, 1)).days
    expected = epoch_day * 86_400 * 10**9 + whole * 10**9 + kept * 10 ** (9 - digits)
    assert got == (day, expected)


@pytest.mark.parametrize(
    "text",
    ["2026-03-06 24:00:00", "2026-03-06 09:60:00", "2026-03-06 09:30:60.0", "2026-03-06 09:30:1e",
     "2026-03-06 09:30:-1.5", "2026-03-06 09:30:nan", "2026-03-06 09:30",
     "2026-03-06 09:30:00.0000000001", "2026-02-30 09:30:00", ""],
)  # fmt: skip
def test_wallclock_rejects_malformed_times(text: str) -> None:
    from optionsflow.ingest.vendors.cboe import _wallclock  # noqa: PLC0415

    assert pl.select(_wallclock(pl.lit(text))[1]).item() is None


def test_wallclock_takes_the_iso_t_separator() -> None:
    from optionsflow.ingest.vendors.cboe import _wallclock  # noqa: PLC0415

    space, iso = (pl.select(_wallclock(pl.lit(t))[1]).item() for t in
                  ("2026-03-06 09:30:00.5", "2026-03-06T09:30:00.5"))  # fmt: skip
    assert space == iso == 1_772_789_400_500_000_000


def test_invalid_utf8_is_rejected_with_the_bytes_escaped(tmp_path: Path) -> None:
    # the typed fast path reads strict UTF-8; the lenient reader's repaired U+FFFD is refused
    path = tmp_path / GOOD.name
    path.write_bytes(GOOD.read_bytes().replace(b"SPY,2026", b"SP\xff,2026", 1))
    result = load_trades(path, on_invalid="quarantine")
    good = load_trades(GOOD).counts
    assert (result.counts.read, result.counts.rejected) == (good.read, good.rejected + 1)
    assert 1007 not in result.trades[s.SEQ].to_list()
    line = next(x for x in GOOD.read_text().splitlines() if ",1007," in x)
    escaped = line.replace("SPY,2026", "SP\\xff,2026", 1)
    assert result.rejects.select("column", "reason", "value", "raw").rows() == [
        (None, "invalid UTF-8 bytes (shown escaped)", escaped, escaped)
    ]
    with pytest.raises(ValidationError) as info:
        load_trades(path)
    assert str(info.value) == f"{path}:7: invalid UTF-8 bytes (shown escaped) (got '{escaped}')"
    with pytest.raises(ValidationError, match="invalid UTF-8"):
        scan_trades(path).collect()
