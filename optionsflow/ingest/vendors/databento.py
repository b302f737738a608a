"""Databento ``OPRA.PILLAR`` DBN files (``.dbn`` / ``.dbn.zst``), via optional ``databento-dbn``.

Trade schemas: ``trades``, ``tbbo`` (with the printing venue's BBO just before the
trade) and ``tcbbo`` (with the consolidated NBBO). ``cbbo-1s`` / ``cbbo-1m`` /
``cbbo`` files are accepted as ``quotes=``: their consolidated BBO at each
interval close is joined as of each trade, strictly before it. The file is
transcoded once to CSV (Databento's own transcoder: fixed-point prices, symbols
mapped through the file's symbology metadata) and scanned like any vendor CSV.

=====================  ==========================================================
canonical              from
=====================  ==========================================================
``ts``                 ``ts_event`` (ns UTC; ``2**64 - 1`` = undefined: rejected)
``seq``                ``sequence``
``root`` ... ``right`` the OSI raw symbol mapped from ``instrument_id``
``price``              ``price`` x 1e-9 (``2**63 - 1`` = undefined: rejected)
``exchange``           ``publisher_id`` via :data:`~.venues.DATABENTO_PUBLISHERS`
``condition``          ``REGULAR`` - OPRA trades in DBN carry no sale condition
``*_ex``               ``tbbo`` level 0 (the venue's BBO)
``bid``, ``ask`` ...   ``tcbbo`` level 0 (NBBO), or a ``cbbo`` quote file
=====================  ==========================================================

``side`` is ignored: it is always ``N`` on OPRA and says nothing about the aggressor.
Times outside the file's ``[start, end)`` metadata window are rejected.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import ParseError, SourceError
from optionsflow.ingest.accounting import Check, ParsedFile
from optionsflow.ingest.asof import attach_quotes
from optionsflow.ingest.bounds import (
    PRICE_REASON,
    QUOTE_REASON,
    SIZE_REASON,
    bad_price,
    bad_quote,
    bad_size,
)
from optionsflow.ingest.codes.symbology import attach_contracts
from optionsflow.ingest.codes.venues import (
    DATABENTO_PUBLISHERS,
    exchange_mic,
    unsupported_reason,
    venue_known,
)
from optionsflow.ingest.io.compression import compression_of, decompress, read_head, temp_file
from optionsflow.ingest.io.layout import CsvLayout
from optionsflow.ingest.io.lines import count_rows
from optionsflow.ingest.io.located import LocatedParseError
from optionsflow.ingest.io.reader import FileFailures, csv_scan, raw_records
from optionsflow.ingest.io.sniff import Sniffed
from optionsflow.schema import ROW

__all__ = ["EXTRA", "TRADE_SCHEMAS", "parse_databento", "transcode"]

EXTRA = "databento"
"""The optional-dependency extra that brings ``databento-dbn`` and ``zstandard``."""
TRADE_SCHEMAS = frozenset({"trades", "tbbo", "tcbbo"})
QUOTE_SCHEMAS = frozenset({"cbbo", "cbbo-1s", "cbbo-1m"})
_UNDEF_PRICE = 2**63 - 1
_UNDEF_TS = 2**64 - 1
_SCALE = 1_000_000_000
_TYPES: dict[str, pl.DataType] = {
    "ts_recv": pl.UInt64(),
    "ts_event": pl.UInt64(),
    "rtype": pl.Int32(),
    "publisher_id": pl.Int32(),
    "instrument_id": pl.Int64(),
    "action": pl.String(),
    "side": pl.String(),
    "depth": pl.Int32(),
    "price": pl.Int64(),
    "size": pl.Int64(),
    "flags": pl.Int32(),
    "ts_in_delta": pl.Int64(),
    "sequence": pl.Int64(),
    "bid_px_00": pl.Int64(),
    "ask_px_00": pl.Int64(),
    "bid_sz_00": pl.Int64(),
    "ask_sz_00": pl.Int64(),
    "symbol": pl.String(),
}


def _dbn() -> ModuleType:
    try:
        databento_dbn = importlib.import_module("databento_dbn")
    except ImportError as exc:
        raise SourceError(
            f"reading Databento DBN files needs the '{EXTRA}' extra: "
            f"pip install 'optionsflow[{EXTRA}]'"
        ) from exc
    return databento_dbn


def _reraise_interrupts(exc: BaseException) -> None:
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _metadata(dbn: ModuleType, plain: Path, source: str) -> object:
    decoder = dbn.DBNDecoder()
    try:
        decoder.write(read_head(plain, 1 << 20))
        records = decoder.decode()
    except BaseException as exc:  # DBNError, or a Rust panic (a BaseException) on corrupt bytes
        _reraise_interrupts(exc)
        raise ParseError(
            f"not a readable DBN file ({_first_line(exc)})", source=source, row=0
        ) from exc
    if not records or type(records[0]).__name__ != "Metadata":
        raise ParseError("not a readable DBN file (no metadata)", source=source, row=0)
    return records[0]


def transcode(path: Path, *, source: str) -> tuple[Path, object]:
    """Decompress and transcode a DBN file to CSV; returns the CSV path and the metadata.

    Raises
    ------
    SourceError
        When ``databento-dbn`` (or, for ``.zst``, ``zstandard``) is missing.
    ParseError
        For a corrupt, truncated or non-DBN file.
    """
    target, meta, cut = _transcode(path, source=source)
    if cut is not None:
        raise cut
    return target, meta


def _transcode(path: Path, *, source: str) -> tuple[Path, object, ParseError | None]:
    """Transcode as :func:`transcode`; a file cut inside a record is returned as an error.

    The complete records before the cut are in the CSV; the error names the row
    where the file broke (the first incomplete record), as for a cut gzip stream.
    """
    dbn = _dbn()
    plain = path
    broken: str | None = None  # a compressed stream cut short: its records up to the cut
    if compression_of(path) != "none":
        plain, _, failure = decompress(path, compression_of(path), lines=False)
        if failure is not None:
            if plain.stat().st_size == 0:
                raise ParseError(failure.reason, source=source, row=0)
            broken = failure.reason
    meta = _metadata(dbn, plain, source)
    target = temp_file(path.name + ".csv")
    with target.open("wb") as out, plain.open("rb") as src:
        transcoder = dbn.Transcoder(
            out, dbn.Encoding.CSV, dbn.Compression.NONE, pretty_px=False, pretty_ts=False,
            map_symbols=True,
        )  # fmt: skip
        try:
            while chunk := src.read(1 << 22):
                transcoder.write(chunk)
            transcoder.flush()
            left = bytes(transcoder.buffer()) if hasattr(transcoder, "buffer") else b""
        except BaseException as exc:  # DBNError, or a Rust panic (a BaseException)
            _reraise_interrupts(exc)
            raise ParseError(
                f"corrupt DBN records ({_first_line(exc)})", source=source, row=0
            ) from exc
    if not left and broken is None:
        return target, meta, None
    rows = count_rows(target, 1)
    cut = LocatedParseError(
        f"{broken or 'DBN data is truncated inside a record'}; rows after {rows} are lost",
        source=source, row=rows + 1,
        value=f"{len(left)} bytes of an incomplete record" if left else None,
    )  # fmt: skip
    return target, meta, cut


def _nanos(column: str) -> pl.Expr:
    raw = pl.col(column)
    return pl.when(raw != _UNDEF_TS).then(raw.cast(pl.Int64)).cast(pl.Datetime("ns", "UTC"))


def _px(column: str) -> pl.Expr:
    """Convert a fixed-point 1e-9 price to Float64, as its decimal text would read.

    Polars divides by a constant through its reciprocal (0.24000000000000002);
    an exact decimal division gives 0.24.
    """
    raw = pl.col(column)
    exact = (raw.cast(pl.Decimal(38, 9)) / _SCALE).cast(pl.Float64)
    return pl.when(raw != _UNDEF_PRICE).then(exact)


def _sz(size: str, price: str) -> pl.Expr:
    """Take a level's size, null where its price is undefined (an empty side)."""
    return pl.when(pl.col(price) != _UNDEF_PRICE).then(pl.col(size))


