"""Row accounting for every adapter: accepted, rejected, cancelled or duplicate.

An adapter hands over a :class:`ParsedFile` file: a lazy frame of canonical columns
parsed leniently (a bad cell reads as null), the ordered :class:`Check` s a row
must pass, which rows are cancels, which columns make two rows identical, and a
way to fetch the raw text of given rows. :func:`assign_status` gives every row one
status, in this order of precedence:

1. **rejected** - the first failing check names the vendor column and reason;
2. **duplicate** - equal, in every parsed field, to an earlier valid row (compared
   exactly; a hash of a few key columns only picks the rows worth comparing);
3. **cancelled** - a cancel record, or a trade the vendor marks as cancelled;
4. **accepted**.

So ``read = accepted + rejected + cancelled + duplicates`` holds by construction.
Two quote flags are added after the canonical columns: ``crossed_quote`` (bid above
ask, both positive) and ``zero_quote`` (a zero bid or ask: a one-sided market,
kept); both are null where the trade has no quote.

Examples
--------
>>> import polars as pl
>>> from optionsflow.schema import ROW
>>> frame = pl.LazyFrame({ROW: [0, 1], "price": [1.5, -2.0]})
>>> rule = Check("trade_price", "must be > 0", pl.col("price") <= 0, parse=False)
>>> parsed = ParsedFile("t.csv", frame, [rule], raw=lambda rows: pl.DataFrame())
>>> parsed.frame.select(_valid(parsed)).collect().to_series().to_list()
[True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import polars as pl

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError
from optionsflow.ingest.io.located import LocatedParseError, LocatedValidationError
from optionsflow.ingest.io.reader import FileFailures
from optionsflow.schema import CROSSED_QUOTE, ROW, STATUS, ZERO_QUOTE

__all__ = [
    "ACCEPTED",
    "CANCELLED",
    "DUPLICATE",
    "FLAG_COLUMNS",
    "MALFORMED_LINE",
    "REJECTED",
    "REJECT_SCHEMA",
    "STATUS",
    "Check",
    "ParsedFile",
    "assign_status",
    "checks_of",
    "keep_accepted",
    "located_error",
    "mark_duplicates",
    "ordered_duplicates",
    "raise_first_reject",
    "rejects_frame",
]

ACCEPTED, REJECTED, CANCELLED, DUPLICATE = 0, 1, 2, 3
FLAG_COLUMNS: tuple[str, ...] = (CROSSED_QUOTE, ZERO_QUOTE)
"""Boolean quote flags appended after the canonical columns."""

REJECT_SCHEMA: dict[str, pl.DataType] = {
    s.SOURCE: pl.String(),
    s.SOURCE_ROW: pl.Int64(),
    "column": pl.String(),
    "reason": pl.String(),
    "value": pl.String(),
    "raw": pl.String(),
}
"""Columns of the rejects frame (``source_row`` 0 = the file as a whole)."""


@dataclass(frozen=True)
class Check:
    """One test a row must pass.

    Parameters
    ----------
    column
        Vendor column named in messages (its raw text is shown as the value);
        None for a problem with the whole line (the line is shown).
    reason
        What is wrong when ``fails`` is true.
    fails
        Boolean expression, true on bad rows (null counts as passing).
    parse
        A parse check (raises :class:`ParseError`; an empty cell reads
        "missing value"); otherwise a domain rule (:class:`ValidationError`).
    """

    column: str | None
    reason: str
    fails: pl.Expr
    parse: bool = True


MALFORMED_LINE = "malformed CSV line: wrong number of fields or a stray quote"

RawFetch = Callable[[Sequence[int]], pl.DataFrame]
"""Returns ``_row``, ``_raw`` and the vendor columns as text for some 0-based rows."""


@dataclass
class ParsedFile:
    """A vendor file parsed leniently, with what is needed to account for every row."""

    source: str
    frame: pl.LazyFrame
    checks: Sequence[Check]
    raw: RawFetch
    cancel: pl.Expr = field(default_factory=lambda: pl.lit(value=False))
    dup_key: Sequence[str] = ()
    dup_probe: int = 5
    """Leading ``dup_key`` columns hashed to find duplicate suspects: enough to tell
    a clean file's rows apart, few enough to hash cheaply."""
    dup_ordered: Sequence[tuple[str, str]] = ()
    """Pairs of numeric key columns ``(major, minor)`` for files usually in order: when
    the rows strictly increase by one pair (``major`` never falls, ``minor`` rises
    where ``major`` is equal) no two rows are equal. The sinks hold the first pair's
    columns; the others are read when the first fails; when none holds, the
    duplicates are looked for by a query of their own (:func:`ordered_duplicates`)."""
    failures: FileFailures = field(default_factory=FileFailures)
    extra: Sequence[str] = ()
    provenance: bool = False
    """True when ``frame`` already holds ``source`` / ``source_row`` (canonical input)."""
    engine: Literal["streaming", "in-memory"] = "streaming"
    """The Polars engine :func:`~optionsflow.ingest.scan.load_trades` collects with (the
    faster one for this plan shape, measured by ``benchmarks/bench_ingest.py``)."""

    def check_index(self) -> pl.Expr:
        """Index into :attr:`checks` of the first failing check (null when none)."""
        whens = [pl.when(c.fails).then(pl.lit(i, pl.UInt16)) for i, c in enumerate(self.checks)]
        return pl.coalesce(whens) if whens else pl.lit(None, pl.UInt16)


