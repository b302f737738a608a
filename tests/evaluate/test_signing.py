import polars as pl
import pytest

from optionsflow.errors import SchemaError
from optionsflow.evaluate.signing import evaluate_signing


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "side": [1, -1, None, 1, -1, 1, None],
            "side_rule": [
                "quote_best",
                "quote_best",
                None,
                "depth_best",
                "trade_size_ex",
                "trade_size_ex",
                "complex",
            ],
            "true_side": [1, 1, -1, 1, -1, -1, 1],
            "size": [1, 3, 7, 150, 40, 250, 2],
        }
    )


def test_figures_hand_computed() -> None:
    report = evaluate_signing(_frame())
    # complex row left out: 6 rows, 5 signed, 3 right
    assert report.n == 6
    assert report.coverage == pytest.approx(5 / 6)
    assert report.accuracy == pytest.approx(3 / 5)
    assert report.accuracy_all == pytest.approx(3 / 6)
    conf = {(t, p): n for t, p, n in report.confusion.iter_rows()}
    assert conf == {(-1, -1): 1, (-1, 1): 1, (-1, None): 1, (1, -1): 1, (1, 1): 2}
    rules = {r["side_rule"]: (r["n"], r["accuracy"]) for r in report.by_rule.iter_rows(named=True)}
    assert rules == {
        "quote_best": (2, 0.5),
        "trade_size_ex": (2, 0.5),
        "depth_best": (1, 1.0),
        None: (1, None),
    }
    sizes = report.by_size.select("size_bucket", "n").rows()
    assert sizes == [("1-4", 2), ("5-9", 1), ("25-99", 1), ("100-199", 1), ("200+", 1)]


def test_missing_truth_column() -> None:
    with pytest.raises(SchemaError, match="evaluate_signing") as err:
        evaluate_signing(_frame().drop("true_side"))
    assert err.value.column == "true_side"
