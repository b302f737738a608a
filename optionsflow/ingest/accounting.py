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
    "located_error",
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
    """Pairs of integer-like key columns ``(major, minor)``: when the rows strictly
    increase by one of them (``major`` never falls, ``minor`` rises where ``major`` is
    equal), no two rows are equal and the hash is not computed at all."""
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
    if parsed.dup_key:  # validity and suspects as columns of their own: found once
        probe = parsed.dup_key[: parsed.dup_probe]
        frame = frame.with_columns(
            valid.alias(_VALID), _suspects(probe, parsed.dup_ordered).alias(_SUSPECT)
        )
        valid = pl.col(_VALID)
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


def _suspects(probe: Sequence[str], ordered: Sequence[tuple[str, str]] = ()) -> pl.Expr:
    """Rows that may repeat another: their probe value occurs more than once.

    The probe is a 64-bit hash of some key columns (a collision only adds
    suspects). Its distinct values are counted first; when all are distinct, as
    in a clean file, there is nothing more to do. Otherwise a parallel group-by
    finds the repeated probe values. With ``ordered`` pairs, a file whose rows
    strictly increase by one of them has no duplicates: that is checked first,
    with two comparisons a row, and the hash is skipped.
    """

    def repeated(hashed: pl.Series) -> pl.Series:
        if hashed.n_unique() == len(hashed):
            return pl.repeat(False, len(hashed), eager=True)
        counts = hashed.rename("p").to_frame().lazy().group_by("p").len()
        twice = counts.filter(pl.col("len") > 1).collect()["p"]
        return hashed.is_in(twice.implode())

    hashed = pl.struct(*probe).hash(seed=20_260_101)
    if not ordered:
        return hashed.map_batches(repeated, return_dtype=pl.Boolean)

    def find(batch: pl.Series) -> pl.Series:
        frame = batch.struct.unnest()
        if any(_increasing(frame[major], frame[minor]) for major, minor in ordered):
            return pl.repeat(False, len(batch), eager=True)
        return repeated(frame.select(pl.struct(*probe).hash(seed=20_260_101)).to_series())

    pairs = dict.fromkeys(c for pair in ordered for c in pair)
    fields = [*probe, *(c for c in pairs if c not in probe)]
    return pl.struct(*fields).map_batches(find, return_dtype=pl.Boolean)


def _increasing(major: pl.Series, minor: pl.Series) -> bool:
    """Whether rows strictly increase by ``(major, minor)`` (no nulls)."""
    if major.null_count() or minor.null_count():
        return False
    if len(major) < 2:
        return True
    a, b = major.to_physical(), minor.to_physical()
    step = a.diff().slice(1)
    rises = (step > 0) | ((step == 0) & (b.diff().slice(1) > 0))
    return bool(rises.all())


def _duplicates(key: Sequence[str], valid: pl.Expr, suspect: pl.Expr) -> pl.Expr:
    """Flag each valid row equal in every ``key`` column to an earlier valid row.

    Exact: only the ``suspect`` rows (see :func:`_suspects`) are compared on the
    whole key, so only their key columns are gathered and the cost of a clean
    file does not grow with the width of the key.
    """
    # each column is cut to the suspects before the struct is built: a clean file has
    # none, and filtering by an all-false mask costs next to nothing
    whole = pl.struct(
        valid.filter(suspect).alias("_valid"), *[pl.col(k).filter(suspect) for k in key]
    )
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
        return status == ACCEPTED

    mask = pl.struct(STATUS, ROW).map_batches(gate, return_dtype=pl.Boolean)
    return classified.filter(mask)
