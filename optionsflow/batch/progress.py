r"""Progress of a batch run: an event per finished day, and a small built-in reporter.

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TextIO

from optionsflow.batch.day import DayResult

__all__ = ["ProgressEvent", "ProgressOption", "ProgressReporter", "progress_callback"]


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
        width = 20
        filled = width * event.done // max(event.total, 1)
        rate = event.rows / event.elapsed if event.elapsed > 0 else 0.0
        left = event.elapsed / event.done * (event.total - event.done) if event.done else 0.0
        return (
            f"days {event.done}/{event.total} [{'#' * filled}{' ' * (width - filled)}]  "
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
