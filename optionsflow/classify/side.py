"""Trade signing: buy/sell labels from a layered stack of classic rules.

A *stack* is a sequence of ``(rule, quote_source)`` layers. Each layer yields
+1 (buy), -1 (sell) or null; the first non-null layer wins (``pl.coalesce``)
and its name, ``f"{rule}_{quote_source}"``, is recorded in ``side_rule``. The
rules and their exact definitions are in :mod:`optionsflow.classify.rules`.

Quote sources: ``best`` is the NBBO (``bid, ask, bid_size, ask_size``), ``ex``
the printing venue's own quote (``bid_ex, ...``). For tick tests, ``all``
compares with trades on any venue and ``ex`` with trades on the same venue;
``best`` as a tick source means ``all``, and a quote rule given ``all`` uses
the NBBO. Hybrid rules (``lr``, ``emo``, ``clnv`` and their ``rev_`` forms)
fall back to the tick test of the same source, as ``tclf`` does.

Neighbouring prices are computed here, per contract (``root, expiry, strike,
right``) within one New York trading day, in (``ts``, ``seq``) order: the lag
(lead) is the previous (next) *different* price.

Condition-aware defaults: multi-leg and stock-tied prints execute at package
prices and are left unsigned with ``side_rule = "complex"`` unless
``sign_complex=True``; cancelled and late or out-of-sequence prints are not
compared with the contemporaneous quote (their quote-based rules are null) but
may still be signed by tick tests.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> t0 = dt.datetime(2026, 1, 5, 15, tzinfo=dt.timezone.utc)
>>> trades = pl.LazyFrame({
...     "ts": [t0, t0, t0], "seq": [1, 2, 3], "root": ["SPY"] * 3,
...     "expiry": [dt.date(2026, 1, 16)] * 3, "strike": [600.0] * 3, "right": ["C"] * 3,
...     "exchange": ["XCBO"] * 3, "condition": ["AUTO"] * 3,
...     "price": [1.05, 1.025, 1.00], "bid": [1.00] * 3, "ask": [1.05] * 3,
... })
>>> sign_trades(trades, layers=LEE_READY).select("side", "side_rule").collect().rows()
[(1, 'lr_best'), (-1, 'lr_best'), (-1, 'lr_best')]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal, get_args

import polars as pl

from optionsflow import schema as s
from optionsflow.classify import rules as r
from optionsflow.errors import ConfigError

__all__ = [
    "GSU_LARGE",
    "GSU_SMALL",
    "LEE_READY",
    "STACKS",
    "Layer",
    "QuoteSource",
    "Rule",
    "neighbour_prices",
    "sign_trades",
]

Rule = Literal[
    "quote", "tick", "rev_tick", "lr", "rev_lr", "emo", "rev_emo", "clnv", "rev_clnv",
    "trade_size", "depth",
]  # fmt: skip
QuoteSource = Literal["best", "ex", "all"]
Layer = tuple[Rule, QuoteSource]

LEE_READY: Final[tuple[Layer, ...]] = (("lr", "best"),)
"""Lee & Ready (1991): quote rule on the NBBO, else tick test across venues."""
GSU_SMALL: Final[tuple[Layer, ...]] = (("quote", "best"), ("quote", "ex"), ("rev_tick", "all"))
"""Grauer, Schuster & Uhrig-Homburg's stack without the size-based rules."""
GSU_LARGE: Final[tuple[Layer, ...]] = (
    ("trade_size", "ex"), ("quote", "best"), ("quote", "ex"),
    ("depth", "best"), ("depth", "ex"), ("rev_tick", "all"),
)  # fmt: skip
"""Grauer, Schuster & Uhrig-Homburg's best stack: trade size and depth rules first."""
STACKS: Final[dict[str, tuple[Layer, ...]]] = {
    "lee_ready": LEE_READY,
    "gsu_small": GSU_SMALL,
    "gsu_large": GSU_LARGE,
}
"""Named stacks, as the CLI's ``--layers`` knows them."""

_QUOTE_RULES: Final = frozenset({"quote", "lr", "rev_lr", "emo", "rev_emo", "clnv", "rev_clnv",
                                 "trade_size", "depth"})  # fmt: skip
_TICK_RULES: Final = {"tick": 1, "lr": 1, "emo": 1, "clnv": 1,
                      "rev_tick": -1, "rev_lr": -1, "rev_emo": -1, "rev_clnv": -1}  # fmt: skip
