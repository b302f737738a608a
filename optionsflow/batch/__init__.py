"""Batch jobs: the per-day pipeline of stages and the store of daily partials."""

from optionsflow.batch.pipeline import classify_trades, flow_partials
from optionsflow.batch.store import partials_of, read_partials, replace_days, write_atomic

__all__ = [
    "classify_trades",
    "flow_partials",
    "partials_of",
    "read_partials",
    "replace_days",
    "write_atomic",
]
