"""``optionsflow vix``: the Cboe VIX white-paper index of each chain snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from optionsflow.cli._common import emit, handle_errors, progress_options
from optionsflow.cli._options import (
    CHAIN_FORMAT,
    OUT,
    format_option,
    paths_argument,
    rate_options,
)

if TYPE_CHECKING:
    from optionsflow.ingest import ChainFormat


@click.command()
@paths_argument(required=True)
@CHAIN_FORMAT
@rate_options
@click.option(
    "--tenor-days", "tenor_days", type=float, default=30.0, show_default=True,
    help="Constant maturity in calendar days.",
)  # fmt: skip
@click.option(
    "--terms", type=click.Choice(["cboe", "bracket"]), default="cboe", show_default=True,
    help="cboe: Friday expiries 23-37 days out (SPX AM on third Fridays); "
    "bracket: the expiries around the tenor.",
)  # fmt: skip
@format_option("text", "json", "csv", "parquet")
@OUT
@handle_errors
@progress_options
def vix(
    *,
    paths: tuple[Path, ...],
    input_format: ChainFormat,
    rate: float,
    rates: Path | None,
    tenor_days: float,
    terms: Literal["cboe", "bracket"],
    fmt: Literal["text", "json", "csv", "parquet"],
    out: Path | None,
) -> None:
    """Print the VIX-style index per (date, underlying) of option-chain files.

    The Cboe VIX white-paper calculation (model-free variance of OTM mids,
    parity forwards, minutes to settlement), with both expiries used, their
    forwards, K0 and strike counts.

    Examples:

    \b
      optionsflow vix spx_quotedata.csv --rate 0.001
      optionsflow vix chains/*.csv --rates treasury.csv --format csv --out vix.csv
      optionsflow vix ndx_quotedata.csv --tenor-days 9 --terms bracket
    """
    from optionsflow.ingest import read_chain
    from optionsflow.ingest.reference.tables import read_rate_curve
    from optionsflow.volatility import variance_index

    curve = read_rate_curve(rates) if rates is not None else rate
    chain = read_chain(list(paths), format=input_format)
    table = variance_index(chain, tenor_days=tenor_days, rate=curve, terms=terms).collect()
    emit(table, fmt, out)
