"""Order reconstruction: prints that belong to one order, and its size.

An order split across venues (a sweep) or filled in pieces prints several
times; classifying by print size would call a 500-lot sweep "five retail
trades". Prints are first cut into **bursts**: prints of the same contract
(``root, expiry, strike, right``) and book side, each at most ``window`` after
the previous print of that burst (the edge is inclusive: a gap of exactly
``window`` continues the burst, a longer one starts a new one). The book side
is ``side`` when the trades are signed, else the side of the NBBO midpoint the
print is on; prints with no book side are never merged.

A burst is one order when any of these holds, otherwise each print is its own
order:

* a print is an intermarket sweep (``ISOI``);
* it spans two or more venues and its prices walk the book in the order's
  direction (non-decreasing for buys, non-increasing for sells);
* all its prints share venue, timestamp and price (one order's split fills).

Per order: ``order_size`` (contracts), ``order_premium`` (price * size *
multiplier), ``n_venues``; ``is_sweep`` when the order has an ISO print or
spans two or more venues; ``is_block`` when ``order_size >= block_size``,
``order_premium >= block_premium`` or a print is a cross (``SLCN``/``SLCI``).

Examples
--------
>>> import datetime as dt
>>> from optionsflow.testing import T0, trades
>>> ms = dt.timedelta(milliseconds=1)
>>> sweep = [{"ts": T0 + i * 3 * ms, "exchange": v, "price": 1.05 + i * 0.01, "size": 50,
...           "condition": "ISOI"} for i, v in enumerate(["XCBO", "XPHO", "XISX", "BATO"])]
>>> out = reconstruct_orders(trades(sweep)).collect()
>>> out.select("order_size", "n_venues", "is_sweep", "is_block").unique().rows()
[(200, 4, True, True)]
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from typing import Final

import polars as pl

from optionsflow import schema as s
from optionsflow.config import Config
from optionsflow.errors import ConfigError
from optionsflow.schema import IS_BLOCK, IS_SWEEP, N_VENUES, ORDER_ID, ORDER_PREMIUM, ORDER_SIZE

__all__ = [
    "IS_BLOCK",
    "IS_SWEEP",
    "N_VENUES",
    "ORDER_COLUMNS",
    "ORDER_ID",
    "ORDER_PREMIUM",
    "ORDER_SIZE",
    "order_columns",
    "reconstruct_orders",
]

ORDER_COLUMNS: Final = (ORDER_ID, ORDER_SIZE, ORDER_PREMIUM, N_VENUES, IS_SWEEP, IS_BLOCK)
_T = "__of_"
_ROW, _BOOK, _BURST = f"{_T}row", f"{_T}book", f"{_T}burst"
_ISO, _CROSS = f"{_T}is_iso", f"{_T}is_cross"
_PACKED = f"{_T}packed"
_SEED = 20261120
_TIME_BITS = 39  # the time part of a packed value (the contract hash has the other 25 bits)
_U64 = (1 << 64) - 1
_BURST_STATS: Final = ("venues", "times", "prices", "walk", "any_iso", "any_cross", "null_size",
                       "size", "premium", "first")  # fmt: skip


def _book_side(have: pl.Schema) -> pl.Expr:
    """+1 (ask side) / -1 (bid side) / null: ``side`` if signed, else vs the midpoint."""
    if s.SIDE in have:
        return pl.col(s.SIDE).cast(pl.Int8)
    doubled = 2 * pl.col(s.PRICE) - pl.col(s.BID) - pl.col(s.ASK)
    valid = pl.col(s.ASK) >= pl.col(s.BID)
    return pl.when(valid & (doubled > 0)).then(1).when(valid & (doubled < 0)).then(-1).cast(pl.Int8)


def reconstruct_orders(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    window: str = "50ms",
    config: Config | None = None,
) -> pl.LazyFrame:
    """Group prints into orders and add order-level columns.

    Parameters
    ----------
    trades
        Canonical trades, optionally signed (``side``).
    window
        Largest gap between consecutive prints of one order (Polars duration,
        inclusive).
    config
        Block thresholds (``config.participant``).

    Returns
    -------
    pl.LazyFrame
        The input plus ``order_id`` (UInt32: the row number of the order's first print, so
        unique within the frame),
        ``order_size``, ``order_premium``, ``n_venues``, ``is_sweep`` and
        ``is_block`` (see the module docstring).

    Examples
    --------
    Two fills at the ask of one order (same venue, time and price) merge into a
    50-lot; a print a second later is an order of its own:

    >>> import datetime as dt
    >>> from optionsflow.testing import T0, trades
    >>> fill = {"ts": T0, "price": 1.05}
    >>> later = T0 + dt.timedelta(seconds=1)
    >>> fills = trades([dict(fill, size=30), dict(fill, size=20), dict(fill, ts=later, size=5)])
    >>> reconstruct_orders(fills).select("order_id", "order_size", "is_sweep").collect().rows()
    [(0, 50, False), (0, 50, False), (2, 5, False)]
    """
    source = trades.lazy().cache()
    orders = order_columns(source, window=window, config=config)
    return s.beside(source, orders)


def order_columns(
    source: pl.LazyFrame,
    *,
    window: str = "50ms",
    config: Config | None = None,
    carry: Sequence[str] = (),
) -> pl.LazyFrame:
    """Compute the order columns of ``source``, row for row (and pass ``carry`` through).

    The building block of :func:`reconstruct_orders`: the result has the
    source's height and order, so it can be set beside the source (pass a
    cached frame so the source is read once).
    """
    cfg = (config or Config()).participant
    have = source.collect_schema()
    needed = [s.TS, s.SEQ, *s.CONTRACT_KEY, s.EXCHANGE, s.CONDITION, s.PRICE, s.SIZE, s.MULTIPLIER]
    if s.SIDE not in have:
        needed += [s.BID, s.ASK]
    s.require_columns(source, [*needed, *carry], by="reconstruct_orders")
    gap, window_ns = _duration(window)
    contract = [*s.CONTRACT_KEY, _BOOK]
    premium = pl.col(s.PRICE) * pl.col(s.SIZE) * pl.col(s.MULTIPLIER)
    narrow = (
        source.select(
            s.TS,
            s.SEQ,
            *s.CONTRACT_KEY,
            s.PRICE,
            s.SIZE,
            s.MULTIPLIER,
            s.EXCHANGE,
            *carry,
            _book_side(have).alias(_BOOK),
            s.condition_in({"ISOI"}, have).alias(_ISO),
            s.condition_in(s.CROSS_CONDITIONS, have).alias(_CROSS),
        )
        .with_row_index(_ROW)
        # a print with no book side is never merged: a null value never joins (a filter on
        # the book side would be pushed below the join and copy the whole frame)
        .with_columns(
            pl.when(pl.col(_BOOK).is_not_null()).then(_packed(contract, window_ns)).alias(_PACKED)
        )
        .cache()
    )
    # only prints with a close neighbour can share an order (`_near_values`); the rest are
    # single-print orders
    candidates = narrow.join(_near_values(narrow, window_ns), on=_PACKED, how="semi")
    grouped = _merge_bursts(candidates, contract, [s.TS, s.SEQ], gap).sort(_ROW)
    # both sides are sorted by row and the right side's rows are unique: an as-of join with
    # no tolerance is an exact-match merge join that keeps the left order
    return (
        narrow.select(_ROW, s.SIZE, _ISO, _CROSS, *carry, premium.alias(f"{_T}own_premium"))
        .join_asof(grouped, on=_ROW, strategy="backward", tolerance=0)
        .select(
            pl.col(ORDER_ID).fill_null(pl.col(_ROW)),
            # a merged order with a print of unknown size has an unknown size: not the print's own
            pl.when(pl.col(ORDER_ID).is_null())
            .then(pl.col(s.SIZE))
            .otherwise(pl.col(ORDER_SIZE))
            .alias(ORDER_SIZE),
            pl.col(ORDER_PREMIUM).fill_null(pl.col(f"{_T}own_premium")),
            pl.col(N_VENUES).fill_null(1),
            pl.col(f"{_T}order_iso").fill_null(pl.col(_ISO)),
            pl.col(f"{_T}order_cross").fill_null(pl.col(_CROSS)),
            *carry,
        )
        .with_columns(
            (pl.col(f"{_T}order_iso") | (pl.col(N_VENUES) >= 2)).alias(IS_SWEEP),
            (
                (pl.col(ORDER_SIZE) >= cfg.block_size)
                | (pl.col(ORDER_PREMIUM) >= cfg.block_premium)
                | pl.col(f"{_T}order_cross")
            )
            .fill_null(False)
            .alias(IS_BLOCK),
        )
        .select(*ORDER_COLUMNS, *carry)
    )


def _time_mask() -> int:
    """Return the mask of the low bits of a packed value that hold its time part."""
    return (1 << _TIME_BITS) - 1


def _time_unit(window_ns: int) -> int:
    """Nanoseconds per step of a packed value's time part: about ``window / 2**16``."""
    return max(1, window_ns >> 16)


