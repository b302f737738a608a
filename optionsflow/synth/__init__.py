"""Deterministic synthetic options market with ground-truth labels.

Used for the bundled sample data, for benchmarks and for accuracy tests of
the classifiers: every print carries ``true_side``, ``true_participant`` and
``true_order_id``.
"""

from optionsflow.synth.index import full_sector_map, index_weights, members, weights_history
from optionsflow.synth.paths import EPOCH, HORIZON, MarketPaths, SynthConfig, market_paths
from optionsflow.synth.trades import synth_day
from optionsflow.synth.universe import UNIVERSE, sector_map, universe_frame

__all__ = [
    "EPOCH",
    "HORIZON",
    "UNIVERSE",
    "MarketPaths",
    "SynthConfig",
    "full_sector_map",
    "index_weights",
    "market_paths",
    "members",
    "sector_map",
    "synth_day",
    "universe_frame",
    "weights_history",
]
