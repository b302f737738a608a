"""The summary of the bundled sample agrees with the generator's ground truth.

Tolerances are the classifiers' measured error on this sample, not slack:

* retail share: with orders reconstructed, the size rule still counts small
  institutional clips (< 100 contracts, auto-executed) as retail, overstating
  retail by 2.5 points (36.2% found vs 33.7% true); we require 3 points, the
  participant classifier's stated error.
* retail call-buying streak: Lee-Ready mislabels resting customer orders,
  which shrinks the weekly net but flips no week's sign on this sample: we
  require ``weeks_positive`` within 1 and the same current streak.
* institutional skew: the top-buying sector is the true one.
* implied correlation: the generator builds the index vol from a known
  correlation, so the summary must return it to 1e-12.
"""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.aggregate.skew import sector_skew
from optionsflow.aggregate.streaks import call_buying_streak
from optionsflow.batch.store import partials_of, read_partials
from optionsflow.ingest import (
    read_index_prices,
    read_sector_map,
    read_vols,
    read_weights,
)
from optionsflow.report.summary import Summary, weekly_summary
from optionsflow.synth.paths import HORIZON, market_paths

from tolerances import CORRELATION_REL, INDEX_RETURN_REL, RETAIL_SHARE_ABS, STREAK_WEEKS_ABS


@pytest.fixture(scope="module")
def summary(sample_dir: Path) -> Summary:
    root = sample_dir
    partials = partials_of(
        [root / "trades"],
        store=root / "store",
        sectors=read_sector_map(root / "sectors.csv"),
    )
    return weekly_summary(
        partials,
        vols=read_vols(root / "vols.parquet"),
        weights=read_weights(root / "weights.csv"),
        index_prices=read_index_prices(root / "index_prices.csv"),
    )


@pytest.fixture(scope="module")
def truth(sample_dir: Path) -> pl.LazyFrame:
    return read_partials(sample_dir / "partials/truth.parquet")


def test_week(summary: Summary) -> None:
    assert (summary.week, summary.week_start, summary.days, summary.complete) == (
        "2026-W47",
        dt.date(2026, 11, 16),
        5,
        True,
    )


def test_retail_share_within_classifier_error(summary: Summary, sample_dir: Path) -> None:
    raw = pl.read_parquet(sample_dir / "trades" / "*.parquet")
    retail = pl.col(s.TRUE_PARTICIPANT) == "retail"
    true_share = raw.select((pl.col(s.SIZE) * retail).sum() / pl.col(s.SIZE).sum()).item()
    assert abs(summary.retail_share - true_share) <= RETAIL_SHARE_ABS


def test_retail_streak_matches_truth(summary: Summary, truth: pl.LazyFrame) -> None:
    true = (
        call_buying_streak(truth, participant="retail", lookback=36).collect().row(-1, named=True)
    )
    found = summary.call_buying_streak["retail"]
    assert found.weeks == 36
    assert abs(found.weeks_positive - true["weeks_positive"]) <= STREAK_WEEKS_ABS
    assert found.current_streak == true["current_streak"]


def test_institutional_top_buying_sector_matches_truth(
    summary: Summary, truth: pl.LazyFrame
) -> None:
    true = (
        sector_skew(truth, participant="institutional")
        .filter((pl.col("week") == "2026-W47") & (pl.col("sector") != "Index"))
        .sort("vs_baseline", descending=True)
        .collect()
    )
    assert summary.class_skew["institutional"].top_sectors[0] == true["sector"][0]


def test_implied_correlation_is_the_generators(summary: Summary) -> None:
    corr = summary.implied_correlation
    assert corr is not None
    rho = market_paths(HORIZON).true_correlation()
    assert corr.date == dt.date(2026, 11, 20)
    true_rho = rho.filter(pl.col("date") == corr.date)["rho"].item()
    assert corr.value == pytest.approx(true_rho, rel=CORRELATION_REL)
    # percentile: share of the trailing 365 days (inclusive) with rho <= today's
    window = rho.filter(
        pl.col("date") > corr.date - dt.timedelta(days=365), pl.col("date") <= corr.date
    )["rho"].to_list()
    expected = 100 * sum(x <= true_rho * (1 + CORRELATION_REL) for x in window) / len(window)
    assert corr.percentile_1y == pytest.approx(expected)
    assert corr.n_constituents == 78
    assert corr.in_range


def test_index_return_over_the_streak_window(summary: Summary) -> None:
    # window: the 36 weeks ending 2026-11-20 start Monday 2026-03-16 (35 weeks before
    # 2026-11-16); the last close before
    # it is Friday 2026-03-13; the end is 2026-11-20 (closes 2-decimal rounded in the file)
    closes = market_paths(HORIZON).closes("SPX")
    start = closes.filter(pl.col("date") == dt.date(2026, 3, 13))["close"].item()
    end = closes.filter(pl.col("date") == dt.date(2026, 11, 20))["close"].item()
    got = summary.call_buying_streak["retail"].index_return
    assert got == pytest.approx(round(end, 2) / round(start, 2) - 1, rel=INDEX_RETURN_REL)
