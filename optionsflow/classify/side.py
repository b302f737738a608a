"""Trade signing: buy/sell labels from a layered stack of classic rules.

A *stack* is a sequence of ``(rule, quote_source)`` layers. Each layer yields
+1 (buy), -1 (sell) or null; the first non-null layer wins (``pl.coalesce``)
and its name, ``f"{rule}_{quote_source}"``, is recorded in ``side_rule``.

Prices are compared in integer ticks of 1e-4 by default
(``price_compare="tick"``): a midpoint print parsed from text (1.025 against
``(1.00 + 1.05) / 2``) is then exactly at the midpoint, instead of being
signed by binary rounding noise. ``price_compare="float"`` compares raw floats.

Definitions (DESIGN.md section 6; Lee & Ready 1991):

* midpoint ``m = (bid + ask) / 2`` when ``ask >= bid``, else null;
* quote rule: +1 if ``P > m``, -1 if ``P < m``, else null;
* tick rule: +1 if ``P > P_lag``, -1 if ``P < P_lag``, else null, where
  ``P_lag`` is the previous *different* price of the same contract, in
  (``ts``, ``seq``) order, on any venue (``all``) or the same venue (``ex``),
  within the same New York trading day (so a file of one day signs exactly
  as it does inside a file of many days);
* reverse tick rule: -1 if ``P_lead > P``, +1 if ``P_lead < P``, with the next
  different price;
* Lee-Ready ``lr``: the quote rule, else the tick rule (``rev_lr``: else the
  reverse tick rule).

Multi-leg and stock-tied prints execute at package prices that say nothing
about the quote of one leg: they are left unsigned with ``side_rule = "complex"``
unless ``sign_complex=True``.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> from optionsflow.classify.side import sign_trades, LEE_READY
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
from optionsflow.errors import ConfigError

__all__ = [
    "GSU_SMALL",
    "LEE_READY",
    "Layer",
    "QuoteSource",
    "Rule",
    "sign_trades",
]

Rule = Literal["quote", "tick", "rev_tick", "lr", "rev_lr"]
QuoteSource = Literal["best", "ex", "all"]
Layer = tuple[Rule, QuoteSource]

LEE_READY: Final[tuple[Layer, ...]] = (("lr", "best"),)
"""Lee & Ready (1991): quote rule on the NBBO, else tick test across venues."""
GSU_SMALL: Final[tuple[Layer, ...]] = (("quote", "best"), ("quote", "ex"), ("rev_tick", "all"))
"""Grauer, Schuster & Uhrig-Homburg's stack without the size-based rules."""

TICK: Final = 1e-4
"""Price grid (currency units) used by ``price_compare="tick"``."""

_QUOTE_COLUMNS: Final[dict[str, tuple[str, str]]] = {
    "best": (s.BID, s.ASK),
    "ex": (s.BID_EX, s.ASK_EX),
}
_COMPLEX: Final = s.MULTILEG_CONDITIONS | s.STOCK_TIED_CONDITIONS


def _price(col: str, compare: Literal["tick", "float"]) -> pl.Expr:
    """Return a price column, as integer ticks when ``compare == "tick"``."""
    if compare == "tick":
        return (pl.col(col) / TICK).round(0).cast(pl.Int64)
    return pl.col(col)


def _sign(diff: pl.Expr) -> pl.Expr:
    """+1 / -1 for a positive / negative difference, null for zero or null."""
    return (
        pl.when(diff > 0)
        .then(pl.lit(1, s.SIDE_DTYPE))
        .when(diff < 0)
        .then(pl.lit(-1, s.SIDE_DTYPE))
    )


def _quote_rule(source: str, compare: Literal["tick", "float"]) -> pl.Expr:
    """Quote rule against the midpoint, evaluated as ``sign(2P - bid - ask)``.

    Doubling keeps tick arithmetic integral; a crossed quote (ask < bid) has
    no midpoint and yields null.
    """
    bid_col, ask_col = _QUOTE_COLUMNS[source]
    bid, ask, price = _price(bid_col, compare), _price(ask_col, compare), _price(s.PRICE, compare)
    return pl.when(ask >= bid).then(_sign(2 * price - (bid + ask)))


def _neighbour_price(
    keys: list[str], compare: Literal["tick", "float"], *, direction: Literal[1, -1]
) -> pl.Expr:
    """Previous (``direction=1``) or next (``-1``) *different* price per group.

    Consecutive equal prices form a run; the run's first (last) row takes the
    neighbouring row's price and the rest of the run copies it.
    """
    order = [s.TS, s.SEQ]
    groups = [*keys, pl.col(s.TS).dt.convert_time_zone(s.NEW_YORK).dt.date()]
    price = _price(s.PRICE, compare)
    neighbour = price.shift(direction).over(groups, order_by=order)
    edge = pl.when(price != neighbour).then(neighbour)
    filled = edge.forward_fill() if direction == 1 else edge.backward_fill()
    return filled.over(groups, order_by=order)