def _valid(parsed: ParsedFile) -> pl.Expr:
    if not parsed.checks:
        return pl.lit(value=True)
    # Kleene logic: a row fails when any check is true; null (no verdict) only where
    # every other check is false or null, which the one fill_null makes a pass
    return ~pl.any_horizontal([c.fails for c in parsed.checks]).fill_null(value=False)


def quote_flags() -> list[pl.Expr]:
    """``crossed_quote`` and ``zero_quote`` from the canonical ``bid`` / ``ask``."""
    bid, ask = pl.col(s.BID), pl.col(s.ASK)
    has = bid.is_not_null() & ask.is_not_null()
    return [
        pl.when(has).then((bid > ask) & (ask > 0)).alias(CROSSED_QUOTE),
        pl.when(has).then((bid == 0) | (ask == 0)).alias(ZERO_QUOTE),
    ]


def assign_status(parsed: ParsedFile) -> pl.LazyFrame:
    """Canonical columns, quote flags, ``_row`` and ``_status`` for every row of a file."""
    valid = _valid(parsed)
    frame = parsed.frame
    if parsed.dup_ordered:  # found after the scan: see ordered_duplicates
        dup = pl.lit(value=False)
    elif parsed.dup_key:  # the suspects as a column of their own, so they are found once
        frame = frame.with_columns(_suspects(parsed).alias(_SUSPECT))
        dup = _duplicates(parsed.dup_key, valid, pl.col(_SUSPECT))
    else:
        dup = pl.lit(value=False)
    status = (
        pl.when(~valid).then(pl.lit(REJECTED, pl.UInt8))
        .when(dup).then(pl.lit(DUPLICATE, pl.UInt8))
        .when(parsed.cancel.fill_null(value=False)).then(pl.lit(CANCELLED, pl.UInt8))
        .otherwise(pl.lit(ACCEPTED, pl.UInt8))
        .alias(STATUS)
    )  # fmt: skip
    where = [] if parsed.provenance else [
        pl.lit(parsed.source, pl.String).alias(s.SOURCE),
        (pl.col(ROW).cast(pl.Int64) + 1).alias(s.SOURCE_ROW),
    ]  # fmt: skip
    out = frame.with_columns(status, *where).with_columns(quote_flags())
    keep = [c for c in parsed.extra if c not in s.TRADE_SCHEMA and c not in FLAG_COLUMNS]
    return out.select(*s.TRADE_COLUMNS, *FLAG_COLUMNS, *keep, ROW, STATUS)


_SUSPECT = "_dup_suspect"
_VALID = "_valid_row"


