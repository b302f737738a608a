from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, ParseError, SchemaError
from optionsflow.ingest import scan_canonical
from optionsflow.testing import trades


def test_canonical_frame_validates() -> None:
    lf = s.validate_trades(trades([{}]))
    assert isinstance(lf, pl.LazyFrame)


def test_missing_column_is_named() -> None:
    frame = trades([{}]).drop(s.STRIKE)
    with pytest.raises(SchemaError, match="missing canonical columns: 'strike'") as err:
        s.validate_trades(frame, source="day.parquet")
    assert err.value.column == "strike"
    assert err.value.source == "day.parquet"
    assert str(err.value).startswith("day.parquet: column 'strike'")


def test_wrong_dtype_is_named() -> None:
    frame = trades([{}]).with_columns(pl.col(s.SIZE).cast(pl.Float64))
    with pytest.raises(SchemaError, match="expected dtype Int64, found Float64") as err:
        s.validate_trades(frame)
    assert err.value.column == "size"


def test_conform_fills_optional_columns_and_keeps_extras() -> None:
    frame = trades([{}]).drop(s.BID_EX, s.UNDERLYING_PRICE).with_columns(pl.lit(1).alias("x"))
    out = s.conform_trades(frame).collect()
    assert out.columns == [*s.TRADE_COLUMNS, "x"]
    assert out[s.BID_EX].to_list() == [None]


def test_conform_rejects_missing_required() -> None:
    with pytest.raises(SchemaError) as err:
        s.conform_trades(trades([{}]).drop(s.PRICE))
    assert err.value.column == "price"


def test_require_columns_names_the_user() -> None:
    with pytest.raises(SchemaError, match="required by daily_flow but missing") as err:
        s.require_columns(pl.LazyFrame({"a": [1]}), ["a", "side"], by="daily_flow")
    assert err.value.column == "side"


def test_error_rendering_and_hierarchy() -> None:
    err = ParseError("expected a number", source="f.csv", row=3, column="strike", value="N/A")
    assert str(err) == "f.csv:3: column 'strike': expected a number (got 'N/A')"
    assert isinstance(err, OptionsFlowError)
    assert (err.source, err.row, err.column, err.value) == ("f.csv", 3, "strike", "N/A")
    assert str(OptionsFlowError("bad", row=4)) == "row 4: bad"


def test_condition_sets_are_in_vocabulary() -> None:
    groups = (
        s.CANCEL_CONDITIONS,
        s.LATE_CONDITIONS,
        s.ISO_CONDITIONS,
        s.RETAIL_AUCTION_CONDITIONS,
        s.CROSS_CONDITIONS,
        s.FLOOR_CONDITIONS,
        s.MULTILEG_CONDITIONS,
        s.STOCK_TIED_CONDITIONS,
    )
    for group in groups:
        assert group <= set(s.CONDITIONS)
    assert not s.MULTILEG_CONDITIONS & s.STOCK_TIED_CONDITIONS
    assert len(set(s.CONDITIONS)) == len(s.CONDITIONS)


def test_canonical_files_with_an_older_vocabulary_are_upgraded(tmp_path: Path) -> None:
    old_venues = pl.Enum(["XCBO", "XPHO"])  # a vocabulary before venues were added
    frame = trades([{"exchange": "XPHO"}]).with_columns(pl.col(s.EXCHANGE).cast(pl.String))
    frame.with_columns(pl.col(s.EXCHANGE).cast(old_venues)).write_parquet(tmp_path / "old.parquet")
    out = scan_canonical(tmp_path / "old.parquet").collect()
    assert out.schema[s.EXCHANGE] == s.EXCHANGE_DTYPE
    assert out[s.EXCHANGE].to_list() == ["XPHO"]
    alien = pl.Enum(["XCBO", "XPHO", "NOPE"])
    frame.with_columns(pl.col(s.EXCHANGE).cast(alien)).write_parquet(tmp_path / "alien.parquet")
    with pytest.raises(SchemaError, match="categories outside the canonical vocabulary") as err:
        scan_canonical(tmp_path / "alien.parquet")
    assert err.value.column == "exchange"
    assert err.value.value == "NOPE"
