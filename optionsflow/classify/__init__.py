"""Trade signing (buy / sell) and participant labels (retail / institutional)."""

from optionsflow.classify.orders import reconstruct_orders
from optionsflow.classify.participant import classify_participant
from optionsflow.classify.side import (
    GSU_LARGE,
    GSU_SMALL,
    LEE_READY,
    STACKS,
    neighbour_prices,
    sign_trades,
)

__all__ = [
    "GSU_LARGE",
    "GSU_SMALL",
    "LEE_READY",
    "STACKS",
    "classify_participant",
    "neighbour_prices",
    "reconstruct_orders",
    "sign_trades",
]
