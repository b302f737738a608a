"""Input paths: files, directories and globs expanded; the trading day a file holds.

Examples
--------
>>> file_day("UnderlyingOptionsTrades_2016-06-01.csv"), file_day("trades.csv")
(datetime.date(2016, 6, 1), None)
>>> resolve_paths(["/no/such/trades.parquet"])
Traceback (most recent call last):
...
optionsflow.errors.SourceError: /no/such/trades.parquet: no such file or directory
"""

from __future__ import annotations

import datetime as dt
import glob
import re
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from optionsflow import schema as s
from optionsflow.errors import SourceError

__all__ = ["file_day", "resolve_inputs", "resolve_paths", "trading_day_bounds"]

_DAY_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_GLOB_CHARS = frozenset("*?[")


def resolve_paths(
    paths: str | Path | Iterable[str | Path], *, suffix: str = ".parquet"
) -> list[Path]:
    """Expand files, directories and globs into a sorted list of files.

    Raises
    ------
    SourceError
        When a path does not exist, a directory or glob matches no file, or
        nothing at all was given.
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise SourceError("no input paths given")
    found: list[Path] = []
    for item in items:
        text = str(item)
        if _GLOB_CHARS & set(text):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))
            if not matches:
                raise SourceError("pattern matches no file", source=text)
            found.extend(m for m in matches if m.is_file())
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob(f"*{suffix}") if p.is_file())
            if not files:
                raise SourceError(f"directory holds no {suffix} file", source=text)
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise SourceError("no such file or directory", source=text)
    return found


def resolve_inputs(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Expand files, directories (every non-hidden file below) and globs, sorted."""
    files = resolve_paths(paths, suffix="")
    return [p for p in files if not p.name.startswith(".")]


def file_day(name: str) -> dt.date | None:
    """Find the last ``YYYY-MM-DD`` (or ``YYYYMMDD``) date in a file name, if any.

    Examples
    --------
    >>> file_day("UnderlyingOptionsTrades_2016-06-01.csv")
    datetime.date(2016, 6, 1)
    >>> file_day("trades.csv") is None
    True
    """
    for match in reversed(list(_DAY_IN_NAME.finditer(name))):
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
    return None


def trading_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC start (inclusive) and end (exclusive) of a New York calendar day.

    Examples
    --------
    >>> import datetime as dt
    >>> [t.isoformat() for t in trading_day_bounds(dt.date(2026, 7, 1))]
    ['2026-07-01T04:00:00+00:00', '2026-07-02T04:00:00+00:00']
    """
    ny = ZoneInfo(s.NEW_YORK)
    start = dt.datetime.combine(day, dt.time(), ny)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), ny)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
