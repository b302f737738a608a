"""Reports: the weekly flow story computed from partials, rendered as text, JSON or Markdown.

Also the implied-correlation table of ``optionsflow corr`` and its renderer.
"""

from optionsflow.report.correlation import correlation_table, render_correlation
from optionsflow.report.render import render
from optionsflow.report.summary import (
    ClassSkew,
    Concentration,
    Correlation,
    PutCall,
    SectorSkew,
    SectorWeight,
    Streak,
    Summary,
    ThemeFlow,
    UnusualContract,
    weekly_summary,
)

__all__ = [
    "ClassSkew",
    "Concentration",
    "Correlation",
    "PutCall",
    "SectorSkew",
    "SectorWeight",
    "Streak",
    "Summary",
    "ThemeFlow",
    "UnusualContract",
    "correlation_table",
    "render",
    "render_correlation",
    "weekly_summary",
]
