"""The partial store: stored daily partials read and merged, re-run days replaced, atomic writes.

Daily partials are sums and counts only, so any set of days merges by addition;
a day computed again replaces the stored day instead of adding to it.

Examples
--------
>>> import datetime as dt, pathlib, tempfile
>>> from optionsflow.batch.pipeline import flow_partials, labelled_partials
>>> from optionsflow.synth import synth_day
>>> day = flow_partials(synth_day(dt.date(2026, 11, 20), 300), greeks=False).collect()
>>> path = pathlib.Path(tempfile.mkdtemp()) / "partials.parquet"
>>> write_atomic(day, path)
>>> read_partials(path).collect().equals(day)
True
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import PARTIAL_SCHEMA, merge_partials
from optionsflow.batch.layout import read_store
from optionsflow.config import Config
from optionsflow.errors import SourceError
from optionsflow.ingest.io.paths import resolve_paths
from optionsflow.ingest.reference.tables import scan_table

__all__ = ["crash_point", "partials_of", "read_partials", "replace_days", "write_atomic"]


def replace_days(
    stored: pl.LazyFrame | pl.DataFrame, new: pl.LazyFrame | pl.DataFrame
) -> pl.LazyFrame:
    """Merge ``new`` partials into ``stored`` ones, ``new`` replacing every day it has.

    This is how a re-run day (a corrected vendor file, a late print) enters a
    store without double counting. The stored days that ``new`` lacks and the
    new days are stacked, not re-aggregated: partials are sums, so every view
    gives the same numbers either way, and re-grouping a year of cells cost
    about a second in ``summary`` (:func:`~optionsflow.aggregate.partials.merge_partials`
    normalises to one row per cell when that is wanted).

    Examples
    --------
    >>> import datetime as dt
    >>> from optionsflow.batch.pipeline import flow_partials, labelled_partials
    >>> from optionsflow.synth import synth_day
    >>> day = flow_partials(synth_day(dt.date(2026, 11, 20), 200), greeks=False).collect()
    >>> twice = replace_days(day, day).collect()
    >>> int(twice["contracts"].sum()) == int(day["contracts"].sum())
    True
    """
    fresh = new.lazy()
    for frame in (stored, fresh):
        s.validate_columns(frame.lazy().collect_schema(), PARTIAL_SCHEMA, what="partials")
    kept = stored.lazy().join(fresh.select(s.DATE).unique(), on=s.DATE, how="anti")
    return pl.concat([kept.select(list(PARTIAL_SCHEMA)), fresh.select(list(PARTIAL_SCHEMA))])


def read_partials(path: str | Path) -> pl.LazyFrame:
    """Scan stored daily partials (Parquet) and check their schema.

    Parameters
    ----------
    path
        A store written by :func:`~optionsflow.batch.run.run_batch` (read with
        :func:`~optionsflow.batch.layout.read_store`), a Parquet file of partials,
        a directory (every ``*.parquet`` file below it) or a glob pattern.
        Several files merge by addition
        (:func:`~optionsflow.aggregate.partials.merge_partials`), so they must
        hold disjoint days.

    Raises
    ------
    SourceError
        When a file is missing or unreadable, or a directory or glob holds no file.
    SchemaError
        When a partials column is missing or has the wrong dtype.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "partials.parquet"
    >>> pl.DataFrame({"date": ["2026-11-20"]}).write_parquet(path)
    >>> read_partials(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    optionsflow.errors.SchemaError: ...partials.parquet: column 'underlying': missing partials ...

    A directory of daily files reads as one store:

    >>> import datetime as dt
    >>> from optionsflow.batch.pipeline import flow_partials
    >>> from optionsflow.synth import synth_day
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for day in (dt.date(2026, 11, 19), dt.date(2026, 11, 20)):
    ...     cells = flow_partials(synth_day(day, 200), greeks=False).collect()
    ...     write_atomic(cells, folder / f"{day}.parquet")
    >>> read_partials(folder).select(s.DATE).unique().collect().height
    2
    """
    if Path(path).is_dir() and (Path(path) / "partials").is_dir():  # a batch store
        return read_store(path)
    frames = []
    for file in resolve_paths(path):
        lf = scan_table(file)
        s.validate_columns(lf.collect_schema(), PARTIAL_SCHEMA, source=str(file), what="partials")
        frames.append(lf.select(list(PARTIAL_SCHEMA)))
    return frames[0] if len(frames) == 1 else merge_partials(*frames)


def write_atomic(
    frame: pl.DataFrame, path: str | Path, *, metadata: Mapping[str, str] | None = None
) -> None:
    """Write ``frame`` as Parquet so that a reader sees the old file or the new one, never a mix.

    The frame goes to a temporary file in the target's directory, is flushed and
    fsynced, then ``os.replace``-d into place; the directory is fsynced so the
    rename survives a crash. A killed writer leaves at most a hidden ``.*.tmp`` file.

    Parameters
    ----------
    frame
        What to write.
    path
        The target file; its directory must exist.
    metadata
        Key-value pairs for the Parquet footer (read back with
        ``pl.read_parquet_metadata``), e.g. a day's provenance.

    Raises
    ------
    SourceError
        When the target is a directory or its directory does not exist.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
    >>> write_atomic(pl.DataFrame({"a": [1, 2]}), target)
    >>> pl.read_parquet(target)["a"].to_list(), sorted(p.name for p in target.parent.iterdir())
    ([1, 2], ['t.parquet'])
    >>> write_atomic(pl.DataFrame({"a": [3]}), target, metadata={"origin": "doctest"})
    >>> pl.read_parquet_metadata(target)["origin"]
    'doctest'
    """
    target = Path(path)
    if target.is_dir():
        raise SourceError("is a directory, not a file", source=str(target))
    if not target.parent.is_dir():
        raise SourceError("directory does not exist", source=str(target.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            frame.write_parquet(handle, metadata=dict(metadata) if metadata else None)
            handle.flush()
            os.fsync(handle.fileno())
        crash_point("written")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    crash_point("replaced")


CRASH_ENV = "OPTIONSFLOW_CRASH_AT"
"""Test hook: ``"written:3"`` SIGKILLs the process at the 3rd ``written`` crash point."""
CRASH_ONCE_ENV = "OPTIONSFLOW_CRASH_ONCE"
"""Test hook: a marker path; only the first process to reach the crash point creates it and dies."""
_crash_counts: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Kill this process with SIGKILL here when :data:`CRASH_ENV` asks for it (kill tests only).

    ``written`` is after a temporary file is complete and before it is renamed,
    ``replaced`` after the rename, ``day`` after a batch day's files are written.

    Examples
    --------
    >>> crash_point("written")  # no-op unless OPTIONSFLOW_CRASH_AT=written:N is set
    """
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    point, _, count = wanted.partition(":")
    if point != name:
        return
    _crash_counts[name] = _crash_counts.get(name, 0) + 1
    if _crash_counts[name] == int(count or 1):
        once = os.environ.get(CRASH_ONCE_ENV)
        if once:
            try:
                os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
        os.kill(os.getpid(), signal.SIGKILL)


def partials_of(
    paths: Sequence[str | Path] = (),
    *,
    store: str | Path | None = None,
    sectors: pl.LazyFrame | pl.DataFrame | None = None,
    config: Config | None = None,
    labelled: pl.LazyFrame | pl.DataFrame | None = None,
    greeks: bool = True,
) -> pl.LazyFrame:
    """Daily partials of trade files combined with stored ones: a day in both, the files win.

    Parameters
    ----------
    paths
        Trade files, directories or globs (any format :func:`~optionsflow.ingest.scan_trades`
        reads), classified through :func:`~optionsflow.batch.pipeline.flow_partials`.
    store
        Stored daily partials: a file, a directory or a glob (:func:`read_partials`).
    sectors
        ``symbol, sector[, theme]`` map for the files' partials.
    config
        Thresholds and market inputs.
    labelled
        The files' trades already through
        :func:`~optionsflow.batch.pipeline.classify_trades`, used instead of
        reading ``paths`` again (a caller that needs the labelled trades too).
    greeks
        Solve each print's implied vol and delta for the delta-adjusted notional
        (:func:`~optionsflow.batch.pipeline.labelled_partials`); without, the files'
        days carry null deltas (the weekly story uses none).

    Raises
    ------
    SourceError
        When neither paths nor a store is given, or an input cannot be read.

    Examples
    --------
    >>> import datetime as dt, pathlib, tempfile
    >>> from optionsflow.synth import synth_day
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> synth_day(dt.date(2026, 11, 20), 300).write_parquet(folder / "t_2026-11-20.parquet")
    >>> partials_of([folder]).select(s.DATE).unique().collect().item()
    datetime.date(2026, 11, 20)
    """
    # the classifiers and trade readers load only when there are trades: a story read
    # from the store alone starts faster without them
    new: pl.LazyFrame | None = None
    if labelled is not None or paths:
        from optionsflow.batch.pipeline import flow_partials, labelled_partials  # noqa: PLC0415
        from optionsflow.ingest.scan import scan_trades  # noqa: PLC0415

        if labelled is not None:
            new = labelled_partials(labelled, sectors=sectors, config=config, greeks=greeks)
        else:
            new = flow_partials(
                scan_trades(list(paths)), sectors=sectors, config=config, greeks=greeks
            )
    elif store is None:
        raise SourceError("no input: give trade files or a store of partials")
    if store is None:
        assert new is not None
        return new
    stored = read_partials(store)
    return stored if new is None else replace_days(stored, new.collect())
