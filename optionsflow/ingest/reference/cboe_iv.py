r"""Reader of Cboe DataShop "IV Indexes" end-of-day files.

Layout (one row per underlying and day; values in vol points, 7.6230 = 7.623%)::

    underlying_symbol,quote_datetime,iv30,iv60,iv90,iv120,iv180,iv360,number_of_expiry_ivs,
    {expiry_iv_date,expiry_iv_value}[number_of_expiry_ivs]

The tail is ragged: ``number_of_expiry_ivs`` (date, vol) pairs, one per listed
expiry. The readers map this onto optionsflow's vol tables: symbols lose Cboe's
index prefix (``^SPX`` -> ``SPX``), ``quote_datetime`` becomes the ``date``, and
vols become decimals (divided by 100). Empty values are null.

The files are small (one row per underlying), so they are parsed eagerly, which
lets a bad cell fail with its file, row and column
(:class:`~optionsflow.errors.ParseError`); the result is returned lazily.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "UnderlyingIVIndexesEOD_2017-06-01.csv"
>>> _ = path.write_text(
...     "underlying_symbol,quote_datetime,iv30,iv60,iv90,iv120,iv180,iv360,"
...     "number_of_expiry_ivs,{expiry_iv_date,expiry_iv_value}[number_of_expiry_ivs]\n"
...     "^SPX,2017-06-01 16:15:00,7.6230,8.6152,10.0839,11.0878,12.0056,14.3620,"
...     "2,2017-06-02,6.0267,2017-06-05,5.0306\n")
>>> read_cboe_iv_index(path).collect().rows()
[(datetime.date(2017, 6, 1), 'SPX', 0.07623)]
>>> read_cboe_iv_expiries(path).collect()["iv"].to_list()
[0.060267, 0.050306]
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow.errors import ParseError, SchemaError, SourceError
from optionsflow.schema import DATE, EXPIRY, IV, SYMBOL

__all__ = [
    "IV",
    "SYMBOL",
    "TENORS",
    "TENOR_DAYS",
    "read_cboe_iv_expiries",
    "read_cboe_iv_index",
    "read_cboe_iv_tenors",
]

TENORS: tuple[str, ...] = ("iv30", "iv60", "iv90", "iv120", "iv180", "iv360")
"""The constant-maturity columns of the layout (calendar days)."""
Tenor = Literal["iv30", "iv60", "iv90", "iv120", "iv180", "iv360"]
TENOR_DAYS: dict[str, int] = {tenor: int(tenor.removeprefix("iv")) for tenor in TENORS}
"""Each constant-maturity column's tenor in calendar days (``iv30`` -> 30)."""

_HEAD = ("underlying_symbol", "quote_datetime", *TENORS, "number_of_expiry_ivs")
_N_FIXED = len(_HEAD)
PathLike = str | Path


def _paths(path: PathLike | Sequence[PathLike]) -> list[Path]:
    paths = [Path(path)] if isinstance(path, str | Path) else [Path(p) for p in path]
    for p in paths:
        if not p.is_file():
            raise SourceError("no such file", source=str(p))
    return paths


def _number(raw: str, *, source: str, row: int, column: str) -> float | None:
    if raw.strip() == "":
        return None
    try:
        return float(raw) / 100.0
    except ValueError:
        raise ParseError(
            "expected a number", source=source, row=row, column=column, value=raw
        ) from None


