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

from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import SchemaError, SourceError
from optionsflow.ingest.reference.cboe_iv import Tenor, read_cboe_iv_index

__all__ = [
    "read_index_prices",
    "read_sector_map",
    "read_vol_table",
    "read_vols",
    "read_weights",
    "scan_table",
]

_CBOE_IV_HEADER = "underlying_symbol,quote_datetime,iv30"


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
    r"""Read ``symbol, weight[, date]`` index weights.

    Without a ``date`` column the weights are static (``symbol, weight``); with
    one they are dated (``date, symbol, weight``) and the correlation stages
    join them per date.

    Raises
    ------
    SourceError
        When the file is missing or unreadable.
    SchemaError
        When ``symbol`` or ``weight`` is missing.

    Examples
    --------
    The bundled S&P 500 members' cap weights sum to 1:

    >>> from optionsflow.bundled import SAMPLE_FILES, sample_dir
    >>> weights = read_weights(sample_dir() / SAMPLE_FILES.weights).collect()
    >>> weights.height, round(weights["weight"].sum(), 12)
    (78, 1.0)

    A ``date`` column makes them dated:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "weights.csv"
    >>> _ = path.write_text("date,symbol,weight\n2026-11-20,AAPL,0.6\n2026-11-20,MSFT,0.4\n")
    >>> read_weights(path).collect().rows()[0]
    (datetime.date(2026, 11, 20), 'AAPL', 0.6)
    """
    columns: dict[str, pl.DataType] = {s.SYMBOL: pl.String(), "weight": pl.Float64()}
    if s.DATE in scan_table(path).collect_schema():
        columns = {s.DATE: pl.Date(), **columns}
    return _typed(path, columns)


def read_vol_table(
    paths: str | Path | Sequence[str | Path], *, tenor: Tenor = "iv30"
) -> pl.LazyFrame:
    r"""Read implied vols from ``date[, symbol], iv`` tables or Cboe IV Indexes files.

    Each file is recognised by its header: a Cboe DataShop "IV Indexes" file
    (header starting ``underlying_symbol,quote_datetime,iv30``) is read with
    :func:`~optionsflow.ingest.reference.cboe_iv.read_cboe_iv_index` at
    ``tenor``; anything else is a CSV or Parquet table with ``date``, ``iv``
    (decimal, 0.2 = 20%) and optionally ``symbol`` (null when absent: a file
    of one underlying, such as the index). Symbols lose Cboe's index prefix
    (``^SPX`` -> ``SPX``).

    Parameters
    ----------
    paths
        One file or several; their rows are concatenated.
    tenor
        Constant-maturity column read from Cboe IV Indexes files.

    Returns
    -------
    pl.LazyFrame
        ``date`` (Date), ``symbol`` (String, nullable), ``iv`` (Float64).

    Raises
    ------
    SourceError
        When a file is missing or unreadable, or no file is given.
    SchemaError
        When a table lacks ``date`` or ``iv``.

    Examples
    --------
    A table without a symbol column (the index's own vols) and a Cboe file:

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "spx.csv").write_text("date,iv\n2017-06-01,0.0762\n")
    >>> _ = (folder / "cboe.csv").write_text(
    ...     "underlying_symbol,quote_datetime,iv30,iv60,iv90,iv120,iv180,iv360,"
    ...     "number_of_expiry_ivs\n^SPX,2017-06-01 16:15:00,7.6230,8.6,10,11,12,14,0\n")
    >>> read_vol_table([folder / "spx.csv", folder / "cboe.csv"], tenor="iv60").collect().rows()
    [(datetime.date(2017, 6, 1), None, 0.0762), (datetime.date(2017, 6, 1), 'SPX', 0.086)]
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise SourceError("no vol files given")
    frames = []
    for item in items:
        path = Path(item)
        if not path.is_file():
            raise SourceError("no such file", source=str(path))
        with path.open("rb") as fh:
            head = fh.read(len(_CBOE_IV_HEADER)).decode("utf-8", "replace")
        if head == _CBOE_IV_HEADER:
            frames.append(read_cboe_iv_index(path, tenor=tenor))
            continue
        lf = scan_table(path)
        have = lf.collect_schema()
        for name in (s.DATE, s.IV):
            if name not in have:
                raise SchemaError("missing column", source=str(path), column=name)
        date = pl.col(s.DATE)
        date = date.str.to_date(strict=True) if have[s.DATE] == pl.String() else date.cast(pl.Date)
        symbol = pl.col(s.SYMBOL).cast(pl.String) if s.SYMBOL in have else pl.lit(None, pl.String)
        frames.append(
            lf.select(
                date.alias(s.DATE),
                symbol.str.strip_prefix("^").alias(s.SYMBOL),
                pl.col(s.IV).cast(pl.Float64, strict=True),
            )
        )
    return pl.concat(frames, how="vertical")