def _suspects(parsed: ParsedFile) -> pl.Expr:
    """Rows that may repeat another: their probe value occurs more than once.

    The probe is a 64-bit hash of the leading ``dup_probe`` key columns (a
    collision only adds suspects). Its distinct values are counted first; when
    all are distinct, as in a clean file, there is nothing more to do. Otherwise a
    parallel group-by finds the repeated probe values.
    """

    def find(probe: pl.Series) -> pl.Series:
        if probe.n_unique() == len(probe):
            return pl.repeat(False, len(probe), eager=True)
        counts = probe.rename("p").to_frame().lazy().group_by("p").len()
        repeated = counts.filter(pl.col("len") > 1).collect()["p"]
        return probe.is_in(repeated.implode())

    hashed = pl.struct(*parsed.dup_key[: parsed.dup_probe]).hash(seed=20_260_101)
    return hashed.map_batches(find, return_dtype=pl.Boolean)


def ordered_duplicates(parsed: ParsedFile, classified: pl.DataFrame) -> pl.Series:
    """``_row`` of each valid row equal to an earlier valid row, for files usually in order.

    For a :class:`ParsedFile` with :attr:`~ParsedFile.dup_ordered`, duplicates are not
    looked for in :func:`assign_status`'s plan (gathering the whole key would stop
    the streaming engine's pipeline, about a fifth of a canonical Parquet read).
    The sinks call this on the rows they hold anyway: when they strictly increase
    by the first pair no two rows are equal, at a comparison or two a row; else
    the other pairs are read from the file and tried, and if none holds a query
    of its own compares the rows on the whole key.

    Parameters
    ----------
    parsed
        The file.
    classified
        Every row of the file in file order, with ``_row`` and the
        columns of the first ``dup_ordered`` pair (as :func:`assign_status` gives them).
    """
    none = pl.Series(ROW, [], dtype=pl.get_index_type())
    if not parsed.dup_ordered or not parsed.dup_key:
        return none
    (major, minor), *others = parsed.dup_ordered
    if _increasing(classified[major], classified[minor]):
        return none
    if others:  # the other orders, from the file: two columns each
        names = list(dict.fromkeys(c for pair in others for c in pair))
        held = parsed.frame.select(names).collect()
        if any(_increasing(held[a], held[b]) for a, b in others):
            return none
    valid = _valid(parsed)
    lf = parsed.frame.with_columns(valid.alias(_VALID), _suspects(parsed).alias(_SUSPECT))
    dup = _duplicates(parsed.dup_key, pl.col(_VALID), pl.col(_SUSPECT))
    return lf.filter(dup).select(ROW).collect()[ROW]


def mark_duplicates(parsed: ParsedFile, classified: pl.DataFrame) -> pl.DataFrame:
    """Set ``_status`` to duplicate on the rows :func:`ordered_duplicates` finds."""
    rows = ordered_duplicates(parsed, classified)
    if rows.is_empty():
        return classified
    hit = pl.col(ROW).is_in(rows.implode()) & (pl.col(STATUS) != REJECTED)
    status = pl.when(hit).then(pl.lit(DUPLICATE, pl.UInt8)).otherwise(pl.col(STATUS))
    return classified.with_columns(status.alias(STATUS))


def _increasing(major: pl.Series, minor: pl.Series) -> bool:
    """Whether rows strictly increase by ``(major, minor)`` (no nulls)."""
    if major.null_count() or minor.null_count():
        return False
    a = major.to_physical().to_numpy()
    if major.name == minor.name:
        return bool(np.all(a[1:] > a[:-1]))
    b = minor.to_physical().to_numpy()
    return bool(np.all((a[1:] > a[:-1]) | ((a[1:] == a[:-1]) & (b[1:] > b[:-1]))))


def _duplicates(key: Sequence[str], valid: pl.Expr, suspect: pl.Expr) -> pl.Expr:
    """Flag each valid row equal in every ``key`` column to an earlier valid row.

    Exact: only the ``suspect`` rows (see :func:`_suspects`) are compared on the
    whole key, so only their key columns are gathered and the cost of a clean
    file does not grow with the width of the key.
    """
    whole = pl.struct(valid.alias("_valid"), *key).filter(suspect)
    repeats = pl.col(ROW).filter(suspect).filter(~whole.is_first_distinct())
    return valid & pl.col(ROW).is_in(repeats.implode())


def located_error(parsed: ParsedFile, row: int, check: int, raw: pl.DataFrame) -> OptionsFlowError:
    """Build the error for 0-based ``row`` failing check number ``check``."""
    rule = parsed.checks[check]
    value, reason = _value_and_reason(rule, raw, row)
    kind = LocatedParseError if rule.parse else LocatedValidationError
    return kind(reason, source=parsed.source, row=row + 1, column=rule.column, value=value)


