"""``optionsflow report``: the weekly story as one self-contained HTML page with charts."""

from __future__ import annotations

from pathlib import Path

import click

from optionsflow.cli._common import handle_errors, progress_options, steps, write_text
from optionsflow.cli._options import OUT_HTML, PNG_DIR
from optionsflow.cli._story import StoryRequest, story_options


@click.command()
@story_options
@OUT_HTML
@PNG_DIR
@handle_errors
@progress_options
def report(*, story: StoryRequest, out: Path, png_dir: Path | None) -> None:
    """Write the weekly flow story as one HTML page: the facts, six charts and tables.

    Takes the inputs of `optionsflow summary` (PATHS, --store, the bundled
    sample when neither is given). The page is self-contained: charts inlined
    as SVG, no script, nothing fetched. Needs matplotlib (pip install
    'optionsflow[report]').

    Examples:

    \b
      optionsflow report --out report.html
      optionsflow report --out report.html --png-dir charts/
      optionsflow report trades/ --store partials/ --sectors sectors.csv --out week.html
      optionsflow report --store /data/store --week 2026-W46 --out w46.html
    """
    from optionsflow.report.html import build_report

    inputs = story.inputs()
    with steps().step("facts and charts"):
        page = build_report(
            inputs.partials,
            **inputs.story(story),
            png_dir=png_dir,
        )
    write_text(page, out, what="the HTML report")
