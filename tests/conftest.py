"""Shared test fixtures."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# No Hypothesis deadline: a deadline is a wall-clock assertion, and a loaded CI machine fails it.
settings.register_profile("optionsflow", deadline=None)
settings.load_profile("optionsflow")

# The NYSE closures cache (optionsflow.calendar.closures) goes to a directory of this run, not
# the developer's ~/.cache: set when this file is collected, before any test or doctest runs,
# and inherited by the CLI subprocesses the tests start.
os.environ.setdefault("OPTIONSFLOW_CACHE_DIR", tempfile.mkdtemp(prefix="optionsflow-cache-"))

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not (SAMPLE / "sectors.csv").is_file():
        pytest.skip("sample_data not present")
    return SAMPLE


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The public data samples in ``../shared/realdata``; the test skips when they are absent."""
    path = ROOT.parent / "shared" / "realdata"
    if not path.is_dir():
        pytest.skip("../shared/realdata is not present")
    return path


@pytest.fixture(scope="session")
def calcs_intervals(realdata: Path) -> Path:
    """The real DataShop Quote Intervals file with Calcs and open interest (VIX, Agilent, ...)."""
    return (
        realdata
        / "cboe_datashop_samples"
        / "UnderlyingOptionsIntervals_1800sec_calcs_oi_2021-04-26.csv"
    )
