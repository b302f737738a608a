"""Cboe DataShop / LiveVol *Option Trades* files (``UnderlyingOptionsTrades_YYYY-MM-DD.csv``).

Columns are found by header name (the *TradesCalcs* variant's ``trade_iv`` and
``trade_delta`` are read and ignored). After ``number_of_exchanges`` comes a
ragged tail of ``exchange, bid_size, bid, ask_size, ask`` per quoting venue; the
printing venue's own quote is the entry whose ``exchange`` equals ``exchange_id``
(the tail is empty from 2022-06-13 on, which leaves the venue quote null).

=========================  =======================================================
canonical                  from
=========================  =======================================================
``ts``                     ``quote_datetime``, New York wall clock, to UTC
``seq``                    ``sequence_number``
``underlying``             ``underlying_symbol`` without the index ``^``
``exchange``               ``exchange_id`` via :data:`~.venues.CBOE_EXCHANGES`
``condition``              ``trade_condition_id`` via :data:`~.conditions.CBOE_CONDITIONS`
``bid``, ``ask``           ``best_bid``, ``best_ask`` (NBBO; no NBBO sizes given)
``*_ex``                   the printing venue's tail entry
``underlying_price``       mid of ``underlying_bid`` / ``underlying_ask`` (both > 0)
=========================  =======================================================

Cancels: ``trade_condition_id`` 40-44 are cancel records and a
``canceled_trade_condition_id`` >= 1 marks a trade that was cancelled; both are
counted as cancelled. Rows dated other than the trading day in the file name (or,
without one, the most common date) are rejected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import SchemaError
from optionsflow.ingest.accounting import Check, ParsedFile
from optionsflow.ingest.bounds import (
    PRICE_REASON,
    QUOTE_REASON,
    SIZE_REASON,
    STRIKE_REASON,
    UNDERLYING_REASON,
    bad_price,
    bad_quote,
    bad_size,
    bad_strike,
    bad_underlying,
)
from optionsflow.ingest.codes.conditions import CBOE_CANCEL_RECORDS, cboe_condition
from optionsflow.ingest.codes.venues import (
    CBOE_EXCHANGES,
    exchange_mic,
    unsupported_reason,
    venue_known,
)
from optionsflow.ingest.io.compression import read_head, text_path
from optionsflow.ingest.io.layout import INVALID_UTF8, INVALID_UTF8_REASON, CsvLayout
from optionsflow.ingest.io.paths import file_day
from optionsflow.ingest.io.reader import FileFailures, csv_scan, raw_records
from optionsflow.ingest.io.sniff import Sniffed
from optionsflow.schema import ROW

__all__ = ["REQUIRED", "parse_cboe"]

_INT64 = ("sequence_number", "trade_size")
_INT32 = ("exchange_id", "trade_condition_id", "canceled_trade_condition_id", "number_of_exchanges")
_FLOAT = ("strike", "trade_price")
REQUIRED: tuple[str, ...] = (
    "underlying_symbol", "quote_datetime", "sequence_number", "root", "expiration", "strike",
    "option_type", "exchange_id", "trade_size", "trade_price", "trade_condition_id",
    "canceled_trade_condition_id", "best_bid", "best_ask", "underlying_bid", "underlying_ask",
    "number_of_exchanges",
)  # fmt: skip
"""Columns a Cboe Option Trades file must have (in any order before the tail)."""
_MAX_VENUES = 64
"""Quote-tail entries read at most (there are fewer than 20 US options exchanges)."""
_TAIL = (("ex", pl.Int32()), ("bsz", pl.Int64()), ("bid", pl.Float64()),
         ("asz", pl.Int64()), ("ask", pl.Float64()))  # fmt: skip


_OPTIONAL = ("best_bid", "best_ask", "underlying_bid", "underlying_ask")
_VENUE = ("_vbsz", "_vbid", "_vasz", "_vask")


def _layout(header: tuple[str, ...], venues: int) -> CsvLayout:
    fixed = header[: header.index("number_of_exchanges") + 1]
    schema: dict[str, pl.DataType] = {}
    for i, name in enumerate(fixed):
        key = name if name not in schema else f"_dup{i}"
        if name in _INT64:
            schema[key] = pl.Int64()
        elif name in _INT32:
            schema[key] = pl.Int32()
        elif name in _FLOAT or name in _OPTIONAL:
            schema[key] = pl.Float64()
        else:
            schema[key] = pl.String()
    for k in range(venues):
        schema |= {f"_{part}{k}": dtype for part, dtype in _TAIL}

    def finish(lf: pl.LazyFrame) -> pl.LazyFrame:
        ex_id = pl.col("exchange_id")
        quote = []
        for part, name in zip(("bsz", "bid", "asz", "ask"), _VENUE, strict=True):
            picks = [pl.when(pl.col(f"_ex{k}") == ex_id).then(pl.col(f"_{part}{k}"))
                     for k in range(venues)]  # fmt: skip
            dtype = dict(_TAIL)[part]
            quote.append((pl.coalesce(picks) if picks else pl.lit(None, dtype)).alias(name))
        tail = [f"_{part}{k}" for k in range(venues) for part, _ in _TAIL]
        return lf.with_columns(quote).drop(tail)

    def widen(frame: pl.DataFrame) -> CsvLayout | None:
        most = frame["number_of_exchanges"].max()
        if most is not None and venues < int(most) <= _MAX_VENUES:  # type: ignore[arg-type]
            return _layout(header, int(most))  # type: ignore[arg-type]
        return None

    return CsvLayout(schema, optional=_OPTIONAL, finish=finish, widen=widen)


def _venues_in_head(path: Path, header: tuple[str, ...]) -> int:
    """Most quote-tail entries on the first lines of the file (a later batch may widen)."""
    fixed = header.index("number_of_exchanges") + 1
    lines = read_head(path).split(b"\n")[1:-1]
    most = max(((line.count(b",") + 1 - fixed) // 5 for line in lines), default=0)
    return min(max(most, 0), _MAX_VENUES)


def _wallclock(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Date, and local nanoseconds since the epoch, of ``YYYY-MM-DD HH:MM:SS[.fffffffff]``.

    The ISO ``T`` separator is taken too. The date, the whole seconds and the
    fraction are read from fixed positions, which is about three times cheaper
    than ``str.strptime`` with ``%.f`` on millions of rows. The fraction is read
    as a float; its 53-bit mantissa holds nine decimals with room to spare, so
    rounding to whole nanoseconds is exact. A leap second (``:60``) is rejected.
    """
    day = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    whole = text.str.slice(11, 8).str.to_time("%H:%M:%S", strict=False)
    size = text.str.len_bytes()
    frac = text.str.slice(19).cast(pl.Float64, strict=False)  # null when size is 19
    sep = text.str.slice(10, 1)
    ok = (
        (size == 19) | ((size >= 21) & (size <= 29) & (text.str.slice(19, 1) == ".")
                        & frac.is_between(0.0, 1.0, closed="left"))
    ) & ((sep == " ") | (sep == "T")) & (text.str.slice(17, 2) != "60")  # fmt: skip
    frac_ns = (frac.fill_null(0.0) * 1e9).round(0).cast(pl.Int64, strict=False)
    tod = whole.cast(pl.Int64) + frac_ns
    return day, pl.when(ok).then(day.cast(pl.Int64) * 86_400_000_000_000 + tod)


