"""Databento OPRA.PILLAR DBN: own fixtures, the real fixtures, and the optional extra."""

import contextlib
import datetime as dt
import random
import sys
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, ParseError, SourceError
from optionsflow.ingest import load_trades, scan_trades

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "fixtures" / "ingest" / "databento"
REAL = Path("databento_opra_pillar")  # in realdata
MXOP = "MXOP" in s.EXCHANGES


def fixture(schema: str) -> Path:
    return FIXTURES / f"opra_2026-03-06.{schema}.dbn"


def utc(  # noqa: PLR0917
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, us, tzinfo=dt.UTC)


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes any import of the module raise ImportError, however it is imported
    monkeypatch.setitem(sys.modules, "databento_dbn", None)
    with pytest.raises(SourceError, match=r"pip install 'optionsflow\[databento\]'") as info:
        load_trades(fixture("trades"))
    assert "needs the 'databento' extra" in str(info.value)


@pytest.fixture(scope="module")
def dbn() -> ModuleType:
    module: ModuleType = pytest.importorskip("databento_dbn")
    return module


def test_own_trades_fixture(dbn: ModuleType) -> None:
    result = load_trades(fixture("trades"), on_invalid="quarantine")
    accepted = 3 if MXOP else 2
    c = result.counts
    assert (c.read, c.accepted, c.rejected) == (8, accepted, 8 - accepted)
    trades = result.trades
    assert trades.select(
        s.TS, s.SEQ, s.UNDERLYING, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT, s.PRICE, s.SIZE,
        s.EXCHANGE, s.CONDITION,
    ).rows()[:2] == [
        (utc(2026, 3, 6, 14, 30, 0, 125_000), 11, "SPY", "SPY", dt.date(2026, 3, 20), 600.0,
         "C", 1.25, 10, "XCBO", "REGULAR"),
        (utc(2026, 3, 6, 14, 31), 12, "SPX", "SPXW", dt.date(2026, 3, 6), 5900.0, "P", 12.5, 3,
         "BATO", "REGULAR"),
    ]  # fmt: skip
    assert "side" not in trades.columns  # OPRA's side is always 'N': never used
    rejects = result.rejects.select("source_row", "column", "reason", "value").rows()
    expected = [
        (4, "price", "undefined price", str(2**63 - 1)),
        (5, "publisher_id", "unknown Databento OPRA publisher", "99"),
        (6, "instrument_id", "no symbol in the file's symbology for this instrument", "104"),
        (7, "symbol", "expected an OSI symbol like 'AAPL  250221C00250000'", "BAD"),
        (8, "ts_event", "outside the file's window [2026-03-06 00:00:00+00:00, "
         "2026-03-07 00:00:00+00:00)", "1772893800000000000"),
    ]  # fmt: skip
    if not MXOP:
        expected.insert(0, (3, "publisher_id", "venue not in the canonical exchange list "
                            "(37 = MXOP, MEMX Options)", "37"))  # fmt: skip
    assert rejects == expected


def test_tbbo_fills_the_venue_quote(dbn: ModuleType) -> None:
    trades = load_trades(fixture("tbbo")).trades
    assert trades.select(s.BID_EX, s.ASK_EX, s.BID_SIZE_EX, s.ASK_SIZE_EX, s.BID).rows() == [
        (1.2, 1.3, 4, 7, None),
        (None, 12.6, None, 5, None),  # undefined bid price: an empty bid side, size too
    ]


def test_tcbbo_fills_the_nbbo(dbn: ModuleType) -> None:
    trades = load_trades(fixture("tcbbo")).trades
    assert trades.select(s.BID, s.ASK, s.BID_SIZE, s.ASK_SIZE, s.BID_EX, s.SEQ).rows() == [
        (1.21, 1.27, 40, 55, None, 1),  # tcbbo records have no sequence: the row number
    ]


def test_cbbo_quotes_join_strictly_before(dbn: ModuleType) -> None:
    trades = load_trades(fixture("trades"), quotes=fixture("cbbo-1s"), on_invalid="quarantine")
    got = trades.trades.select(s.ROOT, s.BID, s.ASK, s.BID_SIZE, s.ASK_SIZE).rows()[:2]
    # the interval closing at 09:30:00.125 has the trade's exact time: the 09:29:59 close is used
    assert got == [("SPY", 1.19, 1.28, 9, 11), ("SPXW", None, None, None, None)]


def test_non_trade_schema_and_corrupt_file(dbn: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="schema 'cbbo-1s' holds no trades"):
        load_trades(fixture("cbbo-1s"))
    cut = tmp_path / "cut.dbn"
    cut.write_bytes(fixture("trades").read_bytes()[:40])
    with pytest.raises(ParseError, match="not a readable DBN file"):
        load_trades(cut)


@pytest.mark.realdata
@pytest.mark.parametrize("schema", ["trades", "tbbo"])
def test_real_fixtures_osi_fields_and_prices(dbn: ModuleType, realdata: Path, schema: str) -> None:
    pytest.importorskip("zstandard")
    path = realdata / REAL / f"test_data.{schema}.dbn.zst"
    result = load_trades(path, on_invalid="quarantine")
    trades = result.trades
    # AAPL  250221C00250000 -> instrument 16783963; prices 0.24, 0.20, 0.19 (and 0.19 on MEMX)
    expected = [
        (utc(2025, 2, 20, 14, 30, 0, 817657), 713382, 0.24, 1, "EMLD"),
        (utc(2025, 2, 20, 14, 30, 1, 631777), 882595, 0.2, 2, "XISX"),
        (utc(2025, 2, 20, 14, 30, 1, 644682), 887133, 0.19, 1, "XISX"),
    ]
    if MXOP:
        expected.append((utc(2025, 2, 20, 14, 30, 1, 745517), 921205, 0.19, 4, "MXOP"))
    else:
        assert result.rejects["value"].to_list() == ["37"]
    assert (
        trades.select(pl.col(s.TS).dt.truncate("1us"), s.SEQ, s.PRICE, s.SIZE, s.EXCHANGE).rows()
        == expected
    )
    contract = trades.select(s.UNDERLYING, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT).unique().rows()
    assert contract == [("AAPL", "AAPL", dt.date(2025, 2, 21), 250.0, "C")]
    assert trades[s.TS][0] == dt.datetime(2025, 2, 20, 14, 30, 0, 817657, tzinfo=dt.UTC)
    if schema == "tbbo":
        assert trades.select(s.BID_EX, s.ASK_EX, s.BID_SIZE_EX, s.ASK_SIZE_EX).rows()[:3] == [
            (0.24, 0.25, 1, 4), (0.18, 0.22, 3, 3), (0.18, 0.22, 3, 3),
        ]  # fmt: skip
    assert scan_trades(path, on_invalid="quarantine").collect().equals(trades)


def test_corrupt_dbn_bytes_never_escape(dbn: ModuleType, tmp_path: Path) -> None:
    """Byte flips anywhere (metadata included: the decoder can panic) give only our errors."""
    source = fixture("trades").read_bytes()
    rng = random.Random(3)
    for i in range(60):
        data = bytearray(source)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"opra_2026-03-06.{i}.dbn"
        path.write_bytes(bytes(data[: rng.randrange(len(data))] if i % 5 == 0 else data))
        result = load_trades(path, on_invalid="quarantine")
        c = result.counts
        assert c.read == c.accepted + c.rejected + c.cancelled + c.duplicates
        with contextlib.suppress(OptionsFlowError):  # anything else fails the test
            load_trades(path)
