r"""Option-chain snapshots in, the canonical chain out, every option accounted for.

A chain snapshot holds one quote per listed option at one moment; the readers map
each vendor layout onto :data:`~optionsflow.schema.CHAIN_SCHEMA` (one row per option).
Chains are small (an SPX chain is ~20,000 options), so a file is read whole and
checked at once, like a reference table, with the located errors and the accounting
of trade ingest: with ``on_invalid="raise"`` the first bad cell raises
``file:row: column 'put Bid': not a number (got 'x')``; with ``"quarantine"`` bad
options are set aside in :attr:`ChainResult.rejects` (source, row, column, reason,
raw line) and ``read = accepted + rejected`` always holds in :class:`ChainCounts`.

Layouts (``format``; ``"auto"`` sniffs each file):

``cboe_quote_intervals``, ``cboe_eod_summary``
    Cboe DataShop's Option Quote Intervals and Option EOD Summary files, with or without
    Calcs (:mod:`~optionsflow.ingest.reference.datashop`; an EOD Summary file is read
    as its 15:45 ET snapshot, on which Cboe computes its Calcs).
``cboe_quotedata``
    Cboe's delayed-quotes "download CSV" (``quotedata.csv``). Line 2 names the
    underlying and its last price (``Last: 4500.53``); line 3 holds the download stamp
    in one of several wordings (:mod:`~optionsflow.ingest.reference.snapshot`: a
    weekend download holds the previous close) and the underlying's bid and ask;
    then a header and one line per (expiry, strike) of 22 fields, the call's fields
    left of ``Strike`` and the put's right, read by position. Symbols are compact
    OSI (``SPXW220207C02400000``); they must agree with ``Expiration Date`` and
    ``Strike``. ``IV`` is decimal and 0 where Cboe has none (read as null, with the
    vendor delta and gamma).

Roots map to their underlying (``SPXW`` -> ``SPX``, see :data:`UNDERLYING_OF`) and to
a settlement style: the roots in :data:`AM_ROOTS` settle on the opening prints of
expiry day (``AM``), every other one at the 16:00 ET close (``PM``).

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "quotedata.csv"
>>> _ = path.write_text(
...     "\nStandard & Poors 500 Index,Last: 4500.53,Change: 23.09\n"
...     '"Date: February 5 2022, 8:09 PM EST",Bid: 4420.5,Ask: 4615.43,Size: 1*1,Volume: 0\n'
...     "Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,"
...     "Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest\n"
...     "Fri Mar 18 2022,SPX220318C04500000,120,1,118.5,119.9,10,0.21,0.52,0.001,500,4500.00,"
...     "SPX220318P04500000,115,-2,112.1,113.3,12,0.22,-0.48,0.001,700\n")
>>> chain = read_chain(path).collect()
>>> chain.select("date", "root", "settlement", "strike", "right", "bid", "ask").rows()[1]
(datetime.date(2022, 2, 4), 'SPX', 'AM', 4500.0, 'P', 112.1, 113.3)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import SourceError
from optionsflow.ingest.io.compression import read_head
from optionsflow.ingest.reference.datashop import (
    EOD_HEADER,
    HEADER,
    parse_eod_summary,
    parse_quote_intervals,
)
from optionsflow.ingest.reference.quotedata import HEADER_START, parse_quotedata

__all__ = [
    "AM_ROOTS",
    "UNDERLYING_OF",
    "ChainCounts",
    "ChainFormat",
    "ChainResult",
    "OnInvalidChain",
    "load_chain",
    "read_chain",
]

ChainFormat = Literal["auto", "cboe_quotedata", "cboe_quote_intervals", "cboe_eod_summary"]
"""A chain layout, or ``"auto"`` to recognise each file by its first lines."""
OnInvalidChain = Literal["raise", "quarantine"]
"""What to do with a bad option: raise its located error, or set it aside."""

AM_ROOTS: frozenset[str] = frozenset({"SPX", "NDX", "RUT", "VIX", "VIXW"})
"""Roots whose options settle on the opening prints of expiry day (a special opening quotation)."""
UNDERLYING_OF: Mapping[str, str] = {
    "SPXW": "SPX", "SPXQ": "SPX", "NDXP": "NDX", "RUTW": "RUT", "VIXW": "VIX", "XSPW": "XSP",
}  # fmt: skip
"""Option roots whose underlying has another name; every other root is its own underlying."""


PathsLike = str | Path | Iterable[str | Path]


@dataclass(frozen=True)
class ChainCounts:
    """Options read, accepted and rejected (``read == accepted + rejected``)."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0

    def __add__(self, other: ChainCounts) -> ChainCounts:
        """Add the counts of two reads."""
        return ChainCounts(
            self.read + other.read, self.accepted + other.accepted, self.rejected + other.rejected
        )


@dataclass(frozen=True)
class ChainResult:
    """A chain read eagerly: the accepted options, the rejects, and the counts."""

    chain: pl.DataFrame
    rejects: pl.DataFrame
    counts: ChainCounts


def _sniff(path: Path) -> ChainFormat:
    try:
        head = read_head(path, 4096).decode("utf-8-sig", "replace")
    except OSError as exc:
        raise SourceError(f"cannot read ({exc})", source=str(path)) from exc
    if HEADER_START in head and "Last:" in head:
        return "cboe_quotedata"
    if head.startswith(HEADER):
        return "cboe_quote_intervals"
    if head.startswith(EOD_HEADER):
        return "cboe_eod_summary"
    raise SourceError("not a known option-chain format", source=str(path))


