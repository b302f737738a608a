r"""Progress on stderr: of a batch run (an event per finished day), and of any command's steps.

One place for progress, dependency-free (a ``\r``-rewritten line, no terminal library):
:func:`bar` draws the bar, :class:`ProgressReporter` reports a batch run's days,
:class:`Steps` a command's steps (``synth``, ``ingest``, ``classify``, ``summary``,
``report``): a live line when stderr is a terminal and the step has run a
second, a ``name: rows in seconds`` line per step when verbose, nothing when quiet.

``run_batch(progress=...)`` takes any callable of a :class:`ProgressEvent`, or
``"auto"`` for :class:`ProgressReporter` on stderr: one line per finished day
when stderr is not a terminal (``2026-11-16  read 10,002,311  accepted ...  8.2 s``),
a single ``\r``-rewritten line (days done / total, trades/s, ETA) when it is;
``"quiet"`` (or ``None``) reports nothing.

Examples
--------
>>> import datetime as dt, io
>>> from optionsflow.batch.day import DayResult
>>> from optionsflow.ingest.scan import IngestCounts
>>> out = io.StringIO()
>>> report = ProgressReporter(out, mode="lines")
>>> result = DayResult(dt.date(2026, 11, 16), "written", IngestCounts(read=2_000, accepted=2_000),
...                    0.4)
>>> report(ProgressEvent(result, done=1, total=2, rows=2_000, elapsed=0.4))
>>> out.getvalue()
'2026-11-16  read 2,000  accepted 2,000  rejected 0  cancelled 0  duplicates 0  0.4 s\n'
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from optionsflow.batch.day import DayResult


__all__ = [
    "ProgressEvent",
    "ProgressOption",
    "ProgressReporter",
    "Step",
    "Steps",
    "bar",
    "progress_callback",
]


def bar(done: int, total: int, width: int = 20) -> str:
    """Draw ``done`` of ``total`` as a bar of ``width`` cells.

    Examples
    --------
    >>> bar(1, 4)
    '[#####               ]'
    """
    filled = width * min(done, total) // max(total, 1)
    return f"[{'#' * filled}{' ' * (width - filled)}]"


@dataclass(frozen=True)
class ProgressEvent:
    """One finished day and where the run stands."""

    result: DayResult
    done: int
    """Days finished so far (this one included)."""
    total: int
    """Days the run writes."""
    rows: int
    """Trades read so far."""
    elapsed: float
    """Seconds since the first day started."""


ProgressOption = Callable[[ProgressEvent], None] | Literal["auto", "quiet"] | None
"""A callback, ``"auto"`` (the built-in reporter on stderr) or ``"quiet"`` / ``None``."""


class ProgressReporter:
    r"""Report finished days on a stream: lines, or one ``\r`` progress line on a terminal.

    Parameters
    ----------
    stream
        Where to write (stderr by default).
    mode
        ``"auto"``: ``"bar"`` on a terminal, else ``"lines"``.
    """

    def __init__(
        self, stream: TextIO | None = None, *, mode: Literal["auto", "lines", "bar"] = "auto"
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.mode = ("bar" if tty else "lines") if mode == "auto" else mode

    def __call__(self, event: ProgressEvent) -> None:
        """Report one finished day."""
        if self.mode == "lines":
            self.stream.write(event.result.line() + "\n")
        else:
            self.stream.write("\r" + self.bar(event))
            if event.done == event.total:
                self.stream.write("\n")
            elif event.result.status == "failed":
                self.stream.write("\n" + event.result.line() + "\n")
        self.stream.flush()

    @staticmethod
    def bar(event: ProgressEvent) -> str:
        """Render the progress line: days, trades/s and ETA.

        Examples
        --------
        >>> import datetime as dt
        >>> from optionsflow.batch.day import DayResult
        >>> from optionsflow.ingest.scan import IngestCounts
        >>> r = DayResult(dt.date(2026, 11, 16), "written", IngestCounts(), 2.0)
        >>> ProgressReporter.bar(ProgressEvent(r, done=1, total=4, rows=1_000_000, elapsed=2.0))
        'days 1/4 [#####               ]  500,000 trades/s  ETA 6 s   '
        """
        rate = event.rows / event.elapsed if event.elapsed > 0 else 0.0
        left = event.elapsed / event.done * (event.total - event.done) if event.done else 0.0
        return (
            f"days {event.done}/{event.total} {bar(event.done, event.total)}  "
            f"{rate:,.0f} trades/s  ETA {left:.0f} s   "
        )


def progress_callback(option: ProgressOption) -> Callable[[ProgressEvent], None] | None:
    """Return the callable behind a ``progress`` option (``None`` when quiet).

    Examples
    --------
    >>> progress_callback("quiet") is None, progress_callback(None) is None
    (True, True)
    >>> isinstance(progress_callback("auto"), ProgressReporter)
    True
    """
    if option is None or option == "quiet":
        return None
    if option == "auto":
        return ProgressReporter()
    return option


Level = Literal["quiet", "normal", "verbose"]


class Step:
    """One running step: count its work with :meth:`advance`, its rows in :attr:`rows`."""

    def __init__(self, name: str, total: int | None) -> None:
        self.name = name
        self.total = total
        self.done = 0
        self.rows: int | None = None
        self.started = time.perf_counter()

    def advance(self, n: int = 1, *, rows: int = 0) -> None:
        """Count ``n`` units of the step's ``total`` done, and ``rows`` rows."""
        self.done += n
        if rows:
            self.rows = (self.rows or 0) + rows

    def line(self, elapsed: float) -> str:
        r"""Render the live line.

        Examples
        --------
        >>> step = Step("synth", 4)
        >>> step.advance(rows=1_000)
        >>> step.line(2.0)
        'synth 1/4 [#####               ]  1,000 rows  2 s'
        """
        count = f" {self.done}/{self.total} {bar(self.done, self.total)}" if self.total else " ..."
        rows = f"  {self.rows:,} rows" if self.rows is not None else ""
        return f"{self.name}{count}{rows}  {elapsed:.0f} s"


