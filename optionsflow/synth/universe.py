"""The static universe of the synthetic market: real US underlyings with late-2025 levels.

Each :class:`Underlying` carries what the generator needs to make believable flow for
one name: its GICS sector and optional theme, an approximate late-2025 spot price and
market capitalisation, a typical implied-volatility level, whether it lists weekly
expiries, and its relative share of options activity. Values are rounded, public,
order-of-magnitude figures, not a data feed.

Index products (SPX, SPY, QQQ, IWM) carry sector ``"Index"`` and a market cap of 0.0.
SPX monthly (AM-settled) options trade under root ``SPX``; SPX weekly and daily
(PM-settled) options trade under root ``SPXW``. :attr:`Underlying.root` is the
monthly root, so a generator pricing an SPX non-monthly expiry must use ``"SPXW"``.
Every other name uses its own symbol as root.

Examples
--------
>>> by_symbol = {u.symbol: u for u in UNIVERSE}
>>> by_symbol["IONQ"].sector, by_symbol["IONQ"].theme
('Information Technology', 'Quantum Computing')
>>> by_symbol["SPX"].is_index, by_symbol["SPX"].root
(True, 'SPX')
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from optionsflow.errors import ConfigError
from optionsflow.schema import INDEX_SECTOR, SECTOR, THEME

__all__ = [
    "GICS_SECTORS",
    "INDEX_SECTOR",
    "THEMES",
    "UNIVERSE",
    "Underlying",
    "sector_map",
    "universe_frame",
]

GICS_SECTORS: tuple[str, ...] = (
    "Communication Services",
    "Consumer Discretionary",
    "Consumer Staples",
    "Energy",
    "Financials",
    "Health Care",
    "Industrials",
    "Information Technology",
    "Materials",
    "Real Estate",
    "Utilities",
)
"""The 11 GICS sectors, spelled as S&P spells them, sorted."""


THEMES: tuple[str, ...] = (
    "AI Semiconductors",
    "Quantum Computing",
    "Robotics & Automation",
    "Space",
)
"""Thematic baskets that cut across sectors, sorted."""


@dataclass(frozen=True, slots=True)
class Underlying:
    """One optionable underlying of the synthetic market.

    Parameters
    ----------
    symbol
        Ticker of the underlying (``"SPX"``, not ``"^SPX"``).
    sector
        One of :data:`GICS_SECTORS`, or ``"Index"`` for index products.
    theme
        One of :data:`THEMES`, or None.
    spot
        Approximate late-2025 price in USD.
    market_cap_bn
        Approximate market capitalisation in USD billions (0.0 for index products).
    base_vol
        Typical annualised implied-volatility level of the name (0.18 = 18%).
    is_index
        True for index products (SPX, SPY, QQQ, IWM).
    weeklies
        True when the name lists weekly expiries in the generator.
    activity
        Relative share of options activity; only ratios between names matter.
    root
        Option root of monthly expiries; equal to ``symbol`` except that SPX weeklies
        and dailies trade under ``"SPXW"``.

    Raises
    ------
    ConfigError
        When the sector or theme is unknown, or a numeric field is out of range.

    Examples
    --------
    >>> ko = Underlying("KO", "Consumer Staples", None, 71.0, 305.0, 0.18,
    ...                 is_index=False, weeklies=True, activity=0.08, root="KO")
    >>> ko.base_vol
    0.18
    >>> Underlying("KO", "Beverages", None, 71.0, 305.0, 0.18, is_index=False,
    ...            weeklies=True, activity=0.08, root="KO")
    Traceback (most recent call last):
    ...
    optionsflow.errors.ConfigError: column 'sector': unknown sector for KO (got 'Beverages')
    """

    symbol: str
    sector: str
    theme: str | None
    spot: float
    market_cap_bn: float
    base_vol: float
    is_index: bool
    weeklies: bool
    activity: float
    root: str

    def __post_init__(self) -> None:
        if self.sector not in GICS_SECTORS and self.sector != INDEX_SECTOR:
            raise ConfigError(f"unknown sector for {self.symbol}", column=SECTOR, value=self.sector)
        if self.is_index != (self.sector == INDEX_SECTOR):
            raise ConfigError(f"{self.symbol}: sector 'Index' is for index products only")
        if self.theme is not None and self.theme not in THEMES:
            raise ConfigError(f"unknown theme for {self.symbol}", column=THEME, value=self.theme)
        if not (self.spot > 0.0 and self.base_vol > 0.0):
            raise ConfigError(f"{self.symbol}: spot and base_vol must be positive")
        if self.market_cap_bn < 0.0 or self.activity < 0.0:
            raise ConfigError(f"{self.symbol}: market_cap_bn and activity must be non-negative")


_IX = INDEX_SECTOR
_CS, _CD, _ST, _EN, _FN, _HC, _IN, _IT, _MT, _RE, _UT = GICS_SECTORS
_AI, _QC, _RB, _SP = THEMES

_Row = tuple[str, str, float, float, float, float, bool, str | None]
# Activity is roughly millions of option contracts a day (late 2025); only ratios matter.
# Small/mid caps and the less traded large caps get no weeklies in the generator.
# fmt: off
_ROWS: tuple[_Row, ...] = (
    # symbol  sector spot     cap_bn   vol    activity  weeklies theme
    ("SPX",   _IX,   6800.0,  0.0,     0.16,  3.5,      True,    None),
    ("SPY",   _IX,   680.0,   0.0,     0.16,  7.5,      True,    None),
    ("QQQ",   _IX,   615.0,   0.0,     0.21,  3.5,      True,    None),
    ("IWM",   _IX,   245.0,   0.0,     0.24,  1.3,      True,    None),
    ("GOOGL", _CS,   320.0,   3850.0,  0.32,  0.8,      True,    None),
    ("META",  _CS,   640.0,   1610.0,  0.35,  0.6,      True,    None),
    ("NFLX",  _CS,   107.0,   455.0,   0.35,  0.35,     True,    None),
    ("DIS",   _CS,   105.0,   190.0,   0.28,  0.15,     True,    None),
    ("T",     _CS,   25.5,    182.0,   0.22,  0.1,      True,    None),
    ("VZ",    _CS,   41.0,    173.0,   0.20,  0.1,      True,    None),
    ("CMCSA", _CS,   27.0,    100.0,   0.27,  0.08,     False,   None),
    ("ASTS",  _CS,   55.0,    20.0,    0.95,  0.25,     False,   _SP),
    ("AMZN",  _CD,   230.0,   2450.0,  0.32,  0.9,      True,    None),
    ("TSLA",  _CD,   430.0,   1430.0,  0.60,  3.0,      True,    None),
    ("HD",    _CD,   355.0,   355.0,   0.24,  0.06,     True,    None),
    ("MCD",   _CD,   310.0,   222.0,   0.18,  0.04,     True,    None),
    ("NKE",   _CD,   63.0,    93.0,    0.38,  0.12,     True,    None),
    ("SBUX",  _CD,   86.0,    98.0,    0.33,  0.07,     True,    None),
    ("BKNG",  _CD,   5000.0,  163.0,   0.28,  0.02,     False,   None),
    ("LOW",   _CD,   240.0,   135.0,   0.25,  0.03,     False,   None),
    ("GME",   _CD,   22.0,    10.0,    0.75,  0.15,     False,   None),
    ("WMT",   _ST,   110.0,   880.0,   0.22,  0.12,     True,    None),
    ("COST",  _ST,   900.0,   400.0,   0.22,  0.06,     True,    None),
    ("PG",    _ST,   148.0,   348.0,   0.17,  0.04,     True,    None),
    ("KO",    _ST,   71.0,    305.0,   0.18,  0.05,     True,    None),
    ("PEP",   _ST,   148.0,   203.0,   0.20,  0.04,     True,    None),
    ("PM",    _ST,   155.0,   240.0,   0.25,  0.03,     False,   None),
    ("XOM",   _EN,   117.0,   495.0,   0.24,  0.1,      True,    None),
    ("CVX",   _EN,   150.0,   300.0,   0.25,  0.06,     True,    None),
    ("COP",   _EN,   88.0,    110.0,   0.30,  0.03,     False,   None),
    ("SLB",   _EN,   37.0,    55.0,    0.35,  0.04,     False,   None),
    ("OXY",   _EN,   41.0,    41.0,    0.33,  0.05,     False,   None),
    ("EOG",   _EN,   107.0,   58.0,    0.28,  0.01,     False,   None),
    ("JPM",   _FN,   310.0,   850.0,   0.24,  0.12,     True,    None),
    ("BAC",   _FN,   53.0,    390.0,   0.27,  0.3,      True,    None),
    ("GS",    _FN,   830.0,   255.0,   0.30,  0.05,     True,    None),
    ("MS",    _FN,   165.0,   265.0,   0.29,  0.04,     True,    None),
    ("V",     _FN,   330.0,   640.0,   0.22,  0.05,     True,    None),
    ("MA",    _FN,   550.0,   500.0,   0.22,  0.03,     True,    None),
    ("WFC",   _FN,   85.0,    275.0,   0.28,  0.08,     True,    None),
    ("HOOD",  _FN,   125.0,   110.0,   0.70,  0.6,      True,    None),
    ("SOFI",  _FN,   28.0,    33.0,    0.65,  0.5,      False,   None),
    ("LLY",   _HC,   1060.0,  1000.0,  0.35,  0.12,     True,    None),
    ("UNH",   _HC,   330.0,   300.0,   0.38,  0.4,      True,    None),
    ("JNJ",   _HC,   205.0,   495.0,   0.18,  0.05,     True,    None),
    ("ABBV",  _HC,   230.0,   405.0,   0.26,  0.04,     True,    None),
    ("MRK",   _HC,   100.0,   250.0,   0.28,  0.06,     True,    None),
    ("PFE",   _HC,   25.5,    145.0,   0.26,  0.2,      True,    None),
    ("ISRG",  _HC,   570.0,   205.0,   0.32,  0.03,     True,    _RB),
    ("GE",    _IN,   300.0,   315.0,   0.33,  0.04,     True,    None),
    ("CAT",   _IN,   570.0,   265.0,   0.32,  0.05,     True,    None),
    ("BA",    _IN,   195.0,   148.0,   0.35,  0.12,     True,    None),
    ("UNP",   _IN,   230.0,   137.0,   0.24,  0.02,     False,   None),
    ("HON",   _IN,   195.0,   124.0,   0.24,  0.02,     False,   None),
    ("RTX",   _IN,   175.0,   235.0,   0.25,  0.03,     False,   None),
    ("UBER",  _IN,   88.0,    185.0,   0.40,  0.2,      True,    None),
    ("SYM",   _IN,   65.0,    38.0,    0.75,  0.04,     False,   _RB),
    ("RKLB",  _IN,   42.0,    22.0,    0.80,  0.3,      False,   _SP),
    ("LUNR",  _IN,   8.5,     1.1,     1.00,  0.08,     False,   _SP),
    ("PLUG",  _IN,   2.1,     2.5,     0.95,  0.15,     False,   None),
    ("AAPL",  _IT,   278.0,   4100.0,  0.26,  1.2,      True,    None),
    ("MSFT",  _IT,   490.0,   3650.0,  0.25,  0.5,      True,    None),
    ("NVDA",  _IT,   180.0,   4400.0,  0.45,  3.0,      True,    _AI),
    ("AVGO",  _IT,   390.0,   1830.0,  0.45,  0.5,      True,    _AI),
    ("AMD",   _IT,   215.0,   350.0,   0.55,  1.0,      True,    _AI),
    ("ORCL",  _IT,   200.0,   570.0,   0.50,  0.5,      True,    None),
    ("CRM",   _IT,   235.0,   225.0,   0.35,  0.1,      True,    None),
    ("INTC",  _IT,   40.0,    175.0,   0.55,  0.6,      True,    None),
    ("MU",    _IT,   230.0,   260.0,   0.55,  0.5,      True,    None),
    ("PLTR",  _IT,   170.0,   400.0,   0.65,  1.2,      True,    None),
    ("TER",   _IT,   180.0,   28.0,    0.50,  0.03,     False,   _RB),
    ("IONQ",  _IT,   47.0,    16.0,    0.85,  0.3,      False,   _QC),
    ("RGTI",  _IT,   25.0,    8.0,     1.10,  0.3,      False,   _QC),
    ("QBTS",  _IT,   24.0,    8.0,     1.05,  0.25,     False,   _QC),
    ("LIN",   _MT,   415.0,   195.0,   0.19,  0.01,     False,   None),
    ("SHW",   _MT,   340.0,   85.0,    0.24,  0.01,     False,   None),
    ("FCX",   _MT,   41.0,    59.0,    0.45,  0.12,     True,    None),
    ("NEM",   _MT,   88.0,    96.0,    0.42,  0.1,      True,    None),
    ("APD",   _MT,   255.0,   57.0,    0.28,  0.01,     False,   None),
    ("ECL",   _MT,   270.0,   77.0,    0.21,  0.005,    False,   None),
    ("PLD",   _RE,   127.0,   118.0,   0.25,  0.01,     False,   None),
    ("AMT",   _RE,   180.0,   84.0,    0.25,  0.01,     False,   None),
    ("EQIX",  _RE,   780.0,   76.0,    0.24,  0.005,    False,   None),
    ("O",     _RE,   57.0,    52.0,    0.20,  0.02,     False,   None),
    ("SPG",   _RE,   185.0,   60.0,    0.25,  0.01,     False,   None),
    ("CCI",   _RE,   95.0,    41.0,    0.26,  0.005,    False,   None),
    ("NEE",   _UT,   85.0,    175.0,   0.25,  0.03,     False,   None),
    ("SO",    _UT,   90.0,    99.0,    0.18,  0.01,     False,   None),
    ("DUK",   _UT,   123.0,   96.0,    0.17,  0.005,    False,   None),
    ("D",     _UT,   61.0,    52.0,    0.20,  0.005,    False,   None),
    ("AEP",   _UT,   123.0,   66.0,    0.19,  0.005,    False,   None),
    ("CEG",   _UT,   360.0,   113.0,   0.55,  0.05,     False,   None),
)
# fmt: on


def _underlying(row: _Row) -> Underlying:
    symbol, sector, spot, cap, vol, activity, weeklies, theme = row
    return Underlying(
        symbol, sector, theme, spot, cap, vol, is_index=sector == _IX,
        weeklies=weeklies, activity=activity, root=symbol,
    )  # fmt: skip


UNIVERSE: tuple[Underlying, ...] = tuple(sorted(map(_underlying, _ROWS), key=lambda u: u.symbol))
"""Every underlying of the synthetic market, sorted by symbol."""

_FRAME_SCHEMA: dict[str, pl.DataType] = {
    "symbol": pl.String(),
    SECTOR: pl.String(),
    THEME: pl.String(),
    "spot": pl.Float64(),
    "market_cap_bn": pl.Float64(),
    "base_vol": pl.Float64(),
    "is_index": pl.Boolean(),
    "weeklies": pl.Boolean(),
    "activity": pl.Float64(),
    "root": pl.String(),
}


def universe_frame() -> pl.DataFrame:
    """Return :data:`UNIVERSE` as a frame, one row per underlying, sorted by symbol.

    Returns
    -------
    pl.DataFrame
        Columns ``symbol, sector, theme`` (String, theme nullable), ``spot``,
        ``market_cap_bn``, ``base_vol`` (Float64), ``is_index``, ``weeklies`` (Boolean),
        ``activity`` (Float64) and ``root`` (String).

    Examples
    --------
    >>> frame = universe_frame()
    >>> frame.height == len(UNIVERSE)
    True
    >>> frame.filter(pl.col("is_index"))["symbol"].to_list()
    ['IWM', 'QQQ', 'SPX', 'SPY']
    """
    rows = {name: [getattr(underlying, name) for underlying in UNIVERSE] for name in _FRAME_SCHEMA}
    return pl.DataFrame(rows, schema=_FRAME_SCHEMA)


def sector_map() -> pl.DataFrame:
    """Return the sector map of the universe, laid out like the user-facing sector CSV.

    Index products are included with sector ``"Index"``; filter them out for
    sector-only views.

    Returns
    -------
    pl.DataFrame
        Columns ``symbol, sector, theme`` (String; ``theme`` is null for names
        without a theme), one row per underlying, sorted by symbol.

    Examples
    --------
    >>> smap = sector_map()
    >>> smap.columns
    ['symbol', 'sector', 'theme']
    >>> smap.filter(pl.col("theme") == "Space")["symbol"].to_list()
    ['ASTS', 'LUNR', 'RKLB']
    """
    return universe_frame().select("symbol", SECTOR, THEME)
