"""The weekly story as one self-contained HTML page: the sentences, charts inlined as SVG, tables.

No network, no script: the page is the story (:func:`~optionsflow.report.render.story_lines`)
followed by six charts (:mod:`optionsflow.report.charts`, which needs the
``optionsflow[report]`` extra) and the streak, theme, unusual-activity and
sector-weight tables. The same inputs give the same bytes.

Examples
--------
>>> from optionsflow import flow_partials
>>> from optionsflow.testing import trades
>>> "<svg" in build_report(flow_partials(trades([{"price": 1.05, "size": 10}])))
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.share import participant_share, put_call_ratio
from optionsflow.aggregate.skew import sector_skew
from optionsflow.aggregate.streaks import call_buying_streak
from optionsflow.aggregate.weekly import WEEK_START, week_start
from optionsflow.correlation.implied import IMPLIED_CORRELATION, implied_correlation
from optionsflow.errors import ConfigError
from optionsflow.report.correlation import index_and_names
from optionsflow.report.positioning import SectorWeight, index_closes
from optionsflow.report.render import _theme_table, _unusual_table, story_lines
from optionsflow.report.summary import CLASSES, Summary, weekly_summary
from optionsflow.report.text import count, pct

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CHARTS", "ReportCharts", "build_report", "report_charts"]

CHARTS: tuple[str, ...] = ("streaks", "skew", "correlation", "share", "put_call", "index")
"""Names of the report's charts, in page order (also the ``--png-dir`` file names)."""

_CSS = """body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60rem;margin:2rem auto;
color:#222;line-height:1.45}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.85rem}td,th{border-bottom:1px solid #ddd;
padding:.2rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}
svg{max-width:100%;height:auto}.missing{color:#a33}"""


@dataclasses.dataclass(frozen=True)
class ReportCharts:
    """The facts of the week and the frames every chart of the report is drawn from."""

    summary: Summary
    streaks: pl.DataFrame
    closes: pl.DataFrame | None
    skews: pl.DataFrame
    correlation: pl.DataFrame | None
    share: pl.DataFrame
    put_call: pl.DataFrame


def _weekly_closes(prices: pl.LazyFrame, first: dt.date, last: dt.date) -> pl.LazyFrame:
    return (
        prices.select(pl.col(s.DATE).cast(pl.Date), pl.col(s.CLOSE).cast(pl.Float64))
        .with_columns(week_start(pl.col(s.DATE)).alias(WEEK_START))
        .filter(pl.col(WEEK_START).is_between(first, last))
        .sort(s.DATE)
        .group_by(WEEK_START, maintain_order=True)
        .agg(pl.col(s.CLOSE).last())
    )


