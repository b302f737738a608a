"""``run_batch``: turn directories of daily vendor files into a store of daily partials.

One call plans the run (which days to write, which are up to date, and why;
:mod:`~optionsflow.batch.plan`), takes the store's lock, sweeps the temporary
files a killed run left, runs one job per day (:func:`~optionsflow.batch.day.run_day`)
here, in a local process pool or on Dask, and reports every day. A run killed at
any moment leaves every stored day either as it was or complete; running again
finishes the job (docs/batch.md).

Examples
--------
>>> import datetime as dt, pathlib, tempfile
>>> from optionsflow.synth import synth_day
>>> folder, store = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
>>> for day in (dt.date(2026, 11, 19), dt.date(2026, 11, 20)):
...     synth_day(day, 300).write_parquet(folder / f"trades_{day}.parquet")
>>> first = run_batch([folder], store=store)
>>> [(d.day.isoformat(), d.status) for d in first.days], first.exit_code
([('2026-11-19', 'written'), ('2026-11-20', 'written')], 0)
>>> again = run_batch([folder], store=store)
>>> {(d.status, d.reason) for d in again.days}
{('skipped', 'up to date')}
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow.batch.day import DayResult, DayTask
from optionsflow.batch.executors import import_distributed, run_dask, run_pool, run_serial
from optionsflow.batch.layout import lock_store, sweep_temporary
from optionsflow.batch.plan import Action, PlannedDay, Settings, group_days, plan_days
from optionsflow.batch.progress import ProgressEvent, ProgressOption, progress_callback
from optionsflow.config import Config, load_config
from optionsflow.errors import ConfigError, SourceError
from optionsflow.ingest.reference.tables import read_sector_map
from optionsflow.ingest.scan import IngestCounts

__all__ = ["BatchReport", "DayReport", "DayState", "run_batch"]

DayState = Literal["written", "failed", "skipped", "planned"]
"""What became of a day: ``planned`` is a day a dry run would write."""
EXIT_FAILED = 2


@dataclass(frozen=True)
class DayReport:
    """One day of a run: the planned action, why, and the job's result when it ran."""

    day: dt.date
    action: Action
    reason: str
    result: DayResult | None = None

    @property
    def status(self) -> DayState:
        """``written`` / ``failed`` when the job ran, else ``skipped`` / ``planned``."""
        if self.result is not None:
            return self.result.status
        return "skipped" if self.action == "skip" else "planned"

    def line(self) -> str:
        """One report line: the job's line, or the plan's action and reason."""
        if self.result is not None:
            return self.result.line()
        return f"{self.day}  {'skip' if self.action == 'skip' else 'would write'}  ({self.reason})"


@dataclass(frozen=True)
class BatchReport:
    """What :func:`run_batch` did (or, with ``dry_run``, would do)."""

    store: Path
    days: tuple[DayReport, ...]
    ignored: tuple[tuple[Path, str], ...] = ()
    """Input files that belong to no day, and why."""
    swept: tuple[Path, ...] = ()
    """Temporary files of an interrupted run removed at the start."""
    dry_run: bool = False
    seconds: float = 0.0

    def _where(self, state: DayState) -> tuple[DayReport, ...]:
        return tuple(d for d in self.days if d.status == state)

    @property
    def written(self) -> tuple[DayReport, ...]:
        """Days written by this run."""
        return self._where("written")

    @property
    def failed(self) -> tuple[DayReport, ...]:
        """Days whose job failed (nothing of them written)."""
        return self._where("failed")

    @property
    def skipped(self) -> tuple[DayReport, ...]:
        """Days left as stored."""
        return self._where("skipped")

    @property
    def totals(self) -> IngestCounts:
        """Accounting summed over the days this run read."""
        total = IngestCounts()
        for d in self.days:
            if d.result is not None:
                total += d.result.counts
        return total

    @property
    def exit_code(self) -> int:
        """2 when any day failed, else 0."""
        return EXIT_FAILED if self.failed else 0

    def lines(self) -> list[str]:
        """Render the report: one line per day, then ignored files, failures and totals."""
        out = [d.line() for d in self.days]
        out += [f"ignored {path}: {why}" for path, why in self.ignored]
        counts = [f"{len(self.written)} written", f"{len(self.skipped)} up to date"]
        if self.dry_run:
            counts = [f"{len(self._where('planned'))} to write", counts[1]]
        if self.failed:
            counts.append(f"{len(self.failed)} failed")
            out += [f"failed {d.day}: {d.result.error if d.result else ''}" for d in self.failed]
        total = self.totals
        out.append(
            f"{self.store}: {', '.join(counts)}; read {total.read:,} trades in {self.seconds:.1f} s"
        )
        return out


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError("expected a date YYYY-MM-DD", column=name, value=value) from None


def _settings(
    config: Config | str | Path | None, sectors: pl.LazyFrame | pl.DataFrame | str | Path | None
) -> Settings:
    cfg = config if isinstance(config, Config) or config is None else load_config(config)
    smap = read_sector_map(sectors) if isinstance(sectors, str | Path) else sectors
    return Settings.of(cfg, smap)


