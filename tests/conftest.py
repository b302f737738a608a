"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SHARED = ROOT.parent / "shared" / "realdata"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not (SAMPLE / "sectors.csv").is_file():
        pytest.skip("sample_data not present")
    return SAMPLE
