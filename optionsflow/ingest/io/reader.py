r"""Lazy vendor CSV scans whose read errors surface located, and the raw lines of given rows.

CSV scans are wrapped in a Polars IO source so that a problem found while reading -
a truncated or corrupt compressed stream, bytes that are not CSV - surfaces as a
located :class:`~optionsflow.errors.ParseError` when the frame is collected, never
as a bare Polars error. A truncated stream keeps every complete row before the
break (they go through validation as usual); the break itself is a *file failure*
(see :mod:`optionsflow.ingest.io.compression`).

Examples
--------
>>> import pathlib, tempfile
>>> import polars as pl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("price\n1.5\nN/A\n")
>>> layout = CsvLayout({"price": pl.Float64()})
>>> lf = csv_scan("t.csv", path, layout, FileFailures(), on_failure="raise")
>>> lf.select("price").collect()["price"].to_list()
[1.5, None]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl
from polars.io.plugins import register_io_source

from optionsflow.errors import OptionsFlowError
from optionsflow.ingest.io.compression import (
    Compression,
    compression_of,
    decompress,
    read_lines,
)
from optionsflow.ingest.io.layout import CsvLayout
from optionsflow.ingest.io.lines import count_rows, scan_lines
from optionsflow.ingest.io.located import LocatedParseError
from optionsflow.schema import ROW

__all__ = ["BATCH_ROWS", "FileFailures", "csv_scan", "raw_records"]

BATCH_ROWS = 500_000
"""Rows per batch handed from a vendor CSV scan to the query (Polars' default, a
batch per morsel, made the Cboe benchmark about 10% slower on two cores)."""


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
    rows = count_rows(recovered, layout.skip_rows)
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
    lines = scan_lines(path, layout.skip_rows).rename({"_line": "_raw"})
    lines = lines.filter(pl.col(ROW).is_in(keep.implode()))
    cols = list(names) or list(layout.schema)
    fields = layout.strings(path).filter(pl.col(ROW).is_in(keep.implode())).select(ROW, *cols)
    out = lines.join(fields, on=ROW, how="left").collect()
    repaired = out.filter(pl.col("_raw").str.contains("\ufffd", literal=True))[ROW].to_list()
    if repaired:  # show invalid UTF-8 as the bytes written, escaped (b'\xe9' -> '\\xe9')
        raw = read_lines(path, set(repaired), layout.skip_rows)
        text = {r: b.decode("utf-8", "backslashreplace") for r, b in raw.items()}
        escaped = pl.Series([text.get(r) for r in out[ROW].to_list()], dtype=pl.String)
        out = out.with_columns(pl.coalesce(escaped, pl.col("_raw")).alias("_raw"))
    return out
