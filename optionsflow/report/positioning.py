"""Positioning facts of the weekly story beyond flow: put/call, themes, index shape, unusual prints.

Each builder returns a small lazy query that :func:`~optionsflow.report.summary.weekly_summary`
collects together with the others, and each ``*_facts`` function turns the
collected frame into the plain dataclasses of the :class:`~optionsflow.report.summary.Summary`.

Examples
--------
>>> PutCall("retail", 0.5, 0.4, 0.1).vs_baseline
0.1
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.share import put_call_ratio, theme_flow
from optionsflow.aggregate.weekly import WEEK_START
from optionsflow.correlation.concentration import concentration, sector_weights
from optionsflow.correlation.snapshots import SNAPSHOT, snapshot_in_force
from optionsflow.errors import ValidationError

__all__ = [
    "Concentration",
    "PutCall",
    "SectorWeight",
    "ThemeFlow",
    "UnusualContract",
    "concentration_facts",
    "index_closes",
    "put_call_facts",
    "sector_weight_facts",
    "theme_facts",
    "unusual_facts",
]

RATIO = "put_call_ratio"
_BASE = "__of_pc_baseline"


@dataclasses.dataclass(frozen=True)
class PutCall:
    """Put/call contract ratio of one class at the summary week against its trailing baseline."""

    participant: str
    ratio: float | None
    baseline: float | None
    vs_baseline: float | None


@dataclasses.dataclass(frozen=True)
class ThemeFlow:
    """Retail net call buying of one theme (from the sector map's ``theme`` column)."""

    theme: str
    net_call_premium: float
    net_call_contracts: int


@dataclasses.dataclass(frozen=True)
class Concentration:
    """Share of the index in its ``top`` heaviest names."""

    date: dt.date | None
    top: int
    top_share: float
    top_symbols: list[str]
    n_constituents: int
    effective_n: float


@dataclasses.dataclass(frozen=True)
class SectorWeight:
    """A sector's weight in the index, with its peak when dated weights give a history."""

    sector: str
    weight: float
    n_constituents: int
    peak: float | None = None
    peak_date: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class UnusualContract:
    """One of the week's top unusual-activity contract-days."""

    date: dt.date
    underlying: str
    root: str
    expiry: dt.date
    strike: float
    right: str
    volume: int
    premium: float
    score: float
    reasons: list[str]


def put_call_query(
    partials: pl.LazyFrame, start: dt.date, baseline_weeks: int, classes: tuple[str, ...]
) -> pl.LazyFrame:
    """Each class's put/call ratio in the week of ``start`` and the mean of the weeks before it."""
    ratio = put_call_ratio(partials).filter(pl.col(s.PARTICIPANT).is_in(list(classes)))
    trailing = (
        pl.col(RATIO).shift(1).rolling_mean(baseline_weeks, min_samples=1).over(s.PARTICIPANT)
    )
    return (
        ratio.sort(WEEK_START)
        .with_columns(trailing.alias(_BASE))
        .filter(pl.col(WEEK_START) == start)
        .select(s.PARTICIPANT, RATIO, _BASE)
    )


def put_call_facts(frame: pl.DataFrame, classes: tuple[str, ...]) -> dict[str, PutCall]:
    """Turn :func:`put_call_query`'s rows into one :class:`PutCall` per class.

    Parameters
    ----------
    frame
        ``participant, put_call_ratio`` and the baseline.
    classes
        Classes to report, in order.

    Returns
    -------
    dict[str, PutCall]
        Per class; ``vs_baseline`` is null without a baseline.

    Examples
    --------
    >>> f = pl.DataFrame({"participant": ["retail"], "put_call_ratio": [0.5],
    ...                   "__of_pc_baseline": [0.4]})
    >>> put_call_facts(f, ("retail",))["retail"].ratio
    0.5
    """
    out: dict[str, PutCall] = {}
    for row in frame.iter_rows(named=True):
        r, b = row[RATIO], row[_BASE]
        vs = None if r is None or b is None else r - b
        out[row[s.PARTICIPANT]] = PutCall(row[s.PARTICIPANT], r, b, vs)
    return {p: out[p] for p in classes if p in out}


def theme_query(partials: pl.LazyFrame, start: dt.date) -> pl.LazyFrame:
    """Retail net call premium and contracts per theme in the week of ``start``."""
    return (
        theme_flow(partials)
        .filter(
            (pl.col(WEEK_START) == start)
            & (pl.col(s.PARTICIPANT) == "retail")
            & (pl.col(s.RIGHT) == "C")
        )
        .group_by(s.THEME)
        .agg(pl.col("net_premium").sum(), pl.col("net_contracts").sum())
        .sort(["net_premium", s.THEME], descending=[True, False])
    )


def theme_facts(frame: pl.DataFrame) -> list[ThemeFlow]:
    """Themes ranked by retail net call premium, most bought first.

    Parameters
    ----------
    frame
        :func:`theme_query`'s rows.

    Returns
    -------
    list[ThemeFlow]
        One per theme.

    Examples
    --------
    >>> f = pl.DataFrame({"theme": ["Space"], "net_premium": [1e6], "net_contracts": [900]})
    >>> theme_facts(f)[0].net_call_contracts
    900
    """
    return [
        ThemeFlow(r[s.THEME], float(r["net_premium"]), int(r["net_contracts"]))
        for r in frame.iter_rows(named=True)
    ]


def _latest(lf: pl.LazyFrame, end: dt.date) -> pl.LazyFrame:
    """Keep the weights snapshot in force at ``end`` (static weights pass through).

    The snapshot in force is the latest one dated on or before ``end`` holding a
    valid weight (:func:`~optionsflow.correlation.snapshots.snapshot_in_force`).
    """
    if s.DATE not in lf.collect_schema():
        return lf
    lf = lf.with_columns(pl.col(s.DATE).cast(pl.Date))
    in_force = snapshot_in_force(pl.LazyFrame({s.DATE: [end]}), lf)
    return lf.join(in_force.select(pl.col(SNAPSHOT).alias(s.DATE)), on=s.DATE)


def concentration_query(weights: pl.LazyFrame, end: dt.date, top: int = 10) -> pl.LazyFrame:
    """Top-``top`` share of the weights in force at ``end``."""
    out = concentration(_latest(weights, end), top=top)
    if s.DATE not in out.collect_schema():
        out = out.with_columns(pl.lit(None, pl.Date).alias(s.DATE))
    return out.with_columns(pl.lit(top).alias("top"))


def concentration_facts(frame: pl.DataFrame) -> Concentration | None:
    """Turn :func:`concentration_query`'s row into a :class:`Concentration`.

    Parameters
    ----------
    frame
        One row (or none, when no weight is in force).

    Returns
    -------
    Concentration or None
        The index's top-name share.

    Examples
    --------
    >>> w = pl.LazyFrame({"symbol": list("ABC"), "weight": [2.0, 1.0, 1.0]})
    >>> c = concentration_facts(concentration_query(w, dt.date(2026, 1, 5), top=1).collect())
    >>> c.top_share, c.top_symbols
    (0.5, ['A'])
    """
    if frame.height == 0:
        return None
    r = frame.row(0, named=True)
    return Concentration(
        date=r[s.DATE],
        top=int(r["top"]),
        top_share=float(r[s.TOP_SHARE]),
        top_symbols=list(r[s.TOP_SYMBOLS]),
        n_constituents=int(r[s.N_CONSTITUENTS]),
        effective_n=float(r[s.EFFECTIVE_N]),
    )


def sector_weight_query(weights: pl.LazyFrame, sectors: pl.LazyFrame, end: dt.date) -> pl.LazyFrame:
    """Sector weights in force at ``end``, with each sector's peak over dated history.

    With dated weights the weights in force are the latest snapshot on or before
    ``end`` and the peak is the highest over the snapshots up to it (the weights
    hold between snapshots, so no date between them can peak higher).
    """
    out = sector_weights(weights, sectors)
    if s.DATE not in out.collect_schema():
        return out.with_columns(
            pl.lit(None, pl.Float64).alias("peak"), pl.lit(None, pl.Date).alias("peak_date")
        )
    out = out.filter(pl.col(s.DATE) <= end)
    peak = pl.col(s.SECTOR_WEIGHT).arg_max()
    with_peak = out.with_columns(
        pl.col(s.SECTOR_WEIGHT).max().over(s.SECTOR).alias("peak"),
        pl.col(s.DATE).gather(peak).first().over(s.SECTOR).alias("peak_date"),
    )
    return with_peak.filter(pl.col(s.DATE) == pl.col(s.DATE).max()).sort(
        [pl.col(s.SECTOR_WEIGHT).round(12), pl.col(s.SECTOR)], descending=[True, False]
    )


def sector_weight_facts(frame: pl.DataFrame) -> list[SectorWeight]:
    """Turn :func:`sector_weight_query`'s rows into :class:`SectorWeight` s, heaviest first.

    Parameters
    ----------
    frame
        ``sector, sector_weight, n_constituents, peak, peak_date``.

    Returns
    -------
    list[SectorWeight]
        One per sector.

    Examples
    --------
    >>> w = pl.LazyFrame({"symbol": ["A", "B"], "weight": [3.0, 1.0]})
    >>> m = pl.LazyFrame({"symbol": ["A", "B"], "sector": ["Tech", "Energy"]})
    >>> rows = sector_weight_facts(sector_weight_query(w, m, dt.date(2026, 1, 5)).collect())
    >>> [(r.sector, r.weight) for r in rows]
    [('Tech', 0.75), ('Energy', 0.25)]
    """
    return [
        SectorWeight(
            sector=r[s.SECTOR],
            weight=float(r[s.SECTOR_WEIGHT]),
            n_constituents=int(r[s.N_CONSTITUENTS]),
            peak=r["peak"],
            peak_date=r["peak_date"],
        )
        for r in frame.iter_rows(named=True)
    ]


def unusual_query(unusual: pl.LazyFrame, start: dt.date, end: dt.date, top: int) -> pl.LazyFrame:
    """Select the ``top`` flagged contract-days of the week, by score then premium."""
    cols = ("date", s.UNDERLYING, s.ROOT, s.EXPIRY, s.STRIKE, s.RIGHT, "volume", "premium")
    return (
        unusual.filter(pl.col(s.DATE).is_between(start, end))
        .sort(["score", "premium"], descending=True)
        .head(top)
        .select(*cols, "score", "reasons")
    )


def unusual_facts(frame: pl.DataFrame) -> list[UnusualContract]:
    """Turn :func:`unusual_query`'s rows into :class:`UnusualContract` s.

    Parameters
    ----------
    frame
        Rows of :func:`~optionsflow.aggregate.unusual.unusual_activity`.

    Returns
    -------
    list[UnusualContract]
        In rank order.

    Examples
    --------
    >>> f = pl.DataFrame({"date": [dt.date(2026, 1, 5)], "underlying": ["XOM"], "root": ["XOM"],
    ...                   "expiry": [dt.date(2026, 2, 20)], "strike": [110.0], "right": ["C"],
    ...                   "volume": [1500], "premium": [2.5e5], "score": [2.5],
    ...                   "reasons": [["3 sweep prints"]]})
    >>> unusual_facts(f)[0].reasons
    ['3 sweep prints']
    """
    return [
        UnusualContract(
            date=r["date"],
            underlying=r[s.UNDERLYING],
            root=r[s.ROOT],
            expiry=r[s.EXPIRY],
            strike=float(r[s.STRIKE]),
            right=str(r[s.RIGHT]),
            volume=int(r["volume"]),
            premium=float(r["premium"]),
            score=float(r["score"]),
            reasons=list(r["reasons"]),
        )
        for r in frame.iter_rows(named=True)
    ]


def index_closes(
    prices: pl.LazyFrame | pl.DataFrame, index: str
) -> tuple[pl.LazyFrame, str | None]:
    """Select the ``date, close`` of ``index`` in ``prices``; say which index they price.

    Closes with a ``symbol`` column (:func:`~optionsflow.ingest.read_index_prices`)
    are filtered to ``index``, which they must hold; closes without one (or
    with a null symbol) are taken as given, and the story does not name them.

    Raises
    ------
    ValidationError
        When the closes name symbols and ``index`` is not one of them.

    Examples
    --------
    >>> prices = pl.DataFrame({"date": [dt.date(2026, 11, 20)] * 2,
    ...                        "symbol": ["SPX", "NDX"], "close": [6603.0, 24240.0]})
    >>> closes, named = index_closes(prices, "NDX")
    >>> closes.collect().rows(), named
    ([(datetime.date(2026, 11, 20), 24240.0)], 'NDX')
    """
    lf = prices.lazy()
    if s.SYMBOL not in lf.collect_schema():
        return lf.select(s.DATE, s.CLOSE), None
    held = lf.select(pl.col(s.SYMBOL).drop_nulls().unique().sort()).collect()[s.SYMBOL].to_list()
    if not held:
        return lf.select(s.DATE, s.CLOSE), None
    if index not in held:
        raise ValidationError(
            f"the index prices hold no closes of {index!r} (they hold {', '.join(held[:5])})",
            column=s.SYMBOL,
        )
    return lf.filter(pl.col(s.SYMBOL) == index).select(s.DATE, s.CLOSE), index
