"""The canonical trade schema: column names, dtypes and vocabularies.

This module is the single source of truth for every column optionsflow reads
or writes (DESIGN.md section 4). Downstream code refers to columns through the
constants below, never by position and never by a vendor's name.

Examples
--------
>>> import polars as pl
>>> from optionsflow import schema
>>> schema.TRADE_SCHEMA[schema.RIGHT]
Enum(categories=['C', 'P'])
>>> lf = pl.LazyFrame({"ts": [1]})
>>> try:
...     schema.validate_trades(lf)
... except schema.SchemaError as err:
...     print(err.column, "|", str(err)[:46])
seq | column 'seq': missing canonical columns: 'seq'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import polars as pl

from optionsflow.errors import SchemaError

__all__ = [
    "ASK",
    "ASK_EX",
    "ASK_SIZE",
    "ASK_SIZE_EX",
    "BID",
    "BID_EX",
    "BID_SIZE",
    "BID_SIZE_EX",
    "CANCEL_CONDITIONS",
    "CONDITION",
    "CONDITIONS",
    "CONDITION_DTYPE",
    "CONTRACT_KEY",
    "CROSS_CONDITIONS",
    "DATE",
    "DELTA",
    "EXCHANGE",
    "EXCHANGES",
    "EXCHANGE_DTYPE",
    "EXPIRY",
    "FLOOR_CONDITIONS",
    "ISO_CONDITIONS",
    "IV",
    "LATE_CONDITIONS",
    "MULTILEG_CONDITIONS",
    "MULTIPLIER",
    "NEW_YORK",
    "OPTIONAL_COLUMNS",
    "PARTICIPANT",
    "PARTICIPANTS",
    "PARTICIPANT_DTYPE",
    "PARTICIPANT_REASON",
    "PARTICIPANT_REASONS",
    "PARTICIPANT_REASON_DTYPE",
    "PRICE",
    "RETAIL_AUCTION_CONDITIONS",
    "RIGHT",
    "RIGHT_DTYPE",
    "ROOT",
    "SECTOR",
    "SEQ",
    "SIDE",
    "SIDE_DTYPE",
    "SIDE_RULE",
    "SIZE",
    "SOURCE",
    "SOURCE_ROW",
    "STOCK_TIED_CONDITIONS",
    "STRIKE",
    "THEME",
    "TRADE_COLUMNS",
    "TRADE_SCHEMA",
    "TRUE_PARTICIPANT",
    "TRUE_SIDE",
    "TS",
    "UNDERLYING",
    "UNDERLYING_PRICE",
    "Participant",
    "SchemaError",
    "beside",
    "condition_in",
    "conform_trades",
    "require_columns",
    "trade_date",
    "validate_columns",
    "validate_trades",
]

NEW_YORK = "America/New_York"
"""Time zone of US option markets; vendor wall-clock times are in it."""

# --- canonical trade columns -------------------------------------------------------------
TS = "ts"
SEQ = "seq"
UNDERLYING = "underlying"
ROOT = "root"
EXPIRY = "expiry"
STRIKE = "strike"
RIGHT = "right"
PRICE = "price"
SIZE = "size"
MULTIPLIER = "multiplier"
EXCHANGE = "exchange"
CONDITION = "condition"
BID = "bid"
ASK = "ask"
BID_SIZE = "bid_size"
ASK_SIZE = "ask_size"
BID_EX = "bid_ex"
ASK_EX = "ask_ex"
BID_SIZE_EX = "bid_size_ex"
ASK_SIZE_EX = "ask_size_ex"
UNDERLYING_PRICE = "underlying_price"
SOURCE = "source"
SOURCE_ROW = "source_row"

# --- columns added by stages ----------------------------------------------------------------
SIDE = "side"
"""Int8: +1 buy, -1 sell, null unsigned (added by signing)."""
SIDE_RULE = "side_rule"
"""String: the rule layer that decided ``side`` (null when none did)."""
PARTICIPANT = "participant"
PARTICIPANT_REASON = "participant_reason"
DATE = "date"
"""Trade date in America/New_York."""
SECTOR = "sector"
THEME = "theme"

# --- enrichment columns (vendor-given, e.g. Cboe's trade_iv / trade_delta, or computed) -------
IV = "iv"
"""Float64: implied volatility of the print, annualised decimal."""
DELTA = "delta"
"""Float64: option delta per share (calls in [0, 1], puts in [-1, 0])."""

# --- ground-truth labels written by the synthetic generator ---------------------------------
TRUE_SIDE = "true_side"
TRUE_PARTICIPANT = "true_participant"

# --- vocabularies ---------------------------------------------------------------------------
EXCHANGES: tuple[str, ...] = (
    "AMXO",  # NYSE American Options
    "ARCO",  # NYSE Arca Options
    "BATO",  # Cboe BZX Options
    "C2OX",  # Cboe C2 Options
    "EDGO",  # Cboe EDGX Options
    "EMLD",  # MIAX Emerald
    "GMNI",  # Nasdaq GEMX
    "MCRY",  # Nasdaq MRX (ISE Mercury)
    "MPRL",  # MIAX Pearl
    "MXOP",  # MEMX Options
    "SPHR",  # MIAX Sapphire
    "XBOX",  # BOX Options
    "XBXO",  # Nasdaq BX Options
    "XCBO",  # Cboe Options
    "XISX",  # Nasdaq ISE
    "XMIO",  # MIAX Options
    "XNDQ",  # Nasdaq Options Market
    "XPHO",  # Nasdaq PHLX
)
"""OPRA participant venues, by ISO 10383 MIC."""

CONDITIONS: tuple[str, ...] = (
    "REGULAR",  # no condition
    "CANC", "OSEQ", "CNCL", "LATE", "CNCO", "OPEN", "CNOL", "OPNL", "AUTO", "REOP",
    "ISOI",
    "SLAN", "SLAI", "SLCN", "SLCI", "SLFT",
    "MLET", "MLAT", "MLCT", "MLFT", "MESL", "MASL", "MFSL",
    "TLAT", "TLET", "TLCT", "TLFT", "TESL", "TASL", "TFSL",
    "CBMO", "MCTP", "EXHT",
)  # fmt: skip
"""OPRA sale-condition vocabulary every vendor's codes are mapped onto."""

