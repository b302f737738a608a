"""Render a :class:`~optionsflow.report.summary.Summary` as text, JSON or Markdown.

Text and Markdown are for people: currency as ``$1.2M``, contracts with
thousands separators, differences of ratios in points (``4.1 pts``), words in
the right number. The JSON document keeps the raw numbers under the keys
``week``, ``week_start``, ``week_end``, ``days``, ``complete``,
``retail_share``, ``retail_premium_share``, ``call_buying_streak`` (per
participant: ``weeks_positive``, ``weeks``, ``current_streak``,
``index_return``, ...), ``class_skew``, ``sector_skew`` (list of ``participant,
sector, skew, baseline, vs_baseline, share``), ``implied_correlation``
(``value``, ``percentile_1y``, ``low_1y``, ``high_1y``, ...; null when no vols
were given), ``put_call`` (per participant: ``ratio``, ``baseline``,
``vs_baseline``), ``themes``, ``concentration``, ``sector_weights`` and
``unusual`` (null when their input was not given).
"""

from __future__ import annotations

import json
from typing import Literal

from optionsflow.report.positioning import SectorWeight
from optionsflow.report.summary import ClassSkew, Streak, Summary
from optionsflow.report.text import count, join_names, money, ordinal, pct, plural, pts
from optionsflow.schema import UNMAPPED

__all__ = ["render", "story_lines"]

Format = Literal["text", "json", "markdown"]


def _streak_line(name: str, st: Streak, index: str | None) -> str:
    """One class's streak; ``index`` is ``None`` when the closes named no index."""
    net = st.net_call_buying
    if net == 0:
        this_week = "call flow was flat this week (as many bought as sold)"
    else:
        verb = "bought" if net > 0 else "sold"
        this_week = f"net {verb} {count(abs(net))} call contracts this week"
    during = ""
    if st.index_return is not None:
        move = "gained" if st.index_return >= 0 else "lost"
        priced = index or "the index of the given closes"
        during = f", during which {priced} {move} {pct(abs(st.index_return))}"
    return (
        f"{name.capitalize()} {this_week}; bought calls in {st.weeks_positive} of the past "
        f"{plural(st.weeks, 'week')} (current streak {st.current_streak}, "
        f"longest {st.longest_streak}){during}."
    )


def _skew_line(name: str, sk: ClassSkew, mapped: bool) -> str:
    if sk.vs_baseline is None:
        return f"{name.capitalize()} flow skew: not enough history for a baseline."
    direction = "buying" if sk.vs_baseline >= 0 else "selling"
    skew = f"skew {pct(sk.skew, signed=True)}"
    if mapped:
        tilt = (
            f"tilting to buying in {join_names(sk.top_sectors, 'no sector')}, "
            f"to selling in {join_names(sk.bottom_sectors, 'no sector')}"
        )
    else:  # no sector map: index products cannot be told apart, nor sectors named
        skew += ", index products included"
        tilt = "the sectors it tilts to need a sector map (--sectors FILE: symbol, sector)"
    return (
        f"{name.capitalize()} flow skewed {pts(abs(sk.vs_baseline))} more toward {direction} "
        f"than its {pct(sk.baseline, signed=True)} baseline ({skew}); {tilt}."
    )


def _put_call_lines(summary: Summary) -> list[str]:
    out = []
    for p, pc in summary.put_call.items():
        if pc.ratio is None:
            out.append(f"{p.capitalize()} put/call ratio: no calls traded this week.")
            continue
        if pc.baseline is None or pc.vs_baseline is None:
            base = "with no earlier week for a baseline"
        elif round(pc.vs_baseline, 2) == 0:  # no "-0.00": a change under half a cent is none
            base = f"in line with its {pc.baseline:.2f} baseline"
        else:
            base = f"against a {pc.baseline:.2f} baseline ({pc.vs_baseline:+.2f})"
        out.append(f"{p.capitalize()} put/call ratio {pc.ratio:.2f}, {base}.")
    return out


def _theme_line(summary: Summary) -> str:
    if summary.themes is None:
        return "Retail-favoured themes: need a sector map with a theme column (--sectors FILE)."
    bought = [t for t in summary.themes if t.net_call_premium > 0]
    if not bought:
        return "Retail-favoured themes: retail bought no theme's calls on net this week."
    named = [f"{t.theme} ({money(t.net_call_premium)})" for t in bought[:3]]
    return f"Retail-favoured themes by net call premium: {join_names(named)}."


