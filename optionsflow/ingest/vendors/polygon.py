"""Polygon / Massive options flat files: ``trades_v1`` and, optionally, ``quotes_v1``.

Columns are found by name (older trade files have no ``participant_timestamp``).

=====================  ==========================================================
canonical              from
=====================  ==========================================================
``ts``                 ``sip_timestamp`` (ns since the epoch, UTC)
``seq``                the 1-based row (``trades_v1`` has no sequence number)
``root`` ... ``right`` ``ticker`` (``O:SPY251219C00600000``) via
                       :func:`~.symbology.parse_osi`
``underlying``         the root, through :func:`~.symbology.underlying_from_root`
``exchange``           ``exchange`` via :data:`~.venues.POLYGON_EXCHANGES`
``condition``          ``conditions`` (one id, or several quoted ``"209,219"``) via
                       :data:`~.conditions.POLYGON_CONDITIONS`; none = ``REGULAR``
``bid`` ... sizes      the contract's last ``quotes_v1`` quote *strictly before* the
                       trade (``join_asof``), when quote files are given
=====================  ==========================================================

Exact duplicates (every field equal) are dropped and counted; cancel conditions
(201, 203, 205, 207) are counted as cancelled. Times outside the New York day in
the file name (or the most common one) are rejected. Quote files are enrichment:
they are filtered to the traded contracts before sorting, so a multi-GB file is
never held whole; a quote row whose ticker or time cannot be read is skipped and
a bad price or size reads as missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import SchemaError
from optionsflow.ingest.accounting import MALFORMED_LINE, Check, ParsedFile
from optionsflow.ingest.asof import attach_quotes
from optionsflow.ingest.bounds import PRICE_REASON, SIZE_REASON, bad_price, bad_quote, bad_size
from optionsflow.ingest.codes.conditions import POLYGON_CONDITION_DTYPE, polygon_conditions
from optionsflow.ingest.codes.symbology import attach_contracts
from optionsflow.ingest.codes.venues import (
    POLYGON_EXCHANGES,
    exchange_mic,
    unsupported_reason,
    venue_known,
)
from optionsflow.ingest.io.compression import text_path
from optionsflow.ingest.io.layout import INVALID_UTF8, INVALID_UTF8_REASON, CsvLayout
from optionsflow.ingest.io.paths import file_day, trading_day_bounds
from optionsflow.ingest.io.reader import FileFailures, csv_scan, raw_records
from optionsflow.ingest.io.sniff import Sniffed, header_names
from optionsflow.schema import MALFORMED, ROW

__all__ = ["QUOTE_COLUMNS", "REQUIRED", "parse_polygon"]

REQUIRED: tuple[str, ...] = ("ticker", "exchange", "price", "sip_timestamp", "size")
"""Columns a ``trades_v1`` file must have (``conditions``, ``correction`` and
``participant_timestamp`` are optional)."""
QUOTE_COLUMNS: tuple[str, ...] = (
    "ticker", "ask_price", "ask_size", "bid_price", "bid_size", "sip_timestamp",
)  # fmt: skip
"""Columns a ``quotes_v1`` file must have."""
_SEMI_JOIN_RATIO = 8
"""Quote bytes per trade byte above which quotes are first cut to the traded contracts."""
_TYPES: dict[str, pl.DataType] = {
    "ticker": pl.String(),
    "conditions": pl.String(),
    "correction": pl.Int32(),
    "exchange": pl.Int32(),
    "participant_timestamp": pl.Int64(),
    "price": pl.Float64(),
    "sip_timestamp": pl.Int64(),
    "size": pl.Int64(),
    "ask_exchange": pl.Int32(),
    "ask_price": pl.Float64(),
    "ask_size": pl.Int64(),
    "bid_exchange": pl.Int32(),
    "bid_price": pl.Float64(),
    "bid_size": pl.Int64(),
    "sequence_number": pl.Int64(),
}


def _layout(header: Sequence[str]) -> CsvLayout:
    schema: dict[str, pl.DataType] = {}
    for i, name in enumerate(header):
        schema[name if name not in schema else f"_dup{i}"] = _TYPES.get(name, pl.String())
    return CsvLayout(schema, quote_char='"')


def parse_polygon(
    path: Path,
    found: Sniffed,
    *,
    quotes: Sequence[Path] = (),
    on_failure: Literal["raise", "record"] = "raise",
) -> ParsedFile:
    """Parse one ``trades_v1`` file leniently, joining quotes when given.

    Raises
    ------
    SchemaError
        When a required trade (or quote) column is missing.
    """
    source = str(path)
    header = found.header
    for name in REQUIRED:
        if name not in header:
            raise SchemaError("missing required column", source=source, column=name)
    plain = text_path(path)
    layout = _layout(header)
    failures = FileFailures()
    lf = csv_scan(source, plain, layout, failures, on_failure=on_failure)
    has = set(header)
    if "conditions" in has:
        lf = lf.with_columns(polygon_conditions(pl.col("conditions")).alias("_cond"))
        cond = pl.col("_cond")
        text = pl.col("conditions")
    else:
        cond = pl.lit({"condition": "REGULAR", "unreadable": False}, POLYGON_CONDITION_DTYPE)
        text = pl.lit(None, pl.String)
    condition, unreadable = cond.struct.field("condition"), cond.struct.field("unreadable")
    lf = attach_contracts(lf, "ticker")
    day = file_day(path.name)
    sip = pl.col("sip_timestamp")
    if day is not None:
        lo, hi = (int(t.timestamp()) * 1_000_000_000 for t in trading_day_bounds(day))
        off_day = (sip < lo) | (sip >= hi)
    else:
        ny_day = sip.cast(pl.Datetime("ns", "UTC")).dt.convert_time_zone(s.NEW_YORK).dt.date()
        off_day = ny_day != ny_day.mode().first()
    trade_day = pl.lit(day) if day is not None else ny_day
    optional = [
        (pl.col(c) if c in has else pl.lit(None, _TYPES[c])).alias(f"_{c}")
        for c in ("correction", "participant_timestamp")
    ]
    frame = lf.select(
        pl.col(ROW),
        sip.cast(pl.Datetime("ns")).dt.replace_time_zone("UTC").alias(s.TS),
        (pl.col(ROW).cast(pl.Int64) + 1).alias(s.SEQ),
        *[pl.col(f) for f in (s.UNDERLYING, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT)],
        pl.col("price").alias(s.PRICE),
        pl.col("size").alias(s.SIZE),
        pl.lit(100, pl.Int32).alias(s.MULTIPLIER),
        exchange_mic(pl.col("exchange"), POLYGON_EXCHANGES).alias(s.EXCHANGE),
        condition.alias(s.CONDITION),
        *[pl.lit(None, s.TRADE_SCHEMA[c]).alias(c) for c in
          (s.BID, s.ASK, s.BID_SIZE, s.ASK_SIZE, s.BID_EX, s.ASK_EX, s.BID_SIZE_EX, s.ASK_SIZE_EX,
           s.UNDERLYING_PRICE)],
        pl.col("ticker").alias("_ticker"),
        text.alias("_conditions"),
        pl.col("exchange").alias("_exchange"),
        unreadable.alias("_bad_conditions"),
        off_day.alias("_off_day"),
        (pl.col(s.EXPIRY) < trade_day).alias("_expired"),
        pl.col(MALFORMED),
        pl.col(INVALID_UTF8),
        *optional,
    )  # fmt: skip
    big = sum(q.stat().st_size for q in quotes) > _SEMI_JOIN_RATIO * path.stat().st_size
    if quotes:
        frame = attach_quotes(frame, _scan_quotes(quotes), by="_ticker", semi_join=big)
    checks = _checks(day)
    dup_key = (s.TS, "_ticker", s.PRICE, s.SIZE, "_exchange", "_conditions", "_correction",
               "_participant_timestamp")  # fmt: skip

    def raw(rows: Sequence[int]) -> pl.DataFrame:
        return raw_records(failures.recovered.get(source, plain), rows, layout)

    return ParsedFile(
        source, frame, checks, raw,
        cancel=pl.col(s.CONDITION).is_in(sorted(s.CANCEL_CONDITIONS)),
        dup_key=dup_key, dup_probe=len(dup_key), failures=failures,
        engine="in-memory" if quotes and not big else "streaming",
    )  # fmt: skip


def _checks(day: object) -> list[Check]:
    c, table = pl.col, POLYGON_EXCHANGES
    on = f"the file's trading day {day}" if day else "the file's most common trading day"
    return [
        Check(None, MALFORMED_LINE, c(MALFORMED), parse=False),
        Check(None, INVALID_UTF8_REASON, c(INVALID_UTF8), parse=False),
        Check("ticker", "expected an option symbol like O:SPY251219C00600000", c(s.ROOT).is_null()),
        Check("sip_timestamp", "expected nanoseconds since the epoch", c(s.TS).is_null()),
        Check("sip_timestamp", f"outside {on}", c("_off_day"), parse=False),
        Check("ticker", f"expired before the trade's New York date{f' {day}' if day else ''}",
              c("_expired"), parse=False),
        Check("price", "expected a number", c(s.PRICE).is_null()),
        Check("price", PRICE_REASON, bad_price(c(s.PRICE)), parse=False),
        Check("size", "expected an integer", c(s.SIZE).is_null()),
        Check("size", SIZE_REASON, bad_size(c(s.SIZE)), parse=False),
        Check("exchange", "expected an integer", c("_exchange").is_null()),
        Check("exchange", "unknown Polygon exchange id", ~venue_known(c("_exchange"), table)),
        Check("exchange", unsupported_reason(POLYGON_EXCHANGES), c(s.EXCHANGE).is_null()),
        Check("conditions", "expected condition ids like 209 or \"209,219\"", c("_bad_conditions")),
        Check("conditions", "unknown Polygon condition id", c(s.CONDITION).is_null(), parse=False),
    ]  # fmt: skip


def _finite_quote(column: str) -> pl.Expr:
    """Read a quote price, null unless finite and in range (NaN, inf, 1e308: missing)."""
    return pl.when(~bad_quote(pl.col(column))).then(pl.col(column))


def _scan_quotes(paths: Sequence[Path]) -> pl.LazyFrame:
    frames = []
    for path in paths:
        header = header_names(path)
        for name in QUOTE_COLUMNS:
            if name not in header:
                raise SchemaError("missing required quote column", source=str(path), column=name)
        layout = replace(_layout(header), quote_char=None, prunable=True)  # no list cells
        scan = csv_scan(str(path), text_path(path), layout, FileFailures(), on_failure="raise")
        frames.append(
            scan.select(
                pl.col("ticker").alias("_ticker"),
                pl.col("sip_timestamp").alias("_qts"),
                _finite_quote("bid_price").alias(s.BID),
                _finite_quote("ask_price").alias(s.ASK),
                pl.col("bid_size").alias(s.BID_SIZE),
                pl.col("ask_size").alias(s.ASK_SIZE),
            ).filter(pl.col("_ticker").is_not_null() & pl.col("_qts").is_not_null())
        )
    return pl.concat(frames, how="vertical")
