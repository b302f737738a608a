"""The NYSE closures cache: the library's dates, keyed by the installed rules, never a bad file.

The oracle is ``holidays.financial_holidays("NYSE")`` called directly.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import holidays
import pytest

from optionsflow.calendar import closures as nh


def _library(first: int, last: int) -> frozenset[date]:
    return frozenset(holidays.financial_holidays("NYSE", years=range(first, last + 1)).keys())


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OPTIONSFLOW_CACHE_DIR", str(folder))
    return folder


def _no_library(first: int, last: int) -> frozenset[date]:
    raise AssertionError("the library was asked although the cache is current")


def test_dates_are_the_librarys_and_a_second_call_reads_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _library(2000, 2030)
    assert nh.nyse_closures(2000, 2030) == expected
    (written,) = cache.glob("nyse-holidays-*.txt")
    lines = written.read_text(encoding="ascii").split()
    assert lines[0] == str(len(expected)) == str(len(lines) - 1)
    assert date(2025, 1, 9).isoformat() in lines  # the Carter closure
    monkeypatch.setattr(nh, "_from_library", _no_library)
    assert nh.nyse_closures(2000, 2030) == expected


def test_other_years_get_their_own_file(cache: Path) -> None:
    assert nh.nyse_closures(2026, 2026) == _library(2026, 2026)
    assert nh.nyse_closures(2025, 2026) == _library(2025, 2026)
    assert len(list(cache.glob("nyse-holidays-*.txt"))) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.rsplit("\n", 2)[0] + "\n",  # the last date cut off: count disagrees
        lambda text: "garbage\n",
        lambda text: text.replace("-01-", "-13-", 1),  # a date that is no date
        lambda text: "",
    ],
    ids=["truncated", "garbage", "bad-date", "empty"],
)
def test_a_damaged_cache_is_recomputed_never_trusted(
    cache: Path, damage: Callable[[str], str]
) -> None:
    expected = _library(2024, 2026)
    nh.nyse_closures(2024, 2026)
    (written,) = cache.glob("nyse-holidays-*.txt")
    written.write_text(damage(written.read_text(encoding="ascii")), encoding="ascii")
    assert nh.nyse_closures(2024, 2026) == expected
    assert nh._read(written) == expected  # rewritten whole


def test_an_unwritable_cache_directory_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="ascii")
    monkeypatch.setenv("OPTIONSFLOW_CACHE_DIR", str(blocker / "cache"))
    assert nh.nyse_closures(2026, 2026) == _library(2026, 2026)


def _fake_library(root: Path, version: str) -> None:
    (root / "financial").mkdir(parents=True, exist_ok=True)
    (root / "version.py").write_text(f'__version__ = "{version}"\n', encoding="ascii")
    (root / "financial" / "ny_stock_exchange.py").write_text("# rules\n", encoding="ascii")


def test_the_key_follows_the_installed_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "holidays"
    _fake_library(root, "1.0")
    spec = importlib.machinery.ModuleSpec("holidays", None, is_package=True)
    spec.submodule_search_locations = [str(root)]
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    first = nh._library_key(2026, 2026)
    assert first is not None
    assert nh._library_key(2026, 2026) == first
    assert nh._library_key(2025, 2026) != first  # other years
    _fake_library(root, "1.1")  # an upgrade
    upgraded = nh._library_key(2026, 2026)
    assert upgraded not in {None, first}
    rules = root / "financial" / "ny_stock_exchange.py"
    stat = rules.stat()
    os.utime(rules, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # rules edited
    assert nh._library_key(2026, 2026) not in {None, first, upgraded}
    rules.unlink()  # a layout this module does not know: no cache at all
    assert nh._library_key(2026, 2026) is None


def test_cache_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPTIONSFLOW_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert nh.cache_dir() == tmp_path / "xdg" / "optionsflow"
    monkeypatch.setenv("OPTIONSFLOW_CACHE_DIR", str(tmp_path / "mine"))
    assert nh.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("OPTIONSFLOW_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert nh.cache_dir() == tmp_path / "home" / ".cache" / "optionsflow"
