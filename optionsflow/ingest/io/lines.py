r"""Physical lines of a text file, numbered: the raw text behind a rejected row.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("a,b\n1,2\n3,4\n")
>>> count_rows(path, 1)
2
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from optionsflow.schema import ROW

__all__ = ["count_rows", "scan_lines"]


def scan_lines(path: Path, skip_rows: int) -> pl.LazyFrame:
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


def count_rows(path: Path, skip_rows: int) -> int:
    """Count the data lines after ``skip_rows`` header lines."""
    return int(scan_lines(path, skip_rows).select(pl.len()).collect().item())