def _execute(tasks: Sequence[DayTask], workers: int, dask: str | None) -> Iterator[DayResult]:
    if dask is not None:
        return run_dask(tasks, dask)
    if workers > 1 and len(tasks) > 1:
        return run_pool(tasks, min(workers, len(tasks)))
    return run_serial(tasks)


def run_batch(
    paths: str | Path | Iterable[str | Path],
    *,
    store: str | Path,
    sectors: pl.LazyFrame | pl.DataFrame | str | Path | None = None,
    config: Config | str | Path | None = None,
    force: bool = False,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    dry_run: bool = False,
    keep_trades: bool = False,
    workers: int = 1,
    dask: Literal["local"] | str | None = None,
    progress: ProgressOption = None,
) -> BatchReport:
    """Bring a store of daily partials up to date with daily vendor files.

    Parameters
    ----------
    paths
        Files, directories or globs of daily trade files (any vendor ``ingest``
        reads; the trading day is the date in each file name; ``quote`` /
        ``cbbo`` files join that day's trades).
    store
        The store directory (created when missing; layout in
        :mod:`~optionsflow.batch.layout`).
    sectors
        ``symbol, sector[, theme]`` map (a frame or a CSV/Parquet path).
    config
        Thresholds: a :class:`~optionsflow.config.Config` or a TOML path.
    force
        Write every day even when up to date.
    date_from, date_to
        Only days in this inclusive range (dates or ``YYYY-MM-DD``).
    dry_run
        Plan only: report each day's action and reason, write nothing, take no lock.
    keep_trades
        Also store the labelled trades of each written day.
    workers
        Local worker processes (``> 1``: a spawn-context process pool).
    dask
        ``"local"`` for a new 2-worker ``LocalCluster``, or a scheduler address
        (``"tcp://host:8786"``); needs ``optionsflow[dask]``.
    progress
        A callable of :class:`~optionsflow.batch.progress.ProgressEvent`,
        ``"auto"`` (lines or a progress line on stderr) or ``"quiet"``/``None``.

    Returns
    -------
    BatchReport
        Every day's action, reason and result; ``exit_code`` is 2 when a day failed.

    Raises
    ------
    SourceError
        When a path is missing, or another run holds the store's lock (naming its pid).
    ConfigError
        For bad options, or ``dask`` without the ``distributed`` package.

    Examples
    --------
    >>> import datetime as dt, pathlib, tempfile
    >>> from optionsflow.synth import synth_day
    >>> folder, store = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
    >>> synth_day(dt.date(2026, 11, 20), 300).write_parquet(folder / "trades_2026-11-20.parquet")
    >>> plan = run_batch([folder], store=store, dry_run=True)
    >>> plan.days[0].line()
    '2026-11-20  would write  (new day)'
    >>> run_batch([folder], store=store, force=True).days[0].result.counts.read
    300
    """
    start = time.perf_counter()
    if workers < 1:
        raise ConfigError("workers must be at least 1", column="workers", value=workers)
    if dask is not None and workers > 1:
        raise ConfigError("give either workers or dask, not both", column="dask")
    if dask is not None:
        import_distributed()
    root = Path(store)
    first, last = _as_date(date_from, "date_from"), _as_date(date_to, "date_to")
    settings = _settings(config, sectors)
    days, ignored = group_days(paths, exclude=root)

    def plan() -> tuple[PlannedDay, ...]:
        return plan_days(
            days, store=root, settings=settings, force=force, keep_trades=keep_trades,
            date_from=first, date_to=last,
        ).days  # fmt: skip

    if dry_run:
        planned = plan()
        reports = tuple(DayReport(p.day, p.action, p.reason) for p in planned)
        return BatchReport(root, reports, tuple(ignored), (), True, time.perf_counter() - start)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SourceError(f"cannot create the store ({exc.strerror})", source=str(root)) from exc
    with lock_store(root):
        swept = tuple(sweep_temporary(root))
        planned = plan()
        # workers (Dask's among them) may run elsewhere: they get absolute paths
        where = root.absolute()
        tasks = [
            DayTask(d.inputs, where, settings, keep_trades) for d in planned if d.action == "write"
        ]
        results = _collect(tasks, workers, dask, progress_callback(progress))
    reports = tuple(DayReport(p.day, p.action, p.reason, results.get(p.day)) for p in planned)
    return BatchReport(root, reports, tuple(ignored), swept, False, time.perf_counter() - start)


def _collect(
    tasks: Sequence[DayTask],
    workers: int,
    dask: str | None,
    report: Callable[[ProgressEvent], None] | None,
) -> dict[dt.date, DayResult]:
    results: dict[dt.date, DayResult] = {}
    started, rows = time.perf_counter(), 0
    for result in _execute(tasks, workers, dask):
        results[result.day] = result
        rows += result.counts.read
        if report is not None:
            event = ProgressEvent(result, len(results), len(tasks), rows,
                                  time.perf_counter() - started)  # fmt: skip
            report(event)
    return results
