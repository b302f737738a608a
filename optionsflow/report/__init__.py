"""Reports: the weekly flow story computed from partials, rendered as text, JSON or Markdown."""

from optionsflow.report.render import render
from optionsflow.report.summary import (
    ClassSkew,
    Correlation,
    SectorSkew,
    Streak,
    Summary,
    weekly_summary,
)

__all__ = [
    "ClassSkew",
    "Correlation",
    "SectorSkew",
    "Streak",
    "Summary",
    "render",
    "weekly_summary",
]
