"""Planning a batch run: input files grouped into trading days, each day to write or to skip.

A file's trading day is the last date in its name (:func:`~optionsflow.ingest.io.paths.file_day`);
files whose name says ``quote`` or ``cbbo`` are the quotes joined to that day's
Polygon or Databento trades. A day is written when

* it is not in the store yet (``new day``);
* a stored day file lacks provenance, or the store lacks its rejects (or, with
  ``keep_trades``, its trades) file;
* the partials schema version, the optionsflow version, the config hash or the
  sector-map hash differ from the stored provenance;
* its set of input files differs, an input's size differs, or its modification
  time differs *and* its content fingerprint does too (same bytes, new mtime:
  still up to date);
* ``force`` is given.

Otherwise it is skipped as ``up to date``. Deciding reads only Parquet footers
and ``os.stat``: no input file's content is read unless its modification time
changed while its size did not.

Examples
--------
>>> import datetime as dt, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for name in ("trades_2026-11-20.csv", "quotes_2026-11-20.csv", "README"):
...     _ = (folder / name).write_text("x")
>>> days, ignored = group_days([folder])
>>> [(d.day.isoformat(), [p.name for p in d.trades], [p.name for p in d.quotes]) for d in days]
[('2026-11-20', ['trades_2026-11-20.csv'], ['quotes_2026-11-20.csv'])]
>>> [(p.name, why) for p, why in ignored]
[('README', 'no trading day (YYYY-MM-DD) in the file name')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow.batch.layout import day_file
from optionsflow.batch.provenance import (
    PARTIALS_SCHEMA_VERSION,
    InputFile,
    Provenance,
    Role,
    code_version,
    config_hash,
    fingerprint,
    read_provenance,
    sectors_hash,
    stat_input,
)
from optionsflow.config import Config
from optionsflow.errors import OptionsFlowError
from optionsflow.ingest.io.paths import file_day, resolve_inputs

__all__ = ["Action", "DayInputs", "Plan", "PlannedDay", "Settings", "group_days", "plan_days"]

Action = Literal["write", "skip"]
"""What a run does with a day."""
UP_TO_DATE = "up to date"
_QUOTES_NAME = re.compile(r"quote|cbbo", re.IGNORECASE)


@dataclass(frozen=True)
class DayInputs:
    """The input files of one trading day."""

    day: dt.date
    trades: tuple[Path, ...]
    quotes: tuple[Path, ...] = ()

    def files(self) -> list[tuple[Path, Role]]:
        """List every input with its role, trades first."""
        trades: list[tuple[Path, Role]] = [(p, "trades") for p in self.trades]
        return trades + [(p, "quotes") for p in self.quotes]


@dataclass(frozen=True)
class Settings:
    """What, besides the inputs, a day's result depends on (hashed into the provenance)."""

    config: Config
    sectors: pl.DataFrame | None
    config_hash: str
    sectors_hash: str | None
    version: str

    @classmethod
    def of(cls, config: Config | None, sectors: pl.LazyFrame | pl.DataFrame | None) -> Settings:
        """Collect the sector map once and hash both.

        Examples
        --------
        >>> Settings.of(None, None).sectors_hash is None
        True
        """
        frame = None if sectors is None else sectors.lazy().collect()
        cfg = config or Config()
        return cls(cfg, frame, config_hash(cfg), sectors_hash(frame), code_version())


@dataclass(frozen=True)
class PlannedDay:
    """One day of a plan: its inputs, the action and why."""

    inputs: DayInputs
    action: Action
    reason: str

    @property
    def day(self) -> dt.date:
        """The trading day."""
        return self.inputs.day


@dataclass(frozen=True)
class Plan:
    """Days in date order, and the input files that belong to no day."""

    days: tuple[PlannedDay, ...]
    ignored: tuple[tuple[Path, str], ...] = ()

    def to_write(self) -> list[PlannedDay]:
        """List the days the run writes."""
        return [d for d in self.days if d.action == "write"]


def group_days(
    paths: str | Path | Iterable[str | Path], *, exclude: str | Path | None = None
) -> tuple[list[DayInputs], list[tuple[Path, str]]]:
    """Group input files (files, directories, globs) by the trading day in their names.

    Parameters
    ----------
    paths
        Files, directories or globs.
    exclude
        A directory whose files are never inputs (the store, when it lies below an input).

    Returns
    -------
    tuple
        Days in date order, and ``(file, why)`` for files that belong to no day
        (no date in the name, or quotes without trades that day).

    Raises
    ------
    SourceError
        When a path does not exist or a directory or glob matches no file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("opra_20261120.csv.gz", "opra_20261119.csv.gz"):
    ...     _ = (folder / name).write_text("x")
    >>> [str(d.day) for d in group_days(folder)[0]]
    ['2026-11-19', '2026-11-20']
    """
    trades: dict[dt.date, list[Path]] = {}
    quotes: dict[dt.date, list[Path]] = {}
    ignored: list[tuple[Path, str]] = []
    skip = None if exclude is None else Path(exclude).resolve()
    for path in resolve_inputs(paths):
        if skip is not None and path.resolve().is_relative_to(skip):
            continue
        day = file_day(path.name)
        if day is None:
            ignored.append((path, "no trading day (YYYY-MM-DD) in the file name"))
            continue
        kind = quotes if _QUOTES_NAME.search(path.name) else trades
        kind.setdefault(day, []).append(path.absolute())
    for day, files in sorted(quotes.items()):
        if day not in trades:
            ignored.extend((p, f"quotes without trades on {day.isoformat()}") for p in files)
    days = [
        DayInputs(day, tuple(sorted(set(files))), tuple(sorted(set(quotes.get(day, [])))))
        for day, files in sorted(trades.items())
    ]
    return days, ignored


