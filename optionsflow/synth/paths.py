"""Daily state of the synthetic market: prices, implied vols, correlation, regimes.

Everything is generated forward from a fixed epoch with a seeded generator, so
the state of any day depends only on the seed and the day, never on the range a
caller asks for.

Model (daily, trading days only):

* vol level ``L_t = exp(x_t)``, ``x_t = 0.97 x_{t-1} + 0.05 e_t``;
* constituent vol ``sigma_i,t = base_i * L_t * exp(u_i,t)``, ``u`` an AR(1) with
  coefficient 0.95 and innovation 0.03;
* implied correlation ``rho_t``, an AR(1) around ``0.25 + 0.3 (L_t - 1)``
  (coefficient 0.97, innovation 0.02) clipped to [0.05, 0.9];
* index vol from the Cboe identity
  ``sigma_I^2 = sum w^2 sigma^2 + rho (sum w sigma)^2 - rho sum w^2 sigma^2``,
  so ``implied_correlation`` recovers ``rho_t`` exactly;
* log returns ``r_i = sigma_i / sqrt(252) (sqrt(.35) z_m + sqrt(.15) z_sector
  + sqrt(.5) z_i)``; the index moves with the weighted constituent returns.

Weekly regimes: retail is in a call-buying (p = 0.62) or call-selling
(p = 0.40) mood, a Markov chain leaving the buying mood with probability 0.03
and the selling one with 0.6; institutions tilt each sector's buy probability
by an AR(1) (coefficient 0.6, innovation 0.05, clipped to +/-0.2), plus a
configurable rotation tilt in chosen sectors from a chosen week on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache

import numpy as np
import polars as pl

from optionsflow import schema as s
from optionsflow.calendar import trading_days
from optionsflow.synth.universe import GICS_SECTORS, UNIVERSE, index_weights

__all__ = ["EPOCH", "HORIZON", "MarketPaths", "SynthConfig", "market_paths"]

EPOCH = dt.date(2024, 1, 2)
"""First day of every synthetic history."""
HORIZON = dt.date(2030, 12, 31)
"""Last day of every synthetic history; paths always run to it, so a day's
state does not depend on which days a caller asks for."""

_SQRT252 = float(np.sqrt(252.0))


@dataclasses.dataclass(frozen=True, slots=True)
class SynthConfig:
    """Knobs of the synthetic market.

    Attributes
    ----------
    seed
        Seed of every random draw.
    rotation_sectors
        Sectors into which institutions rotate (buy more) from ``rotation_from``.
    rotation_from
        First day of the rotation (``None``: no rotation).
    rotation_tilt
        Extra institutional buy probability in the rotation sectors.
    """

    seed: int = 20261120
    rotation_sectors: tuple[str, ...] = ("Energy", "Utilities", "Real Estate", "Materials")
    rotation_from: dt.date | None = dt.date(2026, 11, 9)
    rotation_tilt: float = 0.2


@dataclasses.dataclass(frozen=True)
class MarketPaths:
    """Daily market state from :data:`EPOCH` to ``days[-1]``.

    Attributes
    ----------
    days
        Trading days.
    symbols
        Underlyings, in :data:`~optionsflow.synth.universe.UNIVERSE` order.
    close
        Closing prices, shape ``(len(days), len(symbols))``.
    iv
        30-day implied vols, same shape.
    rho
        True implied correlation of the SPX constituents per day.
    retail_call_buy
        Probability that a retail call order is a buy, per day.
    inst_buy
        Institutional buy probability per day and sector (``GICS_SECTORS`` order).
    """

    days: tuple[dt.date, ...]
    symbols: tuple[str, ...]
    close: np.ndarray
    iv: np.ndarray
    rho: np.ndarray
    retail_call_buy: np.ndarray
    inst_buy: np.ndarray

    def day_index(self, day: dt.date) -> int:
        """Row of ``day``; raises ``KeyError`` when it is not a trading day."""
        return _index_of(self.days)[day]

    def implied_vols(self) -> pl.DataFrame:
        """Constituent and index vols as ``date, symbol, iv`` rows."""
        n_days, n_names = self.iv.shape
        return pl.DataFrame(
            {
                s.DATE: np.repeat(np.array(self.days, dtype="datetime64[D]"), n_names),
                "symbol": np.tile(np.array(self.symbols), n_days),
                "iv": self.iv.reshape(-1),
            }
        ).with_columns(pl.col(s.DATE).cast(pl.Date))

    def closes(self, symbol: str) -> pl.DataFrame:
        """Return the daily closes of one symbol as ``date, close``."""
        return pl.DataFrame(
            {s.DATE: list(self.days), "close": self.close[:, self.symbols.index(symbol)]}
        )

    def true_correlation(self) -> pl.DataFrame:
        """Return the correlation the index vol was built from, as ``date, rho``."""
        return pl.DataFrame({s.DATE: list(self.days), "rho": self.rho})


@cache
def _index_of(days: tuple[dt.date, ...]) -> dict[dt.date, int]:
    return {d: i for i, d in enumerate(days)}


def _ar1(
    rng: np.random.Generator, n: int, shape: tuple[int, ...], phi: float, sd: float
) -> np.ndarray:
    """AR(1) paths ``x_t = phi x_{t-1} + sd e_t`` starting at 0, along axis 0."""
    shocks = rng.normal(0.0, sd, size=(n, *shape))
    out = np.empty_like(shocks)
    acc = np.zeros(shape)
    for t in range(n):
        acc = phi * acc + shocks[t]
        out[t] = acc
    return out


def _weekly_regimes(
    rng: np.random.Generator, days: tuple[dt.date, ...], config: SynthConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Per-day retail call-buy and institutional sector buy probabilities."""
    monday = EPOCH - dt.timedelta(days=EPOCH.weekday())
    week_of = np.array([(d - monday).days // 7 for d in days])
    n_weeks = int(week_of[-1]) + 1
    mood = np.empty(n_weeks, dtype=bool)
    state = True
    leave = rng.random(n_weeks)
    for w in range(n_weeks):
        mood[w] = state
        state = bool(leave[w] >= 0.03) if state else bool(leave[w] < 0.6)
    retail = np.where(mood, 0.62, 0.40)[week_of]
    tilt = np.clip(_ar1(rng, n_weeks, (len(GICS_SECTORS),), 0.6, 0.05), -0.2, 0.2)[week_of]
    if config.rotation_from is not None:
        on = np.array([d >= config.rotation_from for d in days])
        cols = np.array([GICS_SECTORS.index(x) for x in config.rotation_sectors])
        tilt[np.ix_(on, cols)] += config.rotation_tilt
    return retail, np.clip(0.5 + tilt, 0.05, 0.95)


@cache
def market_paths(end: dt.date, config: SynthConfig = SynthConfig()) -> MarketPaths:
    """Generate the market state from :data:`EPOCH` through ``end``.

    Parameters
    ----------
    end
        Last day (inclusive).
    config
        Seed and regime settings.

    Returns
    -------
    MarketPaths
        Daily state (cached per ``(end, config)``).
    """
    days = tuple(trading_days(EPOCH, end))
    n = len(days)
    rng = np.random.default_rng([config.seed, 1])
    symbols = tuple(u.symbol for u in UNIVERSE)
    base = np.array([u.base_vol for u in UNIVERSE])
    spot0 = np.array([u.spot for u in UNIVERSE])
    level = np.exp(_ar1(rng, n, (), 0.97, 0.05))
    iv = base * level[:, None] * np.exp(_ar1(rng, n, (len(UNIVERSE),), 0.95, 0.03))
    rho = np.clip(0.25 + 0.3 * (level - 1.0) + _ar1(rng, n, (), 0.97, 0.02), 0.05, 0.9)

    weights = index_weights("SPX")
    cols = [symbols.index(x) for x in weights["symbol"]]
    w = weights["weight"].to_numpy()
    wsig = iv[:, cols] * w
    sum_sq = (wsig**2).sum(axis=1)
    index_iv = np.sqrt(sum_sq + rho * (wsig.sum(axis=1) ** 2 - sum_sq))
    scale = {"SPX": 1.0, "SPY": 1.0, "QQQ": 1.18, "IWM": 1.35}
    for sym, mult in scale.items():
        iv[:, symbols.index(sym)] = index_iv * mult

    sector_idx = np.array([GICS_SECTORS.index(u.sector) if not u.is_index else 0 for u in UNIVERSE])
    z_m = rng.normal(size=(n, 1))
    z_s = rng.normal(size=(n, len(GICS_SECTORS)))[:, sector_idx]
    z_i = rng.normal(size=(n, len(UNIVERSE)))
    ret = iv / _SQRT252 * (np.sqrt(0.35) * z_m + np.sqrt(0.15) * z_s + np.sqrt(0.5) * z_i)
    ret += 0.0003
    index_ret = ret[:, cols] @ w
    for sym, beta in {"SPX": 1.0, "SPY": 1.0, "QQQ": 1.2, "IWM": 1.1}.items():
        ret[:, symbols.index(sym)] = beta * index_ret
    ret[0] = 0.0
    close = spot0 * np.exp(np.cumsum(ret, axis=0))
    retail, inst = _weekly_regimes(rng, days, config)
    return MarketPaths(days, symbols, close, iv, rho, retail, inst)
