"""Scale-out: a process pool and a real Dask LocalCluster write the store a serial run writes."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import polars as pl
import pytest

from optionsflow.batch import run_batch
from optionsflow.batch.day import DayResult, DayTask
from optionsflow.batch.executors import (
    _client,
    _restored_environ,
    import_distributed,
    polars_threads,
    run_pool,
)
from optionsflow.batch.plan import DayInputs, Settings
from optionsflow.batch.store import CRASH_ENV, CRASH_ONCE_ENV
from optionsflow.errors import ConfigError
from optionsflow.ingest.scan import IngestCounts

from batch_helpers import DAYS, assert_same_store, day_path, make_days

HAVE_DISTRIBUTED = importlib.util.find_spec("distributed") is not None


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_days(tmp_path_factory.mktemp("inputs"))
    day_path(folder, DAYS[2]).write_bytes(b"not a trade file")  # a failing day travels too
    return folder


@pytest.fixture(scope="module")
def serial(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("serial") / "store"
    assert run_batch([inputs], store=store).exit_code == 2
    return store


def test_process_pool_store_equals_serial(inputs: Path, serial: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    report = run_batch([inputs], store=store, workers=2)
    assert [d.day for d in report.written] == [DAYS[0], DAYS[1], DAYS[3]]
    assert [d.day for d in report.failed] == [DAYS[2]]
    assert report.exit_code == 2
    assert_same_store(store, serial)


@pytest.mark.skipif(not HAVE_DISTRIBUTED, reason="distributed (optionsflow[dask]) not installed")
def test_dask_local_cluster_store_equals_serial(inputs: Path, serial: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    report = run_batch([inputs], store=store, dask="local")
    assert [d.day for d in report.written] == [DAYS[0], DAYS[1], DAYS[3]]
    failed = report.failed[0].result
    assert failed is not None
    assert str(day_path(inputs, DAYS[2])) in str(failed.error)
    assert_same_store(store, serial)
    again = run_batch([inputs], store=store, dask="local")
    assert [d.status for d in again.days] == ["skipped", "skipped", "failed", "skipped"]


def test_dask_missing_names_the_extra(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ConfigError, match=r"optionsflow\[dask\]"):
        run_batch([inputs], store=tmp_path / "store", dask="local")


def test_polars_threads_share_the_cores() -> None:
    assert polars_threads(1) >= polars_threads(2) >= 1


def _worker_environment() -> dict[str, str | int | None]:
    return {
        "POLARS_MAX_THREADS": os.environ.get("POLARS_MAX_THREADS"),
        "MALLOC_TRIM_THRESHOLD_": os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        "polars_threads": pl.thread_pool_size(),
    }


@pytest.mark.skipif(not HAVE_DISTRIBUTED, reason="distributed (optionsflow[dask]) not installed")
def test_local_cluster_worker_environment_is_set_on_purpose() -> None:
    before = dict(os.environ)
    with _client("local", import_distributed()) as client:
        found = client.run(_worker_environment)
    assert len(found) == 2
    for env in found.values():
        assert env["MALLOC_TRIM_THRESHOLD_"] is None
        assert env["POLARS_MAX_THREADS"] == str(polars_threads(2))
        assert env["polars_threads"] == polars_threads(2)
    assert dict(os.environ) == before


@pytest.mark.skipif(not HAVE_DISTRIBUTED, reason="distributed (optionsflow[dask]) not installed")
def test_dask_reruns_the_day_of_a_killed_worker(
    inputs: Path, serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first worker to finish a day is SIGKILLed before it returns the result: the
    # scheduler reschedules that day elsewhere, which writes it again, identically.
    monkeypatch.setenv(CRASH_ENV, "day:1")
    monkeypatch.setenv(CRASH_ONCE_ENV, str(tmp_path / "killed-once"))
    store = tmp_path / "store"
    report = run_batch([inputs], store=store, dask="local")
    assert (tmp_path / "killed-once").exists()
    assert [d.day for d in report.written] == [DAYS[0], DAYS[1], DAYS[3]]
    assert_same_store(store, serial)


def test_process_pool_reports_the_days_of_a_dead_worker(
    inputs: Path, serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CRASH_ENV, "day:1")
    monkeypatch.setenv(CRASH_ONCE_ENV, str(tmp_path / "killed-once"))
    store = tmp_path / "store"
    report = run_batch([inputs], store=store, workers=2)
    lost = [d for d in report.failed if d.result and str(d.result.error).startswith("worker lost")]
    assert lost
    assert report.exit_code == 2
    monkeypatch.delenv(CRASH_ENV)
    again = run_batch([inputs], store=store, workers=2)
    # the dead worker's day was complete on disk before it died: only unfinished days run again
    assert {d.day for d in again.written} <= {d.day for d in lost}
    assert [d.day for d in again.failed] == [DAYS[2]]
    assert_same_store(store, serial)


def _threads_probe(task: DayTask) -> DayResult:
    """Run in a pool worker: report the worker's Polars thread pool size as ``counts.read``."""
    return DayResult(task.inputs.day, "written", IngestCounts(read=pl.thread_pool_size()), 0.0)


def test_process_pool_workers_get_their_polars_threads_before_import(tmp_path: Path) -> None:
    settings = Settings.of(None, None)
    tasks = [DayTask(DayInputs(day, ()), tmp_path, settings) for day in DAYS[:2]]
    before = dict(os.environ)
    results = list(run_pool(tasks, 2, job=_threads_probe))
    assert [r.counts.read for r in results] == [polars_threads(2)] * 2
    assert dict(os.environ) == before


@pytest.mark.skipif(not HAVE_DISTRIBUTED, reason="distributed (optionsflow[dask]) not installed")
def test_dask_scheduler_address(inputs: Path, serial: Path, tmp_path: Path) -> None:
    distributed = import_distributed()
    with (
        _restored_environ(),  # the nanny writes its worker environment into ours
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
    ):
        store = tmp_path / "store"
        report = run_batch([inputs], store=store, dask=cluster.scheduler_address)
    assert [d.day for d in report.written] == [DAYS[0], DAYS[1], DAYS[3]]
    assert_same_store(store, serial)
