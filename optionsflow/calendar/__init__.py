"""US options market calendar: trading days, NYSE holidays and listed expiries.

Trading days are weekdays that are not NYSE holidays; the holiday list comes from
``holidays.financial_holidays("NYSE")`` (kept between runs by
:mod:`optionsflow.calendar.closures`), which also knows one-off closures such as the
National Day of Mourning for President Carter (2025-01-09). Listed expiries follow US
equity-option conventions: monthlies on the third Friday, weeklies on Fridays, dailies
(SPX/SPY/QQQ style) on every trading day; an expiry that falls on a market holiday moves
to the previous trading day (Good Friday 2026-04-03 -> Thursday 2026-04-02).

Examples
--------
>>> from datetime import date
>>> is_trading_day(date(2025, 1, 9))
False
>>> len(trading_days(date(2026, 1, 1), date(2026, 12, 31)))
251
>>> listed_expiries(date(2026, 3, 30), weeklies=True, dailies=False, n_weeklies=2,
...                 n_monthlies=1)
[datetime.date(2026, 4, 2), datetime.date(2026, 4, 10), datetime.date(2026, 4, 17)]
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import polars as pl

from optionsflow.calendar.closures import nyse_closures
from optionsflow.errors import ConfigError

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "is_early_close",
    "is_trading_day",
    "iso_week_bounds",
    "last_trading_day_on_or_before",
    "listed_expiries",
    "next_trading_day",
    "nyse_holidays",
    "third_friday",
    "trading_day_numbers",
    "trading_days",
]

_FRIDAY = 4
_NOVEMBER = 11
_SATURDAY = 5
_ONE_DAY = timedelta(days=1)
_DAILY_LOOKAHEAD = 5
"""Trading days after the first one that dailies are listed for."""


@functools.lru_cache(maxsize=128)
def _nyse_holidays(year: int) -> frozenset[date]:
    """Return the NYSE full-day closures of one calendar year."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return frozenset(d for d in nyse_holidays() if d.year == year)
    return nyse_closures(year, year)


FIRST_YEAR = 1990
LAST_YEAR = 2080


@functools.cache
def nyse_holidays() -> frozenset[date]:
    """All NYSE full-day closures from :data:`FIRST_YEAR` to :data:`LAST_YEAR`.

    Examples
    --------
    >>> from datetime import date
    >>> date(2025, 1, 9) in nyse_holidays()
    True
    """
    return nyse_closures(FIRST_YEAR, LAST_YEAR)


def is_trading_day(day: date) -> bool:
    """Tell whether NYSE is open on ``day``.

    Parameters
    ----------
    day
        Calendar date.

    Returns
    -------
    bool
        True on weekdays that are not NYSE holidays or special closures.

    Examples
    --------
    >>> from datetime import date
    >>> is_trading_day(date(2026, 4, 2)), is_trading_day(date(2026, 4, 3))
    (True, False)
    >>> is_trading_day(date(2026, 4, 4))
    False
    """
    return day.weekday() < _SATURDAY and day not in _nyse_holidays(day.year)


def trading_days(start: date, end: date) -> list[date]:
    """List the trading days in the closed interval ``[start, end]``.

    Parameters
    ----------
    start, end
        First and last calendar dates, inclusive. ``start > end`` gives an empty list.

    Returns
    -------
    list[datetime.date]
        Weekdays in the interval minus NYSE holidays, ascending.

    Examples
    --------
    >>> from datetime import date
    >>> [day.isoformat() for day in trading_days(date(2025, 1, 8), date(2025, 1, 13))]
    ['2025-01-08', '2025-01-10', '2025-01-13']
    """
    days: list[date] = []
    day = start
    while day <= end:
        if is_trading_day(day):
            days.append(day)
        day += _ONE_DAY
    return days


