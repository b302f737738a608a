"""The weekly flow story: the facts ``optionsflow summary`` prints.

:func:`weekly_summary` chains the library stages (classify, partials, weekly
views, implied correlation) and collects them once, in parallel, into a
:class:`Summary` of plain values that the renderers turn into text, JSON or
Markdown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.share import CONTRACT_SHARE, PREMIUM_SHARE, participant_share
from optionsflow.aggregate.skew import BASELINE, SHARE, SKEW, VS_BASELINE, sector_skew
from optionsflow.aggregate.streaks import (
    CURRENT_STREAK,
    LONGEST_STREAK,
    NET,
    WEEKS,
    WEEKS_POSITIVE,
    call_buying_streak,
)
from optionsflow.aggregate.weekly import COMPLETE, N_DAYS, WEEK, WEEK_END, WEEK_START, weekly_flow
from optionsflow.errors import ValidationError
from optionsflow.report.correlation import (
    Correlation,
    correlation_facts,
    correlation_gap,
    correlation_gap_query,
    correlation_query,
    index_and_names,
)
from optionsflow.report.positioning import (
    Concentration,
    PutCall,
    SectorWeight,
    ThemeFlow,
    UnusualContract,
    concentration_facts,
    concentration_query,
    index_closes,
    put_call_facts,
    put_call_query,
    sector_weight_facts,
    sector_weight_query,
    theme_facts,
    theme_query,
    unusual_facts,
    unusual_query,
)
from optionsflow.schema import INDEX_SECTOR, UNMAPPED

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
    "weekly_summary",
]


SECTOR_KEY: Literal["sector"] = "sector"

CLASSES: tuple[Literal["retail", "institutional"], ...] = ("retail", "institutional")


@dataclasses.dataclass(frozen=True)
class Streak:
    """Call-buying streak of one class at the summary week."""

    participant: str
    net_call_buying: float
    weeks_positive: int
    weeks: int
    current_streak: int
    longest_streak: int
    index_return: float | None = None


@dataclasses.dataclass(frozen=True)
class SectorSkew:
    """Buy/sell premium skew of one class in one sector at the summary week."""

    participant: str
    sector: str
    skew: float | None
    baseline: float | None
    vs_baseline: float | None
    share: float | None


@dataclasses.dataclass(frozen=True)
class ClassSkew:
    """A class's skew over single-name sectors and where its tilt is concentrated.

    Index products (sector ``"Index"``) are left out: the story is which
    sectors a class rotates into, and index premium would drown it. Underlyings
    missing from the sector map (sector ``"Unmapped"``) count in the class's skew
    but are never named as a sector it tilts to.
    """

    participant: str
    skew: float | None
    baseline: float | None
    vs_baseline: float | None
    top_sectors: list[str]
    bottom_sectors: list[str]


@dataclasses.dataclass(frozen=True)
class Summary:
    """Everything ``optionsflow summary`` reports for one week.

    A fact whose input was not given is ``None`` (``themes`` without a sector
    map's ``theme`` column, ``concentration`` without weights,
    ``sector_weights`` without weights and a sector map, ``unusual`` without
    an unusual-activity table); the renderers say which input would enable it.
    ``priced_index`` names the index whose closes gave the streaks'
    ``index_return`` (``None`` when the closes carry no symbol);
    ``correlation_missing`` says why vols and weights gave no correlation.
    """

    week: str
    week_start: dt.date
    week_end: dt.date
    days: int
    complete: bool
    lookback: int
    retail_share: float
    retail_premium_share: float
    call_buying_streak: dict[str, Streak]
    class_skew: dict[str, ClassSkew]
    sector_skew: list[SectorSkew]
    implied_correlation: Correlation | None
    index: str = "SPX"
    put_call: dict[str, PutCall] = dataclasses.field(default_factory=dict)
    themes: list[ThemeFlow] | None = None
    concentration: Concentration | None = None
    sector_weights: list[SectorWeight] | None = None
    unusual: list[UnusualContract] | None = None
    priced_index: str | None = None
    correlation_missing: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""

        def plain(value: object) -> object:
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        out = plain(dataclasses.asdict(self))
        assert isinstance(out, dict)
        return out


def _streaks(
    partials: pl.LazyFrame, week: pl.Expr, lookback: int, prices: pl.LazyFrame | None
) -> list[pl.LazyFrame]:
    index_return = [] if prices is None else ["index_return"]
    return [
        call_buying_streak(partials, participant=p, lookback=lookback, index_prices=prices)
        .filter(week)
        .select(
            pl.lit(p).alias(s.PARTICIPANT),
            NET,
            WEEKS_POSITIVE,
            WEEKS,
            CURRENT_STREAK,
            LONGEST_STREAK,
            *index_return,
        )
        for p in CLASSES
    ]


def _skews(partials: pl.LazyFrame, week: pl.Expr, baseline_weeks: int) -> list[pl.LazyFrame]:
    """Per-sector skews, then each class's skew over single names (index products left out)."""
    cols = (s.SECTOR, SKEW, BASELINE, VS_BASELINE, SHARE)
    single_names = partials.filter(pl.col(s.SECTOR) != INDEX_SECTOR)
    return [
        sector_skew(frame, participant=p, baseline_weeks=baseline_weeks, by=by)
        .filter(week)
        .select(pl.lit(p).alias(s.PARTICIPANT), *cols)
        for frame, by in ((partials, SECTOR_KEY), (single_names, None))
        for p in CLASSES
    ]


