"""Vendor sale-condition codes mapped onto the OPRA vocabulary of :mod:`optionsflow.schema`.

One table per vendor, documented in ``docs/conditions.md``:

* :data:`CBOE_CONDITIONS` - ``trade_condition_id`` of Cboe DataShop / LiveVol files
  (Nanex NxCore numbering);
* :data:`POLYGON_CONDITIONS` - Polygon / Massive ``conditions`` ids (201-248);
* Databento OPRA ``trades``/``tbbo`` records carry no sale condition; they map to
  ``REGULAR`` (see :mod:`optionsflow.ingest.vendors.databento`).

A code missing from its table is not guessed: the row is rejected with the code
named. When a vendor lists several conditions on one print, the one that says
most about *how* it traded wins (:func:`condition_rank`): cancels, then the
mechanism conditions (sweeps, auctions, crosses, floor, multi-leg, stock-tied),
then extended hours, then late / out-of-sequence reports, then ``AUTO``, then
``REGULAR``; ties go to the earlier entry of :data:`~optionsflow.schema.CONDITIONS`.

Examples
--------
>>> import polars as pl
>>> codes = pl.DataFrame({"c": [0, 95, 130, 40, 999]})
>>> codes.select(cboe_condition(pl.col("c"))).to_series().to_list()
['REGULAR', 'ISOI', 'MLET', 'CANC', None]
>>> lists = pl.DataFrame({"c": [[209, 219], [], [232, 204]]})
>>> lists.select(polygon_condition(pl.col("c"))).to_series().to_list()
['ISOI', 'REGULAR', 'MLET']
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polars as pl

from optionsflow import schema as s
from optionsflow.ingest.codes.distinct import per_distinct

__all__ = [
    "CBOE_CONDITIONS",
    "CONDITION_PRIORITY",
    "POLYGON_CONDITIONS",
    "cboe_condition",
    "condition_rank",
    "polygon_condition",
    "polygon_conditions",
    "unknown_codes",
]

# Nanex NxCore trade-condition ids, as used in Cboe DataShop / LiveVol ``trade_condition_id``.
# Legacy OPRA codes without a modern vocabulary entry (AJST, STPD, SPIM, BNMK, XMPT) map to
# REGULAR; legacy package prints (SPRD, STDL, CMBO) to MLET and BWRT (option + stock) to TLET.
CBOE_CONDITIONS: Mapping[int, str] = MappingProxyType({
    0: "REGULAR",   # Regular
    2: "OSEQ",      # OutOfSeq (OPRA B)
    5: "OPNL",      # OpenReportLate
    6: "OPEN",      # OpenReportOutOfSeq (OPRA F)
    7: "OPNL",      # OpenReportInSeq (OPRA H)
    13: "LATE",     # SoldLast (OPRA D)
    18: "AUTO",     # AutoExecution (OPRA I)
    21: "REOP",     # Reopen (OPRA J)
    34: "REGULAR",  # AdjTerms (legacy OPRA K, AJST)
    35: "MLET",     # Spread (legacy OPRA L, SPRD)
    36: "MLET",     # Straddle (legacy OPRA M, STDL)
    37: "TLET",     # BuyWrite (legacy OPRA P, BWRT)
    38: "MLET",     # Combo (legacy OPRA Q, CMBO)
    39: "REGULAR",  # Stpd (legacy OPRA N, STPD)
    40: "CANC",     # Canc (OPRA A)
    41: "CNCL",     # CancLast (OPRA C)
    42: "CNCO",     # CancOpen (OPRA E)
    43: "CNOL",     # CancOnly (OPRA G)
    44: "CANC",     # CancStpd (legacy OPRA O, CSTP)
    95: "ISOI",     # IntermarketSweep (OPRA S)
    106: "REGULAR", # StoppedIM (legacy OPRA R, SPIM)
    107: "REGULAR", # Benchmark (legacy OPRA T, BNMK)
    108: "REGULAR", # TradeThruExempt (legacy OPRA X, XMPT)
    118: "EXHT",    # OPRA extended hours
    125: "SLAN", 126: "SLAI", 127: "SLCN", 128: "SLCI", 129: "SLFT",
    130: "MLET", 131: "MLAT", 132: "MLCT", 133: "MLFT", 134: "MESL",
    135: "TLAT", 136: "MASL", 137: "MFSL", 138: "TLET", 139: "TLCT",
    140: "TLFT", 141: "TESL", 142: "TASL", 143: "TFSL", 144: "CBMO",
    147: "MCTP", 148: "EXHT",
})  # fmt: skip
"""Cboe DataShop ``trade_condition_id`` -> OPRA vocabulary."""

CBOE_CANCEL_RECORDS = range(40, 45)
"""``trade_condition_id`` values of cancel records (40-44)."""

# Polygon / Massive options condition ids (``/v3/reference/conditions?asset_class=options``).
POLYGON_CONDITIONS: Mapping[int, str] = MappingProxyType({
    201: "CANC",  # Canceled
    202: "OSEQ",  # Late and Out Of Sequence
    203: "CNCL",  # Last and Canceled
    204: "LATE",  # Late
    205: "CNCO",  # Opening Trade and Canceled
    206: "OPEN",  # Opening Trade, Late, and Out Of Sequence
    207: "CNOL",  # Only Trade and Canceled
    208: "OPNL",  # Opening Trade and Late
    209: "AUTO",  # Automatic Execution
    210: "REOP",  # Reopening Trade
    219: "ISOI",  # Intermarket Sweep Order
    227: "SLAN", 228: "SLAI", 229: "SLCN", 230: "SLCI", 231: "SLFT",
    232: "MLET", 233: "MLAT", 234: "MLCT", 235: "MLFT", 236: "MESL",
    237: "TLAT", 238: "MASL", 239: "MFSL", 240: "TLET", 241: "TLCT",
    242: "TLFT", 243: "TESL", 244: "TASL", 245: "TFSL", 246: "CBMO",
    247: "MCTP", 248: "EXHT",
})  # fmt: skip
"""Polygon ``conditions`` id -> OPRA vocabulary."""

_MECHANISM = (
    "ISOI",
    *("SLAN", "SLAI", "SLCN", "SLCI", "SLFT"),
    *("MLET", "MLAT", "MLCT", "MLFT", "MESL", "MASL", "MFSL"),
    *("TLAT", "TLET", "TLCT", "TLFT", "TESL", "TASL", "TFSL", "CBMO", "MCTP"),
)
CONDITION_PRIORITY: Mapping[str, int] = MappingProxyType(
    dict.fromkeys(sorted(s.CANCEL_CONDITIONS), 0)
    | dict.fromkeys(_MECHANISM, 1)
    | {"EXHT": 2}
    | dict.fromkeys(("OSEQ", "LATE", "OPEN", "OPNL", "REOP"), 3)
    | {"AUTO": 4, "REGULAR": 5}
)
"""Which condition wins when a print carries several (lower wins)."""

_WIDTH = len(s.CONDITIONS)


def condition_rank(condition: str) -> int:
    """Sort key of a vocabulary condition: priority first, then vocabulary order.

    Examples
    --------
    >>> condition_rank("ISOI") < condition_rank("AUTO") < condition_rank("REGULAR")
    True
    """
    return CONDITION_PRIORITY[condition] * _WIDTH + s.CONDITIONS.index(condition)


def cboe_condition(code: pl.Expr) -> pl.Expr:
    """Map an integer ``trade_condition_id`` onto the vocabulary (null when unknown)."""
    return code.replace_strict(
        list(CBOE_CONDITIONS), list(CBOE_CONDITIONS.values()), default=None,
        return_dtype=s.CONDITION_DTYPE,
    )  # fmt: skip


def polygon_condition(codes: pl.Expr) -> pl.Expr:
    """Map a list of Polygon condition ids onto one vocabulary condition.

    An empty list is ``REGULAR``; a list holding any unknown id is null, and so
    is a null list.
    """
    ranks = codes.list.eval(
        pl.element().replace_strict(
            list(POLYGON_CONDITIONS),
            [condition_rank(c) for c in POLYGON_CONDITIONS.values()],
            default=None,
            return_dtype=pl.Int32,
        )
    )
    best = (
        pl.when(codes.list.len() == 0).then(condition_rank("REGULAR")).otherwise(ranks.list.min())
    )
    valid = ranks.list.drop_nulls().list.len() == codes.list.len()
    index = pl.when(valid).then(best % _WIDTH)
    return pl.lit(pl.Series(s.CONDITIONS, dtype=s.CONDITION_DTYPE)).gather(index)


POLYGON_CONDITION_DTYPE = pl.Struct({"condition": s.CONDITION_DTYPE, "unreadable": pl.Boolean()})
"""What :func:`polygon_conditions` returns."""


def _cell(text: pl.Expr) -> pl.Expr:
    ids = text.str.split(",").list.eval(pl.element().str.strip_chars().cast(pl.Int64, strict=False))
    unreadable = ids.list.drop_nulls().list.len() < ids.list.len()
    condition = pl.when(text.is_null()).then(pl.lit("REGULAR", s.CONDITION_DTYPE))
    return pl.struct(
        condition.otherwise(polygon_condition(ids)).alias("condition"),
        unreadable.fill_null(value=False).alias("unreadable"),
    )


def polygon_conditions(text: pl.Expr) -> pl.Expr:
    """Condition of a Polygon ``conditions`` cell, and whether the cell is unreadable.

    A cell holds one id or several (``"209,219"``); an empty cell is ``REGULAR``
    and an unknown id gives a null condition. A file holds few distinct cells,
    so each is parsed once (:func:`~optionsflow.ingest.codes.distinct.per_distinct`).

    Returns
    -------
    pl.Expr
        Struct of ``condition`` (the vocabulary Enum) and ``unreadable``.

    Examples
    --------
    >>> import polars as pl
    >>> cells = pl.DataFrame({"c": ["209", "219,209", None, "209,204,232", "x", "211"]})
    >>> cells.select(polygon_conditions(pl.col("c"))).unnest("c").rows()
    [('AUTO', False), ('ISOI', False), ('REGULAR', False), ('MLET', False), (None, True), (None, False)]
    """  # noqa: E501
    return per_distinct(text, _cell, return_dtype=POLYGON_CONDITION_DTYPE)


def unknown_codes(codes: pl.Expr, table: Mapping[int, str]) -> pl.Expr:
    """Join, by ``,``, the codes of a list column missing from ``table`` (for messages)."""
    missing = codes.list.eval(pl.element().filter(pl.element().is_in(list(table)).not_()))
    return missing.list.eval(pl.element().cast(pl.String)).list.join(",")
