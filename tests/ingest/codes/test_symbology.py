"""OSI / compact / Polygon option symbols: parse, format, validate, round-trip."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optionsflow.ingest.codes.symbology import OsiStyle, format_osi, parse_osi, underlying_from_root

FIELDS = ("root", "expiry", "right", "strike")


def parse(symbols: list[str | None]) -> list[tuple[object, ...]]:
    frame = pl.DataFrame({"s": symbols}, schema={"s": pl.String})
    return frame.select(parse_osi(pl.col("s"))).unnest("s").rows()


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("SPY   251219C00600000", ("SPY", dt.date(2025, 12, 19), "C", 600.0)),
        ("SPY251219C00600000", ("SPY", dt.date(2025, 12, 19), "C", 600.0)),
        ("O:SPY251219C00600000", ("SPY", dt.date(2025, 12, 19), "C", 600.0)),
        ("SPXW  260306P05925500", ("SPXW", dt.date(2026, 3, 6), "P", 5925.5)),
        ("AAPL1 250117C00002500", ("AAPL1", dt.date(2025, 1, 17), "C", 2.5)),
        ("O:BRKB260320P00412500", ("BRKB", dt.date(2026, 3, 20), "P", 412.5)),
        ("ABCDEF260320C00000001", ("ABCDEF", dt.date(2026, 3, 20), "C", 0.001)),
    ],
)
def test_each_spelling_parses_to_the_same_fields(
    symbol: str | None, expected: tuple[object, ...]
) -> None:
    assert parse([symbol]) == [expected]


@pytest.mark.parametrize(
    "symbol",
    [
        "spy251219C00600000",  # lower case root
        "ABCDEFG251219C00600000",  # 7-character root
        "SPY251340C00600000",  # month 13
        "SPY251219X00600000",  # neither C nor P
        "SPY251219C00000000",  # zero strike
        "SPY251219C0060000",  # 7 strike digits
        "SPY  251219C00600000",  # padding that does not reach 6 characters
        "SPY251219C+0600000",  # a sign is not a digit
        "O:",
        "",
        None,
    ],
)
def test_malformed_symbols_parse_to_nulls(symbol: str | None) -> None:
    assert parse([symbol]) == [(None, None, None, None)]


def test_format_styles() -> None:
    frame = pl.DataFrame(
        {"root": ["SPY"], "expiry": [dt.date(2025, 12, 19)], "right": ["C"], "strike": [600.0]}
    )
    cols = [pl.col(c) for c in ("root", "expiry", "right", "strike")]
    out = [
        frame.select(format_osi(*cols, style=style)).item()
        for style in ("osi", "compact", "polygon")
    ]
    assert out == ["SPY   251219C00600000", "SPY251219C00600000", "O:SPY251219C00600000"]


def test_underlying_from_root() -> None:
    roots = pl.DataFrame({"r": ["SPXW", "SPXPM", "NDXP", "RUTW", "VIXW", "AAPL1", "SPY", "BRKB"]})
    out = roots.select(underlying_from_root(pl.col("r"))).to_series().to_list()
    assert out == ["SPX", "SPX", "NDX", "RUT", "VIX", "AAPL", "SPY", "BRKB"]


roots = st.from_regex(r"[A-Z][A-Z0-9]{0,5}", fullmatch=True)
expiries = st.dates(dt.date(2000, 1, 1), dt.date(2068, 12, 31))
strikes_e3 = st.integers(1, 99_999_999)


@settings(max_examples=150, deadline=None)
@given(
    root=roots,
    expiry=expiries,
    right=st.sampled_from(["C", "P"]),
    strike_e3=strikes_e3,
    style=st.sampled_from(["osi", "compact", "polygon"]),
)
def test_format_parse_format_round_trips(
    root: str, expiry: dt.date, right: str, strike_e3: int, style: OsiStyle
) -> None:
    frame = pl.DataFrame(
        {"root": [root], "expiry": [expiry], "right": [right], "strike": [strike_e3 / 1000]}
    )
    cols = [pl.col(c) for c in FIELDS]
    symbol = frame.select(format_osi(*cols, style=style).alias("s"))
    parsed = symbol.select(parse_osi(pl.col("s"))).unnest("s")
    assert parsed.row(0) == (root, expiry, right, strike_e3 / 1000)
    again = parsed.select(format_osi(*[pl.col(c) for c in FIELDS], style=style)).item()
    assert again == symbol.item()
    if style == "osi":
        assert len(again) == 21
