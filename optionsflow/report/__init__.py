"""Reports: the weekly flow story computed from partials, as text, JSON, Markdown or an HTML page.

Also the implied-correlation table of ``optionsflow corr`` and its renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optionsflow._typing import lazy_exports

# ``render`` is also a submodule's name: imported here, the function (not the module) is
# the package attribute whichever submodule loads first
from optionsflow.report.render import render

if TYPE_CHECKING:
    from optionsflow.report.correlation import correlation_table, render_correlation
    from optionsflow.report.html import ReportCharts, build_report, report_charts
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

_HOME = {
    "ClassSkew": "optionsflow.report.summary",
    "Concentration": "optionsflow.report.summary",
    "Correlation": "optionsflow.report.summary",
    "PutCall": "optionsflow.report.summary",
    "ReportCharts": "optionsflow.report.html",
    "SectorSkew": "optionsflow.report.summary",
    "SectorWeight": "optionsflow.report.summary",
    "Streak": "optionsflow.report.summary",
    "Summary": "optionsflow.report.summary",
    "ThemeFlow": "optionsflow.report.summary",
    "UnusualContract": "optionsflow.report.summary",
    "build_report": "optionsflow.report.html",
    "correlation_table": "optionsflow.report.correlation",
    "render_correlation": "optionsflow.report.correlation",
    "report_charts": "optionsflow.report.html",
    "weekly_summary": "optionsflow.report.summary",
}

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

if not TYPE_CHECKING:  # names load on first use; type checkers read the imports above
    __getattr__, __dir__ = lazy_exports(__name__, _HOME)