def _window(meta: object) -> tuple[dt.datetime | None, dt.datetime | None]:
    start, end = getattr(meta, "start", None), getattr(meta, "end", None)
    lo = None if start is None else dt.datetime.fromtimestamp(start / 1e9, dt.UTC)
    hi = None if end is None or end >= _UNDEF_TS else dt.datetime.fromtimestamp(end / 1e9, dt.UTC)
    return lo, hi


def _schema_name(meta: object) -> str:
    schema = getattr(meta, "schema", None)
    return str(getattr(schema, "value", schema))


def _scan_csv(csv: Path, source: str) -> tuple[pl.LazyFrame, CsvLayout]:
    header = read_head(csv, 4096).split(b"\n", 1)[0].decode().split(",")
    layout = CsvLayout({n: _TYPES.get(n, pl.String()) for n in header})
    return csv_scan(source, csv, layout, FileFailures(), on_failure="raise"), layout


def parse_databento(
    path: Path,
    found: Sniffed,
    *,
    quotes: Sequence[Path] = (),
    on_failure: Literal["raise", "record"] = "raise",
) -> ParsedFile:
    """Transcode one DBN trade file and stage it for validation.

    Raises
    ------
    SourceError
        When the ``databento`` extra is missing, or the schema holds no trades.
    ParseError
        For a corrupt or truncated file.
    """
    source = str(path)
    csv, meta, cut = _transcode(path, source=source)
    failures = FileFailures()
    if cut is not None:  # keep the complete records, report the break where it happened
        if on_failure == "raise":
            raise cut
        failures.errors.append(cut)
    kind = _schema_name(meta)
    if kind not in TRADE_SCHEMAS:
        raise SourceError(
            f"DBN schema '{kind}' holds no trades (use trades, tbbo or tcbbo)", source=source
        )
    lf, layout = _scan_csv(csv, source)
    columns = set(lf.collect_schema().names())
    sequence = pl.col("sequence") if "sequence" in columns else pl.col(ROW).cast(pl.Int64) + 1
    lf = attach_contracts(lf, "symbol")
    quote = "_ex" if kind == "tbbo" else ""
    level = [
        _px("bid_px_00").alias(f"_bid{quote}"), _px("ask_px_00").alias(f"_ask{quote}"),
        _sz("bid_sz_00", "bid_px_00").alias(f"_bsz{quote}"),
        _sz("ask_sz_00", "ask_px_00").alias(f"_asz{quote}"),
    ] if kind != "trades" else []  # fmt: skip
    frame = lf.with_columns(level).select(
        pl.col(ROW),
        _nanos("ts_event").alias(s.TS),
        sequence.alias(s.SEQ),
        *[pl.col(c) for c in (s.UNDERLYING, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT)],
        _px("price").alias(s.PRICE),
        pl.col("size").alias(s.SIZE),
        pl.lit(100, pl.Int32).alias(s.MULTIPLIER),
        exchange_mic(pl.col("publisher_id"), DATABENTO_PUBLISHERS).alias(s.EXCHANGE),
        pl.lit("REGULAR", s.CONDITION_DTYPE).alias(s.CONDITION),
        *[_level(name, kind == "tcbbo") for name in (s.BID, s.ASK, s.BID_SIZE, s.ASK_SIZE)],
        *[_level(name, kind == "tbbo") for name in (s.BID_EX, s.ASK_EX, s.BID_SIZE_EX,
                                                    s.ASK_SIZE_EX)],
        pl.lit(None, pl.Float64).alias(s.UNDERLYING_PRICE),
        pl.col("symbol").alias("_symbol"),
        pl.col("instrument_id").alias("_instrument"),
        pl.col("publisher_id").alias("_publisher"),
        pl.col("action").alias("_action"),
        pl.col("price").alias("_price"),
        pl.col("ts_event").alias("_ts_event"),
    )  # fmt: skip
    if quotes:
        frame = _join_quotes(frame, quotes)

    def raw(rows: Sequence[int]) -> pl.DataFrame:
        return raw_records(csv, rows, layout)

    dup_key = (s.TS, "_instrument", "_price", s.SIZE, "_publisher", s.SEQ)
    return ParsedFile(source, frame, _checks(meta), raw, dup_key=dup_key, failures=failures)