CANCEL_CONDITIONS = frozenset({"CANC", "CNCL", "CNCO", "CNOL"})
LATE_CONDITIONS = frozenset({"OSEQ", "LATE", "OPEN", "OPNL"})
ISO_CONDITIONS = frozenset({"ISOI", "SLAI", "SLCI"})
RETAIL_AUCTION_CONDITIONS = frozenset({"SLAN", "SLAI"})
"""Single-leg price-improvement auctions, where wholesalers route retail orders."""
CROSS_CONDITIONS = frozenset({"SLCN", "SLCI"})
FLOOR_CONDITIONS = frozenset({"SLFT"})
MULTILEG_CONDITIONS = frozenset({"MLET", "MLAT", "MLCT", "MLFT", "MESL", "MASL", "MFSL", "CBMO"})
STOCK_TIED_CONDITIONS = frozenset({"TLAT", "TLET", "TLCT", "TLFT", "TESL", "TASL", "TFSL", "MCTP"})

Participant = Literal["retail", "institutional", "unknown"]
"""A participant class."""
PARTICIPANTS: tuple[Participant, ...] = ("retail", "institutional", "unknown")

PARTICIPANT_REASONS: tuple[str, ...] = (
    "multi_leg", "stock_tied", "auction", "iso_sweep", "cross", "floor", "block_premium",
    "block_size", "small_size", "unknown",
)  # fmt: skip
"""The rules of :func:`~optionsflow.classify.participant.classify_participant`, in the order
they are tried (``unknown``: none applied)."""

RIGHT_DTYPE = pl.Enum(["C", "P"])
EXCHANGE_DTYPE = pl.Enum(list(EXCHANGES))
CONDITION_DTYPE = pl.Enum(list(CONDITIONS))
PARTICIPANT_DTYPE = pl.Enum(list(PARTICIPANTS))
PARTICIPANT_REASON_DTYPE = pl.Enum(list(PARTICIPANT_REASONS))
SIDE_DTYPE = pl.Int8

