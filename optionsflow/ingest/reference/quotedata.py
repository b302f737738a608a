"""The Cboe delayed-quotes chain layout (``quotedata.csv``), parsed and checked row by row.

See :mod:`~optionsflow.ingest.reference.chains` for the layout and the canonical chain;
this module turns one file into its accepted options (long, one row per option, before
the derived columns) and its rejects, each located at its file, row and vendor column.

Examples
--------
>>> REJECT_SCHEMA["source_row"]
Int64
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, ParseError, SourceError, ValidationError
from optionsflow.ingest.codes.symbology import parse_osi
from optionsflow.ingest.reference.snapshot import parse_stamp, snapshot_day

__all__ = ["HEADER_START", "REJECT_SCHEMA", "parse_quotedata"]

REJECT_SCHEMA: Mapping[str, pl.DataType] = {
    s.SOURCE: pl.String(),
    s.SOURCE_ROW: pl.Int64(),
    "column": pl.String(),
    "reason": pl.String(),
    "raw": pl.String(),
}
"""Columns of :attr:`ChainResult.rejects`."""

_SIDE_FIELDS = ("symbol", "Last Sale", "Net", "Bid", "Ask", "Volume", "IV", "Delta", "Gamma",
                "Open Interest")  # fmt: skip
_FIELDS = (
    "Expiration Date",
    *(f"call {f}" for f in _SIDE_FIELDS),
    "Strike",
    *(f"put {f}" for f in _SIDE_FIELDS),
)
HEADER_START = "Expiration Date,Calls,"
_RAW = s.private("raw")
_LINE = s.private("line")


def _preamble_value(fields: list[str], label: str) -> float | None:
    for f in fields:
        name, _, value = f.partition(":")
        if name.strip().lower() == label.lower():
            try:
                return float(value.strip())
            except ValueError:
                return None
    return None


def _number(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.Float64, strict=False)


def _bad_number(name: str) -> pl.Expr:
    """Present text that is not a finite number."""
    value = _number(name)
    return (pl.col(name) != "") & (value.is_null() | ~value.is_finite())


_Rule = tuple[str | None, str, pl.Expr, bool]
"""A check: vendor column (None: the line), reason, failing-row expression, parse (vs domain)."""
_NUMBERS = ("Last Sale", "Net", "Bid", "Ask", "Volume", "IV", "Delta", "Gamma", "Open Interest")


def _side_rules(side: str, right: str, osi: pl.Expr) -> list[_Rule]:
    """List the checks of one side's fields: the symbol agrees with the line, numbers are sane."""
    symbol = f"{side} symbol"
    rules: list[_Rule] = [
        (symbol, "not an option symbol", osi.struct.field("root").is_null(), True),
        (symbol, f"not a {side} symbol", osi.struct.field("right") != right, False),
        (symbol, "expiry differs from 'Expiration Date'",
         osi.struct.field("expiry") != pl.col("__expiry"), False),
        (symbol, "strike differs from 'Strike'",
         (osi.struct.field("strike") - pl.col("__strike")).abs() > _STRIKE_ABS, False),
    ]  # fmt: skip
    rules += [(f"{side} {f}", "not a number", _bad_number(f"{side} {f}"), True) for f in _NUMBERS]
    for field in ("Last Sale", "Bid", "Ask", "Volume", "IV", "Open Interest"):
        rules.append(
            (f"{side} {field}", "must not be negative", _number(f"{side} {field}") < 0, False)
        )
    for field in ("Volume", "Open Interest"):
        value = _number(f"{side} {field}")
        rules.append((f"{side} {field}", "not a whole number", value != value.floor(), False))
    return rules


_Reject = tuple[str, int, str | None, str, bool, str, str | None]
"""A rejected option: source, row, column, reason, parse?, raw line, the cell's text."""
_STRIKE_ABS = 5e-4
"""OSI strikes are in thousandths: a symbol and a ``Strike`` closer than half of one agree."""


