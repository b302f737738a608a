"""Schema checks at a stage's entry, and column helpers shared by stages.

Examples
--------
>>> import polars as pl
>>> from optionsflow.schema import checks
>>> try:
...     checks.validate_trades(pl.LazyFrame({"ts": [1]}))
... except checks.SchemaError as err:
...     print(err.column, "|", str(err)[:46])
seq | column 'seq': missing canonical columns: 'seq'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from optionsflow.errors import ConfigError, SchemaError
from optionsflow.schema.names import CONDITION, DATE, NEW_YORK, TS
from optionsflow.schema.vocabulary import (
    CONDITION_DTYPE,
    OPTIONAL_COLUMNS,
    TRADE_COLUMNS,
    TRADE_SCHEMA,
)

__all__ = [
    "SchemaError",
    "beside",
    "check_choice",
    "check_choices",
    "check_min",
    "condition_in",
    "conform_trades",
    "dtype_problem",
    "require_columns",
    "trade_date",
    "validate_columns",
    "validate_trades",
]


def trade_date() -> pl.Expr:
    """Trade date in America/New_York from the UTC ``ts``, named ``date``."""
    return pl.col(TS).dt.convert_time_zone(NEW_YORK).dt.date().alias(DATE)


def condition_in(codes: Iterable[str], schema: pl.Schema | pl.LazyFrame) -> pl.Expr:
    """Whether ``condition`` is one of ``codes``, null-safe (null -> False).

    On the canonical Enum the test runs on the Enum's physical codes; a
    String column (a user's own frame) is compared as text. Pass the schema
    when testing several sets: resolving a deep lazy plan's schema is not free.

    Examples
    --------
    >>> codes = {"condition": ["AUTO", "MLET", None]}
    >>> lf = pl.LazyFrame(codes, schema={"condition": CONDITION_DTYPE})
    >>> lf.select(condition_in({"MLET"}, lf)).collect().to_series().to_list()
    [False, True, False]
    """
    wanted = sorted(codes)
    if isinstance(schema, pl.LazyFrame):
        schema = schema.collect_schema()
    if schema.get(CONDITION) == CONDITION_DTYPE:
        expr = pl.col(CONDITION).is_in(pl.Series(wanted, dtype=CONDITION_DTYPE).implode())
    else:
        expr = pl.col(CONDITION).cast(pl.String).is_in(wanted)
    return expr.fill_null(False)


def validate_columns(
    actual: Mapping[str, pl.DataType],
    expected: Mapping[str, pl.DataType],
    *,
    source: str | None = None,
    what: str = "canonical",
) -> None:
    """Check that ``actual`` has every column of ``expected`` with the same dtype.

    Parameters
    ----------
    actual
        Schema found (e.g. ``lf.collect_schema()``).
    expected
        Required column names and dtypes.
    source
        Name of the input, used in the error message.
    what
        Adjective naming the schema in messages.

    Raises
    ------
    SchemaError
        Naming every missing column, or the first column whose dtype differs
        (``column`` attribute set).
    """
    missing = [name for name in expected if name not in actual]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise SchemaError(f"missing {what} columns: {names}", source=source, column=missing[0])
    for name, dtype in expected.items():
        if actual[name] != dtype:
            raise SchemaError(
                f"expected dtype {dtype}, found {actual[name]}", source=source, column=name
            )


def beside(source: pl.LazyFrame, extra: pl.LazyFrame) -> pl.LazyFrame:
    """``source`` with ``extra``'s columns set beside it, row for row.

    A column both frames have takes ``extra``'s values and keeps its place in
    ``source``; the other new columns follow ``source``'s. Both frames must have
    the same height and row order (``extra`` is usually derived from a cached
    ``source``).

    Examples
    --------
    >>> source = pl.LazyFrame({"a": [1, 2], "b": [0, 0]})
    >>> beside(source, pl.LazyFrame({"b": [5, 6], "c": [7, 8]})).collect().rows()
    [(1, 5, 7), (2, 6, 8)]
    """
    names = source.collect_schema().names()
    added = extra.collect_schema().names()
    order = names + [c for c in added if c not in names]
    kept = source.drop(*added, strict=False)
    return pl.concat([kept, extra], how="horizontal").select(order)


def require_columns(frame: pl.LazyFrame | pl.DataFrame, names: Iterable[str], *, by: str) -> None:
    """Check a stage's input: raise :class:`SchemaError` for the first bad column of ``names``.

    Only the schema is resolved (no data is read). A column is bad when it is
    missing, or when it is a canonical column (:data:`TRADE_SCHEMA`, or ``date``)
    of a dtype the stages cannot compute with (:func:`dtype_problem`): prices as
    text, a ``ts`` without a time zone, ... ``by`` names the stage or rule that
    needs the column, so the message says why it is required.

    Examples
    --------
    >>> import datetime as dt
    >>> lf = pl.LazyFrame({"ts": [dt.datetime(2026, 11, 20, 15)], "price": ["1.05"]})
    >>> try:
    ...     require_columns(lf, ["price"], by="daily_flow")
    ... except SchemaError as err:
    ...     print(err)
    column 'price': daily_flow needs a number, found String
    >>> try:
    ...     require_columns(lf, ["ts"], by="daily_flow")
    ... except SchemaError as err:
    ...     print(err.column, "|", err.reason[:56])
    ts | daily_flow needs a time-zone-aware Datetime (UTC), found
    """
    have = frame.collect_schema()
    for name in names:
        if name not in have:
            raise SchemaError(f"required by {by} but missing", column=name)
        problem = dtype_problem(name, have[name])
        if problem is not None:
            raise SchemaError(f"{by} needs {problem}", column=name)


_TEXT = (pl.String, pl.Categorical, pl.Enum)
_DATE_DTYPE = pl.Date()


def dtype_problem(name: str, dtype: pl.DataType) -> str | None:
    """Say what a canonical column ``name`` needs when ``dtype`` will not do, else None.

    Looser than :data:`TRADE_SCHEMA`, which a stage does not insist on: any
    numeric dtype for a price or strike, any integer for a size, text or an Enum for
    the labels, any unit of a UTC-aware ``ts``. A column of nulls only (dtype
    ``Null``) passes. Columns that are not canonical are not checked.
    """
    expected = _DATE_DTYPE if name == DATE else TRADE_SCHEMA.get(name)
    if expected is None or dtype == pl.Null:
        return None
    if isinstance(expected, pl.Datetime):
        ok = isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
        naive = ": a naive time is ambiguous" if isinstance(dtype, pl.Datetime) else ""
        need, found = "a time-zone-aware Datetime (UTC)", f"{dtype!r}{naive}"
    elif expected == pl.Date:
        ok, need, found = dtype == pl.Date, "a Date", str(dtype)
    elif expected.is_float():
        ok, need, found = dtype.is_numeric(), "a number", str(dtype)
    elif expected.is_integer():
        ok, need, found = dtype.is_integer(), "an integer", str(dtype)
    else:
        ok, need, found = isinstance(dtype, _TEXT), "text or an Enum", str(dtype)
    return None if ok else f"{need}, found {found}"


def validate_trades(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    source: str | None = None,
    columns: Iterable[str] | None = None,
) -> pl.LazyFrame:
    """Check a frame against the canonical trade schema and return it lazily.

    Only the schema is resolved; no data is read.

    Parameters
    ----------
    trades
        Frame claimed to be canonical trades.
    source
        Name of the input, used in error messages.
    columns
        Restrict the check to these canonical columns (default: all of them).

    Returns
    -------
    pl.LazyFrame
        ``trades``, unchanged, as a LazyFrame.

    Raises
    ------
    SchemaError
        When a column is missing or has the wrong dtype.
    """
    lf = trades.lazy()
    names = TRADE_COLUMNS if columns is None else tuple(columns)
    validate_columns(lf.collect_schema(), {n: TRADE_SCHEMA[n] for n in names}, source=source)
    return lf


def conform_trades(
    trades: pl.LazyFrame | pl.DataFrame, *, source: str | None = None
) -> pl.LazyFrame:
    """Add absent optional columns as nulls and put canonical columns first.

    Extra columns (labels, enrichments) are kept after the canonical ones.

    Parameters
    ----------
    trades
        Frame with at least the required canonical columns.
    source
        Name of the input, used in error messages.

    Returns
    -------
    pl.LazyFrame
        A frame that passes :func:`validate_trades`.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> from optionsflow import schema
    >>> row = {
    ...     "ts": [dt.datetime(2026, 1, 5, 15, tzinfo=dt.timezone.utc)], "seq": [1],
    ...     "underlying": ["SPY"], "root": ["SPY"], "expiry": [dt.date(2026, 1, 16)],
    ...     "strike": [600.0], "right": ["C"], "price": [1.25], "size": [3],
    ...     "multiplier": [100], "exchange": ["XCBO"], "condition": ["AUTO"],
    ...     "source": ["example"], "source_row": [1],
    ... }
    >>> lf = pl.LazyFrame(row).with_columns(
    ...     pl.col(c).cast(schema.TRADE_SCHEMA[c]) for c in row)
    >>> out = schema.conform_trades(lf)
    >>> out.collect_schema()["bid"], len(out.collect_schema())
    (Float64, 23)
    """
    lf = trades.lazy()
    have = lf.collect_schema()
    required = {n: t for n, t in TRADE_SCHEMA.items() if n not in OPTIONAL_COLUMNS}
    validate_columns(have, required, source=source)
    fill = [pl.lit(None, dtype=TRADE_SCHEMA[n]).alias(n) for n in OPTIONAL_COLUMNS if n not in have]
    if fill:
        lf = lf.with_columns(fill)
    validate_columns(lf.collect_schema(), TRADE_SCHEMA, source=source)
    extra = [n for n in have if n not in TRADE_SCHEMA]
    return lf.select(*TRADE_COLUMNS, *extra)


def _quoted(values: Iterable[object]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def check_choice(name: str, value: object, allowed: Iterable[object]) -> None:
    """Refuse an argument that is not one of ``allowed`` (a ``Literal`` option); reads no data.

    Parameters
    ----------
    name
        The argument's name, set as the error's ``column``.
    value
        The value given.
    allowed
        The values accepted.

    Raises
    ------
    ConfigError
        Naming the argument and every allowed value.

    Examples
    --------
    >>> check_choice("measure", "premium", ("contracts", "premium"))
    >>> try:
    ...     check_choice("participant", "Retail", ("retail", "institutional"))
    ... except ConfigError as err:
    ...     print(err)
    column 'participant': must be one of 'retail', 'institutional' (got 'Retail')
    """
    options = tuple(allowed)
    if value not in options:
        raise ConfigError(f"must be one of {_quoted(options)}", column=name, value=value)


def check_choices(name: str, values: Iterable[object], allowed: Iterable[object]) -> None:
    """Refuse a sequence argument holding a value not in ``allowed`` (e.g. ``by=`` keys).

    Examples
    --------
    >>> check_choices("by", ["participant"], ("participant", "side"))
    >>> try:
    ...     check_choices("by", ["participant", "foo"], ("participant", "side"))
    ... except ConfigError as err:
    ...     print(err)
    column 'by': must be one of 'participant', 'side' (got 'foo')
    """
    options = tuple(allowed)
    if isinstance(values, str):
        raise ConfigError(
            f"must be a sequence of names from {_quoted(options)}, not a string",
            column=name,
            value=values,
        )
    for value in values:
        check_choice(name, value, options)


def check_min(name: str, value: object, minimum: int = 1) -> None:
    """Refuse an integer argument below ``minimum`` (a window, a count of weeks, a top N).

    Examples
    --------
    >>> check_min("lookback", 36)
    >>> try:
    ...     check_min("lookback", 0)
    ... except ConfigError as err:
    ...     print(err)
    column 'lookback': must be an integer >= 1 (got '0')
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"must be an integer >= {minimum}", column=name, value=value)
