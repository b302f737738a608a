"""Readers that turn trade files and reference tables into typed LazyFrames.

Vendor trade files (Cboe DataShop, Polygon / Massive flat files, Databento DBN)
and canonical files go through :func:`scan_trades` (lazy) or :func:`load_trades`
(eager, with rejects and counts); see ``docs/ingest.md``.
"""

from optionsflow.ingest.canonical import resolve_paths, scan_canonical
from optionsflow.ingest.scan import (
    IngestCounts,
    IngestResult,
    IngestWarning,
    OnInvalid,
    load_trades,
    scan_trades,
)
from optionsflow.ingest.sniff import FormatOption
from optionsflow.ingest.symbology import format_osi, parse_osi
from optionsflow.ingest.tables import (
    read_index_prices,
    read_sector_map,
    read_vols,
    read_weights,
    scan_table,
)

__all__ = [
    "FormatOption",
    "IngestCounts",
    "IngestResult",
    "IngestWarning",
    "OnInvalid",
    "format_osi",
    "load_trades",
    "parse_osi",
    "read_index_prices",
    "read_sector_map",
    "read_vols",
    "read_weights",
    "resolve_paths",
    "scan_canonical",
    "scan_table",
    "scan_trades",
]
