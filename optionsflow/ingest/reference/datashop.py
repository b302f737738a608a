r"""Cboe DataShop option files as chains: Option Quote Intervals and Option EOD Summary.

Both layouts are one CSV row per option (per snapshot), columns found by name, so the
variants with and without Calcs (and open interest) read alike; bad cells are located
with the shared rules of :mod:`~optionsflow.ingest.reference.chain_rows`.

**Option Quote Intervals** (``UnderlyingOptionsIntervals_<n>sec[_calcs][_oi]_<date>.csv``),
one row per option and interval snapshot (``quote_datetime``, New York wall clock)::

    underlying_symbol,quote_datetime,root,expiration,strike,option_type,open,high,low,close,
    trade_volume,bid_size,bid,ask_size,ask,underlying_bid,underlying_ask
    [,implied_underlying_price,active_underlying_price,implied_volatility,delta,gamma,theta,
     vega,rho][,open_interest]

``date`` and ``ts`` come from ``quote_datetime``; ``trade_volume`` and ``close`` are the
interval's, so ``volume`` is their running sum over the day's snapshots of the option
(the session's volume up to the snapshot, as in every chain) and ``last`` the latest
interval close that traded.

**Option EOD Summary** (``UnderlyingOptionsEODQuotes_<date>.csv`` and, with Calcs,
``UnderlyingOptionsEODCalcs_<date>.csv``), one row per option and day with two quote
snapshots, at 15:45 ET (12:45 on early-close days) and at the close::

    underlying_symbol,quote_date,root,expiration,strike,option_type,open,high,low,close,
    trade_volume,bid_size_1545,bid_1545,ask_size_1545,ask_1545,underlying_bid_1545,
    underlying_ask_1545[,implied_underlying_price_1545,active_underlying_price_1545,
    implied_volatility_1545,delta_1545,gamma_1545,theta_1545,vega_1545,rho_1545],
    bid_size_eod,bid_eod,ask_size_eod,ask_eod,underlying_bid_eod,underlying_ask_eod,vwap,
    open_interest,delivery_code

The chain is the **15:45 snapshot** (``ts`` = 15:45 ET of ``quote_date``): Cboe computes
its Calcs (implied vol, greeks, implied underlying price) on it, so ``vendor_iv`` and
``vendor_forward`` describe the same quotes as ``bid`` and ``ask``, and a quarter of an
hour before the close the quotes are not yet widened by the closing auction nor quoted
against an underlying that stopped at 16:00 while index options trade to 16:15. The
``_eod`` quotes, ``vwap`` and ``delivery_code`` are checked and then left out. ``close``
(when the day traded), ``trade_volume`` and ``open_interest`` are the day's.

In both: ``^VIX`` -> ``VIX``; ``active_underlying_price`` is the ``underlying_price``
(else the underlying's mid); ``implied_underlying_price`` is the ``vendor_forward``;
``implied_volatility`` is ``vendor_iv`` except Cboe's "not solved" floor :data:`IV_FLOOR`
(0.0200), read as null with its delta and gamma. In EOD Summary files an underlying
bid, ask or price of 0 (indices without a Cboe index licence) is read as missing.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "UnderlyingOptionsIntervals_1800sec_2021-04-26.csv"
>>> _ = path.write_text(HEADER + "\n"
...     "^VIX,2021-04-26 10:00:00,VIXW,2021-04-28,18.000,C,0,0,0,0,0,16,0.81,16,0.86,17.84,17.84\n")
>>> frame, rejects, first = parse_quote_intervals(path)
>>> frame.select("underlying", "root", "strike", "right", "bid").row(0), rejects.height
(('VIX', 'VIXW', 18.0, 'C', 0.81), 0)
>>> eod = path.with_name("UnderlyingOptionsEODQuotes_2021-04-26.csv")
>>> _ = eod.write_text(EOD_HEADER + ",bid_size_eod,bid_eod,ask_size_eod,ask_eod,"
...     "underlying_bid_eod,underlying_ask_eod,vwap,open_interest,delivery_code\n"
...     "A,2021-04-26,A,2021-05-21,140.000,C,2.55,2.6,2.4,2.4,37,10,2.35,12,2.55,137.68,"
...     "137.71,8,2.25,9,2.5,137.3,137.4,2.47,1410,\n")
>>> frame, rejects, first = parse_eod_summary(eod)
>>> frame.select("ts", "bid", "ask", "last", "volume", "open_interest").row(0)[1:]
(2.35, 2.55, 2.4, 37.0, 1410.0)
>>> frame["ts"].dt.convert_time_zone("America/New_York").dt.time()[0]
datetime.time(15, 45)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from optionsflow import schema as s
from optionsflow.calendar import is_early_close
from optionsflow.errors import OptionsFlowError, SourceError
from optionsflow.ingest.reference.chain_rows import (
    LINE,
    RAW,
    Rule,
    bad_number,
    number,
    read_chain_text,
    rejects_frame,
    split_rows,
)

__all__ = ["EOD_HEADER", "HEADER", "IV_FLOOR", "parse_eod_summary", "parse_quote_intervals"]

HEADER = (
    "underlying_symbol,quote_datetime,root,expiration,strike,option_type,open,high,low,close,"
    "trade_volume,bid_size,bid,ask_size,ask,underlying_bid,underlying_ask"
)
"""The columns every Option Quote Intervals file starts with."""
EOD_HEADER = (
    "underlying_symbol,quote_date,root,expiration,strike,option_type,open,high,low,close,"
    "trade_volume,bid_size_1545,bid_1545,ask_size_1545,ask_1545,underlying_bid_1545,"
    "underlying_ask_1545"
)
"""The columns every Option EOD Summary file (with or without Calcs) starts with."""
IV_FLOOR = 0.02
"""Cboe's ``implied_volatility`` when it could not solve: a marker, not a vol."""

