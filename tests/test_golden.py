"""Golden outputs: the JSON of ``summary`` and of every view on the bundled sample.

The files in ``tests/golden/`` were written by the command line before the house was
rearranged; a refactor that changes a single number or key fails here. Regenerate them
only when a change of behaviour is intended, and say so in the commit:

    optionsflow summary --format json > tests/golden/summary.json
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from optionsflow.cli import main

GOLDEN = Path(__file__).parent / "golden"

COMMANDS: dict[str, list[str]] = {
    "summary": ["summary"],
    "flow": ["flow"],
    "streaks": ["streaks"],
    "skew": ["skew"],
    "unusual": ["unusual"],
    "corr": [
        "corr",
        "--constituent-vols",
        "{sample}/vols.parquet",
        "--weights",
        "{sample}/weights.csv",
    ],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_output_is_unchanged(name: str, sample_dir: Path) -> None:
    args = [a.format(sample=sample_dir) for a in COMMANDS[name]]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert _rounded(json.loads(result.stdout)) == _rounded(expected)


def _rounded(value: object) -> object:
    """Floats to 12 significant digits: parallel sums differ in the last bits run to run."""
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value
