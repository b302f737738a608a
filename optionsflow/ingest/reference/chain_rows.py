"""Row checks shared by the chain readers: rules, located rejects, the first error.

A rule is ``(vendor column or None for the whole line, reason, failing-row expression,
parse?)``; a parse rule raises :class:`~optionsflow.errors.ParseError` (an empty cell
reads "missing value"), a domain rule :class:`~optionsflow.errors.ValidationError`.

Examples
--------
>>> frame = pl.DataFrame({"__of_line": [1, 2], "__of_raw": ["a,1", "b,x"], "n": ["1", "x"]})
>>> good, bad = split_rows(frame, [("n", "not a number", bad_number("n"), True)], source="f.csv")
>>> good.height, bad
(1, [('f.csv', 2, 'n', 'not a number', True, 'b,x', 'x')])
>>> rejects_frame(bad)[1]
ParseError("f.csv:2: column 'n': not a number (got 'x')")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, ParseError, SourceError, ValidationError
from optionsflow.ingest.io.compression import compression_of, decompress

__all__ = [
    "LINE",
    "RAW",
    "REJECT_SCHEMA",
    "Reject",
    "Rule",
    "bad_number",
    "number",
    "read_chain_text",
    "rejects_frame",
    "split_rows",
]

REJECT_SCHEMA: Mapping[str, pl.DataType] = {
    s.SOURCE: pl.String(),
    s.SOURCE_ROW: pl.Int64(),
    "column": pl.String(),
    "reason": pl.String(),
    "raw": pl.String(),
}
"""Columns of a chain read's rejects."""

LINE = s.private("line")
"""1-based data row of a record (the header is row 0)."""
RAW = s.private("raw")
"""The record's raw line."""

Rule = tuple[str | None, str, pl.Expr, bool]
"""A check: vendor column (None: the line), reason, failing-row expression, parse (vs domain)."""
Reject = tuple[str, int, str | None, str, bool, str, str | None]
"""A rejected record: source, row, column, reason, parse?, raw line, the cell's text."""
_CHECK = s.private("check")


def read_chain_text(path: Path) -> str:
    """Read a chain file's text: plain, or the content of a gzip, zstd or zip file.

    Raises
    ------
    SourceError
        When the file cannot be read or is not UTF-8 text.
    ParseError
        When its compressed stream is truncated or corrupt.
    """
    source = str(path)
    try:
        kind = compression_of(path)
        if kind == "none":
            return path.read_text(encoding="utf-8-sig")
        # the decompressed copy lives only while it is read: a long run over many
        # compressed chains keeps none of them on disk
        plain, _, failure = decompress(path, kind, lines=False)
        try:
            if failure is not None:
                raise failure
            return plain.read_text(encoding="utf-8-sig")
        finally:
            plain.unlink(missing_ok=True)
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read ({exc})", source=source) from exc


def number(name: str) -> pl.Expr:
    """Parse a text column as Float64 (null where it does not parse)."""
    return pl.col(name).cast(pl.Float64, strict=False)


def bad_number(name: str) -> pl.Expr:
    """Present, non-empty text that is not a finite number."""
    value = number(name)
    return (pl.col(name) != "") & (value.is_null() | ~value.is_finite())


def split_rows(
    frame: pl.DataFrame, rules: Sequence[Rule], *, source: str
) -> tuple[pl.DataFrame, list[Reject]]:
    """Split ``frame`` (with :data:`LINE` and :data:`RAW`) into passing rows and rejects.

    Each row is judged by the first rule it fails, in rule order.
    """
    first = pl.coalesce(
        pl.when(r[2].fill_null(value=False)).then(pl.lit(i, pl.UInt16)) for i, r in enumerate(rules)
    )
    checked = frame.with_columns(first.alias(_CHECK))
    bad = checked.filter(pl.col(_CHECK).is_not_null())
    rejected: list[Reject] = []
    for row in bad.iter_rows(named=True):
        column, reason, _, parse = rules[row[_CHECK]]
        value = None if column is None else row[column]
        rejected.append((source, row[LINE], column, reason, parse, row[RAW], value))
    return checked.filter(pl.col(_CHECK).is_null()).drop(_CHECK), rejected


def _error(r: Reject) -> OptionsFlowError:
    source, line, column, reason, is_parse, raw, value = r
    if is_parse and column is not None and (value is None or value == ""):
        reason = "missing value"
    kind = ParseError if is_parse else ValidationError
    shown = raw if column is None else value
    return kind(reason, source=source, row=line, column=column, value=shown)


def rejects_frame(rejected: list[Reject]) -> tuple[pl.DataFrame, OptionsFlowError | None]:
    """Order the rejects by row into a :data:`REJECT_SCHEMA` frame; give the first one's error."""
    ordered = sorted(rejected, key=lambda r: r[1])
    errors = [_error(r) for r in ordered]
    rows = [
        (e.source, e.row, e.column, e.reason, r[5]) for e, r in zip(errors, ordered, strict=True)
    ]
    return pl.DataFrame(rows, schema=dict(REJECT_SCHEMA), orient="row"), (
        errors[0] if errors else None
    )