def _rule_expr(rule: Rule, source: QuoteSource, compare: Literal["tick", "float"]) -> pl.Expr:
    """Build the expression of one layer."""
    contract = list(s.CONTRACT_KEY)
    tick_keys = [*contract, s.EXCHANGE] if source == "ex" else contract
    quote_source = "best" if source == "all" else source
    price = _price(s.PRICE, compare)
    if rule == "quote":
        return _quote_rule(quote_source, compare)
    if rule == "tick":
        return _sign(price - _neighbour_price(tick_keys, compare, direction=1))
    if rule == "rev_tick":
        return _sign(price - _neighbour_price(tick_keys, compare, direction=-1))
    fallback: Rule = "tick" if rule == "lr" else "rev_tick"
    return pl.coalesce(_quote_rule(quote_source, compare), _rule_expr(fallback, "all", compare))


def _required_columns(rule: Rule, source: QuoteSource) -> list[str]:
    """Columns a layer reads, for the up-front check."""
    needed = [s.PRICE, s.TS, s.SEQ, *s.CONTRACT_KEY]
    if rule in ("quote", "lr", "rev_lr"):
        needed += list(_QUOTE_COLUMNS["best" if source == "all" else source])
    if source == "ex":
        needed.append(s.EXCHANGE)
    return needed


def _layer_name(rule: Rule, source: QuoteSource) -> str:
    """Name recorded in ``side_rule`` for a deciding layer."""
    return f"{rule}_{source}"


def _check_layers(layers: Sequence[Layer], frame: pl.LazyFrame) -> None:
    """Reject unknown layers and report each missing column once, with its rule."""
    if not layers:
        raise ConfigError("a signing stack needs at least one layer", column="layers")
    for rule, source in layers:
        if rule not in get_args(Rule) or source not in get_args(QuoteSource):
            raise ConfigError(f"unknown signing layer ({rule!r}, {source!r})", column="layers")
    for rule, source in layers:
        s.require_columns(
            frame,
            _required_columns(rule, source),
            by=f"signing layer '{_layer_name(rule, source)}'",
        )


def sign_trades(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    layers: Sequence[Layer] = LEE_READY,
    price_compare: Literal["tick", "float"] = "tick",
    sign_complex: bool = False,
) -> pl.LazyFrame:
    """Sign each trade as a buy (+1) or sell (-1) with a stack of rules.

    Parameters
    ----------
    trades
        Canonical trades (see :mod:`optionsflow.schema`).
    layers
        ``(rule, quote_source)`` pairs tried in order; the first non-null
        answer wins. Rules: ``quote``, ``tick``, ``rev_tick``, ``lr``,
        ``rev_lr``. Sources: ``best`` (NBBO), ``ex`` (the printing venue's own
        quote; tick tests on the same venue), ``all`` (tick tests across all
        venues; quote rules then use the NBBO).
    price_compare
        ``"tick"`` compares prices in integer ticks of 1e-4; ``"float"``
        compares raw floating-point values.
    sign_complex
        Also sign multi-leg and stock-tied prints (default: leave them null
        with ``side_rule = "complex"``).

    Returns
    -------
    pl.LazyFrame
        The input plus ``side`` (Int8: +1, -1, null) and ``side_rule``
        (String: the deciding layer, ``"complex"``, or null).

    Raises
    ------
    ConfigError
        For an empty stack or an unknown layer.
    SchemaError
        For a column a layer needs, naming that layer.
    """
    lf = trades.lazy()
    _check_layers(layers, lf)
    votes = [_rule_expr(rule, source, price_compare) for rule, source in layers]
    names = [_layer_name(rule, source) for rule, source in layers]
    side = pl.coalesce(votes)
    rule = pl.coalesce(
        [pl.when(v.is_not_null()).then(pl.lit(n)) for v, n in zip(votes, names, strict=True)]
    )
    if not sign_complex:
        is_complex = pl.col(s.CONDITION).cast(pl.String).is_in(sorted(_COMPLEX))
        side = pl.when(is_complex).then(None).otherwise(side)
        rule = pl.when(is_complex).then(pl.lit("complex")).otherwise(rule)
    return lf.with_columns(side.cast(s.SIDE_DTYPE).alias(s.SIDE), rule.alias(s.SIDE_RULE))
