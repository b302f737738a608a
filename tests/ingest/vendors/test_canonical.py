"""Canonical Parquet / CSV written by optionsflow read back exactly, and are still checked."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.errors import ParseError, SchemaError, ValidationError
from optionsflow.ingest import load_trades, scan_trades
from optionsflow.synth import synth_day

DAY = dt.date(2026, 11, 20)
T0 = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)
BASE = {
    s.UNDERLYING: "XOM", s.ROOT: "XOM", s.EXPIRY: dt.date(2026, 12, 18), s.STRIKE: 110.0,
    s.RIGHT: "C", s.PRICE: 1.0, s.SIZE: 1, s.MULTIPLIER: 100, s.EXCHANGE: "XCBO",
    s.CONDITION: "AUTO", s.BID: 0.95, s.ASK: 1.05, s.SOURCE: "test",
}  # fmt: skip


def trades(rows: list[dict[str, object]]) -> pl.DataFrame:
    """Canonical trades from partial rows; ts = T0 + i ms, seq = source_row = i + 1."""
    full = [
        {s.TS: T0 + dt.timedelta(milliseconds=i), s.SEQ: i + 1, s.SOURCE_ROW: i + 1, **BASE, **row}
        for i, row in enumerate(rows)
    ]
    frame = pl.DataFrame(full, schema={n: s.TRADE_SCHEMA[n] for n in full[0]})
    return s.conform_trades(frame).collect()


@pytest.fixture(scope="module")
def day() -> pl.DataFrame:
    return synth_day(DAY, 400)


def test_parquet_round_trips_exactly(day: pl.DataFrame, tmp_path: Path) -> None:
    first = tmp_path / "trades_2026-11-20.parquet"
    day.write_parquet(first)
    result = load_trades(first)
    assert result.counts.read == result.counts.accepted == 400
    body = result.trades.drop("crossed_quote", "zero_quote")
    assert body.equals(day)  # canonical columns and the labels, provenance untouched
    second = tmp_path / "again_2026-11-20.parquet"
    result.trades.write_parquet(second)
    assert load_trades(second).trades.equals(result.trades)
    assert scan_trades(first).collect().equals(result.trades)


def test_csv_round_trips_the_canonical_columns(day: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "trades_2026-11-20.csv"
    day.write_csv(path)
    got = load_trades(path).trades
    assert got.select(s.TRADE_COLUMNS).equals(day.select(s.TRADE_COLUMNS))
    assert got["true_side"].to_list() == [str(v) for v in day["true_side"].to_list()]  # as text


def test_bad_canonical_rows(tmp_path: Path) -> None:
    frame = trades([
        {},
        {s.PRICE: -1.0},
        {s.SIZE: 0},
        {s.TS: T0 + dt.timedelta(days=1)},  # the file is named for T0's day
        {s.CONDITION: "CANC"},
    ])  # fmt: skip
    path = tmp_path / f"trades_{T0.date()}.parquet"
    frame.write_parquet(path)
    result = load_trades(path, on_invalid="quarantine")
    c = result.counts
    assert (c.read, c.accepted, c.rejected, c.cancelled) == (5, 1, 3, 1)
    assert result.rejects.select("source_row", "column", "reason", "value").rows() == [
        (2, s.PRICE, "must be a finite number > 0 and <= 100,000", "-1.0"),
        (3, s.SIZE, "must be > 0 and <= 10,000,000", "0"),
        (
            4,
            s.TS,
            f"outside the file's trading day {T0.date()}",
            "2026-11-17 15:00:00.000000000+00:00",
        ),
    ]
    assert result.rejects["raw"][0].startswith('{"ts":')
    with pytest.raises(
        ValidationError, match=rf"{path.name}:2: column 'price': must be a finite number > 0"
    ):
        load_trades(path)


def test_canonical_csv_cells(tmp_path: Path) -> None:
    path = tmp_path / "week.csv"  # no date in the name: no day check
    frame = trades([{}, {s.TS: T0 + dt.timedelta(days=3)}])
    text = frame.write_csv().splitlines()
    text[1] = text[1].replace(",XCBO,", ",XXXX,")
    path.write_text("\n".join(text) + "\n")
    result = load_trades(path, on_invalid="quarantine")
    assert result.rejects.select("source_row", "column", "reason", "value").rows() == [
        (1, s.EXCHANGE, "expected an exchange MIC of schema.EXCHANGES", "XXXX"),
    ]
    assert result.trades[s.SOURCE_ROW].to_list() == [2]
    with pytest.raises(ParseError, match=r"week\.csv:1: column 'exchange'"):
        load_trades(path)


def test_missing_canonical_column(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    trades([{}]).drop(s.PRICE).write_parquet(path)
    with pytest.raises(SchemaError, match="column 'price'"):
        load_trades(path)