_COMPLEX: Final = s.MULTILEG_CONDITIONS | s.STOCK_TIED_CONDITIONS
_STALE: Final = s.CANCEL_CONDITIONS | s.LATE_CONDITIONS
_TMP = "__of_"
_DAY = f"{_TMP}day"


def _tick_source(source: QuoteSource) -> Literal["all", "ex"]:
    return "ex" if source == "ex" else "all"


def _quote_source(source: QuoteSource) -> Literal["best", "ex"]:
    return "ex" if source == "ex" else "best"


def _neighbour(keys: Sequence[str], compare: r.Compare, direction: Literal[1, -1]) -> pl.Expr:
    """Previous (``1``) or next (``-1``) *different* price within ``keys``.

    Consecutive equal prices form a run; the run's first (last) row takes the
    neighbouring row's price and the rest of the run copies it. The whole
    computation is one window expression, so each group is ordered once. The
    root is grouped as a categorical: the same groups as the strings, hashed
    as integers (a fifth faster on a 3M-print day).
    """
    p = r.price(s.PRICE, compare)
    other = p.shift(direction)
    edge = pl.when(p != other).then(other)
    filled = edge.forward_fill() if direction == 1 else edge.backward_fill()
    groups = [pl.col(k).cast(pl.Categorical) if k == s.ROOT else pl.col(k) for k in keys]
    return filled.over([*groups, pl.col(_DAY)], order_by=[s.TS, s.SEQ])


def _neighbour_expr(
    source: Literal["all", "ex"], compare: r.Compare, direction: Literal[1, -1]
) -> pl.Expr:
    keys = [*s.CONTRACT_KEY, s.EXCHANGE] if source == "ex" else list(s.CONTRACT_KEY)
    return _neighbour(keys, compare, direction)


_HOUR_NS: Final = 3_600_000_000_000


def _ny_dates(ts: pl.Series) -> pl.Series:
    """Return the New York calendar dates of aware timestamps, converted once per UTC hour.

    Equal to ``ts.dt.convert_time_zone("America/New_York").dt.date()`` (a
    time-zone lookup per row, the slowest step of signing): the rows of one UTC
    hour share their New York date unless the hour holds a date change or an
    offset change, which is checked at both ends of every hour (New York's
    offsets change on whole hours); a batch where that check fails, or with few
    rows per hour, is converted row by row.
    """
    if ts.dtype.time_zone is None or ts.len() < 64:  # type: ignore[attr-defined]
        return ts.dt.convert_time_zone(s.NEW_YORK).dt.date()
    hours = ts.dt.epoch("ns") // _HOUR_NS
    starts = hours.unique().drop_nulls()
    if starts.len() * 8 > ts.len():
        return ts.dt.convert_time_zone(s.NEW_YORK).dt.date()
    first = (starts * _HOUR_NS).cast(pl.Datetime("ns", "UTC")).dt.convert_time_zone(s.NEW_YORK)
    last = (starts * _HOUR_NS + (_HOUR_NS - 1)).cast(pl.Datetime("ns", "UTC"))
    last = last.dt.convert_time_zone(s.NEW_YORK)
    naive = [x.dt.replace_time_zone(None).dt.epoch("ns") for x in (first, last)]
    dates = first.dt.date()
    if not ((dates == last.dt.date()).all() and (naive[1] - naive[0] == _HOUR_NS - 1).all()):
        return ts.dt.convert_time_zone(s.NEW_YORK).dt.date()
    return hours.replace_strict(starts, dates, return_dtype=pl.Date)


def _trading_day() -> pl.Expr:
    return (
        pl.col(s.TS).map_batches(_ny_dates, return_dtype=pl.Date, is_elementwise=True).alias(_DAY)
    )


def neighbour_prices(
    trades: pl.LazyFrame | pl.DataFrame, *, price_compare: r.Compare = "float"
) -> pl.LazyFrame:
    """Add the previous / next different prices, tclf-style.

    Parameters
    ----------
    trades
        Canonical trades.
    price_compare
        ``"float"`` compares raw prices for "different"; ``"tick"`` compares
        them in ticks of 1e-4.

    Returns
    -------
    pl.LazyFrame
        The input plus ``price_all_lag``, ``price_all_lead``, ``price_ex_lag``
        and ``price_ex_lead`` (Float64, currency units), per contract within a
        New York trading day (``ex``: on the same venue).

    Examples
    --------
    Repeated prices are skipped: both 1.10 prints look back to 1.00 and ahead to 1.05.

    >>> from optionsflow.testing import trades
    >>> prints = trades([{"price": p} for p in (1.00, 1.10, 1.10, 1.05)])
    >>> out = neighbour_prices(prints).select("price", "price_all_lag", "price_all_lead")
    >>> out.collect().rows()
    [(1.0, None, 1.1), (1.1, 1.0, 1.05), (1.1, 1.0, 1.05), (1.05, 1.1, None)]
    """
    lf = trades.lazy()
    s.require_columns(lf, [s.TS, s.SEQ, s.PRICE, *s.CONTRACT_KEY], by="neighbour_prices")
    lf = lf.with_columns(_trading_day())
    exprs = []
    for (source, direction), name in r.LAG_LEAD_COLUMNS.items():
        ticks = _neighbour_expr(source, price_compare, direction)  # type: ignore[arg-type]
        value = ticks * r.TICK if price_compare == "tick" else ticks
        exprs.append(value.cast(pl.Float64).alias(name))
    return lf.with_columns(exprs).drop(_DAY)


