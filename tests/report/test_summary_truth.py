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
  correlation, so the summary must return it (and its one-year low and high)
  to 1e-12.
* put/call ratio per class: the participant classifier's error moves puts
  between classes (``PUT_CALL_ABS``).
* retail themes: the same ranking as the truth.
* concentration and sector weights: exact arithmetic on the weights file.
"""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.aggregate.share import put_call_ratio, theme_flow
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

from tolerances import (
    CORRELATION_REL,
    INDEX_RETURN_REL,
    PUT_CALL_ABS,
    RETAIL_SHARE_ABS,
    STREAK_WEEKS_ABS,
)


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
        sectors=read_sector_map(root / "sectors.csv"),
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


def test_correlation_low_and_high_are_the_generators(summary: Summary) -> None:
    corr = summary.implied_correlation
    assert corr is not None
    rho = market_paths(HORIZON).true_correlation()
    window = rho.filter(
        pl.col("date") > corr.date - dt.timedelta(days=365), pl.col("date") <= corr.date
    )["rho"]
    assert corr.low_1y == pytest.approx(window.min(), rel=CORRELATION_REL)
    assert corr.high_1y == pytest.approx(window.max(), rel=CORRELATION_REL)


def test_put_call_per_class_within_classifier_error(summary: Summary, truth: pl.LazyFrame) -> None:
    true = put_call_ratio(truth).filter(pl.col("week") == "2026-W47").collect()
    for row in true.iter_rows(named=True):
        found = summary.put_call[row["participant"]]
        assert found.ratio is not None
        assert abs(found.ratio - row["put_call_ratio"]) <= PUT_CALL_ABS
        assert found.baseline is not None


def test_retail_themes_ranked_as_the_truth(summary: Summary, truth: pl.LazyFrame) -> None:
    true = (
        theme_flow(truth)
        .filter((pl.col("week") == "2026-W47") & (pl.col("participant") == "retail"))
        .filter(pl.col("right") == "C")
        .group_by("theme")
        .agg(pl.col("net_premium").sum())
        .sort("net_premium", descending=True)
        .collect()
    )
    assert summary.themes is not None
    assert [t.theme for t in summary.themes] == true["theme"].to_list()


def test_concentration_and_sector_weights_from_the_weights_file(
    summary: Summary, sample_dir: Path
) -> None:
    weights = pl.read_csv(sample_dir / "weights.csv")
    w = sorted(weights["weight"].to_list(), reverse=True)
    assert summary.concentration is not None
    assert summary.concentration.top_share == pytest.approx(sum(w[:10]) / sum(w))
    sectors = pl.read_csv(sample_dir / "sectors.csv")
    energy = set(sectors.filter(pl.col("sector") == "Energy")["symbol"])
    expected = weights.filter(pl.col("symbol").is_in(energy))["weight"].sum() / sum(w)
    assert summary.sector_weights is not None
    by_sector = {x.sector: x.weight for x in summary.sector_weights}
    assert by_sector["Energy"] == pytest.approx(expected)
    assert sum(by_sector.values()) == pytest.approx(1.0)
