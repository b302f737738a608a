"""Issue #15 items 11 and 14: stage arguments are checked at entry, and empty views do not crash."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import polars as pl
import pytest

from optionsflow import daily_flow
from optionsflow.aggregate.share import check_sector_coverage, put_call_ratio
from optionsflow.aggregate.skew import sector_skew
from optionsflow.aggregate.streaks import call_buying_streak, streak_columns
from optionsflow.aggregate.weekly import week_spine, weekly_flow
from optionsflow.correlation import percentile_rank
from optionsflow.errors import ConfigError, SectorCoverageWarning
from optionsflow.report.summary import weekly_summary
from optionsflow.testing import labelled

INDEX_MAP = pl.DataFrame(
    {"symbol": ["SPX", "SPY", "QQQ", "XOM"], "sector": ["Index", "Index", "Index", "Energy"]}
)
CLOSES = pl.DataFrame(
    {"date": [dt.date(2026, 3, 13), dt.date(2026, 11, 20)], "close": [6000.0, 6400.0]}
)


def _partials(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return daily_flow(labelled(rows), sectors=INDEX_MAP).collect()


@pytest.fixture(scope="module")
def partials() -> pl.DataFrame:
    return _partials([{"size": 10}, {"size": 5, "participant": "institutional", "side": -1}])


# --- 11. a day of index products only --------------------------------------------------


def test_summary_of_index_products_only_has_no_single_name_skew() -> None:
    rows = [{"underlying": u, "root": u, "size": 3} for u in ("SPX", "SPY", "QQQ")]
    result = weekly_summary(_partials(rows), index_prices=CLOSES)
    assert result.days == 1


def test_summary_of_one_spy_print() -> None:
    result = weekly_summary(_partials([{"underlying": "SPY", "root": "SPY"}]), index_prices=CLOSES)
    assert result.week == "2026-W47"


def test_sector_skew_of_no_flow_is_empty_not_an_error(partials: pl.DataFrame) -> None:
    empty = partials.clear()
    assert sector_skew(empty, participant="retail").collect().height == 0
    assert call_buying_streak(empty, participant="retail").collect().height == 0


def test_week_spine_fills_gaps_and_is_empty_on_empty() -> None:
    weeks = pl.LazyFrame({"week_start": [dt.date(2026, 11, 2), dt.date(2026, 11, 16)]})
    assert week_spine(weeks).collect().height == 3
    assert week_spine(weeks.clear()).collect().height == 0


# --- 14. unvalidated arguments ----------------------------------------------------------


def test_participant_with_a_capital_is_refused_with_the_choices(partials: pl.DataFrame) -> None:
    with pytest.raises(ConfigError, match="'retail', 'institutional', 'unknown'") as err:
        call_buying_streak(partials, participant="Retail")  # type: ignore[arg-type]
    assert err.value.column == "participant"
    with pytest.raises(ConfigError, match="got 'Retail'"):
        sector_skew(partials, participant="Retail")  # type: ignore[arg-type]


def test_unknown_measure_is_refused(partials: pl.DataFrame) -> None:
    with pytest.raises(ConfigError, match="'contracts', 'premium'") as err:
        call_buying_streak(partials, participant="retail", measure="notional")  # type: ignore[arg-type]
    assert err.value.column == "measure"
    with pytest.raises(ConfigError, match="got 'notional'"):
        put_call_ratio(partials, measure="notional")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -5, True, 2.5])
def test_lookback_and_baseline_must_be_positive_integers(
    partials: pl.DataFrame, bad: object
) -> None:
    with pytest.raises(ConfigError, match=">= 1") as err:
        call_buying_streak(partials, participant="retail", lookback=bad)  # type: ignore[arg-type]
    assert err.value.column == "lookback"
    with pytest.raises(ConfigError, match=">= 1"):
        sector_skew(partials, participant="retail", baseline_weeks=bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=">= 1"):
        streak_columns(pl.LazyFrame(), lookback=bad)  # type: ignore[arg-type]


def test_sector_skew_by_industry_names_the_choices(partials: pl.DataFrame) -> None:
    with pytest.raises(ConfigError, match="'sector', 'theme', 'underlying', 'None'") as err:
        sector_skew(partials, participant="retail", by="industry")  # type: ignore[arg-type]
    assert err.value.column == "by"


def test_weekly_flow_by_an_unknown_key_names_it(partials: pl.DataFrame) -> None:
    with pytest.raises(ConfigError, match="got 'foo'") as err:
        weekly_flow(partials, by=("participant", "foo"))
    assert "'participant'" in err.value.reason
    assert err.value.column == "by"
    with pytest.raises(ConfigError, match="not a string"):
        weekly_flow(partials, by="participant")
    with pytest.raises(ConfigError, match="week_end"):
        weekly_flow(partials, week_end="SAT")  # type: ignore[arg-type]


def test_percentile_min_history_must_be_positive() -> None:
    series = pl.DataFrame({"date": [dt.date(2026, 1, 5)], "rho": [0.3]})
    with pytest.raises(ConfigError, match="min_history"):
        percentile_rank(series, value="rho", min_history=0)


# --- 10. a sector map that covers little of the flow -----------------------------------


def test_sector_map_covering_little_premium_warns_with_the_share() -> None:
    rows: list[dict[str, Any]] = [
        {"size": 1},
        {"size": 9, "underlying": "abc", "root": "abc"},
        {"underlying": "SPX"},
    ]
    partials = _partials(rows)
    with pytest.warns(SectorCoverageWarning, match=r"covers 10\.0% of single-name premium"):
        assert check_sector_coverage(partials, source="map.csv") == pytest.approx(0.1)


def test_sector_map_covering_most_premium_is_quiet() -> None:
    partials = _partials([{"size": 9}, {"size": 1, "underlying": "ABC", "root": "ABC"}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_sector_coverage(partials) == pytest.approx(0.9)
    index_only = _partials([{"underlying": "SPX", "root": "SPX"}])
    assert check_sector_coverage(index_only) is None
    with pytest.raises(ConfigError, match="minimum"):
        check_sector_coverage(partials, minimum=2.0)
