"""``optionsflow corr``: implied correlation, its percentile, and dispersion per date."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from optionsflow.cli._common import handle_errors, write_text
from optionsflow.cli._options import INDEX, OUT, PATH, format_option, top_option, weights_option

if TYPE_CHECKING:
    from optionsflow.ingest.reference.cboe_iv import Tenor

_TENORS = ("iv30", "iv60", "iv90", "iv120", "iv180", "iv360")


@click.command()
@click.option(
    "--index-vol",
    "index_vol",
    type=PATH,
    multiple=True,
    help="Index vols: date[, symbol], iv table or Cboe IV Indexes file(s). "
    "Default: the --index rows of --constituent-vols.",
)
@click.option(
    "--constituent-vols",
    "constituent_vols",
    type=PATH,
    multiple=True,
    required=True,
    help="Constituent vols: date, symbol, iv table(s) or Cboe IV Indexes file(s).",
)
@weights_option(required=True)
@INDEX
@click.option(
    "--tenor",
    type=click.Choice(_TENORS),
    default="iv30",
    show_default=True,
    help="Column read from Cboe IV Indexes files.",
)
@top_option(default=None, help_text="Use only the heaviest N index names.")
@click.option(
    "--min-coverage",
    type=float,
    default=0.0,
    show_default=True,
    help="Weight coverage below which coverage_ok is false.",
)
@click.option(
    "--window",
    type=click.Choice(["1y", "6m", "3m"]),
    default="1y",
    show_default=True,
    help="Trailing window of the percentile rank.",
)
@click.option(
    "--min-history",
    "min_history",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Days of correlation history the window needs before a percentile (n/a before).",
)
@format_option("text", "json", "csv")
@OUT
@handle_errors
def corr(
    *,
    index_vol: tuple[Path, ...],
    constituent_vols: tuple[Path, ...],
    weights: Path,
    index: str,
    tenor: Tenor,
    top: int | None,
    min_coverage: float,
    window: Literal["1y", "6m", "3m"],
    min_history: int,
    fmt: Literal["text", "json", "csv"],
    out: Path | None,
) -> None:
    """Print the implied correlation per date with its percentile rank and dispersion.

    Implied correlation is Cboe's formula, dispersion sqrt((sum w s)^2 - s_index^2)
    in vol points (Cboe DSPX), proxy (s_index / sum w s)^2; coverage is the share
    of index weight with a vol that day.

    Examples:

    \b
      optionsflow corr --constituent-vols vols.parquet --weights weights.csv --top 50
      optionsflow corr --constituent-vols vols.parquet --weights w.csv --format json --out c.json
      optionsflow corr --index-vol spx_iv.csv --constituent-vols iv.csv --weights w.csv --index ^SPX
    """
    import polars as pl

    from optionsflow.correlation.implied import require_matching_weights
    from optionsflow.ingest import read_vol_table, read_weights
    from optionsflow.report.correlation import correlation_table, render_correlation

    vols, weight_table = read_vol_table(constituent_vols, tenor=tenor), read_weights(weights)
    names = vols.lazy().filter(pl.col("symbol") != index.removeprefix("^"))
    require_matching_weights(names, weight_table, source=", ".join(map(str, constituent_vols)))
    table = correlation_table(
        vols,
        weight_table,
        index_vol=read_vol_table(index_vol, tenor=tenor) if index_vol else None,
        index=index,
        top_n=top,
        min_coverage=min_coverage,
        window=window,
        min_history=min_history,
    ).collect()
    if table.height == 0:
        from optionsflow.errors import ValidationError

        files = index_vol or constituent_vols
        raise ValidationError(
            f"no vols of the index {index!r} (give --index, or --index-vol with its vols)",
            source=", ".join(map(str, files)),
            column="symbol",
        )
    text = render_correlation(table, index=index, window=window, fmt=fmt)
    write_text(text, out, what=f"{table.height:,} rows")
