"""Canonical trade files: Parquet written in :mod:`optionsflow.schema`.

Paths may be files, directories (every ``*.parquet`` below them, sorted) or
glob patterns. The schema of every file is checked before any data is read,
so a file of the wrong shape fails at once with its name and the column.

Examples
--------
>>> from optionsflow.ingest.canonical import resolve_paths
>>> resolve_paths(["/no/such/trades.parquet"])
Traceback (most recent call last):
...
optionsflow.errors.SourceError: /no/such/trades.parquet: no such file or directory
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Sequence
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import SchemaError, SourceError

__all__ = ["resolve_paths", "scan_canonical"]

_GLOB_CHARS = frozenset("*?[")


def resolve_paths(
    paths: str | Path | Iterable[str | Path], *, suffix: str = ".parquet"
) -> list[Path]:
    """Expand files, directories and globs into a sorted list of files.

    Raises
    ------
    SourceError
        When a path does not exist, a directory or glob matches no file, or
        nothing at all was given.
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise SourceError("no input paths given")
    found: list[Path] = []
    for item in items:
        text = str(item)
        if _GLOB_CHARS & set(text):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))
            if not matches:
                raise SourceError("pattern matches no file", source=text)
            found.extend(m for m in matches if m.is_file())
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob(f"*{suffix}") if p.is_file())
            if not files:
                raise SourceError(f"directory holds no {suffix} file", source=text)
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise SourceError("no such file or directory", source=text)
    return found


def _scan_one(path: Path) -> pl.LazyFrame:
    """Scan one Parquet file and check its schema (metadata only)."""
    try:
        lf = pl.scan_parquet(path)
        have = lf.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(f"not a readable Parquet file ({first_line})", source=str(path)) from exc
    s.validate_columns(have, _required(), source=str(path))
    return s.conform_trades(lf, source=str(path))


def _required() -> dict[str, pl.DataType]:
    return {n: t for n, t in s.TRADE_SCHEMA.items() if n not in s.OPTIONAL_COLUMNS}


def scan_canonical(paths: str | Path | Sequence[str | Path]) -> pl.LazyFrame:
    """Lazily read canonical trade Parquet files as one frame.

    Parameters
    ----------
    paths
        Files, directories or glob patterns.

    Returns
    -------
    pl.LazyFrame
        Trades in canonical column order (missing optional columns as
        nulls); extra columns (e.g. ground-truth labels) are kept when every
        file has them.

    Raises
    ------
    SourceError
        For a missing path or an unreadable file.
    SchemaError
        For a file lacking a canonical column or holding one of the wrong
        dtype (``source`` and ``column`` set).
    """
    frames = [_scan_one(p) for p in resolve_paths(paths)]
    if len(frames) == 1:
        return frames[0]
    common = set.intersection(*(set(f.collect_schema().names()) for f in frames))
    order = [c for c in frames[0].collect_schema().names() if c in common]
    try:
        return pl.concat([f.select(order) for f in frames], how="vertical")
    except pl.exceptions.SchemaError as exc:  # extra columns that disagree in dtype
        raise SchemaError(f"files disagree on column dtypes ({exc})") from exc
