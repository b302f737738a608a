"""The summary of the bundled sample tells the generator's story (issue #16 item 1, every fact).

Expected values come from the generator (its market paths, its configuration, the
index's member caps), from the raw week's true labels, or from the truth partials
(the library's weekly views applied to the *true* side and participant labels).
Tolerances are the classifiers' measured error on this sample (``tests/tolerances.py``):

* retail share: the size rule reads institutional clips as retail and large retail
  orders as institutional (``SAMPLE_RETAIL_SHARE_ABS``).
* call-buying streaks: retail's weekly nets are large against the signing error, so
  the weeks and the current streak are exact; institutional weekly nets are small
  (20 weeks positive in truth, 31 found), so only the window and the index gain are.
* class skew against its baseline: resting orders signed backwards shrink a strongly
  bought week (``SKEW_VS_BASELINE_ABS``); the tilt sectors are the rotation's.
* put/call per class: the participant classifier moves puts between classes (``PUT_CALL_ABS``).
* implied correlation: the generator builds the index vol from a known correlation, so the
  summary returns it, its percentile, one-year low and high to 1e-12.
* concentration, sector weights: exact arithmetic on the member caps; each sector's peak
  from the generator's yearly path of Energy's weight (the other sectors share the rest).
* unusual contracts: each reported contract-day's volume and premium are the raw week's.
"""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.aggregate.share import put_call_ratio, theme_flow
from optionsflow.aggregate.skew import sector_skew
from optionsflow.batch.store import read_partials
from optionsflow.cli._story import story_inputs
from optionsflow.correlation import implied_correlation
from optionsflow.report.render import render
from optionsflow.report.summary import Summary, weekly_summary
from optionsflow.synth import SynthConfig
from optionsflow.synth.index import ENERGY_HISTORY, INDEX_CAP_BN, SECTOR_WEIGHTS, members
from optionsflow.synth.paths import HORIZON, market_paths

from tolerances import (
    CORRELATION_REL,
    INDEX_RETURN_REL,
    PUT_CALL_ABS,
    SAMPLE_RETAIL_SHARE_ABS,
    SKEW_VS_BASELINE_ABS,
    WEIGHT_RATIO_REL,
)

WEEK = "2026-W47"
START, END = dt.date(2026, 11, 16), dt.date(2026, 11, 20)
CONFIG = SynthConfig()


@pytest.fixture(scope="module")
def summary(sample_dir: Path) -> Summary:
    """What ``optionsflow summary`` computes on the bundled sample."""
    root = sample_dir
    inputs = story_inputs(
        (root / "trades",), store=root / "store", sectors=root / "sectors.csv",
        vols=(root / "vols.parquet",), weights=root / "weights.csv",
        index_prices=root / "index_prices.csv", config_path=None, as_of=None,
    )  # fmt: skip
    return weekly_summary(
        inputs.partials, vols=inputs.vols, weights=inputs.weights,
        index_prices=inputs.index_prices, sectors=inputs.sectors, unusual=inputs.unusual,
    )  # fmt: skip


@pytest.fixture(scope="module")
def truth(sample_dir: Path) -> pl.LazyFrame:
    return read_partials(sample_dir / "partials/truth.parquet")


@pytest.fixture(scope="module")
def raw(sample_dir: Path) -> pl.DataFrame:
    return pl.read_parquet(sample_dir / "trades" / "*.parquet")


def test_week(summary: Summary) -> None:
    assert (summary.week, summary.week_start, summary.days, summary.complete) == (
        WEEK, START, 5, True
    )  # fmt: skip


def test_raw_week_is_as_dense_as_the_history(sample_dir: Path, raw: pl.DataFrame) -> None:
    truth = pl.read_parquet(sample_dir / "partials/truth.parquet")
    per_day = truth.group_by(s.DATE).agg(pl.col("trades").sum())
    assert per_day["trades"].n_unique() == 1
    assert raw.height == 5 * per_day["trades"][0]


