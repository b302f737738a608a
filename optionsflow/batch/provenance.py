"""Provenance of a stored day: what it was computed from, kept in its Parquet footer.

Every day file of the store carries one JSON value under the footer key
:data:`PROVENANCE_KEY` (``"optionsflow"``): the input files (path, role, size,
``mtime_ns`` and a BLAKE2b content fingerprint), the optionsflow version, the
partials schema version, hashes of the effective config and of the sector map,
and the day's accounting. It holds no timestamp of the run, so two runs over the
same inputs write identical provenance. Reading it reads only the footer.

Examples
--------
>>> import datetime as dt, pathlib, tempfile
>>> import polars as pl
>>> from optionsflow.batch.store import write_atomic
>>> from optionsflow.ingest.scan import IngestCounts
>>> prov = Provenance(day=dt.date(2026, 11, 20), inputs=(), config_hash=config_hash(None),
...                   sectors_hash=None, counts=IngestCounts(read=3, accepted=3))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "part-0.parquet"
>>> write_atomic(pl.DataFrame({"a": [1]}), path, metadata=prov.metadata())
>>> read_provenance(path) == prov
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Final, Literal

import polars as pl

from optionsflow.config import Config
from optionsflow.errors import SourceError
from optionsflow.ingest.scan import IngestCounts

__all__ = [
    "PARTIALS_SCHEMA_VERSION",
    "PROVENANCE_KEY",
    "InputFile",
    "Provenance",
    "Role",
    "code_version",
    "config_hash",
    "fingerprint",
    "read_provenance",
    "sectors_hash",
    "stat_input",
]

PROVENANCE_KEY: Final = "optionsflow"
"""The Parquet footer key holding a day file's provenance (one JSON value)."""
PARTIALS_SCHEMA_VERSION: Final = 1
"""Version of the stored partials layout; a change redoes every stored day."""
_CHUNK: Final = 1 << 20
_COUNT_FIELDS: Final = ("read", "accepted", "rejected", "cancelled", "duplicates")

Role = Literal["trades", "quotes", "partials"]
"""What an input file is to its day: trades, quotes joined to them, or imported partials."""


def _hasher() -> Any:  # noqa: ANN401 - hashlib's object type is private
    return hashlib.blake2b(digest_size=16)


def fingerprint(path: str | Path) -> str:
    """Fast content fingerprint of a file: BLAKE2b-128 over its bytes, in hex.

    Raises
    ------
    SourceError
        When the file cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "f.bin"
    >>> _ = path.write_bytes(b"abc")
    >>> fingerprint(path)
    'cf4ab791c62b8d2b2109c90275287816'
    """
    try:
        with open(path, "rb") as handle:
            return str(hashlib.file_digest(handle, _hasher).hexdigest())
    except OSError as exc:
        raise SourceError(f"cannot read ({exc.strerror})", source=str(path)) from exc


@dataclass(frozen=True)
class InputFile:
    """One input file of a day as the provenance records it."""

    path: str
    """Absolute path."""
    role: Role
    size: int
    mtime_ns: int
    fingerprint: str | None = None
    """BLAKE2b-128 of the bytes; ``None`` until computed."""

    def same_stat(self, other: InputFile) -> bool:
        """Whether path, size and modification time agree (no content is read)."""
        return (self.path, self.size, self.mtime_ns) == (other.path, other.size, other.mtime_ns)


def stat_input(path: str | Path, role: Role = "trades", *, content: bool = False) -> InputFile:
    """Describe an input file from ``os.stat`` (and its fingerprint with ``content``).

    Raises
    ------
    SourceError
        When the file is missing or unreadable.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "quotes_2026-11-20.csv"
    >>> _ = path.write_bytes(b"abc")
    >>> found = stat_input(path, "quotes", content=True)
    >>> found.role, found.size, found.fingerprint
    ('quotes', 3, 'cf4ab791c62b8d2b2109c90275287816')
    """
    absolute = os.path.abspath(path)
    try:
        st = os.stat(absolute)
    except OSError as exc:
        raise SourceError(f"cannot stat ({exc.strerror})", source=absolute) from exc
    digest = fingerprint(absolute) if content else None
    return InputFile(absolute, role, st.st_size, st.st_mtime_ns, digest)