_LEVEL = {
    s.BID: ("_bid", pl.Float64()), s.ASK: ("_ask", pl.Float64()),
    s.BID_SIZE: ("_bsz", pl.Int64()), s.ASK_SIZE: ("_asz", pl.Int64()),
    s.BID_EX: ("_bid_ex", pl.Float64()), s.ASK_EX: ("_ask_ex", pl.Float64()),
    s.BID_SIZE_EX: ("_bsz_ex", pl.Int64()), s.ASK_SIZE_EX: ("_asz_ex", pl.Int64()),
}  # fmt: skip


def _level(name: str, present: bool) -> pl.Expr:
    helper, dtype = _LEVEL[name]
    return (pl.col(helper) if present else pl.lit(None, dtype)).alias(name)


def _checks(meta: object) -> list[Check]:
    c = pl.col
    lo, hi = _window(meta)
    outside = pl.lit(value=False)
    if lo is not None:
        outside = outside | (c(s.TS) < lo)
    if hi is not None:
        outside = outside | (c(s.TS) >= hi)
    window = f"outside the file's window [{lo}, {hi})"
    expired = c(s.EXPIRY) < c(s.TS).dt.convert_time_zone(s.NEW_YORK).dt.date()
    return [
        Check("ts_event", "undefined timestamp", c(s.TS).is_null()),
        Check("ts_event", window, outside, parse=False),
        Check("instrument_id", "no symbol in the file's symbology for this instrument",
              c("_symbol").fill_null("") == "", parse=False),
        Check("symbol", "expected an OSI symbol like 'AAPL  250221C00250000'", c(s.ROOT).is_null()),
        Check("action", "not a trade", c("_action") != "T", parse=False),
        Check("symbol", "expired before the trade's New York date", expired, parse=False),
        Check("price", "undefined price", c(s.PRICE).is_null()),
        Check("price", PRICE_REASON, bad_price(c(s.PRICE)), parse=False),
        Check("size", SIZE_REASON, bad_size(c(s.SIZE).fill_null(0)), parse=False),
        *[Check(name, QUOTE_REASON, bad_quote(c(col)), parse=False)
          for name, col in (("bid_px_00", s.BID), ("ask_px_00", s.ASK), ("bid_px_00", s.BID_EX),
                            ("ask_px_00", s.ASK_EX))],
        Check("publisher_id", "unknown Databento OPRA publisher",
              ~venue_known(c("_publisher"), DATABENTO_PUBLISHERS)),
        Check("publisher_id", unsupported_reason(DATABENTO_PUBLISHERS), c(s.EXCHANGE).is_null()),
    ]  # fmt: skip


