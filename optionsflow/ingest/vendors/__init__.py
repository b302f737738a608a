"""Vendor adapters: one module per input format, registered in :data:`VENDORS`.

Each adapter parses one file leniently into the canonical columns and lists the checks
its rows must pass (a :class:`~optionsflow.ingest.accounting.ParsedFile`); the accounting
and the quarantine are shared. A new vendor is one module with a ``parse_<vendor>``
function of the :data:`Parse` shape, plus one line in :data:`VENDORS` (and its header
signature, when it is a CSV format recognised by its column names).

Examples
--------
>>> sorted(VENDORS)
['canonical', 'cboe', 'databento', 'polygon']
>>> VENDORS["polygon"].takes_quotes, VENDORS["cboe"].takes_quotes
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal, Protocol

from optionsflow.ingest.accounting import ParsedFile
from optionsflow.ingest.io.sniff import Format, Sniffed
from optionsflow.ingest.vendors.canonical import parse_canonical
from optionsflow.ingest.vendors.cboe import parse_cboe
from optionsflow.ingest.vendors.databento import parse_databento
from optionsflow.ingest.vendors.polygon import parse_polygon

__all__ = ["SIGNATURES", "VENDORS", "Parse", "Vendor"]


class Parse(Protocol):
    """The shape of every adapter: a file and what sniffing found, to a parsed file."""

    def __call__(
        self,
        path: Path,
        found: Sniffed,
        *,
        quotes: Sequence[Path] = (),
        on_failure: Literal["raise", "record"] = "raise",
    ) -> ParsedFile:
        """Parse ``path`` leniently; quotes are joined as of each trade where supported."""
        ...


@dataclass(frozen=True)
class Vendor:
    """One registered input format."""

    parse: Parse
    takes_quotes: bool = False
    """Whether quote files may be joined to this vendor's trades."""
    signature: frozenset[str] = frozenset()
    """Header columns that identify a CSV of this format (empty: recognised by magic bytes)."""


VENDORS: Mapping[Format, Vendor] = MappingProxyType({
    "cboe": Vendor(parse_cboe, signature=frozenset({"underlying_symbol", "quote_datetime"})),
    "polygon": Vendor(parse_polygon, takes_quotes=True,
                      signature=frozenset({"ticker", "sip_timestamp"})),
    "databento": Vendor(parse_databento, takes_quotes=True),
    "canonical": Vendor(parse_canonical, signature=frozenset({"ts", "condition", "source_row"})),
})  # fmt: skip
"""Every input format, by the name ``format=`` takes."""

SIGNATURES: tuple[tuple[Format, frozenset[str]], ...] = tuple(
    (name, vendor.signature) for name, vendor in VENDORS.items() if vendor.signature
)
"""CSV header signatures in the order :func:`~optionsflow.ingest.io.sniff.sniff` tries them."""
