"""One synthetic trading day of option prints, labelled with the truth.

Orders are drawn first, by kind, and expanded into prints:

=================  =========  ==================================================
kind               who        how it prints
=================  =========  ==================================================
retail_market      retail     AUTO, at the ask (buy) or bid (sell)
retail_auction     retail     SLAN, price-improved inside the spread
resting            either     AUTO at the bid (a customer *buy* resting there) or
                              at the ask (customer sell), size = quoted size
inst_simple        inst.      AUTO, at or inside the quote
inst_block         inst.      AUTO or SLAN, >= 100 contracts
sweep              inst.      ISOI, 2-5 venues within 50 ms, walking the book
cross              inst.      SLCN / SLCI inside the spread
floor              inst.      SLFT inside the spread
multi_leg          either     MLET / MLAT / MLCT, 2-4 legs at package prices
stock_tied         inst.      TLET / TLAT, stock-tied package
=================  =========  ==================================================

The ``resting`` kind is what the trade-size rule exploits: the customer's
limit order *is* the quote, a market maker fills it, the print lands on the
customer's price with the quoted size, and the quote rule signs it backwards.
In 35% of resting orders others joined the customer at that price, so the
quoted size is larger than the print and only the (wrong) quote rule speaks.
Ground truth columns: ``true_side`` (the customer's side), ``true_participant``
and ``true_order_id``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from optionsflow import schema as s
from optionsflow.schema import TRUE_ORDER_ID
from optionsflow.synth.orders import (
    KIND,
    KIND_SHARES,
    PRINTS_PER_ORDER,
    SESSION_NS,
    Day,
    expand,
    venues,
)
from optionsflow.synth.paths import HORIZON, SynthConfig, market_paths
from optionsflow.synth.universe import UNIVERSE

__all__ = ["KIND_SHARES", "TRUE_ORDER_ID", "synth_day"]

_NY = ZoneInfo(s.NEW_YORK)


def _open_ns(day: dt.date) -> int:
    """9:30 New York time on ``day`` as UTC epoch nanoseconds."""
    opening = dt.datetime.combine(day, dt.time(9, 30), tzinfo=_NY)
    return int(opening.timestamp()) * 1_000_000_000


def synth_day(day: dt.date, n_trades: int, *, config: SynthConfig | None = None) -> pl.DataFrame:
    """Generate one trading day of canonical trades with ground-truth labels.

    Parameters
    ----------
    day
        A trading day between 2024-01-02 and 2030-12-31.
    n_trades
        Number of prints.
    config
        Seed and regime settings.

    Returns
    -------
    pl.DataFrame
        Canonical trades (:data:`~optionsflow.schema.TRADE_SCHEMA`) sorted by
        ``ts``, plus ``true_side``, ``true_participant`` and ``true_order_id``.

    Examples
    --------
    >>> day = synth_day(dt.date(2026, 11, 20), 200)
    >>> day.height, day["ts"].is_sorted(), day["true_side"].is_in([1, -1]).all()
    (200, True, True)
    >>> day["ts"].dt.convert_time_zone("America/New_York").dt.date().unique().to_list()
    [datetime.date(2026, 11, 20)]
    >>> synth_day(dt.date(2026, 11, 20), 200).equals(day)  # same seed, same day
    True
    """
    cfg = config or SynthConfig()
    paths = market_paths(HORIZON, cfg)
    rng = np.random.default_rng([cfg.seed, 2, day.toordinal()])
    # a few more orders than the prints they make on average; the surplus is cut
    d = Day(paths, day, int(n_trades / PRINTS_PER_ORDER * 1.02) + 16, rng)
    d.contracts()
    d.sides()
    idx, leg = expand(d)
    d.quotes()
    d.prices()
    package = np.isin(d.kind, [KIND["multi_leg"], KIND["stock_tied"]])
    d.price_t = np.where(package, np.maximum(1, np.rint(d.theo / d.tick + rng.normal(0, 1, d.n))),
                         d.price_t).astype(np.int64)  # fmt: skip
    sweep = d.kind == KIND["sweep"]
    walk = np.floor(leg * 0.6).astype(np.int64)
    d.price_t = np.where(
        sweep, np.where(d.buy, d.ask_t + walk, np.maximum(d.bid_t - walk, 1)), d.price_t
    )
    venue = venues(d, leg)
    offset = np.where(sweep, leg * rng.uniform(0.5e6, 12e6, d.n), 0).astype(np.int64)
    ts = _open_ns(day) + (d.frac * SESSION_NS).astype(np.int64) + offset
    cut = slice(0, n_trades)
    frame = _assemble(d, rng, ts, venue, day.toordinal() * 10_000_000 + idx)[cut]
    frame = frame.sort(s.TS, maintain_order=True)
    rows = pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    return frame.with_columns(rows.alias(s.SEQ), rows.alias(s.SOURCE_ROW)).select(
        *s.TRADE_COLUMNS, s.TRUE_SIDE, s.TRUE_PARTICIPANT, TRUE_ORDER_ID
    )


def _assemble(
    d: Day, rng: np.random.Generator, ts: np.ndarray, venue: np.ndarray, order_id: np.ndarray
) -> pl.DataFrame:
    """Columns of the day as a typed frame (prices rounded to 4 decimals)."""
    tick = d.tick
    on_ask, on_bid = d.price_t == d.ask_t, d.price_t == d.bid_t
    lag_ask = np.where(on_ask | (rng.random(d.n) < 0.6), 0, 1)
    lag_bid = np.where(on_bid | (rng.random(d.n) < 0.6), 0, 1)
    bid_ex_t = np.maximum(d.bid_t - lag_bid, 0)
    ask_ex_t = d.ask_t + lag_ask
    share = rng.uniform(0.2, 1.0, d.n)
    resting = d.kind == KIND["resting"]
    bid_size_ex = np.where(resting, d.bid_size, np.ceil(d.bid_size * share)).astype(np.int64)
    ask_size_ex = np.where(resting, d.ask_size, np.ceil(d.ask_size * share)).astype(np.int64)

    def money(ticks: np.ndarray) -> np.ndarray:
        return np.round(ticks * tick, 4)

    return pl.DataFrame(
        {
            s.TS: ts,
            s.SEQ: np.zeros(d.n, dtype=np.int64),
            s.UNDERLYING: np.array([u.symbol for u in UNIVERSE])[d.u],
            s.ROOT: d.root.astype(str),
            s.EXPIRY: d.expiry,
            s.STRIKE: np.round(d.strike, 4),
            s.RIGHT: np.where(d.call, "C", "P"),
            s.PRICE: money(d.price_t),
            s.SIZE: d.size,
            s.MULTIPLIER: np.full(d.n, 100, dtype=np.int32),
            s.EXCHANGE: venue,
            s.CONDITION: d.cond.astype(str),
            s.BID: money(d.bid_t),
            s.ASK: money(d.ask_t),
            s.BID_SIZE: d.bid_size.astype(np.int64),
            s.ASK_SIZE: d.ask_size.astype(np.int64),
            s.BID_EX: money(bid_ex_t),
            s.ASK_EX: money(ask_ex_t),
            s.BID_SIZE_EX: np.where(bid_ex_t > 0, bid_size_ex, 0),
            s.ASK_SIZE_EX: ask_size_ex,
            s.UNDERLYING_PRICE: d.spot,
            s.SOURCE: np.full(d.n, "synth"),
            s.SOURCE_ROW: np.zeros(d.n, dtype=np.int64),
            s.TRUE_SIDE: np.where(d.buy, 1, -1).astype(np.int8),
            s.TRUE_PARTICIPANT: np.where(d.retail, "retail", "institutional"),
            TRUE_ORDER_ID: order_id.astype(np.int64),
        }
    ).with_columns(
        pl.col(s.TS).cast(pl.Datetime("ns", "UTC")),
        *(pl.col(c).cast(t) for c, t in s.TRADE_SCHEMA.items() if c != s.TS),
        pl.col(s.TRUE_PARTICIPANT).cast(s.PARTICIPANT_DTYPE),
    )
