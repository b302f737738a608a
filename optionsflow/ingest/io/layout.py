"""How a vendor CSV is laid out and read: typed fast path, text-and-cast lenient path.

Examples
--------
>>> import polars as pl
>>> layout = CsvLayout({"price": pl.Float64(), "size": pl.Int64()})
>>> list(layout.output_schema())
['__of_row', 'price', 'size', '__of_malformed', '__of_invalid_utf8']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow.ingest.io.lines import scan_lines
from optionsflow.schema import MALFORMED, ROW, private

__all__ = ["INVALID_UTF8", "INVALID_UTF8_REASON", "CsvLayout"]

INVALID_UTF8 = private("invalid_utf8")
"""Boolean column: the line holds bytes that are not UTF-8 (read as U+FFFD)."""
INVALID_UTF8_REASON = "invalid UTF-8 bytes (shown escaped)"
_REPLACEMENT = "\ufffd"


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
            # the lenient reader repairs invalid bytes to U+FFFD: flag the line instead
            text = pl.col(list(self.schema)).str.contains(_REPLACEMENT, literal=True)
            utf8 = pl.any_horizontal(text).fill_null(value=False).alias(INVALID_UTF8)
            lf = self.strings(path).with_columns(*flags, utf8).with_columns(casts)
        else:
            lf = self._polars(path, self.schema, encoding="utf8").with_columns(
                *[pl.lit(value=False).alias(f"_bad_{n}") for n in self.optional],
                pl.lit(value=False).alias(MALFORMED),
                pl.lit(value=False).alias(INVALID_UTF8),
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
        return scan_lines(path, self.skip_rows).select(ROW, *cols, malformed)

    def output_schema(self) -> dict[str, pl.DataType]:
        """Columns the scan yields."""
        empty = pl.LazyFrame(schema={ROW: pl.get_index_type(), **self.schema})
        empty = empty.with_columns(
            *[pl.lit(value=False).alias(f"_bad_{n}") for n in self.optional],
            pl.lit(value=False).alias(MALFORMED),
            pl.lit(value=False).alias(INVALID_UTF8),
        )
        out = empty if self.finish is None else self.finish(empty)
        return dict(out.collect_schema())
