"""OCC / OSI option symbols, parsed and formatted with vectorised Polars expressions.

Three spellings of the same contract are accepted:

* OSI, 21 characters, root padded to 6 with spaces: ``SPY   251219C00600000``;
* compact OSI, no padding: ``SPY251219C00600000``;
* Polygon / Massive: ``O:SPY251219C00600000``.

The last 15 characters are the expiry ``YYMMDD``, the right ``C``/``P`` and the
strike in thousandths (8 digits, ``00600000`` = 600.0). The root is 1-6 upper-case
letters or digits. A malformed symbol (bad characters, wrong padding, impossible
date, zero strike) parses to nulls, never to a guess.

Examples
--------
>>> import polars as pl
>>> syms = pl.DataFrame({"s": ["SPY   251219C00600000", "O:SPXW260116P05925500", "bad"]})
>>> syms.select(parse_osi(pl.col("s"))).unnest("s").rows()
[('SPY', datetime.date(2025, 12, 19), 'C', 600.0), ('SPXW', datetime.date(2026, 1, 16), 'P', 5925.5), (None, None, None, None)]
>>> out = syms.head(2).select(parse_osi(pl.col("s"))).unnest("s")
>>> out.select(format_osi(*[pl.col(c) for c in out.columns], style="polygon")).to_series().to_list()
['O:SPY251219C00600000', 'O:SPXW260116P05925500']
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.ingest.codes.distinct import per_distinct

__all__ = [
    "CONTRACT_DTYPE",
    "INDEX_ROOTS",
    "OsiStyle",
    "attach_contracts",
    "format_osi",
    "parse_osi",
    "underlying_from_root",
]

OsiStyle = Literal["osi", "compact", "polygon"]
"""Spelling produced by :func:`format_osi`."""

_PATTERN = r"^(?:O:)?[A-Z0-9]{1,6} {0,5}[0-9]{6}[CP][0-9]{8}$"

INDEX_ROOTS: Mapping[str, str] = MappingProxyType({
    "SPXW": "SPX", "SPXPM": "SPX", "NDXP": "NDX", "RUTW": "RUT", "VIXW": "VIX",
})  # fmt: skip
"""Option roots whose underlying is another symbol (PM-settled / weekly index classes)."""


def parse_osi(symbol: pl.Expr) -> pl.Expr:
    """Parse option symbols into a struct of canonical contract fields.

    One regular expression checks the shape; the fields are then cut by
    position from the end (15 characters of date, right and strike), which
    keeps the parse cheap on millions of rows.

    Parameters
    ----------
    symbol
        String expression holding OSI, compact OSI or Polygon ``O:`` symbols.

    Returns
    -------
    pl.Expr
        Struct with fields ``root`` (String), ``expiry`` (Date), ``right``
        (Enum C/P) and ``strike`` (Float64), named like ``symbol``; every field
        is null where the symbol is malformed.
    """
    body = symbol.str.strip_prefix("O:")
    size = body.str.len_bytes()
    padded = body.str.slice(0, (size - 15).clip(0))
    root = padded.str.strip_chars_end(" ")
    expiry = body.str.slice(-15, 6).str.to_date("%y%m%d", strict=False)
    strike_e3 = body.str.slice(-8).cast(pl.Int64, strict=False)
    valid = (
        symbol.str.contains(_PATTERN)
        & ((padded.str.len_bytes() == root.str.len_bytes()) | (size == 21))
        & expiry.is_not_null()
        & (strike_e3 > 0)
    )
    fields = [
        root.alias(s.ROOT),
        expiry.alias(s.EXPIRY),
        body.str.slice(-9, 1).cast(s.RIGHT_DTYPE, strict=False).alias(s.RIGHT),
        (strike_e3 / 1000).alias(s.STRIKE),
    ]
    out = pl.when(valid).then(pl.struct(fields))
    name = symbol.meta.output_name(raise_if_undetermined=False)
    return out if name is None else out.alias(name)


def format_osi(
    root: pl.Expr, expiry: pl.Expr, right: pl.Expr, strike: pl.Expr, *, style: OsiStyle = "osi"
) -> pl.Expr:
    """Format contract fields as an option symbol.

    Parameters
    ----------
    root, expiry, right, strike
        Canonical contract columns (strike in currency units, rounded to 1/1000).
    style
        ``"osi"`` (21 characters, root padded to 6), ``"compact"`` or ``"polygon"``.

    Returns
    -------
    pl.Expr
        String expression; null where any input is null.
    """
    digits = (strike * 1000).round(0).cast(pl.Int64).cast(pl.String).str.zfill(8)
    head = root.str.pad_end(6) if style == "osi" else root
    body = pl.concat_str(head, expiry.dt.strftime("%y%m%d"), right.cast(pl.String), digits)
    return pl.concat_str(pl.lit("O:"), body) if style == "polygon" else body


def underlying_from_root(root: pl.Expr) -> pl.Expr:
    """Underlying symbol of an option root.

    Index weekly / PM roots map through :data:`INDEX_ROOTS`; an adjusted root
    loses its trailing digits (``AAPL1`` -> ``AAPL``); any other root is its
    own underlying.

    Examples
    --------
    >>> import polars as pl
    >>> roots = pl.DataFrame({"r": ["SPXW", "AAPL1", "SPY", "NDXP"]})
    >>> roots.select(underlying_from_root(pl.col("r"))).to_series().to_list()
    ['SPX', 'AAPL', 'SPY', 'NDX']
    """
    stripped = root.str.strip_chars_end("0123456789")
    stripped = pl.when(stripped.str.len_bytes() > 0).then(stripped).otherwise(root)
    return root.replace_strict(
        list(INDEX_ROOTS), list(INDEX_ROOTS.values()), default=stripped, return_dtype=pl.String
    )


CONTRACT_DTYPE = pl.Struct({
    s.UNDERLYING: pl.String(), s.ROOT: pl.String(), s.EXPIRY: pl.Date(),
    s.RIGHT: s.RIGHT_DTYPE, s.STRIKE: pl.Float64(),
})  # fmt: skip
"""The contract fields :func:`attach_contracts` adds."""


def _contract(symbol: pl.Expr) -> pl.Expr:
    parsed = parse_osi(symbol)
    root = parsed.struct.field(s.ROOT)
    fields = [underlying_from_root(root).alias(s.UNDERLYING), root.alias(s.ROOT)]
    fields += [parsed.struct.field(f) for f in (s.EXPIRY, s.RIGHT, s.STRIKE)]
    return pl.when(parsed.is_not_null()).then(pl.struct(fields))


def attach_contracts(frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """Add ``underlying, root, expiry, right, strike`` parsed from an OSI/Polygon symbol column.

    A day holds few distinct contracts: each symbol is parsed once
    (:func:`~optionsflow.ingest.codes.distinct.per_distinct`); rows keep their order.
    """
    fields = per_distinct(pl.col(column), _contract, return_dtype=CONTRACT_DTYPE)
    return frame.with_columns(fields.alias("__of_contract")).unnest("__of_contract")
