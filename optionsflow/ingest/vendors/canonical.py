"""Canonical trade files: Parquet written in :mod:`optionsflow.schema`.

Paths may be files, directories (every ``*.parquet`` below them, sorted) or
glob patterns. The schema of every file is checked before any data is read,
so a file of the wrong shape fails at once with its name and the column.

Examples
--------
>>> from optionsflow.ingest.io.paths import resolve_paths
>>> resolve_paths(["/no/such/trades.parquet"])
Traceback (most recent call last):
...
optionsflow.errors.SourceError: /no/such/trades.parquet: no such file or directory
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import SchemaError, SourceError
from optionsflow.ingest.accounting import MALFORMED_LINE, Check, ParsedFile
from optionsflow.ingest.bounds import (
    MULTIPLIER_REASON,
    PRICE_REASON,
    QUOTE_REASON,
    SIZE_REASON,
    STRIKE_REASON,
    UNDERLYING_REASON,
    bad_multiplier,
    bad_price,
    bad_quote,
    bad_size,
    bad_strike,
    bad_underlying,
)
from optionsflow.ingest.io.layout import INVALID_UTF8, INVALID_UTF8_REASON, CsvLayout
from optionsflow.ingest.io.paths import file_day, resolve_paths, trading_day_bounds
from optionsflow.ingest.io.reader import FileFailures, csv_scan, raw_records
from optionsflow.ingest.io.sniff import Sniffed
from optionsflow.schema import MALFORMED, ROW

__all__ = ["parse_canonical", "resolve_paths", "scan_canonical"]


def _scan_one(path: Path) -> pl.LazyFrame:
    """Scan one Parquet file and check its schema (metadata only)."""
    try:
        lf = pl.scan_parquet(path)
        have = lf.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(f"not a readable Parquet file ({first_line})", source=str(path)) from exc
    lf = _upgrade_vocabularies(lf, have, str(path))
    s.validate_columns(lf.collect_schema(), _required(), source=str(path))
    return s.conform_trades(lf, source=str(path))


def _upgrade_vocabularies(lf: pl.LazyFrame, have: pl.Schema, source: str) -> pl.LazyFrame:
    """Cast Enum columns written with an older (smaller) vocabulary to the current one.

    A vocabulary only grows (a new venue, a new condition), so a file whose
    Enum categories are a subset of today's converts losslessly. Categories
    the current vocabulary lacks are refused, naming the column and the values.
    """
    casts = []
    for name in (s.RIGHT, s.EXCHANGE, s.CONDITION):
        dtype, current = have.get(name), s.TRADE_SCHEMA[name]
        if not isinstance(dtype, pl.Enum) or dtype == current:
            continue
        assert isinstance(current, pl.Enum)
        unknown = sorted(set(dtype.categories) - set(current.categories))
        if unknown:
            raise s.SchemaError(
                "categories outside the canonical vocabulary", source=source, column=name,
                value=", ".join(unknown),
            )  # fmt: skip
        casts.append(pl.col(name).cast(pl.String).cast(current))
    return lf.with_columns(casts) if casts else lf


def _required() -> dict[str, pl.DataType]:
    return {n: t for n, t in s.TRADE_SCHEMA.items() if n not in s.OPTIONAL_COLUMNS}


def scan_canonical(paths: str | Path | Sequence[str | Path]) -> pl.LazyFrame:
    """Lazily read canonical trade Parquet files as one frame.

    Parameters
    ----------
    paths
        Files, directories or glob patterns.

    Returns
    -------
    pl.LazyFrame
        Trades in canonical column order (missing optional columns as
        nulls); extra columns (e.g. ground-truth labels) are kept when every
        file has them.

    Raises
    ------
    SourceError
        For a missing path or an unreadable file.
    SchemaError
        For a file lacking a canonical column or holding one of the wrong
        dtype (``source`` and ``column`` set).

    Examples
    --------
    The bundled week, five daily files of 50,000 prints with their ground truth:

    >>> from optionsflow.bundled import SAMPLE_FILES, sample_dir
    >>> week = scan_canonical(sample_dir() / SAMPLE_FILES.trades)
    >>> week.select(pl.len(), pl.col("ts").dt.date().n_unique()).collect().row(0)
    (120000, 5)
    >>> "true_side" in week.collect_schema()
    True
    """
    frames = [_scan_one(p) for p in resolve_paths(paths)]
    if len(frames) == 1:
        return frames[0]
    common = set.intersection(*(set(f.collect_schema().names()) for f in frames))
    order = [c for c in frames[0].collect_schema().names() if c in common]
    try:
        return pl.concat([f.select(order) for f in frames], how="vertical")
    except pl.exceptions.SchemaError as exc:  # extra columns that disagree in dtype
        raise SchemaError(f"files disagree on column dtypes ({exc})") from exc


# --- staging for scan_trades / load_trades -----------------------------------------------------

_REQUIRED_TEXT = {
    s.TS: "expected a UTC timestamp like 2026-11-20T14:30:00.000000000+0000",
    s.SEQ: "expected an integer",
    s.UNDERLYING: "missing value",
    s.ROOT: "missing value",
    s.EXPIRY: "expected a date 'YYYY-MM-DD'",
    s.STRIKE: "expected a number",
    s.RIGHT: "expected 'C' or 'P'",
    s.PRICE: "expected a number",
    s.SIZE: "expected an integer",
    s.MULTIPLIER: "expected an integer",
    s.EXCHANGE: "expected an exchange MIC of schema.EXCHANGES",
    s.CONDITION: "expected a condition of schema.CONDITIONS",
    s.SOURCE_ROW: "expected an integer",
}
_FLAGS = ("crossed_quote", "zero_quote")


def _typed_from_text(name: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(name)
    if dtype == pl.Datetime("ns", "UTC"):
        return col.str.to_datetime(time_unit="ns", time_zone="UTC", strict=False)
    if dtype == pl.Date():
        return col.str.to_date("%Y-%m-%d", strict=False)
    return col.cast(dtype, strict=False)


def _canonical_checks(path: Path, extra_text: dict[str, str], *, csv: bool) -> list[Check]:
    c = pl.col
    checks = [
        Check(None, MALFORMED_LINE, c(MALFORMED), parse=False),
        Check(None, INVALID_UTF8_REASON, c(INVALID_UTF8), parse=False),
    ] if csv else []  # fmt: skip
    checks += [Check(name, text, c(name).is_null()) for name, text in _REQUIRED_TEXT.items()]
    checks += [Check(name, text, c(f"_bad_{name}")) for name, text in extra_text.items()]
    day = file_day(path.name)
    if day is not None:
        lo, hi = trading_day_bounds(day)
        outside = (c(s.TS) < lo) | (c(s.TS) >= hi)
        checks.append(Check(s.TS, f"outside the file's trading day {day}", outside, parse=False))
        # every row left is on ``day``: a date comparison, no time-zone work per row
        expired = c(s.EXPIRY) < pl.lit(day)
    else:
        expired = c(s.EXPIRY) < c(s.TS).dt.convert_time_zone(s.NEW_YORK).dt.date()
    reason = f"expired before the trade's New York date{f' {day}' if day else ''}"
    checks += [
        Check(s.EXPIRY, reason, expired, parse=False),
        Check(s.STRIKE, STRIKE_REASON, bad_strike(c(s.STRIKE)), parse=False),
        Check(s.PRICE, PRICE_REASON, bad_price(c(s.PRICE)), parse=False),
        Check(s.SIZE, SIZE_REASON, bad_size(c(s.SIZE)), parse=False),
        Check(s.MULTIPLIER, MULTIPLIER_REASON, bad_multiplier(c(s.MULTIPLIER)), parse=False),
        *[Check(name, QUOTE_REASON, bad_quote(c(name)), parse=False)
          for name in (s.BID, s.ASK, s.BID_EX, s.ASK_EX)],
        Check(s.UNDERLYING_PRICE, UNDERLYING_REASON, bad_underlying(c(s.UNDERLYING_PRICE)),
              parse=False),
    ]  # fmt: skip
    return checks


def parse_canonical(
    path: Path,
    found: Sniffed,
    *,
    quotes: Sequence[Path] = (),
    on_failure: Literal["raise", "record"] = "raise",
) -> ParsedFile:
    """Stage a canonical Parquet or CSV file written by optionsflow.

    Canonical files keep their own ``source`` / ``source_row`` (the vendor
    provenance); errors name the canonical file and its 1-based row. Rows are
    checked for missing required values, non-positive price / size / strike /
    multiplier and, when the file name carries a date, for times outside that
    New York day. Cancel conditions count as cancelled; duplicates are not
    looked for (vendor adapters remove them before a canonical file exists).

    Raises
    ------
    SchemaError
        When a required canonical column is missing (or, in Parquet, has
        another dtype).
    """
    source = str(path)
    header = found.header
    container = found.container
    del quotes
    failures = FileFailures()
    extra_text: dict[str, str] = {}
    if container == "parquet":
        lf = _scan_one(path).with_row_index(ROW)
        names = lf.collect_schema().names()

        def raw(rows: Sequence[int]) -> pl.DataFrame:
            keep = pl.Series(list(rows), dtype=pl.get_index_type())
            picked = (
                pl.scan_parquet(path).with_row_index(ROW).filter(pl.col(ROW).is_in(keep.implode()))
            )
            cols = [c for c in picked.collect_schema().names() if c != ROW]
            return picked.select(
                ROW, pl.struct(cols).struct.json_encode().alias("_raw"),
                *[pl.col(c).cast(pl.String) for c in cols],
            ).collect()  # fmt: skip
    else:
        missing = [n for n in s.TRADE_SCHEMA if n not in s.OPTIONAL_COLUMNS and n not in header]
        if missing:
            raise SchemaError("missing required column", source=source, column=missing[0])
        layout = CsvLayout({n: pl.String() for n in header}, quote_char='"')
        scan = csv_scan(source, path, layout, failures, on_failure=on_failure)
        typed = [_typed_from_text(n, t).alias(n) for n, t in s.TRADE_SCHEMA.items() if n in header]
        optional = [n for n in s.OPTIONAL_COLUMNS if n in header]
        extra_text = {n: f"expected {s.TRADE_SCHEMA[n]}" for n in optional}
        bad = [
            (pl.col(n).is_not_null() & _typed_from_text(n, s.TRADE_SCHEMA[n]).is_null()).alias(
                f"_bad_{n}"
            )
            for n in optional
        ]
        lf = s.conform_trades(scan.with_columns(*bad, *typed), source=source)
        names = lf.collect_schema().names()

        def raw(rows: Sequence[int]) -> pl.DataFrame:
            return raw_records(failures.recovered.get(source, path), rows, layout)

    extra = [n for n in names if n not in s.TRADE_SCHEMA and n not in _FLAGS and n != ROW]
    extra = [n for n in extra if not n.startswith("_bad_") and n not in (MALFORMED, INVALID_UTF8)]
    # exact duplicates: equal in every column (a file written twice into one, a day
    # appended again); provenance makes two real prints differ in source_row
    dup_key = (s.TS, s.SEQ, s.SOURCE_ROW, s.PRICE, s.SIZE,
               *(n for n in s.TRADE_COLUMNS if n not in _DUP_LEAD), *extra)  # fmt: skip
    return ParsedFile(
        source, lf, _canonical_checks(path, extra_text, csv=container == "csv"), raw,
        cancel=pl.col(s.CONDITION).is_in(sorted(s.CANCEL_CONDITIONS)),
        failures=failures, extra=extra, provenance=True, dup_key=dup_key,
        dup_ordered=((s.SOURCE_ROW, s.SOURCE_ROW), (s.TS, s.SEQ)),
    )  # fmt: skip


_DUP_LEAD = (s.TS, s.SEQ, s.SOURCE_ROW, s.PRICE, s.SIZE)
