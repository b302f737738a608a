"""Issue #15: values that used to pass ingest silently are rejected (or flagged), located.

Every case builds its own small file from a committed fixture or by hand; the expected
messages are written out here, not taken from the library's constants.
"""

import datetime as dt
import gzip
import struct
import zipfile
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.errors import ParseError, SourceError, ValidationError
from optionsflow.ingest import FormatOption, load_trades, scan_trades
from optionsflow.testing import trades

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
CBOE = FIXTURES / "cboe" / "UnderlyingOptionsTrades_2026-03-06.csv"
POLYGON = FIXTURES / "polygon" / "2026-03-06.csv"
POLYGON_QUOTES = FIXTURES / "polygon" / "quotes_2026-03-06.csv"
DBN_TRADES = FIXTURES / "databento" / "opra_2026-03-06.trades.dbn"

PRICE = "must be a finite number > 0 and <= 100,000"
QUOTE = "must be a finite number >= 0 and <= 100,000"
EXPIRED = "expired before the trade's New York date"


def cboe_file(tmp_path: Path, row: int, old: str, new: str, *, name: str = CBOE.name) -> Path:
    """The first four Cboe fixture rows with ``old`` replaced by ``new`` in data row ``row``."""
    header, *lines = CBOE.read_text().splitlines()
    body = lines[:4]
    assert old in body[row - 1]
    body[row - 1] = body[row - 1].replace(old, new, 1)
    path = tmp_path / name
    path.write_text("\n".join([header, *body]) + "\n")
    return path


def only_reject(path: Path, fmt: FormatOption = "auto") -> tuple[int, str | None, str, str | None]:
    """The one reject of a quarantined file (and the accounting identity)."""
    result = load_trades(path, format=fmt, on_invalid="quarantine")
    c = result.counts
    assert c.read == c.accepted + c.rejected + c.cancelled + c.duplicates
    assert result.rejects.height == 1, result.rejects
    source_row, column, reason, value = result.rejects.select(
        "source_row", "column", "reason", "value"
    ).row(0)
    return source_row, column, reason, value


# --- 4. NaN, inf and absurd prices -------------------------------------------------------------


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "1e308", "100000.01"])
def test_cboe_non_finite_or_absurd_price_is_rejected(tmp_path: Path, text: str) -> None:
    path = cboe_file(tmp_path, 2, ",3.2500,", f",{text},")
    assert only_reject(path) == (2, "trade_price", PRICE, text)
    with pytest.raises(ValidationError) as info:
        load_trades(path)
    assert str(info.value) == f"{path}:2: column 'trade_price': {PRICE} (got '{text}')"
    with pytest.raises(ValidationError, match="trade_price"):
        scan_trades(path).collect()


def test_cboe_price_at_the_bound_is_kept(tmp_path: Path) -> None:
    path = cboe_file(tmp_path, 2, ",3.2500,", ",100000,")
    assert load_trades(path).counts.accepted == 4


@pytest.mark.parametrize(
    ("old", "new", "column", "reason"),
    [
        (",3.2000,3.3000,249.50", ",NaN,3.3000,249.50", "best_bid", QUOTE),
        (",3.2000,3.3000,249.50", ",3.2000,inf,249.50", "best_ask", QUOTE),
        (",249.50,249.52,", ",249.50,inf,", "underlying_ask",
         "must be a finite number >= 0 and <= 1,000,000"),
        (",250.000,P,", ",nan,P,", "strike", "must be a finite number > 0 and <= 100,000"),
    ],
)  # fmt: skip
def test_cboe_non_finite_quotes_and_strikes_are_rejected(
    tmp_path: Path, old: str, new: str, column: str, reason: str
) -> None:
    path = cboe_file(tmp_path, 2, old, new)
    _, got_column, got_reason, _ = only_reject(path)
    assert (got_column, got_reason) == (column, reason)


