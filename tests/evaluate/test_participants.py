"""Participant accuracy on the synthetic year, calibration out of sample, Open-Close check."""

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from optionsflow.calendar import trading_days
from optionsflow.classify.participant import classify_participant
from optionsflow.classify.side import sign_trades
from optionsflow.evaluate.open_close import compare_open_close
from optionsflow.evaluate.participants import calibrate_participant, evaluate_participant
from optionsflow.synth import synth_day

from tolerances import OPEN_CLOSE_BIAS_ABS, RETAIL_SHARE_ABS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
YEAR = trading_days(dt.date(2025, 11, 24), dt.date(2026, 11, 20))[::12]  # 21 days over a year
SPLIT = dt.date(2026, 5, 20)


def _days(days: list[dt.date]) -> pl.DataFrame:
    return sign_trades(pl.concat([synth_day(d, 12_000) for d in days])).collect()


@pytest.fixture(scope="module")
def train() -> pl.DataFrame:
    return _days([d for d in YEAR if d < SPLIT])


@pytest.fixture(scope="module")
def test(pytestconfig: pytest.Config) -> pl.DataFrame:
    return _days([d for d in YEAR if d >= SPLIT])


def test_rule_defaults_on_the_synthetic_year(train: pl.DataFrame, test: pl.DataFrame) -> None:
    report = evaluate_participant(classify_participant(pl.concat([train, test])))
    assert report.accuracy >= 0.85
    assert abs(report.retail_share - report.true_retail_share) <= RETAIL_SHARE_ABS
    # precision and recall are reported for both classes
    assert set(report.per_class["participant"]) == {"institutional", "retail"}


def test_calibration_improves_out_of_sample(train: pl.DataFrame, test: pl.DataFrame) -> None:
    cal = calibrate_participant(train)
    assert cal.calibrated.accuracy >= cal.baseline.accuracy  # in sample: never worse
    default = evaluate_participant(classify_participant(test))
    fitted = evaluate_participant(classify_participant(test, config=cal.config))
    assert fitted.accuracy > default.accuracy
    error = abs(fitted.retail_share - fitted.true_retail_share)
    assert error < abs(default.retail_share - default.true_retail_share)
    assert cal.grid.height == 7 * 5
    assert cal.config.participant.block_size == cal.config.participant.retail_max_size + 1


def test_evaluate_hand_computed() -> None:
    frame = pl.DataFrame(
        {
            "participant": ["retail", "retail", "institutional", "unknown"],
            "true_participant": ["retail", "institutional", "institutional", "retail"],
            "size": [10, 30, 50, 10],
        }
    )
    r = evaluate_participant(frame)
    assert (r.contracts, r.prints) == (100, 4)
    assert r.accuracy == pytest.approx(0.6)
    assert r.accuracy_prints == pytest.approx(0.5)
    assert (r.retail_share, r.true_retail_share) == pytest.approx((0.4, 0.2))
    per = {p: (pr, rc) for p, pr, rc in r.per_class.iter_rows()}
    assert per["retail"] == (pytest.approx(0.25), pytest.approx(0.5))
    assert per["institutional"] == (pytest.approx(1.0), pytest.approx(50 / 80))


def test_open_close_agreement_on_the_fixture() -> None:
    """The fixture is synthetic Open-Close customer volume of 2026-11-20, made from the truth
    of ``synth_day(2026-11-20, 50_000)`` by ``optionsflow.synth.sample.open_close_view``."""
    open_close = pl.read_csv(
        FIXTURES / "open_close" / "customer_volume_2026-11-20.csv",
        schema_overrides={"date": pl.Date},
    )
    ours = classify_participant(sign_trades(synth_day(dt.date(2026, 11, 20), 50_000)))
    result = compare_open_close(ours, open_close)
    pairs = result.pairs
    assert result.correlation == pytest.approx(np.corrcoef(pairs["ours"], pairs["theirs"])[0, 1])
    ours_total, theirs_total = float(pairs["ours"].sum()), float(pairs["theirs"].sum())
    assert result.bias == pytest.approx(ours_total / theirs_total - 1)
    # retail is most of the small customer bucket: close agreement, small bias
    assert result.correlation > 0.9
    assert abs(result.bias) < OPEN_CLOSE_BIAS_ABS