def _packed(contract: list[str], window_ns: int) -> pl.Expr:
    """Pack a contract hash (upper 25 bits) and the time (lower 39) into a UInt64 per print.

    ``packed = (hash & ~mask) | ((ts // unit) & mask)`` with ``mask = 2**39 - 1``
    and ``unit = max(1, window // 2**16)`` nanoseconds (762 ns for 50 ms), so
    the time part wraps every ``2**39 * unit`` (4.8 days for 50 ms). Two prints
    of one contract and book side at most ``window`` apart share the upper bits,
    and their time parts differ by at most ``reach = window // unit + 1`` unless
    a wrap falls between them, and then both lie within ``reach`` of it.
    """
    mask = _time_mask()
    # each column hashed with its own seed, then mixed: cheaper than hashing a struct, and a
    # collision only adds candidates
    key = functools.reduce(
        operator.xor, [pl.col(c).hash(_SEED + i) for i, c in enumerate(contract)]
    )
    time = (pl.col(s.TS).dt.epoch("ns") // _time_unit(window_ns)) & mask
    return ((key & pl.lit(_U64 ^ mask, pl.UInt64)) | time.cast(pl.UInt64)).alias(_PACKED)


def _near_values(narrow: pl.LazyFrame, window_ns: int) -> pl.LazyFrame:
    """Packed values (``_packed``) of every print that may have a neighbour within the window.

    Sorted, the values of one contract hash run by time, so a print with a
    same-contract neighbour at most ``window`` away has a sorted neighbour at
    most ``reach`` away (every value between the two shares their hash and lies
    between them), or lies within ``reach`` of a wrap of the time part. One sort
    of a UInt64 column finds them all. A hash collision, the coarser time, a
    neighbour of the next hash or a print near a wrap can only add candidates,
    never lose one: bursts are then cut on the exact keys and times.
    """
    mask = _time_mask()
    reach = pl.lit(window_ns // _time_unit(window_ns) + 1, pl.UInt64)
    x = pl.col(_PACKED)
    step = x - x.shift(1)  # sorted: never negative
    time = x & mask
    wraps = (time < reach) | (time > mask - reach)
    return (
        narrow.select(x.sort())
        .filter(((step <= reach) | (step.shift(-1) <= reach) | wraps).fill_null(False))
        .select(_PACKED)
    )


def _merge_bursts(
    candidates: pl.LazyFrame, contract: list[str], order: list[str], gap: pl.Expr
) -> pl.LazyFrame:
    """Order columns of the prints of merged bursts (keyed by row number).

    ``candidates`` are the prints that may have a close neighbour. Leaving the
    others out cannot join two bursts: a left-out print is more than ``gap``
    from both neighbours, so they are more than ``gap`` apart.
    Burst statistics come from one ``group_by`` (not a window per statistic).
    """
    # sorted by contract, then time: a burst is a run of rows, numbered by one cumulative sum
    same = pl.all_horizontal(pl.col(c).eq_missing(pl.col(c).shift(1)) for c in contract)
    starts = ~same | ((pl.col(s.TS) - pl.col(s.TS).shift(1)) > gap).fill_null(True)
    # a step walks the book when it moves the price the book side's way (or not at all)
    walks = starts | ((pl.col(s.PRICE) - pl.col(s.PRICE).shift(1)) * pl.col(_BOOK) >= 0)
    lf = candidates.sort(*contract, *order).with_columns(
        starts.cast(pl.UInt32).cum_sum().alias(_BURST), walks.alias(f"{_T}step_walks")
    )
    burst = [_BURST]
    premium = pl.col(s.PRICE) * pl.col(s.SIZE) * pl.col(s.MULTIPLIER)
    stats = lf.group_by(burst).agg(
        pl.col(s.EXCHANGE).n_unique().alias(f"{_T}venues"),
        pl.col(s.TS).n_unique().alias(f"{_T}times"),
        pl.col(s.PRICE).n_unique().alias(f"{_T}prices"),
        pl.col(f"{_T}step_walks").all().alias(f"{_T}walk"),
        pl.col(_ISO).any().alias(f"{_T}any_iso"),
        pl.col(_CROSS).any().alias(f"{_T}any_cross"),
        pl.col(s.SIZE).is_null().any().alias(f"{_T}null_size"),
        pl.col(s.SIZE).sum().alias(f"{_T}size"),
        premium.sum().alias(f"{_T}premium"),
        pl.col(_ROW).min().alias(f"{_T}first"),
    )
    lf = lf.join(stats, on=burst, how="left")
    c = {k: pl.col(f"{_T}{k}") for k in _BURST_STATS}
    same_fill = (c["venues"] == 1) & (c["times"] == 1) & (c["prices"] == 1)
    merged = (c["any_iso"] | ((c["venues"] >= 2) & c["walk"]) | same_fill).fill_null(False)
    # an order is a merged burst or a single print; only merged bursts are returned (a single
    # print's order columns are its own); an order's id is its first print's row
    return lf.filter(merged).select(
        _ROW,
        c["first"].alias(ORDER_ID),
        pl.when(c["null_size"]).then(None).otherwise(c["size"]).alias(ORDER_SIZE),
        c["premium"].alias(ORDER_PREMIUM),
        c["venues"].cast(pl.UInt32).alias(N_VENUES),
        c["any_iso"].alias(f"{_T}order_iso"),
        c["any_cross"].alias(f"{_T}order_cross"),
    )


def _duration(window: str) -> tuple[pl.Expr, int]:
    """``pl.duration`` and nanoseconds of a window like ``"50ms"``, ``"2s"``, ``"500us"``."""
    scale = {"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 1_000_000_000}
    for suffix in ("ns", "us", "ms", "s"):
        number = window.removesuffix(suffix)
        if number != window and number.isdigit() and int(number) > 0:
            ns = int(number) * scale[suffix]
            return pl.duration(nanoseconds=ns), ns
    raise ConfigError(
        "expected a positive window like '50ms', '2s', '500us'", column="window", value=window
    )
