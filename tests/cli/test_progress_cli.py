"""-v says each step's rows and time on stderr, -q nothing, a pipe never gets a progress bar."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner, Result

from optionsflow.cli import main

STEP = re.compile(r"^optionsflow: (?P<name>[a-z ]+): (?:(?P<rows>[\d,]+) rows in )?\d+\.\d\d s$")


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def steps(stderr: str) -> dict[str, int | None]:
    """The step lines of stderr: name -> rows (None when the step counts none)."""
    found = {}
    for line in stderr.splitlines():
        match = STEP.match(line)
        if match:
            rows = match["rows"]
            found[match["name"]] = None if rows is None else int(rows.replace(",", ""))
    return found


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    result = run("synth", "--days", 2, "--trades-per-day", 700, "--out", out, "-v")
    assert result.exit_code == 0, result.stderr
    assert steps(result.stderr) == {"synth": 1_400}
    assert "\r" not in result.stderr
    return out


def test_verbose_ingest_and_classify_count_rows(day: Path, tmp_path: Path) -> None:
    canonical = tmp_path / "day.parquet"
    result = run("ingest", day, "--out", canonical, "-v")
    assert result.exit_code == 0, result.stderr
    assert steps(result.stderr) == {"read": 1_400, "write": 1_400}
    labelled = tmp_path / "labelled.parquet"
    result = run("classify", canonical, "--out", labelled, "--evaluate", "--verbose")
    assert result.exit_code == 0, result.stderr
    signed = pl.scan_parquet(labelled).select(pl.col("side").is_not_null().sum()).collect().item()
    assert steps(result.stderr) == {"classify": 1_400, "evaluate": signed}


def test_quiet_says_nothing(day: Path, tmp_path: Path) -> None:
    for args in (
        ("synth", "--days", 1, "--trades-per-day", 50, "--out", tmp_path / "s", "-q"),
        ("ingest", day, "--out", tmp_path / "i.parquet", "-q"),
        ("classify", day, "--out", tmp_path / "c.parquet", "-q"),
        ("summary", day, "--out", tmp_path / "s.txt", "-q"),  # no --sectors note, no "wrote"
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stderr == "", args
    assert (tmp_path / "s.txt").read_text().startswith("Options flow, week ")


def test_summary_steps_and_no_bar_on_a_pipe(day: Path) -> None:
    verbose = run("summary", day, "-v")
    assert verbose.exit_code == 0, verbose.stderr
    found = steps(verbose.stderr)
    assert found["classify trades"] == 1_400
    partial_rows = found["daily partials"]
    assert partial_rows is not None
    assert 0 < partial_rows <= 1_400
    assert "weekly facts" in found
    plain = run("summary", day)
    assert plain.exit_code == 0
    assert "\r" not in plain.stderr
    assert not steps(plain.stderr)
    both = run("summary", day, "-v", "-q")
    assert both.exit_code == 2
    assert both.stderr == "optionsflow: error: column 'quiet': give -v or -q, not both\n"
