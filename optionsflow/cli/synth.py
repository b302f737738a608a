"""``optionsflow synth``: labelled synthetic trades and the bundled sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from optionsflow.cli._common import handle_errors, progress_options, steps
from optionsflow.cli._options import OUT_DIR


@click.command()
@click.option("--days", default=5, show_default=True, help="Trading days, ending at --end.")
@click.option("--trades-per-day", default=100_000, show_default=True, help="Prints per day.")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="Last day [default: 2026-11-20].")
@click.option("--seed", type=int, help="Generator seed [default: the sample's].")
@OUT_DIR
@click.option("--sample", is_flag=True, help="Rebuild the bundled sample_data layout instead.")
@handle_errors
@progress_options
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

    Examples:

    \b
      optionsflow synth --days 5 --trades-per-day 1000000 --out /tmp/synthetic
      optionsflow synth --sample --out sample_data
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
        with steps().step("synth sample") as step:

            def on_day(rows: int, days: int) -> None:
                step.total = days
                step.advance(rows=rows)

            counts = build_sample(out, SampleSpec(config=config), on_day=on_day)
        click.echo(f"wrote {len(counts)} files, {sum(counts.values()):,} rows to {out}")
        return
    if days < 1 or trades_per_day < 1:
        raise ConfigError("--days and --trades-per-day must be positive")
    last = last_trading_day_on_or_before(end.date() if end else SAMPLE_END)
    span = trading_days(last.replace(year=last.year - 2), last)[-days:]
    out.mkdir(parents=True, exist_ok=True)
    with steps().step("synth", total=len(span)) as step:
        for day in span:
            synth_day(day, trades_per_day, config=config).write_parquet(
                out / f"trades_{day.isoformat()}.parquet"
            )
            step.advance(rows=trades_per_day)
    elapsed = time.perf_counter() - started
    total = len(span) * trades_per_day
    click.echo(
        f"wrote {len(span)} days, {total:,} trades to {out} ({total / elapsed:,.0f} trades/s)"
    )