def _to_utc(local_ns: pl.Expr, day: dt.date | None) -> pl.Expr:
    """Convert New York local epoch-nanoseconds to a UTC timestamp.

    With the file's trading day known, one UTC offset serves every row of that
    day (New York changes offset at 02:00 on a Sunday, never in a trading day);
    rows of other days are rejected anyway. Otherwise each row is converted.
    """
    if day is None:
        naive = local_ns.cast(pl.Datetime("ns"))
        aware = naive.dt.replace_time_zone(s.NEW_YORK, ambiguous="null", non_existent="null")
        return aware.dt.convert_time_zone("UTC")
    noon = dt.datetime.combine(day, dt.time(12), ZoneInfo(s.NEW_YORK))
    offset = noon.utcoffset()
    shift = 0 if offset is None else int(offset.total_seconds()) * 1_000_000_000
    return (local_ns - shift).cast(pl.Datetime("ns", "UTC"))


def parse_cboe(
    path: Path,
    found: Sniffed,
    *,
    quotes: Sequence[Path] = (),
    on_failure: Literal["raise", "record"] = "raise",
) -> ParsedFile:
    """Parse one Cboe Option Trades file leniently and list the checks its rows must pass.

    Raises
    ------
    SchemaError
        When a required column is missing from the header.
    """
    source = str(path)
    header = found.header
    del quotes  # the registry refuses quotes for Cboe files
    for name in REQUIRED:
        if name not in header:
            raise SchemaError("missing required column", source=source, column=name)
    plain = text_path(path)
    layout = _layout(header, _venues_in_head(plain, header))
    failures = FileFailures()
    lf = csv_scan(source, plain, layout, failures, on_failure=on_failure)

    day = file_day(path.name)
    day_text, local = _wallclock(pl.col("quote_datetime"))
    expected_day = pl.lit(day) if day is not None else day_text.mode().first()
    ub, ua = pl.col("underlying_bid"), pl.col("underlying_ask")
    ex_id = pl.col("exchange_id")
    frame = lf.select(
        pl.col(ROW),
        _to_utc(local, day).alias(s.TS),
        pl.col("sequence_number").alias(s.SEQ),
        pl.col("underlying_symbol").str.strip_prefix("^").alias(s.UNDERLYING),
        pl.col("root").alias(s.ROOT),
        pl.col("expiration").str.to_date("%Y-%m-%d", strict=False).alias(s.EXPIRY),
        pl.col("strike").alias(s.STRIKE),
        pl.col("option_type").cast(s.RIGHT_DTYPE, strict=False).alias(s.RIGHT),
        pl.col("trade_price").alias(s.PRICE),
        pl.col("trade_size").alias(s.SIZE),
        pl.lit(100, pl.Int32).alias(s.MULTIPLIER),
        exchange_mic(ex_id, CBOE_EXCHANGES).alias(s.EXCHANGE),
        cboe_condition(pl.col("trade_condition_id")).alias(s.CONDITION),
        pl.col("best_bid").alias(s.BID),
        pl.col("best_ask").alias(s.ASK),
        pl.lit(None, pl.Int64).alias(s.BID_SIZE),
        pl.lit(None, pl.Int64).alias(s.ASK_SIZE),
        pl.col("_vbid").alias(s.BID_EX),
        pl.col("_vask").alias(s.ASK_EX),
        pl.col("_vbsz").alias(s.BID_SIZE_EX),
        pl.col("_vasz").alias(s.ASK_SIZE_EX),
        pl.when((ub > 0) & (ua >= ub)).then((ub + ua) / 2).alias(s.UNDERLYING_PRICE),
        # helpers for checks, cancels and duplicates
        (day_text != expected_day).alias("_off_day"),
        *([] if day is not None else [day_text.alias("_trade_day")]),
        ex_id.alias("_ex_id"),
        pl.col("trade_condition_id").alias("_tc"),
        pl.col("canceled_trade_condition_id").alias("_ctc"),
        pl.col("underlying_bid").alias("_ub"),
        pl.col("underlying_ask").alias("_ua"),
        *[pl.col(f"_bad_{c}") for c in _OPTIONAL],
        pl.col(INVALID_UTF8),
    )
    tc = pl.col("_tc")
    cancel = tc.is_between(CBOE_CANCEL_RECORDS.start, CBOE_CANCEL_RECORDS.stop - 1) | (
        pl.col("_ctc") >= 1
    )
    dup_key = (s.SEQ, s.TS, s.PRICE, s.SIZE, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT, "_ex_id", "_tc",
               "_ctc", s.BID, s.ASK, "_ub", "_ua", s.BID_EX, s.ASK_EX, s.BID_SIZE_EX,
               s.ASK_SIZE_EX, s.UNDERLYING)  # fmt: skip

    def raw(rows: Sequence[int]) -> pl.DataFrame:
        target = failures.recovered.get(source, plain)
        return raw_records(target, rows, layout, names=[c for c in layout.schema if c[0] != "_"])

    return ParsedFile(
        source, frame, _checks(day), raw, cancel=cancel, dup_key=dup_key, failures=failures
    )