def weekly_summary(
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
    top: int = 5,
) -> Summary:
    """Compute the weekly flow story for the latest week of the data.

    Parameters
    ----------
    partials
        Daily partials (:func:`~optionsflow.aggregate.partials.daily_flow`), e.g.
        :func:`~optionsflow.batch.store.partials_of` files and a store.
    vols
        ``date, symbol, iv`` implied vols, the index's included as ``index``.
    weights
        ``symbol, weight`` index weights.
    index_prices
        ``date, close[, symbol]`` of the index, for its return over the streak
        window (see :func:`index_closes`).
    sectors
        Sector map (``symbol, sector``), for the sector weights of the index.
    unusual
        Rows of :func:`~optionsflow.aggregate.unusual.unusual_activity`; the
        week's ``top`` are reported.
    index
        Symbol of the index in ``vols``.
    lookback
        Weeks of the call-buying streak window.
    baseline_weeks
        Weeks of the skew and put/call baselines.
    top
        How many unusual-activity contract-days to report.

    Returns
    -------
    Summary
        The facts of the week containing the latest trade date.

    Raises
    ------
    ValidationError
        When the partials hold no trade.

    Examples
    --------
    One Monday of prints: retail lifts the offer for 10 and 30 calls, an
    institution sells 160 at the bid (40 of 200 contracts are retail):

    >>> from optionsflow.batch import flow_partials
    >>> from optionsflow.testing import trades
    >>> prints = trades([{"price": 1.05, "size": 10}, {"price": 1.05, "size": 30},
    ...                  {"price": 0.95, "size": 160, "strike": 120.0}])
    >>> summary = weekly_summary(flow_partials(prints))
    >>> summary.week, summary.days, summary.complete, summary.retail_share
    ('2026-W47', 1, False, 0.2)
    >>> summary.call_buying_streak["institutional"].net_call_buying
    -160.0
    """
    # one pass over the inputs; every view below reads these partials from memory
    merged = partials.lazy().collect()
    partials = merged.lazy()
    end = merged[s.DATE].max()
    if not isinstance(end, dt.date):
        raise ValidationError("no trades in the input")
    start = end - dt.timedelta(days=end.weekday())
    week = pl.col(WEEK_START) == start
    closes, priced = (None, None) if index_prices is None else index_closes(index_prices, index)
    queries = [
        weekly_flow(partials, by=()).filter(week).select(WEEK, WEEK_END, N_DAYS, COMPLETE),
        participant_share(partials)
        .filter(week & (pl.col(s.PARTICIPANT) == "retail"))
        .select(CONTRACT_SHARE, PREMIUM_SHARE),
        pl.concat(_streaks(partials, week, lookback, closes)),
        pl.concat(_skews(partials, week, baseline_weeks)),
        put_call_query(partials, start, baseline_weeks, CLASSES),
    ]
    has_themes = merged[s.THEME].null_count() < merged.height if s.THEME in merged else False
    optional: dict[str, pl.LazyFrame] = {}
    if has_themes:
        optional["themes"] = theme_query(partials, start)
    if weights is not None:
        optional["concentration"] = concentration_query(weights.lazy(), end)
        if sectors is not None:
            optional["sector_weights"] = sector_weight_query(weights.lazy(), sectors.lazy(), end)
    if unusual is not None:
        optional["unusual"] = unusual_query(unusual.lazy(), start, end, top)
    queries += optional.values()
    with_corr = vols is not None and weights is not None
    if vols is not None and weights is not None:
        index_vol, names = index_and_names(vols, index)
        queries.append(correlation_query(index_vol, names, weights.lazy(), end))
    head, share, streaks, skews, pc, *rest = pl.collect_all(queries)
    extra = dict(zip(optional, rest[: len(optional)], strict=True))
    corr = rest[len(optional) :]
    missing = None
    if vols is not None and weights is not None and corr[0].height == 0:  # only then: say why
        gap = correlation_gap_query(vols.lazy(), weights.lazy(), index, end).collect()
        missing = correlation_gap(gap, index)
    return Summary(
        week=head[WEEK].item(),
        week_start=start,
        week_end=head[WEEK_END].item(),
        days=head[N_DAYS].item(),
        complete=head[COMPLETE].item(),
        lookback=lookback,
        retail_share=share[CONTRACT_SHARE].item() if share.height else 0.0,
        retail_premium_share=share[PREMIUM_SHARE].item() if share.height else 0.0,
        call_buying_streak={
            r[s.PARTICIPANT]: Streak(**_renamed(r)) for r in streaks.iter_rows(named=True)
        },
        class_skew=_class_skews(skews),
        sector_skew=[
            SectorSkew(**r) for r in skews.filter(pl.col(s.SECTOR) != "All").iter_rows(named=True)
        ],
        implied_correlation=correlation_facts(corr[0]) if with_corr else None,
        index=index,
        put_call=put_call_facts(pc, CLASSES),
        themes=theme_facts(extra["themes"]) if "themes" in extra else None,
        concentration=(
            concentration_facts(extra["concentration"]) if "concentration" in extra else None
        ),
        sector_weights=(
            sector_weight_facts(extra["sector_weights"]) if "sector_weights" in extra else None
        ),
        unusual=unusual_facts(extra["unusual"]) if "unusual" in extra else None,
        priced_index=priced,
        correlation_missing=missing,
    )


