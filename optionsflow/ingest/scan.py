"""``scan_trades`` / ``load_trades``: vendor files in, canonical trades out, every row counted.

:func:`scan_trades` is the lazy building block: it recognises each file's format,
parses it into :data:`~optionsflow.schema.TRADE_SCHEMA` (plus the quote flags
``crossed_quote`` and ``zero_quote``) and returns the accepted trades as one
``LazyFrame``. With ``on_invalid="raise"`` collecting it raises the located error
of a bad row (the first of the batch Polars was processing); with ``"quarantine"``
bad rows are left out.

:func:`load_trades` is the eager sink: it collects the same plan and returns the
trades together with the rejects (raw line, source, row, column, reason) and the
counts, for which ``read = accepted + rejected + cancelled + duplicates`` always
holds. In quarantine mode a file that cannot be read at all is reported among
the rejects (``source_row`` 0, or the row where a compressed stream broke) and
counted in ``failed_files``; the other files go on.

Examples
--------
>>> import datetime as dt, tempfile, pathlib
>>> import optionsflow as of
>>> path = pathlib.Path(tempfile.mkdtemp()) / "trades_2026-11-20.parquet"
>>> of.synth_day(dt.date(2026, 11, 20), 500).write_parquet(path)
>>> result = load_trades(path)
>>> result.counts.read == result.counts.accepted == 500
True
>>> scan_trades(path).collect().equals(result.trades)
True
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import ConfigError, OptionsFlowError, OptionsFlowWarning, ParseError
from optionsflow.ingest.accounting import (
    ACCEPTED,
    CANCELLED,
    DUPLICATE,
    FLAG_COLUMNS,
    REJECT_SCHEMA,
    REJECTED,
    STATUS,
    ParsedFile,
    assign_status,
    checks_of,
    keep_accepted,
    located_error,
    mark_duplicates,
    raise_first_reject,
    rejects_frame,
)
from optionsflow.ingest.io.paths import resolve_inputs
from optionsflow.ingest.io.sniff import FormatOption, sniff
from optionsflow.ingest.vendors import SIGNATURES, VENDORS
from optionsflow.schema import ROW

__all__ = [
    "IngestCounts",
    "IngestResult",
    "IngestWarning",
    "OnInvalid",
    "load_trades",
    "scan_trades",
]

OnInvalid = Literal["raise", "quarantine"]
"""What to do with a bad row: raise its located error, or set it aside."""
PathsLike = str | Path | Iterable[str | Path]


class IngestWarning(OptionsFlowWarning):
    """A file skipped by a lazy quarantine scan because it cannot be read at all."""


@dataclass(frozen=True)
class IngestCounts:
    """Row accounting of one ingest: ``read = accepted + rejected + cancelled + duplicates``."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    cancelled: int = 0
    duplicates: int = 0
    failed_files: int = 0

    def __add__(self, other: IngestCounts) -> IngestCounts:
        return IngestCounts(
            *(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True))
        )

    def as_tuple(self) -> tuple[int, int, int, int, int, int]:
        """Return the counts in declaration order."""
        return (self.read, self.accepted, self.rejected, self.cancelled, self.duplicates,
                self.failed_files)  # fmt: skip

    def line(self) -> str:
        """One-line summary, e.g. ``read 10 | accepted 9 | rejected 1 | ...``."""
        text = (
            f"read {self.read:,} | accepted {self.accepted:,} | rejected {self.rejected:,} | "
            f"cancelled {self.cancelled:,} | duplicates {self.duplicates:,}"
        )
        return text + (f" | failed files {self.failed_files:,}" if self.failed_files else "")


@dataclass(frozen=True)
class IngestResult:
    """What :func:`load_trades` returns."""

    trades: pl.DataFrame
    """Accepted trades in the canonical schema, then ``crossed_quote``, ``zero_quote``."""
    rejects: pl.DataFrame
    """One row per rejected row or unreadable file (:data:`~.validate.REJECT_SCHEMA`)."""
    counts: IngestCounts


