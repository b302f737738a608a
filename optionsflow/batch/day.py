"""The per-day job of a batch run: one trading day's files in, its day files in the store.

:func:`run_day` ingests the day in quarantine mode (with its quotes), labels and
aggregates it through :func:`~optionsflow.batch.pipeline.flow_partials`, and
writes the trades (with ``keep_trades``), the rejects and, last, the partials,
each atomically and each with the day's provenance in its footer. It never
raises for a bad day: a day whose files cannot be read, or that holds trades of
another day, comes back ``failed`` with the located reason and nothing of it is
written. It is a plain picklable function of a :class:`DayTask`, so a process
pool or a Dask worker runs it as it is.

Examples
--------
>>> import datetime as dt, pathlib, tempfile
>>> from optionsflow.batch.plan import DayInputs, Settings
>>> from optionsflow.synth import synth_day
>>> folder, store = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
>>> day = dt.date(2026, 11, 20)
>>> synth_day(day, 300).write_parquet(folder / "trades_2026-11-20.parquet")
>>> task = DayTask(DayInputs(day, (folder / "trades_2026-11-20.parquet",)), store,
...                Settings.of(None, None))
>>> result = run_day(task)
>>> result.status, result.counts.read, result.error
('written', 300, None)
"""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import PARTIAL_SCHEMA, TRADES, daily_flow
from optionsflow.batch.layout import Kind, day_file
from optionsflow.batch.pipeline import classify_trades
from optionsflow.batch.plan import DayInputs, Settings
from optionsflow.batch.provenance import InputFile, Provenance, fingerprint, stat_input
from optionsflow.batch.store import crash_point, write_atomic
from optionsflow.errors import OptionsFlowError
from optionsflow.ingest.scan import IngestCounts, load_trades
from optionsflow.volatility.enrich import with_greeks

__all__ = ["DayResult", "DayStatus", "DayTask", "run_day"]

DayStatus = Literal["written", "failed"]
"""How a day's job ended."""


@dataclass(frozen=True)
class DayTask:
    """Everything a worker needs to compute and store one day (picklable)."""

    inputs: DayInputs
    store: Path
    settings: Settings
    keep_trades: bool = False


@dataclass(frozen=True)
class DayResult:
    """What a day's job did."""

    day: dt.date
    status: DayStatus
    counts: IngestCounts
    seconds: float
    error: str | None = None
    """The located reason of a failed day (``file:row: reason``)."""
    provenance: Provenance | None = None
    """What the written day files carry in their footers."""

    def line(self) -> str:
        """One report line, e.g. ``2026-11-16  read 2,000  accepted 1,990  ...  0.4 s``.

        Examples
        --------
        >>> import datetime as dt
        >>> DayResult(dt.date(2026, 11, 16), "failed", IngestCounts(), 0.05, "x.csv: empty").line()
        '2026-11-16  FAILED  x.csv: empty  0.1 s'
        """
        if self.status == "failed":
            return f"{self.day}  FAILED  {self.error}  {self.seconds:.1f} s"
        c = self.counts
        return (
            f"{self.day}  read {c.read:,}  accepted {c.accepted:,}  rejected {c.rejected:,}  "
            f"cancelled {c.cancelled:,}  duplicates {c.duplicates:,}  {self.seconds:.1f} s"
        )


class _DayFailedError(Exception):
    """A day that cannot be stored, with the located reason."""


def _file_failures(rejects: pl.DataFrame) -> str:
    """Locate the reasons of the files that could not be read (``raw`` is null for those)."""
    rows = rejects.filter(pl.col("raw").is_null()).head(3)
    parts = []
    for src, row, reason in rows.select(s.SOURCE, s.SOURCE_ROW, "reason").iter_rows():
        parts.append(f"{src}:{row}: {reason}" if row else f"{src}: {reason}")
    return "; ".join(parts) or "an input file could not be read"


def _check_single_day(partials: pl.DataFrame, day: dt.date, inputs: DayInputs) -> None:
    other = (
        partials.filter(pl.col(s.DATE) != day)
        .group_by(s.DATE)
        .agg(pl.col(TRADES).sum())
        .sort(s.DATE)
    )
    if other.height:
        when, count = other.row(0)
        names = ", ".join(p.name for p in inputs.trades)
        raise _DayFailedError(
            f"{names}: holds {count:,} trades of {when} (the file name says {day}); "
            "give each day its own file"
        )


