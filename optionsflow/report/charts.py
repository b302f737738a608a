"""Charts of the weekly story, drawn with matplotlib (the ``optionsflow[report]`` extra).

Every chart is a function from small collected frames to a
:class:`matplotlib.figure.Figure` (no pyplot, no global state), and
:func:`to_svg` / :func:`to_png` write it the same way every time: fixed fonts,
text kept as text, a fixed SVG id salt and no dates in the metadata, so the
same input gives the same bytes.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> share = pl.DataFrame({"week_start": [dt.date(2026, 11, 9), dt.date(2026, 11, 16)],
...                       "contract_share": [0.58, 0.61], "premium_share": [0.2, 0.22]})
>>> svg = to_svg(share_chart(share))
>>> svg.startswith("<svg") and svg == to_svg(share_chart(share))
True
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import polars as pl
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

__all__ = [
    "STYLE",
    "correlation_chart",
    "index_chart",
    "put_call_chart",
    "share_chart",
    "skew_chart",
    "streak_chart",
    "to_png",
    "to_svg",
]

STYLE: Any = {
    "svg.hashsalt": "optionsflow",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
"""matplotlib settings of every chart: deterministic ids, text as text, one font."""

CLASS_COLOURS = {"retail": "#1f77b4", "institutional": "#ff7f0e"}
UP, DOWN, STREAK = "#2ca02c", "#d62728", "#ffe08a"


def _figure(rows: int = 1, height: float = 3.2) -> Figure:
    with rc_context(STYLE):
        fig = Figure(figsize=(8.0, height * rows), dpi=100, layout="constrained")
        fig.subplots(rows, 1, squeeze=False)
    return fig


def to_svg(fig: Figure) -> str:
    """Draw ``fig`` as an inline SVG element (no XML header, no date).

    Parameters
    ----------
    fig
        A chart of this module.

    Returns
    -------
    str
        ``<svg ...>...</svg>``, the same bytes for the same figure.

    Examples
    --------
    >>> to_svg(_figure()).startswith("<svg")
    True
    """
    buf = io.StringIO()
    with rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    # the RDF metadata block names schema URLs; the page needs none of it
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text[text.index("<svg") :], flags=re.S)


def to_png(fig: Figure, path: Path) -> None:
    r"""Write ``fig`` as a PNG file without time stamps or version metadata.

    Parameters
    ----------
    fig
        A chart of this module.
    path
        The file to write.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     to_png(_figure(), Path(d) / "x.png")
    ...     (Path(d) / "x.png").read_bytes()[:4]
    b'\x89PNG'
    """
    with rc_context(STYLE):
        fig.savefig(path, format="png", metadata={"Software": None})


def streak_chart(
    weekly: pl.DataFrame, streaks: dict[str, int], closes: pl.DataFrame | None = None
) -> Figure:
    """Weekly net call buying per class, the current streak shaded, the index level beside.

    Parameters
    ----------
    weekly
        ``participant, week_start, net_call_buying`` over the lookback.
    streaks
        Current streak (weeks) per class: the last that many weeks are shaded.
    closes
        ``week_start, close`` (the index's last close of each week), or ``None``.

    Returns
    -------
    Figure
        One panel per class; each bar is a week's net (contracts).

    Examples
    --------
    >>> import datetime as dt
    >>> w = pl.DataFrame({"participant": ["retail"] * 2, "net_call_buying": [5.0, -2.0],
    ...                   "week_start": [dt.date(2026, 11, 9), dt.date(2026, 11, 16)]})
    >>> [float(bar.get_height()) for bar in streak_chart(w, {"retail": 0}).axes[0].containers[0]]
    [5.0, -2.0]
    """
    classes = list(dict.fromkeys(weekly["participant"].to_list()))
    fig = _figure(max(len(classes), 1))
    with rc_context(STYLE):
        for ax, p in zip(fig.axes, classes, strict=False):
            rows = weekly.filter(pl.col("participant") == p).sort("week_start")
            x = rows["week_start"].to_list()
            net = rows["net_call_buying"].to_list()
            ax.bar(x, net, width=5, color=[UP if v > 0 else DOWN for v in net])
            n = streaks.get(p, 0)
            if n:
                ax.axvspan(x[-n], x[-1], color=STREAK, alpha=0.5, zorder=0, label=f"streak {n}w")
                ax.legend(loc="upper left")
            ax.set_title(f"{p.capitalize()} net call buying per week (contracts)")
            ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
            ax.axhline(0, color="black", linewidth=0.6)
            if closes is not None and closes.height:
                twin = ax.twinx()
                twin.plot(closes["week_start"].to_list(), closes["close"].to_list(),
                          color="black", linewidth=1.0)  # fmt: skip
                twin.set_ylabel("index level")
    return fig


def skew_chart(skews: pl.DataFrame) -> Figure:
    """Sector skew of each class this week against its trailing baseline.

    Parameters
    ----------
    skews
        ``participant, sector, skew, baseline`` for this week.

    Returns
    -------
    Figure
        One panel per class: a bar per sector (skew), a black mark at its baseline.

    Examples
    --------
    >>> s = pl.DataFrame({"participant": ["retail"], "sector": ["Energy"], "skew": [0.2],
    ...                   "baseline": [0.1]})
    >>> float(skew_chart(s).axes[0].patches[0].get_width())
    0.2
    """
    classes = list(dict.fromkeys(skews["participant"].to_list()))
    fig = _figure(max(len(classes), 1), height=3.8)
    with rc_context(STYLE):
        for ax, p in zip(fig.axes, classes, strict=False):
            rows = skews.filter(pl.col("participant") == p).sort("sector", descending=True)
            y = rows["sector"].to_list()
            ax.barh(y, rows["skew"].fill_null(0.0).to_list(), color=CLASS_COLOURS.get(p))
            ax.scatter(rows["baseline"].to_list(), y, color="black", marker="|", s=120,
                       zorder=3, label="baseline")  # fmt: skip
            ax.axvline(0, color="black", linewidth=0.6)
            ax.set_title(f"{p.capitalize()} premium skew (buy - sell) / (buy + sell) by sector")
            ax.legend(loc="lower right")
    return fig


def correlation_chart(series: pl.DataFrame) -> Figure:
    """Implied correlation over the past year, its one-year 10-90% band and range, today marked.

    Parameters
    ----------
    series
        ``date, implied_correlation`` over the trailing year, last row today.

    Returns
    -------
    Figure
        One panel.

    Examples
    --------
    >>> import datetime as dt
    >>> s = pl.DataFrame({"date": [dt.date(2026, 11, 19), dt.date(2026, 11, 20)],
    ...                   "implied_correlation": [0.3, 0.25]})
    >>> len(correlation_chart(s).axes[0].lines)  # the series, today, the low and the high
    4
    """
    fig = _figure()
    rho = series["implied_correlation"]
    with rc_context(STYLE):
        ax = fig.axes[0]
        dates = series["date"].to_list()
        if series.height:
            lo, hi = rho.quantile(0.1) or 0.0, rho.quantile(0.9) or 0.0
            ax.axhspan(lo, hi, color="#cccccc", alpha=0.5, label="10th-90th percentile")
            ax.plot(
                dates, rho.to_list(), color="#1f77b4", linewidth=1.2, label="implied correlation"
            )
            ax.plot([dates[-1]], [rho[-1]], "o", color=DOWN, label=f"today {rho[-1]:.3f}")
            ax.axhline(rho.min(), color="grey", linestyle=":", linewidth=0.8)  # type: ignore[arg-type]
            ax.axhline(rho.max(), color="grey", linestyle=":", linewidth=0.8)  # type: ignore[arg-type]
            ax.legend(loc="upper left")
        ax.set_title("Implied correlation over the past year (dotted: one-year low and high)")
    return fig


def share_chart(share: pl.DataFrame) -> Figure:
    """Retail share of contracts and of premium, week by week.

    Parameters
    ----------
    share
        ``week_start, contract_share, premium_share`` of retail.

    Returns
    -------
    Figure
        One panel, shares in percent.

    Examples
    --------
    >>> import datetime as dt
    >>> s = pl.DataFrame({"week_start": [dt.date(2026, 11, 16)], "contract_share": [0.6],
    ...                   "premium_share": [0.2]})
    >>> [[float(y) for y in line.get_ydata()] for line in share_chart(s).axes[0].lines]
    [[60.0], [20.0]]
    """
    fig = _figure()
    with rc_context(STYLE):
        ax = fig.axes[0]
        x = share["week_start"].to_list()
        for col, label in (("contract_share", "of contracts"), ("premium_share", "of premium")):
            ax.plot(x, (share[col] * 100).to_list(), marker=".", label=f"retail share {label}")
        ax.set_ylabel("%")
        ax.set_title("Retail share of options volume by week")
        ax.legend(loc="upper left")
    return fig


def put_call_chart(ratio: pl.DataFrame) -> Figure:
    """Put/call contract ratio of each class, week by week.

    Parameters
    ----------
    ratio
        ``participant, week_start, put_call_ratio``.

    Returns
    -------
    Figure
        One panel, one line per class.

    Examples
    --------
    >>> import datetime as dt
    >>> r = pl.DataFrame({"participant": ["retail"], "week_start": [dt.date(2026, 11, 16)],
    ...                   "put_call_ratio": [0.45]})
    >>> [float(y) for y in put_call_chart(r).axes[0].lines[0].get_ydata()]
    [0.45]
    """
    fig = _figure()
    with rc_context(STYLE):
        ax = fig.axes[0]
        for p in dict.fromkeys(ratio["participant"].to_list()):
            rows = ratio.filter(pl.col("participant") == p).sort("week_start")
            ax.plot(rows["week_start"].to_list(), rows["put_call_ratio"].to_list(), marker=".",
                    color=CLASS_COLOURS.get(p), label=p)  # fmt: skip
        ax.set_title("Put/call ratio (contracts) by class and week")
        ax.legend(loc="upper left")
    return fig


def index_chart(weights: pl.DataFrame, top_share: float | None, index: str = "SPX") -> Figure:
    """Sector weights in the index, with each sector's peak and the top-ten share in the title.

    Parameters
    ----------
    weights
        ``sector, weight[, peak, peak_year]`` (fractions of the index); a peak
        above today's weight is marked with its year (dated weights history).
    top_share
        Share of the ten heaviest names, or ``None``.
    index
        Name of the index.

    Returns
    -------
    Figure
        One panel, a bar per sector (percent), a black mark at each higher peak.

    Examples
    --------
    >>> w = pl.DataFrame({"sector": ["Energy", "Tech"], "weight": [0.03, 0.4],
    ...                   "peak": [0.161, None], "peak_year": [2008, None]})
    >>> ax = index_chart(w, 0.39).axes[0]
    >>> [round(float(p.get_width()), 6) for p in ax.patches]
    [3.0, 40.0]
    >>> [t.get_text() for t in ax.texts]
    ['peak 16.1% (2008)']
    """
    fig = _figure(height=3.8)
    with rc_context(STYLE):
        ax = fig.axes[0]
        # bottom to top: the text's order reversed (ties to 12 decimals by name, as in the text)
        by = [pl.col("weight").round(12), pl.col("sector")]
        rows = weights.sort(by, descending=[False, True])
        names = rows["sector"].to_list()
        ax.barh(names, (rows["weight"] * 100).to_list(), color="#7f7f7f")
        if "peak" in rows.columns:
            higher = rows.with_row_index("y").filter(pl.col("peak") > pl.col("weight"))
            ys, peaks = higher["y"].to_list(), (higher["peak"] * 100).to_list()
            ax.scatter(peaks, ys, marker="|", s=120, color="black", label="peak", zorder=3)
            for y, peak, year in zip(ys, peaks, higher["peak_year"].to_list(), strict=True):
                ax.annotate(f"peak {peak:.1f}% ({year})", (peak, y), xytext=(4, -3),
                            textcoords="offset points", fontsize=8)  # fmt: skip
        ax.set_xlabel("% of the index")
        top = "" if top_share is None else f"; top ten names {top_share:.1%}"
        ax.set_title(f"Sector weights in {index}{top}")
    return fig