def _input_change(stored: tuple[InputFile, ...], inputs: DayInputs) -> str | None:
    """Why the inputs differ from the stored ones, ``""`` when only mtimes do, else ``None``."""
    by_path = {f.path: f for f in stored}
    current = [stat_input(path, role) for path, role in inputs.files()]
    added = sorted(f.path for f in current if f.path not in by_path)
    removed = sorted(set(by_path) - {f.path for f in current})
    if added or removed:
        first = (added or removed)[0]
        return f"input files changed ({'new' if added else 'gone'}: {Path(first).name})"
    touched = None
    for now in current:
        before = by_path[now.path]
        if now.role != before.role:
            return f"input changed: {Path(now.path).name} (role)"
        if now.size != before.size:
            return f"input changed: {Path(now.path).name} (size)"
        if now.mtime_ns != before.mtime_ns:
            if fingerprint(now.path) != before.fingerprint:
                return f"input changed: {Path(now.path).name} (content)"
            touched = ""
    return touched


def _decide(
    inputs: DayInputs, store: Path, settings: Settings, keep_trades: bool
) -> tuple[Action, str]:
    """Decide the day's action and say why."""
    why = _why_write(inputs, store, settings, keep_trades)
    if why is None:
        return "skip", UP_TO_DATE
    if not why:
        return "skip", f"{UP_TO_DATE} (same content, new modification time)"
    return "write", why


def _why_write(  # noqa: PLR0911 - one return per reason, in the documented order
    inputs: DayInputs, store: Path, settings: Settings, keep_trades: bool
) -> str | None:
    """Why the day must be written; ``None`` (or ``""``: inputs touched) when it is up to date."""
    try:
        stored = read_provenance(day_file(store, "partials", inputs.day))
    except OptionsFlowError:
        return "stored day has no readable provenance"
    if stored is None:
        return "new day"
    if any(f.role == "partials" for f in stored.inputs):
        return "stored day was imported from partials"
    if stored.schema_version != PARTIALS_SCHEMA_VERSION:
        return f"partials schema changed ({stored.schema_version} -> {PARTIALS_SCHEMA_VERSION})"
    if stored.optionsflow_version != settings.version:
        return f"code version changed ({stored.optionsflow_version} -> {settings.version})"
    if stored.config_hash != settings.config_hash:
        return "config changed"
    if stored.sectors_hash != settings.sectors_hash:
        return "sector map changed"
    change = _input_change(stored.inputs, inputs)
    if change:
        return change
    kinds: tuple[Literal["rejects", "trades"], ...] = (
        ("rejects", "trades") if keep_trades else ("rejects",)
    )
    for kind in kinds:
        try:
            other: Provenance | None = read_provenance(day_file(store, kind, inputs.day))
        except OptionsFlowError:
            return f"stored {kind} file has no readable provenance"
        if other is None:
            return f"{kind} file missing"
        if other != stored:
            return f"{kind} file from another run"
    return change


def plan_days(
    days: Iterable[DayInputs],
    *,
    store: str | Path,
    settings: Settings,
    force: bool = False,
    keep_trades: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Plan:
    """Decide, for each day within ``date_from``..``date_to`` (inclusive), to write or skip.

    Parameters
    ----------
    days
        The days' inputs (:func:`group_days`).
    store
        The store directory.
    settings
        Config, sector map, their hashes and the code version.
    force
        Write every day.
    keep_trades
        The run keeps labelled trades: a day without its trades file is written.
    date_from, date_to
        Only days in this range (either bound may be left open).

    Returns
    -------
    Plan
        Every day in range with its action and reason (see the module docstring).

    Examples
    --------
    >>> import datetime as dt, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "trades_2026-11-20.csv").write_text("x")
    >>> days, _ = group_days([folder])
    >>> plan = plan_days(days, store=folder / "store", settings=Settings.of(None, None))
    >>> [(d.day.isoformat(), d.action, d.reason) for d in plan.days]
    [('2026-11-20', 'write', 'new day')]
    """
    planned = []
    for inputs in days:
        if (date_from and inputs.day < date_from) or (date_to and inputs.day > date_to):
            continue
        if force:
            planned.append(PlannedDay(inputs, "write", "forced"))
        else:
            planned.append(PlannedDay(inputs, *_decide(inputs, Path(store), settings, keep_trades)))
    return Plan(tuple(planned))