def _checks(day: dt.date | None) -> list[Check]:
    c = pl.col
    on = f"the file's trading day {day}" if day else "the file's most common trading day"
    expired = c(s.EXPIRY) < (pl.lit(day) if day is not None else c("_trade_day"))
    venue_quote = bad_quote(c(s.BID_EX)) | bad_quote(c(s.ASK_EX))
    return [
        Check(None, INVALID_UTF8_REASON, c(INVALID_UTF8), parse=False),
        Check("underlying_symbol", "missing value", c(s.UNDERLYING).fill_null("") == ""),
        Check("quote_datetime", "expected a time 'YYYY-MM-DD HH:MM:SS.fff'", c(s.TS).is_null()),
        Check("quote_datetime", f"outside {on}", c("_off_day"), parse=False),
        Check("sequence_number", "expected an integer", c(s.SEQ).is_null()),
        Check("root", "missing value", c(s.ROOT).fill_null("") == ""),
        Check("expiration", "expected a date 'YYYY-MM-DD'", c(s.EXPIRY).is_null()),
        Check("strike", "expected a number", c(s.STRIKE).is_null()),
        Check("expiration", f"expired before the trade's New York date{f' {day}' if day else ''}",
              expired, parse=False),
        Check("strike", STRIKE_REASON, bad_strike(c(s.STRIKE)), parse=False),
        Check("option_type", "expected 'C' or 'P'", c(s.RIGHT).is_null()),
        Check("exchange_id", "expected an integer", c("_ex_id").is_null()),
        Check("exchange_id", "unknown Cboe exchange id", ~venue_known(c("_ex_id"), CBOE_EXCHANGES)),
        Check("exchange_id", unsupported_reason(CBOE_EXCHANGES), c(s.EXCHANGE).is_null()),
        Check("trade_size", "expected an integer", c(s.SIZE).is_null()),
        Check("trade_size", SIZE_REASON, bad_size(c(s.SIZE)), parse=False),
        Check("trade_price", "expected a number", c(s.PRICE).is_null()),
        Check("trade_price", PRICE_REASON, bad_price(c(s.PRICE)), parse=False),
        Check("trade_condition_id", "expected an integer", c("_tc").is_null()),
        Check("trade_condition_id", "unknown Cboe condition id", c(s.CONDITION).is_null()),
        Check("canceled_trade_condition_id", "expected an integer", c("_ctc").is_null()),
        *[Check(name, "expected a number", c(f"_bad_{name}")) for name in _OPTIONAL],
        Check("best_bid", QUOTE_REASON, bad_quote(c(s.BID)), parse=False),
        Check("best_ask", QUOTE_REASON, bad_quote(c(s.ASK)), parse=False),
        Check("underlying_bid", UNDERLYING_REASON, bad_underlying(c("_ub")), parse=False),
        Check("underlying_ask", UNDERLYING_REASON, bad_underlying(c("_ua")), parse=False),
        Check(None, f"venue quote after number_of_exchanges: bid / ask {QUOTE_REASON}",
              venue_quote, parse=False),
    ]  # fmt: skip
