"""``optionsflow flow | streaks | skew | unusual``: the flow views as tables.

Each reads canonical trade files (classified on the fly) and/or stored daily
partials; with neither, the bundled sample (history plus its raw week).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

import click
import polars as pl

from optionsflow.cli._common import FORMAT_OPTION, OUT_OPTION, PATH, Format, emit, handle_errors

F = TypeVar("F", bound=Callable[..., None])


def _inputs(func: F) -> F:
    """Options shared by the partials-based views."""
    for option in reversed(
        [
            click.argument("paths", nargs=-1, type=PATH),
            click.option("--partials", type=PATH, help="Stored daily partials (Parquet)."),
            click.option("--sectors", type=PATH, help="CSV/Parquet map: symbol, sector[, theme]."),
            click.option("--config", "config_path", type=PATH, help="TOML file of thresholds."),
            click.option("--weeks", default=12, show_default=True, help="Latest weeks to show."),
            FORMAT_OPTION,
            OUT_OPTION,
        ]
    ):
        func = option(func)
    return func


def _partials(
    paths: tuple[Path, ...], partials: Path | None, sectors: Path | None, config_path: Path | None
) -> pl.LazyFrame:
    """Merge stored partials with those of raw trades (their days replace stored ones)."""
    from optionsflow.aggregate.partials import merge_partials, read_partials
    from optionsflow.bundled import SAMPLE_FILES, sample_dir
    from optionsflow.config import load_config
    from optionsflow.ingest import read_sector_map, scan_canonical
    from optionsflow.pipeline import flow_partials
    from optionsflow.schema import DATE

    if not paths and partials is None:
        root = sample_dir()
        paths, partials = (root / SAMPLE_FILES.trades,), root / SAMPLE_FILES.history
    smap = read_sector_map(sectors or sample_dir() / SAMPLE_FILES.sectors)
    parts: list[pl.LazyFrame] = []
    if paths:
        new = flow_partials(
            scan_canonical(list(paths)), sectors=smap, config=load_config(config_path)
        ).collect()
        parts.append(new.lazy())
    if partials is not None:
        stored = read_partials(partials)
        if parts:
            stored = stored.join(parts[0].select(DATE).unique(), on=DATE, how="anti")
        parts.append(stored)
    return merge_partials(*parts)


def _latest(frame: pl.LazyFrame, weeks: int) -> pl.DataFrame:
    last = pl.col("week_start").max()
    return frame.filter(pl.col("week_start") > last - pl.duration(weeks=weeks)).collect()


@click.command()
@_inputs
@click.option(
    "--by",
    default="participant,right,side",
    show_default=True,
    help="Comma-separated partial keys to group by.",
)
@handle_errors
def flow(
    *,
    paths: tuple[Path, ...],
    partials: Path | None,
    sectors: Path | None,
    config_path: Path | None,
    weeks: int,
    fmt: Format,
    out: Path | None,
    by: str,
) -> None:
    """Weekly contracts, premium and delta-adjusted notional."""
    from optionsflow.aggregate.weekly import weekly_flow

    keys = tuple(k.strip() for k in by.split(",") if k.strip())
    view = weekly_flow(_partials(paths, partials, sectors, config_path), by=keys)
    emit(_latest(view, weeks), fmt, out)


@click.command()
@_inputs
@click.option(
    "--participant",
    type=click.Choice(["retail", "institutional"]),
    default="retail",
    show_default=True,
)
@click.option(
    "--measure", type=click.Choice(["contracts", "premium"]), default="contracts", show_default=True
)
@click.option("--lookback", default=36, show_default=True, help="Weeks of the streak window.")
@handle_errors
def streaks(
    *,
    paths: tuple[Path, ...],
    partials: Path | None,
    sectors: Path | None,
    config_path: Path | None,
    weeks: int,
    fmt: Format,
    out: Path | None,
    participant: Literal["retail", "institutional"],
    measure: Literal["contracts", "premium"],
    lookback: int,
) -> None:
    """Weekly net call buying with weeks_positive / current and longest streaks."""
    from optionsflow.aggregate.streaks import call_buying_streak

    view = call_buying_streak(
        _partials(paths, partials, sectors, config_path),
        participant=participant,
        measure=measure,
        lookback=lookback,
    )
    emit(_latest(view, weeks), fmt, out)


@click.command()
@_inputs
@click.option(
    "--participant",
    type=click.Choice(["retail", "institutional"]),
    default="institutional",
    show_default=True,
)
@click.option("--baseline-weeks", default=12, show_default=True, help="Weeks of the baseline.")
@click.option(
    "--group",
    type=click.Choice(["sector", "theme", "underlying"]),
    default="sector",
    show_default=True,
)
@handle_errors
def skew(
    *,
    paths: tuple[Path, ...],
    partials: Path | None,
    sectors: Path | None,
    config_path: Path | None,
    weeks: int,
    fmt: Format,
    out: Path | None,
    participant: Literal["retail", "institutional"],
    baseline_weeks: int,
    group: Literal["sector", "theme", "underlying"],
) -> None:
    """Buy/sell premium skew per sector against the class's trailing baseline."""
    from optionsflow.aggregate.skew import sector_skew

    view = sector_skew(
        _partials(paths, partials, sectors, config_path),
        participant=participant,
        baseline_weeks=baseline_weeks,
        by=group,
    )
    emit(
        _latest(view, weeks).sort(
            "week_start", "vs_baseline", descending=[False, True], nulls_last=True
        ),
        fmt,
        out,
    )


@click.command()
@click.argument("paths", nargs=-1, type=PATH)
@click.option(
    "--open-interest", type=PATH, help="root, expiry, strike, right, open_interest[, date]."
)
@click.option("--config", "config_path", type=PATH, help="TOML file of thresholds.")
@click.option("--top", default=25, show_default=True, help="Rows per day.")
@click.option("--all-days", is_flag=True, help="Every day, not only the latest.")
@FORMAT_OPTION
@OUT_OPTION
@handle_errors
def unusual(
    *,
    paths: tuple[Path, ...],
    open_interest: Path | None,
    config_path: Path | None,
    top: int,
    all_days: bool,
    fmt: Format,
    out: Path | None,
) -> None:
    """Unusual activity per contract and day, ranked, with reasons."""
    from optionsflow.aggregate.unusual import unusual_activity
    from optionsflow.bundled import SAMPLE_FILES, sample_dir
    from optionsflow.config import load_config
    from optionsflow.ingest import scan_canonical, scan_table
    from optionsflow.pipeline import classify_trades

    config = load_config(config_path)
    trades = classify_trades(
        scan_canonical(list(paths) or [sample_dir() / SAMPLE_FILES.trades]), config=config
    )
    oi = scan_table(open_interest) if open_interest else None
    view = unusual_activity(trades, oi, config=config).filter(pl.col("rank") <= top)
    if not all_days:
        view = view.filter(pl.col("date") == pl.col("date").max())
    columns = [
        "date",
        "rank",
        "underlying",
        "root",
        "expiry",
        "strike",
        "right",
        "volume",
        "premium",
        "z_score",
        "volume_oi",
        "sweeps",
        "bought_share",
        "score",
        "reasons",
    ]
    emit(view.select(columns).collect(), fmt, out)
