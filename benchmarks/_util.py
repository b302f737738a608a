"""Timing and memory helpers shared by the benchmark scripts."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_of(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Best wall time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result  # type: ignore[return-value]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    Linux's ``VmHWM`` resets at ``exec``, unlike ``ru_maxrss``, which a child
    inherits from its parent's peak: the figure is this process's own.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
