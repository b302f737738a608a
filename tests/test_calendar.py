"""Tests of the synthetic market's exchange calendar and listed expiries.

Expected values are worked out by hand from the published NYSE holiday schedule
and the weekday of the first of each month, not from the implementation.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from optionsflow.calendar import (
    is_trading_day,
    last_trading_day_on_or_before,
    listed_expiries,
    next_trading_day,
    third_friday,
    trading_days,
)
from optionsflow.errors import ConfigError

NYSE_HOLIDAYS_2026 = [
    date(2026, 1, 1),  # New Year's Day (Thu)
    date(2026, 1, 19),  # Martin Luther King Jr. Day
    date(2026, 2, 16),  # Washington's Birthday
    date(2026, 4, 3),  # Good Friday
    date(2026, 5, 25),  # Memorial Day
    date(2026, 6, 19),  # Juneteenth (Fri)
    date(2026, 7, 3),  # Independence Day observed (Jul 4 is a Saturday)
    date(2026, 9, 7),  # Labor Day
    date(2026, 11, 26),  # Thanksgiving
    date(2026, 12, 25),  # Christmas (Fri)
]


def _all_days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=k) for k in range((end - start).days + 1)]


def test_2026_has_251_trading_days() -> None:
    # 2026 starts on a Thursday and has 365 = 52 * 7 + 1 days: 52 * 5 + 1 = 261 weekdays,
    # minus 10 weekday holidays.
    days = trading_days(date(2026, 1, 1), date(2026, 12, 31))
    assert len(days) == 251
    assert days[0] == date(2026, 1, 2)
    assert days[-1] == date(2026, 12, 31)
    assert days == sorted(set(days))


def test_2026_closed_weekdays_are_exactly_the_nyse_holidays() -> None:
    closed = [
        day
        for day in _all_days(date(2026, 1, 1), date(2026, 12, 31))
        if day.weekday() < 5 and not is_trading_day(day)
    ]
    assert closed == NYSE_HOLIDAYS_2026


def test_2025_has_250_trading_days_including_the_carter_closure() -> None:
    # 261 weekdays in 2025 minus 10 regular holidays minus the 2025-01-09 day of mourning.
    assert len(trading_days(date(2025, 1, 1), date(2025, 12, 31))) == 250
    assert not is_trading_day(date(2025, 1, 9))
    assert is_trading_day(date(2025, 1, 8))
    assert is_trading_day(date(2025, 1, 10))
    assert next_trading_day(date(2025, 1, 8)) == date(2025, 1, 10)


def test_weekends_are_closed() -> None:
    assert not is_trading_day(date(2026, 3, 7))  # Saturday
    assert not is_trading_day(date(2026, 3, 8))  # Sunday
    assert is_trading_day(date(2026, 3, 9))  # Monday


def test_trading_days_spans_years_and_handles_empty_ranges() -> None:
    assert trading_days(date(2025, 12, 29), date(2026, 1, 5)) == [
        date(2025, 12, 29),
        date(2025, 12, 30),
        date(2025, 12, 31),
        date(2026, 1, 2),
        date(2026, 1, 5),
    ]
    assert trading_days(date(2026, 1, 5), date(2026, 1, 2)) == []
    assert trading_days(date(2026, 4, 3), date(2026, 4, 5)) == []  # Good Friday + weekend


def test_last_and_next_trading_day() -> None:
    assert last_trading_day_on_or_before(date(2026, 4, 6)) == date(2026, 4, 6)
    assert last_trading_day_on_or_before(date(2026, 4, 3)) == date(2026, 4, 2)
    # Saturday July 4th: Friday the 3rd is the observed holiday, so Thursday the 2nd.
    assert last_trading_day_on_or_before(date(2026, 7, 4)) == date(2026, 7, 2)
    assert next_trading_day(date(2026, 7, 2)) == date(2026, 7, 6)
    assert next_trading_day(date(2026, 4, 6)) == date(2026, 4, 7)
    assert next_trading_day(date(2025, 12, 31)) == date(2026, 1, 2)


THIRD_FRIDAYS_2026 = [
    date(2026, 1, 16),
    date(2026, 2, 20),
    date(2026, 3, 20),
    date(2026, 4, 17),
    date(2026, 5, 15),
    date(2026, 6, 19),
    date(2026, 7, 17),
    date(2026, 8, 21),
    date(2026, 9, 18),
    date(2026, 10, 16),
    date(2026, 11, 20),
    date(2026, 12, 18),
]


@pytest.mark.parametrize("expected", THIRD_FRIDAYS_2026)
def test_third_friday_2026(expected: date) -> None:
    assert third_friday(2026, expected.month) == expected


def test_third_friday_is_always_a_friday_between_the_15th_and_21st() -> None:
    for year in (2024, 2025, 2026, 2027):
        for month in range(1, 13):
            expiry = third_friday(year, month)
            assert expiry.weekday() == 4
            assert 15 <= expiry.day <= 21
            assert (expiry.year, expiry.month) == (year, month)


def test_third_friday_is_not_moved_for_holidays() -> None:
    assert third_friday(2025, 4) == date(2025, 4, 18)  # Good Friday 2025
    assert third_friday(2026, 6) == date(2026, 6, 19)  # Juneteenth 2026


def test_listed_expiries_around_good_friday_2026() -> None:
    got = listed_expiries(date(2026, 3, 30), weeklies=True, dailies=False)
    assert got == [
        date(2026, 4, 2),  # Good Friday weekly moved to Thursday
        date(2026, 4, 10),
        date(2026, 4, 17),  # weekly and April monthly
        date(2026, 4, 24),
        date(2026, 5, 15),
        date(2026, 6, 18),  # June monthly: third Friday is Juneteenth
    ]


def test_listed_expiries_with_dailies_skip_good_friday() -> None:
    got = listed_expiries(date(2026, 4, 1), weeklies=True, dailies=True)
    assert got == [
        date(2026, 4, 1),  # 0DTE
        date(2026, 4, 2),
        date(2026, 4, 6),
        date(2026, 4, 7),
        date(2026, 4, 8),
        date(2026, 4, 9),
        date(2026, 4, 10),
        date(2026, 4, 17),
        date(2026, 4, 24),
        date(2026, 5, 15),
        date(2026, 6, 18),
    ]


def test_moved_weekly_is_zero_dte_on_the_thursday() -> None:
    got = listed_expiries(date(2026, 4, 2), weeklies=True, dailies=False, n_monthlies=0)
    assert got == [date(2026, 4, 2), date(2026, 4, 10), date(2026, 4, 17), date(2026, 4, 24)]


def test_monthly_on_good_friday_2025_moves_to_thursday() -> None:
    got = listed_expiries(date(2025, 4, 14), weeklies=False, dailies=False)
    assert got == [date(2025, 4, 17), date(2025, 5, 16), date(2025, 6, 20)]
    # On the expiry day itself the moved monthly is still listed ...
    assert listed_expiries(date(2025, 4, 17), weeklies=False, dailies=False)[0] == date(2025, 4, 17)
    # ... and after it, the next three are.
    assert listed_expiries(date(2025, 4, 22), weeklies=False, dailies=False) == [
        date(2025, 5, 16),
        date(2025, 6, 20),
        date(2025, 7, 18),
    ]


def test_monthlies_roll_over_the_year_end() -> None:
    assert listed_expiries(date(2025, 12, 22), weeklies=False, dailies=False) == [
        date(2026, 1, 16),
        date(2026, 2, 20),
        date(2026, 3, 20),
    ]


def test_holiday_friday_weeklies_move_to_thursday() -> None:
    got = listed_expiries(
        date(2026, 12, 21), weeklies=True, dailies=False, n_weeklies=2, n_monthlies=0
    )
    # New Year's Day 2027 is a Friday holiday too, so that weekly moves to Dec 31.
    assert got == [date(2026, 12, 24), date(2026, 12, 31)]
    assert not is_trading_day(date(2027, 1, 1))


def test_dailies_on_a_weekend_start_on_monday() -> None:
    got = listed_expiries(
        date(2026, 4, 4), weeklies=False, dailies=True, n_weeklies=0, n_monthlies=0
    )
    assert got == [
        date(2026, 4, 6),
        date(2026, 4, 7),
        date(2026, 4, 8),
        date(2026, 4, 9),
        date(2026, 4, 10),
        date(2026, 4, 13),
    ]


def test_no_expiries_when_nothing_is_listed() -> None:
    assert (
        listed_expiries(
            date(2026, 4, 1), weeklies=False, dailies=False, n_weeklies=0, n_monthlies=0
        )
        == []
    )


@pytest.mark.parametrize("weeklies", [False, True])
@pytest.mark.parametrize("dailies", [False, True])
def test_listed_expiries_invariants(weeklies: bool, dailies: bool) -> None:
    for trade_date in _all_days(date(2025, 12, 1), date(2026, 12, 31)):
        got = listed_expiries(trade_date, weeklies=weeklies, dailies=dailies)
        assert got == sorted(set(got))
        assert all(expiry >= trade_date for expiry in got)
        assert all(is_trading_day(expiry) for expiry in got)
        monthlies = [e for e in got if 15 <= e.day <= 21 and e.weekday() in (3, 4)]
        assert len(monthlies) >= 3
        if dailies and is_trading_day(trade_date):
            assert got[0] == trade_date
        if not weeklies and not dailies:
            assert len(got) == 3


@pytest.mark.parametrize("name", ["n_weeklies", "n_monthlies"])
def test_negative_counts_raise(name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        listed_expiries(date(2026, 4, 1), weeklies=True, dailies=False, **{name: -1})