def test_cboe_non_finite_venue_quote_is_rejected(tmp_path: Path) -> None:
    # row 2's own venue is exchange 65, the third tail entry: 65,8,3.2000,9,3.3000
    path = cboe_file(tmp_path, 2, ",65,8,3.2000,", ",65,8,nan,")
    row, column, reason, value = only_reject(path)
    assert (row, column) == (2, None)
    assert reason.startswith("venue quote after number_of_exchanges")
    assert value is not None
    assert ",65,8,nan," in value


@pytest.mark.parametrize("text", ["NaN", "inf", "1e308"])
def test_polygon_non_finite_price_is_rejected(tmp_path: Path, text: str) -> None:
    lines = POLYGON.read_text().splitlines()
    lines[3] = lines[3].replace(",2.5,", f",{text},")
    path = tmp_path / POLYGON.name
    path.write_text("\n".join(lines) + "\n")
    assert only_reject(path)[:3] == (3, "price", PRICE)


def test_polygon_non_finite_quotes_read_as_missing(tmp_path: Path) -> None:
    # quotes enrich and are not accounted: a NaN / inf quote is no quote
    header, *rows = POLYGON_QUOTES.read_text().splitlines()
    names = header.split(",")
    bid, ask = names.index("bid_price"), names.index("ask_price")
    bad = []
    for line in rows:
        cells = line.split(",")
        cells[bid], cells[ask] = "NaN", "inf"
        bad.append(",".join(cells))
    quotes = tmp_path / POLYGON_QUOTES.name
    quotes.write_text("\n".join([header, *bad]) + "\n")
    result = load_trades(POLYGON, quotes=quotes, on_invalid="quarantine")
    assert (
        result.counts.as_tuple() == load_trades(POLYGON, on_invalid="quarantine").counts.as_tuple()
    )
    assert result.trades[s.BID].null_count() == result.trades.height
    assert result.trades[s.ASK].null_count() == result.trades.height


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (s.PRICE, float("nan"), PRICE),
        (s.PRICE, float("inf"), PRICE),
        (s.PRICE, 1e308, PRICE),
        (s.BID, float("nan"), QUOTE),
        (s.ASK, float("-inf"), QUOTE),
        (s.ASK_EX, float("inf"), QUOTE),
        (s.STRIKE, float("inf"), "must be a finite number > 0 and <= 100,000"),
        (s.UNDERLYING_PRICE, float("nan"), "must be a finite number >= 0 and <= 1,000,000"),
        (s.SIZE, 10**12, "must be > 0 and <= 10,000,000"),
        (s.MULTIPLIER, 100_000, "must be > 0 and <= 1,000"),
    ],
)
@pytest.mark.parametrize("container", ["parquet", "csv"])
def test_canonical_non_finite_or_absurd_values_are_rejected(
    tmp_path: Path, column: str, value: object, reason: str, container: str
) -> None:
    frame = trades([{}, {column: value}, {}])
    path = tmp_path / f"trades_2026-11-16.{container}"
    if container == "parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    row, got_column, got_reason, _ = only_reject(path)
    assert (row, got_column, got_reason) == (2, column, reason)


def test_databento_absurd_price_is_rejected(dbn: ModuleType, tmp_path: Path) -> None:
    meta, records = split_dbn(DBN_TRADES.read_bytes())
    # first record: price is the int64 at byte 16 (1e-9 units); 9e18 = $9e9 a share
    first = bytearray(records[0])
    struct.pack_into("<q", first, 16, 9_000_000_000_000_000_000)
    path = tmp_path / DBN_TRADES.name
    path.write_bytes(meta + bytes(first) + b"".join(records[1:]))
    result = load_trades(path, on_invalid="quarantine")
    got = result.rejects.filter(pl.col("source_row") == 1).select("column", "reason").rows()
    assert got == [("price", PRICE)]


# --- 5. expired contracts ----------------------------------------------------------------------


