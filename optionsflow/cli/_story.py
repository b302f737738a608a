"""The inputs of the weekly story (``summary`` and ``report``): one option set, one reader.

Examples
--------
>>> import click
>>> @click.command()
... @story_options
... def cmd(*, story: StoryRequest) -> None:
...     click.echo(f"{story.index} {story.lookback}")
>>> from click.testing import CliRunner
>>> print(CliRunner().invoke(cmd, ["--lookback", "12"]).output, end="")
SPX 12
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from optionsflow.cli._common import as_of_date, note_conversions, partials, sources, steps
from optionsflow.cli._options import (
    AS_OF,
    BASELINE_WEEKS,
    CONFIG,
    INDEX,
    INDEX_VOL,
    LOOKBACK,
    PATH,
    SECTORS,
    STORE,
    WEEK,
    paths_argument,
    weights_option,
)

if TYPE_CHECKING:
    import polars as pl

__all__ = ["StoryInputs", "StoryRequest", "story_inputs", "story_options"]


@dataclasses.dataclass(frozen=True)
class StoryInputs:
    """Everything the weekly story reads, opened lazily."""

    partials: pl.LazyFrame
    vols: pl.LazyFrame | None
    weights: pl.LazyFrame | None
    index_prices: pl.LazyFrame | None
    sectors: pl.LazyFrame | None
    unusual: pl.LazyFrame | None

    def story(self, request: StoryRequest) -> dict[str, Any]:
        """Give the keywords of ``weekly_summary`` and ``build_report`` beside the partials."""
        return {
            "vols": self.vols, "weights": self.weights, "index_prices": self.index_prices,
            "sectors": self.sectors, "unusual": self.unusual, "index": request.index,
            "lookback": request.lookback, "baseline_weeks": request.baseline_weeks,
        }  # fmt: skip


def story_inputs(
    paths: tuple[Path, ...],
    *,
    store: Path | None,
    sectors: Path | None,
    vols: tuple[Path, ...],
    weights: Path | None,
    index_prices: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
    index_vol: tuple[Path, ...] = (),
    index: str = "SPX",
) -> StoryInputs:
    """Open the inputs of ``summary`` and ``report``; the bundled sample's when no data is given.

    The trade files (PATHS, or the sample's week) are classified once: their
    partials and the unusual-activity table (stored partials hold no
    per-contract volume) both come from the same labelled trades. Vols are
    read as ``corr`` reads them (tables, Cboe IV Indexes, Cboe's
    ``<SYMBOL>_History.csv`` in points, said on stderr); ``index_vol`` replaces
    the index's rows of ``vols``.
    """
    from optionsflow.aggregate.unusual import unusual_activity
    from optionsflow.bundled import SAMPLE_FILES, sample_dir
    from optionsflow.ingest.reference.tables import read_weights
    from optionsflow.schema import trade_date

    src = sources(paths, store=store, sectors=sectors, config_path=config_path)
    if src.bundled:
        root = sample_dir()
        vols = vols or (root / SAMPLE_FILES.vols,)
        weights = weights or root / SAMPLE_FILES.weights
        index_prices = index_prices or root / SAMPLE_FILES.index_prices
    labelled = None
    unusual = None
    if src.paths:  # the trade readers load only when there are trades to read
        from optionsflow.batch.pipeline import classify_trades
        from optionsflow.ingest.scan import scan_trades

        with steps().step("classify trades") as step:
            labelled = classify_trades(scan_trades(list(src.paths)), config=src.config).collect()
            step.rows = labelled.height
        trades = labelled.lazy()
        if as_of is not None:
            trades = trades.filter(trade_date() <= as_of)
        unusual = unusual_activity(trades, config=src.config)
    if index_vol and not vols:
        from optionsflow.errors import ConfigError

        raise ConfigError("--index-vol needs --vols (the constituents' vols)", column="vols")
    note_conversions([*vols, *index_vol])
    with steps().step("daily partials") as step:
        daily = partials(src, as_of=as_of, labelled=labelled, greeks=False).collect()
        step.rows = daily.height
    return StoryInputs(
        partials=daily.lazy(),
        vols=_vols(vols, index_vol, index) if vols else None,
        weights=read_weights(weights).lazy() if weights else None,
        index_prices=_closes(index_prices, index) if index_prices else None,
        sectors=src.smap,
        unusual=unusual,
    )


def _vols(vols: tuple[Path, ...], index_vol: tuple[Path, ...], index: str) -> pl.LazyFrame:
    """``date, symbol, iv``: the index's rows (symbol ``index``) from ``index_vol`` when given."""
    import polars as pl

    from optionsflow.ingest import read_vol_table
    from optionsflow.report.correlation import index_and_names
    from optionsflow.schema import SYMBOL

    own = read_vol_table(index_vol) if index_vol else None
    index_rows, names = index_and_names(read_vol_table(vols), index, index_vol=own)
    return pl.concat([names, index_rows.with_columns(pl.lit(index).alias(SYMBOL))], how="diagonal")


def _closes(path: Path, index: str) -> pl.LazyFrame:
    """Read index closes and check, naming the file, that they hold ``index``'s if named."""
    from optionsflow.errors import ValidationError
    from optionsflow.ingest import read_index_prices
    from optionsflow.report.positioning import index_closes

    closes = read_index_prices(path)
    try:
        index_closes(closes, index)
    except ValidationError as exc:
        raise ValidationError(exc.reason, source=str(path), column=exc.column) from exc
    return closes


@dataclasses.dataclass(frozen=True)
class StoryRequest:
    """What ``summary`` and ``report`` were asked for: inputs, and how to tell the story."""

    paths: tuple[Path, ...]
    store: Path | None
    sectors: Path | None
    vols: tuple[Path, ...]
    weights: Path | None
    index_prices: Path | None
    config_path: Path | None
    week: str | None
    as_of: dt.datetime | None
    index: str
    lookback: int
    baseline_weeks: int
    index_vol: tuple[Path, ...] = ()

    def inputs(self) -> StoryInputs:
        """Open the inputs (:func:`story_inputs`); a bad ``--week`` is a ConfigError here."""
        return story_inputs(
            self.paths, store=self.store, sectors=self.sectors, vols=self.vols,
            weights=self.weights, index_prices=self.index_prices,
            config_path=self.config_path, as_of=as_of_date(self.week, self.as_of),
            index_vol=self.index_vol, index=self.index,
        )  # fmt: skip


def story_options(func: Callable[..., None]) -> Callable[..., None]:
    """Add the story's options; the command receives them as one ``story`` request."""

    @functools.wraps(func)
    def wrapper(
        *, paths: tuple[Path, ...], store: Path | None, sectors: Path | None,
        vols: tuple[Path, ...], index_vol: tuple[Path, ...],
        weights: Path | None, index_prices: Path | None, index: str, lookback: int,
        baseline_weeks: int, week: str | None, as_of: dt.datetime | None,
        config_path: Path | None, **rest: Any,  # noqa: ANN401
    ) -> None:  # fmt: skip
        story = StoryRequest(  # ``index`` comes normalised by the option (^spx -> SPX)
            paths, store, sectors, vols, weights, index_prices, config_path,
            week, as_of, index, lookback, baseline_weeks, index_vol,
        )  # fmt: skip
        func(story=story, **rest)

    options = [
        paths_argument(), STORE, SECTORS,
        click.option(
            "--vols", type=PATH, multiple=True,
            help="Implied vols (index included): date, symbol, iv table(s), Cboe IV Indexes or "
            "vol index histories (VXAPL_History.csv, points / 100), as corr --constituent-vols.",
        ),
        INDEX_VOL,
        weights_option(required=False),
        click.option("--index-prices", type=PATH, help="Index closes: date, close[, symbol]."),
        INDEX, LOOKBACK, BASELINE_WEEKS, WEEK, AS_OF, CONFIG,
    ]  # fmt: skip
    command: Callable[..., None] = wrapper
    for option in reversed(options):
        command = option(command)
    return command