def report_charts(
    partials: pl.LazyFrame | pl.DataFrame,
    *,
    vols: pl.LazyFrame | pl.DataFrame | None = None,
    weights: pl.LazyFrame | pl.DataFrame | None = None,
    index_prices: pl.LazyFrame | pl.DataFrame | None = None,
    sectors: pl.LazyFrame | pl.DataFrame | None = None,
    unusual: pl.LazyFrame | pl.DataFrame | None = None,
    index: str = "SPX",
    lookback: int = 36,
    baseline_weeks: int = 12,
) -> ReportCharts:
    """Compute the summary and the weekly series the charts draw, in one parallel collect.

    Parameters are those of :func:`~optionsflow.report.summary.weekly_summary`.

    Returns
    -------
    ReportCharts
        The summary, and per chart the frame it draws (the last ``lookback``
        weeks up to the summary week; implied correlation over the trailing year).

    Examples
    --------
    >>> import datetime as dt
    >>> from optionsflow import flow_partials
    >>> from optionsflow.testing import at, trades
    >>> days = [dt.date(2026, 11, 9), dt.date(2026, 11, 16)]
    >>> partials = flow_partials(trades([{"ts": at(d), "price": 1.05, "size": 10 + i}
    ...                                  for i, d in enumerate(days)]))
    >>> data = report_charts(partials)
    >>> data.streaks.columns
    ['participant', 'week_start', 'net_call_buying', 'current_streak']
    """
    merged = partials.lazy().collect()
    summary = weekly_summary(
        merged, vols=vols, weights=weights, index_prices=index_prices, sectors=sectors,
        unusual=unusual, index=index, lookback=lookback, baseline_weeks=baseline_weeks,
    )  # fmt: skip
    lf, start = merged.lazy(), summary.week_start
    first = start - dt.timedelta(weeks=lookback - 1)
    window = pl.col(WEEK_START).is_between(first, start)
    queries = [
        pl.concat(
            call_buying_streak(lf, participant=p, lookback=lookback)
            .filter(window)
            .select(pl.lit(p).alias(s.PARTICIPANT), WEEK_START, "net_call_buying", "current_streak")
            for p in CLASSES
        ),
        pl.concat(
            sector_skew(lf, participant=p, baseline_weeks=baseline_weeks, by="sector")
            .filter((pl.col(WEEK_START) == start) & (pl.col(s.SECTOR) != s.UNMAPPED))
            .select(pl.lit(p).alias(s.PARTICIPANT), s.SECTOR, "skew", "baseline")
            for p in CLASSES
        ),
        participant_share(lf)
        .filter(window & (pl.col(s.PARTICIPANT) == "retail"))
        .select(WEEK_START, s.CONTRACT_SHARE, s.PREMIUM_SHARE)
        .sort(WEEK_START),
        put_call_ratio(lf)
        .filter(window & pl.col(s.PARTICIPANT).is_in(list(CLASSES)))
        .select(pl.col(s.PARTICIPANT).cast(pl.String), WEEK_START, "put_call_ratio"),
    ]
    if index_prices is not None:
        queries.append(_weekly_closes(index_closes(index_prices, index)[0], first, start))
    if vols is not None and weights is not None:
        rho = implied_correlation(*index_and_names(vols, index), weights.lazy()).filter(
            pl.col(IMPLIED_CORRELATION).is_not_null() & (pl.col(s.DATE) <= summary.week_end)
        )
        year = pl.col(s.DATE) > pl.col(s.DATE).max() - dt.timedelta(days=365)
        correlation = (
            rho.filter(year)
            .select(s.DATE, IMPLIED_CORRELATION)
            .sort(s.DATE)
            # the streaming engine adds float sums in whatever order its threads finish (last-bit
            # noise); in memory they add in one order, so the chart's bytes are reproducible
            .collect(engine="in-memory")
        )
    else:
        correlation = None
    streaks, skews, share, pc, *rest = pl.collect_all(queries)
    closes = rest.pop(0) if index_prices is not None else None
    return ReportCharts(
        summary=summary,
        streaks=streaks.with_columns(pl.col(s.PARTICIPANT).cast(pl.String)),
        closes=closes,
        skews=skews.with_columns(pl.col(s.PARTICIPANT).cast(pl.String)),
        correlation=correlation,
        share=share,
        put_call=pc,
    )


def _figures(data: ReportCharts) -> dict[str, Figure | str]:
    """Each chart's figure, or the sentence saying which input would draw it."""
    from optionsflow.report import charts as c  # noqa: PLC0415 - matplotlib is optional

    sm = data.summary
    current = {p: st.current_streak for p, st in sm.call_buying_streak.items()}
    out: dict[str, Figure | str] = {
        "streaks": c.streak_chart(data.streaks, current, data.closes),
        "skew": c.skew_chart(data.skews),
        "correlation": (
            c.correlation_chart(data.correlation)
            if data.correlation is not None
            else "Implied correlation needs index and constituent vols and weights "
            "(--vols, --weights)."
        ),
        "share": c.share_chart(data.share),
        "put_call": c.put_call_chart(data.put_call),
    }
    if sm.sector_weights:
        frame = pl.DataFrame(
            {"sector": [w.sector for w in sm.sector_weights],
             "weight": [w.weight for w in sm.sector_weights],
             "peak": [w.peak for w in sm.sector_weights],
             "peak_year": [w.peak_date.year if w.peak_date else None for w in sm.sector_weights]},
            schema={"sector": pl.String, "weight": pl.Float64, "peak": pl.Float64,
                    "peak_year": pl.Int32},
        )  # fmt: skip
        top = sm.concentration.top_share if sm.concentration else None
        out["index"] = c.index_chart(frame, top, sm.index)
    else:
        out["index"] = "Sector weights need index weights and a sector map (--weights, --sectors)."
    return out


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _tables(data: ReportCharts) -> list[str]:
    sm = data.summary
    wide = data.streaks.pivot(on=s.PARTICIPANT, index=WEEK_START, values="net_call_buying")
    classes = [c for c in CLASSES if c in wide.columns]
    out = ['<h2 id="streak-table">Net call buying by week (contracts)</h2>']
    out.append(_table(["week", *classes], [
        [str(r[WEEK_START])] + [count(r[c]) for c in classes] for r in wide.iter_rows(named=True)
    ]))  # fmt: skip
    out.append("<h2>Retail themes (calls)</h2>")
    if sm.themes is None:
        out.append('<p class="missing">Themes need a sector map with a theme column.</p>')
    else:
        out.append(_table(*_theme_table(sm)))
    out.append("<h2>Unusual activity</h2>")
    if sm.unusual is None:
        out.append('<p class="missing">Unusual activity needs the week\'s trade files.</p>')
    else:
        out.append(_table(*_unusual_table(sm)))
    if sm.sector_weights:
        out.append(f"<h2>Sector weights in {html.escape(sm.index)}</h2>")
        dated = any(w.peak_date is not None for w in sm.sector_weights)
        out.append(_table(["sector", "weight", "names"] + ["peak above today"] * dated, [
            [w.sector, pct(w.weight), count(w.n_constituents)] + [_peak(w)] * dated
            for w in sm.sector_weights
        ]))  # fmt: skip
    return out