def _corr_line(summary: Summary) -> str:
    corr = summary.implied_correlation
    if corr is None and summary.correlation_missing is not None:
        return f"Implied correlation: none, {summary.correlation_missing}."
    if corr is None:
        return (
            "Implied correlation: needs index and constituent vols and weights (--vols, --weights)."
        )
    value = "n/a" if corr.value is None else f"{corr.value:.3f}"
    if corr.percentile_1y is not None:
        where = f"at the {ordinal(corr.percentile_1y)} percentile of the past year"
    else:
        days = corr.history_days or 0
        where = f"no percentile yet ({plural(days, 'day')} of history in the past year)"
    if corr.low_1y is not None and corr.high_1y is not None:
        where += f" (one-year low {corr.low_1y:.3f}, high {corr.high_1y:.3f})"
    names = plural(corr.n_constituents, "constituent")
    if corr.n_weighted is not None and corr.n_weighted > corr.n_constituents:
        names = f"{corr.n_constituents} of {corr.n_weighted} weighted names with a vol"
    if corr.weight_coverage is not None and corr.weight_coverage < 1 - 1e-9:
        names += f", {pct(corr.weight_coverage)} of the weight"
    stale = ""
    if corr.date < summary.week_start:  # the vols end before the week: say so, not just the date
        stale = (
            f" That is the last date with both index and constituent vols, before this "
            f"week's trades: one of them ends on {corr.date}."
        )
    return f"Implied correlation ({corr.date}, {names}): {value}, {where}.{stale}"


def _index_lines(summary: Summary) -> list[str]:
    c = summary.concentration
    if c is None:
        return ["Index concentration and sector weights: need index weights (--weights)."]
    out = [
        f"The top {c.top} names are {pct(c.top_share)} of {summary.index} "
        f"({join_names(c.top_symbols[:3])}, ...; {plural(c.n_constituents, 'constituent')})."
    ]
    if summary.sector_weights is None:
        out.append("Sector weights in the index: need a sector map (--sectors FILE).")
    elif summary.sector_weights:
        weights = summary.sector_weights
        off_peak = _off_peak(weights)
        if off_peak:
            out.append(", ".join(off_peak) + ".")
        # every sector: the light ones are the story too
        parts = ", ".join(f"{w.sector} {pct(w.weight)}" for w in weights)
        history = (
            ""
            if any(w.peak is not None for w in weights)
            else " (their history needs dated weights: date, symbol, weight)"
        )
        out.append(f"Sector weights in {summary.index}: {parts}{history}.")
    return out


def _off_peak(weights: list[SectorWeight], n: int = 3) -> list[str]:
    """Name the ``n`` sectors furthest below their peak, as a desk note says it."""
    below = [
        (w.peak - w.weight, w.sector, w.weight, w.peak, w.peak_date.year)
        for w in weights
        if w.peak is not None and w.peak_date is not None and pct(w.peak) != pct(w.weight)
    ]
    below.sort(key=lambda b: (-b[0], b[1]))
    return [
        f"{sector} {'is ' if i == 0 else ''}{pct(now)}{' of the index' if i == 0 else ''} "
        f"({year} peak {pct(peak)})"
        for i, (_, sector, now, peak, year) in enumerate(below[:n])
    ]


def _unusual_line(summary: Summary) -> str:
    if summary.unusual is None:
        return "Unusual activity: needs the week's trade files (PATHS)."
    if not summary.unusual:
        return "Unusual activity: no contract flagged this week."
    top = [
        f"{u.underlying} {u.expiry} {u.strike:g}{u.right} ({count(u.volume)} contracts, "
        f"{money(u.premium)})"
        for u in summary.unusual[:3]
    ]
    return f"Top unusual activity: {'; '.join(top)}."


