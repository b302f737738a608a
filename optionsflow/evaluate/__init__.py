"""Evaluation of the classifiers: signing accuracy, participant calibration, Open-Close comparison.

These functions collect and return reports (dataclasses); the stages they evaluate
live in :mod:`optionsflow.classify`.
"""

from optionsflow.evaluate.open_close import OpenCloseComparison, compare_open_close
from optionsflow.evaluate.participants import (
    Calibration,
    ParticipantReport,
    calibrate_participant,
    evaluate_participant,
)
from optionsflow.evaluate.signing import SigningReport, evaluate_signing

__all__ = [
    "Calibration",
    "OpenCloseComparison",
    "ParticipantReport",
    "SigningReport",
    "calibrate_participant",
    "compare_open_close",
    "evaluate_participant",
    "evaluate_signing",
]
