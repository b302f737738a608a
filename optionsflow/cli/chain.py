"""``optionsflow chain``: option-chain snapshots to one canonical Parquet file with IVs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from optionsflow.cli._common import handle_errors, progress_options, sink_atomic
from optionsflow.cli._options import (
    CHAIN_FORMAT,
    ON_INVALID,
    OUT_FILE,
    paths_argument,
    rate_options,
)

if TYPE_CHECKING:
    from optionsflow.ingest import ChainFormat


@click.command()
@paths_argument(required=True)
@OUT_FILE
@CHAIN_FORMAT
@ON_INVALID
@rate_options
@click.option(
    "--forward", type=click.Choice(["parity", "vendor"]), default="parity", show_default=True,
    help="Forward of each option's Black-76 vol: put-call parity, or the file's own.",
)  # fmt: skip
@handle_errors
@progress_options
def chain(
    *,
    paths: tuple[Path, ...],
    out: Path,
    input_format: ChainFormat,
    on_invalid: Literal["raise", "quarantine"],
    rate: float,
    rates: Path | None,
    forward: Literal["parity", "vendor"],
) -> None:
    """Read option chains (Cboe quotedata.csv, DataShop Quote Intervals, EOD Summary) with IVs.

    Writes the canonical chain with minutes to settlement, rate, forward, iv,
    iv_status, delta, gamma, vega and theta (Black-76). Prints the accounting:
    read = accepted + rejected options; in quarantine mode the rejects go to
    OUT with suffix .rejects.parquet.

    Examples:

    \b
      optionsflow chain spx_quotedata.csv --out chain.parquet --rate 0.001
      optionsflow chain UnderlyingOptionsIntervals_calcs.csv --out c.parquet --forward vendor
      optionsflow chain UnderlyingOptionsEODCalcs_2026-03-06.zip --out eod.parquet
      optionsflow chain a.csv b.csv --out chains.parquet --rates curve.csv --on-invalid quarantine
    """
    from optionsflow.batch.store import write_atomic
    from optionsflow.ingest import load_chain
    from optionsflow.ingest.reference.tables import read_rate_curve
    from optionsflow.volatility import chain_implied_vols

    result = load_chain(list(paths), format=input_format, on_invalid=on_invalid)
    curve = read_rate_curve(rates) if rates is not None else rate
    sink_atomic(chain_implied_vols(result.chain, rate=curve, forward=forward), out)
    c = result.counts
    line = f"read {c.read:,} = accepted {c.accepted:,} + rejected {c.rejected:,}"
    if on_invalid == "quarantine":
        target = out.with_name(out.name.removesuffix(".parquet") + ".rejects.parquet")
        write_atomic(result.rejects, target)
        line += f" | rejects -> {target}"
    click.echo(f"{line} | chain -> {out}")