def _join_quotes(trades: pl.LazyFrame, quotes: Sequence[Path]) -> pl.LazyFrame:
    """Consolidated BBO of ``cbbo`` files, last interval closing strictly before each trade."""
    frames = []
    for path in quotes:
        csv, meta = transcode(path, source=str(path))
        if _schema_name(meta) not in QUOTE_SCHEMAS:
            raise SourceError(
                f"DBN schema '{_schema_name(meta)}' is not a consolidated BBO (use cbbo)",
                source=str(path),
            )
        lf, _ = _scan_csv(csv, str(path))
        frames.append(
            lf.select(
                pl.col("symbol").alias("_symbol"),
                pl.col("ts_recv").cast(pl.Int64).alias("_qts"),
                *[
                    pl.when(~bad_quote(px)).then(px).alias(name)
                    for px, name in ((_px("bid_px_00"), s.BID), (_px("ask_px_00"), s.ASK))
                ],
                _sz("bid_sz_00", "bid_px_00").alias(s.BID_SIZE),
                _sz("ask_sz_00", "ask_px_00").alias(s.ASK_SIZE),
            ).filter(pl.col("_symbol").is_not_null() & pl.col("_qts").is_not_null())
        )
    return attach_quotes(trades, pl.concat(frames), by="_symbol")
