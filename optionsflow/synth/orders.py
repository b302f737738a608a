"""The day's orders before they print: kinds, sizes, contracts, quotes, legs and venues.

Examples
--------
>>> sum(KIND_SHARES.values())
1.0
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

import numpy as np
from scipy.special import ndtr

from optionsflow import schema as s
from optionsflow.calendar import listed_expiries
from optionsflow.synth.paths import MarketPaths
from optionsflow.synth.universe import GICS_SECTORS, UNIVERSE

__all__ = [
    "KIND",
    "KIND_SHARES",
    "PRINTS_PER_ORDER",
    "RETAIL_MULTI_LEG",
    "RETAIL_RESTING",
    "SESSION_NS",
    "Day",
    "expand",
    "venues",
]

KIND_SHARES: Final[dict[str, float]] = {
    "retail_market": 0.455,
    "retail_auction": 0.34,
    "resting": 0.14,
    "inst_simple": 0.014,
    "inst_block": 0.002,
    "sweep": 0.007,
    "cross": 0.001,
    "floor": 0.001,
    "multi_leg": 0.039,
    "stock_tied": 0.001,
}
"""Share of orders by kind (sums to 1).

Retail sends about nine orders in ten, small ones; institutions send few, large
ones: retail ends up with about 60% of the contracts (the share the industry
quotes for US equity options), institutions with most of the premium.
"""
RETAIL_RESTING: Final = 0.97
"""Share of resting (limit) orders that are retail's."""
RETAIL_MULTI_LEG: Final = 0.12
"""Share of multi-leg packages that are retail's."""
PRINTS_PER_ORDER: Final = 1.0 + 2.5 * KIND_SHARES["sweep"] + 2.0 * KIND_SHARES["multi_leg"]
"""Expected prints per order: a sweep prints on 2-5 venues, a package on 2-4 legs."""
_KINDS: Final = tuple(KIND_SHARES)
KIND = {k: i for i, k in enumerate(_KINDS)}
# lognormal (median, sigma) of order size in contracts
_SIZE: Final[dict[str, tuple[float, float]]] = {
    "retail": (10.0, 0.95),
    "inst_simple": (120.0, 0.9),
    "inst_block": (300.0, 0.6),
    "sweep": (150.0, 0.8),
    "cross": (400.0, 0.8),
    "floor": (120.0, 0.7),
    "multi_leg": (12.0, 1.0),
    "stock_tied": (100.0, 0.6),
}
_VENUES: Final = {
    "XCBO": 10, "XPHO": 11, "XISX": 6, "XNDQ": 7, "ARCO": 8, "AMXO": 7, "XMIO": 7, "MPRL": 6,
    "EDGO": 5, "BATO": 8, "XBOX": 6, "C2OX": 3, "GMNI": 4, "MCRY": 4, "EMLD": 5, "XBXO": 2,
    "SPHR": 1,
}  # fmt: skip
_FLOOR_VENUES: Final = ("XCBO", "XPHO", "AMXO", "ARCO")
_NY = ZoneInfo(s.NEW_YORK)
_RATE = 0.04
SESSION_NS = int(6.5 * 3600 * 1e9)


def _bs_price(spot: np.ndarray, strike: np.ndarray, tau: np.ndarray, vol: np.ndarray,
              call: np.ndarray) -> np.ndarray:  # fmt: skip
    """Black-Scholes price, no dividends, rate :data:`_RATE`."""
    sd = vol * np.sqrt(tau)
    d1 = (np.log(spot / strike) + (_RATE + 0.5 * vol**2) * tau) / sd
    d2 = d1 - sd
    disc = strike * np.exp(-_RATE * tau)
    c = spot * ndtr(d1) - disc * ndtr(d2)
    price: np.ndarray = np.where(call, c, c - spot + disc)
    return price


def _strike_step(spot: np.ndarray) -> np.ndarray:
    """Return the listed strike spacing for a price level."""
    return np.select([spot < 25, spot < 100, spot < 250, spot < 1000], [0.5, 1.0, 2.5, 5.0], 5.0)


def _sizes(
    rng: np.random.Generator, median: float, sigma: float, n: int, lo: int = 1
) -> np.ndarray:
    return np.maximum(lo, np.rint(rng.lognormal(np.log(median), sigma, n))).astype(np.int64)


