"""Issue #15 items 3 and 18: correlation coverage said honestly; no percentile without history."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from optionsflow.correlation.implied import constituent_coverage, require_matching_weights
from optionsflow.errors import ValidationError
from optionsflow.report.correlation import correlation_table, render_correlation

D1, D2 = dt.date(2026, 11, 19), dt.date(2026, 11, 20)
WEIGHTS = pl.DataFrame({"symbol": ["A", "B", "C"], "weight": [0.5, 0.3, 0.2]})


def _vols(rows: list[tuple[dt.date, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"date": pl.Date, "symbol": pl.String, "iv": pl.Float64},
                        orient="row")  # fmt: skip


def test_coverage_names_the_weighted_names_without_a_vol() -> None:
    vols = _vols([(D1, "A", 0.3), (D1, "B", -0.2), (D1, "Z", 0.4), (D2, "A", 0.3), (D2, "B", 0.2),
                  (D2, "C", 0.25)])  # fmt: skip
    rows = constituent_coverage(vols, WEIGHTS).collect().rows()
    assert rows == [(D1, 3, 1, ["B", "C"], 1), (D2, 3, 3, [], 0)]


def test_coverage_follows_top_n_and_dated_weights() -> None:
    vols = _vols([(D1, "A", 0.3)])
    assert constituent_coverage(vols, WEIGHTS, top_n=1).collect().row(0) == (D1, 1, 1, [], 0)
    dated = WEIGHTS.with_columns(pl.lit(D1).alias("date"))
    assert constituent_coverage(vols, dated).collect()["no_vol"].to_list() == [["B", "C"]]


def test_vols_that_match_no_weight_are_an_error_naming_the_file() -> None:
    vols = _vols([(D1, "XX", 0.3), (D1, "YY", 0.2)])
    with pytest.raises(ValidationError, match="no symbol of the vols has a weight") as err:
        require_matching_weights(vols, WEIGHTS, source="iv.csv")
    assert str(err.value).startswith("iv.csv: column 'symbol'")
    require_matching_weights(_vols([(D1, "A", 0.3)]), WEIGHTS)  # one match is enough


def test_table_and_text_report_the_dropped_names() -> None:
    vols = _vols([(D1, "SPX", 0.2), (D1, "A", 0.3), (D1, "B", 0.25)])
    table = correlation_table(vols, WEIGHTS, min_history=1).collect()
    assert table.select("n_constituents", "n_weighted", "no_vol").row(0) == (2, 3, "C")
    text = render_correlation(table)
    assert "1 of 3 weighted names had no valid vol on 2026-11-20" not in text
    assert "1 of 3 weighted names had no valid vol on 2026-11-19 and were left out: C" in text
    assert '"no_vol": "C"' in render_correlation(table, fmt="json")
    assert "no_vol" in render_correlation(table, fmt="csv").splitlines()[0]


def test_percentile_needs_sixty_days_of_history_by_default() -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(61)]
    vols = pl.concat(
        [_vols([(d, "SPX", 0.2 + i / 1000), (d, "A", 0.3), (d, "B", 0.25)]) for i, d in
         enumerate(days)]
    )  # fmt: skip
    table = correlation_table(vols, WEIGHTS).collect()
    pct = table["percentile_1y"].to_list()
    assert pct[:59] == [None] * 59
    assert pct[59] == 100.0
    first = render_correlation(table.head(1))
    assert "(no percentile: 1 day of history in the past 1y)" in first
    assert "pct 100" not in first
    assert "  n/a" in first
