r"""Reader of Cboe's own index history files, ``<SYMBOL>_History.csv``.

Cboe publishes every index's daily history as a small CSV
(``https://cdn.cboe.com/api/global/us_indices/daily_prices/<SYMBOL>_History.csv``)
in one of two layouts, values in **index points** and dates ``MM/DD/YYYY``::

    DATE,OPEN,HIGH,LOW,CLOSE          (VIX, COR1M, VIX9D, VXAPL, ...)
    01/02/1990,17.24,17.24,17.24,17.24

    DATE,VIXEQ                        (VIXEQ, DSPX, ...: one value a day)
    06/19/2014,20.78

**Which index a file holds.** A one-value file names it in its header (``DSPX``);
an ``OPEN,HIGH,LOW,CLOSE`` file does not, so the index is the word before
``_History`` in the file name, case-insensitive (``VIX_History.csv`` -> ``VIX``,
``cboe_cor1m_history.csv`` -> ``COR1M``); the close is the day's value. Only the
indexes in :data:`CBOE_INDEXES` (and the ``VIX<n><D|M|Y>`` and ``COR<n><D|M|Y>``
families) are read, because the symbol decides the unit conversion:

- **vol** indexes (VIX, VXN, VXAPL, ...) are the 30-day (or named tenor) implied
  vol of one underlying, in vol points: ``iv = points / 100`` (23.2 -> 0.232),
  with ``symbol`` the underlying (``VIX`` -> ``SPX``, ``VXAPL`` -> ``AAPL``);
- **constituent vol** (VIXEQ): the cap-weighted vol of the S&P 500 members, the
  ``weighted_iv`` of :func:`~optionsflow.correlation.dispersion_index`, ``/ 100``;
- **correlation** (COR1M, COR3M, ...): implied correlation in points, ``/ 100``;
- **dispersion** (DSPX): vol points, ``/ 100`` (the decimal ``dispersion`` column).

Files are read eagerly and strictly: every cell is parsed, a bad one fails with
its file, row and column (:class:`~optionsflow.errors.ParseError`); a repeated
date, a value out of range or an index of no known kind is refused.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "VIX_History.csv"
>>> _ = path.write_text("DATE,OPEN,HIGH,LOW,CLOSE\n03/27/2026,27.54,31.65,27.54,31.05\n")
>>> cboe_index(path).symbol, cboe_index(path).kind
('VIX', 'vol')
>>> read_cboe_history(path).collect().rows()
[(datetime.date(2026, 3, 27), 'VIX', 31.05)]
>>> read_history_vols(path).collect().rows()
[(datetime.date(2026, 3, 27), 'SPX', 0.3105)]
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import re
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import ParseError, SchemaError, SourceError, ValidationError
from optionsflow.ingest.reference.cboe_indexes import RANGE, CboeIndex, index_of

__all__ = [
    "CLOSE",
    "cboe_index",
    "history_note",
    "is_cboe_history",
    "read_cboe_history",
    "read_history_vols",
]

CLOSE = "close"
"""The day's value in index points (``CLOSE``, or the one value column)."""
_OHLC = ("DATE", "OPEN", "HIGH", "LOW", "CLOSE")
_NAME = re.compile(r"(?:^|[_\-. ])([A-Za-z0-9]+)_history$", re.IGNORECASE)
_VALUE_HEADER = re.compile(r"^[A-Z][A-Z0-9]*$")


def _named(path: Path) -> str | None:
    """Return the index a file's name gives (``VIX_History.csv`` -> ``VIX``), upper case."""
    named = _NAME.search(path.name.removesuffix(".csv").removesuffix(".CSV"))
    return named[1].upper() if named else None


def _header(path: Path) -> list[str] | None:
    """Return the first line's fields when they are a Cboe history header, else None."""
    try:  # the first line only: a bad byte further down is the parser's to locate
        with path.open("rb") as fh:
            first = fh.readline(200).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    fields = [f.strip() for f in first.strip().split(",")]
    if tuple(fields) == _OHLC:
        return fields
    if len(fields) == 2 and fields[0] == "DATE" and _VALUE_HEADER.match(fields[1]):
        # DATE,<SYMBOL>: a Cboe index, or a file named for it (SKEW_History.csv, refused later
        # by name); a user's own DATE,IV table is neither, and reads as a vol table
        try:
            index_of(fields[1])
        except SchemaError:
            return fields if _named(path) == fields[1] else None
        return fields
    return None


