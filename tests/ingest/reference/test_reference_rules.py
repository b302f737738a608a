"""Reference tables are validated as strictly as trade files: every bad cell is located."""

import datetime as dt
from pathlib import Path

import pytest

from optionsflow.errors import ParseError, ValidationError
from optionsflow.ingest import read_index_prices, read_sector_map, read_vols, read_weights
from optionsflow.ingest.reference.tables import read_vol_table


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


VOLS = "date,symbol,iv\n2026-11-20,SPX,0.15\n2026-11-20,AAPL,0.25\n"


def test_good_vols_read(tmp_path: Path) -> None:
    out = read_vols(_csv(tmp_path, "v.csv", VOLS)).collect()
    day = dt.date(2026, 11, 20)
    assert out.rows() == [(day, "SPX", 0.15), (day, "AAPL", 0.25)]


def test_duplicate_date_symbol_in_vols_names_both_rows(tmp_path: Path) -> None:
    # issue #15 case 1: the last date repeated with other values
    path = _csv(tmp_path, "v.csv", VOLS + "2026-11-20,AAPL,0.31\n")
    with pytest.raises(ValidationError) as err:
        read_vols(path)
    assert (err.value.source, err.value.row, err.value.column) == (str(path), 3, "symbol")
    assert "duplicate key (date, symbol), first at row 2" in str(err.value)
    assert "2026-11-20, AAPL" in str(err.value)


def test_duplicate_in_a_vol_table_for_corr(tmp_path: Path) -> None:
    path = _csv(tmp_path, "v.csv", "date,iv\n2026-11-19,0.1\n2026-11-19,0.2\n")
    with pytest.raises(ValidationError, match=r"v.csv:2: column 'symbol': duplicate key"):
        read_vol_table(path)


@pytest.mark.parametrize(
    ("iv", "row_text"),
    [("nan", "nan"), ("inf", "inf"), ("-0.2", "-0.2"), ("0", "0.0"), ("50.0", "50.0")],
)
def test_impossible_vols_are_located(tmp_path: Path, iv: str, row_text: str) -> None:
    path = _csv(tmp_path, "v.csv", VOLS + f"2026-11-20,MSFT,{iv}\n")
    with pytest.raises(ValidationError) as err:
        read_vols(path)
    assert (err.value.row, err.value.column) == (3, "iv")
    assert "must be a finite number in (0, 5]" in str(err.value)
    assert float(str(err.value.value)) == float(row_text) or row_text == "nan"


def test_vols_in_points_are_detected(tmp_path: Path) -> None:
    path = _csv(tmp_path, "v.csv", "date,symbol,iv\n2026-11-20,SPX,15.2\n2026-11-20,AAPL,25\n")
    with pytest.raises(ValidationError, match=r"quoted in percentage points \(median 20.1\)"):
        read_vols(path)


def test_unparseable_vol_cell(tmp_path: Path) -> None:
    path = _csv(tmp_path, "v.csv", VOLS + "2026-11-20,MSFT,25%\n")
    with pytest.raises(ParseError) as err:
        read_vols(path)
    assert (err.value.row, err.value.column, err.value.value) == (3, "iv", "25%")


def test_missing_vol(tmp_path: Path) -> None:
    path = _csv(tmp_path, "v.csv", VOLS + "2026-11-20,MSFT,\n")
    with pytest.raises(ValidationError, match=r"v.csv:3: column 'iv': missing value"):
        read_vols(path)


def test_duplicate_symbol_in_weights(tmp_path: Path) -> None:
    # issue #15 case 2: a name counted twice
    path = _csv(tmp_path, "w.csv", "symbol,weight\nAAPL,0.6\nMSFT,0.3\naapl ,0.1\n")
    with pytest.raises(ValidationError) as err:
        read_weights(path)
    assert (err.value.row, err.value.column, err.value.value) == (3, "symbol", "AAPL")


@pytest.mark.parametrize("weight", ["-0.1", "nan", "inf"])
def test_negative_or_nan_weight(tmp_path: Path, weight: str) -> None:
    path = _csv(tmp_path, "w.csv", f"symbol,weight\nAAPL,0.6\nMSFT,{weight}\n")
    with pytest.raises(ValidationError, match=r"w.csv:2: column 'weight': must be a finite number"):
        read_weights(path)


def test_all_zero_weights_say_what_is_missing(tmp_path: Path) -> None:
    path = _csv(tmp_path, "w.csv", "symbol,weight\nAAPL,0\nMSFT,0\n")
    with pytest.raises(ValidationError, match="weights sum to 0"):
        read_weights(path)


def test_dated_weights_keyed_by_date_and_symbol(tmp_path: Path) -> None:
    text = "date,symbol,weight\n2026-11-19,AAPL,1\n2026-11-20,AAPL,1\n2026-11-20,AAPL,2\n"
    with pytest.raises(ValidationError, match="duplicate key \\(date, symbol\\), first at row 2"):
        read_weights(_csv(tmp_path, "w.csv", text))


def test_sector_map_symbols_normalised_and_unique(tmp_path: Path) -> None:
    # issue #15 case 10: lower-case symbols matched nothing; they are upper-cased
    path = _csv(tmp_path, "s.csv", "symbol,sector\nxom ,Energy\n^spx,Index\n")
    assert read_sector_map(path).collect().rows() == [
        ("XOM", "Energy", None),
        ("SPX", "Index", None),
    ]
    dup = _csv(tmp_path, "d.csv", "symbol,sector\nXOM,Energy\nxom,Utilities\n")
    with pytest.raises(ValidationError, match=r"d.csv:2: column 'symbol': duplicate key"):
        read_sector_map(dup)


def test_sector_map_missing_sector(tmp_path: Path) -> None:
    path = _csv(tmp_path, "s.csv", "symbol,sector\nXOM,Energy\nNEE,\n")
    with pytest.raises(ValidationError, match=r"s.csv:2: column 'sector': missing value"):
        read_sector_map(path)


def test_index_prices(tmp_path: Path) -> None:
    dup = _csv(tmp_path, "p.csv", "date,close\n2026-11-19,6500\n2026-11-19,6501\n")
    with pytest.raises(ValidationError, match="duplicate key \\(date\\)"):
        read_index_prices(dup)
    bad = _csv(tmp_path, "q.csv", "date,close\n2026-11-19,-1\n")
    with pytest.raises(ValidationError, match=r"q.csv:1: column 'close'"):
        read_index_prices(bad)
