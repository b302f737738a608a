"""``optionsflow summary``: the weekly flow story."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from optionsflow.cli._common import PATH, handle_errors


@click.command()
@click.argument("paths", nargs=-1, type=PATH)
@click.option("--history", type=PATH, help="Stored daily partials (Parquet) of earlier days.")
@click.option("--sectors", type=PATH, help="CSV/Parquet map: symbol, sector[, theme].")
@click.option("--vols", type=PATH, help="Implied vols: date, symbol, iv (index included).")
@click.option("--weights", type=PATH, help="Index weights: symbol, weight.")
@click.option("--index-prices", type=PATH, help="Index closes: date, close.")
@click.option("--index", default="SPX", show_default=True, help="Index symbol in --vols.")
@click.option("--lookback", default=36, show_default=True, help="Weeks of the streak window.")
@click.option("--baseline-weeks", default=12, show_default=True, help="Weeks of the skew baseline.")
@click.option("--config", "config_path", type=PATH, help="TOML file of thresholds.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
    show_default=True, help="Output format.",
)  # fmt: skip
@handle_errors
def summary(
    *,
    paths: tuple[Path, ...],
    history: Path | None,
    sectors: Path | None,
    vols: Path | None,
    weights: Path | None,
    index_prices: Path | None,
    index: str,
    lookback: int,
    baseline_weeks: int,
    config_path: Path | None,
    fmt: Literal["text", "json", "markdown"],
) -> None:
    """Print the weekly flow story for the latest week of the data.

    PATHS are canonical trade files, directories or globs. With none, the
    bundled sample data is used: its raw week, stored history, vols and
    weights. With PATHS, only the sector map defaults to the bundled one.
    """
    from optionsflow.batch.store import partials_of
    from optionsflow.bundled import SAMPLE_FILES, sample_dir
    from optionsflow.config import load_config
    from optionsflow.ingest import (
        read_index_prices,
        read_sector_map,
        read_vols,
        read_weights,
    )
    from optionsflow.report.render import render
    from optionsflow.report.summary import weekly_summary

    if not paths:
        root = sample_dir()
        paths = (root / SAMPLE_FILES.trades,)
        history = history or root / SAMPLE_FILES.history
        vols = vols or root / SAMPLE_FILES.vols
        weights = weights or root / SAMPLE_FILES.weights
        index_prices = index_prices or root / SAMPLE_FILES.index_prices
    sectors = sectors or sample_dir() / SAMPLE_FILES.sectors
    config = load_config(config_path)
    partials = partials_of(paths, store=history, sectors=read_sector_map(sectors), config=config)
    result = weekly_summary(
        partials,
        vols=read_vols(vols) if vols else None,
        weights=read_weights(weights) if weights else None,
        index_prices=read_index_prices(index_prices) if index_prices else None,
        index=index,
        lookback=lookback,
        baseline_weeks=baseline_weeks,
    )
    click.echo(render(result, fmt), nl=False)
