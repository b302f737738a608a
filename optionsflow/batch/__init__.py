"""Batch jobs: the per-day pipeline of stages, the store of daily partials and ``run_batch``."""

from optionsflow.batch.day import DayResult
from optionsflow.batch.layout import read_store
from optionsflow.batch.pipeline import classify_trades, flow_partials
from optionsflow.batch.progress import ProgressEvent, ProgressReporter
from optionsflow.batch.provenance import InputFile, Provenance, read_provenance
from optionsflow.batch.run import BatchReport, DayReport, run_batch
from optionsflow.batch.seed import store_partials
from optionsflow.batch.store import partials_of, read_partials, replace_days, write_atomic

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
