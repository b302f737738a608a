"""``optionsflow classify``: sign trades and label participants, file to file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from optionsflow.cli._common import handle_errors, progress_options, sink_atomic, steps
from optionsflow.cli._options import CONFIG, OUT_FILE, paths_argument


def _layers(spec: str) -> tuple[tuple[str, str], ...]:
    """Parse a named stack (``gsu_large``) or ``rule:source`` pairs separated by commas."""
    from optionsflow.classify.side import STACKS
    from optionsflow.errors import ConfigError

    if spec.lower() in STACKS:
        return STACKS[spec.lower()]
    layers = []
    for part in spec.split(","):
        rule, _, source = part.strip().partition(":")
        if not source:
            names = ", ".join(sorted(STACKS))
            raise ConfigError(f"expected a stack ({names}) or rule:source pairs", value=spec)
        layers.append((rule, source))
    return tuple(layers)


@click.command()
@paths_argument(required=True)
@OUT_FILE
@click.option(
    "--layers",
    default="gsu_large",
    show_default=True,
    help="Named stack (lee_ready, gsu_small, gsu_large) or rule:source,... pairs.",
)
@click.option(
    "--fill",
    type=click.Choice(["none", "random", "const"]),
    default="none",
    show_default=True,
    help="What unsigned prints get.",
)
@click.option(
    "--price-compare",
    type=click.Choice(["tick", "float"]),
    default="tick",
    show_default=True,
    help="Compare prices in 1e-4 ticks or raw floats.",
)
@click.option("--sign-complex", is_flag=True, help="Also sign multi-leg and stock-tied prints.")
@CONFIG
@click.option("--evaluate", is_flag=True, help="Print accuracy against a true_side column.")
@handle_errors
@progress_options
def classify(
    *,
    paths: tuple[Path, ...],
    out: Path,
    layers: str,
    fill: Literal["none", "random", "const"],
    price_compare: Literal["tick", "float"],
    sign_complex: bool,
    config_path: Path | None,
    evaluate: bool,
) -> None:
    """Add side, side_rule, participant and participant_reason to trade files.

    PATHS are trade files, directories or globs; --out is the Parquet file written.

    Examples:

    \b
      optionsflow classify trades/ --out signed.parquet
      optionsflow classify day.parquet --out signed.parquet --layers lee_ready --evaluate
      optionsflow classify day.parquet --out s.parquet --layers quote:best,tick:all --fill random
    """
    import polars as pl

    from optionsflow import schema as s
    from optionsflow.batch.pipeline import classify_trades
    from optionsflow.config import load_config
    from optionsflow.errors import SchemaError
    from optionsflow.evaluate.signing import evaluate_signing
    from optionsflow.ingest import scan_trades

    trades = scan_trades(list(paths))
    if evaluate and s.TRUE_SIDE not in trades.collect_schema():
        source = ", ".join(str(p) for p in paths)
        raise SchemaError("needed by --evaluate but missing", source=source, column=s.TRUE_SIDE)
    result = classify_trades(
        trades,
        layers=_layers(layers),  # type: ignore[arg-type]
        config=load_config(config_path),
        fill=fill,
        price_compare=price_compare,
        sign_complex=sign_complex,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with steps().step("classify") as step:
        sink_atomic(result, out)
        counts = (
            pl.scan_parquet(out)
            .select(pl.len().alias("n"), pl.col(s.SIDE).is_not_null().sum().alias("signed"))
            .collect()
            .row(0)
        )
        step.rows = counts[0]
    click.echo(f"wrote {counts[0]:,} trades to {out}; {counts[1]:,} signed")
    if evaluate:
        with steps().step("evaluate") as step:
            report = evaluate_signing(pl.scan_parquet(out))
            step.rows = report.n
        click.echo(
            f"accuracy {report.accuracy:.2%} of signed, {report.accuracy_all:.2%} of all; "
            f"coverage {report.coverage:.2%} (n={report.n:,}, complex prints excluded)"
        )
        for row in report.by_rule.iter_rows(named=True):
            accuracy = "n/a" if row["accuracy"] is None else f"{row['accuracy']:.2%}"
            click.echo(f"  {row['side_rule'] or 'unsigned'}: n={row['n']:,} accuracy={accuracy}")
