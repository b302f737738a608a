"""Vendor exchange codes mapped onto ISO 10383 MICs (documented in ``docs/ingest.md``).

Each table maps a vendor's code to a MIC. A MIC that is not (yet) in
:data:`optionsflow.schema.EXCHANGES` - MEMX Options ``MXOP``, for instance - is
known but cannot be stored in the canonical ``exchange`` Enum: such prints are
rejected with the venue named, never relabelled. A code missing from its table
is rejected as unknown.

Examples
--------
>>> import polars as pl
>>> ids = pl.DataFrame({"x": [5, 65, 3]})
>>> ids.select(exchange_mic(pl.col("x"), CBOE_EXCHANGES)).to_series().to_list()
['XCBO', 'EDGO', None]
>>> ids.select(venue_known(pl.col("x"), CBOE_EXCHANGES)).to_series().to_list()
[True, True, False]
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polars as pl

from optionsflow import schema as s

__all__ = [
    "CBOE_EXCHANGES",
    "DATABENTO_PUBLISHERS",
    "POLYGON_EXCHANGES",
    "VENUE_NAMES",
    "exchange_mic",
    "unsupported_reason",
    "unsupported_venues",
    "venue_known",
]

VENUE_NAMES: Mapping[str, str] = MappingProxyType({
    "AMXO": "NYSE American Options",
    "ARCO": "NYSE Arca Options",
    "BATO": "Cboe BZX Options",
    "C2OX": "Cboe C2 Options",
    "EDGO": "Cboe EDGX Options",
    "EMLD": "MIAX Emerald",
    "GMNI": "Nasdaq GEMX",
    "MCRY": "Nasdaq MRX",
    "MPRL": "MIAX Pearl",
    "MXOP": "MEMX Options",
    "SPHR": "MIAX Sapphire",
    "XBOX": "BOX Options",
    "XBXO": "Nasdaq BX Options",
    "XCBO": "Cboe Options",
    "XISX": "Nasdaq ISE",
    "XMIO": "MIAX Options",
    "XNDQ": "Nasdaq Options Market",
    "XPHO": "Nasdaq PHLX",
})  # fmt: skip
"""Every MIC a vendor table below can produce, with the venue's name."""

CBOE_EXCHANGES: Mapping[int, str] = MappingProxyType({
    1: "XNDQ", 4: "AMXO", 5: "XCBO", 6: "XISX", 7: "ARCO", 9: "XPHO", 11: "XBOX",
    22: "MCRY", 31: "GMNI", 42: "C2OX", 43: "XMIO", 47: "XBXO", 60: "BATO",
    65: "EDGO", 69: "MPRL", 71: "EMLD",
})  # fmt: skip
"""Cboe DataShop / LiveVol ``exchange_id`` -> MIC (Cboe's exchange table)."""

# Polygon numbers options venues 300 + the offset of the OPRA participant letter from 'A'
# (A NYSE American = 300 ... Z Cboe BZX = 325). 'O' (314) is OPRA itself, not a venue.
POLYGON_EXCHANGES: Mapping[int, str] = MappingProxyType({
    300: "AMXO",  # A
    301: "XBOX",  # B
    302: "XCBO",  # C
    303: "EMLD",  # D
    304: "EDGO",  # E
    307: "GMNI",  # H
    308: "XISX",  # I
    309: "MCRY",  # J
    312: "XMIO",  # M
    313: "ARCO",  # N
    315: "MPRL",  # P
    316: "XNDQ",  # Q
    318: "SPHR",  # S
    319: "XBXO",  # T
    320: "MXOP",  # U
    322: "C2OX",  # W
    323: "XPHO",  # X
    325: "BATO",  # Z
})  # fmt: skip
"""Polygon / Massive options ``exchange`` id -> MIC."""

DATABENTO_PUBLISHERS: Mapping[int, str] = MappingProxyType({
    20: "AMXO", 21: "XBOX", 22: "XCBO", 23: "EMLD", 24: "EDGO", 25: "GMNI", 26: "XISX",
    27: "MCRY", 28: "XMIO", 29: "ARCO", 31: "MPRL", 32: "XNDQ", 33: "XBXO", 34: "C2OX",
    35: "XPHO", 36: "BATO", 37: "MXOP", 61: "SPHR",
})  # fmt: skip
"""Databento ``OPRA.PILLAR`` ``publisher_id`` -> MIC (Databento writes PHLX as ``XPHL``)."""


def exchange_mic(code: pl.Expr, table: Mapping[int, str]) -> pl.Expr:
    """Map vendor codes to the canonical exchange Enum; null when unknown or unsupported."""
    pairs = {k: v for k, v in table.items() if v in s.EXCHANGES}
    return code.replace_strict(
        list(pairs), list(pairs.values()), default=None, return_dtype=s.EXCHANGE_DTYPE
    )


def venue_known(code: pl.Expr, table: Mapping[int, str]) -> pl.Expr:
    """Tell where ``code`` is in ``table`` (whether or not the schema has the venue)."""
    return code.is_in(list(table))


def unsupported_reason(table: Mapping[int, str]) -> str:
    """Reject reason for a known venue outside the canonical list, naming such venues.

    Examples
    --------
    >>> unsupported_reason(DATABENTO_PUBLISHERS)  # every publisher's venue is canonical
    'venue not in the canonical exchange list'
    >>> unsupported_reason({99: "XXXX"})
    'venue not in the canonical exchange list (99 = XXXX, unknown venue)'
    """
    named = ", ".join(
        f"{k} = {v}, {VENUE_NAMES.get(v, 'unknown venue')}"
        for k, v in unsupported_venues(table).items()
    )
    return "venue not in the canonical exchange list" + (f" ({named})" if named else "")


def unsupported_venues(table: Mapping[int, str]) -> dict[int, str]:
    """List the entries of ``table`` whose MIC is outside :data:`~optionsflow.schema.EXCHANGES`.

    Examples
    --------
    >>> unsupported_venues({37: "MXOP", 99: "XXXX"})
    {99: 'XXXX'}
    """
    return {k: v for k, v in table.items() if v not in s.EXCHANGES}
