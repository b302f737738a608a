"""Every command explains itself: ``--help`` works and shows an example; the docs name it."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from optionsflow.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = sorted(main.list_commands(click.Context(main)))


def test_the_group_has_the_commands() -> None:
    assert {"summary", "flow", "streaks", "skew", "unusual", "corr", "classify", "ingest",
            "synth"} <= set(COMMANDS)  # fmt: skip


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    # the examples keep their lines (click's \b marker), one command per line
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert any(line.startswith(f"optionsflow {name}") for line in lines)


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_or_docs_name_the_command(name: str) -> None:
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert any(f"optionsflow {name}" in path.read_text(encoding="utf-8") for path in texts)