def test_cboe_expired_contract_is_rejected(tmp_path: Path) -> None:
    path = cboe_file(tmp_path, 2, ",2026-03-20,", ",2026-03-05,")
    assert only_reject(path) == (2, "expiration", f"{EXPIRED} 2026-03-06", "2026-03-05")
    # expiring on the trade date is not expired
    same_day = cboe_file(tmp_path, 2, ",2026-03-20,", ",2026-03-06,")
    assert load_trades(same_day).counts.accepted == 4


def test_cboe_expired_without_a_dated_file_name(tmp_path: Path) -> None:
    path = cboe_file(tmp_path, 2, ",2026-03-20,", ",2026-02-20,", name="trades.csv")
    assert only_reject(path, "cboe") == (2, "expiration", EXPIRED, "2026-02-20")


def test_polygon_ticker_past_expiry_is_rejected(tmp_path: Path) -> None:
    lines = POLYGON.read_text().splitlines()
    lines[1] = lines[1].replace("O:SPY260320C00600000", "O:SPY260220C00600000")  # two weeks ago
    path = tmp_path / POLYGON.name
    path.write_text("\n".join(lines) + "\n")
    assert only_reject(path) == (1, "ticker", f"{EXPIRED} 2026-03-06", "O:SPY260220C00600000")


def test_databento_expired_symbol_is_rejected(dbn: ModuleType, tmp_path: Path) -> None:
    # instrument 101 maps to SPY 2026-03-20; map it to 2026-02-20 instead (same length)
    data = DBN_TRADES.read_bytes()
    assert b"260320C00600000" in data  # in the symbol list and the mapping
    path = tmp_path / DBN_TRADES.name
    path.write_bytes(data.replace(b"260320C00600000", b"260220C00600000"))
    result = load_trades(path, on_invalid="quarantine")
    first = result.rejects.filter(pl.col("source_row") == 1)
    assert first.select("column", "reason").rows() == [("symbol", EXPIRED)]
    assert "SPY" not in result.trades[s.ROOT].to_list()


@pytest.mark.parametrize("name", ["trades_2026-11-16.parquet", "trades.parquet"])
def test_canonical_expiry_before_the_new_york_date_is_rejected(tmp_path: Path, name: str) -> None:
    # 2026-11-17 01:00 UTC is still 2026-11-16 in New York: a 16th expiry is live
    late = dt.datetime(2026, 11, 17, 1, 0, tzinfo=dt.UTC)
    frame = trades([
        {s.EXPIRY: dt.date(2026, 11, 13)},
        {s.EXPIRY: dt.date(2026, 11, 16), s.TS: late},
        {s.EXPIRY: dt.date(2026, 11, 15), s.TS: late},
    ])  # fmt: skip
    path = tmp_path / name
    frame.write_parquet(path)
    result = load_trades(path, on_invalid="quarantine")
    day = " 2026-11-16" if "11-16" in name else ""
    assert result.rejects.select("source_row", "column", "reason").rows() == [
        (1, s.EXPIRY, EXPIRED + day),
        (3, s.EXPIRY, EXPIRED + day),
    ]
    assert result.trades[s.SOURCE_ROW].to_list() == [2]


# --- 6 and 13. DBN cut inside a record; DBN with no record -------------------------------------


@pytest.fixture(scope="module")
def dbn() -> ModuleType:
    module: ModuleType = pytest.importorskip("databento_dbn")
    return module


def split_dbn(data: bytes) -> tuple[bytes, list[bytes]]:
    """Metadata and records of a plain DBN stream (record length: first byte x 4)."""
    end = 8 + struct.unpack_from("<I", data, 4)[0]
    records, pos = [], end
    while pos < len(data):
        size = data[pos] * 4
        records.append(data[pos : pos + size])
        pos += size
    return data[:end], records