_TEXT = ("underlying_symbol", "root")
_PRICES = ("open", "high", "low", "close", "vwap")
_QUOTES = ("bid", "ask", "underlying_bid", "underlying_ask")
_CALCS = ("implied_underlying_price", "active_underlying_price", "implied_volatility")
_SIZES = ("bid_size", "ask_size")
_SIGNED = ("delta", "gamma", "theta", "vega", "rho")
_MAX_COUNT = 2.0**53
_NY = ZoneInfo(s.NEW_YORK)


def _rules(columns: list[str], when: tuple[str, str, pl.Expr]) -> list[Rule]:
    """List the checks of a DataShop row; ``when``: time column, its reason, its parsed value."""
    time_column, time_reason, parsed = when
    expiry = pl.col("expiration").str.to_date("%Y-%m-%d", strict=False)
    snaps = ("", "_1545", "_eod")
    nonneg = [*_PRICES, *(f"{c}{x}" for c in (*_QUOTES, *_CALCS) for x in snaps)]
    counts = ["trade_volume", "open_interest", *(f"{c}{x}" for c in _SIZES for x in snaps)]
    signed = [f"{c}{x}" for c in _SIGNED for x in snaps]
    rules: list[Rule] = [
        (None, f"malformed line: expected {len(columns)} fields",
         pl.col("__n") != len(columns), True),
        *((c, "missing value", pl.col(c).fill_null("") == "", True) for c in _TEXT),
        (time_column, time_reason, parsed.is_null(), True),
        ("expiration", "not a date (YYYY-MM-DD)", expiry.is_null(), True),
        ("strike", "not a number", number("strike").is_null(), True),
        ("strike", "must be a positive finite number",
         ~(number("strike").is_finite() & (number("strike") > 0)), False),
        ("option_type", "not C or P",
         ~pl.col("option_type").str.to_uppercase().is_in(["C", "P"]), True),
    ]  # fmt: skip
    present = [c for c in (*nonneg, *counts, *signed) if c in columns]
    rules += [(c, "not a number", bad_number(c), True) for c in present]
    rules += [(c, "must not be negative", number(c) < 0, False) for c in present if c not in signed]
    for c in (c for c in counts if c in columns):
        rules.append((c, "not a whole number", number(c) != number(c).floor(), False))
        rules.append((c, "too large for a count", number(c) > _MAX_COUNT, False))
    return rules


def _optional(name: str, columns: Sequence[str]) -> pl.Expr:
    return number(name) if name in columns else pl.lit(None, pl.Float64())


def _read(path: Path, header_start: str, what: str) -> tuple[list[str], pl.DataFrame]:
    """Read a DataShop file into text cells by column name, with line numbers and raw lines."""
    text = read_chain_text(path)
    header, *lines = [line.removesuffix("\r") for line in text.split("\n")]
    if not header.startswith(header_start):
        raise SourceError(f"not a Cboe {what} file", source=str(path))
    columns = header.split(",")
    body = pl.DataFrame({RAW: lines}, schema={RAW: pl.String()})
    body = body.with_row_index(LINE, offset=1).filter(pl.col(RAW).str.strip_chars() != "")
    parts = pl.col(RAW).str.split(",")
    wide = body.with_columns(parts.alias("__parts")).with_columns(
        pl.col("__parts").list.len().alias("__n"),
        *(pl.col("__parts").list.get(i, null_on_oob=True).str.strip_chars().alias(c)
          for i, c in enumerate(columns)),
    )  # fmt: skip
    return columns, wide


def _vendor_columns(columns: Sequence[str], snap: str) -> list[pl.Expr]:
    """Give the vendor's vol, delta and gamma of one snapshot (null at the floor)."""
    iv = _optional(f"implied_volatility{snap}", columns)
    solved = (iv > 0) & ((iv - IV_FLOOR).abs() > 1e-12)
    return [
        pl.when(solved).then(iv).alias(s.VENDOR_IV),
        pl.when(solved).then(_optional(f"delta{snap}", columns)).alias(s.VENDOR_DELTA),
        pl.when(solved).then(_optional(f"gamma{snap}", columns)).alias(s.VENDOR_GAMMA),
    ]


