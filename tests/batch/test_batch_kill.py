"""Safe to kill: a run SIGKILLed at any point, then run again, leaves the store a clean run writes.

Deterministic points come from the ``OPTIONSFLOW_CRASH_AT`` hook (``written:k``: the k-th
temporary file is complete but not yet renamed; ``replaced:k``: just after the k-th
rename; ``day:k``: after k days); timed kills hit wherever the run happens to be.
Concurrent runs: the second fails at once on the lock, naming the holder's pid.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from optionsflow.batch import read_store, run_batch
from optionsflow.batch.layout import day_file, lock_store
from optionsflow.batch.provenance import read_provenance
from optionsflow.batch.store import CRASH_ENV
from optionsflow.errors import SourceError

from batch_helpers import DAYS, assert_same_store, batch_process, make_days, snapshot


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_days(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def clean(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("clean") / "store"
    assert run_batch([inputs], store=store).exit_code == 0
    return store


def assert_no_partial_day(store: Path) -> None:
    """Every visible day is complete: partials and rejects carry the same provenance."""
    for (kind, day), (_, prov) in snapshot(store).items():
        if kind == "partials":
            assert prov is not None
            assert read_provenance(day_file(store, "rejects", day)) == prov
    if list(store.glob("partials/date=*/*.parquet")):
        read_store(store).collect()


@pytest.mark.parametrize(
    ("point", "temporary_left"),
    [("written:1", True), ("written:4", True), ("replaced:3", False), ("day:2", False)],
)
def test_killed_at_a_crash_point_then_resumed(
    inputs: Path, clean: Path, tmp_path: Path, point: str, temporary_left: bool
) -> None:
    store = tmp_path / "store"
    proc = batch_process(inputs, store, env={CRASH_ENV: point})
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err.decode()
    assert bool(list(store.rglob(".*.tmp"))) == temporary_left
    assert_no_partial_day(store)
    report = run_batch([inputs], store=store)
    assert report.exit_code == 0
    assert bool(report.swept) == temporary_left
    assert_same_store(store, clean)


def test_killed_while_rewriting_a_stored_day_keeps_the_old_day(
    inputs: Path, clean: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    run_batch([inputs], store=store)
    proc = batch_process(inputs, store, env={CRASH_ENV: "written:2"}, extra=", force=True")
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert_same_store_but_temporary(store, clean)
    run_batch([inputs], store=store)
    assert_same_store(store, clean)


def assert_same_store_but_temporary(store: Path, clean: Path) -> None:
    a, b = snapshot(store), snapshot(clean)
    assert sorted(a) == sorted(b)
    assert all(a[k][0].equals(b[k][0]) and a[k][1] == b[k][1] for k in a)


def slow_progress(marker: Path, pause: float) -> str:
    """A ``run_batch`` argument: touch ``marker`` and pause after each day."""
    return (
        f", progress=lambda e: (__import__('pathlib').Path({str(marker)!r}).touch(), "
        f"__import__('time').sleep({pause}))"
    )


def wait_for(marker: Path, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[1].decode()
        assert time.monotonic() < deadline
        time.sleep(0.01)


@pytest.mark.parametrize("delay", [0.0, 0.07, 0.13, 0.21])
def test_killed_after_a_delay_then_resumed(
    inputs: Path, clean: Path, tmp_path: Path, delay: float
) -> None:
    store = tmp_path / "store"
    marker = tmp_path / "first-day-done"
    proc = batch_process(inputs, store, extra=slow_progress(marker, 0.05))
    wait_for(marker, proc)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    if store.exists():
        assert_no_partial_day(store)
    assert run_batch([inputs], store=store).exit_code == 0
    assert_same_store(store, clean)


def test_concurrent_run_fails_on_the_lock(inputs: Path, clean: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    started = tmp_path / "started"
    proc = batch_process(inputs, store, extra=slow_progress(started, 0.5))
    wait_for(started, proc)
    with pytest.raises(SourceError, match=rf"another run \(pid {proc.pid}\)") as err:
        run_batch([inputs], store=store)
    assert err.value.source == str(store)
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert_same_store(store, clean)


def test_dry_run_needs_no_lock(inputs: Path, clean: Path) -> None:
    with lock_store(clean):
        plan = run_batch([inputs], store=clean, dry_run=True)
    assert {d.reason for d in plan.days} == {"up to date"}
    assert [d.day for d in plan.days] == DAYS


@pytest.mark.parametrize("point", ["written:2", "written:6", "day:3"])
def test_killed_while_keeping_trades_then_resumed(inputs: Path, tmp_path: Path, point: str) -> None:
    clean_store = tmp_path / "clean"
    run_batch([inputs], store=clean_store, keep_trades=True)
    store = tmp_path / "store"
    proc = batch_process(inputs, store, env={CRASH_ENV: point}, extra=", keep_trades=True")
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert_no_partial_day(store)
    run_batch([inputs], store=store, keep_trades=True)
    assert_same_store(store, clean_store)
