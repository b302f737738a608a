"""Readers that turn trade files and reference tables into typed LazyFrames."""

from optionsflow.ingest.canonical import resolve_paths, scan_canonical
from optionsflow.ingest.tables import (
    read_index_prices,
    read_sector_map,
    read_vols,
    read_weights,
    scan_table,
)

__all__ = [
    "read_index_prices",
    "read_sector_map",
    "read_vols",
    "read_weights",
    "resolve_paths",
    "scan_canonical",
    "scan_table",
]
