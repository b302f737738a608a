"""``optionsflow corr``: implied correlation, its percentile, and dispersion per date."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from optionsflow.cli._common import handle_errors, note_conversions, progress_options, write_text
from optionsflow.cli._options import (
    AT_LEAST_ONE,
    INDEX,
    INDEX_VOL,
    OUT,
    PATH,
    format_option,
    top_option,
    weights_option,
)

if TYPE_CHECKING:
    from optionsflow.ingest.reference.cboe_iv import Tenor

_TENORS = ("iv30", "iv60", "iv90", "iv120", "iv180", "iv360")


@click.command()
@INDEX_VOL
@click.option(
    "--constituent-vols",
    "constituent_vols",
    type=PATH,
    multiple=True,
    required=True,
    help="Constituent vols: date, symbol, iv table(s), Cboe IV Indexes file(s) or Cboe vol "
    "index histories (VXAPL_History.csv: AAPL iv = points / 100).",
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
@click.option(
    "--compare",
    "compare",
    type=PATH,
    multiple=True,
    help="Cboe index history to print beside ours, with the difference: COR1M_History.csv "
    "(vs implied correlation), DSPX (dispersion), VIXEQ (weighted vol), VIX (index vol).",
)
@click.option(
    "--last", type=AT_LEAST_ONE, help="Show only the last N dates (the percentile uses them all)."
)
@format_option("text", "json", "csv")
@OUT
@handle_errors
@progress_options
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
    compare: tuple[Path, ...],
    last: int | None,
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
      optionsflow corr --index-vol VIX_History.csv --constituent-vols iv.csv --weights w.csv \\
          --compare COR1M_History.csv --last 20

    Cboe's own history files (<SYMBOL>_History.csv, values in index points) are
    read directly and converted to decimals, said on stderr.
    """
    import polars as pl

    from optionsflow.correlation.implied import require_matching_weights
    from optionsflow.ingest import read_vol_table, read_weights
    from optionsflow.ingest.reference.cboe_history import cboe_index, read_cboe_history
    from optionsflow.ingest.reference.cboe_iv import TENOR_DAYS
    from optionsflow.report.cboe_compare import compare_with_cboe
    from optionsflow.report.correlation import correlation_table, render_correlation

    vols, weight_table = read_vol_table(constituent_vols, tenor=tenor), read_weights(weights)
    compared = [(path, cboe_index(path), read_cboe_history(path)) for path in compare]
    firsts: dict[str, Path] = {}
    for path, cboe, _ in compared:
        if cboe.symbol in firsts:
            from optionsflow.errors import ConfigError

            raise ConfigError(
                f"--compare names Cboe {cboe.symbol} twice ({firsts[cboe.symbol]} and {path}): "
                "give each index once",
                column="compare",
            )
        firsts[cboe.symbol] = path
        if cboe.days != TENOR_DAYS[tenor]:
            from optionsflow.errors import ConfigError

            raise ConfigError(
                f"{path}: Cboe {cboe.symbol} is a {cboe.days}-day index; ours is {tenor} "
                "(--tenor): compare like with like",
                column="compare",
            )
    note_conversions([*index_vol, *constituent_vols, *compare])
    names = vols.lazy().filter(pl.col("symbol") != index)
    require_matching_weights(names, weight_table, source=", ".join(map(str, constituent_vols)))
    lazy_table = correlation_table(
        vols,
        weight_table,
        index_vol=read_vol_table(index_vol, tenor=tenor) if index_vol else None,
        index=index,
        top_n=top,
        min_coverage=min_coverage,
        window=window,
        min_history=min_history,
    )
    for path, cboe, history in compared:
        lazy_table = compare_with_cboe(
            lazy_table, history, symbol=cboe.symbol, index=index, source=str(path)
        )
    table = lazy_table.collect()
    if table.height == 0:
        from optionsflow.errors import ValidationError

        files = index_vol or constituent_vols
        raise ValidationError(
            f"no vols of the index {index!r} (give --index, or --index-vol with its vols)",
            source=", ".join(map(str, files)),
            column="symbol",
        )
    if last is not None:
        table = table.tail(last)
    text = render_correlation(table, index=index, window=window, fmt=fmt)
    write_text(text, out, what=f"{table.height:,} rows")