def code_version() -> str:
    """Return the installed optionsflow version (``"unknown"`` when not installed).

    Examples
    --------
    >>> isinstance(code_version(), str)
    True
    """
    try:
        return metadata.version("optionsflow")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Provenance:
    """What a stored day was computed from (the footer value of every day file)."""

    day: dt.date
    inputs: tuple[InputFile, ...]
    config_hash: str
    sectors_hash: str | None
    counts: IngestCounts
    optionsflow_version: str = dataclasses.field(default_factory=code_version)
    schema_version: int = PARTIALS_SCHEMA_VERSION

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no whitespace): equal provenance, equal text."""
        value = {
            "day": self.day.isoformat(),
            "inputs": [dataclasses.asdict(f) for f in self.inputs],
            "config_hash": self.config_hash,
            "sectors_hash": self.sectors_hash,
            "counts": {name: getattr(self.counts, name) for name in _COUNT_FIELDS},
            "optionsflow_version": self.optionsflow_version,
            "schema_version": self.schema_version,
        }
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    def metadata(self) -> dict[str, str]:
        """Return the Parquet footer key-value pair of this provenance."""
        return {PROVENANCE_KEY: self.to_json()}

    @classmethod
    def from_json(cls, text: str) -> Provenance:
        """Parse :meth:`to_json` output.

        Raises
        ------
        ValueError, KeyError, TypeError
            When the text is not a provenance value.
        """
        value = json.loads(text)
        inputs = tuple(InputFile(**f) for f in value["inputs"])
        counts = IngestCounts(**{name: int(value["counts"][name]) for name in _COUNT_FIELDS})
        return cls(
            day=dt.date.fromisoformat(value["day"]),
            inputs=inputs,
            config_hash=str(value["config_hash"]),
            sectors_hash=value["sectors_hash"],
            counts=counts,
            optionsflow_version=str(value["optionsflow_version"]),
            schema_version=int(value["schema_version"]),
        )


def read_provenance(path: str | Path) -> Provenance | None:
    """Read a day file's provenance from its Parquet footer only; ``None`` if the file is absent.

    Raises
    ------
    SourceError
        When the file is not Parquet or its footer holds no readable provenance.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> read_provenance(folder / "missing.parquet") is None
    True
    >>> pl.DataFrame({"a": [1]}).write_parquet(folder / "bare.parquet")
    >>> read_provenance(folder / "bare.parquet")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    optionsflow.errors.SourceError: ...bare.parquet: no optionsflow provenance in the Parquet footer
    """
    target = Path(path)
    if not target.is_file():
        return None
    try:
        meta = pl.read_parquet_metadata(target)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise SourceError("not a readable Parquet file", source=str(target)) from exc
    text = meta.get(PROVENANCE_KEY)
    if text is None:
        raise SourceError("no optionsflow provenance in the Parquet footer", source=str(target))
    try:
        return Provenance.from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(
            "unreadable provenance in the Parquet footer", source=str(target)
        ) from exc


def _digest(data: bytes) -> str:
    h = _hasher()
    h.update(data)
    return str(h.hexdigest())


def config_hash(config: Config | None) -> str:
    """Hash of the effective config: its fields as canonical JSON, BLAKE2b-128.

    Examples
    --------
    >>> from optionsflow.config import Config
    >>> config_hash(None) == config_hash(Config())
    True
    >>> config_hash(Config.from_mapping({"participant": {"block_size": 250}})) == config_hash(None)
    False
    """
    fields: Mapping[str, Any] = dataclasses.asdict(config or Config())
    return _digest(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode())


def sectors_hash(sectors: pl.LazyFrame | pl.DataFrame | None) -> str | None:
    """Content hash of a sector map (column names, dtypes and rows, in order); ``None`` for none.

    Row order counts because the first row of a repeated symbol wins.

    Examples
    --------
    >>> a = pl.DataFrame({"symbol": ["XOM"], "sector": ["Energy"]})
    >>> sectors_hash(a) == sectors_hash(a.lazy()), sectors_hash(None)
    (True, None)
    >>> sectors_hash(a) == sectors_hash(a.with_columns(sector=pl.lit("Materials")))
    False
    """
    if sectors is None:
        return None
    frame = sectors.lazy().collect()
    h = _hasher()
    h.update(json.dumps([[n, str(t)] for n, t in frame.schema.items()]).encode())
    h.update(frame.write_csv(null_value="\\N").encode())
    return str(h.hexdigest())
