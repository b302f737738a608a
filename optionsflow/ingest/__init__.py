"""Readers that turn trade files and reference tables into typed LazyFrames.

Vendor trade files (Cboe DataShop, Polygon / Massive flat files, Databento DBN)
and canonical files go through :func:`scan_trades` (lazy) or :func:`load_trades`
(eager, with rejects and counts); see ``docs/ingest.md``.

The rooms: ``io/`` (paths and file days, compression, sniffing, CSV scans, located
errors; knows no vendor), ``vendors/`` (one adapter per format, registered in
:data:`~optionsflow.ingest.vendors.VENDORS`), ``codes/`` (conditions, venues,
symbology), ``reference/`` (vols, weights, sector maps, index histories, option chains),
:mod:`~optionsflow.ingest.accounting` (every row accepted, rejected, cancelled or
duplicate), :mod:`~optionsflow.ingest.asof` (quotes joined as of each trade) and
:mod:`~optionsflow.ingest.scan` (``scan_trades`` / ``load_trades``).
"""

from optionsflow.ingest.codes.symbology import format_osi, parse_osi
from optionsflow.ingest.io.paths import resolve_paths
from optionsflow.ingest.io.sniff import FormatOption
from optionsflow.ingest.reference.chains import (
    ChainCounts,
    ChainFormat,
    ChainResult,
    OnInvalidChain,
    load_chain,
    read_chain,
)
from optionsflow.ingest.reference.tables import (
    read_index_prices,
    read_sector_map,
    read_vol_table,
    read_vols,
    read_weights,
    scan_table,
)
from optionsflow.ingest.scan import (
    IngestCounts,
    IngestResult,
    IngestWarning,
    OnInvalid,
    load_trades,
    scan_trades,
)
from optionsflow.ingest.vendors.canonical import scan_canonical

__all__ = [
    "ChainCounts",
    "ChainFormat",
    "ChainResult",
    "FormatOption",
    "IngestCounts",
    "IngestResult",
    "IngestWarning",
    "OnInvalid",
    "OnInvalidChain",
    "format_osi",
    "load_chain",
    "load_trades",
    "parse_osi",
    "read_chain",
    "read_index_prices",
    "read_sector_map",
    "read_vol_table",
    "read_vols",
    "read_weights",
    "resolve_paths",
    "scan_canonical",
    "scan_table",
    "scan_trades",
]
