"""``optionsflow batch``: daily vendor files into a store of daily partials (docs/batch.md)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from optionsflow.cli._common import handle_errors, progress_level
from optionsflow.cli._options import CONFIG, PATH, SECTORS, paths_argument


@click.command()
@paths_argument(required=True)
@click.option(
    "--store", type=PATH, required=True,
    help="Store directory of daily partials (created): DIR/partials/date=YYYY-MM-DD/...",
)  # fmt: skip
@SECTORS
@CONFIG
@click.option("--force", is_flag=True, help="Write every day, even those up to date.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@click.option("--dry-run", is_flag=True, help="List each day's action and reason; write nothing.")
@click.option("--keep-trades", is_flag=True, help="Also store each day's labelled trades.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True,
    help="Local worker processes, one day per task.",
)  # fmt: skip
@click.option(
    "--dask", "dask", metavar="ADDRESS",
    help="Run on Dask: 'local' starts a 2-worker LocalCluster, else a scheduler address.",
)  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="No progress and no per-day lines.")
@click.option(
    "-v", "--verbose", is_flag=True, help="A line per day (rows, time) even on a terminal."
)
@handle_errors
def batch(
    *,
    paths: tuple[Path, ...],
    store: Path,
    sectors: Path | None,
    config_path: Path | None,
    force: bool,
    date_from: dt.datetime | None,
    date_to: dt.datetime | None,
    dry_run: bool,
    keep_trades: bool,
    workers: int,
    dask: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Bring the store of daily partials up to date with daily trade files.

    PATHS are files, directories or globs of daily files (the trading day is the
    date in each name). Days already stored with the same inputs, config, sector
    map and code are skipped. Exit status 2 when a day failed. A killed run
    leaves no partial day; running it again finishes the job (docs/batch.md).

    Examples:

    \b
      optionsflow batch /data/opra/ --store /data/store --sectors sectors.csv
      optionsflow batch /data/opra/ --store /data/store --dry-run
      optionsflow batch /data/opra/2026-11-*.csv.gz --store /data/store --workers 2
      optionsflow batch /data/opra/ --store /data/store --dask tcp://scheduler:8786 -q
    """
    from optionsflow.batch import run_batch
    from optionsflow.batch.progress import ProgressOption, ProgressReporter

    level = progress_level(verbose=verbose, quiet=quiet)
    progress: ProgressOption = "quiet" if level == "quiet" or dry_run else "auto"
    if level == "verbose" and progress == "auto":
        progress = ProgressReporter(mode="lines")
    report = run_batch(
        list(paths),
        store=store,
        sectors=sectors,
        config=config_path,
        force=force,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        dry_run=dry_run,
        keep_trades=keep_trades,
        workers=workers,
        dask=dask,
        progress=progress,
    )
    lines = report.lines()
    if quiet:  # the failed days and the summary only
        lines = [line for line in lines if line.startswith(("failed ", "ignored "))] + lines[-1:]
    elif not dry_run:  # progress showed the days that ran; the summary counts those up to date
        quiet_days = {
            str(d.day) for d in report.days if d.result is not None or d.reason == "up to date"
        }
        lines = [line for line in lines if line[:10] not in quiet_days]
    for line in lines:
        click.echo(line)
    sys.exit(report.exit_code)