def _value_and_reason(rule: Check, raw: pl.DataFrame, row: int) -> tuple[str | None, str]:
    hit = raw.filter(pl.col(ROW) == row)
    value = None
    name = "_raw" if rule.column is None else rule.column
    if hit.height and name in hit.columns:
        value = hit[name][0]
    if rule.parse and (value is None or not str(value).strip()):
        return None, "missing value"
    return (None if value is None else str(value)), rule.reason


def rejects_frame(parsed: ParsedFile, rows: pl.DataFrame) -> pl.DataFrame:
    """Build the rejects of one file from its rejected ``_row`` / ``_check`` pairs.

    File-level failures recorded while scanning are appended (their
    ``source_row`` is where the file broke).
    """
    out: list[dict[str, object]] = []
    if rows.height:
        raw = parsed.raw(rows[ROW].to_list())
        lines = dict(zip(raw[ROW].to_list(), raw["_raw"].to_list(), strict=True))
        for row, check in rows.select(ROW, "_check").iter_rows():
            rule = parsed.checks[check]
            value, reason = _value_and_reason(rule, raw, row)
            out.append({
                s.SOURCE: parsed.source, s.SOURCE_ROW: row + 1, "column": rule.column,
                "reason": reason, "value": value, "raw": lines.get(row),
            })  # fmt: skip
    for err in parsed.failures.errors:
        out.append({
            s.SOURCE: parsed.source, s.SOURCE_ROW: err.row or 0, "column": err.column,
            "reason": err.reason, "value": None if err.value is None else str(err.value),
            "raw": None if err.value is None else str(err.value),
        })  # fmt: skip
    return pl.DataFrame(out, schema=REJECT_SCHEMA)


def checks_of(parsed: ParsedFile, rows: Sequence[int]) -> pl.DataFrame:
    """``_row`` and ``_check`` (first failing check) of some rows, by re-reading the file."""
    keep = pl.Series(list(rows), dtype=pl.get_index_type())
    return (
        parsed.frame.filter(pl.col(ROW).is_in(keep.implode()))
        .select(ROW, parsed.check_index().alias("_check"))
        .collect()
        .sort(ROW)
    )


def raise_first_reject(parsed: ParsedFile, classified: pl.LazyFrame) -> pl.LazyFrame:
    """Keep accepted rows; collecting raises the located error of the first rejected row."""

    def gate(batch: pl.Series) -> pl.Series:
        status = batch.struct.field(STATUS)
        bad = status == REJECTED
        if bad.any():
            row = int(batch.struct.field(ROW).filter(bad).min())  # type: ignore[arg-type]
            check = int(checks_of(parsed, [row])["_check"][0])
            raise located_error(parsed, row, check, parsed.raw([row]))
        keep = status == ACCEPTED
        if parsed.dup_ordered:  # the whole file is here: duplicates are found now
            rows = ordered_duplicates(parsed, batch.struct.unnest())
            if not rows.is_empty():
                keep = keep & ~batch.struct.field(ROW).is_in(rows.implode())
        return keep

    mask = pl.struct(STATUS, *_order_columns(parsed)).map_batches(gate, return_dtype=pl.Boolean)
    return classified.filter(mask)


def keep_accepted(parsed: ParsedFile, classified: pl.LazyFrame) -> pl.LazyFrame:
    """Keep the accepted rows of a classified file, without its duplicates."""
    accepted = pl.col(STATUS) == ACCEPTED
    if not parsed.dup_ordered:
        return classified.filter(accepted)

    def unique(batch: pl.Series) -> pl.Series:
        rows = ordered_duplicates(parsed, batch.struct.unnest())
        return ~batch.struct.field(ROW).is_in(rows.implode())

    mask = pl.struct(*_order_columns(parsed)).map_batches(unique, return_dtype=pl.Boolean)
    return classified.filter(accepted & mask)


def _order_columns(parsed: ParsedFile) -> list[str]:
    """``_row`` and the first ``dup_ordered`` pair: the columns a sink must hold."""
    return list(dict.fromkeys([ROW, *parsed.dup_ordered[0]])) if parsed.dup_ordered else [ROW]
