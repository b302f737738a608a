"""The ``optionsflow`` command line: thin click commands over the library.

Every command parses its options, calls one library function and writes the
result. An :class:`~optionsflow.errors.OptionsFlowError` (or a Polars error
while reading data) becomes one line on stderr and exit status 2.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

import click
import polars as pl

from optionsflow.errors import OptionsFlowError

__all__ = ["main"]

P = ParamSpec("P")
R = TypeVar("R")

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(f"optionsflow: error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into a one-line message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except OptionsFlowError as exc:
            _fail(str(exc))
        except pl.exceptions.PolarsError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            _fail(f"{type(exc).__name__}: {first}")
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="optionsflow")
def main() -> None:
    """Options-flow analytics: who is buying what in the options market."""


_path = click.Path(path_type=Path)


@main.command()
@click.argument("paths", nargs=-1, type=_path)
@click.option("--history", type=_path, help="Stored daily partials (Parquet) of earlier days.")
@click.option("--sectors", type=_path, help="CSV/Parquet map: symbol, sector[, theme].")
@click.option("--vols", type=_path, help="Implied vols: date, symbol, iv (index included).")
@click.option("--weights", type=_path, help="Index weights: symbol, weight.")
@click.option("--index", default="SPX", show_default=True, help="Index symbol in --vols.")
@click.option("--lookback", default=36, show_default=True, help="Weeks of the streak window.")
@click.option("--baseline-weeks", default=12, show_default=True, help="Weeks of the skew baseline.")
@click.option("--config", "config_path", type=_path, help="TOML file of thresholds.")
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
    from optionsflow.aggregate.partials import read_partials
    from optionsflow.bundled import SAMPLE_FILES, sample_dir
    from optionsflow.config import load_config
    from optionsflow.ingest import read_sector_map, read_vols, read_weights, scan_canonical
    from optionsflow.report.render import render
    from optionsflow.report.summary import weekly_summary

    if not paths:
        root = sample_dir()
        paths = (root / SAMPLE_FILES.trades,)
        history = history or root / SAMPLE_FILES.history
        vols = vols or root / SAMPLE_FILES.vols
        weights = weights or root / SAMPLE_FILES.weights
    sectors = sectors or sample_dir() / SAMPLE_FILES.sectors
    result = weekly_summary(
        scan_canonical(list(paths)),
        history=read_partials(history) if history else None,
        sectors=read_sector_map(sectors),
        vols=read_vols(vols) if vols else None,
        weights=read_weights(weights) if weights else None,
        index=index,
        lookback=lookback,
        baseline_weeks=baseline_weeks,
        config=load_config(config_path),
    )
    click.echo(render(result, fmt), nl=False)


@main.command()
@click.option("--days", default=5, show_default=True, help="Trading days, ending at --end.")
@click.option("--trades-per-day", default=100_000, show_default=True, help="Prints per day.")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="Last day [default: 2026-11-20].")
@click.option("--seed", type=int, help="Generator seed [default: the sample's].")
@click.option("--out", type=_path, required=True, help="Output directory.")
@click.option("--sample", is_flag=True, help="Rebuild the bundled sample_data layout instead.")
@handle_errors
def synth(
    *,
    days: int,
    trades_per_day: int,
    end: dt.datetime | None,
    seed: int | None,
    out: Path,
    sample: bool,
) -> None:
    """Generate synthetic labelled trades, one Parquet file per day.

    With --sample, write the bundled sample directory (raw week, history
    partials, truth partials, sector map, vols and weights), byte for byte.
    """
    import dataclasses
    import time

    from optionsflow.calendar import last_trading_day_on_or_before, trading_days
    from optionsflow.errors import ConfigError
    from optionsflow.synth import SynthConfig, synth_day
    from optionsflow.synth.sample import SAMPLE_END, SampleSpec, build_sample

    config = SynthConfig() if seed is None else dataclasses.replace(SynthConfig(), seed=seed)
    started = time.perf_counter()
    if sample:
        counts = build_sample(out, SampleSpec(config=config))
        click.echo(f"wrote {len(counts)} files, {sum(counts.values()):,} rows to {out}")
        return
    if days < 1 or trades_per_day < 1:
        raise ConfigError("--days and --trades-per-day must be positive")
    last = last_trading_day_on_or_before(end.date() if end else SAMPLE_END)
    span = trading_days(last.replace(year=last.year - 2), last)[-days:]
    out.mkdir(parents=True, exist_ok=True)
    for day in span:
        synth_day(day, trades_per_day, config=config).write_parquet(
            out / f"trades_{day.isoformat()}.parquet"
        )
    elapsed = time.perf_counter() - started
    total = len(span) * trades_per_day
    click.echo(
        f"wrote {len(span)} days, {total:,} trades to {out} ({total / elapsed:,.0f} trades/s)"
    )
