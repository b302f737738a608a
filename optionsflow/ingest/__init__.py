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

from __future__ import annotations

from typing import TYPE_CHECKING

from optionsflow._typing import lazy_exports

if TYPE_CHECKING:
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

_HOME = {
    "ChainCounts": "optionsflow.ingest.reference.chains",
    "ChainFormat": "optionsflow.ingest.reference.chains",
    "ChainResult": "optionsflow.ingest.reference.chains",
    "FormatOption": "optionsflow.ingest.io.sniff",
    "IngestCounts": "optionsflow.ingest.scan",
    "IngestResult": "optionsflow.ingest.scan",
    "IngestWarning": "optionsflow.ingest.scan",
    "OnInvalid": "optionsflow.ingest.scan",
    "OnInvalidChain": "optionsflow.ingest.reference.chains",
    "format_osi": "optionsflow.ingest.codes.symbology",
    "load_chain": "optionsflow.ingest.reference.chains",
    "load_trades": "optionsflow.ingest.scan",
    "parse_osi": "optionsflow.ingest.codes.symbology",
    "read_chain": "optionsflow.ingest.reference.chains",
    "read_index_prices": "optionsflow.ingest.reference.tables",
    "read_sector_map": "optionsflow.ingest.reference.tables",
    "read_vol_table": "optionsflow.ingest.reference.tables",
    "read_vols": "optionsflow.ingest.reference.tables",
    "read_weights": "optionsflow.ingest.reference.tables",
    "resolve_paths": "optionsflow.ingest.io.paths",
    "scan_canonical": "optionsflow.ingest.vendors.canonical",
    "scan_table": "optionsflow.ingest.reference.tables",
    "scan_trades": "optionsflow.ingest.scan",
}

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

if not TYPE_CHECKING:  # names load on first use; type checkers read the imports above
    __getattr__, __dir__ = lazy_exports(__name__, _HOME)
