"""Shared machinery of the commands: error handling, inputs, and writing the output.

The options themselves live in :mod:`optionsflow.cli._options`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Literal, ParamSpec, TypeVar

import click

from optionsflow.errors import OptionsFlowError

if TYPE_CHECKING:
    import polars as pl

    from optionsflow.batch.progress import Steps
    from optionsflow.config import Config

__all__ = [
    "EXIT_BAD_INPUT",
    "Format",
    "Sources",
    "as_of_date",
    "check_targets",
    "emit",
    "handle_errors",
    "load_partials",
    "note",
    "note_conversions",
    "partials",
    "progress_options",
    "sink_atomic",
    "sources",
    "steps",
    "warn",
    "write_text",
]

P = ParamSpec("P")
R = TypeVar("R")

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(f"optionsflow: error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


_STEPS: ContextVar[Steps | None] = ContextVar("optionsflow_steps", default=None)
"""The running command's progress reporter (set by :func:`progress_options`)."""


def steps() -> Steps:
    """Return the running command's progress reporter (``with steps().step("read"): ...``)."""
    from optionsflow.batch.progress import Steps

    return _STEPS.get() or Steps()


def _quiet() -> bool:
    current = _STEPS.get()
    return current is not None and current.level == "quiet"


def progress_level(*, verbose: bool, quiet: bool) -> Literal["quiet", "verbose", "normal"]:
    """Read ``-v`` / ``-q`` (refusing both) as a progress level."""
    from optionsflow.errors import ConfigError

    if verbose and quiet:
        raise ConfigError("give -v or -q, not both", column="quiet")
    return "quiet" if quiet else "verbose" if verbose else "normal"


def progress_options(func: Callable[..., R]) -> Callable[..., R]:
    """Add ``-v`` / ``-q`` to a command; its steps report through :func:`steps`."""
    from optionsflow.cli._options import QUIET, VERBOSE

    @functools.wraps(func)
    def wrapper(*args: object, verbose: bool, quiet: bool, **kwargs: object) -> R:
        from optionsflow.batch.progress import Steps

        token = _STEPS.set(Steps(level=progress_level(verbose=verbose, quiet=quiet)))
        try:
            return func(*args, **kwargs)
        finally:
            _STEPS.reset(token)

    return VERBOSE(QUIET(wrapper))


def note(message: str) -> None:
    """Tell the user something on one line of stderr (stdout stays the output); not with -q."""
    if not _quiet():
        click.echo(f"optionsflow: note: {message}", err=True)


def note_conversions(paths: tuple[Path, ...] | list[Path]) -> None:
    """Say on stderr how each Cboe index history among ``paths`` is converted (points / 100)."""
    from optionsflow.ingest.reference.cboe_history import history_note

    for path in paths:
        text = history_note(path)
        if text is not None:
            note(text)


def warn(message: str) -> None:
    """Tell the user on one line of stderr that a result needs care (it still stands)."""
    click.echo(f"optionsflow: warning: {message}", err=True)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into a one-line message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        import polars as pl

        try:
            return func(*args, **kwargs)
        except OptionsFlowError as exc:
            _fail(str(exc))
        except pl.exceptions.PolarsError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            _fail(f"{type(exc).__name__}: {first}")
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


@dataclasses.dataclass(frozen=True)
class Sources:
    """The command's inputs resolved once: the bundled sample's when no data is given."""

    paths: tuple[Path, ...]
    store: Path | None
    sectors: Path | None
    smap: pl.LazyFrame | None
    config: Config
    bundled: bool


def sources(
    paths: tuple[Path, ...], *, store: Path | None, sectors: Path | None, config_path: Path | None
) -> Sources:
    from optionsflow.bundled import SAMPLE_FILES, sample_dir
    from optionsflow.config import load_config
    from optionsflow.ingest import read_sector_map

    bundled = not paths and store is None
    if bundled:
        root = sample_dir()
        paths, store = (root / SAMPLE_FILES.trades,), root / SAMPLE_FILES.history
        sectors = sectors or root / SAMPLE_FILES.sectors
    smap = read_sector_map(sectors) if sectors is not None else None
    return Sources(paths, store, sectors, smap, load_config(config_path), bundled)


def partials(
    src: Sources,
    *,
    as_of: dt.date | None,
    labelled: pl.DataFrame | None = None,
    greeks: bool = True,
) -> pl.LazyFrame:
    from optionsflow.batch.store import partials_of
    from optionsflow.schema import DATE, UNMAPPED

    partials = partials_of(
        src.paths, store=src.store, sectors=src.smap, config=src.config, labelled=labelled,
        greeks=greeks,
    )  # fmt: skip
    if as_of is not None:
        import polars as pl

        partials = partials.filter(pl.col(DATE) <= as_of)
    own = src.paths and not src.bundled
    if own and src.smap is not None:
        partials = _warn_sector_coverage(partials, str(src.sectors))
    if own and src.smap is None:  # after the inputs opened: a bad path stays a one-line error
        note(
            f"no --sectors: the trades' sectors read '{UNMAPPED}'; "
            "sector views need --sectors FILE (symbol, sector[, theme])"
        )
    return partials