def last_trading_day_on_or_before(day: date) -> date:
    """Return ``day`` if it is a trading day, else the closest trading day before it.

    Parameters
    ----------
    day
        Calendar date.

    Returns
    -------
    datetime.date
        The latest trading day ``<= day``.

    Examples
    --------
    >>> from datetime import date
    >>> last_trading_day_on_or_before(date(2026, 4, 5))  # Easter Sunday, after Good Friday
    datetime.date(2026, 4, 2)
    """
    while not is_trading_day(day):
        day -= _ONE_DAY
    return day


def next_trading_day(day: date) -> date:
    """Return the first trading day strictly after ``day``.

    Parameters
    ----------
    day
        Calendar date (need not be a trading day).

    Returns
    -------
    datetime.date
        The earliest trading day ``> day``.

    Examples
    --------
    >>> from datetime import date
    >>> next_trading_day(date(2026, 4, 2))  # Thursday before Good Friday
    datetime.date(2026, 4, 6)
    """
    day += _ONE_DAY
    while not is_trading_day(day):
        day += _ONE_DAY
    return day


def is_early_close(day: date) -> bool:
    """Say whether NYSE closes early (13:00 ET) on ``day``.

    The standing rules: the day after Thanksgiving, and July 3 and December 24 when they
    are trading days from Monday to Thursday (2019-07-03, 2020-12-24, 2024-12-24; not
    2021-12-24, a holiday, nor 2026-07-03, the observed Independence Day). One-off early
    closes are not known.

    Parameters
    ----------
    day
        Calendar date.

    Returns
    -------
    bool
        True on an early-close trading day.

    Examples
    --------
    >>> from datetime import date
    >>> is_early_close(date(2025, 11, 28)), is_early_close(date(2025, 12, 24))
    (True, True)
    >>> is_early_close(date(2025, 12, 23))
    False
    """
    if not is_trading_day(day):
        return False
    if day.month == _NOVEMBER:
        first = date(day.year, _NOVEMBER, 1)
        thanksgiving = first + timedelta(days=(3 - first.weekday()) % 7 + 21)  # 4th Thursday
        return day == thanksgiving + _ONE_DAY
    return (day.month, day.day) in {(7, 3), (12, 24)} and day.weekday() < _FRIDAY


def third_friday(year: int, month: int) -> date:
    """Return the third Friday of a month, the standard monthly expiration date.

    The date is not moved for holidays; :func:`listed_expiries` does that.

    Parameters
    ----------
    year, month
        Calendar year and month (1-12).

    Returns
    -------
    datetime.date
        The third Friday of ``year``-``month``.

    Examples
    --------
    >>> third_friday(2026, 1)
    datetime.date(2026, 1, 16)
    >>> third_friday(2026, 5)
    datetime.date(2026, 5, 15)
    """
    first = date(year, month, 1)
    return first + timedelta(days=(_FRIDAY - first.weekday()) % 7 + 14)


def _next_n(candidates: list[date], trade_date: date, n: int) -> list[date]:
    """Move candidates off holidays, keep those on or after ``trade_date``, take ``n``."""
    moved = (last_trading_day_on_or_before(day) for day in candidates)
    return [day for day in moved if day >= trade_date][:n]


