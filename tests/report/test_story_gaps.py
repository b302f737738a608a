"""The story says what is actually missing or uncertain (issue #15, item 19)."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from optionsflow.batch import flow_partials
from optionsflow.cli import main
from optionsflow.errors import ValidationError
from optionsflow.report.render import render
from optionsflow.report.summary import weekly_summary
from optionsflow.testing import at, trades

FRIDAY = dt.date(2026, 11, 20)
MONDAYS = [FRIDAY - dt.timedelta(days=4, weeks=w) for w in (2, 1, 0)]


@pytest.fixture(scope="module")
def partials() -> pl.LazyFrame:
    """Retail lifts the offer for 10 calls on three Mondays."""
    return flow_partials(trades([{"ts": at(d), "price": 1.05, "size": 10} for d in MONDAYS]))


def _closes(symbol: str | None) -> pl.DataFrame:
    # Friday before the window 100, the last Monday 110: a 10% gain
    rows = {"date": [MONDAYS[0] - dt.timedelta(days=3), MONDAYS[-1]], "close": [100.0, 110.0]}
    frame = pl.DataFrame(rows)
    return frame if symbol is None else frame.with_columns(symbol=pl.lit(symbol))


def test_unnamed_closes_are_not_called_the_index(partials: pl.LazyFrame) -> None:
    text = render(weekly_summary(partials, index_prices=_closes(None), index="NDX"))
    assert "during which the index of the given closes gained 10.0%" in text
    assert "NDX gained" not in text


def test_named_closes_name_their_index(partials: pl.LazyFrame) -> None:
    summary = weekly_summary(partials, index_prices=_closes("NDX"), index="NDX")
    assert summary.priced_index == "NDX"
    assert "during which NDX gained 10.0%" in render(summary)


def test_closes_of_another_index_are_an_error(partials: pl.LazyFrame) -> None:
    with pytest.raises(ValidationError, match=r"no closes of 'NDX' \(they hold SPX\)"):
        weekly_summary(partials, index_prices=_closes("SPX"), index="NDX")


def test_cli_names_the_closes_file(tmp_path: Path) -> None:
    path = tmp_path / "spx.csv"
    _closes("SPX").write_csv(path)
    result = CliRunner().invoke(main, ["summary", "--index-prices", str(path), "--index", "NDX"])
    assert result.exit_code == 2
    assert f"{path}: column 'symbol': the index prices hold no closes of 'NDX'" in result.output


def _vols(days: int, *, index: str = "SPX") -> pl.DataFrame:
    """``days`` dates of an index at 0.2 and two equal-weight names at 0.25."""
    dates = [MONDAYS[-1] - dt.timedelta(days=i) for i in range(days)]
    return pl.DataFrame(
        {
            "date": [d for d in dates for _ in range(3)],
            "symbol": [index, "A", "B"] * days,
            "iv": [0.2, 0.25, 0.25] * days,
        }
    )


WEIGHTS = pl.DataFrame({"symbol": ["A", "B"], "weight": [0.5, 0.5]})


@pytest.mark.parametrize(
    ("vols", "weights", "reason"),
    [
        (_vols(3, index="NDX"), WEIGHTS, "the vols hold no valid vol of the index 'SPX'"),
        (_vols(3), WEIGHTS.with_columns(weight=pl.lit(0.0)), "the weights give no name a positive"),
        (_vols(3), WEIGHTS.with_columns(symbol=pl.lit("X") + pl.col("symbol")), "no weighted"),
    ],
)
def test_missing_correlation_says_why(
    partials: pl.LazyFrame, vols: pl.DataFrame, weights: pl.DataFrame, reason: str
) -> None:
    summary = weekly_summary(partials, vols=vols, weights=weights)
    assert summary.implied_correlation is None
    assert summary.correlation_missing is not None
    assert summary.correlation_missing.startswith(reason)
    assert f"Implied correlation: none, {reason}" in render(summary)
    assert "needs index and constituent vols" not in render(summary)


def test_percentile_waits_for_sixty_days(partials: pl.LazyFrame) -> None:
    # rho = (sI^2 - sum w^2 s^2) / (sum_{i!=j} w_i w_j s_i s_j)
    #     = (0.04 - 2 * 0.25 * 0.0625) / (2 * 0.25 * 0.0625) = 0.00875 / 0.03125
    short = weekly_summary(partials, vols=_vols(59), weights=WEIGHTS).implied_correlation
    assert short is not None
    assert short.value == pytest.approx(0.28)
    assert short.percentile_1y is None
    assert short.history_days == 59
    full = weekly_summary(partials, vols=_vols(60), weights=WEIGHTS).implied_correlation
    assert full is not None
    assert full.percentile_1y == 100.0


def test_partial_coverage_is_said(partials: pl.LazyFrame) -> None:
    # C weighs 0.5 but has no vol: 2 of 3 weighted names, half the weight
    weights = pl.DataFrame({"symbol": ["A", "B", "C"], "weight": [0.25, 0.25, 0.5]})
    text = render(weekly_summary(partials, vols=_vols(3), weights=weights))
    assert "2 of 3 weighted names with a vol, 50.0% of the weight" in text
    assert "no percentile yet (3 days of history in the past year)" in text


def test_vols_that_end_before_the_week_are_said(partials: pl.LazyFrame) -> None:
    old = _vols(3).with_columns(pl.col("date") - dt.timedelta(days=30))
    text = render(weekly_summary(partials, vols=old, weights=WEIGHTS))
    assert "before this week's trades: one of them ends on 2026-10-17." in text
    assert "before this week" not in render(
        weekly_summary(partials, vols=_vols(3), weights=WEIGHTS)
    )


def test_one_weighted_name_is_said(partials: pl.LazyFrame) -> None:
    # one name: the correlation's denominator (pairs of names) is empty
    one = pl.DataFrame({"symbol": ["A"], "weight": [1.0]})
    summary = weekly_summary(partials, vols=_vols(3), weights=one)
    assert summary.correlation_missing == (
        "at most one weighted name has a vol on any date: a correlation needs two"
    )


def test_dates_not_shared_are_said(partials: pl.LazyFrame) -> None:
    apart = _vols(3).filter(pl.col("symbol") != "SPX")
    index = (
        _vols(3)
        .filter(pl.col("symbol") == "SPX")
        .with_columns(pl.col("date") - dt.timedelta(days=10))
    )
    summary = weekly_summary(partials, vols=pl.concat([apart, index]), weights=WEIGHTS)
    assert summary.correlation_missing == "the index and constituent vols share no date"
