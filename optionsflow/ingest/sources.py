"""Input files: paths, the file's trading day, lazy CSV scans with located errors, raw lines.

CSV scans are wrapped in a Polars IO source so that a problem found while reading -
a truncated or corrupt compressed stream, bytes that are not CSV - surfaces as a
located :class:`~optionsflow.errors.ParseError` when the frame is collected, never
as a bare Polars error. A truncated stream keeps every complete row before the
break (they go through validation as usual); the break itself is a *file failure*
(see :mod:`optionsflow.ingest.compression`).

Examples
--------
>>> file_day("UnderlyingOptionsTrades_2016-06-01.csv"), file_day("trades.csv")
(datetime.date(2016, 6, 1), None)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
from polars.io.plugins import register_io_source

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError
from optionsflow.ingest.compression import Compression, compression_of, decompress
from optionsflow.ingest.located import LocatedParseError

__all__ = [
    "MALFORMED",
    "ROW",
    "CsvLayout",
    "FileFailures",
    "csv_scan",
    "file_day",
    "raw_records",
    "resolve_inputs",
    "trading_day_bounds",
]

ROW = "_row"
"""Internal column: 0-based data row of a record in its file."""
MALFORMED = "_malformed"
"""Internal column: true for a line that is not ``field,field,...`` (quoted files only)."""
BATCH_ROWS = 500_000
"""Rows per batch handed from a vendor CSV scan to the query (Polars' default, a
batch per morsel, made the Cboe benchmark about 10% slower on two cores)."""
_DAY_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def resolve_inputs(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Expand files, directories (every non-hidden file below) and globs, sorted."""
    from optionsflow.ingest.canonical import resolve_paths  # noqa: PLC0415 - import cycle

    files = resolve_paths(paths, suffix="")
    return [p for p in files if not p.name.startswith(".")]


def file_day(name: str) -> dt.date | None:
    """Find the last ``YYYY-MM-DD`` (or ``YYYYMMDD``) date in a file name, if any.

    Examples
    --------
    >>> file_day("UnderlyingOptionsTrades_2016-06-01.csv")
    datetime.date(2016, 6, 1)
    >>> file_day("trades.csv") is None
    True
    """
    for match in reversed(list(_DAY_IN_NAME.finditer(name))):
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
    return None


