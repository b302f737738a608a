"""``optionsflow ingest``: vendor trade files to one canonical Parquet file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import click

from optionsflow.cli._common import PATH, handle_errors


def _write(frame: object, target: Path) -> None:
    """Write Parquet atomically: a killed job never leaves a half-written file."""
    partial = target.with_name(f".{target.name}.partial")
    frame.write_parquet(partial)  # type: ignore[attr-defined]
    os.replace(partial, target)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=PATH)
@click.option("--out", "out", type=PATH, required=True, help="Canonical Parquet file to write.")
@click.option(
    "--format", "fmt", default="auto", show_default=True,
    type=click.Choice(["auto", "canonical", "cboe", "polygon", "databento"]),
    help="Input format; auto recognises each file.",
)  # fmt: skip
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
def ingest(
    *,
    paths: tuple[Path, ...],
    out: Path,
    fmt: Literal["auto", "canonical", "cboe", "polygon", "databento"],
    quotes: tuple[Path, ...],
    on_invalid: Literal["raise", "quarantine"],
    rejects: Path | None,
) -> None:
    """Read vendor trade files (Cboe, Polygon, Databento, canonical) into canonical Parquet.

    PATHS are files, directories or globs. Prints the row accounting:
    read = accepted + rejected + cancelled + duplicates.
    """
    from optionsflow.ingest import load_trades

    if rejects is not None:
        on_invalid = "quarantine"
    result = load_trades(
        list(paths), format=fmt, quotes=list(quotes) or None, on_invalid=on_invalid
    )
    _write(result.trades, out)
    line = result.counts.line()
    if on_invalid == "quarantine":
        target = rejects or out.with_name(out.name.removesuffix(".parquet") + ".rejects.parquet")
        _write(result.rejects, target)
        line += f" | rejects -> {target}"
    click.echo(f"{line} | trades -> {out}")
