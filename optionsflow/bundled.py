"""Where the bundled sample data lives, and what its files are called.

In a source checkout (or an editable install) the data is the repository's
``sample_data/``; a wheel carries the same files as ``optionsflow/_sample_data``.
The environment variable ``OPTIONSFLOW_SAMPLE_DATA`` points elsewhere.

Examples
--------
>>> SAMPLE_FILES.sectors
'sectors.csv'
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from optionsflow.errors import SourceError

__all__ = ["SAMPLE_FILES", "SampleFiles", "sample_dir"]


@dataclasses.dataclass(frozen=True, slots=True)
class SampleFiles:
    """Relative paths inside the sample directory."""

    trades: str = "trades"
    history: str = "store"
    """A store in the layout of :func:`~optionsflow.batch.run_batch` (docs/batch.md)."""
    truth: str = "partials/truth.parquet"
    sectors: str = "sectors.csv"
    weights: str = "weights.csv"
    vols: str = "vols.parquet"
    index_prices: str = "index_prices.csv"


SAMPLE_FILES = SampleFiles()


def sample_dir() -> Path:
    """Return the bundled sample directory.

    Raises
    ------
    SourceError
        When no sample directory can be found.
    """
    here = Path(__file__).resolve().parent
    candidates = [
        os.environ.get("OPTIONSFLOW_SAMPLE_DATA"),
        here / "_sample_data",
        here.parent / "sample_data",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / SAMPLE_FILES.sectors).is_file():
            return Path(candidate)
    raise SourceError(
        "bundled sample data not found; set OPTIONSFLOW_SAMPLE_DATA or pass input paths"
    )
