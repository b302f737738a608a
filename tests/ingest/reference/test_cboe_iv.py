"""Cboe DataShop IV Indexes reader: the real sample, the ragged tail, and error locations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from optionsflow.errors import ParseError, SchemaError, SourceError
from optionsflow.ingest.reference.cboe_iv import (
    read_cboe_iv_expiries,
    read_cboe_iv_index,
    read_cboe_iv_tenors,
)

SAMPLE = Path("cboe_datashop_samples/UnderlyingIVIndexesEOD_2017-06-01.csv")  # in realdata
HEADER = (
    "underlying_symbol,quote_datetime,iv30,iv60,iv90,iv120,iv180,iv360,number_of_expiry_ivs,"
    "{expiry_iv_date,expiry_iv_value}[number_of_expiry_ivs]\n"
)


def _write(tmp_path: Path, body: str, name: str = "iv.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body)
    return path


@pytest.mark.realdata
def test_real_sample(realdata: Path) -> None:
    sample = realdata / SAMPLE
    index = read_cboe_iv_index(sample).collect()
    assert index.schema == pl.Schema({"date": pl.Date, "symbol": pl.String, "iv": pl.Float64})
    assert index.rows() == [
        (dt.date(2017, 6, 1), "SPX", pytest.approx(0.07623)),
        (dt.date(2017, 6, 1), "VIX", pytest.approx(0.763459)),
    ]
    expiries = read_cboe_iv_expiries(sample).collect()
    counts = expiries.group_by("symbol").len().sort("symbol")
    assert counts.rows() == [("SPX", 36), ("VIX", 10)]
    spx = expiries.filter(pl.col("symbol") == "SPX")
    assert spx.row(0) == (dt.date(2017, 6, 1), "SPX", dt.date(2017, 6, 2), pytest.approx(0.060267))
    assert spx.row(-1)[2:] == (dt.date(2019, 12, 20), pytest.approx(0.171266))
    tenors = read_cboe_iv_tenors(sample).collect()
    assert tenors.columns == ["date", "symbol", "iv30", "iv60", "iv90", "iv120", "iv180", "iv360"]
    assert tenors.filter(pl.col("symbol") == "SPX")["iv360"][0] == pytest.approx(0.14362)


def test_several_files_empty_values_and_tenor(tmp_path: Path) -> None:
    a = _write(tmp_path, "^AAPL,2026-01-05 16:15:00,30,31,,33,34,35,0\n", "a.csv")
    b = _write(tmp_path, "MSFT,2026-01-06 16:15:00,20,21,22,23,24,25,1,2026-02-20,\n", "b.csv")
    out = read_cboe_iv_index([a, b], tenor="iv90").collect()
    assert out.rows() == [(dt.date(2026, 1, 5), "AAPL", None), (dt.date(2026, 1, 6), "MSFT", 0.22)]
    exp = read_cboe_iv_expiries([a, b]).collect()
    assert exp.rows() == [(dt.date(2026, 1, 6), "MSFT", dt.date(2026, 2, 20), None)]


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        ("SPX,2026-01-05 16:15:00,abc,1,1,1,1,1,0\n", 1, "iv30"),
        (
            "SPX,2026-01-05 16:15:00,1,1,1,1,1,1,0\nSPX,01/06/2026,1,1,1,1,1,1,0\n",
            2,
            "quote_datetime",
        ),
        ("SPX,2026-01-05 16:15:00,1,1,1,1,1,1,2,2026-02-20,10\n", 1, "number_of_expiry_ivs"),
        ("SPX,2026-01-05 16:15:00,1,1,1,1,1,1,x\n", 1, "number_of_expiry_ivs"),
        ("SPX,2026-01-05 16:15:00,1,1,1,1,1,1,1,2026-02-30,10\n", 1, "expiry_iv_date"),
        ("SPX,2026-01-05 16:15:00,1,1,1,1,1,1,1,2026-02-20,ten\n", 1, "expiry_iv_value"),
    ],
)
def test_bad_cells_name_file_row_and_column(
    tmp_path: Path, body: str, row: int, column: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(ParseError) as err:
        read_cboe_iv_expiries(path)
    assert (err.value.source, err.value.row, err.value.column) == (str(path), row, column)
    assert str(err.value).startswith(f"{path}:{row}: column '{column}'")


def test_short_row_wrong_header_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="expected at least 9 fields") as err:
        read_cboe_iv_index(_write(tmp_path, "SPX,2026-01-05,1\n"))
    assert err.value.row == 1
    other = tmp_path / "other.csv"
    other.write_text("date,symbol,iv\n2026-01-05,SPX,0.2\n")
    with pytest.raises(SchemaError, match="not a Cboe IV Indexes file"):
        read_cboe_iv_index(other)
    with pytest.raises(SourceError, match="no such file"):
        read_cboe_iv_index(tmp_path / "missing.csv")
    with pytest.raises(SchemaError, match="unknown tenor"):
        read_cboe_iv_index(other, tenor="iv45")  # type: ignore[arg-type]