def trading_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC start (inclusive) and end (exclusive) of a New York calendar day.

    Examples
    --------
    >>> import datetime as dt
    >>> [t.isoformat() for t in trading_day_bounds(dt.date(2026, 7, 1))]
    ['2026-07-01T04:00:00+00:00', '2026-07-02T04:00:00+00:00']
    """
    ny = ZoneInfo(s.NEW_YORK)
    start = dt.datetime.combine(day, dt.time(), ny)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), ny)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True)
class CsvLayout:
    """How a vendor CSV is read.

    The fast path reads ``schema`` strictly typed, as fast as a bare
    ``pl.read_csv``. Only when that fails on some bad cell is the rest of the
    file read leniently: every column as text, cast with ``strict=False``, so a
    bad cell becomes null (and ``_bad_<name>`` true for the ``optional`` columns,
    where null is allowed but garbage is not).

    Parameters
    ----------
    schema
        Column names and dtypes in file order.
    skip_rows
        Lines before the first data row.
    quote_char
        CSV quote character, or None.
    optional
        Typed columns that may be empty; each gets a Boolean ``_bad_<name>``.
    finish
        Derives the output columns from one batch (its output must not depend on
        the layout, see ``widen``).
    widen
        Looks at a fast-path batch and returns a wider layout to restart that
        batch with (e.g. more quote-tail columns), or None.
    prunable
        Columns a query does not use may be left unread. Only for files whose
        rows are never rejected (quote enrichment): an unread column cannot send
        the scan to the lenient path, so pruning could change which rows pass.
    """

    schema: dict[str, pl.DataType]
    skip_rows: int = 1
    quote_char: str | None = None
    optional: tuple[str, ...] = ()
    finish: Callable[[pl.LazyFrame], pl.LazyFrame] | None = None
    widen: Callable[[pl.DataFrame], CsvLayout | None] | None = None
    prunable: bool = False

    def scan(self, path: Path, *, lenient: bool = False) -> pl.LazyFrame:
        """Scan typed, with ``_row`` (lenient: read text, then cast)."""
        if lenient:
            flags = [
                (
                    pl.col(n).is_not_null() & pl.col(n).cast(self.schema[n], strict=False).is_null()
                ).alias(f"_bad_{n}")
                for n in self.optional
            ]
            casts = [pl.col(n).cast(t, strict=False) for n, t in self.schema.items()]
            lf = self.strings(path).with_columns(*flags).with_columns(casts)
        else:
            lf = self._polars(path, self.schema, encoding="utf8").with_columns(
                *[pl.lit(value=False).alias(f"_bad_{n}") for n in self.optional],
                pl.lit(value=False).alias(MALFORMED),
            )
        return lf if self.finish is None else self.finish(lf)

    def _polars(
        self,
        path: Path,
        schema: dict[str, pl.DataType],
        *,
        encoding: Literal["utf8", "utf8-lossy"] = "utf8-lossy",
    ) -> pl.LazyFrame:
        """Scan with Polars' reader.

        The typed fast path reads strict UTF-8 (checking is cheaper than
        repairing); invalid bytes send the file to the lenient path.
        """
        ragged = self.quote_char is None  # quoted files must keep to the header's field count
        return pl.scan_csv(
            path, has_header=False, skip_rows=self.skip_rows, schema=schema,
            quote_char=self.quote_char, truncate_ragged_lines=ragged, missing_columns="insert",
            extra_columns="ignore" if ragged else "raise", encoding=encoding,
            row_index_name=ROW, raise_if_empty=False,
        )  # fmt: skip

    def strings(self, path: Path) -> pl.LazyFrame:
        """Every column as text, one row per physical line.

        Without a quote character Polars splits the lines itself. With one, a
        stray quote could swallow the following lines, so each line is matched
        on its own against ``field,field,...`` (a field quoted or not); a line
        that does not match reads as all null.
        """
        if self.quote_char is None:
            lf = self._polars(path, {n: pl.String() for n in self.schema})
            return lf.with_columns(pl.lit(value=False).alias(MALFORMED))
        q = re.escape(self.quote_char)
        field = f"(?:{q}([^{q}]*){q}|([^,{q}]*))"
        pattern = "^" + ",".join([field] * len(self.schema)) + r"\r?$"
        groups = pl.col("_line").str.extract_groups(pattern)
        cols = [
            pl.coalesce(groups.struct.field(str(2 * i + 1)), groups.struct.field(str(2 * i + 2)))
            .replace("", None)
            .alias(name)
            for i, name in enumerate(self.schema)
        ]
        line = pl.col("_line")
        malformed = (line.is_not_null() & ~line.str.contains(pattern)).alias(MALFORMED)
        return _lines(path, self.skip_rows).select(ROW, *cols, malformed)

    def output_schema(self) -> dict[str, pl.DataType]:
        """Columns the scan yields."""
        empty = pl.LazyFrame(schema={ROW: pl.get_index_type(), **self.schema})
        empty = empty.with_columns(
            *[pl.lit(value=False).alias(f"_bad_{n}") for n in self.optional],
            pl.lit(value=False).alias(MALFORMED),
        )
        out = empty if self.finish is None else self.finish(empty)
        return dict(out.collect_schema())


@dataclass
class FileFailures:
    """File-level problems found while a lazy scan ran (filled at collect time)."""

    errors: list[OptionsFlowError] = field(default_factory=list)
    partial: dict[str, bytes] = field(default_factory=dict)
    recovered: dict[str, Path] = field(default_factory=dict)


@dataclass
class _ScanState:
    layout: CsvLayout
    target: Path
    lenient: bool = False


class _Widen(Exception):  # noqa: N818 - control flow, never escapes
    def __init__(self, layout: CsvLayout) -> None:
        self.layout = layout


def csv_scan(
    source: str,
    path: Path,
    layout: CsvLayout,
    failures: FileFailures,
    *,
    on_failure: Literal["raise", "record"],
) -> pl.LazyFrame:
    """Lazily scan a vendor CSV, turning read errors into located ``ParseError`` s.

    Parameters
    ----------
    source
        Name used in messages.
    path
        Plain, gzip or zstd file.
    layout
        Column names, dtypes and reader options.
    failures
        Collects file-level failures when ``on_failure="record"``.
    on_failure
        ``"raise"`` a broken compressed stream at collect time, or ``"record"``
        it and keep the complete rows that precede the break.
    """
    compression = compression_of(path)

    def frames(
        with_columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        _batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        seen = _Seen()
        state = _ScanState(layout, path)

        def batches() -> Iterator[pl.DataFrame]:
            current = state.layout
            lf = current.scan(state.target, lenient=state.lenient)
            if with_columns is not None and current.prunable:
                lf = lf.select(ROW, *(c for c in with_columns if c != ROW))
            if seen.count:  # a restart: only the rows not handed on yet
                lf = lf.filter(seen.unseen())
            if predicate is not None:
                lf = lf.filter(predicate)
            if n_rows is not None:
                lf = lf.head(max(n_rows - seen.count, 0))
            for frame in lf.collect_batches(chunk_size=BATCH_ROWS):
                if current.quote_char is not None and not state.lenient:
                    _no_merged_lines(frame)
                if current.widen is not None:
                    wider = current.widen(frame)
                    if wider is not None:
                        raise _Widen(wider)
                seen.mark(frame)
                yield frame if with_columns is None else frame.select(with_columns)

        while True:
            try:
                yield from batches()
                return
            except _Widen as more:
                state.layout = more.layout
            except (OSError, pl.exceptions.PolarsError) as exc:
                if not state.lenient:  # a bad cell: read the rest as text
                    state.lenient = True
                    continue
                if compression == "none" or state.target != path:
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
                    raise LocatedParseError(f"cannot read as CSV ({first})", source=source) from exc
                state.target = _recover(
                    source, path, compression, layout, failures, on_failure=on_failure, exc=exc
                )

    return register_io_source(frames, schema=layout.output_schema(), explain_name=f"csv {source}")


def _recover(
    source: str,
    path: Path,
    compression: Compression,
    layout: CsvLayout,
    failures: FileFailures,
    *,
    on_failure: Literal["raise", "record"],
    exc: BaseException,
) -> Path:
    recovered, partial, failure = decompress(path, compression)
    rows = _count_rows(recovered, layout.skip_rows)
    error = LocatedParseError(
        (failure.reason if failure else f"{compression} data is corrupt")
        + f"; rows after {rows} are lost",
        source=source, row=rows + 1, value=partial.decode("utf-8", "replace") or None,
    )  # fmt: skip
    if on_failure == "raise":
        raise error from exc
    failures.errors.append(error)
    failures.partial[source] = partial
    failures.recovered[source] = recovered
    return recovered


class _Seen:
    """The rows a scan has handed on, so that a restart neither repeats nor loses one.

    After an error Polars may have delivered its batches out of order or dropped
    one, so "everything up to the highest row seen" is not enough.
    """

    def __init__(self) -> None:
        self._rows = np.zeros(0, dtype=bool)
        self.count = 0

    def mark(self, frame: pl.DataFrame) -> None:
        """Record the rows of a batch about to be handed on."""
        rows = frame[ROW].to_numpy()
        self.count += rows.size
        if rows.size:
            top = int(rows.max()) + 1
            if top > self._rows.size:
                self._rows = np.concatenate([self._rows, np.zeros(top - self._rows.size, bool)])
            self._rows[rows] = True

    def unseen(self) -> pl.Expr:
        """Filter keeping the rows not handed on yet."""
        later = pl.col(ROW) >= self._rows.size
        missing = np.flatnonzero(~self._rows)
        if missing.size == 0:
            return later
        return later | pl.col(ROW).is_in(pl.Series(missing, dtype=pl.get_index_type()).implode())


def _no_merged_lines(frame: pl.DataFrame) -> None:
    """Raise when a quoted field spans lines (a stray quote): the lenient path takes over."""
    text = [c for c, t in frame.schema.items() if t == pl.String()]
    if (
        text
        and frame.select(
            pl.any_horizontal(pl.col(text).str.contains("\n", literal=True).any())
        ).item()
    ):
        raise pl.exceptions.ComputeError("a quoted field spans lines")


def _lines(path: Path, skip_rows: int) -> pl.LazyFrame:
    """One String column ``_line`` per physical line, with ``_row``.

    The unit-separator byte 0x1F serves as the field separator, so a line that
    holds one reads as cut there (and is reported malformed). ``pl.scan_lines``
    would avoid that but is marked unstable in Polars 2.1.
    """
    return pl.scan_csv(
        path, has_header=False, skip_rows=skip_rows, separator="\x1f", quote_char=None,
        schema={"_line": pl.String}, truncate_ragged_lines=True, raise_if_empty=False,
        extra_columns="ignore", encoding="utf8-lossy", row_index_name=ROW,
    )  # fmt: skip


def _count_rows(path: Path, skip_rows: int) -> int:
    return int(_lines(path, skip_rows).select(pl.len()).collect().item())


def raw_records(
    path: Path, rows: Sequence[int], layout: CsvLayout, *, names: Sequence[str] = ()
) -> pl.DataFrame:
    """Raw lines and raw field strings of some 0-based data rows (the error path).

    Returns
    -------
    pl.DataFrame
        ``_row``, ``_raw`` (the line as written) and one String column per name
        in ``names`` (default: every layout column).
    """
    keep = pl.Series(rows, dtype=pl.get_index_type())
    lines = _lines(path, layout.skip_rows).rename({"_line": "_raw"})
    lines = lines.filter(pl.col(ROW).is_in(keep.implode()))
    cols = list(names) or list(layout.schema)
    fields = layout.strings(path).filter(pl.col(ROW).is_in(keep.implode())).select(ROW, *cols)
    return lines.join(fields, on=ROW, how="left").collect()
