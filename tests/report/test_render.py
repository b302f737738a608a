import datetime as dt
import json
import re
from pathlib import Path

import pytest

from optionsflow.report.render import render
from optionsflow.report.summary import ClassSkew, Correlation, SectorSkew, Streak, Summary
from optionsflow.report.text import ordinal


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22.4, "22nd"),
        (44, "44th"),
        (100, "100th"),
        (0, "0th"),
        (111, "111th"),
    ],
)
def test_ordinal(n: float, text: str) -> None:
    assert ordinal(n) == text


def _summary(corr: Correlation | None) -> Summary:
    return Summary(
        week="2026-W47",
        week_start=dt.date(2026, 11, 16),
        week_end=dt.date(2026, 11, 20),
        days=4,
        complete=False,
        lookback=36,
        retail_share=0.6,
        retail_premium_share=0.25,
        call_buying_streak={"retail": Streak("retail", -12.0, 35, 36, 0, 20)},
        class_skew={
            "institutional": ClassSkew(
                "institutional", 0.07, 0.02, 0.05, ["Energy", "Utilities"], []
            )
        },
        sector_skew=[SectorSkew("institutional", "Energy", 0.5, None, None, 0.1)],
        implied_correlation=corr,
    )


def test_text_tells_the_story() -> None:
    text = render(_summary(Correlation(dt.date(2026, 11, 20), 0.1234, 3.0, 50, 0.9, True)))
    assert "(partial week)" in text
    assert "Retail share of volume: 60.0% of contracts, 25.0% of premium." in text
    assert (
        "Retail net sold 12 call contracts this week; bought calls in 35 of the past 36 weeks"
        in text
    )
    assert (
        "Institutional flow skewed 5.0% more toward buying than its +2.0% baseline (skew +7.0%); "
        "tilting to buying in Energy and Utilities, to selling in no sector."
    ) in text
    assert "0.123, at the 3rd percentile of the past year." in text


def test_json_round_trips_and_nulls() -> None:
    doc = json.loads(render(_summary(None), "json"))
    assert doc["implied_correlation"] is None
    assert doc["week_start"] == "2026-11-16"
    assert doc["sector_skew"][0] == {
        "participant": "institutional",
        "sector": "Energy",
        "skew": 0.5,
        "baseline": None,
        "vs_baseline": None,
        "share": 0.1,
    }
    assert "Implied correlation: not available" in render(_summary(None))


def test_readme_library_example_runs(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (sample_dir.parent / "README.md").read_text()
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    monkeypatch.chdir(sample_dir.parent)
    exec(compile(block.group(1), "README.md", "exec"), {})