def _quote_columns(columns: Sequence[str], snap: str) -> list[pl.Expr]:
    """Give a snapshot's quotes, the day's last sale and open interest, the vendor's greeks."""
    traded = number("trade_volume") > 0
    return [
        number(f"bid{snap}").alias(s.BID),
        number(f"ask{snap}").alias(s.ASK),
        number(f"bid_size{snap}").alias(s.BID_SIZE),
        number(f"ask_size{snap}").alias(s.ASK_SIZE),
        pl.when(traded).then(number("close")).alias(s.LAST),
        _optional("open_interest", columns).alias(s.OPEN_INTEREST),
        *_vendor_columns(columns, snap),
    ]


def _common(source: str) -> list[pl.Expr]:
    return [
        pl.col("underlying_symbol").str.to_uppercase().str.strip_prefix("^").alias(s.UNDERLYING),
        pl.col("root").str.to_uppercase().alias(s.ROOT),
        pl.col("expiration").str.to_date("%Y-%m-%d").alias(s.EXPIRY),
        number("strike").alias(s.STRIKE),
        pl.col("option_type").str.to_uppercase().alias(s.RIGHT),
        number("trade_volume").alias(s.VOLUME),
        pl.lit(source).alias(s.SOURCE),
        pl.col(LINE).cast(pl.Int64).alias(s.SOURCE_ROW),
    ]


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
    columns, wide = _read(path, HEADER, "Option Quote Intervals")
    local = pl.col("quote_datetime").str.to_datetime(
        "%Y-%m-%d %H:%M:%S", time_unit="ns", strict=False
    )  # null where it does not parse: a reject, so never null among the good rows
    when = ("quote_datetime", "not a time like 2021-04-26 10:00:00", local)
    good, rejected = split_rows(wide, _rules(columns, when), source=source)
    rejects, first = rejects_frame(rejected)
    under_mid = (number("underlying_bid") + number("underlying_ask")) / 2
    frame = good.select(
        local.dt.date().alias(s.DATE),
        local.dt.replace_time_zone(s.NEW_YORK).dt.convert_time_zone("UTC").alias(s.TS),
        *_common(source),
        *_quote_columns(columns, ""),
        number("underlying_bid").alias(s.UNDERLYING_BID),
        number("underlying_ask").alias(s.UNDERLYING_ASK),
        pl.coalesce(_optional("active_underlying_price", columns), under_mid)
        .alias(s.UNDERLYING_PRICE),
        _optional("implied_underlying_price", columns).alias(s.VENDOR_FORWARD),
    )  # fmt: skip
    # the interval's volume and close -> the session's volume and last sale up to the snapshot;
    # a stable sort, not over(order_by=), which does not keep file order among equal times
    option = [s.DATE, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT]
    frame = (
        frame.with_row_index("__order")
        .sort(*option, s.TS, maintain_order=True)
        .with_columns(
            pl.col(s.VOLUME).cum_sum().over(option),
            pl.col(s.LAST).forward_fill().over(option),
        )
        .sort("__order")
        .drop("__order")
    )
    return frame, rejects, first


def _snapshot_ts(day: pl.Series) -> pl.Series:
    """15:45 New York on each day (12:45 on early-close days), in UTC."""
    stamps = {
        d: dt.datetime.combine(d, dt.time(12 if is_early_close(d) else 15, 45), tzinfo=_NY)
        for d in day.unique().drop_nulls().to_list()
    }
    return day.replace_strict(
        stamps, default=None, return_dtype=pl.Datetime("ns", s.NEW_YORK)
    ).dt.convert_time_zone("UTC")


def parse_eod_summary(
    path: Path,
) -> tuple[pl.DataFrame, pl.DataFrame, OptionsFlowError | None]:
    """Parse one Option EOD Summary file: accepted options (15:45 snapshot), rejects, first error.

    Raises
    ------
    SourceError
        When the file cannot be read or does not start with :data:`EOD_HEADER`.
    """
    source = str(path)
    columns, wide = _read(path, EOD_HEADER, "Option EOD Summary")
    day = pl.col("quote_date").str.to_date("%Y-%m-%d", strict=False)
    good, rejected = split_rows(
        wide, _rules(columns, ("quote_date", "not a date (YYYY-MM-DD)", day)), source=source
    )
    rejects, first = rejects_frame(rejected)

    def price(name: str) -> pl.Expr:
        value = _optional(name, columns)
        return pl.when(value > 0).then(value)

    under_bid, under_ask = price("underlying_bid_1545"), price("underlying_ask_1545")
    frame = good.select(
        day.alias(s.DATE),
        *_common(source),
        *_quote_columns(columns, "_1545"),
        under_bid.alias(s.UNDERLYING_BID),
        under_ask.alias(s.UNDERLYING_ASK),
        pl.coalesce(price("active_underlying_price_1545"), (under_bid + under_ask) / 2)
        .alias(s.UNDERLYING_PRICE),
        price("implied_underlying_price_1545").alias(s.VENDOR_FORWARD),
    )  # fmt: skip
    return frame.with_columns(_snapshot_ts(frame[s.DATE]).alias(s.TS)), rejects, first
