"""Daily partials against a naive Python oracle; merging is exact (DESIGN.md section 2)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.aggregate.partials import (
    PARTIAL_KEYS,
    PARTIAL_SCHEMA,
    daily_flow,
    merge_partials,
)
from optionsflow.batch.pipeline import classify_trades, flow_partials
from optionsflow.errors import SchemaError
from optionsflow.synth import sector_map, synth_day
from optionsflow.testing import at, labelled

NY = ZoneInfo("America/New_York")
DAYS = [dt.date(2026, 11, 16), dt.date(2026, 11, 17), dt.date(2026, 11, 18), dt.date(2026, 11, 19)]


@pytest.fixture(scope="module")
def week() -> pl.DataFrame:
    return pl.concat([synth_day(d, 1500) for d in DAYS])


def _naive(
    frame: pl.DataFrame, sectors: dict[str, tuple[str, str | None]]
) -> dict[tuple[Any, ...], list[int]]:
    out: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for r in frame.iter_rows(named=True):
        date = r["ts"].astimezone(NY).date()
        spot, k = r["underlying_price"], r["strike"]
        if abs(spot / k - 1) <= 0.02:
            money = "ATM"
        elif (spot > k) == (r["right"] == "C"):
            money = "ITM"
        else:
            money = "OTM"
        dte = (r["expiry"] - date).days
        bucket = next(
            (
                lab
                for edge, lab in ((0, "0d"), (7, "1-7d"), (30, "8-30d"), (90, "31-90d"))
                if dte <= edge
            ),
            ">90d",
        )
        sector, theme = sectors.get(r["underlying"], ("Unmapped", None))
        complex_ = r["condition"][:2] in ("ML", "TL", "TE", "TA", "TF", "ME", "MA", "MF") or r[
            "condition"
        ] in ("CBMO", "MCTP")
        key = (
            date,
            r["underlying"],
            sector,
            theme,
            r["right"],
            r["participant"],
            r["side"],
            complex_,
            money,
            bucket,
        )
        cell = out[key]
        cell[0] += 1
        cell[1] += r["size"]
        cell[2] += int(Decimal(str(r["price"])) * 10_000) * r["size"] * r["multiplier"]
        if r["delta"] is not None:
            notional = r["delta"] * r["size"] * r["multiplier"] * r["underlying_price"]
            cell[3] += round(notional)
            cell[4] += 1
    return out


def test_daily_flow_matches_naive_loop(week: pl.DataFrame) -> None:
    smap = sector_map()
    # a delta on most prints (none on every seventh), as an enrichment stage would add
    delta = (
        pl.when(pl.col("seq") % 7 == 0)
        .then(None)
        .otherwise(pl.when(pl.col("right") == "C").then(0.37).otherwise(-0.42))
    )
    labelled_week = classify_trades(week.with_columns(delta.alias("delta"))).collect()
    got = daily_flow(labelled_week, sectors=smap).collect()
    assert got.schema == pl.Schema(PARTIAL_SCHEMA)
    table = {r["symbol"]: (r["sector"], r["theme"]) for r in smap.iter_rows(named=True)}
    expected = _naive(labelled_week, table)
    assert got.height == len(expected)
    for row in got.iter_rows():
        key = tuple(row[: len(PARTIAL_KEYS)])
        assert list(row[len(PARTIAL_KEYS) :]) == expected[key], key


def test_premium_is_exact_integer() -> None:
    # 0.1 + 0.2 style: three prints of 0.10, 0.20, 0.30 x 1 x 100 = $60.00 exactly
    frame = labelled([{"price": p, "ts": at(DAYS[0])} for p in (0.1, 0.2, 0.3)])
    got = daily_flow(frame).collect()
    assert got["premium_e4"].to_list() == [600_000]


def test_unmapped_sector_and_theme() -> None:
    frame = labelled([{"underlying": "ZZZZ", "ts": at(DAYS[0])}, {"underlying": "IONQ"}])
    smap = pl.DataFrame(
        {"symbol": ["IONQ"], "sector": ["Information Technology"], "theme": ["Quantum Computing"]}
    )
    got = daily_flow(frame, sectors=smap).collect().sort("underlying")
    assert got.select("underlying", "sector", "theme").rows() == [
        ("IONQ", "Information Technology", "Quantum Computing"),
        ("ZZZZ", "Unmapped", None),
    ]


def test_trade_date_is_new_york_date() -> None:
    # 2026-11-17 03:30 UTC is still 2026-11-16 in New York (22:30 EST)
    late = dt.datetime(2026, 11, 17, 3, 30, tzinfo=dt.UTC)
    got = daily_flow(labelled([{"ts": late}])).collect()
    assert got["date"].to_list() == [dt.date(2026, 11, 16)]


@settings(max_examples=25, deadline=None)
@given(mask=st.lists(st.booleans(), min_size=len(DAYS), max_size=len(DAYS)))
def test_any_split_of_days_merges_to_the_whole(week: pl.DataFrame, mask: list[bool]) -> None:
    whole = flow_partials(week).collect()
    date = pl.col("ts").dt.convert_time_zone(s.NEW_YORK).dt.date()
    chosen = [d for d, m in zip(DAYS, mask, strict=True) if m]
    a = flow_partials(week.filter(date.is_in(chosen)))
    b = flow_partials(week.filter(~date.is_in(chosen)))
    assert merge_partials(a, b).collect().equals(whole)


def test_merge_validates_schema() -> None:
    with pytest.raises(SchemaError, match="missing partials columns"):
        merge_partials(pl.LazyFrame({"date": [DAYS[0]]}))
