r"""Readers of the small reference tables: sector maps, implied vols, index weights.

Each reader accepts CSV or Parquet (by suffix), checks the columns it needs,
casts them to their documented dtypes and returns a LazyFrame. Problems raise
:class:`~optionsflow.errors.SourceError` (unreadable file) or
:class:`~optionsflow.errors.SchemaError` (missing column), naming the file.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "sectors.csv"
>>> _ = path.write_text("symbol,sector\nXOM,Energy\n")
>>> read_sector_map(path).collect().row(0)
('XOM', 'Energy', None)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import SchemaError, SourceError

__all__ = ["read_index_prices", "read_sector_map", "read_vols", "read_weights", "scan_table"]


def scan_table(path: str | Path) -> pl.LazyFrame:
    """Scan a CSV (all columns as strings) or Parquet file, checking it opens."""
    p = Path(path)
    if not p.is_file():
        raise SourceError("no such file", source=str(p))
    try:
        is_parquet = p.suffix == ".parquet"
        lf = pl.scan_parquet(p) if is_parquet else pl.scan_csv(p, infer_schema=False)
        lf.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise SourceError(f"cannot read ({str(exc).splitlines()[0]})", source=str(p)) from exc
    return lf


def _typed(
    path: str | Path, columns: Mapping[str, pl.DataType], optional: tuple[str, ...] = ()
) -> pl.LazyFrame:
    lf = scan_table(path)
    have = lf.collect_schema()
    for name in columns:
        if name not in have and name not in optional:
            raise SchemaError("missing column", source=str(path), column=name)
    exprs = []
    for name, dtype in columns.items():
        col = pl.col(name) if name in have else pl.lit(None)
        if dtype == pl.Date() and have.get(name) == pl.String():
            exprs.append(col.str.to_date(strict=True).alias(name))
        else:
            exprs.append(col.cast(dtype, strict=True).alias(name))
    return lf.select(exprs)


def read_sector_map(path: str | Path) -> pl.LazyFrame:
    """Read a ``symbol, sector[, theme]`` table.

    Examples
    --------
    >>> from optionsflow.bundled import SAMPLE_FILES, sample_dir
    >>> sectors = read_sector_map(sample_dir() / SAMPLE_FILES.sectors).collect()
    >>> sectors.height, sectors.filter(pl.col("symbol") == "AMD").row(0)
    (92, ('AMD', 'Information Technology', 'AI Semiconductors'))
    """
    cols = {"symbol": pl.String(), s.SECTOR: pl.String(), s.THEME: pl.String()}
    return _typed(path, cols, optional=(s.THEME,))


def read_vols(path: str | Path) -> pl.LazyFrame:
    """Read ``date, symbol, iv`` implied vols (decimal, 0.2 = 20%).

    Examples
    --------
    A CSV is read as text and cast: dates parsed, vols as Float64.

    >>> import tempfile, pathlib
    >>> text = pl.DataFrame({"date": ["2026-11-20"], "symbol": ["SPX"], "iv": ["0.152"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "vols.csv"
    ...     text.write_csv(path)
    ...     vols = read_vols(path).collect()
    >>> vols.rows(), vols.schema["date"], vols.schema["iv"]
    ([(datetime.date(2026, 11, 20), 'SPX', 0.152)], Date, Float64)
    """
    return _typed(path, {s.DATE: pl.Date(), "symbol": pl.String(), "iv": pl.Float64()})


def read_index_prices(path: str | Path) -> pl.LazyFrame:
    """Read ``date, close`` index closes."""
    return _typed(path, {"date": pl.Date(), "close": pl.Float64()})


def read_weights(path: str | Path) -> pl.LazyFrame:
    """Read ``symbol, weight`` index weights.

    Examples
    --------
    The bundled S&P 500 members' cap weights sum to 1:

    >>> from optionsflow.bundled import SAMPLE_FILES, sample_dir
    >>> weights = read_weights(sample_dir() / SAMPLE_FILES.weights).collect()
    >>> weights.height, round(weights["weight"].sum(), 12)
    (78, 1.0)
    """
    return _typed(path, {"symbol": pl.String(), "weight": pl.Float64()})
