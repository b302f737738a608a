"""Render a :class:`~optionsflow.report.summary.Summary` as text, JSON or Markdown.

The JSON document has the keys ``week``, ``week_start``, ``week_end``,
``days``, ``complete``, ``retail_share``, ``retail_premium_share``,
``call_buying_streak`` (per participant: ``weeks_positive``, ``weeks``,
``current_streak``, ...), ``class_skew``, ``sector_skew`` (list of
``participant, sector, skew, baseline, vs_baseline, share``) and
``implied_correlation`` (``value``, ``percentile_1y``, ...; null when no vols
were given).
"""

from __future__ import annotations

import json
from typing import Literal

from optionsflow.report.summary import ClassSkew, Streak, Summary
from optionsflow.report.text import ordinal
from optionsflow.schema import UNMAPPED

__all__ = ["render"]

Format = Literal["text", "json", "markdown"]


def _pct(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{x:+.1%}" if signed else f"{x:.1%}"


def _names(items: list[str]) -> str:
    if not items:
        return "no sector"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _streak_line(name: str, st: Streak, index: str) -> str:
    verb = "bought" if st.net_call_buying > 0 else "sold"
    during = ""
    if st.index_return is not None:
        move = "gained" if st.index_return >= 0 else "lost"
        during = f", during which {index} {move} {abs(st.index_return):.1%}"
    return (
        f"{name.capitalize()} net {verb} {abs(st.net_call_buying):,.0f} call contracts this week; "
        f"bought calls in {st.weeks_positive} of the past {st.weeks} weeks "
        f"(current streak {st.current_streak}, longest {st.longest_streak}){during}."
    )


def _skew_line(name: str, sk: ClassSkew, mapped: bool) -> str:
    if sk.vs_baseline is None:
        return f"{name.capitalize()} flow skew: not enough history for a baseline."
    direction = "buying" if sk.vs_baseline >= 0 else "selling"
    skew = f"skew {_pct(sk.skew, signed=True)}"
    if mapped:
        tilt = (
            f"tilting to buying in {_names(sk.top_sectors)}, "
            f"to selling in {_names(sk.bottom_sectors)}"
        )
    else:  # no sector map: index products cannot be told apart, nor sectors named
        skew += ", index products included"
        tilt = "the sectors it tilts to need a sector map (symbol, sector)"
    return (
        f"{name.capitalize()} flow skewed {abs(sk.vs_baseline):.1%} more toward {direction} than "
        f"its {_pct(sk.baseline, signed=True)} baseline ({skew}); {tilt}."
    )


def _lines(summary: Summary) -> list[str]:
    complete = "" if summary.complete else " (partial week)"
    out = [
        f"Options flow, week {summary.week} ({summary.week_start} to {summary.week_end}, "
        f"{summary.days} trading days){complete}",
        "",
        f"Retail share of volume: {_pct(summary.retail_share)} of contracts, "
        f"{_pct(summary.retail_premium_share)} of premium.",
    ]
    out += [_streak_line(p, st, summary.index) for p, st in summary.call_buying_streak.items()]
    # trades read without a sector map have sector UNMAPPED: no sector tilt to tell
    mapped = any(r.sector != UNMAPPED and r.skew is not None for r in summary.sector_skew)
    out += [_skew_line(p, sk, mapped) for p, sk in summary.class_skew.items()]
    corr = summary.implied_correlation
    if corr is None:
        out.append("Implied correlation: not available (no index/constituent vols given).")
    else:
        value = "n/a" if corr.value is None else f"{corr.value:.3f}"
        where = (
            "with no one-year history"
            if corr.percentile_1y is None
            else f"at the {ordinal(corr.percentile_1y)} percentile of the past year"
        )
        out.append(
            f"Implied correlation ({corr.date}, {corr.n_constituents} constituents): {value}, "
            f"{where}."
        )
    return out


def _markdown(summary: Summary) -> str:
    lines = _lines(summary)
    body = [f"# {lines[0]}", ""] + [f"- {line}" for line in lines[2:]]
    body += ["", "| participant | sector | skew | baseline | vs baseline | share |",
             "|---|---|---:|---:|---:|---:|"]  # fmt: skip
    body += [
        f"| {r.participant} | {r.sector} | {_pct(r.skew, True)} | {_pct(r.baseline, True)} | "
        f"{_pct(r.vs_baseline, True)} | {_pct(r.share)} |"
        for r in summary.sector_skew
    ]
    return "\n".join(body) + "\n"


def render(summary: Summary, fmt: Format = "text") -> str:
    """Render the summary.

    Parameters
    ----------
    summary
        Facts of the week.
    fmt
        ``text`` (a screen of prose), ``json`` (machine-readable) or
        ``markdown`` (prose plus the sector table).

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
    return "\n".join(_lines(summary)) + "\n"
