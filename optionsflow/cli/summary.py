"""``optionsflow summary``: the weekly flow story."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from optionsflow.cli._common import handle_errors, progress_options, steps, write_text
from optionsflow.cli._options import OUT, format_option
from optionsflow.cli._story import StoryRequest, story_options


@click.command()
@story_options
@format_option("text", "json", "markdown")
@OUT
@handle_errors
@progress_options
def summary(
    *,
    story: StoryRequest,
    fmt: Literal["text", "json", "markdown"],
    out: Path | None,
) -> None:
    """Print the weekly flow story for the latest week of the data.

    PATHS are trade files, directories or globs; --store adds stored daily
    partials of earlier days (a store kept by `optionsflow batch`, or partial
    files). With neither, the bundled sample is used: its raw week, stored
    history, sector map, vols, weights and index closes. The top unusual
    contracts come from the trade files (PATHS). The week reported is the latest in
    the data, or the one --week names (or that contains --as-of).

    Examples:

    \b
      optionsflow summary
      optionsflow summary --format markdown --out week.md
      optionsflow summary trades/ --store partials/ --sectors sectors.csv
      optionsflow summary --store partials/ --vols vols.parquet --weights weights.csv
      optionsflow summary --store /data/store --week 2026-W46
    """
    from optionsflow.report.render import render
    from optionsflow.report.summary import weekly_summary

    inputs = story.inputs()
    with steps().step("weekly facts"):
        result = weekly_summary(inputs.partials, **inputs.story(story))
    write_text(render(result, fmt), out, what=f"the {fmt} summary")
