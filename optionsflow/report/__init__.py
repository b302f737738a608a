"""Reports: the weekly flow story computed from partials, as text, JSON, Markdown or an HTML page.

Also the implied-correlation table of ``optionsflow corr`` and its renderer.
"""

from optionsflow.report.correlation import correlation_table, render_correlation
from optionsflow.report.html import ReportCharts, build_report, report_charts
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
    "ReportCharts",
    "SectorSkew",
    "SectorWeight",
    "Streak",
    "Summary",
    "ThemeFlow",
    "UnusualContract",
    "build_report",
    "correlation_table",
    "render",
    "render_correlation",
    "report_charts",
    "weekly_summary",
]