def _parse(
    path: Path,
    fmt: FormatOption,
    quotes: Sequence[Path],
    on_failure: Literal["raise", "record"],
) -> ParsedFile:
    found = sniff(path, expect=fmt, signatures=SIGNATURES)
    vendor = VENDORS[found.format]
    if quotes and not vendor.takes_quotes:
        raise ConfigError(f"quotes are joined to Polygon or Databento trades, not {found.format}")
    return vendor.parse(path, found, quotes=quotes, on_failure=on_failure)


def _quote_paths(quotes: PathsLike | None) -> list[Path]:
    return [] if quotes is None else resolve_inputs(quotes)


def _check_mode(on_invalid: str) -> None:
    if on_invalid not in ("raise", "quarantine"):
        raise ConfigError(f"on_invalid must be 'raise' or 'quarantine', not '{on_invalid}'")


def _output(frames: list[pl.LazyFrame]) -> pl.LazyFrame:
    if len(frames) == 1:
        return frames[0].drop(ROW, STATUS)
    names = [f.collect_schema().names() for f in frames]
    common = [n for n in names[0] if all(n in other for other in names[1:])]
    parts = [f.select(c for c in common if c not in (ROW, STATUS)) for f in frames]
    return pl.concat(parts, how="vertical")


def scan_trades(
    paths: PathsLike,
    *,
    format: FormatOption = "auto",
    quotes: PathsLike | None = None,
    on_invalid: OnInvalid = "raise",
) -> pl.LazyFrame:
    """Lazily read vendor or canonical trade files into the canonical schema.

    Parameters
    ----------
    paths
        Files, directories (every non-hidden file below) or glob patterns.
    format
        ``"auto"`` (recognise each file), ``"canonical"``, ``"cboe"``,
        ``"polygon"`` or ``"databento"``.
    quotes
        Polygon ``quotes_v1`` files (or Databento ``cbbo`` files) whose last
        quote strictly before each trade fills ``bid`` / ``ask`` and their sizes.
    on_invalid
        ``"raise"``: collecting raises the located error of a bad row (the first
        of its batch; :func:`load_trades` always names the file's first).
        ``"quarantine"``: bad rows are left out (see :func:`load_trades` for
        the rejects and counts); an unreadable file is skipped with an
        :class:`IngestWarning`.

    Returns
    -------
    pl.LazyFrame
        Accepted trades: canonical columns, then ``crossed_quote`` and
        ``zero_quote``.

    Raises
    ------
    SourceError, ParseError, SchemaError, ConfigError
        For missing paths, unreadable or unrecognised files and bad options
        (at once); row errors surface when the frame is collected.

    Examples
    --------
    A file whose second print has a negative price: quarantine drops the row,
    the default mode raises an error naming its row and column:

    >>> import tempfile, pathlib
    >>> from optionsflow import ValidationError
    >>> from optionsflow.testing import trades
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "day.parquet"
    ...     trades([{"price": 1.05}, {"price": -1.0}]).write_parquet(path)
    ...     kept = scan_trades(path, on_invalid="quarantine").select("seq", "price").collect()
    ...     try:
    ...         scan_trades(path).collect()
    ...     except ValidationError as err:
    ...         print(err.row, err.column, err.reason)
    2 price must be a finite number > 0 and <= 100,000
    >>> kept.rows()
    [(1, 1.05)]
    """
    _check_mode(on_invalid)
    quote_files = _quote_paths(quotes)
    frames = []
    for path in resolve_inputs(paths):
        try:
            parsed = _parse(path, format, quote_files, "raise")
        except OptionsFlowError as exc:
            if on_invalid == "raise" or isinstance(exc, ConfigError):
                raise
            warnings.warn(f"skipped {exc}", IngestWarning, stacklevel=2)
            continue
        classified = assign_status(parsed)
        if on_invalid == "raise":
            frames.append(raise_first_reject(parsed, classified))
        else:
            frames.append(keep_accepted(parsed, classified))
    return _output(frames) if frames else _empty()