TRADE_SCHEMA: Mapping[str, pl.DataType] = {
    TS: pl.Datetime("ns", "UTC"),
    SEQ: pl.Int64(),
    UNDERLYING: pl.String(),
    ROOT: pl.String(),
    EXPIRY: pl.Date(),
    STRIKE: pl.Float64(),
    RIGHT: RIGHT_DTYPE,
    PRICE: pl.Float64(),
    SIZE: pl.Int64(),
    MULTIPLIER: pl.Int32(),
    EXCHANGE: EXCHANGE_DTYPE,
    CONDITION: CONDITION_DTYPE,
    BID: pl.Float64(),
    ASK: pl.Float64(),
    BID_SIZE: pl.Int64(),
    ASK_SIZE: pl.Int64(),
    BID_EX: pl.Float64(),
    ASK_EX: pl.Float64(),
    BID_SIZE_EX: pl.Int64(),
    ASK_SIZE_EX: pl.Int64(),
    UNDERLYING_PRICE: pl.Float64(),
    SOURCE: pl.String(),
    SOURCE_ROW: pl.Int64(),
}
"""Canonical trade columns in canonical order, with their dtypes."""

TRADE_COLUMNS: tuple[str, ...] = tuple(TRADE_SCHEMA)

OPTIONAL_COLUMNS: frozenset[str] = frozenset(
    {BID, ASK, BID_SIZE, ASK_SIZE, BID_EX, ASK_EX, BID_SIZE_EX, ASK_SIZE_EX, UNDERLYING_PRICE}
)
"""Columns a vendor may not provide; :func:`conform_trades` fills them with nulls."""

CONTRACT_KEY: tuple[str, ...] = (ROOT, EXPIRY, STRIKE, RIGHT)
"""Columns identifying one option contract."""


def trade_date() -> pl.Expr:
    """Trade date in America/New_York from the UTC ``ts``, named ``date``."""
    return pl.col(TS).dt.convert_time_zone(NEW_YORK).dt.date().alias(DATE)


def condition_in(codes: Iterable[str], schema: pl.Schema | pl.LazyFrame) -> pl.Expr:
    """Whether ``condition`` is one of ``codes``, null-safe (null -> False).

    On the canonical Enum the test runs on the Enum's physical codes; a
    String column (a user's own frame) is compared as text. Pass the schema
    when testing several sets: resolving a deep lazy plan's schema is not free.

    Examples
    --------
    >>> codes = {"condition": ["AUTO", "MLET", None]}
    >>> lf = pl.LazyFrame(codes, schema={"condition": CONDITION_DTYPE})
    >>> lf.select(condition_in({"MLET"}, lf)).collect().to_series().to_list()
    [False, True, False]
    """
    wanted = sorted(codes)
    if isinstance(schema, pl.LazyFrame):
        schema = schema.collect_schema()
    if schema.get(CONDITION) == CONDITION_DTYPE:
        expr = pl.col(CONDITION).is_in(pl.Series(wanted, dtype=CONDITION_DTYPE).implode())
    else:
        expr = pl.col(CONDITION).cast(pl.String).is_in(wanted)
    return expr.fill_null(False)


def validate_columns(
    actual: Mapping[str, pl.DataType],
    expected: Mapping[str, pl.DataType],
    *,
    source: str | None = None,
    what: str = "canonical",
) -> None:
    """Check that ``actual`` has every column of ``expected`` with the same dtype.

    Parameters
    ----------
    actual
        Schema found (e.g. ``lf.collect_schema()``).
    expected
        Required column names and dtypes.
    source
        Name of the input, used in the error message.
    what
        Adjective naming the schema in messages.

    Raises
    ------
    SchemaError
        Naming every missing column, or the first column whose dtype differs
        (``column`` attribute set).
    """
    missing = [name for name in expected if name not in actual]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise SchemaError(f"missing {what} columns: {names}", source=source, column=missing[0])
    for name, dtype in expected.items():
        if actual[name] != dtype:
            raise SchemaError(
                f"expected dtype {dtype}, found {actual[name]}", source=source, column=name
            )


