"""Reports: the weekly flow story computed from partials, rendered as text, JSON or Markdown.

Also the implied-correlation table of ``optionsflow corr`` and its renderer.
"""

from optionsflow.report.correlation import correlation_table, render_correlation
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
    "correlation_table",
    "render",
    "render_correlation",
    "weekly_summary",
]