class Day:
    """Vectors of one day's orders, built step by step."""

    def __init__(
        self, paths: MarketPaths, day: dt.date, n_orders: int, rng: np.random.Generator
    ) -> None:
        self.rng = rng
        self.day = day
        i = paths.day_index(day)
        self.prev_close = paths.close[max(i - 1, 0)]
        self.close = paths.close[i]
        self.iv = paths.iv[i]
        self.retail_call_buy = paths.retail_call_buy[i]
        self.inst_buy = paths.inst_buy[i]
        self.inst_activity = paths.inst_activity[i]
        self.theme_tilt = paths.retail_theme_tilt
        self.n = n_orders
        self.kind = rng.choice(len(_KINDS), size=n_orders, p=list(KIND_SHARES.values()))
        retail_share = np.select(
            [self.kind <= KIND["retail_auction"], self.kind == KIND["resting"],
             self.kind == KIND["multi_leg"]],
            [1.0, RETAIL_RESTING, RETAIL_MULTI_LEG], 0.0)  # fmt: skip
        self.retail = rng.random(n_orders) < retail_share

    def contracts(self) -> None:
        """Underlying, right, expiry and strike of every order."""
        rng, n, retail = self.rng, self.n, self.retail
        act = np.array([u.activity for u in UNIVERSE])
        boost = np.array([2.5 if u.theme else (1.4 if u.is_index else 1.0) for u in UNIVERSE])
        pr = act * boost / (act * boost).sum()
        # institutions trade every sector, not only the hot names, more of those they rotate into
        sector = np.array(
            [GICS_SECTORS.index(u.sector) if not u.is_index else -1 for u in UNIVERSE]
        )
        rotation = np.where(sector >= 0, self.inst_activity[np.maximum(sector, 0)], 0.5)
        spread = np.sqrt(act) * rotation
        pi = spread / spread.sum()
        self.u = np.where(retail, rng.choice(len(pr), n, p=pr), rng.choice(len(pi), n, p=pi))
        self.call = rng.random(n) < np.where(retail, 0.72, 0.5)
        frac = rng.beta(0.6, 0.6, n)
        self.frac = frac
        drift = np.log(self.close / self.prev_close)[self.u]
        noise = rng.normal(0, 0.002, n) * np.sqrt(frac * (1 - frac))
        self.spot = np.round(self.prev_close[self.u] * np.exp(drift * frac + noise), 2)
        self.expiry = np.empty(n, dtype="datetime64[D]")
        for j, und in enumerate(UNIVERSE):
            rows = np.flatnonzero(self.u == j)
            if rows.size == 0:
                continue
            exps = listed_expiries(self.day, weeklies=und.weeklies,
                                   dailies=und.symbol in ("SPX", "SPY", "QQQ"))  # fmt: skip
            decay = np.where(retail[rows, None], 0.45, 0.8) ** np.arange(len(exps))
            pick = rng.random((rows.size, 1)) * decay.sum(1, keepdims=True) > np.cumsum(decay, 1)
            self.expiry[rows] = np.array(exps, dtype="datetime64[D]")[pick.sum(1)]
        otm = np.abs(rng.normal(0.02, 0.05, n))
        logm = np.where(retail, np.where(self.call, otm, -otm), rng.normal(0, 0.07, n))
        step = _strike_step(self.spot)
        self.strike = np.maximum(step, np.round(self.spot * np.exp(logm) / step) * step)
        self.root = np.array([u.root for u in UNIVERSE], dtype=object)[self.u]
        spx = self.root == "SPX"
        self.root[spx & (self.expiry != _third_friday(self.expiry))] = "SPXW"
        # SPX options list on Cboe only: there is no other venue to sweep
        self.kind[spx & (self.kind == KIND["sweep"])] = KIND["inst_block"]

    def quotes(self) -> None:
        """Theoretical value, NBBO with sizes, and the intraday time of every order."""
        rng, n = self.rng, self.n
        tau_days = (self.expiry - np.datetime64(self.day)).astype(np.float64) + (
            1 - self.frac
        ) * 0.27
        tau = np.maximum(tau_days, 0.01) / 365.0
        logm = np.log(self.strike / self.spot)
        vol = self.iv[self.u] * (1 + 0.6 * logm**2 - 0.15 * logm)
        theo = np.maximum(_bs_price(self.spot, self.strike, tau, vol, self.call), 0.0)
        penny = np.isin(np.array([u.symbol for u in UNIVERSE])[self.u], ["SPY", "QQQ", "IWM"])
        self.tick = np.where((theo < 3.0) | penny, 0.01, 0.05)
        half = np.maximum(self.tick, theo * rng.uniform(0.01, 0.05, n))
        bid_t = np.maximum(0, np.floor((theo - half) / self.tick)).astype(np.int64)
        # only a marketable buy meets a zero bid: sells need a bid to hit, and a
        # resting customer bid is itself a bid of at least one tick
        zero_ok = self.buy & (self.kind != KIND["resting"])
        self.bid_t = np.where(zero_ok, bid_t, np.maximum(bid_t, 1))
        ask_t = np.ceil((theo + half) / self.tick).astype(np.int64)
        self.ask_t = np.maximum(ask_t, self.bid_t + 1)
        self.bid_size = np.where(self.bid_t > 0, _sizes(rng, 30, 1.0, n), 0)
        self.ask_size = _sizes(rng, 30, 1.0, n)
        self.theo = theo

    def sides(self) -> None:
        """Draw the true side and the size of every order."""
        rng, n, k = self.rng, self.n, self.kind
        sector = np.array(
            [GICS_SECTORS.index(u.sector) if not u.is_index else -1 for u in UNIVERSE]
        )
        inst_p = np.where(sector[self.u] >= 0, self.inst_buy[np.maximum(sector[self.u], 0)], 0.5)
        theme_p = np.clip(self.retail_call_buy + self.theme_tilt[self.u], 0.05, 0.95)
        retail_p = np.where(self.call, theme_p, 0.55)
        self.buy = rng.random(n) < np.where(self.retail, retail_p, inst_p)
        size = _sizes(rng, *_SIZE["retail"], n)
        for kind, (median, sigma) in _SIZE.items():
            if kind != "retail":
                rows = (k == KIND[kind]) if kind in KIND else np.zeros(n, bool)
                size[rows] = _sizes(rng, median, sigma, int(rows.sum()))
        inst_small = ((k == KIND["resting"]) | (k == KIND["inst_simple"])) & ~self.retail
        size[inst_small] = _sizes(rng, *_SIZE["inst_simple"], int(inst_small.sum()))
        size[k == KIND["inst_block"]] = np.maximum(size[k == KIND["inst_block"]], 100)
        retail_legs = (k == KIND["multi_leg"]) & self.retail
        size[retail_legs] = _sizes(rng, 3, 0.8, int(retail_legs.sum()))
        self.size = size

    def prices(self) -> None:
        """Single-print price in ticks and condition, by kind (sweeps/legs later)."""
        rng, n, k, buy = self.rng, self.n, self.kind, self.buy
        bid, ask = self.bid_t, self.ask_t
        width = ask - bid
        inside = bid + np.floor(rng.random(n) * (width + 1)).astype(np.int64)
        near = np.where(buy, ask, bid)
        improve = np.minimum(np.floor(rng.random(n) * (width // 2 + 1)), width // 2).astype(
            np.int64
        )
        auction = np.where(buy, ask - improve, bid + improve)
        rest = np.where(buy, bid, ask)
        simple = np.where(rng.random(n) < 0.7, near, inside)
        price = np.select(
            [k == KIND["retail_auction"], k == KIND["resting"],
             np.isin(k, [KIND["inst_simple"], KIND["inst_block"]]),
             np.isin(k, [KIND["cross"], KIND["floor"]])],
            [auction, rest, simple, inside], near)  # fmt: skip
        cond = np.select(
            [k == KIND["retail_auction"], k == KIND["cross"], k == KIND["floor"],
             k == KIND["sweep"], (k == KIND["inst_block"]) & (rng.random(n) < 0.4)],
            ["SLAN", "SLCN", "SLFT", "ISOI", "SLAN"], "AUTO").astype(object)  # fmt: skip
        cond[(k == KIND["cross"]) & (rng.random(n) < 0.2)] = "SLCI"
        mleg = k == KIND["multi_leg"]
        cond[mleg] = rng.choice(["MLET", "MLAT", "MLCT"], int(mleg.sum()), p=[0.6, 0.25, 0.15])
        tied = k == KIND["stock_tied"]
        cond[tied] = rng.choice(["TLET", "TLAT"], int(tied.sum()))
        # resting customer order: its size is the quoted size on its side, unless others
        # joined it at the same price (then the trade-size rule cannot see it)
        resting = k == KIND["resting"]
        joined = np.where(rng.random(n) < 0.35, _sizes(rng, 20, 1.0, n), 0)
        self.bid_size = np.where(resting & buy, self.size + joined, self.bid_size)
        self.ask_size = np.where(resting & ~buy, self.size + joined, self.ask_size)
        clash = resting & (self.bid_size == self.ask_size)
        self.ask_size = np.where(clash & buy, self.ask_size + 1, self.ask_size)
        self.bid_size = np.where(clash & ~buy, self.bid_size + 1, self.bid_size)
        self.price_t = np.maximum(price, 1)
        self.cond = cond


def _third_friday(days: np.ndarray) -> np.ndarray:
    """Return the third Friday of the month of each date (numpy ``datetime64[D]``)."""
    first = days.astype("datetime64[M]").astype("datetime64[D]")
    weekday = (first.astype(np.int64) + 3) % 7  # Monday = 0
    friday: np.ndarray = first + ((4 - weekday) % 7 + 14).astype("timedelta64[D]")
    return friday


def _legs(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Count prints per order: 2-5 for sweeps, 2-4 for multi-leg packages, else 1."""
    n = np.ones(kind.size, dtype=np.int64)
    sweep, mleg = kind == KIND["sweep"], kind == KIND["multi_leg"]
    n[sweep] = rng.integers(2, 6, int(sweep.sum()))
    n[mleg] = rng.integers(2, 5, int(mleg.sum()))
    return n


def expand(d: Day) -> tuple[np.ndarray, np.ndarray]:
    """Turn orders into prints: split sweeps across venues, fan packages into legs."""
    rng = d.rng
    n_legs = _legs(rng, d.kind)
    idx = np.repeat(np.arange(d.n), n_legs)
    leg = np.arange(idx.size) - np.repeat(np.cumsum(n_legs) - n_legs, n_legs)
    for name in ("kind", "retail", "u", "call", "frac", "spot", "expiry", "strike", "root",
                 "buy", "size"):  # fmt: skip
        setattr(d, name, getattr(d, name)[idx])
    d.n = idx.size
    sweep = d.kind == KIND["sweep"]
    weights = np.where(sweep, rng.random(d.n) + 0.2, 1.0)
    total = np.bincount(idx, weights)[idx]
    part = np.where(sweep, np.maximum(1, np.floor(d.size * weights / total)), d.size).astype(
        np.int64
    )
    first = sweep & (leg == 0)
    short = np.bincount(idx, np.where(sweep, part, 0))[idx].astype(np.int64)
    part[first] += np.maximum(d.size[first] - short[first], 0)
    d.size = part
    mleg = d.kind == KIND["multi_leg"]
    step = _strike_step(d.spot) * np.where(rng.random(d.n) < 0.5, 1, 2)
    d.strike = np.where(mleg, d.strike + leg * step, d.strike)
    d.call = np.where(mleg & (leg % 2 == 1) & (rng.random(d.n) < 0.4), ~d.call, d.call)
    d.buy = np.where(mleg & (leg % 2 == 1), ~d.buy, d.buy)
    return idx, leg


def venues(d: Day, leg: np.ndarray) -> np.ndarray:
    """Venue of every print: distinct venues within a sweep, Cboe only for SPX."""
    rng = d.rng
    names = np.array(list(_VENUES))
    p = np.array(list(_VENUES.values()), dtype=float)
    base = rng.choice(names.size, d.n, p=p / p.sum())
    first = np.where(leg == 0, base, 0)
    start = np.maximum.accumulate(np.where(leg == 0, np.arange(d.n), 0))
    venue = names[np.where(d.kind == KIND["sweep"], (first[start] + leg) % names.size, base)]
    floor = d.kind == KIND["floor"]
    venue[floor] = rng.choice(_FLOOR_VENUES, int(floor.sum()))
    venue[np.isin(d.root, ["SPX", "SPXW"])] = "XCBO"
    return venue