def test_retail_share_of_contracts_and_premium(summary: Summary, raw: pl.DataFrame) -> None:
    retail = pl.col(s.TRUE_PARTICIPANT) == "retail"
    premium = pl.col(s.PRICE) * pl.col(s.SIZE) * pl.col(s.MULTIPLIER)
    contracts, dollars = raw.select(
        (pl.col(s.SIZE) * retail).sum() / pl.col(s.SIZE).sum(),
        (premium * retail).sum() / premium.sum(),
    ).row(0)
    assert contracts == pytest.approx(0.6, abs=0.05)  # the story: retail ~60% of contracts
    assert abs(summary.retail_share - contracts) <= SAMPLE_RETAIL_SHARE_ABS
    assert abs(summary.retail_premium_share - dollars) <= SAMPLE_RETAIL_SHARE_ABS
    assert summary.retail_share == pytest.approx(0.6, abs=0.01)


def _mood_weeks() -> list[bool]:
    """Whether retail was in its call-buying mood, per week of the 36 ending at END."""
    paths = market_paths(HORIZON)
    first = START - dt.timedelta(weeks=35)
    weeks: dict[dt.date, bool] = {}
    for day, p in zip(paths.days, paths.retail_call_buy, strict=True):
        if first <= day <= END:
            weeks[day - dt.timedelta(days=day.weekday())] = bool(p > 0.5)
    return [weeks[m] for m in sorted(weeks)]


def _index_gain() -> float:
    """SPX from the close before the 36-week window (Friday 2026-03-13) to END, 2-decimal closes."""
    closes = market_paths(HORIZON).closes("SPX")
    start = closes.filter(pl.col("date") == dt.date(2026, 3, 13))["close"].item()
    end = closes.filter(pl.col("date") == END)["close"].item()
    return float(round(end, 2) / round(start, 2) - 1)


def test_retail_call_buying_streak_is_the_generators_mood(summary: Summary) -> None:
    moods = _mood_weeks()
    assert (len(moods), sum(moods)) == (36, 35)  # the story: 35 of the past 36 weeks
    current = len(moods) - 1 - max(i for i, m in enumerate(moods) if not m)
    found = summary.call_buying_streak["retail"]
    assert (found.weeks, found.weeks_positive, found.current_streak) == (36, 35, current)
    assert found.net_call_buying > 0


def test_streak_index_gain_per_class(summary: Summary) -> None:
    gain = _index_gain()
    assert CONFIG.rally is not None
    assert gain == pytest.approx(CONFIG.rally[2], abs=1e-4)  # +24.1%, to the closes' rounding
    for participant in ("retail", "institutional"):
        streak = summary.call_buying_streak[participant]
        assert streak.weeks == 36
        assert streak.index_return == pytest.approx(gain, rel=INDEX_RETURN_REL)


def test_retail_themes_are_the_favoured_ones(summary: Summary, truth: pl.LazyFrame) -> None:
    favoured = {theme for theme, tilt in CONFIG.retail_theme_tilt if tilt > 0}
    assert favoured == {"Quantum Computing", "Robotics & Automation", "Space"}
    true = (
        theme_flow(truth)
        .filter((pl.col("week") == WEEK) & (pl.col("participant") == "retail"))
        .filter(pl.col("right") == "C")
        .group_by("theme")
        .agg(pl.col("net_premium").sum())
        .sort("net_premium", descending=True)
        .collect()
    )
    assert set(true["theme"].head(3)) == favoured
    assert summary.themes is not None
    assert {t.theme for t in summary.themes[:3]} == favoured
    assert all(t.net_call_premium > 0 for t in summary.themes[:3])
    assert summary.themes[-1].theme == "AI Semiconductors"  # retail took profits there


def _true_class_skew(truth: pl.LazyFrame, participant: str) -> dict[str, float]:
    single = truth.filter(pl.col(s.SECTOR) != s.INDEX_SECTOR)
    row = (
        sector_skew(single, participant=participant)  # type: ignore[arg-type]
        .filter(pl.col("week") == WEEK)
        .collect()
    )
    return dict(zip(row["sector"], row["vs_baseline"], strict=True))


@pytest.mark.parametrize("participant", ["institutional", "retail"])
def test_class_skew_against_baseline(
    summary: Summary, truth: pl.LazyFrame, participant: str
) -> None:
    single = truth.filter(pl.col(s.SECTOR) != s.INDEX_SECTOR)
    true = (
        sector_skew(single, participant=participant, by=None)  # type: ignore[arg-type]
        .filter(pl.col("week") == WEEK)
        .collect()
        .row(0, named=True)
    )
    found = summary.class_skew[participant]
    assert found.vs_baseline is not None
    assert abs(found.vs_baseline - true["vs_baseline"]) <= SKEW_VS_BASELINE_ABS
    assert (found.vs_baseline > 0) == (true["vs_baseline"] > 0)