def load_trades(
    paths: PathsLike,
    *,
    format: FormatOption = "auto",
    quotes: PathsLike | None = None,
    on_invalid: OnInvalid = "raise",
) -> IngestResult:
    """Read trade files eagerly, with the rejects and the row accounting.

    Parameters are those of :func:`scan_trades`.

    Returns
    -------
    IngestResult
        ``trades``, ``rejects`` and ``counts``.

    Raises
    ------
    ParseError, ValidationError
        In ``"raise"`` mode, for the first bad row of the first bad file.
    SourceError, SchemaError, ConfigError
        In ``"raise"`` mode for an unreadable file; always for bad options.

    Examples
    --------
    A good print, a cancelled one and one with a negative price, quarantined:

    >>> import tempfile, pathlib
    >>> from optionsflow.testing import trades
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "day.parquet"
    ...     trades([{"price": 1.05}, {"condition": "CANC"}, {"price": -1.0}]).write_parquet(path)
    ...     result = load_trades(path, on_invalid="quarantine")
    >>> result.counts.line()
    'read 3 | accepted 1 | rejected 1 | cancelled 1 | duplicates 0'
    >>> result.rejects.select("source_row", "column", "reason").rows()
    [(3, 'price', 'must be a finite number > 0 and <= 100,000')]
    """
    _check_mode(on_invalid)
    quote_files = _quote_paths(quotes)
    mode: Literal["raise", "record"] = "raise" if on_invalid == "raise" else "record"
    trades: list[pl.LazyFrame] = []
    rejects: list[pl.DataFrame] = []
    counts = IngestCounts()
    for path in resolve_inputs(paths):
        try:
            parsed = _parse(path, format, quote_files, mode)
            classified = _collect(parsed)
        except OptionsFlowError as exc:
            if on_invalid == "raise" or isinstance(exc, ConfigError):
                raise
            rejects.append(_file_reject(str(path), exc))
            counts += IngestCounts(failed_files=1)
            continue
        status = classified[STATUS]
        tally = {code: int((status == code).sum()) for code in (0, 1, 2, 3)}
        counts += IngestCounts(
            read=classified.height, accepted=tally[ACCEPTED], rejected=tally[REJECTED],
            cancelled=tally[CANCELLED], duplicates=tally[DUPLICATE],
            failed_files=len(parsed.failures.errors),
        )  # fmt: skip
        bad = classified[ROW].filter(status == REJECTED).to_list()
        located = checks_of(parsed, bad) if bad else None
        if on_invalid == "raise" and located is not None:
            row, check = located.row(0)
            raise located_error(parsed, row, check, parsed.raw([row]))
        if located is not None or parsed.failures.errors:
            empty = pl.DataFrame(schema={ROW: pl.get_index_type(), "_check": pl.UInt16})
            rejects.append(rejects_frame(parsed, located if located is not None else empty))
        if tally[ACCEPTED] == classified.height:  # nothing to drop: no copy
            trades.append(classified.lazy())
        else:
            trades.append(classified.lazy().filter(pl.col(STATUS) == ACCEPTED))
    frame = (_output(trades) if trades else _empty()).collect()
    reject_frame = pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECT_SCHEMA)
    return IngestResult(frame, reject_frame, counts)


def _collect(parsed: ParsedFile) -> pl.DataFrame:
    """Collect a file's classified rows; an unexpected Polars error becomes a ``ParseError``."""
    try:
        return mark_duplicates(parsed, assign_status(parsed).collect(engine=parsed.engine))
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ParseError(f"cannot read ({first})", source=parsed.source) from exc


def _empty() -> pl.LazyFrame:
    return pl.LazyFrame(schema={**s.TRADE_SCHEMA, **dict.fromkeys(FLAG_COLUMNS, pl.Boolean())})


def _file_reject(source: str, exc: OptionsFlowError) -> pl.DataFrame:
    value = None if exc.value is None else str(exc.value)
    return pl.DataFrame(
        [{s.SOURCE: source, s.SOURCE_ROW: exc.row or 0, "column": exc.column,
          "reason": exc.reason, "value": value, "raw": None}],
        schema=REJECT_SCHEMA,
    )  # fmt: skip
