r"""Cboe DataShop "Option Quote Intervals" files (with or without Calcs and open interest).

One row per option and interval snapshot (``quote_datetime``, New York wall clock)::

    underlying_symbol,quote_datetime,root,expiration,strike,option_type,open,high,low,close,
    trade_volume,bid_size,bid,ask_size,ask,underlying_bid,underlying_ask
    [,implied_underlying_price,active_underlying_price,implied_volatility,delta,gamma,theta,
     vega,rho][,open_interest]

Columns are found by name, so the Calcs and open-interest variants read alike. Mapping onto
the canonical chain: ``date`` and ``ts`` from ``quote_datetime``; ``^VIX`` -> ``VIX``;
``close`` is ``last`` when the interval traded; ``active_underlying_price`` is the
``underlying_price`` (else the underlying's mid); ``implied_underlying_price`` is the
``vendor_forward``; ``implied_volatility`` is ``vendor_iv`` except Cboe's "not solved"
floor :data:`IV_FLOOR` (0.0200), which is read as null with its delta and gamma.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "UnderlyingOptionsIntervals_1800sec_2021-04-26.csv"
>>> _ = path.write_text(HEADER + "\n"
...     "^VIX,2021-04-26 10:00:00,VIXW,2021-04-28,18.000,C,0,0,0,0,0,16,0.81,16,0.86,17.84,17.84\n")
>>> frame, rejects, first = parse_quote_intervals(path)
>>> frame.select("underlying", "root", "strike", "right", "bid").row(0), rejects.height
(('VIX', 'VIXW', 18.0, 'C', 0.81), 0)
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, SourceError
from optionsflow.ingest.reference.chain_rows import (
    LINE,
    RAW,
    Rule,
    bad_number,
    number,
    rejects_frame,
    split_rows,
)

__all__ = ["HEADER", "IV_FLOOR", "parse_quote_intervals"]

HEADER = (
    "underlying_symbol,quote_datetime,root,expiration,strike,option_type,open,high,low,close,"
    "trade_volume,bid_size,bid,ask_size,ask,underlying_bid,underlying_ask"
)
"""The columns every Option Quote Intervals file starts with."""
IV_FLOOR = 0.02
"""Cboe's ``implied_volatility`` when it could not solve: a marker, not a vol."""

_TEXT = ("underlying_symbol", "root")
_NONNEG = ("open", "high", "low", "close", "bid", "ask", "underlying_bid", "underlying_ask",
           "implied_underlying_price", "active_underlying_price", "implied_volatility")  # fmt: skip
_COUNTS = ("trade_volume", "bid_size", "ask_size", "open_interest")
_SIGNED = ("delta", "gamma", "theta", "vega", "rho")
_MAX_COUNT = 2.0**53


def _rules(columns: list[str]) -> list[Rule]:
    ts = pl.col("quote_datetime").str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
    expiry = pl.col("expiration").str.to_date("%Y-%m-%d", strict=False)
    rules: list[Rule] = [
        (None, f"malformed line: expected {len(columns)} fields",
         pl.col("__n") != len(columns), True),
        *((c, "missing value", pl.col(c).fill_null("") == "", True) for c in _TEXT),
        ("quote_datetime", "not a time like 2021-04-26 10:00:00", ts.is_null(), True),
        ("expiration", "not a date (YYYY-MM-DD)", expiry.is_null(), True),
        ("strike", "not a number", number("strike").is_null(), True),
        ("strike", "must be a positive finite number",
         ~(number("strike").is_finite() & (number("strike") > 0)), False),
        ("option_type", "not C or P",
         ~pl.col("option_type").str.to_uppercase().is_in(["C", "P"]), True),
    ]  # fmt: skip
    present = [c for c in (*_NONNEG, *_COUNTS, *_SIGNED) if c in columns]
    rules += [(c, "not a number", bad_number(c), True) for c in present]
    rules += [
        (c, "must not be negative", number(c) < 0, False) for c in present if c not in _SIGNED
    ]
    for c in (c for c in _COUNTS if c in columns):
        rules.append((c, "not a whole number", number(c) != number(c).floor(), False))
        rules.append((c, "too large for a count", number(c) > _MAX_COUNT, False))
    return rules


def _optional(name: str, columns: list[str]) -> pl.Expr:
    return number(name) if name in columns else pl.lit(None, pl.Float64())


def parse_quote_intervals(
    path: Path,
) -> tuple[pl.DataFrame, pl.DataFrame, OptionsFlowError | None]:
    """Parse one Quote Intervals file: accepted options, rejects, and the first error.

    Raises
    ------
    SourceError
        When the file cannot be read or does not start with :data:`HEADER`.
    """
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read ({exc})", source=source) from exc
    header, *lines = [line.removesuffix("\r") for line in text.split("\n")]
    if not header.startswith(HEADER):
        raise SourceError("not a Cboe Option Quote Intervals file", source=source)
    columns = header.split(",")
    body = pl.DataFrame({RAW: lines}, schema={RAW: pl.String()})
    body = body.with_row_index(LINE, offset=1).filter(pl.col(RAW).str.strip_chars() != "")
    body = body.with_columns(pl.col(RAW).str.split(",").alias("__parts"))
    parts = pl.col("__parts")
    wide = body.with_columns(
        parts.list.len().alias("__n"),
        *(parts.list.get(i, null_on_oob=True).str.strip_chars().alias(c)
          for i, c in enumerate(columns)),
    )  # fmt: skip
    good, rejected = split_rows(wide, _rules(columns), source=source)
    rejects, first = rejects_frame(rejected)
    local = pl.col("quote_datetime").str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="ns")
    iv = _optional("implied_volatility", columns)
    solved = (iv > 0) & ((iv - IV_FLOOR).abs() > 1e-12)
    under_mid = (number("underlying_bid") + number("underlying_ask")) / 2
    traded = number("trade_volume") > 0
    frame = good.select(
        local.dt.date().alias(s.DATE),
        local.dt.replace_time_zone(s.NEW_YORK).dt.convert_time_zone("UTC").alias(s.TS),
        pl.col("underlying_symbol").str.to_uppercase().str.strip_prefix("^").alias(s.UNDERLYING),
        pl.col("root").str.to_uppercase().alias(s.ROOT),
        pl.col("expiration").str.to_date("%Y-%m-%d").alias(s.EXPIRY),
        number("strike").alias(s.STRIKE),
        pl.col("option_type").str.to_uppercase().alias(s.RIGHT),
        number("bid").alias(s.BID),
        number("ask").alias(s.ASK),
        number("bid_size").alias(s.BID_SIZE),
        number("ask_size").alias(s.ASK_SIZE),
        pl.when(traded).then(number("close")).alias(s.LAST),
        number("trade_volume").alias(s.VOLUME),
        _optional("open_interest", columns).alias(s.OPEN_INTEREST),
        pl.when(solved).then(iv).alias(s.VENDOR_IV),
        pl.when(solved).then(_optional("delta", columns)).alias(s.VENDOR_DELTA),
        pl.when(solved).then(_optional("gamma", columns)).alias(s.VENDOR_GAMMA),
        number("underlying_bid").alias(s.UNDERLYING_BID),
        number("underlying_ask").alias(s.UNDERLYING_ASK),
        pl.coalesce(_optional("active_underlying_price", columns), under_mid)
        .alias(s.UNDERLYING_PRICE),
        _optional("implied_underlying_price", columns).alias(s.VENDOR_FORWARD),
        pl.lit(source).alias(s.SOURCE),
        pl.col(LINE).cast(pl.Int64).alias(s.SOURCE_ROW),
    )  # fmt: skip
    return frame, rejects, first
