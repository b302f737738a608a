"""The HTML report: charts by content, same bytes twice, PNGs, the CLI, and a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from matplotlib.image import imread

from optionsflow.aggregate.streaks import call_buying_streak
from optionsflow.cli import main
from optionsflow.cli._story import StoryInputs, story_inputs
from optionsflow.errors import ConfigError
from optionsflow.report.charts import streak_chart
from optionsflow.report.html import CHARTS, ReportCharts, build_report, report_charts
from optionsflow.report.summary import CLASSES


@pytest.fixture(scope="module")
def inputs() -> StoryInputs:
    return story_inputs(
        (), store=None, sectors=None, vols=(), weights=None, index_prices=None,
        config_path=None, as_of=None,
    )  # fmt: skip


@pytest.fixture(scope="module")
def data(inputs: StoryInputs) -> ReportCharts:
    return report_charts(
        inputs.partials, vols=inputs.vols, weights=inputs.weights,
        index_prices=inputs.index_prices, sectors=inputs.sectors, unusual=inputs.unusual,
    )  # fmt: skip


@pytest.fixture(scope="module")
def page(inputs: StoryInputs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(main, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_streak_bars_equal_the_streak_table(data: ReportCharts, inputs: StoryInputs) -> None:
    fig = streak_chart(data.streaks, {"retail": 10, "institutional": 8}, data.closes)
    for ax, p in zip(fig.axes[:2], CLASSES, strict=True):  # then the twins
        bars = [float(bar.get_height()) for bar in ax.containers[0]]
        table = call_buying_streak(inputs.partials, participant=p).collect().tail(36)
        assert bars == table["net_call_buying"].to_list()
        assert ax.get_title().startswith(p.capitalize())
    current = data.summary.call_buying_streak["retail"].current_streak
    assert data.streaks.filter(pl.col("participant") == "retail")["current_streak"][-1] == current


def test_page_tables_match_the_chart_data(page: Path, data: ReportCharts) -> None:
    text = page.read_text(encoding="utf-8")
    table = text[text.index('id="streak-table"') :].split("</table>")[0]
    rows = re.findall(r"<tr><td>([\d-]+)</td><td>([-\d,]+)</td><td>([-\d,]+)</td></tr>", table)
    retail = data.streaks.filter(pl.col("participant") == "retail")
    assert [int(r[1].replace(",", "")) for r in rows] == retail["net_call_buying"].to_list()
    assert len(rows) == 36


def test_page_is_self_contained_with_every_chart(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == len(CHARTS) == 6
    for name in CHARTS:
        assert f'id="chart-{name}"' in text
    assert "<script" not in text
    assert not re.search(r"(src|href)=\"https?://", text)
    assert "Retail share of volume: 59.4% of contracts" in text
    assert "Top unusual activity" in text


def test_same_input_same_bytes(inputs: StoryInputs, tmp_path: Path) -> None:
    def build(png: Path) -> str:
        return build_report(
            inputs.partials, vols=inputs.vols, weights=inputs.weights, sectors=inputs.sectors,
            index_prices=inputs.index_prices, png_dir=png,
        )  # fmt: skip

    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    assert first == second
    for name in CHARTS:
        a, b = (tmp_path / d / f"{name}.png" for d in "ab")
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes()[:4] == b"\x89PNG"
        pixels = imread(a)  # every chart draws something: not a blank canvas
        assert (pixels[..., :3].mean(axis=2) < 0.9).mean() > 0.01, name


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ConfigError, match=r"optionsflow\[report\]"):
        build_report(pl.DataFrame())


def test_report_needs_out() -> None:
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 2
    assert "--out" in result.output


def test_report_help_has_examples() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert "Examples:" in result.output
    assert "optionsflow report --out report.html --png-dir charts/" in result.output


CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_chromium_renders_the_page(page: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    shot = tmp_path / "shot.png"
    url = page.resolve().as_uri()
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--screenshot={shot}", "--window-size=1200,3000", url],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    run = subprocess.run(
        [CHROMIUM, *FLAGS, "--enable-logging=stderr", "--v=0", "--dump-dom", url],
        check=True, capture_output=True, timeout=120, text=True,
    )  # fmt: skip
    dom = run.stdout
    assert not re.search(r"CONSOLE\(\d+\)", run.stderr), run.stderr  # no console message
    assert "Retail share of volume: 59.4% of contracts" in dom
    assert dom.count("<svg") == 6
    pixels = imread(shot)
    assert pixels.shape[0] >= 3000
    # non-blank: a good share of pixels is not white (text, bars, lines)
    dark = (pixels[..., :3].mean(axis=2) < 0.9).mean()
    assert dark > 0.02