def _date(raw: str, *, source: str, row: int, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ParseError(
            "expected a date YYYY-MM-DD", source=source, row=row, column=column, value=raw
        ) from None


def _parse(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Parse one file into (date, symbol, iv30..iv360) and (date, symbol, expiry, iv) rows."""
    src = str(path)
    fixed: list[tuple[object, ...]] = []
    tail: list[tuple[object, ...]] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header[:_N_FIXED]) != _HEAD:
            got = ",".join(header[:_N_FIXED]) if header else "an empty file"
            raise SchemaError(
                f"not a Cboe IV Indexes file: expected header {','.join(_HEAD)},...",
                source=src,
                value=got,
            )
        for row, fields in enumerate(reader, start=1):
            if not fields:
                continue
            if len(fields) < _N_FIXED:
                raise ParseError(
                    f"expected at least {_N_FIXED} fields, got {len(fields)}", source=src, row=row
                )
            symbol = fields[0].strip().removeprefix("^")
            day = _date(fields[1], source=src, row=row, column="quote_datetime")
            vols = [
                _number(fields[2 + i], source=src, row=row, column=name)
                for i, name in enumerate(TENORS)
            ]
            fixed.append((day, symbol, *vols))
            count_raw = fields[_N_FIXED - 1]
            try:
                count = int(count_raw)
            except ValueError:
                raise ParseError(
                    "expected an integer",
                    source=src,
                    row=row,
                    column="number_of_expiry_ivs",
                    value=count_raw,
                ) from None
            pairs = fields[_N_FIXED:]
            while pairs and pairs[-1].strip() == "" and len(pairs) > 2 * count:
                pairs.pop()  # tolerate trailing separators
            if len(pairs) != 2 * count:
                raise ParseError(
                    f"expected {count} (expiry_iv_date, expiry_iv_value) pairs, "
                    f"got {len(pairs)} fields",
                    source=src,
                    row=row,
                    column="number_of_expiry_ivs",
                )
            for j in range(count):
                expiry = _date(pairs[2 * j], source=src, row=row, column="expiry_iv_date")
                value = _number(pairs[2 * j + 1], source=src, row=row, column="expiry_iv_value")
                tail.append((day, symbol, expiry, value))
    return fixed, tail


def _read(
    path: PathLike | Sequence[PathLike],
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    fixed: list[tuple[object, ...]] = []
    tail: list[tuple[object, ...]] = []
    for p in _paths(path):
        f, t = _parse(p)
        fixed += f
        tail += t
    return fixed, tail


def read_cboe_iv_tenors(path: PathLike | Sequence[PathLike]) -> pl.LazyFrame:
    """Read all constant-maturity vols: ``date, symbol, iv30, ..., iv360`` (decimals).

    Parameters
    ----------
    path
        One file or a sequence of daily files.

    Raises
    ------
    SourceError
        When a file does not exist.
    SchemaError
        When a file's header is not the IV Indexes layout.
    ParseError
        When a cell cannot be parsed (file, row and column named).
    """
    fixed, _ = _read(path)
    schema = {DATE: pl.Date(), SYMBOL: pl.String(), **dict.fromkeys(TENORS, pl.Float64())}
    return pl.DataFrame(fixed, schema=schema, orient="row").lazy()


def read_cboe_iv_index(
    path: PathLike | Sequence[PathLike], *, tenor: Tenor = "iv30"
) -> pl.LazyFrame:
    """Read one tenor as the ``date, symbol, iv`` table (decimal) of the correlation stages.

    Parameters
    ----------
    path
        One file or a sequence of daily files.
    tenor
        Which constant-maturity column to read.

    Raises
    ------
    SourceError, SchemaError, ParseError
        As for :func:`read_cboe_iv_tenors`; ``SchemaError`` also for an unknown ``tenor``.
    """
    if tenor not in TENORS:
        raise SchemaError(f"unknown tenor; expected one of {', '.join(TENORS)}", column=tenor)
    return read_cboe_iv_tenors(path).select(DATE, SYMBOL, pl.col(tenor).alias(IV))


def read_cboe_iv_expiries(path: PathLike | Sequence[PathLike]) -> pl.LazyFrame:
    """Read the ragged tail as ``date, symbol, expiry, iv`` (decimal), one row per expiry.

    Feed it to :func:`optionsflow.volatility.atm.constant_maturity` for other tenors.

    Raises
    ------
    SourceError, SchemaError, ParseError
        As for :func:`read_cboe_iv_tenors`.
    """
    _, tail = _read(path)
    schema = {DATE: pl.Date(), SYMBOL: pl.String(), EXPIRY: pl.Date(), IV: pl.Float64()}
    return pl.DataFrame(tail, schema=schema, orient="row").lazy()