def _quote_phase(
    rule: Rule, source: QuoteSource, compare: r.Compare, usable: pl.Expr
) -> tuple[pl.Expr | None, pl.Expr | None]:
    """Quote-based part of a layer: ``(vote, mask)`` (either may be None).

    ``vote`` is the quote-only answer (quote, trade-size, depth rules, and the
    quote rule inside a hybrid); ``mask`` says where a hybrid uses it instead of
    its tick test. ``usable`` is False on prints whose quote must not be used.
    """
    if rule in ("tick", "rev_tick"):
        return None, None
    q = r.QUOTE_COLUMNS[_quote_source(source)]
    only = {"trade_size": r.trade_size, "depth": r.depth, "quote": r.quote}
    if rule in only:
        return pl.when(usable).then(only[rule](q, compare)), None
    vote = r.quote(q, compare)
    masks = {
        "lr": vote.is_not_null(),
        "emo": r.emo_mask(q, compare),
        "clnv": r.clnv_mask(q, compare),
    }
    return vote, masks[rule.removeprefix("rev_")] & usable


def _required(rule: Rule, source: QuoteSource) -> list[str]:
    """Columns one layer reads."""
    needed = [s.PRICE]
    q = r.QUOTE_COLUMNS[_quote_source(source)]
    if rule in ("trade_size", "depth"):
        needed += [q.bid_size, q.ask_size] + ([s.SIZE] if rule == "trade_size" else [])
    if rule in _QUOTE_RULES and rule != "trade_size":
        needed += [q.bid, q.ask]
    if rule in _TICK_RULES:
        needed += [s.TS, s.SEQ, *s.CONTRACT_KEY] + ([s.EXCHANGE] if source == "ex" else [])
    return needed


def _check(layers: Sequence[Layer], frame: pl.LazyFrame, condition_aware: bool) -> None:
    """Reject unknown layers; report each missing column once, with its layer."""
    if not layers:
        raise ConfigError("a signing stack needs at least one layer", column="layers")
    for rule, source in layers:
        if rule not in get_args(Rule) or source not in get_args(QuoteSource):
            raise ConfigError(f"unknown signing layer ({rule!r}, {source!r})", column="layers")
    for rule, source in layers:
        by = f"signing layer '{rule}_{source}'"
        s.require_columns(frame, _required(rule, source), by=by)
    if condition_aware:
        s.require_columns(frame, [s.CONDITION], by="condition-aware signing")


def _fill(side: pl.Expr, fill: Literal["none", "random", "const"], seed: int) -> pl.Expr:
    if fill == "const":
        return side.fill_null(0)
    if fill == "random":
        coin = pl.int_range(pl.len(), dtype=pl.UInt64).hash(seed) % 2
        return side.fill_null((2 * coin.cast(pl.Int8) - 1).cast(s.SIDE_DTYPE))
    return side