def listed_expiries(
    trade_date: date,
    *,
    weeklies: bool,
    dailies: bool,
    n_weeklies: int = 4,
    n_monthlies: int = 3,
) -> list[date]:
    """List the expiries a trader could trade on ``trade_date``.

    * Monthlies: the next ``n_monthlies`` third Fridays on or after ``trade_date``.
    * Weeklies (when ``weeklies``): the next ``n_weeklies`` Friday expiries on or after
      ``trade_date``; they include the monthly Fridays, as exchanges list them.
    * Dailies (when ``dailies``): the first trading day on or after ``trade_date`` and
      the 5 trading days after it, so a same-day (0DTE) expiry exists on trading days.

    An expiry that falls on a market holiday moves to the previous trading day; the
    moved dates are what is counted, so an expiry moved before ``trade_date`` is
    replaced by the following one.

    Parameters
    ----------
    trade_date
        Day of trading.
    weeklies
        Whether the underlying lists weekly expiries.
    dailies
        Whether it lists daily expiries (SPX, SPY, QQQ style).
    n_weeklies
        Number of weekly expiries listed.
    n_monthlies
        Number of monthly expiries listed.

    Returns
    -------
    list[datetime.date]
        Distinct expiries, ascending, all ``>= trade_date``.

    Raises
    ------
    ConfigError
        When ``n_weeklies`` or ``n_monthlies`` is negative.

    Examples
    --------
    >>> from datetime import date
    >>> listed_expiries(date(2025, 4, 14), weeklies=False, dailies=False, n_monthlies=2)
    [datetime.date(2025, 4, 17), datetime.date(2025, 5, 16)]
    >>> listed_expiries(date(2026, 4, 1), weeklies=False, dailies=True, n_monthlies=1)[:3]
    [datetime.date(2026, 4, 1), datetime.date(2026, 4, 2), datetime.date(2026, 4, 6)]
    """
    for name, value in (("n_weeklies", n_weeklies), ("n_monthlies", n_monthlies)):
        if value < 0:
            raise ConfigError(f"{name} must be >= 0", value=value)
    expiries: set[date] = set()

    # Monthlies: third Fridays from trade_date's month on; one spare month covers one
    # already past (or moved to before trade_date).
    year, month = trade_date.year, trade_date.month
    monthly: list[date] = []
    for _ in range(n_monthlies + 1):
        monthly.append(third_friday(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    expiries.update(_next_n(monthly, trade_date, n_monthlies))

    if weeklies:
        friday = trade_date - timedelta(days=(trade_date.weekday() - _FRIDAY) % 7)
        fridays = [friday + timedelta(weeks=k) for k in range(n_weeklies + 2)]
        expiries.update(_next_n(fridays, trade_date, n_weeklies))

    if dailies:
        first = trade_date if is_trading_day(trade_date) else next_trading_day(trade_date)
        daily = [first]
        for _ in range(_DAILY_LOOKAHEAD):
            daily.append(next_trading_day(daily[-1]))
        expiries.update(daily)

    return sorted(expiries)


@functools.cache
def _trading_day_table() -> pl.DataFrame:
    # the weekdays of the whole span in one vectorised pass, less the holidays (the same days
    # as trading_days over the span, without a Python test per day)
    span = pl.date_range(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31), eager=True)
    closed = pl.Series(sorted(nyse_holidays()), dtype=pl.Date)
    days = span.filter((span.dt.weekday() < 6) & ~span.is_in(closed))  # ISO weekday: Monday 1
    return pl.DataFrame({"date": days, "day_no": pl.int_range(days.len(), eager=True)})


def trading_day_numbers() -> pl.LazyFrame:
    """Every NYSE trading day with its ordinal ``day_no`` (consecutive integers).

    Trading-day arithmetic becomes integer arithmetic: the session before a
    day is ``day_no - 1`` whatever weekends and holidays lie between.

    Examples
    --------
    >>> import polars as pl
    >>> days = pl.col("date").is_between(date(2026, 11, 25), date(2026, 11, 30))
    >>> t = trading_day_numbers().filter(days)
    >>> for day, n in t.with_columns(pl.col("day_no") - pl.col("day_no").min()).collect().rows():
    ...     print(day, n)
    2026-11-25 0
    2026-11-27 1
    2026-11-30 2
    """
    return _trading_day_table().lazy()


def iso_week_bounds(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week written ``YYYY-Www`` (``2026-W47``).

    Raises
    ------
    ConfigError
        When the text is not an ISO week.

    Examples
    --------
    >>> iso_week_bounds("2026-W47")
    (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    >>> try:
    ...     iso_week_bounds("2026-47")
    ... except ConfigError as err:
    ...     print(err)
    column 'week': expected an ISO week such as 2026-W47 (got '2026-47')
    """
    year, sep, number = week.strip().upper().partition("-W")
    try:
        if not sep:
            raise ValueError(week)
        monday = date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise ConfigError(
            "expected an ISO week such as 2026-W47", column="week", value=week
        ) from None
    return monday, monday + timedelta(days=6)
