"""``optionsflow summary``: the weekly flow story."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import click

from optionsflow.cli._common import as_of_date, handle_errors, story_inputs, write_text
from optionsflow.cli._options import (
    AS_OF,
    BASELINE_WEEKS,
    CONFIG,
    INDEX,
    LOOKBACK,
    OUT,
    PATH,
    SECTORS,
    STORE,
    WEEK,
    format_option,
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
@format_option("text", "json", "markdown")
@OUT
@handle_errors
def summary(
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

    last_day = as_of_date(week, as_of)
    inputs = story_inputs(
        paths,
        store=store,
        sectors=sectors,
        vols=vols,
        weights=weights,
        index_prices=index_prices,
        config_path=config_path,
        as_of=last_day,
    )
    result = weekly_summary(
        inputs.partials,
        vols=inputs.vols,
        weights=inputs.weights,
        index_prices=inputs.index_prices,
        sectors=inputs.sectors,
        unusual=inputs.unusual,
        index=index,
        lookback=lookback,
        baseline_weeks=baseline_weeks,
    )
    write_text(render(result, fmt), out, what=f"the {fmt} summary")
