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
* index vol from the Cboe identity over the index's 500 members
  (:mod:`optionsflow.synth.index`, traded or not)
  ``sigma_I^2 = sum w^2 sigma^2 + rho (sum w sigma)^2 - rho sum w^2 sigma^2``,
  so ``implied_correlation`` recovers ``rho_t`` exactly;
* log returns ``r_i = sigma_i / sqrt(252) (sqrt(.35) z_m + sqrt(.15) z_sector
  + sqrt(.5) z_i) + 0.0003``; the index moves with the weighted member returns;
  in a configured rally window every return is shifted by one constant so the
  index gains exactly the configured gain.

Weekly regimes: retail is in a call-buying (p = 0.62) or call-selling
(p = 0.40) mood, a Markov chain leaving the buying mood with probability 0.03
and the selling one with 0.6; institutions tilt each sector's buy probability
by an AR(1) (coefficient 0.6, innovation 0.05, clipped to +/-0.2), plus a
configurable rotation tilt in chosen sectors (and a class-wide one) from a
chosen day on. Retail's call-buy probability is tilted per theme (favoured
themes up, AI semiconductors down: profit taking).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache

import numpy as np
import polars as pl

from optionsflow import schema as s
from optionsflow.calendar import trading_days
from optionsflow.synth.index import REST_OF_INDEX, index_weights
from optionsflow.synth.universe import GICS_SECTORS, UNIVERSE

__all__ = ["EPOCH", "HORIZON", "MarketPaths", "SynthConfig", "market_paths"]

EPOCH = dt.date(2024, 1, 2)
"""First day of every synthetic history."""
HORIZON = dt.date(2030, 12, 31)
"""Last day of every synthetic history; paths always run to it, so a day's
state does not depend on which days a caller asks for."""

_SQRT252 = float(np.sqrt(252.0))
SEED = 20261209
"""Default seed of :class:`SynthConfig`."""


@dataclasses.dataclass(frozen=True, slots=True)
class SynthConfig:
    """Knobs of the synthetic market.

    The defaults tell the bundled sample's story for the week of 2026-11-16
    (sample_data/README.md): a 36-week rally of the index (+24.1%) with retail
    buying calls in all but one of those weeks, retail favouring Quantum
    Computing, Robotics & Automation and Space, institutions rotating into
    Energy, Utilities, Real Estate and Materials in the last week, implied
    correlation near its one-year low. The seed was picked among those whose
    draws put exactly one retail call-selling week in the 36 weeks to
    2026-11-20 and the correlation of 2026-11-20 in the lowest tenth of its
    year (``tests/synth/test_paths.py`` checks both).

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
    rotation_class_tilt
        Extra institutional buy probability in every sector during the rotation.
    rotation_activity
        How many times as often institutions trade the rotation sectors during it.
    rally
        ``(after, through, gain)``: the index gains exactly ``gain`` from the close
        of ``after`` to the close of ``through`` (every name's daily log return in
        the window is shifted by the same constant); ``None``: no rally.
    retail_theme_tilt
        ``(theme, tilt)`` pairs: extra probability that a retail call order on a
        name of the theme is a buy (negative: retail takes profits there).
    """

    seed: int = SEED
    rotation_sectors: tuple[str, ...] = ("Energy", "Utilities", "Real Estate", "Materials")
    rotation_from: dt.date | None = dt.date(2026, 11, 16)
    rotation_tilt: float = 0.42
    rotation_class_tilt: float = 0.022
    rotation_activity: float = 1.2
    rally: tuple[dt.date, dt.date, float] | None = (
        dt.date(2026, 3, 13),
        dt.date(2026, 11, 20),
        0.241,
    )
    retail_theme_tilt: tuple[tuple[str, float], ...] = (
        ("AI Semiconductors", -0.15),
        ("Quantum Computing", 0.15),
        ("Robotics & Automation", 0.15),
        ("Space", 0.15),
    )


