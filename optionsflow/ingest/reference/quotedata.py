"""The Cboe delayed-quotes chain layout (``quotedata.csv``), parsed and checked row by row.

See :mod:`~optionsflow.ingest.reference.chains` for the layout and the canonical chain;
this module turns one file into its accepted options (long, one row per option, before
the derived columns) and its rejects, each located at its file, row and vendor column.

Examples
--------
>>> HEADER_START
'Expiration Date,Calls,'
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, SourceError
from optionsflow.ingest.codes.symbology import parse_osi
from optionsflow.ingest.reference.chain_rows import (
    LINE,
    RAW,
    Reject,
    Rule,
    bad_number,
    number,
    read_chain_text,
    rejects_frame,
    split_rows,
)
from optionsflow.ingest.reference.snapshot import parse_stamp, snapshot_day

__all__ = ["HEADER_START", "parse_quotedata"]

_SIDE_FIELDS = ("symbol", "Last Sale", "Net", "Bid", "Ask", "Volume", "IV", "Delta", "Gamma",
                "Open Interest")  # fmt: skip
_FIELDS = (
    "Expiration Date",
    *(f"call {f}" for f in _SIDE_FIELDS),
    "Strike",
    *(f"put {f}" for f in _SIDE_FIELDS),
)
HEADER_START = "Expiration Date,Calls,"
_RAW, _LINE = RAW, LINE


def _preamble_value(fields: list[str], label: str) -> float | None:
    for f in fields:
        name, _, value = f.partition(":")
        if name.strip().lower() == label.lower():
            try:
                return float(value.strip())
            except ValueError:
                return None
    return None


_NUMBERS = ("Last Sale", "Net", "Bid", "Ask", "Volume", "IV", "Delta", "Gamma", "Open Interest")


def _side_rules(side: str, right: str, osi: pl.Expr) -> list[Rule]:
    """List the checks of one side's fields: the symbol agrees with the line, numbers are sane."""
    symbol = f"{side} symbol"
    rules: list[Rule] = [
        (symbol, "not an option symbol", osi.struct.field("root").is_null(), True),
        (symbol, f"not a {side} symbol", osi.struct.field("right") != right, False),
        (symbol, "expiry differs from 'Expiration Date'",
         osi.struct.field("expiry") != pl.col("__expiry"), False),
        (symbol, "strike differs from 'Strike'",
         (osi.struct.field("strike") - pl.col("__strike")).abs() > _STRIKE_ABS, False),
    ]  # fmt: skip
    rules += [(f"{side} {f}", "not a number", bad_number(f"{side} {f}"), True) for f in _NUMBERS]
    for field in ("Last Sale", "Bid", "Ask", "Volume", "IV", "Open Interest"):
        rules.append(
            (f"{side} {field}", "must not be negative", number(f"{side} {field}") < 0, False)
        )
    for field in ("Volume", "Open Interest"):
        value = number(f"{side} {field}")
        rules.append((f"{side} {field}", "not a whole number", value != value.floor(), False))
        rules.append((f"{side} {field}", "too large for a count", value > _MAX_COUNT, False))
    return rules


_MAX_COUNT = 2.0**53
"""Largest contract count read exactly (volume, open interest)."""
_STRIKE_ABS = 5e-4
"""OSI strikes are in thousandths: a symbol and a ``Strike`` closer than half of one agree."""


def parse_quotedata(path: Path) -> tuple[pl.DataFrame, pl.DataFrame, OptionsFlowError | None]:
    """Parse one ``quotedata.csv``: accepted options (long), rejected ones, the first error."""
    source = str(path)
    text = read_chain_text(path)
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    header = next((i for i, line in enumerate(lines) if line.startswith(HEADER_START)), None)
    pre = [next(csv.reader([line])) for line in lines[: header or 0] if line.strip()]
    if header is None or len(pre) < 2:
        raise SourceError(
            "not a Cboe quotedata file: no name/date preamble and header", source=source
        )
    name_line, date_line = pre[-2], pre[-1]
    day, ts = snapshot_day(parse_stamp(date_line[0], source=source))
    spot = _preamble_value(name_line, "Last")
    under_bid, under_ask = _preamble_value(date_line, "Bid"), _preamble_value(date_line, "Ask")

    body = pl.DataFrame({_RAW: lines[header + 1 :]}, schema={_RAW: pl.String()})
    body = body.with_row_index(_LINE, offset=1).filter(pl.col(_RAW).str.strip_chars() != "")
    body = body.with_columns(pl.col(_RAW).str.split(",").alias("__parts"))
    parts = pl.col("__parts")
    wide = body.with_columns(
        parts.list.len().alias("n"),
        *(
            parts.list.get(i, null_on_oob=True).str.strip_chars().alias(f)
            for i, f in enumerate(_FIELDS)
        ),
    )
    expiry = pl.col("Expiration Date").str.to_date("%a %b %d %Y", strict=False)
    wide = wide.with_columns(expiry.alias("__expiry"), number("Strike").alias("__strike"))
    common: list[Rule] = [
        (None, "malformed line: expected 22 fields", pl.col("n") != len(_FIELDS), True),
        ("Expiration Date", "not a date like 'Mon Feb 07 2022'",
         pl.col("__expiry").is_null(), True),
        ("Strike", "not a number", number("Strike").is_null(), True),
        ("Strike", "must be a positive finite number",
         ~(pl.col("__strike").is_finite() & (pl.col("__strike") > 0)), False),
    ]  # fmt: skip
    accepted: list[pl.DataFrame] = []
    rejected: list[Reject] = []
    for right, side in (("C", "call"), ("P", "put")):
        osi = parse_osi(pl.col(f"{side} symbol"))
        checks = [*common, *_side_rules(side, right, osi)]
        good, bad = split_rows(wide.with_columns(osi.alias("__osi")), checks, source=source)
        rejected.extend(bad)
        iv = number(f"{side} IV")
        has_iv = iv > 0
        accepted.append(good.select(
            pl.lit(day, pl.Date()).alias(s.DATE),
            pl.lit(ts.astimezone(dt.UTC)).dt.cast_time_unit("ns").alias(s.TS),
            pl.col("__osi").struct.field("root").alias(s.ROOT),
            pl.col("__expiry").alias(s.EXPIRY),
            pl.col("__strike").alias(s.STRIKE),
            pl.lit(right).alias(s.RIGHT),
            number(f"{side} Bid").alias(s.BID),
            number(f"{side} Ask").alias(s.ASK),
            number(f"{side} Last Sale").alias(s.LAST),
            number(f"{side} Volume").alias(s.VOLUME),
            number(f"{side} Open Interest").alias(s.OPEN_INTEREST),
            pl.when(has_iv).then(iv).alias(s.VENDOR_IV),
            pl.when(has_iv).then(number(f"{side} Delta")).alias(s.VENDOR_DELTA),
            pl.when(has_iv).then(number(f"{side} Gamma")).alias(s.VENDOR_GAMMA),
            pl.lit(under_bid, pl.Float64()).alias(s.UNDERLYING_BID),
            pl.lit(under_ask, pl.Float64()).alias(s.UNDERLYING_ASK),
            pl.lit(spot, pl.Float64()).alias(s.UNDERLYING_PRICE),
            pl.lit(source).alias(s.SOURCE),
            pl.col(_LINE).cast(pl.Int64).alias(s.SOURCE_ROW),
        ))  # fmt: skip
    rejects, first = rejects_frame(rejected)
    return pl.concat(accepted), rejects, first
