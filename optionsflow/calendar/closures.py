"""NYSE full-day closures from the ``holidays`` library, remembered between runs.

``holidays.financial_holidays("NYSE")`` is the source of truth, but importing it loads
every exchange and country the library knows: 0.1 s warm and 0.2-0.3 s from a cold disk,
which was the largest single cost of a command such as ``optionsflow summary --store``.
The computed dates are therefore kept in a small text file in the user's cache
directory (``$OPTIONSFLOW_CACHE_DIR``, else ``$XDG_CACHE_HOME/optionsflow``, else
``~/.cache/optionsflow``), named by a key over

* the installed library: the bytes of ``holidays/version.py`` and the size and
  modification time of its NYSE rules file (found without importing the package),
  so upgrading or editing ``holidays`` recomputes the dates;
* the years covered and this file format's version.

A cache that cannot be read, parsed or written, or whose first line does not count its
dates, is ignored: the dates are then computed from the library, exactly as without a
cache. The file is written atomically (temporary file in the same directory, fsync,
``os.replace``), so a concurrent reader sees a whole file or none.

Examples
--------
>>> from datetime import date
>>> days = nyse_closures(2025, 2026)
>>> date(2025, 1, 9) in days, date(2026, 4, 3) in days, date(2026, 4, 2) in days
(True, True, False)
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import tempfile
from datetime import date
from pathlib import Path

__all__ = ["cache_dir", "nyse_closures"]

_FORMAT = "1"
_RULES = ("version.py", "financial/ny_stock_exchange.py")


def cache_dir() -> Path:
    """Return the directory of optionsflow's caches (it may not exist yet).

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"OPTIONSFLOW_CACHE_DIR": "/tmp/of-cache"}):
    ...     cache_dir().as_posix()
    '/tmp/of-cache'
    """
    explicit = os.environ.get("OPTIONSFLOW_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "optionsflow"


def _library_key(first: int, last: int) -> str | None:
    """Key of the installed ``holidays`` rules and the years, or None when not found."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.blake2b(f"{_FORMAT}|{first}|{last}".encode(), digest_size=12)
    try:
        digest.update((root / _RULES[0]).read_bytes())
        rules = (root / _RULES[1]).stat()
    except OSError:
        return None
    digest.update(f"|{rules.st_size}|{rules.st_mtime_ns}".encode())
    return digest.hexdigest()


def _from_library(first: int, last: int) -> frozenset[date]:
    import holidays  # noqa: PLC0415 (loaded only when the cache cannot answer)

    return frozenset(holidays.financial_holidays("NYSE", years=range(first, last + 1)).keys())


def _read(path: Path) -> frozenset[date] | None:
    """Return the dates of a whole cache file (its first line counts them), else None."""
    try:
        count, *lines = path.read_text(encoding="ascii").split()
        days = frozenset(date.fromisoformat(line) for line in lines)
    except (OSError, ValueError):
        return None
    return days if count == str(len(lines)) == str(len(days)) else None


def _write(path: Path, days: frozenset[date]) -> None:
    text = "".join(f"{day.isoformat()}\n" for day in sorted(days))
    with contextlib.suppress(OSError):  # a read-only home only costs the next run 0.1 s
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(f"{len(days)}\n{text}")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)


def nyse_closures(first: int, last: int) -> frozenset[date]:
    """Return the NYSE closures of the years ``first`` to ``last`` (from the cache when current).

    Parameters
    ----------
    first, last
        Calendar years, both included.

    Returns
    -------
    frozenset of datetime.date
        The keys of ``holidays.financial_holidays("NYSE", years=range(first, last + 1))``.

    Examples
    --------
    >>> from datetime import date
    >>> sorted(d for d in nyse_closures(2026, 2026) if d.month == 1)
    [datetime.date(2026, 1, 1), datetime.date(2026, 1, 19)]
    """
    key = _library_key(first, last)
    path = cache_dir() / f"nyse-holidays-{key}.txt" if key else None
    if path is not None and (cached := _read(path)) is not None:
        return cached
    days = _from_library(first, last)
    if path is not None:
        _write(path, days)
    return days
