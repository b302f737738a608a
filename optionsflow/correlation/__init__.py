"""Implied correlation of an index and percentile ranks of its history.

See DESIGN.md section 6 for the Cboe implied-correlation definition.
"""

from __future__ import annotations

from optionsflow.correlation.implied import implied_correlation
from optionsflow.correlation.percentile import percentile_rank

__all__ = ["implied_correlation", "percentile_rank"]
