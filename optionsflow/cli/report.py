"""``optionsflow report``: the weekly story as one self-contained HTML page with charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from optionsflow.cli._common import as_of_date, handle_errors, story_inputs, write_text
from optionsflow.cli._options import (
    AS_OF,
    BASELINE_WEEKS,
    CONFIG,
    INDEX,
    LOOKBACK,
    OUT_HTML,
    PATH,
    PNG_DIR,
    SECTORS,
    STORE,
    WEEK,
    paths_argument,
    weights_option,
)


@click.command()
@paths_argument()
@STORE
@SECTORS
@click.option("--vols", type=PATH, help="Implied vols: date, symbol, iv (index included).")
@weights_option(required=False)
@click.option("--index-prices", type=PATH, help="Index closes: date, close.")
@INDEX
@LOOKBACK
@BASELINE_WEEKS
@WEEK
@AS_OF
@CONFIG
@OUT_HTML
@PNG_DIR
@handle_errors
def report(
    *,
    paths: tuple[Path, ...],
    store: Path | None,
    sectors: Path | None,
    vols: Path | None,
    weights: Path | None,
    index_prices: Path | None,
    index: str,
    lookback: int,
    baseline_weeks: int,
    week: str | None,
    as_of: dt.datetime | None,
    config_path: Path | None,
    out: Path,
    png_dir: Path | None,
) -> None:
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

    inputs = story_inputs(
        paths,
        store=store,
        sectors=sectors,
        vols=vols,
        weights=weights,
        index_prices=index_prices,
        config_path=config_path,
        as_of=as_of_date(week, as_of),
    )
    page = build_report(
        inputs.partials,
        vols=inputs.vols,
        weights=inputs.weights,
        index_prices=inputs.index_prices,
        sectors=inputs.sectors,
        unusual=inputs.unusual,
        index=index,
        lookback=lookback,
        baseline_weeks=baseline_weeks,
        png_dir=png_dir,
    )
    write_text(page, out, what="the HTML report")