def load_partials(
    paths: tuple[Path, ...],
    *,
    store: Path | None,
    sectors: Path | None,
    config_path: Path | None,
    as_of: dt.date | None = None,
) -> pl.LazyFrame:
    """Daily partials of the command's inputs: PATHS and/or ``--store``, else the bundled sample.

    With ``as_of`` only the days up to it are kept, so the latest week is the
    one containing ``as_of`` (``--week`` / ``--as-of``).

    The bundled sample (its raw week over its stored history) is read only when
    neither PATHS nor a store is given, with its own sector map unless
    ``--sectors`` names another. The user's own trades get the ``--sectors`` map
    or none (their sectors read ``Unmapped``, said once on stderr); stored
    partials keep the sectors they were stored with.
    """
    src = sources(paths, store=store, sectors=sectors, config_path=config_path)
    return partials(src, as_of=as_of)


def _warn_sector_coverage(partials: pl.LazyFrame, source: str) -> pl.LazyFrame:
    """Collect ``partials`` once, say on stderr when the sector map covers little of them."""
    import warnings

    from optionsflow.aggregate.share import check_sector_coverage
    from optionsflow.errors import SectorCoverageWarning

    collected = partials.collect().lazy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SectorCoverageWarning)
        check_sector_coverage(collected, source=source)
    for item in caught:
        if issubclass(item.category, SectorCoverageWarning):
            warn(str(item.message))
        else:  # pragma: no cover - only the one warning is expected
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return collected


def _check_target(target: Path) -> None:
    from optionsflow.errors import SourceError

    if target.is_dir():
        raise SourceError("is a directory, not a file", source=str(target))
    if not target.parent.is_dir():
        raise SourceError("directory does not exist", source=str(target.parent))


def check_targets(*targets: Path | None) -> None:
    """Refuse, before any work, output paths that cannot be written (a directory, no parent)."""
    for target in targets:
        if target is not None:
            _check_target(target)


def _replace_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Have ``write`` fill a new hidden file beside ``target``, then rename it into place.

    The file is created by ``write`` (so the umask gives it the usual permissions),
    under a random name; a killed run leaves at most that hidden ``.*.tmp`` file.
    """
    _check_target(target)
    tmp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(text: str, out: Path | None, *, what: str) -> None:
    """Print ``text``, or write it to ``out`` atomically and say so on stderr."""
    if out is None:
        click.echo(text, nl=False)
        return

    def write(tmp: Path) -> None:
        with tmp.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    _replace_atomic(out, write)
    if not _quiet():
        click.echo(f"wrote {what} to {out}", err=True)


def sink_atomic(frame: pl.LazyFrame, out: Path) -> None:
    """Stream ``frame`` to the Parquet file ``out`` atomically: a killed run leaves no half file."""
    _replace_atomic(out, frame.sink_parquet)


Format = Literal["text", "json", "csv", "parquet"]


def emit(frame: pl.DataFrame, fmt: Format, out: Path | None) -> None:
    """Write a result table as text, JSON (records), CSV or Parquet, to stdout or ``out``."""
    import polars as pl

    from optionsflow.batch.store import write_atomic
    from optionsflow.errors import ConfigError

    rows = f"{frame.height:,} rows"
    if fmt == "parquet":
        if out is None:
            raise ConfigError("--format parquet needs --out FILE", column="out")
        write_atomic(frame, out)
        if not _quiet():
            click.echo(f"wrote {rows} to {out}", err=True)
        return
    if fmt == "json":
        text = frame.write_json()
    elif fmt == "csv":
        flat = frame.with_columns(
            pl.col(c).cast(pl.List(pl.String)).list.join("; ")
            for c, t in frame.schema.items()
            if isinstance(t, pl.List)
        )
        text = flat.write_csv()
    else:
        with pl.Config(tbl_rows=200, tbl_cols=-1, tbl_width_chars=240, fmt_str_lengths=120,
                       tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):  # fmt: skip
            text = str(frame) + "\n"
    write_text(text, out, what=rows)


def as_of_date(week: str | None, as_of: dt.datetime | None) -> dt.date | None:
    """Return the last day to read: the Sunday of ``--week``, or ``--as-of`` (not both)."""
    from optionsflow.calendar import iso_week_bounds
    from optionsflow.errors import ConfigError

    if week is not None and as_of is not None:
        raise ConfigError("give --week or --as-of, not both", column="week")
    if week is not None:
        return iso_week_bounds(week)[1]
    return None if as_of is None else as_of.date()
