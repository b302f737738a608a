r"""Recognise an input file's format from its magic bytes and header line.

=================  ==========================================================
format             recognised by
=================  ==========================================================
``canonical``      Parquet magic ``PAR1``, or a CSV header holding the
                   canonical columns ``ts, condition, source_row``
``cboe``           CSV header with ``underlying_symbol, quote_datetime``
                   (Cboe DataShop / LiveVol Option Trades)
``polygon``        CSV header with ``ticker, sip_timestamp``
                   (Polygon / Massive ``trades_v1``)
``databento``      DBN magic ``DBN`` (after zstd decompression, if any)
=================  ==========================================================

Compression (gzip, zstd, zip) is recognised first, by magic bytes, whatever the
file is called.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "day.csv"
>>> _ = path.write_text("ticker,conditions,correction,exchange,price,sip_timestamp,size\\n")
>>> sniff(path, signatures=[("polygon", frozenset({"ticker", "sip_timestamp"}))]).format
'polygon'
>>> _ = path.write_text("ticker;price;size\\n")
>>> sniff(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
optionsflow.errors.ParseError: ...day.csv:0: wrong delimiter: expected ',' (got ';')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from optionsflow.errors import ParseError, SourceError
from optionsflow.ingest.io.compression import Compression, compression_of, read_head, zip_member

__all__ = ["Format", "FormatOption", "Sniffed", "sniff"]

Format = Literal["canonical", "cboe", "polygon", "databento"]
"""A supported input format."""
FormatOption = Literal["auto", "canonical", "cboe", "polygon", "databento"]
"""The ``format`` argument of :func:`~optionsflow.ingest.scan.scan_trades`."""

_QUOTES = frozenset({"ticker", "bid_price", "ask_price", "sip_timestamp"})


@dataclass(frozen=True)
class Sniffed:
    """What :func:`sniff` found."""

    format: Format
    container: Literal["csv", "parquet", "dbn"]
    compression: Compression
    header: tuple[str, ...] = ()


def header_names(path: Path) -> tuple[str, ...]:
    """Split the first line of a (possibly compressed) text file into column names.

    Raises
    ------
    ParseError
        For an empty file or a header that uses another delimiter.
    """
    head = read_head(path)
    if not head.strip():
        if compression_of(path) != "none" and path.stat().st_size > 64:
            raise ParseError(
                f"{compression_of(path)} data is truncated or corrupt (nothing decompresses)",
                source=str(path), row=0,
            )  # fmt: skip
        raise ParseError("empty file", source=str(path), row=0)
    line = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace").lstrip("\ufeff")
    if "," not in line:
        for other in (";", "\t", "|"):
            if other in line:
                raise ParseError(
                    "wrong delimiter: expected ','", source=str(path), row=0, value=other
                )
    return tuple(name.strip().strip('"') for name in line.split(","))


def sniff(
    path: Path,
    *,
    expect: FormatOption = "auto",
    signatures: Sequence[tuple[Format, frozenset[str]]] = (),
) -> Sniffed:
    """Find the format of ``path``.

    Parameters
    ----------
    path
        The input file.
    expect
        A format the caller insists on; ``"auto"`` recognises it.
    signatures
        CSV header columns that identify each format, tried in order (the vendor
        registry's :data:`~optionsflow.ingest.vendors.SIGNATURES`).

    Raises
    ------
    ParseError
        Empty file, wrong delimiter, unreadable compressed head.
    SourceError
        A format that is not recognised, or a Polygon quotes file given as trades.
    """
    if path.stat().st_size == 0:
        raise ParseError("empty file", source=str(path), row=0)
    compression = compression_of(path)
    head = read_head(path, 8)
    member = zip_member(path)
    inside = f"zip member '{member}': " if member else ""
    if head.startswith(b"PAR1"):
        if compression == "none":
            return _checked(Sniffed("canonical", "parquet", compression), expect, path)
        raise SourceError(
            f"{inside or 'compressed '}Parquet is read uncompressed: extract it first",
            source=str(path),
        )
    if head.startswith(b"DBN"):
        return _checked(Sniffed("databento", "dbn", compression), expect, path)
    try:
        names = header_names(path)
    except ParseError as exc:
        if not inside:
            raise
        raise ParseError(
            inside + exc.reason, source=exc.source, row=exc.row, value=exc.value
        ) from exc
    if expect in ("canonical", "cboe", "polygon"):
        return Sniffed(expect, "csv", compression, names)
    have = set(names)
    if have >= _QUOTES:
        raise SourceError("this is a Polygon quotes file: pass it as quotes=", source=str(path))
    for fmt, needed in signatures:
        if needed <= have:
            return _checked(Sniffed(fmt, "csv", compression, names), expect, path)
    shown = ",".join(names)[:80]
    raise SourceError(f"{inside}unknown format (header starts '{shown}')", source=str(path))


def _checked(found: Sniffed, expect: FormatOption, path: Path) -> Sniffed:
    if expect not in ("auto", found.format):
        raise SourceError(
            f"expected {expect} data but this is a {found.container} file", source=str(path)
        )
    return found
