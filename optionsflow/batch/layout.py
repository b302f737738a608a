"""The store's layout on disk: one Parquet file per trading day and kind, hive-partitioned by date.

::

    STORE/partials/date=YYYY-MM-DD/part-0.parquet   daily partials (every column but ``date``)
    STORE/rejects/date=YYYY-MM-DD/part-0.parquet    the day's rejected rows and unreadable files
    STORE/trades/date=YYYY-MM-DD/part-0.parquet     the labelled trades (``keep_trades`` only)
    STORE/.lock                                     held by the run writing the store

As in Hive, Spark and DuckDB layouts, ``date`` lives in the directory name, not in
the file; :func:`read_store` scans ``partials/**/*.parquet`` with hive
partitioning and gives the partials back in
:data:`~optionsflow.aggregate.partials.PARTIAL_SCHEMA`. Temporary files of an
interrupted write are hidden (``.part-0.parquet.*.tmp``), never matched by that
glob, and :func:`sweep_temporary` removes them at the next run's start.

Examples
--------
>>> import datetime as dt, pathlib, tempfile
>>> store = pathlib.Path(tempfile.mkdtemp())
>>> day_file(store, "partials", dt.date(2026, 11, 20)).relative_to(store).as_posix()
'partials/date=2026-11-20/part-0.parquet'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final, Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import PARTIAL_SCHEMA
from optionsflow.errors import SourceError

__all__ = [
    "KINDS",
    "LOCK_NAME",
    "Kind",
    "day_file",
    "lock_store",
    "read_store",
    "stored_days",
    "sweep_temporary",
]

Kind = Literal["partials", "rejects", "trades"]
"""The kinds of day file a store holds."""
KINDS: Final[tuple[Kind, ...]] = ("partials", "rejects", "trades")
LOCK_NAME: Final = ".lock"
FILE_NAME: Final = "part-0.parquet"


def day_file(store: str | Path, kind: Kind, day: dt.date) -> Path:
    """Path of one day's file of ``kind`` in ``store``.

    Examples
    --------
    >>> import datetime as dt
    >>> day_file("/data/store", "rejects", dt.date(2026, 11, 16)).as_posix()
    '/data/store/rejects/date=2026-11-16/part-0.parquet'
    """
    return Path(store) / kind / f"{s.DATE}={day.isoformat()}" / FILE_NAME


def stored_days(store: str | Path, kind: Kind = "partials") -> list[dt.date]:
    """Days that have a ``kind`` file in ``store``, sorted (nothing is read).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> stored_days(pathlib.Path(tempfile.mkdtemp()))
    []
    """
    days = []
    for path in (Path(store) / kind).glob(f"{s.DATE}=*/{FILE_NAME}"):
        try:
            days.append(dt.date.fromisoformat(path.parent.name.partition("=")[2]))
        except ValueError:
            continue
    return sorted(days)


def read_store(store: str | Path) -> pl.LazyFrame:
    """Scan a store's daily partials: a hive-partitioned scan of ``partials/**/*.parquet``.

    Parameters
    ----------
    store
        The store directory (see the module docstring for its layout).

    Returns
    -------
    pl.LazyFrame
        Partials in :data:`~optionsflow.aggregate.partials.PARTIAL_SCHEMA`
        (``date`` a ``Date`` from the directory names), one day's cells after
        another; merge or aggregate them like any partials.

    Raises
    ------
    SourceError
        When the store does not exist or holds no day.
    SchemaError
        When a stored file lacks a partials column or has it with another dtype.

    Examples
    --------
    >>> import datetime as dt, pathlib, tempfile
    >>> from optionsflow.batch import run_batch
    >>> from optionsflow.synth import synth_day
    >>> folder, store = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
    >>> synth_day(dt.date(2026, 11, 20), 300).write_parquet(folder / "trades_2026-11-20.parquet")
    >>> run_batch([folder], store=store).exit_code
    0
    >>> read_store(store).select("date", "trades").collect()["trades"].sum()
    300
    >>> read_store(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    optionsflow.errors.SourceError: ...: the store holds no day (no partials/date=...)
    """
    root = Path(store)
    if not root.is_dir():
        raise SourceError("store directory does not exist", source=str(root))
    if not stored_days(root):
        raise SourceError(
            f"the store holds no day (no partials/{s.DATE}=YYYY-MM-DD/{FILE_NAME})",
            source=str(root),
        )
    lf = pl.scan_parquet(
        root / "partials" / "**" / "*.parquet",
        hive_partitioning=True,
        hive_schema={s.DATE: pl.Date()},
    )
    s.validate_columns(lf.collect_schema(), PARTIAL_SCHEMA, source=str(root), what="partials")
    return lf.select(list(PARTIAL_SCHEMA))


def sweep_temporary(store: str | Path) -> list[Path]:
    """Remove the hidden ``.*.tmp`` files an interrupted write left in ``store``; return them.

    Call it only while holding the store's lock (:func:`lock_store`): a live
    writer's temporary file looks the same.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> store = pathlib.Path(tempfile.mkdtemp())
    >>> (store / "partials" / "date=2026-11-20").mkdir(parents=True)
    >>> _ = (store / "partials" / "date=2026-11-20" / ".part-0.parquet.x1.tmp").write_bytes(b"")
    >>> [p.name for p in sweep_temporary(store)]
    ['.part-0.parquet.x1.tmp']
    """
    swept = []
    for kind in KINDS:
        for path in sorted((Path(store) / kind).glob(f"{s.DATE}=*/.*.tmp")):
            path.unlink(missing_ok=True)
            swept.append(path)
    return swept


@contextlib.contextmanager
def lock_store(store: str | Path) -> Iterator[Path]:
    """Hold the store's exclusive lock (``flock`` on ``STORE/.lock``) for a block.

    The lock is taken without waiting: a second run on the same store fails at
    once, naming the store and the process holding it. The kernel releases the
    lock when its holder dies, even by SIGKILL, so a crashed run never leaves
    the store locked (the pid left in the file is only informative).

    Raises
    ------
    SourceError
        When another process holds the lock, or the lock file cannot be opened.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> store = pathlib.Path(tempfile.mkdtemp())
    >>> with lock_store(store):
    ...     with lock_store(store):  # doctest: +ELLIPSIS
    ...         pass
    Traceback (most recent call last):
    ...
    optionsflow.errors.SourceError: ...: store is being written by another run (pid ...); ...
    """
    root = Path(store)
    path = root / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise SourceError(f"cannot open the lock file ({exc.strerror})", source=str(path)) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise SourceError(
                f"store is being written by another run (pid {holder}); "
                "wait for it to finish or stop it",
                source=str(root),
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