def parse_quotedata(path: Path) -> tuple[pl.DataFrame, pl.DataFrame, OptionsFlowError | None]:
    """Parse one ``quotedata.csv``: accepted options (long), rejected ones, the first error."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read ({exc})", source=source) from exc
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
    parts = pl.col(_RAW).str.split(",")
    wide = body.with_columns(
        parts.list.len().alias("n"),
        *(
            parts.list.get(i, null_on_oob=True).str.strip_chars().alias(f)
            for i, f in enumerate(_FIELDS)
        ),
    )
    expiry = pl.col("Expiration Date").str.to_date("%a %b %d %Y", strict=False)
    wide = wide.with_columns(expiry.alias("__expiry"), _number("Strike").alias("__strike"))
    common: list[_Rule] = [
        (None, "malformed line: expected 22 fields", pl.col("n") != len(_FIELDS), True),
        ("Expiration Date", "not a date like 'Mon Feb 07 2022'",
         pl.col("__expiry").is_null(), True),
        ("Strike", "not a number", _number("Strike").is_null(), True),
        ("Strike", "must be a positive finite number",
         ~(pl.col("__strike").is_finite() & (pl.col("__strike") > 0)), False),
    ]  # fmt: skip
    accepted: list[pl.DataFrame] = []
    rejected: list[_Reject] = []
    for right, side in (("C", "call"), ("P", "put")):
        osi = parse_osi(pl.col(f"{side} symbol"))
        checks = [*common, *_side_rules(side, right, osi)]
        first = pl.coalesce(
            pl.when(c[2].fill_null(value=False)).then(pl.lit(i, pl.UInt16))
            for i, c in enumerate(checks)
        )
        checked = wide.with_columns(first.alias("__check"), osi.alias("__osi"))
        bad = checked.filter(pl.col("__check").is_not_null())
        if bad.height:
            rows = bad.select(_LINE, "__check", _RAW).rows()
            values = _values(bad, checks)
            rejected.extend(
                (source, line, checks[c][0], checks[c][1], checks[c][3], raw, value)
                for (line, c, raw), value in zip(rows, values, strict=True)
            )
        good = checked.filter(pl.col("__check").is_null())
        iv = _number(f"{side} IV")
        has_iv = iv > 0
        accepted.append(good.select(
            pl.lit(day, pl.Date()).alias(s.DATE),
            pl.lit(ts.astimezone(dt.UTC)).dt.cast_time_unit("ns").alias(s.TS),
            pl.col("__osi").struct.field("root").alias(s.ROOT),
            pl.col("__expiry").alias(s.EXPIRY),
            pl.col("__strike").alias(s.STRIKE),
            pl.lit(right).alias(s.RIGHT),
            _number(f"{side} Bid").alias(s.BID),
            _number(f"{side} Ask").alias(s.ASK),
            _number(f"{side} Last Sale").alias(s.LAST),
            _number(f"{side} Volume").alias(s.VOLUME),
            _number(f"{side} Open Interest").alias(s.OPEN_INTEREST),
            pl.when(has_iv).then(iv).alias(s.VENDOR_IV),
            pl.when(has_iv).then(_number(f"{side} Delta")).alias(s.VENDOR_DELTA),
            pl.when(has_iv).then(_number(f"{side} Gamma")).alias(s.VENDOR_GAMMA),
            pl.lit(under_bid, pl.Float64()).alias(s.UNDERLYING_BID),
            pl.lit(under_ask, pl.Float64()).alias(s.UNDERLYING_ASK),
            pl.lit(spot, pl.Float64()).alias(s.UNDERLYING_PRICE),
            pl.lit(source).alias(s.SOURCE),
            pl.col(_LINE).cast(pl.Int64).alias(s.SOURCE_ROW),
        ))  # fmt: skip
    rejected.sort(key=lambda r: r[1])  # row order; the call before the put of one line
    errors = [_error(r) for r in rejected]
    rows = [
        (e.source, e.row, e.column, e.reason, r[5]) for e, r in zip(errors, rejected, strict=True)
    ]
    rejects = pl.DataFrame(rows, schema=dict(REJECT_SCHEMA), orient="row")
    return pl.concat(accepted), rejects, errors[0] if errors else None


def _values(
    bad: pl.DataFrame, checks: list[tuple[str | None, str, pl.Expr, bool]]
) -> list[str | None]:
    out: list[str | None] = []
    for row in bad.iter_rows(named=True):
        column = checks[row["__check"]][0]
        out.append(None if column is None else row[column])
    return out


def _error(r: _Reject) -> OptionsFlowError:
    source, line, column, reason, is_parse, raw, value = r
    if is_parse and column is not None and (value is None or value == ""):
        reason = "missing value"
    kind = ParseError if is_parse else ValidationError
    shown = raw if column is None else value
    return kind(reason, source=source, row=line, column=column, value=shown)
