"""Public names load on first use: the command line starts without SciPy, Dask or matplotlib."""

import subprocess
import sys

import pytest

import optionsflow as of


def test_every_public_name_resolves_to_its_home() -> None:
    for name in of.__all__:
        value = getattr(of, name)
        assert value is not None
        assert name in dir(of)
    assert of.sign_trades.__module__ == "optionsflow.classify.side"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'optionsflow' has no attribute 'nope'"):
        _ = of.nope  # type: ignore[attr-defined]


def test_the_cli_and_the_story_path_load_no_heavy_extras() -> None:
    # a fresh interpreter: the CLI's import, then the story's stages (no greeks)
    code = (
        "import sys, optionsflow.cli, optionsflow.batch.store, optionsflow.report.summary;"
        "print(sorted(m for m in ('scipy', 'distributed', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