def test_institutions_tilt_to_the_rotation_sectors(summary: Summary, truth: pl.LazyFrame) -> None:
    rotation = set(CONFIG.rotation_sectors)
    assert rotation == {"Energy", "Utilities", "Real Estate", "Materials"}
    by_sector = _true_class_skew(truth, "institutional")
    ranked = sorted(by_sector, key=lambda k: by_sector[k], reverse=True)
    assert set(ranked[:4]) == rotation
    found = summary.class_skew["institutional"]
    assert found.vs_baseline == pytest.approx(0.05, abs=0.01)  # the story: ~5 points
    assert set(found.top_sectors) <= rotation
    found_rows = {
        x.sector: x.vs_baseline
        for x in summary.sector_skew
        if x.participant == "institutional" and x.sector != s.INDEX_SECTOR
    }
    found_ranked = sorted(found_rows, key=lambda k: found_rows[k] or 0.0, reverse=True)
    assert set(found_ranked[:3]) <= rotation
    assert all((found_rows[k] or 0.0) > 0 for k in rotation)


def test_put_call_per_class_against_baseline(summary: Summary, truth: pl.LazyFrame) -> None:
    ratios = put_call_ratio(truth).sort("week_start").collect()
    for participant in ("retail", "institutional"):
        rows = ratios.filter(pl.col("participant") == participant)
        week = rows.filter(pl.col("week") == WEEK)["put_call_ratio"].item()
        before = rows.filter(pl.col("week_start") < START)["put_call_ratio"].tail(12).mean()
        found = summary.put_call[participant]
        assert found.ratio is not None
        assert found.baseline is not None
        assert abs(found.ratio - week) <= PUT_CALL_ABS
        assert isinstance(before, float)
        assert abs(found.baseline - before) <= PUT_CALL_ABS


def test_implied_correlation_near_its_one_year_low(summary: Summary) -> None:
    corr = summary.implied_correlation
    assert corr is not None
    rho = market_paths(HORIZON).true_correlation()
    assert corr.date == END
    true_rho = rho.filter(pl.col("date") == END)["rho"].item()
    assert corr.value == pytest.approx(true_rho, rel=CORRELATION_REL)
    # percentile: share of the trailing 365 days (inclusive) with rho <= today's
    window = rho.filter(pl.col("date") > END - dt.timedelta(days=365), pl.col("date") <= END)["rho"]
    expected = 100 * sum(x <= true_rho * (1 + CORRELATION_REL) for x in window) / len(window)
    assert corr.percentile_1y == pytest.approx(expected)
    assert corr.percentile_1y is not None
    assert corr.percentile_1y <= 10  # the story: near its one-year low
    assert corr.low_1y == pytest.approx(window.min(), rel=CORRELATION_REL)
    assert corr.high_1y == pytest.approx(window.max(), rel=CORRELATION_REL)
    assert corr.n_constituents == 500
    assert corr.in_range


def test_every_vol_date_uses_the_weights_its_index_vol_was_built_from(sample_dir: Path) -> None:
    # the dated weights apply as of their date: every vol date of the sample has today's
    # snapshot in force, the weights of the generator's index vol, so rho is the true one
    vols = pl.read_parquet(sample_dir / "vols.parquet")
    weights = pl.read_csv(sample_dir / "weights.csv", try_parse_dates=True)
    assert weights["date"].n_unique() == 19  # 30 June 2008..2025, then today's
    rho = implied_correlation(
        vols.filter(pl.col("symbol") == "SPX").select("date", "iv"),
        vols.filter(pl.col("symbol") != "SPX"),
        weights,
    ).collect()
    true = market_paths(HORIZON).true_correlation()
    both = rho.join(true, on="date", how="left")
    assert both.height == vols["date"].n_unique()
    assert both["n_constituents"].unique().to_list() == [500]
    for got, want in both.select("implied_correlation", "rho").iter_rows():
        assert got == pytest.approx(want, rel=CORRELATION_REL)


