"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

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
