"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# No Hypothesis deadline: a deadline is a wall-clock assertion, and a loaded CI machine fails it.
settings.register_profile("optionsflow", deadline=None)
settings.load_profile("optionsflow")

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
