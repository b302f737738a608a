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
from optionsflow.errors import SchemaError, SourceError, ValidationError
from optionsflow.ingest.reference.cboe_history import is_cboe_history, read_history_vols
from optionsflow.ingest.reference.cboe_iv import TENOR_DAYS, Tenor, read_cboe_iv_index
from optionsflow.ingest.reference.rules import in_range, no_nulls, parsed, unique_key

__all__ = [
    "index_symbol",
    "read_index_prices",
    "read_rate_curve",
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


def _read(
    path: str | Path, columns: Mapping[str, pl.DataType], optional: tuple[str, ...] = ()
) -> tuple[pl.DataFrame, str]:
    """Read a whole reference table, parse ``columns`` (located), return it with its name."""
    source = str(path)
    lf = scan_table(path)
    have = lf.collect_schema()
    for name in columns:
        if name not in have and name not in optional:
            raise SchemaError("missing column", source=source, column=name)
    present = [n for n in columns if n in have]
    try:
        raw = lf.select(present).collect()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise SourceError(f"cannot read ({str(exc).splitlines()[0]})", source=source) from exc
    frame = parsed(raw, {n: columns[n] for n in present}, source=source)
    missing = [pl.lit(None, columns[n]).alias(n) for n in columns if n not in have]
    return frame.with_columns(missing).select(list(columns)), source


def _symbols(column: str = s.SYMBOL) -> pl.Expr:
    """Symbols as a vendor writes them, normalised: trimmed, upper case, no index caret."""
    return pl.col(column).str.strip_chars().str.to_uppercase().str.strip_prefix("^")


def index_symbol(text: str) -> str:
    """Normalise a symbol given by hand (``--index``) as the table readers normalise theirs.

    Examples
    --------
    >>> index_symbol(" ^spx ")
    'SPX'
    """
    return text.strip().upper().removeprefix("^")


def read_sector_map(path: str | Path) -> pl.LazyFrame:
    """Read a ``symbol, sector[, theme]`` table.

    Examples
    --------
    >>> from optionsflow.bundled import SAMPLE_FILES, sample_dir
    >>> sectors = read_sector_map(sample_dir() / SAMPLE_FILES.sectors).collect()
    >>> sectors.height, sectors.filter(pl.col("symbol") == "AMD").row(0)
    (514, ('AMD', 'Information Technology', 'AI Semiconductors'))
    """
    cols = {s.SYMBOL: pl.String(), s.SECTOR: pl.String(), s.THEME: pl.String()}
    frame, source = _read(path, cols, optional=(s.THEME,))
    no_nulls(frame, [s.SYMBOL, s.SECTOR], source=source)
    frame = frame.with_columns(_symbols(), pl.col(s.SECTOR, s.THEME).str.strip_chars())
    unique_key(frame, [s.SYMBOL], source=source)
    return frame.lazy()


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
    frame, source = _read(path, {s.DATE: pl.Date(), s.SYMBOL: pl.String(), s.IV: pl.Float64()})
    return _checked_vols(frame.with_columns(_symbols()), source).lazy()


def read_rate_curve(path: str | Path) -> pl.DataFrame:
    r"""Read a ``tenor_days, rate`` table (rates decimal, continuously compounded).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rates.csv"
    >>> _ = path.write_text("tenor_days,rate\n30,0.0012\n90,0.0025\n")
    >>> read_rate_curve(path).rows()
    [(30.0, 0.0012), (90.0, 0.0025)]
    """
    frame, source = _read(path, {s.TENOR_DAYS: pl.Float64(), s.RATE: pl.Float64()})
    no_nulls(frame, [s.TENOR_DAYS, s.RATE], source=source)
    unique_key(frame, [s.TENOR_DAYS], source=source)
    in_range(frame, s.TENOR_DAYS, source=source, low=0.0, low_open=False)
    in_range(frame, s.RATE, source=source, low=-1.0, high=1.0)
    return frame.sort(s.TENOR_DAYS)


def read_index_prices(path: str | Path) -> pl.LazyFrame:
    r"""Read ``date, close`` index closes, with an optional ``symbol`` column.

    With a ``symbol`` column one file may hold several indices, and the story
    names the index only when its closes are there (``symbol`` is null when
    the file has no such column). Dates are unique per symbol; closes must be
    finite and positive.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "closes.csv"
    >>> _ = path.write_text("date,symbol,close\n2026-11-20,spx,6602.99\n")
    >>> read_index_prices(path).collect().rows()
    [(datetime.date(2026, 11, 20), 'SPX', 6602.99)]
    """
    cols = {s.DATE: pl.Date(), s.SYMBOL: pl.String(), s.CLOSE: pl.Float64()}
    frame, source = _read(path, cols, optional=(s.SYMBOL,))
    no_nulls(frame, [s.DATE, s.CLOSE], source=source)
    frame = frame.with_columns(_symbols())
    named = frame[s.SYMBOL].null_count() < frame.height
    unique_key(frame, [s.SYMBOL, s.DATE] if named else [s.DATE], source=source)
    in_range(frame, s.CLOSE, source=source, low=0.0)
    return frame.lazy()


def read_weights(path: str | Path) -> pl.LazyFrame:
    r"""Read ``symbol, weight[, date]`` index weights.

    Without a ``date`` column the weights are static (``symbol, weight``); with
    one they are dated (``date, symbol, weight``): snapshots, each applying
    from its date until the next (:mod:`~optionsflow.correlation.snapshots`).

    Raises
    ------
    SourceError
        When the file is missing or unreadable.
    SchemaError
        When ``symbol`` or ``weight`` is missing.

    Examples
    --------
    The bundled S&P 500 weights are dated: 500 members' cap weights in each
    of 19 snapshots, each summing to 1:

    >>> from optionsflow.bundled import SAMPLE_FILES, sample_dir
    >>> weights = read_weights(sample_dir() / SAMPLE_FILES.weights).collect()
    >>> sums = weights.group_by("date").agg(pl.len(), pl.col("weight").sum().round(12))
    >>> sums.height, sums["len"].unique().to_list(), sums["weight"].unique().to_list()
    (19, [500], [1.0])

    A ``date`` column makes them dated:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "weights.csv"
    >>> _ = path.write_text("date,symbol,weight\n2026-11-20,AAPL,0.6\n2026-11-20,MSFT,0.4\n")
    >>> read_weights(path).collect().rows()[0]
    (datetime.date(2026, 11, 20), 'AAPL', 0.6)
    """
    columns: dict[str, pl.DataType] = {s.SYMBOL: pl.String(), s.WEIGHT: pl.Float64()}
    if s.DATE in scan_table(path).collect_schema():
        columns = {s.DATE: pl.Date(), **columns}
    frame, source = _read(path, columns)
    no_nulls(frame, list(columns), source=source)
    frame = frame.with_columns(_symbols())
    unique_key(frame, [c for c in (s.DATE, s.SYMBOL) if c in columns], source=source)
    in_range(frame, s.WEIGHT, source=source, low=0.0, low_open=False)
    dates = [s.DATE] if s.DATE in columns else []
    totals = (
        frame.group_by(dates or pl.lit(0)).agg(pl.col(s.WEIGHT).sum()).filter(pl.col(s.WEIGHT) <= 0)
    )
    if totals.height:
        when = f" on {totals[s.DATE][0]}" if dates else ""
        raise ValidationError(
            f"weights sum to 0{when}: no index to weigh", source=source, column=s.WEIGHT
        )
    return frame.lazy()


def read_vol_table(
    paths: str | Path | Sequence[str | Path], *, tenor: Tenor = "iv30"
) -> pl.LazyFrame:
    r"""Read implied vols from ``date[, symbol], iv`` tables, Cboe IV Indexes or index histories.

    Each file is recognised by its header: a Cboe DataShop "IV Indexes" file
    (header starting ``underlying_symbol,quote_datetime,iv30``) is read with
    :func:`~optionsflow.ingest.reference.cboe_iv.read_cboe_iv_index` at
    ``tenor``; a Cboe vol index history (``VIX_History.csv``: ``DATE,OPEN,HIGH,LOW,CLOSE``
    in index points) with
    :func:`~optionsflow.ingest.reference.cboe_history.read_history_vols`
    (``iv = CLOSE / 100``, symbol the underlying: ``VIX`` -> ``SPX``); a saved
    :func:`~optionsflow.volatility.variance.variance_index` table
    (``optionsflow vix --out``: ``date``, ``underlying``, ``variance_index``) gives
    ``iv = variance_index / 100`` per underlying; anything else is a CSV or Parquet
    table with ``date``, ``iv``
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
    frames: list[tuple[Path, pl.LazyFrame]] = []
    for item in items:
        path = Path(item)
        if not path.is_file():
            raise SourceError("no such file", source=str(path))
        with path.open("rb") as fh:
            head = fh.read(len(_CBOE_IV_HEADER)).decode("utf-8", "replace")
        if head == _CBOE_IV_HEADER:
            frames.append((path, read_cboe_iv_index(path, tenor=tenor)))
            continue
        if is_cboe_history(path):
            frames.append((path, read_history_vols(path, tenor_days=TENOR_DAYS[tenor])))
            continue
        if s.VARIANCE_INDEX in scan_table(path).collect_schema():
            frames.append((path, _variance_index_vols(path)))
            continue
        columns = {s.DATE: pl.Date(), s.SYMBOL: pl.String(), s.IV: pl.Float64()}
        frame, source = _read(path, columns, optional=(s.SYMBOL,))
        frames.append((path, _checked_vols(frame.with_columns(_symbols()), source).lazy()))
    return _one_vol_per_key(frames)


def _one_vol_per_key(frames: list[tuple[Path, pl.LazyFrame]]) -> pl.LazyFrame:
    """Stack the files' vols; a (date, symbol) given by two files is an error naming both."""
    if len(frames) == 1:
        return frames[0][1]
    origin = s.private("file")
    stacked = pl.concat(
        [f.with_columns(pl.lit(str(path)).alias(origin)) for path, f in frames], how="vertical"
    ).collect()
    twice = stacked.filter(pl.struct(s.DATE, s.SYMBOL).is_duplicated())
    if twice.height:
        day, symbol = twice.row(0, named=True)[s.DATE], twice.row(0, named=True)[s.SYMBOL]
        same = twice.filter(
            (pl.col(s.DATE) == day) & pl.col(s.SYMBOL).eq_missing(pl.lit(symbol, pl.String))
        )
        files = " and ".join(same[origin].unique(maintain_order=True).to_list()) or "one file"
        who = "the index (no symbol)" if symbol is None else symbol
        raise ValidationError(
            f"two vols of {who} on {day}, from {files}: give each (date, symbol) once "
            "(VIX and VIX9D are both SPX vols; pick the tenor you mean)",
            column=s.SYMBOL,
        )
    return stacked.drop(origin).lazy()


def _variance_index_vols(path: Path) -> pl.LazyFrame:
    """Vols from a saved ``variance_index`` table (``optionsflow vix``): index points / 100."""
    columns = {s.DATE: pl.Date(), s.UNDERLYING: pl.String(), s.VARIANCE_INDEX: pl.Float64()}
    frame, source = _read(path, columns)
    frame = frame.select(
        s.DATE,
        pl.col(s.UNDERLYING).alias(s.SYMBOL),
        (pl.col(s.VARIANCE_INDEX) / 100).alias(s.IV),
    )
    return _checked_vols(frame.with_columns(_symbols()), source).lazy()


MAX_VOL = 5.0
"""Largest believable implied vol (500%); larger values are rejected."""
POINTS_MEDIAN = 2.0
"""A file whose median vol exceeds this (200%) is taken to be quoted in percentage points."""


def _checked_vols(frame: pl.DataFrame, source: str) -> pl.DataFrame:
    """Vols: every cell present, one row per (date, symbol), decimals in (0, MAX_VOL]."""
    no_nulls(frame, [s.DATE, s.IV], source=source)
    unique_key(frame, [s.DATE, s.SYMBOL], source=source)
    median = frame[s.IV].filter(frame[s.IV].is_finite()).median()
    if isinstance(median, float) and median > POINTS_MEDIAN:
        raise ValidationError(
            f"vols look quoted in percentage points (median {median:g}); give decimals "
            f"({median / 100:g} for {median:g}%)", source=source, column=s.IV,
        )  # fmt: skip
    in_range(frame, s.IV, source=source, low=0.0, high=MAX_VOL)
    return frame
