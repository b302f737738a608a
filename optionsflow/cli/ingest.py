"""``optionsflow ingest``: vendor trade files to one canonical Parquet file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from optionsflow.cli._common import check_targets, handle_errors, progress_options, steps
from optionsflow.cli._options import INPUT_FORMAT, OUT_FILE, PATH, paths_argument

if TYPE_CHECKING:
    from optionsflow.ingest import FormatOption


@click.command()
@paths_argument(required=True)
@OUT_FILE
@INPUT_FORMAT
@click.option(
    "--quotes", "quotes", type=PATH, multiple=True,
    help="Polygon quotes_v1 (or Databento cbbo) file joined as of each trade; repeatable.",
)  # fmt: skip
@click.option(
    "--on-invalid", "on_invalid", default="raise", show_default=True,
    type=click.Choice(["raise", "quarantine"]),
    help="Stop at the first bad row (exit 2), or set bad rows aside and go on.",
)  # fmt: skip
@click.option(
    "--rejects", "rejects", type=PATH,
    help="Parquet file for the rejects (implies --on-invalid quarantine; "
    "default in quarantine mode: OUT with suffix .rejects.parquet).",
)  # fmt: skip
@handle_errors
@progress_options
def ingest(
    *,
    paths: tuple[Path, ...],
    out: Path,
    input_format: FormatOption,
    quotes: tuple[Path, ...],
    on_invalid: Literal["raise", "quarantine"],
    rejects: Path | None,
) -> None:
    """Read vendor trade files (Cboe, Polygon, Databento, canonical) into canonical Parquet.

    PATHS are files, directories or globs. Prints the row accounting:
    read = accepted + rejected + cancelled + duplicates. Files are written
    atomically (whole or not at all).

    Examples:

    \b
      optionsflow ingest UnderlyingOptionsTrades_2026-03-06.csv --out day.parquet
      optionsflow ingest raw/ --out week.parquet --rejects rejects.parquet
      optionsflow ingest day.csv.gz --input-format polygon --quotes quotes.csv.gz --out day.parquet
    """
    from optionsflow.batch.store import write_atomic
    from optionsflow.ingest import load_trades

    if rejects is not None:
        on_invalid = "quarantine"
    default_rejects = out.with_name(out.name.removesuffix(".parquet") + ".rejects.parquet")
    check_targets(out, (rejects or default_rejects) if on_invalid == "quarantine" else None)
    with steps().step("read") as step:
        result = load_trades(
            list(paths), format=input_format, quotes=list(quotes) or None, on_invalid=on_invalid
        )
        step.rows = result.counts.read
    with steps().step("write") as step:
        write_atomic(result.trades, out)
        step.rows = result.counts.accepted
    line = result.counts.line()
    if on_invalid == "quarantine":
        target = rejects or default_rejects
        with steps().step("write rejects") as step:
            write_atomic(result.rejects, target)
            step.rows = result.rejects.height
        line += f" | rejects -> {target}"
    click.echo(f"{line} | trades -> {out}")