def test_concentration_from_the_member_caps(summary: Summary) -> None:
    caps = members().sort(["market_cap_bn", "symbol"], descending=[True, False])
    c = summary.concentration
    assert c is not None
    assert c.n_constituents == 500
    top_ten = float(caps["market_cap_bn"].head(10).sum())
    assert c.top_share == pytest.approx(top_ten / INDEX_CAP_BN)
    assert c.top_share == pytest.approx(0.39, abs=0.005)  # the story: ~39% in the top ten
    assert c.top_symbols == caps["symbol"].head(10).to_list()


def test_sector_weights_from_the_member_caps(summary: Summary) -> None:
    caps = members().group_by("sector").agg(pl.col("market_cap_bn").sum())
    expected = {k: v / INDEX_CAP_BN for k, v in caps.iter_rows()}
    assert summary.sector_weights is not None
    found = {x.sector: x.weight for x in summary.sector_weights}
    assert set(found) == set(expected)
    for sector, weight in expected.items():
        assert found[sector] == pytest.approx(weight, rel=WEIGHT_RATIO_REL)
    assert found["Energy"] == pytest.approx(0.029, rel=WEIGHT_RATIO_REL)  # the story: 2.9%
    assert "Energy 2.9%" in render(summary)  # every sector is named, the light ones too


def test_sector_weight_peaks_from_the_generators_history(summary: Summary) -> None:
    # the history: Energy at ENERGY_HISTORY[year] each 30 June, the other sectors scaled to
    # share the rest; today's snapshot (dated the sample's first day) gives today's weights
    today = dt.date(2025, 8, 25)
    energy_now = SECTOR_WEIGHTS["Energy"]
    history: dict[str, list[tuple[float, dt.date]]] = {k: [] for k in SECTOR_WEIGHTS}
    for year, energy in ENERGY_HISTORY.items():
        for sector, now in SECTOR_WEIGHTS.items():
            then = energy if sector == "Energy" else now * (1 - energy) / (1 - energy_now)
            history[sector].append((then, dt.date(year, 6, 30)))
    for sector, now in SECTOR_WEIGHTS.items():
        history[sector].append((now, today))
    assert summary.sector_weights is not None
    for x in summary.sector_weights:
        peak, when = max(history[x.sector], key=lambda h: (h[0], -h[1].toordinal()))
        assert x.peak == pytest.approx(peak, rel=WEIGHT_RATIO_REL)
        assert x.peak_date == when
        # only Energy was ever heavier than today: the others peak today
        assert x.peak_date == (dt.date(2008, 6, 30) if x.sector == "Energy" else today)
    row = next(w for w in summary.sector_weights if w.sector == "Energy")
    assert row.peak == pytest.approx(0.161, rel=WEIGHT_RATIO_REL)  # the story: 16.1% in 2008
    lines = render(summary).splitlines()
    assert "Energy is 2.9% of the index (2008 peak 16.1%)." in lines  # the one sector off its peak
    assert not any("peak" in line for line in lines if not line.startswith("Energy is"))


def test_top_unusual_contracts_are_the_raw_weeks(summary: Summary, raw: pl.DataFrame) -> None:
    assert summary.unusual
    day = pl.col(s.TS).dt.convert_time_zone(s.NEW_YORK).dt.date()
    per_contract = raw.group_by(
        day.alias("date"), s.UNDERLYING, s.EXPIRY, s.STRIKE, pl.col(s.RIGHT).cast(pl.String)
    ).agg(
        pl.col(s.SIZE).sum().alias("volume"),
        (pl.col(s.PRICE) * pl.col(s.SIZE) * pl.col(s.MULTIPLIER)).sum().alias("premium"),
    )
    for u in summary.unusual:
        assert START <= u.date <= END
        row = per_contract.filter(
            (pl.col("date") == u.date) & (pl.col(s.UNDERLYING) == u.underlying)
            & (pl.col(s.EXPIRY) == u.expiry) & (pl.col(s.STRIKE) == u.strike)
            & (pl.col(s.RIGHT) == u.right)
        )  # fmt: skip
        assert row.height == 1
        assert u.volume == row["volume"].item()
        assert u.premium == pytest.approx(row["premium"].item(), abs=1e-6)
    scores = [(u.score, u.premium) for u in summary.unusual]
    assert scores == sorted(scores, reverse=True)
