"""Where the day jobs run: in this process, a local process pool, or a Dask cluster.

Each executor takes the day tasks and yields their :class:`~optionsflow.batch.day.DayResult`
as days finish. The workers write their day files straight into the store (a
filesystem every worker sees); only the small results travel back.

* ``serial``: one day after another in this process.
* ``pool``: a :class:`concurrent.futures.ProcessPoolExecutor` (spawn context),
  one task per day. ``POLARS_MAX_THREADS`` is put in the environment the
  workers are spawned with, so it is set before they import Polars.
* ``dask``: one ``distributed`` task per day with ``retries=2`` (a lost worker's
  day runs again elsewhere; a day that fails on its data is a result, not an
  exception, so it is not retried). ``"local"`` starts a ``LocalCluster`` of
  worker processes whose environment is set on purpose: ``POLARS_MAX_THREADS``,
  and no ``MALLOC_TRIM_THRESHOLD_`` (Dask's nanny sets 65536 by default, which
  made per-day Polars jobs about twice as slow).

Examples
--------
>>> list(run_serial([]))
[]
>>> polars_threads(2) >= 1
True
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from optionsflow.batch.day import DayResult, DayTask, run_day
from optionsflow.errors import ConfigError
from optionsflow.ingest.scan import IngestCounts

__all__ = [
    "import_distributed",
    "lost_day",
    "polars_threads",
    "run_dask",
    "run_pool",
    "run_serial",
]

THREADS_ENV = "POLARS_MAX_THREADS"
_MALLOC_TRIM = "MALLOC_TRIM_THRESHOLD_"


def polars_threads(workers: int) -> int:
    """Polars threads per worker: the machine's cores shared among ``workers``, at least 1.

    Examples
    --------
    >>> polars_threads(10_000)
    1
    """
    return max(1, (os.cpu_count() or 1) // max(workers, 1))


@contextlib.contextmanager
def _environ(**values: str | None) -> Iterator[None]:
    """Set (or, with ``None``, remove) environment variables for a block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _restored_environ() -> Iterator[None]:
    """Give the block's end the environment of its start back, whatever was set meanwhile."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_serial(tasks: Sequence[DayTask]) -> Iterator[DayResult]:
    """Run the days one after another in this process.

    Examples
    --------
    >>> import datetime as dt, pathlib, tempfile
    >>> from optionsflow.batch.plan import DayInputs, Settings
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> task = DayTask(DayInputs(dt.date(2026, 11, 16), (folder / "gone_2026-11-16.csv",)),
    ...                folder, Settings.of(None, None))
    >>> [r.status for r in run_serial([task])]
    ['failed']
    """
    for task in tasks:
        yield run_day(task)


def run_pool(
    tasks: Sequence[DayTask],
    workers: int,
    *,
    job: Callable[[DayTask], DayResult] = run_day,
) -> Iterator[DayResult]:
    """Run the days in a local spawn-context process pool of ``workers`` processes.

    A worker that dies takes its day with it: that day (and any the broken pool
    had not run) comes back failed, ``worker lost: ...``. ``job`` is the
    function run per day (a picklable module-level function).

    Examples
    --------
    >>> list(run_pool([], 2))
    []
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # Workers are spawned while tasks are submitted; they inherit this environment.
        with _environ(**{THREADS_ENV: str(polars_threads(workers))}):
            futures = {pool.submit(job, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool as exc:  # a worker died: its day (and the pending) failed
                result = lost_day(futures[future], exc)
            yield result


def lost_day(task: DayTask, exc: BaseException) -> DayResult:
    """Return the failed result of a day whose worker died (the next run redoes it).

    Examples
    --------
    >>> import datetime as dt
    >>> from pathlib import Path
    >>> from optionsflow.batch.plan import DayInputs, Settings
    >>> task = DayTask(DayInputs(dt.date(2026, 11, 16), ()), Path("store"), Settings.of(None, None))
    >>> lost_day(task, RuntimeError("killed")).error
    'worker lost: RuntimeError: killed'
    """
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    reason = f"worker lost: {type(exc).__name__}" + (f": {first}" if first else "")
    return DayResult(task.inputs.day, "failed", IngestCounts(), 0.0, reason)


def import_distributed() -> Any:  # noqa: ANN401 - distributed is optional and untyped here
    """Import ``distributed``, or raise a ``ConfigError`` naming the ``optionsflow[dask]`` extra.

    Examples
    --------
    >>> import_distributed().__name__  # with optionsflow[dask] installed
    'distributed'
    """
    try:
        import distributed  # noqa: PLC0415
    except ImportError as exc:
        raise ConfigError(
            "Dask needs the 'distributed' package: pip install 'optionsflow[dask]'",
            column="dask",
        ) from exc
    return distributed


@contextlib.contextmanager
def _client(address: str, distributed: Any) -> Iterator[Any]:  # noqa: ANN401
    """Connect a client to a new local cluster (``"local"``) or of the scheduler at ``address``."""
    if address != "local":
        with distributed.Client(address) as client:
            yield client
        return
    import dask  # noqa: PLC0415

    threads = str(polars_threads(2))
    environ = {
        f"distributed.nanny.pre-spawn-environ.{_MALLOC_TRIM}": None,
        f"distributed.nanny.pre-spawn-environ.{THREADS_ENV}": threads,
    }
    # The nanny copies its pre-spawn environment into this process too: restore it after.
    with (
        _restored_environ(),
        _environ(**{_MALLOC_TRIM: None, THREADS_ENV: threads}),
        dask.config.set(environ),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: no clash with a running dashboard
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def run_dask(tasks: Sequence[DayTask], address: str) -> Iterator[DayResult]:
    """Run one Dask task per day on a new ``LocalCluster`` (``"local"``) or at ``address``.

    Raises
    ------
    ConfigError
        When ``distributed`` is not installed (the ``optionsflow[dask]`` extra).

    Examples
    --------
    No day to run starts no cluster:

    >>> list(run_dask([], "local"))
    []
    """
    distributed = import_distributed()
    if not tasks:
        return
    run = uuid.uuid4().hex[:12]
    with _client(address, distributed) as client:
        futures = {
            client.submit(
                run_day, task, retries=2, pure=False, key=f"optionsflow-{task.inputs.day}-{run}"
            ): task
            for task in tasks
        }
        for future in distributed.as_completed(futures):
            try:
                result: DayResult = future.result()
            except Exception as exc:  # the scheduler gave up on the day (KilledWorker)
                result = lost_day(futures[future], exc)
            yield result