def _peak(w: SectorWeight) -> str:
    """``16.1% in 2008`` when the sector's peak reads higher than today's weight, else blank."""
    if w.peak is None or w.peak_date is None or pct(w.peak) == pct(w.weight):
        return ""
    return f"{pct(w.peak)} in {w.peak_date.year}"


def build_report(
    partials: pl.LazyFrame | pl.DataFrame,
    *,
    vols: pl.LazyFrame | pl.DataFrame | None = None,
    weights: pl.LazyFrame | pl.DataFrame | None = None,
    index_prices: pl.LazyFrame | pl.DataFrame | None = None,
    sectors: pl.LazyFrame | pl.DataFrame | None = None,
    unusual: pl.LazyFrame | pl.DataFrame | None = None,
    index: str = "SPX",
    lookback: int = 36,
    baseline_weeks: int = 12,
    png_dir: Path | None = None,
) -> str:
    """Build the self-contained HTML report of the latest week.

    Parameters
    ----------
    partials
        Daily partials, as for :func:`~optionsflow.report.summary.weekly_summary`.
    vols, weights, index_prices, sectors, unusual, index, lookback, baseline_weeks
        As for :func:`~optionsflow.report.summary.weekly_summary`.
    png_dir
        Also write each chart as ``<name>.png`` there (names in :data:`CHARTS`).

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ConfigError
        When matplotlib (the ``optionsflow[report]`` extra) is not installed.

    Examples
    --------
    >>> import datetime as dt
    >>> from optionsflow import flow_partials
    >>> from optionsflow.testing import at, trades
    >>> days = [dt.date(2026, 11, 9), dt.date(2026, 11, 16)]
    >>> partials = flow_partials(trades([{"ts": at(d), "price": 1.05, "size": 10 + i}
    ...                                  for i, d in enumerate(days)]))
    >>> page = build_report(partials)
    >>> page.startswith("<!DOCTYPE html>"), page.count("<svg"), page == build_report(partials)
    (True, 4, True)
    """
    try:
        import matplotlib  # noqa: F401, PLC0415 - the optional extra
    except ImportError as exc:
        raise ConfigError(
            "the HTML report draws its charts with matplotlib: pip install 'optionsflow[report]'"
        ) from exc
    data = report_charts(
        partials, vols=vols, weights=weights, index_prices=index_prices, sectors=sectors,
        unusual=unusual, index=index, lookback=lookback, baseline_weeks=baseline_weeks,
    )  # fmt: skip
    from optionsflow.report.charts import to_png, to_svg  # noqa: PLC0415

    lines = story_lines(data.summary)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(lines[0])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(lines[0])}</h1>",
        '<ul id="story">' + "".join(f"<li>{html.escape(x)}</li>" for x in lines[2:]) + "</ul>",
    ]
    for name, fig in _figures(data).items():
        parts.append(f'<figure id="chart-{name}">')
        if isinstance(fig, str):
            parts.append(f'<p class="missing">{html.escape(fig)}</p>')
        else:
            parts.append(to_svg(fig))
            if png_dir is not None:
                png_dir.mkdir(parents=True, exist_ok=True)
                to_png(fig, png_dir / f"{name}.png")
        parts.append("</figure>")
    parts += _tables(data)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
