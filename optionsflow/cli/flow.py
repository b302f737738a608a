"""``optionsflow flow | streaks | skew | unusual``: the flow views as tables.

Each reads canonical trade files (classified on the fly) and/or stored daily
partials; with neither, the bundled sample (history plus its raw week).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import click
import polars as pl

from optionsflow.cli._common import FORMAT_OPTION, OUT_OPTION, PATH, Format, emit, handle_errors


@dataclasses.dataclass(frozen=True)
class ViewInputs:
    """Inputs and output settings shared by the partials-based views."""

    paths: tuple[Path, ...]
    partials: Path | None
    sectors: Path | None
    config_path: Path | None
    weeks: int
    fmt: Format
    out: Path | None

    def load(self) -> pl.LazyFrame:
        """Return the partials of the trade files, replacing those days in the stored ones."""
        from optionsflow.batch.store import partials_of
        from optionsflow.bundled import SAMPLE_FILES, sample_dir
        from optionsflow.config import load_config
        from optionsflow.ingest import read_sector_map

        paths, partials = self.paths, self.partials
        if not paths and partials is None:
            root = sample_dir()
            paths, partials = (root / SAMPLE_FILES.trades,), root / SAMPLE_FILES.history
        smap = read_sector_map(self.sectors or sample_dir() / SAMPLE_FILES.sectors)
        return partials_of(
            paths, store=partials, sectors=smap, config=load_config(self.config_path)
        )

    def show(self, view: pl.LazyFrame) -> None:
        """Emit the latest ``weeks`` weeks of a weekly view."""
        last = pl.col("week_start").max()
        latest = view.filter(pl.col("week_start") > last - pl.duration(weeks=self.weeks))
        emit(latest.collect(), self.fmt, self.out)


def _inputs(func: Callable[..., None]) -> Callable[..., None]:
    """Add the shared options; the command receives them as one ``inputs`` object."""

    @functools.wraps(func)
    def wrapper(
        *, paths: tuple[Path, ...], partials: Path | None, sectors: Path | None,
        config_path: Path | None, weeks: int, fmt: Format, out: Path | None, **rest: Any,  # noqa: ANN401
    ) -> None:  # fmt: skip
        inputs = ViewInputs(paths, partials, sectors, config_path, weeks, fmt, out)
        func(inputs=inputs, **rest)

    command: Callable[..., None] = wrapper
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
        command = option(command)
    return command


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
    inputs: ViewInputs,
    by: str,
) -> None:
    """Weekly contracts, premium and delta-adjusted notional."""
    from optionsflow.aggregate.weekly import weekly_flow

    keys = tuple(k.strip() for k in by.split(",") if k.strip())
    inputs.show(weekly_flow(inputs.load(), by=keys))


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
    inputs: ViewInputs,
    participant: Literal["retail", "institutional"],
    measure: Literal["contracts", "premium"],
    lookback: int,
) -> None:
    """Weekly net call buying with weeks_positive / current and longest streaks."""
    from optionsflow.aggregate.streaks import call_buying_streak

    inputs.show(
        call_buying_streak(
            inputs.load(), participant=participant, measure=measure, lookback=lookback
        )
    )


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
    inputs: ViewInputs,
    participant: Literal["retail", "institutional"],
    baseline_weeks: int,
    group: Literal["sector", "theme", "underlying"],
) -> None:
    """Buy/sell premium skew per sector against the class's trailing baseline."""
    from optionsflow.aggregate.skew import sector_skew

    view = sector_skew(
        inputs.load(), participant=participant, baseline_weeks=baseline_weeks, by=group
    )
    inputs.show(view.sort("week_start", "vs_baseline", descending=[False, True], nulls_last=True))


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
    from optionsflow.batch.pipeline import classify_trades
    from optionsflow.bundled import SAMPLE_FILES, sample_dir
    from optionsflow.config import load_config
    from optionsflow.ingest import scan_table, scan_trades

    config = load_config(config_path)
    trades = classify_trades(
        scan_trades(list(paths) or [sample_dir() / SAMPLE_FILES.trades]), config=config
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