def beside(source: pl.LazyFrame, extra: pl.LazyFrame) -> pl.LazyFrame:
    """``source`` with ``extra``'s columns set beside it, row for row.

    A column both frames have takes ``extra``'s values and keeps its place in
    ``source``; the other new columns follow ``source``'s. Both frames must have
    the same height and row order (``extra`` is usually derived from a cached
    ``source``).

    Examples
    --------
    >>> source = pl.LazyFrame({"a": [1, 2], "b": [0, 0]})
    >>> beside(source, pl.LazyFrame({"b": [5, 6], "c": [7, 8]})).collect().rows()
    [(1, 5, 7), (2, 6, 8)]
    """
    names = source.collect_schema().names()
    added = extra.collect_schema().names()
    order = names + [c for c in added if c not in names]
    kept = source.drop(*added, strict=False)
    return pl.concat([kept, extra], how="horizontal").select(order)


def require_columns(frame: pl.LazyFrame, names: Iterable[str], *, by: str) -> None:
    """Raise :class:`SchemaError` for the first of ``names`` missing from ``frame``.

    Only the schema is resolved. ``by`` names the stage or rule that needs the
    column, so the message says why it is required.
    """
    have = frame.collect_schema()
    for name in names:
        if name not in have:
            raise SchemaError(f"required by {by} but missing", column=name)


def validate_trades(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    source: str | None = None,
    columns: Iterable[str] | None = None,
) -> pl.LazyFrame:
    """Check a frame against the canonical trade schema and return it lazily.

    Only the schema is resolved; no data is read.

    Parameters
    ----------
    trades
        Frame claimed to be canonical trades.
    source
        Name of the input, used in error messages.
    columns
        Restrict the check to these canonical columns (default: all of them).

    Returns
    -------
    pl.LazyFrame
        ``trades``, unchanged, as a LazyFrame.

    Raises
    ------
    SchemaError
        When a column is missing or has the wrong dtype.
    """
    lf = trades.lazy()
    names = TRADE_COLUMNS if columns is None else tuple(columns)
    validate_columns(lf.collect_schema(), {n: TRADE_SCHEMA[n] for n in names}, source=source)
    return lf


def conform_trades(
    trades: pl.LazyFrame | pl.DataFrame, *, source: str | None = None
) -> pl.LazyFrame:
    """Add absent optional columns as nulls and put canonical columns first.

    Extra columns (labels, enrichments) are kept after the canonical ones.

    Parameters
    ----------
    trades
        Frame with at least the required canonical columns.
    source
        Name of the input, used in error messages.

    Returns
    -------
    pl.LazyFrame
        A frame that passes :func:`validate_trades`.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> from optionsflow import schema
    >>> row = {
    ...     "ts": [dt.datetime(2026, 1, 5, 15, tzinfo=dt.timezone.utc)], "seq": [1],
    ...     "underlying": ["SPY"], "root": ["SPY"], "expiry": [dt.date(2026, 1, 16)],
    ...     "strike": [600.0], "right": ["C"], "price": [1.25], "size": [3],
    ...     "multiplier": [100], "exchange": ["XCBO"], "condition": ["AUTO"],
    ...     "source": ["example"], "source_row": [1],
    ... }
    >>> lf = pl.LazyFrame(row).with_columns(
    ...     pl.col(c).cast(schema.TRADE_SCHEMA[c]) for c in row)
    >>> out = schema.conform_trades(lf)
    >>> out.collect_schema()["bid"], len(out.collect_schema())
    (Float64, 23)
    """
    lf = trades.lazy()
    have = lf.collect_schema()
    required = {n: t for n, t in TRADE_SCHEMA.items() if n not in OPTIONAL_COLUMNS}
    validate_columns(have, required, source=source)
    fill = [pl.lit(None, dtype=TRADE_SCHEMA[n]).alias(n) for n in OPTIONAL_COLUMNS if n not in have]
    if fill:
        lf = lf.with_columns(fill)
    validate_columns(lf.collect_schema(), TRADE_SCHEMA, source=source)
    extra = [n for n in have if n not in TRADE_SCHEMA]
    return lf.select(*TRADE_COLUMNS, *extra)