@dataclasses.dataclass(frozen=True)
class MarketPaths:
    """Daily market state from :data:`EPOCH` to ``days[-1]``.

    Attributes
    ----------
    days
        Trading days.
    symbols
        Underlyings, in :data:`~optionsflow.synth.universe.UNIVERSE` order, then
        the index members the market does not trade
        (:data:`~optionsflow.synth.index.REST_OF_INDEX`).
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
    inst_activity
        Relative institutional order rate per day and sector (1 outside a rotation).
    retail_theme_tilt
        Extra retail call-buy probability per symbol of the universe (zero outside
        the tilted themes).
    """

    days: tuple[dt.date, ...]
    symbols: tuple[str, ...]
    close: np.ndarray
    iv: np.ndarray
    rho: np.ndarray
    retail_call_buy: np.ndarray
    inst_buy: np.ndarray
    inst_activity: np.ndarray
    retail_theme_tilt: np.ndarray

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
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-day retail call-buy and institutional sector buy probabilities and activity."""
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
    activity = np.ones((len(days), len(GICS_SECTORS)))
    if config.rotation_from is not None:
        on = np.array([d >= config.rotation_from for d in days])
        cols = np.array([GICS_SECTORS.index(x) for x in config.rotation_sectors])
        tilt[np.ix_(on, cols)] += config.rotation_tilt
        tilt[on] += config.rotation_class_tilt
        activity[np.ix_(on, cols)] = config.rotation_activity
    return retail, np.clip(0.5 + tilt, 0.05, 0.95), activity


def _rally(ret: np.ndarray, index_ret: np.ndarray, days: tuple[dt.date, ...],
           rally: tuple[dt.date, dt.date, float] | None) -> None:  # fmt: skip
    """Shift every name's log returns in the rally window so the index gains exactly its gain."""
    if rally is None:
        return
    after, through, gain = rally
    window = np.array([after < d <= through for d in days])
    if window.any():
        shift = (np.log1p(gain) - index_ret[window].sum()) / window.sum()
        ret[window] += shift
        index_ret[window] += shift


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

    Examples
    --------
    >>> paths = market_paths(HORIZON)
    >>> spx = paths.closes("SPX").filter(pl.col("date").is_in(
    ...     [dt.date(2026, 3, 13), dt.date(2026, 11, 20)]))["close"]
    >>> round(spx[1] / spx[0] - 1, 12)  # the configured rally
    0.241
    """
    days = tuple(trading_days(EPOCH, end))
    n = len(days)
    rng = np.random.default_rng([config.seed, 1])
    rest = REST_OF_INDEX
    symbols = tuple(u.symbol for u in UNIVERSE) + tuple(m.symbol for m in rest)
    base = np.array([u.base_vol for u in UNIVERSE] + [m.base_vol for m in rest])
    spot0 = np.array([u.spot for u in UNIVERSE] + [100.0] * len(rest))
    level = np.exp(_ar1(rng, n, (), 0.97, 0.05))
    iv = base * level[:, None] * np.exp(_ar1(rng, n, (len(symbols),), 0.95, 0.03))
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

    sectors = [u.sector for u in UNIVERSE] + [m.sector for m in rest]
    sector_idx = np.array([GICS_SECTORS.index(x) if x in GICS_SECTORS else 0 for x in sectors])
    z_m = rng.normal(size=(n, 1))
    z_s = rng.normal(size=(n, len(GICS_SECTORS)))[:, sector_idx]
    z_i = rng.normal(size=(n, len(symbols)))
    ret = iv / _SQRT252 * (np.sqrt(0.35) * z_m + np.sqrt(0.15) * z_s + np.sqrt(0.5) * z_i)
    ret += 0.0003
    index_ret = ret[:, cols] @ w
    _rally(ret, index_ret, days, config.rally)
    for sym, beta in {"SPX": 1.0, "SPY": 1.0, "QQQ": 1.2, "IWM": 1.1}.items():
        ret[:, symbols.index(sym)] = beta * index_ret
    ret[0] = 0.0
    close = spot0 * np.exp(np.cumsum(ret, axis=0))
    retail, inst, inst_activity = _weekly_regimes(rng, days, config)
    tilt = dict(config.retail_theme_tilt)
    theme_tilt = np.array([tilt.get(u.theme, 0.0) if u.theme else 0.0 for u in UNIVERSE])
    return MarketPaths(days, symbols, close, iv, rho, retail, inst, inst_activity, theme_tilt)
