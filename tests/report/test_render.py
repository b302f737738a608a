import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from optionsflow.cli import main
from optionsflow.report.render import render
from optionsflow.report.summary import (
    ClassSkew,
    Concentration,
    Correlation,
    PutCall,
    SectorSkew,
    SectorWeight,
    Streak,
    Summary,
    ThemeFlow,
    UnusualContract,
)
from optionsflow.report.text import count, money, ordinal, plural, pts


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
        "Institutional flow skewed 5.0 pts more toward buying than its +2.0% baseline "
        "(skew +7.0%); tilting to buying in Energy and Utilities, to selling in no sector."
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
    text = render(_summary(None))
    assert "Implied correlation: needs index and constituent vols and weights" in text
    for key in ("themes", "concentration", "sector_weights", "unusual"):
        assert doc[key] is None
    assert doc["put_call"] == {}


def test_readme_story_is_the_real_output(sample_dir: Path) -> None:
    readme = (sample_dir.parent / "README.md").read_text()
    block = re.search(r"```text\n(Options flow, week .*?)```", readme, re.S)
    assert block is not None
    result = CliRunner().invoke(main, ["summary", "-q"])
    assert result.exit_code == 0
    assert result.stdout == block.group(1)


def test_readme_library_example_runs(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (sample_dir.parent / "README.md").read_text()
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    monkeypatch.chdir(sample_dir.parent)
    exec(compile(block.group(1), "README.md", "exec"), {})


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0, "$0"), (999.0, "$999"), (1_000.0, "$1.0K"), (89_884_666.0, "$89.9M"),
     (999_999.0, "$1.0M"), (2.5e9, "$2.5B"), (-1_234_567.0, "-$1.2M")],
)  # fmt: skip
def test_money(value: float, text: str) -> None:
    assert money(value) == text


def test_counts_points_plurals() -> None:
    assert (count(1234567), pts(0.041), pts(-0.05, signed=True)) == (
        "1,234,567",
        "4.1 pts",
        "-5.0 pts",
    )
    assert [plural(n, "week") for n in (0, 1, 2)] == ["0 weeks", "1 week", "2 weeks"]


def _full() -> Summary:
    base = _summary(Correlation(dt.date(2026, 11, 20), 0.1234, 3.0, 50, 0.9, True, 0.1, 0.45))
    flat = Streak("institutional", 0.0, 1, 1, 0, 1, index_return=-0.02)
    return dataclasses.replace(
        base,
        days=1,
        priced_index="SPX",
        call_buying_streak={**base.call_buying_streak, "institutional": flat},
        put_call={"retail": PutCall("retail", 0.5, 0.4, 0.1)},
        themes=[ThemeFlow("Quantum Computing", 1.25e6, 1_500), ThemeFlow("Space", -3e5, -40)],
        concentration=Concentration(None, 10, 0.39, ["NVDA", "AAPL", "MSFT"], 500, 40.0),
        sector_weights=[SectorWeight("Energy", 0.029, 22, 0.161, dt.date(2008, 6, 30))],
        unusual=[
            UnusualContract(dt.date(2026, 11, 20), "XOM", "XOM", dt.date(2026, 12, 18), 110.0,
                            "C", 1500, 2.5e5, 2.5, ["3 sweep prints"])
        ],
    )  # fmt: skip


def test_every_fact_reads_as_people_write_it() -> None:
    text = render(_full())
    assert "(2026-11-16 to 2026-11-20, 1 trading day)" in text
    assert "Institutional call flow was flat this week (as many bought as sold); " in text
    assert "net sold 0" not in text
    assert "net bought 0" not in text
    assert (
        "bought calls in 1 of the past 1 week (current streak 0, longest 1), "
        "during which SPX lost 2.0%." in text
    )
    assert "Retail-favoured themes by net call premium: Quantum Computing ($1.2M)." in text
    assert "Retail put/call ratio 0.50, against a 0.40 baseline (+0.10)." in text
    flat = dataclasses.replace(_full(), put_call={"retail": PutCall("retail", 0.4, 0.404, -0.004)})
    assert "Retail put/call ratio 0.40, in line with its 0.40 baseline." in render(flat)
    assert "(one-year low 0.100, high 0.450)" in text
    assert "The top 10 names are 39.0% of SPX (NVDA, AAPL and MSFT, ...; 500 constituents)." in text
    assert (
        "Energy is 2.9% of the index (2008 peak 16.1%).\nSector weights in SPX: Energy 2.9%.\n"
        in text
    )
    # sectors off their peak, furthest below first; a peak that reads as today's weight is none
    sectors = [
        SectorWeight("Information Technology", 0.345, 69, 0.345, dt.date(2025, 8, 25)),
        SectorWeight("Financials", 0.136, 73, 0.179, dt.date(2008, 6, 30)),
        SectorWeight("Energy", 0.029, 22, 0.161, dt.date(2008, 6, 30)),
        SectorWeight("Materials", 0.018, 26, 0.01804, dt.date(2011, 6, 30)),
    ]
    lines = render(dataclasses.replace(_full(), sector_weights=sectors)).splitlines()
    assert (
        "Energy is 2.9% of the index (2008 peak 16.1%), Financials 13.6% (2008 peak 17.9%)."
        in lines
    )
    static = [SectorWeight("Energy", 0.029, 22)]
    lines = render(dataclasses.replace(_full(), sector_weights=static)).splitlines()
    assert not any("peak" in line for line in lines)
    assert (
        "Sector weights in SPX: Energy 2.9% (their history needs dated weights: date, "
        "symbol, weight)." in lines
    )
    assert "Top unusual activity: XOM 2026-12-18 110C (1,500 contracts, $250K)." in text
    md = render(_full(), "markdown")
    assert "| Quantum Computing | $1.2M | 1,500 |" in md
    assert "| 2026-11-20 | XOM 2026-12-18 110C | 1,500 | $250K | 3 sweep prints |" in md
    doc = json.loads(render(_full(), "json"))  # raw numbers
    assert doc["themes"][0] == {"theme": "Quantum Computing", "net_call_premium": 1.25e6,
                                "net_call_contracts": 1500}  # fmt: skip
    assert doc["sector_weights"][0]["peak_date"] == "2008-06-30"
    assert doc["implied_correlation"]["low_1y"] == 0.1