def story_lines(summary: Summary) -> list[str]:
    """Tell the week's story as sentences: the title, a blank line, then one fact a line.

    Parameters
    ----------
    summary
        Facts of the week.

    Returns
    -------
    list[str]
        Lines of the text rendering (also the story of the HTML report).

    Examples
    --------
    >>> import datetime as dt
    >>> from optionsflow import flow_partials, weekly_summary
    >>> from optionsflow.testing import at, trades
    >>> prints = trades([{"ts": at(dt.date(2026, 11, 16)), "price": 1.05, "size": 50}])
    >>> lines = story_lines(weekly_summary(flow_partials(prints)))
    >>> lines[0]
    'Options flow, week 2026-W47 (2026-11-16 to 2026-11-20, 1 trading day) (partial week)'
    >>> for line in lines[3:5]:
    ...     print(line)
    Retail net bought 50 call contracts this week; bought calls in 1 of the past 1 week (current streak 1, longest 1).
    Institutional call flow was flat this week (as many bought as sold); bought calls in 0 of the past 1 week (current streak 0, longest 0).
    """  # noqa: E501
    complete = "" if summary.complete else " (partial week)"
    out = [
        f"Options flow, week {summary.week} ({summary.week_start} to {summary.week_end}, "
        f"{plural(summary.days, 'trading day')}){complete}",
        "",
        f"Retail share of volume: {pct(summary.retail_share)} of contracts, "
        f"{pct(summary.retail_premium_share)} of premium.",
    ]
    out += [
        _streak_line(p, st, summary.priced_index) for p, st in summary.call_buying_streak.items()
    ]
    out.append(_theme_line(summary))
    # trades read without a sector map have sector UNMAPPED: no sector tilt to tell
    mapped = any(r.sector != UNMAPPED and r.skew is not None for r in summary.sector_skew)
    out += [_skew_line(p, sk, mapped) for p, sk in summary.class_skew.items()]
    out += _put_call_lines(summary)
    out.append(_corr_line(summary))
    out += _index_lines(summary)
    out.append(_unusual_line(summary))
    return out


Table = tuple[list[str], list[list[str]]]
"""A table of the story: column headers, then rows of formatted cells."""


def _theme_table(summary: Summary) -> Table:
    """Format the retail themes by net call premium for people (Markdown and HTML share it)."""
    rows = [
        [t.theme, money(t.net_call_premium), count(t.net_call_contracts)]
        for t in summary.themes or []
    ]
    return ["theme", "net call premium", "net call contracts"], rows


def _unusual_table(summary: Summary) -> Table:
    """Format the week's top unusual contracts for people (Markdown and HTML share it)."""
    rows = [
        [str(u.date), f"{u.underlying} {u.expiry} {u.strike:g}{u.right}", count(u.volume),
         money(u.premium), "; ".join(u.reasons)]
        for u in summary.unusual or []
    ]  # fmt: skip
    return ["date", "contract", "volume", "premium", "reasons"], rows


def _markdown_table(title: str, table: Table, *, right: set[int]) -> list[str]:
    head, rows = table
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|"
    lines = ["", f"## {title}", "", "| " + " | ".join(head) + " |", rule]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _markdown(summary: Summary) -> str:
    lines = story_lines(summary)
    body = [f"# {lines[0]}", ""] + [f"- {line}" for line in lines[2:]]
    skew: Table = (
        ["participant", "sector", "skew", "baseline", "vs baseline", "share"],
        [
            [r.participant, r.sector, pct(r.skew, signed=True), pct(r.baseline, signed=True),
             pts(r.vs_baseline, signed=True), pct(r.share)]
            for r in summary.sector_skew
        ],
    )  # fmt: skip
    body += _markdown_table("Sector skew", skew, right={2, 3, 4, 5})
    if summary.themes:
        body += _markdown_table("Retail themes (calls)", _theme_table(summary), right={1, 2})
    if summary.unusual:
        body += _markdown_table("Unusual activity", _unusual_table(summary), right={2, 3})
    return "\n".join(body) + "\n"


def render(summary: Summary, fmt: Format = "text") -> str:
    """Render the summary.

    Parameters
    ----------
    summary
        Facts of the week.
    fmt
        ``text`` (a screen of prose), ``json`` (machine-readable, raw numbers) or
        ``markdown`` (prose plus the sector, theme and unusual-activity tables).

    Returns
    -------
    str
        The document, newline-terminated.

    Examples
    --------
    Retail buys 10 calls on Monday and sells 40 on Tuesday:

    >>> import datetime as dt, json
    >>> from optionsflow import flow_partials, weekly_summary
    >>> from optionsflow.testing import at, trades
    >>> mon, tue = at(dt.date(2026, 11, 16)), at(dt.date(2026, 11, 17))
    >>> prints = trades([{"ts": mon, "price": 1.05, "size": 10},
    ...                  {"ts": tue, "price": 0.95, "size": 40}])
    >>> summary = weekly_summary(flow_partials(prints))
    >>> print(render(summary).splitlines()[0])
    Options flow, week 2026-W47 (2026-11-16 to 2026-11-20, 2 trading days) (partial week)
    >>> json.loads(render(summary, "json"))["call_buying_streak"]["retail"]["net_call_buying"]
    -30.0
    """
    if fmt == "json":
        return json.dumps(summary.to_dict(), indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(summary)
    return "\n".join(story_lines(summary)) + "\n"