def is_cboe_history(path: str | Path) -> bool:
    r"""Whether ``path`` starts with a Cboe history header (``DATE,OPEN,...`` or ``DATE,<SYMBOL>``).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "DSPX_History.csv"
    >>> _ = path.write_text("DATE,DSPX\n03/27/2026,31.87\n")
    >>> is_cboe_history(path), is_cboe_history(path.parent)
    (True, False)
    """
    p = Path(path)
    return p.is_file() and _header(p) is not None


def cboe_index(path: str | Path) -> CboeIndex:
    r"""Which index a history file holds: its header's symbol, else the file name's.

    Raises
    ------
    SourceError
        When the file does not exist.
    SchemaError
        When it is not a Cboe history file, its index is not named (an
        ``OPEN,HIGH,LOW,CLOSE`` file not called ``<SYMBOL>_History.csv``), its
        header and name disagree, or the index is of no known kind.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cboe_cor1m_history.csv"
    >>> _ = path.write_text("DATE,OPEN,HIGH,LOW,CLOSE\n06/16/2026,7.88,9.4,7.81,9.4\n")
    >>> index = cboe_index(path)
    >>> index.symbol, index.kind, index.underlying
    ('COR1M', 'correlation', 'SPX')
    """
    p = Path(path)
    source = str(p)
    if not p.is_file():
        raise SourceError("no such file", source=source)
    header = _header(p)
    if header is None:
        raise SchemaError(
            "not a Cboe index history: expected header DATE,OPEN,HIGH,LOW,CLOSE or DATE,<SYMBOL>",
            source=source,
        )
    from_name = _named(p)
    if len(header) == 2:
        if from_name is not None and from_name != header[1]:
            raise SchemaError(
                f"the header names {header[1]} but the file name {from_name}",
                source=source,
                column=header[1],
            )
        return index_of(header[1], source=source)
    if from_name is None:
        raise SchemaError(
            "a DATE,OPEN,HIGH,LOW,CLOSE history names its index in the file name: "
            "call it <SYMBOL>_History.csv, as Cboe does (VIX_History.csv)",
            source=source,
        )
    return index_of(from_name, source=source)


def _value(raw: str, *, source: str, row: int, column: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ParseError(
            "expected a number", source=source, row=row, column=column, value=raw
        ) from None
    if not math.isfinite(value):
        raise ParseError("expected a finite number", source=source, row=row, column=column,
                         value=raw)  # fmt: skip
    return value


@functools.lru_cache(maxsize=16)
def _parse(source: str, _stamp: tuple[int, int]) -> tuple[tuple[dt.date, float], ...]:
    """(date, close) rows of one file; cached by path, size and modification time."""
    index = cboe_index(source)
    rows: list[tuple[dt.date, float]] = []
    seen: dict[dt.date, int] = {}
    low, high, closed = RANGE[index.kind]
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read ({exc.strerror})", source=source) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # the header is line 0, so the line number is the data row
        row = data[: exc.start].count(b"\n")
        bad = data[exc.start : exc.end]
        raise ParseError("invalid UTF-8 bytes", source=source, row=row, value=repr(bad)) from None
    with io.StringIO(text, newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader)]
        value_column = header[-1]
        for row, fields in enumerate(reader, start=1):
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise ParseError(
                    f"expected {len(header)} fields, got {len(fields)}", source=source, row=row
                )
            try:
                day = dt.datetime.strptime(fields[0].strip(), "%m/%d/%Y").date()
            except ValueError:
                raise ParseError("expected a date MM/DD/YYYY", source=source, row=row,
                                 column="DATE", value=fields[0]) from None  # fmt: skip
            values = [
                _value(raw.strip(), source=source, row=row, column=column)
                for column, raw in zip(header[1:], fields[1:], strict=True)
            ]  # every column must be a number; the last is the index's value
            value = values[-1]
            if not (low < value <= high or (closed and value == low)):
                raise ValidationError(
                    f"{index.symbol} out of range: expected points in "
                    f"{'[' if closed else '('}{low:g}, {high:g}]",
                    source=source, row=row, column=value_column, value=fields[-1].strip(),
                )  # fmt: skip
            if day in seen:
                raise ValidationError(
                    f"date repeated (first on row {seen[day]})",
                    source=source, row=row, column="DATE", value=fields[0].strip(),
                )  # fmt: skip
            seen[day] = row
            rows.append((day, value))
    if not rows:
        raise ValidationError("no data rows", source=source)
    return tuple(rows)


def _rows(path: str | Path) -> tuple[tuple[dt.date, float], ...]:
    p = Path(path)
    if not p.is_file():
        raise SourceError("no such file", source=str(p))
    stat = p.stat()
    return _parse(str(p), (stat.st_size, stat.st_mtime_ns))


