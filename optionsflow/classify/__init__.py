"""Trade signing (buy / sell) and participant labels (retail / institutional)."""

from optionsflow.classify.participant import classify_participant
from optionsflow.classify.side import GSU_SMALL, LEE_READY, sign_trades

__all__ = ["GSU_SMALL", "LEE_READY", "classify_participant", "sign_trades"]
