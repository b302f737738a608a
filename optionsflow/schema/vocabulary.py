"""Vocabularies and dtypes: venues, sale conditions, participants, and the canonical trade schema.

Examples
--------
>>> from optionsflow.schema import vocabulary
>>> vocabulary.TRADE_SCHEMA["right"]
Enum(categories=['C', 'P'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import polars as pl

from optionsflow.schema.names import (
    ASK,
    ASK_EX,
    ASK_SIZE,
    ASK_SIZE_EX,
    BID,
    BID_EX,
    BID_SIZE,
    BID_SIZE_EX,
    CONDITION,
    DATE,
    EXCHANGE,
    EXPIRY,
    LAST,
    MULTIPLIER,
    OPEN_INTEREST,
    PRICE,
    RIGHT,
    ROOT,
    SEQ,
    SETTLEMENT,
    SIZE,
    SOURCE,
    SOURCE_ROW,
    STRIKE,
    TS,
    UNDERLYING,
    UNDERLYING_ASK,
    UNDERLYING_BID,
    UNDERLYING_PRICE,
    VENDOR_DELTA,
    VENDOR_FORWARD,
    VENDOR_GAMMA,
    VENDOR_IV,
    VOLUME,
)

__all__ = [
    "CANCEL_CONDITIONS",
    "CHAIN_COLUMNS",
    "CHAIN_SCHEMA",
    "CONDITIONS",
    "CONDITION_DTYPE",
    "CONTRACT_KEY",
    "CROSS_CONDITIONS",
    "EXCHANGES",
    "EXCHANGE_DTYPE",
    "FLOOR_CONDITIONS",
    "ISO_CONDITIONS",
    "LATE_CONDITIONS",
    "MULTILEG_CONDITIONS",
    "OPTIONAL_COLUMNS",
    "PARTICIPANTS",
    "PARTICIPANT_DTYPE",
    "PARTICIPANT_REASONS",
    "PARTICIPANT_REASON_DTYPE",
    "RETAIL_AUCTION_CONDITIONS",
    "RIGHT_DTYPE",
    "SETTLEMENT_DTYPE",
    "SIDE_DTYPE",
    "STOCK_TIED_CONDITIONS",
    "TRADE_COLUMNS",
    "TRADE_SCHEMA",
    "Participant",
]

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

SETTLEMENT_DTYPE = pl.Enum(["AM", "PM"])
"""AM: settled on the opening prints of expiry day; PM: at the 16:00 ET close."""

CHAIN_SCHEMA: Mapping[str, pl.DataType] = {
    DATE: pl.Date(),
    TS: pl.Datetime("ns", "UTC"),
    UNDERLYING: pl.String(),
    ROOT: pl.String(),
    EXPIRY: pl.Date(),
    SETTLEMENT: SETTLEMENT_DTYPE,
    STRIKE: pl.Float64(),
    RIGHT: RIGHT_DTYPE,
    BID: pl.Float64(),
    ASK: pl.Float64(),
    BID_SIZE: pl.Int64(),
    ASK_SIZE: pl.Int64(),
    LAST: pl.Float64(),
    VOLUME: pl.Int64(),
    OPEN_INTEREST: pl.Int64(),
    VENDOR_IV: pl.Float64(),
    VENDOR_DELTA: pl.Float64(),
    VENDOR_GAMMA: pl.Float64(),
    UNDERLYING_BID: pl.Float64(),
    UNDERLYING_ASK: pl.Float64(),
    UNDERLYING_PRICE: pl.Float64(),
    VENDOR_FORWARD: pl.Float64(),
    SOURCE: pl.String(),
    SOURCE_ROW: pl.Int64(),
}
"""Canonical option-chain columns (one row per option of a snapshot), in order, with dtypes.

``date`` is the trading day the quotes belong to and ``ts`` the moment they stand for
(the snapshot time, or the day's 16:15 ET close for a snapshot taken after it)."""

CHAIN_COLUMNS: tuple[str, ...] = tuple(CHAIN_SCHEMA)