def read_cboe_history(path: str | Path) -> pl.LazyFrame:
    r"""Read a Cboe index history as ``date, symbol, close`` (index points, as published).

    Parameters
    ----------
    path
        A ``<SYMBOL>_History.csv`` file (either layout).

    Returns
    -------
    pl.LazyFrame
        ``date`` (Date), ``symbol`` (the index, String), ``close`` (Float64, points),
        sorted by date.

    Raises
    ------
    SourceError, SchemaError
        As for :func:`cboe_index`.
    ParseError
        When a cell is not a date ``MM/DD/YYYY`` or a finite number (file, row, column).
    ValidationError
        When a date repeats, a value is out of range, or there is no data row.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "DSPX_History.csv"
    >>> _ = path.write_text("DATE,DSPX\n03/27/2026,31.87\n03/26/2026,31.56\n")
    >>> read_cboe_history(path).collect()["close"].to_list()
    [31.56, 31.87]
    """
    index = cboe_index(path)
    rows = _rows(path)
    frame = pl.DataFrame(
        {s.DATE: [r[0] for r in rows], CLOSE: [r[1] for r in rows]},
        schema={s.DATE: pl.Date(), CLOSE: pl.Float64()},
    )
    return (
        frame.sort(s.DATE)
        .select(s.DATE, pl.lit(index.symbol, pl.String()).alias(s.SYMBOL), CLOSE)
        .lazy()
    )


def read_history_vols(path: str | Path, *, tenor_days: int | None = None) -> pl.LazyFrame:
    r"""Read a Cboe vol index history as ``date, symbol, iv``: the underlying's vol, decimal.

    ``iv = CLOSE / 100`` and ``symbol`` is the underlying (``VIX`` -> ``SPX``,
    ``VXAPL`` -> ``AAPL``), so the file reads as the vol table of the
    correlation stages.

    With ``tenor_days`` the index must be of that tenor (VIX is 30 days, VIX9D 9):
    vols of two tenors in one correlation would be a silent mismatch.

    Raises
    ------
    ValidationError
        When the index is not a vol of one underlying (COR1M, DSPX, VIXEQ): those are
        compared with, not read as, vols; or not of ``tenor_days``. Otherwise as
        :func:`read_cboe_history`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "VXAPL_History.csv"
    >>> _ = path.write_text("DATE,OPEN,HIGH,LOW,CLOSE\n05/09/2022,41.56,44.58,41.56,43.41\n")
    >>> read_history_vols(path).collect().rows()
    [(datetime.date(2022, 5, 9), 'AAPL', 0.4341)]
    """
    index = cboe_index(path)
    if index.kind != "vol":
        raise ValidationError(
            f"{index.symbol} is the {index.what}, not the vol of one underlying; "
            "compare our results with it instead (optionsflow corr --compare)",
            source=str(path),
        )
    if tenor_days is not None and index.days != tenor_days:
        raise ValidationError(
            f"{index.symbol} is a {index.days}-day vol; the vols asked for are "
            f"{tenor_days}-day (--tenor iv{tenor_days}): give a {tenor_days}-day index",
            source=str(path),
        )
    return read_cboe_history(path).select(
        s.DATE,
        pl.lit(index.underlying, pl.String()).alias(s.SYMBOL),
        (pl.col(CLOSE) / index.scale).alias(s.IV),
    )


def history_note(path: str | Path) -> str | None:
    r"""Say how a Cboe history file is converted, in one sentence; None for other files.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "VIX_History.csv"
    >>> _ = path.write_text("DATE,OPEN,HIGH,LOW,CLOSE\n03/27/2026,27.54,31.65,27.54,23.2\n")
    >>> print(history_note(path).replace(", read", ",\nread"))
    VIX_History.csv: Cboe VIX (30-day implied vol of the S&P 500) in index points,
    read as SPX iv = CLOSE / 100 (23.2 -> 0.232 on 2026-03-27)
    """
    p = Path(path)
    if not is_cboe_history(p):
        return None
    index = cboe_index(p)
    day, last = max(_rows(p))
    column = "CLOSE" if len(_header(p) or ()) == len(_OHLC) else index.symbol
    target = {
        "vol": f"{index.underlying} iv",
        "constituent_vol": "weighted_iv",
        "correlation": "implied_correlation",
        "dispersion": "dispersion",
    }[index.kind]
    return (
        f"{p.name}: Cboe {index.symbol} ({index.what}) in index points, read as "
        f"{target} = {column} / {index.scale:g} ({last:g} -> {last / index.scale:g} on {day})"
    )
