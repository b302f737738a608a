"""Public names load on first use: the command line starts without SciPy, Dask or matplotlib."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize(
    "package", ["optionsflow.ingest", "optionsflow.report", "optionsflow.batch"]
)
def test_subpackage_names_resolve_to_their_homes(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None
        assert name in dir(module)
    if package == "optionsflow.report":  # a function that shares its name with a submodule
        import optionsflow.report.html  # noqa: F401, PLC0415 (loads the render submodule too)

        assert callable(module.render)
        assert module.render.__module__ == "optionsflow.report.render"


def test_a_story_from_the_store_loads_no_classifier_no_trade_reader_no_holidays(
    sample_dir: Path, tmp_path: Path
) -> None:
    # the second of two runs: the first fills the NYSE closures cache
    code = (
        "import sys; from click.testing import CliRunner; from optionsflow.cli import main;"
        f"store = {str(sample_dir / 'store')!r};"
        "r = CliRunner().invoke(main, ['summary', '--store', store, '-q']);"
        "assert r.exit_code == 0, r.output;"
        "print(sorted(m for m in ('optionsflow.classify.side', 'optionsflow.ingest.scan',"
        " 'optionsflow.volatility.iv', 'holidays', 'numpy') if m in sys.modules))"
    )
    env = {**os.environ, "OPTIONSFLOW_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env
        )
        for _ in range(2)
    ]
    assert runs[0].returncode == 0, runs[0].stderr
    assert "'holidays'" in runs[0].stdout  # the first run asks the library
    assert runs[1].stdout.strip() == "[]", runs[1].stderr
