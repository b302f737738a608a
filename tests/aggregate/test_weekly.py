"""Weekly rollups: labels, completeness over holidays, equality with a direct group-by."""

import datetime as dt

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import daily_flow
from optionsflow.aggregate.weekly import iso_week_label, weekly_flow
from optionsflow.batch.pipeline import classify_trades
from optionsflow.synth import synth_day
from optionsflow.testing import at, labelled

from tolerances import PREMIUM_SUM_ABS


def test_iso_week_labels_at_year_ends() -> None:
    # 2026 starts on a Thursday, so it has 53 ISO weeks; 2027-01-01 (Fri) is in 2026-W53.
    days = [dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 1, 4), dt.date(2025, 12, 29)]
    got = pl.DataFrame({"d": days}).select(iso_week_label(pl.col("d"))).to_series().to_list()
    assert got == ["2026-W53", "2026-W53", "2027-W01", "2026-W01"]


def test_thanksgiving_week_is_complete_with_four_days() -> None:
    # 2026-11-26 is Thanksgiving: Mon-Wed and Fri trade, four sessions
    days = [dt.date(2026, 11, d) for d in (23, 24, 25, 27)]
    full = weekly_flow(daily_flow(labelled([{"ts": at(d)} for d in days]))).collect()
    assert full.select("week", "n_days", "complete", "week_end").row(0) == (
        "2026-W48",
        4,
        True,
        dt.date(2026, 11, 27),
    )
    partial = weekly_flow(daily_flow(labelled([{"ts": at(d)} for d in days[:3]]))).collect()
    assert partial.select("n_days", "complete").row(0) == (3, False)


def test_complex_prints_only_when_asked() -> None:
    frame = labelled(
        [
            {"ts": at(dt.date(2026, 11, 16)), "condition": "MLET", "size": 7},
            {"ts": at(dt.date(2026, 11, 16)), "size": 3},
        ]
    )
    parts = daily_flow(frame)
    assert weekly_flow(parts, by=()).collect()["contracts"].to_list() == [3]
    assert weekly_flow(parts, by=(), include_complex=True).collect()["contracts"].to_list() == [10]


def test_weekly_rollup_equals_direct_group_by() -> None:
    days = [dt.date(2026, 11, d) for d in (13, 16, 17, 20, 23)]
    raw = classify_trades(pl.concat([synth_day(d, 800) for d in days])).collect()
    weekly = weekly_flow(daily_flow(raw), by=(s.PARTICIPANT, s.RIGHT, s.SIDE)).collect()
    complex_codes = sorted(s.MULTILEG_CONDITIONS | s.STOCK_TIED_CONDITIONS)
    direct = (
        raw.filter(~pl.col(s.CONDITION).cast(pl.String).is_in(complex_codes))
        .with_columns(
            pl.col(s.TS).dt.convert_time_zone(s.NEW_YORK).dt.date().dt.truncate("1w").alias("ws")
        )
        .group_by("ws", s.PARTICIPANT, s.RIGHT, s.SIDE)
        .agg(
            pl.len().cast(pl.Int64).alias("trades"),
            pl.col(s.SIZE).sum().alias("contracts"),
            (pl.col(s.PRICE) * pl.col(s.SIZE) * pl.col(s.MULTIPLIER)).sum().alias("premium"),
        )
        .sort("ws", s.PARTICIPANT, s.RIGHT, s.SIDE, nulls_last=True)
    )
    assert weekly.height == direct.height
    assert weekly["week_start"].to_list() == direct["ws"].to_list()
    assert weekly["trades"].to_list() == direct["trades"].to_list()
    assert weekly["contracts"].to_list() == direct["contracts"].to_list()
    # float sums in a different order: equal to within rounding of cents
    assert ((weekly["premium"] - direct["premium"]).abs() < PREMIUM_SUM_ABS).all()
    assert weekly["week"].unique().sort().to_list() == ["2026-W46", "2026-W47", "2026-W48"]