def sign_trades(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    layers: Sequence[Layer] = GSU_LARGE,
    fill: Literal["none", "random", "const"] = "none",
    seed: int = 42,
    price_compare: r.Compare = "tick",
    sign_complex: bool = False,
    condition_aware: bool = True,
) -> pl.LazyFrame:
    """Sign each trade as a buy (+1) or sell (-1) with a stack of rules.

    Parameters
    ----------
    trades
        Canonical trades (see :mod:`optionsflow.schema`).
    layers
        ``(rule, quote_source)`` pairs tried in order; the first non-null
        answer wins. Rules: ``quote``, ``tick``, ``rev_tick``, ``lr``,
        ``rev_lr``, ``emo``, ``rev_emo``, ``clnv``, ``rev_clnv``,
        ``trade_size``, ``depth``. Sources: ``best``, ``ex``, ``all``.
    fill
        What unsigned rows get: ``"none"`` (null), ``"const"`` (0) or
        ``"random"`` (+1/-1 from a hash of ``seed`` and the row number).
        Complex prints are never filled.
    seed
        Seed of ``fill="random"``.
    price_compare
        ``"tick"`` compares prices in integer ticks of 1e-4 (exact at the
        midpoint); ``"float"`` compares raw floats as ``tclf`` does.
    sign_complex
        Also sign multi-leg and stock-tied prints.
    condition_aware
        Apply the condition-aware defaults of the module docstring (needs the
        ``condition`` column); ``False`` treats every print alike.

    Returns
    -------
    pl.LazyFrame
        The input plus ``side`` (Int8: +1, -1, null; 0 only with
        ``fill="const"``) and ``side_rule`` (String: the deciding layer,
        ``"complex"``, or null).

    Raises
    ------
    ConfigError
        For an empty stack or an unknown layer.
    SchemaError
        For a column a layer needs, naming that layer.

    Examples
    --------
    With the NBBO at 0.95 x 1.05 (10 x 20 contracts): a print at the ask is a buy,
    one at the bid a sell, one at the midpoint falls through to the depth rule
    (more size offered than bid: a buy), and a multi-leg print is left unsigned.

    >>> from optionsflow.testing import trades
    >>> prints = trades([{"price": 1.05}, {"price": 0.95}, {"price": 1.00},
    ...                  {"price": 1.00, "condition": "MLET"}])
    >>> sign_trades(prints).select("side", "side_rule").collect().rows()
    [(1, 'quote_best'), (-1, 'quote_best'), (1, 'depth_best'), (None, 'complex')]
    """
    lf = trades.lazy()
    _check(layers, lf, condition_aware)
    have = lf.collect_schema()
    usable = ~s.condition_in(_STALE, have) if condition_aware else pl.lit(True)
    # phase 1: everything that reads quotes, into small temporary columns, so that the
    # quote columns can be dropped (projection pushdown) before the window of phase 2
    temps: list[pl.Expr] = []
    for i, (rule, source) in enumerate(layers):
        vote, mask = _quote_phase(rule, source, price_compare, usable)
        if vote is not None:
            temps.append(vote.alias(f"{_TMP}v{i}"))
        if mask is not None:
            temps.append(mask.alias(f"{_TMP}m{i}"))
    if condition_aware and not sign_complex:
        temps.append(s.condition_in(_COMPLEX, have).alias(f"{_TMP}complex"))
    # phase 2: neighbouring prices, one window per (source, direction)
    neighbours = {
        (_tick_source(src), _TICK_RULES[rule]) for rule, src in layers if rule in _TICK_RULES
    }
    names = {key: f"{_TMP}{key[0]}_{key[1]}" for key in neighbours}
    lf = lf.with_columns(temps)
    if neighbours:
        lf = lf.with_columns(_trading_day()).with_columns(
            _neighbour_expr(src, price_compare, d).alias(names[(src, d)])  # type: ignore[arg-type]
            for src, d in sorted(neighbours)
        )
    # phase 3: each layer's answer, first non-null wins
    votes = []
    for i, (rule, source) in enumerate(layers):
        if rule in ("quote", "trade_size", "depth"):
            votes.append(pl.col(f"{_TMP}v{i}"))
            continue
        direction = _TICK_RULES[rule]
        lagged = pl.col(names[(_tick_source(source), direction)])
        tick_vote = r.tick(lagged, price_compare, reverse=direction == -1)
        if rule in ("tick", "rev_tick"):
            votes.append(tick_vote)
        else:
            use_quote = pl.col(f"{_TMP}m{i}")
            votes.append(pl.when(use_quote).then(pl.col(f"{_TMP}v{i}")).otherwise(tick_vote))
    side = pl.coalesce(votes)
    rule_name = pl.coalesce(
        pl.when(v.is_not_null()).then(pl.lit(f"{rule}_{src}"))
        for v, (rule, src) in zip(votes, layers, strict=True)
    )
    side = _fill(side, fill, seed)
    if condition_aware and not sign_complex:
        is_complex = pl.col(f"{_TMP}complex")
        side = pl.when(is_complex).then(None).otherwise(side)
        rule_name = pl.when(is_complex).then(pl.lit("complex")).otherwise(rule_name)
    out = lf.with_columns(side.cast(s.SIDE_DTYPE).alias(s.SIDE), rule_name.alias(s.SIDE_RULE))
    return out.select(pl.exclude(f"^{_TMP}.*$"))