class Steps:
    r"""Report a command's steps on a stream (stderr by default).

    Parameters
    ----------
    stream
        Where to write.
    level
        ``"quiet"``: nothing; ``"normal"``: the live line only; ``"verbose"``: also
        one ``name: N rows in S s`` line per finished step.
    live
        Draw the live line (``\r``-rewritten, cleared when the step ends); default:
        when ``stream`` is a terminal.
    delay
        Seconds a step runs before its live line appears (quick steps draw nothing).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> steps = Steps(out, level="verbose")
    >>> with steps.step("read") as step:
    ...     step.rows = 2_295
    >>> out.getvalue().startswith("optionsflow: read: 2,295 rows in ")
    True
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        level: Level = "normal",
        live: bool | None = None,
        delay: float = 1.0,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.level = level
        self.live = level != "quiet" and (tty if live is None else live)
        self.delay = delay
        self._lock = threading.Lock()

    @contextmanager
    def step(self, name: str, *, total: int | None = None) -> Iterator[Step]:
        """Run one step: a live line while it runs, a timing line after it when verbose."""
        step = Step(name, total)
        stop = threading.Event()
        drawn = [0]  # width of the live line on screen, shared with the painter thread
        painter = None
        if self.live:
            painter = threading.Thread(target=self._paint, args=(step, stop, drawn), daemon=True)
            painter.start()
        try:
            yield step
        finally:
            stop.set()
            if painter is not None:
                painter.join()
            with self._lock:
                if drawn[0]:
                    self.stream.write("\r" + " " * drawn[0] + "\r")
                if self.level == "verbose":
                    elapsed = time.perf_counter() - step.started
                    rows = f"{step.rows:,} rows in " if step.rows is not None else ""
                    self.stream.write(f"optionsflow: {name}: {rows}{elapsed:.2f} s\n")
                self.stream.flush()

    def _paint(self, step: Step, stop: threading.Event, drawn: list[int]) -> None:
        if stop.wait(self.delay):
            return
        while True:
            text = step.line(time.perf_counter() - step.started)
            with self._lock:
                pad = " " * max(0, drawn[0] - len(text))
                self.stream.write("\r" + text + pad)
                self.stream.flush()
                drawn[0] = len(text) + len(pad)
            if stop.wait(0.25):
                return