def _compute(
    task: DayTask, counts_out: list[IngestCounts]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame | None]:
    inputs, settings = task.inputs, task.settings
    result = load_trades(
        list(inputs.trades), quotes=list(inputs.quotes) or None, on_invalid="quarantine"
    )
    counts_out.append(result.counts)
    if result.counts.failed_files:
        raise _DayFailedError(_file_failures(result.rejects))
    labelled = classify_trades(result.trades.lazy(), config=settings.config)
    market = settings.config.market
    labelled = with_greeks(labelled, rate=market.rate, dividend=market.dividend)
    trades = labelled.collect() if task.keep_trades else None
    partials = daily_flow(
        labelled if trades is None else trades.lazy(), sectors=settings.sectors
    ).collect()
    _check_single_day(partials, inputs.day, inputs)
    return partials, result.rejects, trades


def _stat_all(inputs: DayInputs) -> tuple[InputFile, ...]:
    return tuple(stat_input(path, role) for path, role in inputs.files())


def _fingerprinted(stats: tuple[InputFile, ...]) -> tuple[InputFile, ...]:
    return tuple(replace(f, fingerprint=fingerprint(f.path)) for f in stats)


def _compute_and_fingerprint(
    task: DayTask, counts: list[IngestCounts]
) -> tuple[tuple[InputFile, ...], tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame | None]]:
    """Stat the inputs, then fingerprint them on a thread while the day is computed.

    BLAKE2b releases the GIL, so hashing overlaps the ingest instead of adding a
    pass over the files before it. A file that cannot be hashed is reported as it
    was when hashing came first: its error wins over the computation's.
    """
    stats = _stat_all(task.inputs)
    with ThreadPoolExecutor(1, thread_name_prefix="optionsflow-fingerprint") as hashing:
        digests = hashing.submit(_fingerprinted, stats)
        try:
            computed = _compute(task, counts)
        except Exception:
            if digests.exception() is not None:
                counts.clear()
                digests.result()
            raise
        return digests.result(), computed


def run_day(task: DayTask) -> DayResult:
    """Compute one day and write its files into the store; never raises for a bad day.

    Parameters
    ----------
    task
        The day's inputs, the store, the settings and whether to keep trades.

    Returns
    -------
    DayResult
        ``written`` with the day's accounting (``read = accepted + rejected +
        cancelled + duplicates``) and provenance, or ``failed`` with the located
        reason (nothing of the day written: a stored older version stays).

    Examples
    --------
    Garbage bytes under a trades name fail the day with the file named:

    >>> import datetime as dt, pathlib, tempfile
    >>> from optionsflow.batch.plan import DayInputs, Settings
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> bad = folder / "trades_2026-11-18.parquet"
    >>> _ = bad.write_bytes(b"PAR1 garbage")
    >>> task = DayTask(DayInputs(dt.date(2026, 11, 18), (bad,)), folder / "store",
    ...                Settings.of(None, None))
    >>> result = run_day(task)
    >>> result.status, "trades_2026-11-18.parquet" in str(result.error)
    ('failed', True)
    """
    start = time.perf_counter()
    inputs = task.inputs
    counts: list[IngestCounts] = []
    try:
        before, (partials, rejects, trades) = _compute_and_fingerprint(task, counts)
        after = _stat_all(inputs)
        changed = [a.path for a, b in zip(after, before, strict=True) if not a.same_stat(b)]
        if changed:
            raise _DayFailedError(f"{changed[0]}: changed while the day was being read")
        settings = task.settings
        prov = Provenance(
            day=inputs.day,
            inputs=before,
            config_hash=settings.config_hash,
            sectors_hash=settings.sectors_hash,
            counts=counts[0],
            optionsflow_version=settings.version,
        )
        _write_day(task, prov, partials, rejects, trades)
    except Exception as exc:  # a bad day is reported, never fatal to the run
        found = counts[0] if counts else IngestCounts()
        return DayResult(inputs.day, "failed", found, time.perf_counter() - start, _reason(exc))
    return DayResult(inputs.day, "written", counts[0], time.perf_counter() - start, None, prov)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, _DayFailedError | OptionsFlowError):
        return first
    return f"{type(exc).__name__}: {first}"


def _write_day(
    task: DayTask,
    prov: Provenance,
    partials: pl.DataFrame,
    rejects: pl.DataFrame,
    trades: pl.DataFrame | None,
) -> None:
    """Write the day's files, partials last: a day is complete when its partials footer says so."""
    meta = prov.metadata()
    day = task.inputs.day
    files: list[tuple[Kind, pl.DataFrame]] = [("rejects", rejects)]
    if trades is not None:
        files.insert(0, ("trades", trades))
    for kind, frame in files:
        _write(day_file(task.store, kind, day), frame, meta)
    if trades is None:  # a trades file of an earlier run no longer matches the day
        day_file(task.store, "trades", day).unlink(missing_ok=True)
    body = partials.select(c for c in PARTIAL_SCHEMA if c != s.DATE)
    _write(day_file(task.store, "partials", day), body, meta)
    crash_point("day")


def _write(target: Path, frame: pl.DataFrame, meta: dict[str, str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(frame, target, metadata=meta)
