"""Cboe ``<SYMBOL>_History.csv`` files: read in points, converted by kind, bad cells located."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from optionsflow.errors import ParseError, SchemaError, ValidationError
from optionsflow.ingest import read_vol_table
from optionsflow.ingest.reference.cboe_history import (
    cboe_index,
    history_note,
    is_cboe_history,
    read_cboe_history,
    read_history_vols,
)

OHLC = "DATE,OPEN,HIGH,LOW,CLOSE\n"


def _closes(path: Path, column: str = "CLOSE") -> list[tuple[dt.date, float]]:
    """The file's (date, value) rows, read with the csv module: the oracle."""
    with path.open(newline="") as fh:
        return [
            (dt.datetime.strptime(r["DATE"], "%m/%d/%Y").date(), float(r[column]))
            for r in csv.DictReader(fh)
        ]


def test_real_vix_history_reads_as_spx_vol(realdata: Path) -> None:
    path = realdata / "cboe_index_history" / "VIX_History.csv"
    expected = _closes(path)
    points = read_cboe_history(path).collect()
    assert points.height == len(expected) == 9152
    assert points.row(0) == (dt.date(1990, 1, 2), "VIX", 17.24)
    vols = read_vol_table(path).collect()
    assert vols["symbol"].unique().to_list() == ["SPX"]
    assert vols.row(-1) == (dt.date(2026, 3, 27), "SPX", pytest.approx(0.3105))
    assert vols["iv"].to_list() == pytest.approx([v / 100 for _, v in sorted(expected)])


def test_real_one_value_files_and_lower_case_names(realdata: Path) -> None:
    dspx = realdata / "cboe_index_history" / "DSPX_History.csv"
    table = read_cboe_history(dspx).collect()
    assert table.height == 2961
    assert (dt.date(2018, 2, 8), "DSPX", 0.0) in table.rows()  # a published 0.0 is accepted
    cor1m = realdata / "cboe_corr_and_putcall" / "cboe_cor1m_history.csv"
    assert (cboe_index(cor1m).symbol, cboe_index(cor1m).kind) == ("COR1M", "correlation")
    assert read_cboe_history(cor1m).collect().row(-1) == (dt.date(2026, 6, 16), "COR1M", 9.4)
    vxapl = realdata / "cboe_single_stock_vol_indices" / "VXAPL_History.csv"
    assert read_history_vols(vxapl).collect().row(0) == (
        dt.date(2011, 1, 7),
        "AAPL",
        pytest.approx(0.3157),
    )


def test_real_skew_and_correlation_are_not_vols(realdata: Path) -> None:
    with pytest.raises(SchemaError, match="not a Cboe vol, correlation or dispersion index") as err:
        read_cboe_history(realdata / "cboe_index_history" / "SKEW_History.csv")
    assert err.value.value == "SKEW"
    with pytest.raises(ValidationError, match="COR1M is the 1-month implied correlation"):
        read_vol_table(realdata / "cboe_index_history" / "COR1M_History.csv")


def test_note_states_the_conversion(tmp_path: Path) -> None:
    path = tmp_path / "VIX_History.csv"
    path.write_text(f"{OHLC}03/26/2026,1,1,1,20.0\n03/27/2026,27.54,31.65,27.54,23.2\n")
    assert history_note(path) == (
        "VIX_History.csv: Cboe VIX (30-day implied vol of the S&P 500) in index points, "
        "read as SPX iv = CLOSE / 100 (23.2 -> 0.232 on 2026-03-27)"
    )
    other = tmp_path / "vols.csv"
    other.write_text("date,iv\n2026-03-27,0.2\n")
    assert history_note(other) is None
    assert not is_cboe_history(other)


@pytest.mark.parametrize(
    ("name", "text", "error", "match", "row", "column"),
    [
        ("VIX_History.csv", f"{OHLC}3/27/2026,1,1,1,x\n", ParseError, "expected a number", 1,
         "CLOSE"),
        ("VIX_History.csv", f"{OHLC}2026-03-27,1,1,1,2\n", ParseError, "MM/DD/YYYY", 1, "DATE"),
        ("VIX_History.csv", f"{OHLC}03/27/2026,1,1,2\n", ParseError, "expected 5 fields", 1, None),
        ("VIX_History.csv", f"{OHLC}03/27/2026,1,1,1,2\n03/27/2026,1,1,1,3\n", ValidationError,
         r"date repeated \(first on row 1\)", 2, "DATE"),
        ("VIX_History.csv", f"{OHLC}03/27/2026,1,1,1,0\n", ValidationError, "out of range", 1,
         "CLOSE"),
        ("VIX_History.csv", f"{OHLC}03/27/2026,1,1,1,inf\n", ParseError, "finite", 1, "CLOSE"),
        ("COR1M_History.csv", f"{OHLC}03/27/2026,1,1,1,101\n", ValidationError,
         r"points in \[-100, 100\]", 1, "CLOSE"),
        ("VIX_History.csv", OHLC, ValidationError, "no data rows", None, None),
        ("spx.csv", f"{OHLC}03/27/2026,1,1,1,2\n", SchemaError, "names its index in the file name",
         None, None),
        ("VIX_History.csv", "DATE,DSPX\n03/27/2026,2\n", SchemaError, "header names DSPX", None,
         "DSPX"),
    ],
)  # fmt: skip
def test_bad_files_fail_located(  # noqa: PLR0917 - one parametrised case a row
    tmp_path: Path,
    name: str,
    text: str,
    error: type[Exception],
    match: str,
    row: int | None,
    column: str | None,
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(error, match=match) as err:
        read_cboe_history(path)
    assert getattr(err.value, "source", None) == str(path)
    assert getattr(err.value, "row", None) == row
    assert getattr(err.value, "column", None) == column


def test_a_users_date_iv_table_is_not_taken_for_a_cboe_file(tmp_path: Path) -> None:
    path = tmp_path / "spx_vols.csv"
    path.write_text("DATE,IV\n2026-03-27,0.2\n")
    assert not is_cboe_history(path)
    with pytest.raises(SchemaError, match="column 'date': missing column"):
        read_vol_table(path)
