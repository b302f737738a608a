"""The synthetic S&P 500: the universe's members plus the members the market does not trade.

The traded :data:`~optionsflow.synth.universe.UNIVERSE` holds 78 S&P 500 members, the
largest names of every sector; alone they would make an index far more concentrated
than the real one (its top ten would be 63% of it). :data:`REST_OF_INDEX` completes the
index with 422 unnamed members (symbols ``<sector code><n>``, e.g. ``ENE001``) so that,
with late-2025 public, rounded figures:

* the index has 500 members and a total capitalisation of :data:`INDEX_CAP_BN`, so its
  ten largest names are about 39% of it;
* each GICS sector weighs what :data:`SECTOR_WEIGHTS` says (Energy 2.9%): a sector's
  unnamed members share what its named ones leave, their caps falling as ``1 / (k + 4)``
  (the k-th largest), every one smaller than the index's tenth name;
* every member has an implied vol (the sector's typical level for unnamed members), so
  the index vol is built from all 500 (:func:`~optionsflow.synth.paths.market_paths`);
* the weights have a history (:func:`weights_history`): yearly snapshots on 30 June
  2008..2025 in which Energy follows :data:`ENERGY_HISTORY` (peak 16.1% in 2008), then
  today's weights, the ones the index vol is built from.

Examples
--------
>>> weights = index_weights()
>>> weights.height, round(weights["weight"].sum(), 12)
(500, 1.0)
>>> round(weights["weight"].sort(descending=True).head(10).sum(), 3)
0.39
>>> members().filter(pl.col("symbol") == "ENE001").row(0)[:2]
('ENE001', 'Energy')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import polars as pl

from optionsflow.errors import ConfigError
from optionsflow.schema import DATE, SECTOR, SYMBOL, THEME, WEIGHT
from optionsflow.synth.universe import UNIVERSE, sector_map

__all__ = [
    "ENERGY_HISTORY",
    "INDEX_CAP_BN",
    "REST_OF_INDEX",
    "SECTOR_WEIGHTS",
    "Member",
    "full_sector_map",
    "index_weights",
    "members",
    "weights_history",
]

INDEX_CAP_BN = 64_600.0
"""Total capitalisation of the synthetic S&P 500 in USD billions (late 2025, rounded)."""

_NOT_IN_SPX = frozenset(
    {"ASTS", "GME", "IONQ", "LUNR", "PLUG", "QBTS", "RGTI", "RKLB", "SOFI", "SYM"}
)
"""Names of :data:`UNIVERSE` that are not S&P 500 members (small and mid caps)."""

_KNOWN_INDICES = ("SPX",)

# sector: (symbol code, S&P 500 weight, members in the index, typical vol of unnamed members)
# fmt: off
_SECTORS: dict[str, tuple[str, float, int, float]] = {
    "Communication Services": ("COM", 0.105, 23, 0.30),
    "Consumer Discretionary": ("CDI", 0.105, 50, 0.32),
    "Consumer Staples":       ("STA", 0.047, 37, 0.20),
    "Energy":                 ("ENE", 0.029, 22, 0.30),
    "Financials":             ("FIN", 0.136, 73, 0.26),
    "Health Care":            ("HCA", 0.090, 60, 0.28),
    "Industrials":            ("IND", 0.083, 78, 0.27),
    "Information Technology": ("TEC", 0.345, 69, 0.38),
    "Materials":              ("MAT", 0.018, 26, 0.28),
    "Real Estate":            ("REA", 0.019, 31, 0.24),
    "Utilities":              ("UTI", 0.023, 31, 0.20),
}
# fmt: on

SECTOR_WEIGHTS: dict[str, float] = {k: v[1] for k, v in _SECTORS.items()}
"""Weight of each GICS sector in the synthetic S&P 500 (sums to 1; Energy 2.9%)."""

# fmt: off
ENERGY_HISTORY: dict[int, float] = {
    2008: 0.161, 2009: 0.126, 2010: 0.109, 2011: 0.126, 2012: 0.108, 2013: 0.105,
    2014: 0.109, 2015: 0.079, 2016: 0.070, 2017: 0.060, 2018: 0.063, 2019: 0.050,
    2020: 0.030, 2021: 0.030, 2022: 0.044, 2023: 0.041, 2024: 0.037, 2025: 0.030,
}
# fmt: on
"""Energy's weight in the synthetic S&P 500 on 30 June of each year: a plausible path from
its 2008 peak (16.1%) through the 2014-15 and 2020 oil collapses to today's 2.9%, never below it.
"""


@dataclass(frozen=True, slots=True)
class Member:
    """One member of the synthetic S&P 500.

    Parameters
    ----------
    symbol
        Ticker; unnamed members are ``<sector code><n>`` (``TEC001``, largest first).
    sector
        GICS sector.
    market_cap_bn
        Capitalisation in USD billions.
    base_vol
        Typical implied-vol level.
    traded
        True for members of :data:`~optionsflow.synth.universe.UNIVERSE` (their options trade).
    """

    symbol: str
    sector: str
    market_cap_bn: float
    base_vol: float
    traded: bool


def _rest() -> tuple[Member, ...]:
    named = [u for u in UNIVERSE if not u.is_index and u.symbol not in _NOT_IN_SPX]
    out: list[Member] = []
    for sector, (code, weight, count, vol) in _SECTORS.items():
        mine = [u for u in named if u.sector == sector]
        left = weight * INDEX_CAP_BN - sum(u.market_cap_bn for u in mine)
        n = count - len(mine)
        if left <= 0.0 or n < 1:
            raise ConfigError(f"{sector}: its named members already outweigh its index weight")
        shape = [1.0 / (k + 4) for k in range(1, n + 1)]
        total = sum(shape)
        out += [
            Member(f"{code}{k:03d}", sector, left * x / total, vol, traded=False)
            for k, x in enumerate(shape, start=1)
        ]
    return tuple(out)


REST_OF_INDEX: tuple[Member, ...] = _rest()
"""The 422 S&P 500 members of the synthetic market whose options do not trade."""


@cache
def _members() -> pl.DataFrame:
    named = [
        Member(u.symbol, u.sector, u.market_cap_bn, u.base_vol, traded=True)
        for u in UNIVERSE
        if not u.is_index and u.symbol not in _NOT_IN_SPX
    ]
    rows = sorted([*named, *REST_OF_INDEX], key=lambda m: m.symbol)
    return pl.DataFrame(
        {
            "symbol": [m.symbol for m in rows],
            SECTOR: [m.sector for m in rows],
            "market_cap_bn": [m.market_cap_bn for m in rows],
            "base_vol": [m.base_vol for m in rows],
            "traded": [m.traded for m in rows],
        },
        schema={
            "symbol": pl.String(),
            SECTOR: pl.String(),
            "market_cap_bn": pl.Float64(),
            "base_vol": pl.Float64(),
            "traded": pl.Boolean(),
        },
    )


def members() -> pl.DataFrame:
    """Return the 500 members of the synthetic S&P 500, sorted by symbol.

    Returns
    -------
    pl.DataFrame
        ``symbol, sector`` (String), ``market_cap_bn, base_vol`` (Float64) and
        ``traded`` (Boolean: a name of the traded universe).

    Examples
    --------
    >>> m = members()
    >>> m.height, m["traded"].sum()
    (500, 78)
    >>> m.group_by("sector").agg(pl.col("market_cap_bn").sum()).filter(
    ...     pl.col("sector") == "Energy")["market_cap_bn"].item() / INDEX_CAP_BN
    0.029
    """
    return _members()


def index_weights(index: str = "SPX") -> pl.DataFrame:
    """Return the capitalisation weights of an index's 500 members.

    Weights are proportional to ``market_cap_bn`` and sum to 1; these are the
    ``wᵢ`` of the implied-correlation formula (DESIGN.md section 6).

    Parameters
    ----------
    index
        Index whose weights to return; only ``"SPX"`` is known.

    Returns
    -------
    pl.DataFrame
        Columns ``symbol`` (String) and ``weight`` (Float64), sorted by symbol.

    Raises
    ------
    ConfigError
        When ``index`` is not a known index.

    Examples
    --------
    >>> weights = index_weights("SPX")
    >>> "IONQ" in weights["symbol"].to_list(), "NVDA" in weights["symbol"].to_list()
    (False, True)
    >>> index_weights("NDX")
    Traceback (most recent call last):
    ...
    optionsflow.errors.ConfigError: unknown index 'NDX': known indices are 'SPX'
    """
    if index not in _KNOWN_INDICES:
        known = ", ".join(repr(name) for name in _KNOWN_INDICES)
        raise ConfigError(f"unknown index {index!r}: known indices are {known}")
    m = _members()
    return m.select(
        "symbol", (pl.col("market_cap_bn") / pl.col("market_cap_bn").sum()).alias("weight")
    )


def full_sector_map() -> pl.DataFrame:
    """Sector map of every symbol of the synthetic market: the universe, then the rest of the index.

    Returns
    -------
    pl.DataFrame
        ``symbol, sector, theme`` like :func:`~optionsflow.synth.universe.sector_map`,
        with the unnamed members (no theme) after the universe's names.

    Examples
    --------
    >>> smap = full_sector_map()
    >>> smap.height, smap["symbol"][-1]
    (514, 'UTI025')
    """
    rest = pl.DataFrame(
        {
            "symbol": [m.symbol for m in REST_OF_INDEX],
            SECTOR: [m.sector for m in REST_OF_INDEX],
            THEME: [None] * len(REST_OF_INDEX),
        },
        schema=sector_map().schema,
    )
    return pl.concat([sector_map(), rest])


def weights_history(current: dt.date, index: str = "SPX") -> pl.DataFrame:
    """Return dated weights: a snapshot each 30 June of :data:`ENERGY_HISTORY`, then today's.

    In the snapshot of year ``y`` Energy weighs ``ENERGY_HISTORY[y]`` and every other
    sector its share of :data:`SECTOR_WEIGHTS` scaled to fill the rest: each member's
    weight is today's times ``e_y / e`` (Energy members) or ``(1 - e_y) / (1 - e)``
    (the others), with ``e`` Energy's weight today, so every snapshot holds the same
    500 members and sums to 1. The last snapshot, dated ``current``, is
    :func:`index_weights` itself: date it on or before the first vol date so that every
    vol date uses the weights the synthetic index vol is built from.

    Parameters
    ----------
    current
        Date of today's snapshot (after 30 June of the last year of the history).
    index
        Index whose weights to return; only ``"SPX"`` is known.

    Returns
    -------
    pl.DataFrame
        ``date`` (Date), ``symbol`` (String), ``weight`` (Float64), sorted by date then symbol.

    Raises
    ------
    ConfigError
        When ``index`` is not known, or ``current`` is not after the last yearly snapshot.

    Examples
    --------
    >>> history = weights_history(dt.date(2025, 8, 25))
    >>> history["date"].n_unique(), history.group_by("date").len()["len"].unique().to_list()
    (19, [500])
    >>> energy = history.join(members().select("symbol", "sector"), on="symbol").filter(
    ...     pl.col("sector") == "Energy").group_by("date").agg(pl.col("weight").sum()).sort("date")
    >>> round(energy["weight"].max(), 12), energy["date"][energy["weight"].arg_max()]
    (0.161, datetime.date(2008, 6, 30))
    >>> round(energy["weight"][-1], 12)
    0.029
    """
    today = index_weights(index)
    last = dt.date(max(ENERGY_HISTORY), 6, 30)
    if current <= last:
        raise ConfigError(f"today's weights must be dated after {last}, got {current}")
    energy = pl.col(SYMBOL).is_in(members().filter(pl.col(SECTOR) == "Energy")[SYMBOL].implode())
    e = SECTOR_WEIGHTS["Energy"]
    snapshots = [
        today.select(
            pl.lit(dt.date(year, 6, 30)).alias(DATE),
            SYMBOL,
            pl.col(WEIGHT) * pl.when(energy).then(e_y / e).otherwise((1.0 - e_y) / (1.0 - e)),
        )
        for year, e_y in sorted(ENERGY_HISTORY.items())
    ]
    return pl.concat([*snapshots, today.select(pl.lit(current).alias(DATE), SYMBOL, WEIGHT)])
