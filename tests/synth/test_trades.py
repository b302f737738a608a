"""The synthetic day: canonical, deterministic, and faithful to its own story."""

import datetime as dt

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.correlation import implied_correlation
from optionsflow.synth import SynthConfig, index_weights, synth_day
from optionsflow.synth.paths import HORIZON, market_paths
from optionsflow.synth.trades import TRUE_ORDER_ID

from tolerances import CORRELATION_REL

DAY = dt.date(2026, 11, 18)


@pytest.fixture(scope="module")
def day() -> pl.DataFrame:
    return synth_day(DAY, 20_000)


def test_canonical_and_sorted(day: pl.DataFrame) -> None:
    s.validate_trades(day)
    assert day.height == 20_000
    assert day[s.TS].is_sorted()
    assert day[s.SEQ].to_list() == list(range(1, 20_001))
    ny = day[s.TS].dt.convert_time_zone(s.NEW_YORK)
    assert ny.dt.date().unique().to_list() == [DAY]
    assert ny.dt.time().is_between(dt.time(9, 30), dt.time(16, 0)).all()


def test_deterministic_and_seeded(day: pl.DataFrame) -> None:
    assert synth_day(DAY, 20_000).equals(day)
    other = synth_day(DAY, 20_000, config=SynthConfig(seed=1))
    assert not other.equals(day)


def test_quotes_and_prices_are_sane(day: pl.DataFrame) -> None:
    assert (day[s.PRICE] > 0).all()
    assert (day[s.ASK] > day[s.BID]).all()
    assert (day[s.BID] >= 0).all()
    assert (day[s.BID_EX] <= day[s.BID]).all()
    assert (day[s.ASK_EX] >= day[s.ASK]).all()
    assert (day[s.EXPIRY] >= DAY).all()
    # four-decimal prices, as a vendor file would print them
    assert ((day[s.PRICE] * 10_000).round(6) % 1 == 0).all()


def test_spx_weeklies_use_spxw_root_and_trade_on_cboe(day: pl.DataFrame) -> None:
    spx = day.filter(pl.col(s.UNDERLYING) == "SPX")
    assert spx.height > 0
    assert set(spx[s.ROOT].unique()) <= {"SPX", "SPXW"}
    third_friday = dt.date(2026, 12, 18)
    monthly = spx.filter(pl.col(s.EXPIRY) == third_friday)
    assert set(monthly[s.ROOT].unique()) <= {"SPX"}
    assert spx[s.EXCHANGE].cast(pl.String).unique().to_list() == ["XCBO"]


def test_sweeps_split_across_venues_within_50ms(day: pl.DataFrame) -> None:
    sweeps = (
        day.filter(pl.col(s.CONDITION) == "ISOI")
        .group_by(TRUE_ORDER_ID)
        .agg(
            pl.len().alias("n"),
            pl.col(s.EXCHANGE).n_unique().alias("venues"),
            (pl.col(s.TS).max() - pl.col(s.TS).min()).alias("span"),
            pl.col(s.TRUE_SIDE).n_unique().alias("sides"),
        )
    )
    whole = sweeps.filter(pl.col("n") >= 2)
    assert whole.height > 50
    assert (whole["venues"] == whole["n"]).all()
    assert (whole["span"] < dt.timedelta(milliseconds=50)).all()
    assert (whole["sides"] == 1).all()


def test_resting_customer_orders_print_with_the_quoted_size(day: pl.DataFrame) -> None:
    """The trade-size effect: a buy printing at the bid with size = bid size."""
    at_bid = day.filter(
        (pl.col(s.PRICE) == pl.col(s.BID))
        & (pl.col(s.SIZE) == pl.col(s.BID_SIZE))
        & (pl.col(s.BID_SIZE) != pl.col(s.ASK_SIZE))
        & (pl.col(s.CONDITION) == "AUTO")
    )
    assert at_bid.height > 500
    bought = (at_bid[s.TRUE_SIDE] == 1).mean()
    assert isinstance(bought, float)
    assert bought > 0.9  # a customer buy rested there


def test_labels_are_complete(day: pl.DataFrame) -> None:
    assert day[s.TRUE_SIDE].null_count() == 0
    assert set(day[s.TRUE_SIDE].unique()) == {-1, 1}
    assert set(day[s.TRUE_PARTICIPANT].cast(pl.String).unique()) == {"retail", "institutional"}


def test_index_vol_obeys_the_cboe_identity() -> None:
    """The generator builds the SPX vol from rho; recomputing rho must give it back."""
    paths = market_paths(HORIZON)
    vols = paths.implied_vols().filter(pl.col("date") <= dt.date(2026, 1, 31))
    index = vols.filter(pl.col("symbol") == "SPX").select("date", "iv")
    rho = implied_correlation(index, vols, index_weights()).collect()
    truth = paths.true_correlation().filter(pl.col("date") <= dt.date(2026, 1, 31))
    assert rho["date"].to_list() == truth["date"].to_list()
    assert rho["implied_correlation"].to_list() == pytest.approx(
        truth["rho"].to_list(), rel=CORRELATION_REL
    )
