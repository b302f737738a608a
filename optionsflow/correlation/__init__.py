"""Implied correlation, dispersion and concentration of an index.

See DESIGN.md section 6 for the Cboe implied-correlation definition;
:mod:`~optionsflow.correlation.dispersion` for the dispersion index (Cboe DSPX) and
:mod:`~optionsflow.correlation.concentration` for top-N share, sector weights and the
equal- vs cap-weight return spread. Dated weights are snapshots that apply as of their
date (:mod:`~optionsflow.correlation.snapshots`, :func:`weights_as_of`), in every one of them.
"""

from __future__ import annotations

from optionsflow.correlation.concentration import concentration, sector_weights, weighting_spread
from optionsflow.correlation.dispersion import (
    dispersion_expr,
    dispersion_index,
    proxy_correlation_expr,
)
from optionsflow.correlation.implied import implied_correlation
from optionsflow.correlation.percentile import percentile_rank
from optionsflow.correlation.snapshots import weights_as_of

__all__ = [
    "concentration",
    "dispersion_expr",
    "dispersion_index",
    "implied_correlation",
    "percentile_rank",
    "proxy_correlation_expr",
    "sector_weights",
    "weighting_spread",
    "weights_as_of",
]
