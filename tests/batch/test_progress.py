"""Progress on stderr: a live line on a terminal, step lines when verbose, nothing when quiet."""

from __future__ import annotations

import io
import re
import time

from optionsflow.batch.progress import Step, Steps, bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_and_step_line() -> None:
    assert bar(0, 4) == "[" + " " * 20 + "]"
    assert bar(4, 4) == "[" + "#" * 20 + "]"
    assert bar(9, 4) == "[" + "#" * 20 + "]"  # never past full
    step = Step("synth", None)
    step.advance(rows=10)
    step.advance(rows=5)
    assert step.line(3.2) == "synth ...  15 rows  3 s"


def test_a_terminal_gets_a_live_line_that_is_cleared() -> None:
    out = _Terminal()
    steps = Steps(out, delay=0.1)
    assert steps.live
    with steps.step("synth", total=2) as step:
        step.advance(rows=100)  # before the first draw, 0.1 s in
        time.sleep(0.4)
    text = out.getvalue()
    # the seconds are not asserted: a starved painter thread may first draw after 1 s
    assert re.match(r"\rsynth 1/2 \[##########          \]  100 rows  \d+ s", text), text
    assert text.endswith("\r")  # the line is blanked when the step ends
    assert text.rstrip("\r ").endswith(" s")
    assert "\n" not in text  # normal level: no step lines


def test_quick_steps_draw_nothing_and_pipes_get_no_bar() -> None:
    out = _Terminal()
    with Steps(out, delay=5.0).step("read"):
        pass
    assert out.getvalue() == ""
    pipe = io.StringIO()
    steps = Steps(pipe, delay=0.0)
    assert not steps.live
    with steps.step("read"):
        time.sleep(0.05)
    assert pipe.getvalue() == ""


def test_verbose_lines_and_quiet_silence() -> None:
    out = io.StringIO()
    steps = Steps(out, level="verbose")
    with steps.step("read") as step:
        step.rows = 2_295
    with steps.step("write"):
        pass
    first, second = out.getvalue().splitlines()
    assert first.startswith("optionsflow: read: 2,295 rows in ")
    assert first.endswith(" s")
    assert second.startswith("optionsflow: write: ")
    assert "rows" not in second
    quiet = _Terminal()
    steps = Steps(quiet, level="quiet", delay=0.0)
    assert not steps.live
    with steps.step("read") as step:
        step.rows = 1
        time.sleep(0.05)
    assert quiet.getvalue() == ""
