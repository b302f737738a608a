"""Batch jobs: the per-day pipeline of stages, the store of daily partials and ``run_batch``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from optionsflow._typing import lazy_exports

if TYPE_CHECKING:
    from optionsflow.batch.day import DayResult
    from optionsflow.batch.layout import read_store
    from optionsflow.batch.pipeline import classify_trades, flow_partials
    from optionsflow.batch.progress import ProgressEvent, ProgressReporter
    from optionsflow.batch.provenance import InputFile, Provenance, read_provenance
    from optionsflow.batch.run import BatchReport, DayReport, run_batch
    from optionsflow.batch.seed import store_partials
    from optionsflow.batch.store import partials_of, read_partials, replace_days, write_atomic

_HOME = {
    "BatchReport": "optionsflow.batch.run",
    "DayReport": "optionsflow.batch.run",
    "DayResult": "optionsflow.batch.day",
    "InputFile": "optionsflow.batch.provenance",
    "ProgressEvent": "optionsflow.batch.progress",
    "ProgressReporter": "optionsflow.batch.progress",
    "Provenance": "optionsflow.batch.provenance",
    "classify_trades": "optionsflow.batch.pipeline",
    "flow_partials": "optionsflow.batch.pipeline",
    "partials_of": "optionsflow.batch.store",
    "read_partials": "optionsflow.batch.store",
    "read_provenance": "optionsflow.batch.provenance",
    "read_store": "optionsflow.batch.layout",
    "replace_days": "optionsflow.batch.store",
    "run_batch": "optionsflow.batch.run",
    "store_partials": "optionsflow.batch.seed",
    "write_atomic": "optionsflow.batch.store",
}

__all__ = [
    "BatchReport",
    "DayReport",
    "DayResult",
    "InputFile",
    "ProgressEvent",
    "ProgressReporter",
    "Provenance",
    "classify_trades",
    "flow_partials",
    "partials_of",
    "read_partials",
    "read_provenance",
    "read_store",
    "replace_days",
    "run_batch",
    "store_partials",
    "write_atomic",
]

if not TYPE_CHECKING:  # type checkers read the imports above; a typo stays an error for them
    __getattr__, __dir__ = lazy_exports(__name__, _HOME)
