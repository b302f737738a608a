"""``optionsflow flow | streaks | skew | unusual``: the flow views as tables.

``flow``, ``streaks`` and ``skew`` read trade files (classified on the fly)
and/or stored daily partials (``--store``); with neither, the bundled sample
(history plus its raw week). ``unusual`` reads trade files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from optionsflow.cli._common import (
    Format,
    as_of_date,
    emit,
    handle_errors,
    load_partials,
    note,
    progress_options,
)
from optionsflow.cli._options import (
    AS_OF,
    BASELINE_WEEKS,
    CHAIN_FILES,
    CONFIG,
    LOOKBACK,
    ON_INVALID,
    OUT,
    PATH,
    SECTORS,
    STORE,
    WEEK,
    WEEKS,
    format_option,
    participant_option,
    paths_argument,
    top_option,
)

if TYPE_CHECKING:
    import polars as pl

TABLE_FORMAT = format_option("text", "json", "csv", "parquet")


@dataclasses.dataclass(frozen=True)
class ViewInputs:
    """Inputs and output settings shared by the partials-based views."""

    paths: tuple[Path, ...]
    store: Path | None
    sectors: Path | None
    config_path: Path | None
    weeks: int
    fmt: Format
    out: Path | None
    week: str | None = None
    as_of: dt.datetime | None = None

    def load(self) -> pl.LazyFrame:
        """Return the partials of the trade files, replacing those days in the stored ones."""
        return load_partials(
            self.paths, store=self.store, sectors=self.sectors, config_path=self.config_path,
            as_of=as_of_date(self.week, self.as_of),
        )  # fmt: skip

    def show(self, view: pl.LazyFrame) -> None:
        """Emit the latest ``weeks`` weeks of a weekly view."""
        import polars as pl

        last = pl.col("week_start").max()
        latest = view.filter(pl.col("week_start") > last - pl.duration(weeks=self.weeks))
        emit(latest.collect(), self.fmt, self.out)


def _inputs(func: Callable[..., None]) -> Callable[..., None]:
    """Add the shared options; the command receives them as one ``inputs`` object."""

    @functools.wraps(func)
    def wrapper(
        *, paths: tuple[Path, ...], store: Path | None, sectors: Path | None,
        config_path: Path | None, weeks: int, fmt: Format, out: Path | None, week: str | None,
        as_of: dt.datetime | None, **rest: Any,  # noqa: ANN401
    ) -> None:  # fmt: skip
        inputs = ViewInputs(paths, store, sectors, config_path, weeks, fmt, out, week, as_of)
        func(inputs=inputs, **rest)

    command: Callable[..., None] = wrapper
    for option in reversed(
        [paths_argument(), STORE, SECTORS, CONFIG, WEEKS, WEEK, AS_OF, TABLE_FORMAT, OUT]
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
@progress_options
def flow(
    *,
    inputs: ViewInputs,
    by: str,
) -> None:
    """Weekly contracts, premium and delta-adjusted notional.

    Examples:

    \b
      optionsflow flow --weeks 4
      optionsflow flow trades/ --store partials/ --by participant,sector --format csv
      optionsflow flow --store partials/ --format parquet --out flow.parquet
    """
    from optionsflow.aggregate.weekly import weekly_flow

    keys = tuple(k.strip() for k in by.split(",") if k.strip())
    inputs.show(weekly_flow(inputs.load(), by=keys))


@click.command()
@_inputs
@participant_option(default="retail")
@click.option(
    "--measure", type=click.Choice(["contracts", "premium"]), default="contracts", show_default=True
)
@LOOKBACK
@handle_errors
@progress_options
def streaks(
    *,
    inputs: ViewInputs,
    participant: Literal["retail", "institutional"],
    measure: Literal["contracts", "premium"],
    lookback: int,
) -> None:
    """Weekly net call buying with weeks_positive / current and longest streaks.

    Examples:

    \b
      optionsflow streaks --weeks 1
      optionsflow streaks --store partials/ --participant institutional --measure premium
    """
    from optionsflow.aggregate.streaks import call_buying_streak

    inputs.show(
        call_buying_streak(
            inputs.load(), participant=participant, measure=measure, lookback=lookback
        )
    )


@click.command()
@_inputs
@participant_option(default="institutional")
@BASELINE_WEEKS
@click.option(
    "--group",
    type=click.Choice(["sector", "theme", "underlying"]),
    default="sector",
    show_default=True,
)
@handle_errors
@progress_options
def skew(
    *,
    inputs: ViewInputs,
    participant: Literal["retail", "institutional"],
    baseline_weeks: int,
    group: Literal["sector", "theme", "underlying"],
) -> None:
    """Buy/sell premium skew per sector against the class's trailing baseline.

    Examples:

    \b
      optionsflow skew --weeks 1
      optionsflow skew trades/ --store partials/ --sectors sectors.csv --group theme
    """
    from optionsflow.aggregate.skew import sector_skew

    view = sector_skew(
        inputs.load(), participant=participant, baseline_weeks=baseline_weeks, by=group
    )
    inputs.show(view.sort("week_start", "vs_baseline", descending=[False, True], nulls_last=True))


@click.command()
@paths_argument()
@click.option(
    "--open-interest", type=PATH, help="root, expiry, strike, right, open_interest[, date]."
)
@CHAIN_FILES
@ON_INVALID
@CONFIG
@top_option(default=25, help_text="Highest-ranked rows per day to show.")
@click.option("--all-days", is_flag=True, help="Every day, not only the latest.")
@TABLE_FORMAT
@OUT
@handle_errors
@progress_options
def unusual(
    *,
    paths: tuple[Path, ...],
    open_interest: Path | None,
    chains: tuple[Path, ...],
    on_invalid: Literal["raise", "quarantine"],
    config_path: Path | None,
    top: int,
    all_days: bool,
    fmt: Format,
    out: Path | None,
) -> None:
    """Unusual activity per contract and day, ranked, with reasons.

    PATHS are trade files, directories or globs (default: the bundled sample's week,
    unless --chain is given). With --chain, the chains' open interest is used (not
    with --open-interest); with --chain and no PATHS, the chains' own volume too:
    volume/OI from the chain files alone.

    Examples:

    \b
      optionsflow unusual --top 10
      optionsflow unusual trades/ --open-interest oi.csv --all-days --format csv --out unusual.csv
      optionsflow unusual --chain UnderlyingOptionsEODCalcs_2026-03-06.csv --top 20
      optionsflow unusual trades/ --chain spx_quotedata.csv
      optionsflow unusual --chain intervals.csv --on-invalid quarantine
    """
    import polars as pl

    from optionsflow.aggregate.unusual import unusual_activity
    from optionsflow.batch.pipeline import classify_trades
    from optionsflow.bundled import SAMPLE_FILES, sample_dir
    from optionsflow.config import load_config
    from optionsflow.errors import ConfigError
    from optionsflow.ingest import load_chain, scan_table, scan_trades

    if chains and open_interest is not None:
        raise ConfigError("give --open-interest or --chain, not both", column="chain")
    config = load_config(config_path)
    trades = None
    if paths or not chains:
        files = list(paths) or [sample_dir() / SAMPLE_FILES.trades]
        trades = classify_trades(scan_trades(files), config=config)
    oi = scan_table(open_interest) if open_interest else None
    chain = None
    if chains:  # quarantine: the chain's bad rows are left out, and counted on stderr
        loaded = load_chain(list(chains), on_invalid=on_invalid)
        if loaded.counts.rejected:
            note(f"--chain: {loaded.counts.rejected:,} of {loaded.counts.read:,} rows rejected")
        chain = loaded.chain.lazy()
    view = unusual_activity(trades, oi, chain=chain, config=config)
    view = view.filter(pl.col("rank") <= top)
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
