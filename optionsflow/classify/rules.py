"""Expression builders of the classic trade-signing rules.

Each builder returns a ``pl.Expr`` evaluating to +1 (buy), -1 (sell) or null.
Semantics follow ``tclf`` 0.4.0 (Grauer, Schuster & Uhrig-Homburg, "Option
Trade Classification") exactly when ``compare="float"``:

* ``close(x, y)`` is ``|x - y| <= 1e-4 + 1e-5 |y|``, false when either is null
  or NaN (NumPy's ``isclose(x, y, atol=1e-4)``);
* midpoint ``m = 0.5 (ask + bid)`` when ``ask >= bid``, else null;
* quote: +1 if ``P > m``, -1 if ``P < m``, else null;
* tick: +1 if ``P > P_lag``, -1 if ``P < P_lag``; reverse tick: -1 if
  ``P_lead > P``, +1 if ``P_lead < P``;
* lr (rev_lr): quote, else tick (reverse tick);
* emo (rev_emo): where ``close(P, ask) XOR close(P, bid)`` the quote value
  (possibly null: no fallback), else tick (reverse tick);
* clnv (rev_clnv): with ``upper = 0.7 ask + 0.3 bid <= P <= ask`` and
  ``lower = bid <= P <= 0.3 ask + 0.7 bid``, where ``upper XOR lower`` the quote
  value, else tick (reverse tick);
* trade_size: with ``eq = close(ask_size, bid_size)``: +1 if
  ``close(size, bid_size)`` and not ``eq``, -1 if ``close(size, ask_size)`` and
  not ``eq``;
* depth: where ``close(m, P)``: +1 if ``ask_size > bid_size``, -1 if smaller.

With ``compare="tick"`` prices become integers in ticks of 1e-4 and every
comparison is exact integer arithmetic: the midpoint test is
``2P - bid - ask``, ``close`` is equality, the CLNV bounds are
``10P >= 7 ask + 3 bid`` etc., and sizes are compared exactly.

Examples
--------
>>> import polars as pl
>>> frame = pl.DataFrame({"price": [0.035], "bid": [0.01], "ask": [0.06]})
>>> frame.select(quote(QUOTE_COLUMNS["best"], "tick").alias("tick"),
...              quote(QUOTE_COLUMNS["best"], "float").alias("float")).row(0)
(None, 1)
"""

from __future__ import annotations

import dataclasses
from typing import Final, Literal

import polars as pl

from optionsflow import schema as s

__all__ = [
    "LAG_LEAD_COLUMNS",
    "QUOTE_COLUMNS",
    "TICK",
    "Compare",
    "QuoteColumns",
    "clnv",
    "clnv_mask",
    "close",
    "depth",
    "emo",
    "emo_mask",
    "midpoint",
    "quote",
    "sign",
    "tick",
    "trade_size",
]

Compare = Literal["tick", "float"]
TICK: Final = 1e-4
"""Price grid (currency units) of ``compare="tick"``."""
ATOL: Final = 1e-4
RTOL: Final = 1e-5
CLNV_Q: Final = 0.3


@dataclasses.dataclass(frozen=True, slots=True)
class QuoteColumns:
    """Quote columns of one source."""

    bid: str
    ask: str
    bid_size: str
    ask_size: str


QUOTE_COLUMNS: Final = {
    "best": QuoteColumns(s.BID, s.ASK, s.BID_SIZE, s.ASK_SIZE),
    "ex": QuoteColumns(s.BID_EX, s.ASK_EX, s.BID_SIZE_EX, s.ASK_SIZE_EX),
}
"""``best`` is the NBBO; ``ex`` the printing venue's own quote."""

LAG_LEAD_COLUMNS: Final = {
    ("all", 1): "price_all_lag",
    ("all", -1): "price_all_lead",
    ("ex", 1): "price_ex_lag",
    ("ex", -1): "price_ex_lead",
}
"""Names of the neighbouring-price columns (tclf's naming convention)."""


def price(col: str, compare: Compare) -> pl.Expr:
    """Return a price column, as Int64 ticks of 1e-4 when ``compare == "tick"``."""
    if compare == "tick":
        return (pl.col(col) / TICK).round(0).cast(pl.Int64)
    return pl.col(col)


def sign(up: pl.Expr, down: pl.Expr) -> pl.Expr:
    """+1 where ``up``, else -1 where ``down``, else null (Int8)."""
    plus, minus = pl.lit(1, s.SIDE_DTYPE), pl.lit(-1, s.SIDE_DTYPE)
    return pl.when(up).then(plus).when(down).then(minus)


