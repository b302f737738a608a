"""Helpers of the batch-run tests: synthetic day files, store snapshots, a run in a subprocess."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import polars as pl

from optionsflow.batch.layout import KINDS
from optionsflow.batch.provenance import Provenance, read_provenance
from optionsflow.synth import synth_day

ROOT = Path(__file__).resolve().parents[2]
DAYS = [dt.date(2026, 11, 16), dt.date(2026, 11, 17), dt.date(2026, 11, 18), dt.date(2026, 11, 19)]
N_TRADES = 2_000

Snapshot = dict[tuple[str, dt.date], tuple[pl.DataFrame, Provenance | None]]


def day_path(folder: Path, day: dt.date) -> Path:
    return folder / f"trades_{day.isoformat()}.parquet"


def make_days(folder: Path, days: list[dt.date] = DAYS, n: int = N_TRADES) -> Path:
    """Write one canonical synthetic trade file per day into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for day in days:
        synth_day(day, n).write_parquet(day_path(folder, day))
    return folder


def snapshot(store: Path) -> Snapshot:
    """Every day file of a store: its frame and its provenance, by (kind, day)."""
    found: Snapshot = {}
    for kind in KINDS:
        for path in sorted((store / kind).glob("date=*/*.parquet")):
            day = dt.date.fromisoformat(path.parent.name.partition("=")[2])
            found[kind, day] = (pl.read_parquet(path), read_provenance(path))
    return found


def assert_same_store(got: Path, want: Path) -> None:
    """Same day files, frame-equal, with the same provenance; no temporary file left."""
    a, b = snapshot(got), snapshot(want)
    assert sorted(a) == sorted(b)
    for key in a:
        assert a[key][0].equals(b[key][0]), key
        assert a[key][1] == b[key][1], key
    assert not list(got.rglob("*.tmp"))


def file_stats(store: Path) -> dict[str, int]:
    """``mtime_ns`` of every file below ``store`` but the lock (to see that a run wrote nothing)."""
    files = (p for p in store.rglob("*") if p.is_file() and p.name != ".lock")
    return {str(p): p.stat().st_mtime_ns for p in files}


def batch_script(inputs: Path, store: Path, extra: str = "") -> str:
    return (
        "from optionsflow.batch import run_batch\n"
        f"report = run_batch([{str(inputs)!r}], store={str(store)!r}{extra})\n"
        "raise SystemExit(report.exit_code)\n"
    )


def batch_process(
    inputs: Path, store: Path, *, env: dict[str, str] | None = None, extra: str = ""
) -> subprocess.Popen[bytes]:
    """Start ``run_batch`` in a new Python process (this checkout first on the path)."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-c", batch_script(inputs, store, extra)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