_PARSERS = {
    "cboe_quotedata": parse_quotedata,
    "cboe_quote_intervals": parse_quote_intervals,
    "cboe_eod_summary": parse_eod_summary,
}


def _conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the derived columns and cast to :data:`~optionsflow.schema.CHAIN_SCHEMA`."""
    root = pl.col(s.ROOT)
    frame = frame.with_columns(
        root.replace_strict(dict(UNDERLYING_OF), default=root).alias(s.UNDERLYING),
        pl.when(root.is_in(sorted(AM_ROOTS))).then(pl.lit("AM")).otherwise(pl.lit("PM")).alias(s.SETTLEMENT),
    )  # fmt: skip
    missing = [
        pl.lit(None, d).alias(n) for n, d in s.CHAIN_SCHEMA.items() if n not in frame.columns
    ]
    frame = frame.with_columns(missing)
    return frame.select(pl.col(n).cast(d) for n, d in s.CHAIN_SCHEMA.items()).sort(
        s.TS, s.UNDERLYING, s.EXPIRY, s.ROOT, s.STRIKE, s.RIGHT, maintain_order=True
    )


def _paths(paths: PathsLike) -> list[Path]:
    items = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    if not items:
        raise SourceError("no chain files given")
    for p in items:
        if not p.is_file():
            raise SourceError("no such file", source=str(p))
    return items


def load_chain(
    paths: PathsLike, *, format: ChainFormat = "auto", on_invalid: OnInvalidChain = "raise"
) -> ChainResult:
    r"""Read chain snapshots eagerly: options, rejects and counts.

    Parameters
    ----------
    paths
        One file or several (their options are concatenated).
    format
        The layout, or ``"auto"`` to recognise each file.
    on_invalid
        ``"raise"``: the first bad cell (in file and row order) raises its located
        error; ``"quarantine"``: bad options go to ``rejects``.

    Returns
    -------
    ChainResult
        ``chain`` in :data:`~optionsflow.schema.CHAIN_SCHEMA`, sorted by expiry, root,
        strike and right; ``rejects`` in :data:`REJECT_SCHEMA`; the counts.

    Raises
    ------
    SourceError
        A missing or unreadable file, or one of no known layout.
    ParseError, ValidationError
        With ``on_invalid="raise"``, the first bad cell.

    Examples
    --------
    A put whose bid is not a number is set aside; its call is kept:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "quotedata.csv"
    >>> _ = path.write_text(
    ...     "\nS&P 500,Last: 100,Change: 0\nDate: 2022-02-04 16:15,Bid: 99,Ask: 101\n"
    ...     "Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,"
    ...     "Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest\n"
    ...     "Fri Mar 04 2022,SPXW220304C00100000,1,0,1,1.2,0,0,0,0,0,100.00,"
    ...     "SPXW220304P00100000,1,0,x,1.2,0,0,0,0,0\n")
    >>> result = load_chain(path, on_invalid="quarantine")
    >>> result.counts
    ChainCounts(read=2, accepted=1, rejected=1)
    >>> result.rejects.select("source_row", "column", "reason").row(0)
    (1, 'put Bid', 'not a number')
    >>> load_chain(path)
    Traceback (most recent call last):
    ...
    optionsflow.errors.ParseError: ...quotedata.csv:1: column 'put Bid': not a number (got 'x')
    """
    chains, rejects = [], []
    counts = ChainCounts()
    for path in _paths(paths):
        kind = _sniff(path) if format == "auto" else format
        parse = _PARSERS.get(kind)
        if parse is None:
            raise SourceError(f"unknown chain format {kind!r}", source=str(path))
        options, bad, first = parse(path)
        chain = _conform(options)
        if first is not None and on_invalid == "raise":
            raise first
        chains.append(chain)
        rejects.append(bad)
        counts += ChainCounts(chain.height + bad.height, chain.height, bad.height)
    return ChainResult(pl.concat(chains), pl.concat(rejects), counts)


def read_chain(
    paths: PathsLike, *, format: ChainFormat = "auto", on_invalid: OnInvalidChain = "raise"
) -> pl.LazyFrame:
    r"""Read chain snapshots into the canonical chain (one row per option), lazily usable.

    The files are parsed when called (a chain is small); see :func:`load_chain` for the
    parameters, the rejects and the counts.

    Returns
    -------
    pl.LazyFrame
        The accepted options in :data:`~optionsflow.schema.CHAIN_SCHEMA`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "quotedata.csv"
    >>> _ = path.write_text(
    ...     "\nS&P 500,Last: 100,Change: 0\n\"Date: June 11, 2022, 8:47 PM EDT\",Bid: 0\n"
    ...     "Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,"
    ...     "Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest\n"
    ...     "Fri Jun 17 2022,SPXW220617C00100000,1,0,1,1.2,0,0,0,0,0,100.00,"
    ...     "SPXW220617P00100000,1,0,0.9,1.2,0,0,0,0,0\n")
    >>> read_chain(path).select("date", "underlying", "settlement", "right").collect().rows()
    [(datetime.date(2022, 6, 10), 'SPX', 'PM', 'C'), (datetime.date(2022, 6, 10), 'SPX', 'PM', 'P')]
    """
    return load_chain(paths, format=format, on_invalid=on_invalid).chain.lazy()