def test_dbn_cut_inside_a_record_reports_the_break(dbn: ModuleType, tmp_path: Path) -> None:
    meta, records = split_dbn(DBN_TRADES.read_bytes())
    path = tmp_path / DBN_TRADES.name
    path.write_bytes(meta + b"".join(records[:3]) + records[3][:20])
    reason = "DBN data is truncated inside a record; rows after 3 are lost"
    with pytest.raises(ParseError) as info:
        load_trades(path)
    assert (info.value.row, info.value.reason) == (4, reason)
    assert str(info.value).startswith(f"{path}:4: {reason}")
    result = load_trades(path, on_invalid="quarantine")
    c = result.counts
    assert (c.read, c.failed_files) == (3, 1)
    assert result.rejects.filter(pl.col("source_row") == 4)["reason"].to_list() == [reason]
    whole = load_trades(DBN_TRADES, on_invalid="quarantine")
    kept = whole.trades.filter(pl.col(s.SOURCE_ROW) <= 3).drop(s.SOURCE)
    assert result.trades.drop(s.SOURCE).equals(kept)


def test_dbn_zst_cut_keeps_the_complete_records(dbn: ModuleType, tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    meta, records = split_dbn(DBN_TRADES.read_bytes())
    pack = zstandard.ZstdCompressor().compress
    # two zstd frames: the metadata and three records, then the rest, cut short
    path = tmp_path / f"{DBN_TRADES.name}.zst"
    path.write_bytes(pack(meta + b"".join(records[:3])) + pack(b"".join(records[3:]))[:-5])
    with pytest.raises(ParseError) as info:
        load_trades(path)
    assert info.value.row == 4
    assert info.value.reason.startswith("zstd data is truncated or corrupt")
    assert info.value.reason.endswith("; rows after 3 are lost")
    result = load_trades(path, on_invalid="quarantine")
    assert (result.counts.read, result.counts.failed_files) == (3, 1)


@pytest.mark.realdata
def test_real_dbn_cut_20_bytes_short(dbn: ModuleType, realdata: Path, tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    packed = (realdata / "databento_opra_pillar" / "test_data.trades.dbn.zst").read_bytes()
    data = zstandard.ZstdDecompressor().decompressobj().decompress(packed)
    _, records = split_dbn(data)
    assert len(records) == 4
    path = tmp_path / "test_data.trades.dbn"
    path.write_bytes(data[:-20])
    result = load_trades(path, on_invalid="quarantine")
    assert (result.counts.read, result.counts.failed_files) == (3, 1)
    assert result.rejects["source_row"].to_list() == [4]
    with pytest.raises(ParseError, match=r":4: DBN data is truncated inside a record"):
        load_trades(path)


def test_dbn_without_records_reads_as_zero_rows(dbn: ModuleType, tmp_path: Path) -> None:
    meta, _ = split_dbn(DBN_TRADES.read_bytes())
    path = tmp_path / DBN_TRADES.name
    path.write_bytes(meta)
    result = load_trades(path)
    assert result.counts.as_tuple() == (0, 0, 0, 0, 0, 0)
    assert result.trades.schema == load_trades(DBN_TRADES, on_invalid="quarantine").trades.schema
    assert scan_trades(path).collect().height == 0


def test_polygon_header_only_reads_as_zero_rows(tmp_path: Path) -> None:
    path = tmp_path / POLYGON.name
    path.write_text(POLYGON.read_text().splitlines()[0] + "\n")
    assert load_trades(path).counts.read == 0
    assert scan_trades(path).collect().height == 0


# --- 7. invalid UTF-8 --------------------------------------------------------------------------


def test_cboe_invalid_byte_in_a_root_is_rejected_with_the_bytes(tmp_path: Path) -> None:
    path = cboe_file(tmp_path, 3, ",AAPL,2026", ",AAPLX,2026")
    path.write_bytes(path.read_bytes().replace(b"AAPLX", b"AAPL\xe9"))
    line = CBOE.read_text().splitlines()[3].replace(",AAPL,2026", ",AAPL\\xe9,2026", 1)
    assert only_reject(path) == (3, None, "invalid UTF-8 bytes (shown escaped)", line)
    gz = tmp_path / "UnderlyingOptionsTrades_2026-03-06.csv.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert only_reject(gz) == (3, None, "invalid UTF-8 bytes (shown escaped)", line)


def test_canonical_csv_invalid_byte_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "trades_2026-11-16.csv"
    trades([{}, {s.ROOT: "XOMZ"}]).write_csv(path)
    path.write_bytes(path.read_bytes().replace(b"XOMZ", b"XOM\xff"))
    row, column, reason, value = only_reject(path)
    assert (row, column, reason) == (2, None, "invalid UTF-8 bytes (shown escaped)")
    assert value is not None
    assert "XOM\\xff" in value


# --- 17. zip archives --------------------------------------------------------------------------


def test_empty_zip_says_so(tmp_path: Path) -> None:
    path = tmp_path / "day.zip"
    zipfile.ZipFile(path, "w").close()
    with pytest.raises(ParseError) as info:
        load_trades(path)
    assert str(info.value) == f"{path}:0: zip archive is empty (it holds no file)"


def test_zip_whose_first_member_is_not_data_names_it(tmp_path: Path) -> None:
    path = tmp_path / "day.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("README.txt", "Cboe sample files\n")
        archive.writestr(CBOE.name, CBOE.read_text())
    with pytest.raises(SourceError) as info:
        load_trades(path)
    assert str(info.value) == (
        f"{path}: zip member 'README.txt': unknown format (header starts 'Cboe sample files')"
    )
    result = load_trades(path, on_invalid="quarantine")
    assert result.counts.failed_files == 1
    assert "zip member 'README.txt'" in result.rejects["reason"][0]


def test_zip_of_parquet_names_the_member(tmp_path: Path) -> None:
    parquet = tmp_path / "trades.parquet"
    trades([{}]).write_parquet(parquet)
    path = tmp_path / "day.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(parquet, "trades.parquet")
    with pytest.raises(SourceError, match=r"zip member 'trades\.parquet': Parquet is read"):
        load_trades(path)


# --- 20. duplicates in canonical files ---------------------------------------------------------


@pytest.mark.parametrize("container", ["parquet", "csv"])
def test_canonical_exact_duplicates_are_counted_and_dropped(tmp_path: Path, container: str) -> None:
    day = trades([{s.PRICE: 1.0}, {s.PRICE: 1.1}, {s.PRICE: 1.2}])
    # the file written twice into one, plus a row equal but for its price (not a duplicate)
    twice = pl.concat([day, day, day.head(1).with_columns(pl.lit(9.0).alias(s.PRICE))])
    path = tmp_path / f"trades_2026-11-16.{container}"
    if container == "parquet":
        twice.write_parquet(path)
    else:
        twice.write_csv(path)
    result = load_trades(path)
    c = result.counts
    assert (c.read, c.accepted, c.duplicates) == (7, 4, 3)
    assert c.read == c.accepted + c.rejected + c.cancelled + c.duplicates
    assert result.trades[s.PRICE].to_list() == [1.0, 1.1, 1.2, 9.0]
    assert scan_trades(path).collect().equals(result.trades)
    assert scan_trades(path, on_invalid="quarantine").collect().equals(result.trades)


def test_canonical_sorted_file_without_duplicates(tmp_path: Path) -> None:
    # strictly increasing source_row, and (ts, seq) sorted with equal times: no duplicates
    day = trades([{}, {}, {}])
    same_ts = day.with_columns(pl.col(s.TS).first(), pl.lit(7, pl.Int64).alias(s.SOURCE_ROW))
    for frame in (day, same_ts):
        path = tmp_path / "trades_2026-11-16.parquet"
        frame.write_parquet(path)
        assert load_trades(path).counts.as_tuple() == (3, 3, 0, 0, 0, 0)