def close(x: pl.Expr, y: pl.Expr, compare: Compare) -> pl.Expr:
    """``|x - y| <= 1e-4 + 1e-5 |y|`` (exact equality in tick mode); null -> False."""
    if compare == "tick":
        return (x == y).fill_null(False)
    ok = x.is_not_nan() & y.is_not_nan()
    return (((x - y).abs() <= ATOL + RTOL * y.abs()) & ok).fill_null(False)


def midpoint(q: QuoteColumns, compare: Compare) -> pl.Expr:
    """Midpoint, doubled (``bid + ask``) in tick mode; null when crossed."""
    bid, ask = price(q.bid, compare), price(q.ask, compare)
    mid = bid + ask if compare == "tick" else 0.5 * (ask + bid)
    return pl.when(ask >= bid).then(mid)


def _scaled_price(compare: Compare) -> pl.Expr:
    """Trade price on the midpoint's scale (doubled ticks in tick mode)."""
    p = price(s.PRICE, compare)
    return 2 * p if compare == "tick" else p


def quote(q: QuoteColumns, compare: Compare) -> pl.Expr:
    """Quote rule: the side of the midpoint the trade printed on."""
    p, m = _scaled_price(compare), midpoint(q, compare)
    return sign(p > m, p < m)


def tick(neighbour: pl.Expr, compare: Compare, *, reverse: bool) -> pl.Expr:
    """Tick (``reverse=False``, lag) or reverse tick (lead) rule."""
    p = price(s.PRICE, compare)
    if reverse:
        return sign(neighbour < p, neighbour > p)
    return sign(p > neighbour, p < neighbour)


def emo_mask(q: QuoteColumns, compare: Compare) -> pl.Expr:
    """Where EMO trusts the quote rule: ``close(P, ask) XOR close(P, bid)``."""
    p = price(s.PRICE, compare)
    return close(p, price(q.ask, compare), compare) ^ close(p, price(q.bid, compare), compare)


def clnv_mask(q: QuoteColumns, compare: Compare) -> pl.Expr:
    """Where CLNV trusts the quote rule: in the top xor bottom 30% of the spread."""
    p, bid, ask = price(s.PRICE, compare), price(q.bid, compare), price(q.ask, compare)
    if compare == "tick":
        upper = (10 * p >= 7 * ask + 3 * bid) & (p <= ask)
        lower = (bid <= p) & (10 * p <= 3 * ask + 7 * bid)
    else:
        upper = ((1.0 - CLNV_Q) * ask + CLNV_Q * bid <= p) & (p <= ask)
        lower = (bid <= p) & (p <= CLNV_Q * ask + (1.0 - CLNV_Q) * bid)
    return upper.fill_null(False) ^ lower.fill_null(False)


def emo(q: QuoteColumns, fallback: pl.Expr, compare: Compare) -> pl.Expr:
    """Ellis, Michaely & O'Hara (2000): quote rule at the ask xor bid, else fallback."""
    return pl.when(emo_mask(q, compare)).then(quote(q, compare)).otherwise(fallback)


def clnv(q: QuoteColumns, fallback: pl.Expr, compare: Compare) -> pl.Expr:
    """Chakrabarty et al. (2007): quote rule in the outer 30% deciles, else fallback."""
    return pl.when(clnv_mask(q, compare)).then(quote(q, compare)).otherwise(fallback)


def trade_size(q: QuoteColumns, compare: Compare) -> pl.Expr:
    """Grauer, Schuster & Uhrig-Homburg: size equal to the bid (ask) size is a buy (sell)."""
    size, bid_size, ask_size = pl.col(s.SIZE), pl.col(q.bid_size), pl.col(q.ask_size)
    if compare == "float":
        size, bid_size, ask_size = (e.cast(pl.Float64) for e in (size, bid_size, ask_size))
    eq = close(ask_size, bid_size, compare)
    return sign(close(size, bid_size, compare) & ~eq, close(size, ask_size, compare) & ~eq)


def depth(q: QuoteColumns, compare: Compare) -> pl.Expr:
    """Depth rule: a midpoint trade is a buy when the ask is deeper than the bid."""
    at_mid = close(midpoint(q, compare), _scaled_price(compare), compare)
    bid_size, ask_size = pl.col(q.bid_size), pl.col(q.ask_size)
    return sign(at_mid & (ask_size > bid_size), at_mid & (ask_size < bid_size))
