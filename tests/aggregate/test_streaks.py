"""Call-buying streaks computed by hand (DESIGN.md section 6)."""

import datetime as dt

import polars as pl
import pytest

from optionsflow.aggregate.partials import daily_flow
from optionsflow.aggregate.streaks import call_buying_streak
from optionsflow.testing import at, labelled

MONDAYS = [dt.date(2026, 10, 5) + dt.timedelta(weeks=i) for i in range(6)]


def _tape() -> pl.DataFrame:
    rows = []

    def add(week: int, side: int, size: int, offset: int = 1, **kw: object) -> None:
        day = MONDAYS[week] + dt.timedelta(days=offset)
        rows.append({"ts": at(day), "side": side, "size": size, **kw})

    add(0, 1, 5)
    add(0, -1, 2, offset=3)
    add(1, 1, 4)
    add(1, -1, 4)  # a tie: net zero is not a positive week
    add(1, 1, 10, right="P")  # puts do not count
    add(1, 1, 50, participant="institutional")  # another class
    add(1, 1, 9, condition="MLET")  # multi-leg prints do not count
    # week 2: no trading at all (a gap the spine must fill)
    add(3, 1, 2)
    add(4, 1, 3)
    add(4, -1, 1)
    add(5, 1, 1)
    add(5, -1, 2)
    return labelled(rows)


def test_hand_computed_streak() -> None:
    out = call_buying_streak(daily_flow(_tape()), participant="retail", lookback=3).collect()
    assert out["week_start"].to_list() == MONDAYS
    assert out["net_call_buying"].to_list() == [3.0, 0.0, 0.0, 2.0, 2.0, -1.0]
    assert out["weeks_positive"].to_list() == [1, 1, 1, 1, 2, 2]
    assert out["weeks"].to_list() == [1, 2, 3, 3, 3, 3]
    assert out["current_streak"].to_list() == [1, 0, 0, 1, 2, 0]
    assert out["longest_streak"].to_list() == [1, 1, 1, 1, 2, 2]


def test_other_class_sees_its_own_weeks() -> None:
    out = call_buying_streak(daily_flow(_tape()), participant="institutional").collect()
    assert out["net_call_buying"].to_list() == [0.0, 50.0, 0.0, 0.0, 0.0, 0.0]
    assert out["current_streak"].to_list() == [0, 1, 0, 0, 0, 0]


def test_premium_measure() -> None:
    tape = labelled(
        [
            {"ts": at(MONDAYS[0]), "side": 1, "size": 2, "price": 1.00},
            {"ts": at(MONDAYS[0]), "side": -1, "size": 1, "price": 0.50},
        ]
    )
    out = call_buying_streak(daily_flow(tape), participant="retail", measure="premium").collect()
    assert out.select("bought", "sold", "net_call_buying").row(0) == pytest.approx((200, 50, 150))


def test_week_spanning_a_holiday_counts_once() -> None:
    # Thanksgiving week 2026: prints on Wednesday and Friday fall in one week
    tape = labelled(
        [{"ts": at(dt.date(2026, 11, 25)), "size": 1}, {"ts": at(dt.date(2026, 11, 27)), "size": 1}]
    )
    out = call_buying_streak(daily_flow(tape), participant="retail").collect()
    assert out.select("week", "net_call_buying", "weeks_positive").rows() == [("2026-W48", 2.0, 1)]


def test_index_return_over_the_window() -> None:
    # closes: Friday before the window 100, then 110 on the last day of week 3 (lookback 3)
    prices = pl.DataFrame({
        "date": [MONDAYS[0] - dt.timedelta(days=3), MONDAYS[2] + dt.timedelta(days=4),
                 MONDAYS[3] + dt.timedelta(days=2), MONDAYS[4] + dt.timedelta(days=4)],
        "close": [100.0, 104.0, 110.0, 121.0],
    })  # fmt: skip
    out = call_buying_streak(daily_flow(_tape()), participant="retail", lookback=3,
                             index_prices=prices).collect()  # fmt: skip
    got = out["index_return"].to_list()
    # week 2 window = weeks 0-2: from the close before week 0 (100) to week 2's last close (104)
    assert got[2] == pytest.approx(0.04)
    # week 3 window = weeks 1-3: close before week 1 is still 100 (none later); end 110
    assert got[3] == pytest.approx(0.10)
    # week 4 window = weeks 2-4: close before week 2 is 100; end 121
    assert got[4] == pytest.approx(0.21)
    # week 5: close before week 3 is 104 (week 2's Friday); end is still 121
    assert got[5] == pytest.approx(121 / 104 - 1)
    # weeks 0-1: the windows cover the weeks counted (1, then 2), starting at week 0, whose
    # close before (100) is also the last close by their end: no move
    assert got[:2] == [0.0, 0.0]


def test_index_return_covers_the_weeks_counted_not_the_whole_lookback() -> None:
    # three weeks of data under a 36-week lookback: the window starts with the first week
    mondays = [dt.date(2026, 11, 2) + dt.timedelta(weeks=i) for i in range(3)]
    prints = labelled([{"ts": at(d), "size": 10} for d in mondays])
    closes = [(dt.date(2026, 10, 1), 50.0), (dt.date(2026, 10, 30), 100.0)]
    closes.append((dt.date(2026, 11, 20), 110.0))
    prices = pl.DataFrame(closes, schema=["date", "close"], orient="row")
    out = call_buying_streak(
        daily_flow(prints), participant="retail", lookback=36, index_prices=prices
    ).collect()
    assert out["weeks"].to_list() == [1, 2, 3]
    assert out["index_return"].to_list() == pytest.approx([0.0, 0.0, 0.1])
    # the closes' own columns stay out of the result: the streak columns, then the return
    plain = call_buying_streak(daily_flow(prints), participant="retail", lookback=36).collect()
    assert out.columns == [*plain.columns, "index_return"]
