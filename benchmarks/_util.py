"""Timing and memory helpers shared by the benchmark scripts."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
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


def run_child(script: str, method: str, path: Path) -> dict[str, object]:
    """Run ``script --child method --path path`` in a fresh process; parse its JSON line.

    A fresh process gives each method its own peak RSS. A failing child gives
    ``{"method": ..., "error": <last stderr line>}``.
    """
    proc = subprocess.run(
        [sys.executable, script, "--child", method, "--path", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["failed"]
        return {"method": method, "error": lines[-1]}
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


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
