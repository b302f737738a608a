"""``optionsflow batch`` (the command module; wired into the group by the CLI rework)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from optionsflow.batch import read_store
from optionsflow.cli.batch import batch

from batch_helpers import DAYS, day_path, make_days


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_days(tmp_path_factory.mktemp("inputs"), DAYS[:2], 300)


def test_batch_command_writes_skips_and_reports(inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    plan = runner.invoke(batch, [str(inputs), "--store", str(store), "--dry-run"])
    assert plan.exit_code == 0, plan.output
    assert f"{DAYS[0]}  would write  (new day)" in plan.output
    assert not store.exists()
    first = runner.invoke(batch, [str(inputs), "--store", str(store), "--to", str(DAYS[0])])
    assert first.exit_code == 0, first.output
    assert f"{DAYS[0]}  read 300  accepted " in first.stderr  # progress lines: stderr
    assert f"{store}: 1 written, 0 up to date; read 300 trades in " in first.stdout
    second = runner.invoke(batch, [str(inputs), "--store", str(store), "-q"])
    assert second.exit_code == 0, second.output
    assert second.stderr == ""
    assert "1 written, 1 up to date" in second.stdout
    assert read_store(store).select("date").unique().collect().height == 2


def test_batch_command_exits_2_on_a_failed_day(inputs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    bad = day_path(folder, DAYS[0])
    bad.write_bytes(b"garbage")
    result = CliRunner().invoke(batch, [str(folder), "--store", str(tmp_path / "s"), "-q"])
    assert result.exit_code == 2
    assert f"failed {DAYS[0]}: {bad}" in result.stdout


def test_batch_command_errors_are_one_line(inputs: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(batch, [str(tmp_path / "none"), "--store", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("optionsflow: error: ")
    assert "no such file or directory" in result.stderr