def _renamed(row: dict[str, Any]) -> dict[str, Any]:
    return {("net_call_buying" if k == NET else k): v for k, v in row.items()}


def _class_skews(skews: pl.DataFrame, n: int = 3) -> dict[str, ClassSkew]:
    out: dict[str, ClassSkew] = {}
    for p in CLASSES:
        rows = skews.filter(pl.col(s.PARTICIPANT) == p)
        total = rows.filter(pl.col(s.SECTOR) == "All")
        ranked = rows.filter(
            ~pl.col(s.SECTOR).is_in(["All", INDEX_SECTOR, UNMAPPED])
            & pl.col(VS_BASELINE).is_not_null()
        ).sort(VS_BASELINE, s.SECTOR, descending=[True, False])
        top = ranked.filter(pl.col(VS_BASELINE) > 0).head(n)[s.SECTOR].to_list()
        bottom = ranked.filter(pl.col(VS_BASELINE) < 0).tail(n)[s.SECTOR].reverse().to_list()
        out[p] = ClassSkew(
            participant=p,
            skew=total[SKEW].item() if total.height else None,
            baseline=total[BASELINE].item() if total.height else None,
            vs_baseline=total[VS_BASELINE].item() if total.height else None,
            top_sectors=top,
            bottom_sectors=bottom,
        )
    return out
