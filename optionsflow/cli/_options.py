"""The command line's one vocabulary: every option shared by two or more commands, defined once.

A flag means the same thing in every command that has it:

- ``PATHS``: trade files, directories or globs (any format ``scan_trades`` reads);
- ``--store``: stored daily partials (a Parquet file, a directory or a glob of
  partial files), combined with the PATHS' own partials, the files winning a day
  both have (:func:`optionsflow.batch.store.partials_of`);
- ``--sectors``: a ``symbol, sector[, theme]`` map applied to the PATHS' trades;
- ``--config``: a TOML file of thresholds;
- ``--format``: the OUTPUT format (``--input-format`` is the input's, ``ingest`` only);
- ``--out``: write the output to this file instead of stdout, atomically;
- ``--chain``: option-chain files (any layout ``read_chain`` recognises), repeatable;
- ``--top``: keep the N first (heaviest, highest ranked) rows or names;
- ``--weeks``, ``--lookback``, ``--baseline-weeks``, ``--participant``,
  ``--index``, ``--weights``: as in the library functions of the same names;
- ``--index-vol``: the index's own vols, replacing its rows of the other vols;
- ``-v`` / ``-q``: each step's rows and time on stderr / nothing on stderr but errors
  and warnings (a progress line is drawn only when stderr is a terminal).

Commands import this module at start-up, so it imports only click.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from click.decorators import FC

__all__ = [
    "AS_OF",
    "AT_LEAST_ONE",
    "BASELINE_WEEKS",
    "CHAIN_FILES",
    "CHAIN_FORMAT",
    "CONFIG",
    "INDEX",
    "INDEX_VOL",
    "INPUT_FORMAT",
    "LOOKBACK",
    "ON_INVALID",
    "OUT",
    "OUT_DIR",
    "OUT_FILE",
    "PATH",
    "QUIET",
    "SECTORS",
    "STORE",
    "VERBOSE",
    "WEEK",
    "WEEKS",
    "format_option",
    "participant_option",
    "paths_argument",
    "rate_options",
    "top_option",
    "weights_option",
]

PATH = click.Path(path_type=Path)
"""A path, passed on as :class:`pathlib.Path` (existence is the library's to check)."""


def paths_argument(*, required: bool = False) -> Callable[[FC], FC]:
    """Take PATHS: trade files, directories or globs (any number, at least one if ``required``)."""
    return click.argument("paths", nargs=-1, required=required, type=PATH)


STORE = click.option(
    "--store",
    type=PATH,
    help="Stored daily partials: a Parquet file, a directory or a glob of partial files. "
    "Combined with PATHS; a day in both is taken from PATHS.",
)
SECTORS = click.option(
    "--sectors",
    type=PATH,
    help="CSV/Parquet map symbol, sector[, theme] for the PATHS' trades. Without it their "
    "sectors read 'Unmapped' (the bundled sample uses its own map).",
)
WEEK = click.option(
    "--week", metavar="YYYY-Www", help="Report this ISO week (default: the latest in the data)."
)
AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Read the data up to this day: its week is the one reported.",
)
CONFIG = click.option("--config", "config_path", type=PATH, help="TOML file of thresholds.")
VERBOSE = click.option(
    "-v", "--verbose", is_flag=True, help="Say each step's rows and time on stderr."
)
QUIET = click.option(
    "-q", "--quiet", is_flag=True,
    help="Nothing on stderr but errors and warnings: no progress, no notes.",
)  # fmt: skip


def format_option(*choices: str) -> Callable[[FC], FC]:
    """``--format``: the output format, one of ``choices`` (the first is the default)."""
    needs_out = " (parquet needs --out)" if "parquet" in choices else ""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=f"Output format{needs_out}.",
    )


INPUT_FORMAT = click.option(
    "--input-format",
    "input_format",
    type=click.Choice(["auto", "canonical", "cboe", "polygon", "databento"]),
    default="auto",
    show_default=True,
    help="Input format; auto recognises each file.",
)
OUT = click.option(
    "--out",
    type=PATH,
    help="Write the output to this file instead of stdout (atomically: whole or not at all).",
)
OUT_FILE = click.option(
    "--out", type=PATH, required=True, help="Parquet file to write (atomically)."
)
OUT_DIR = click.option("--out", type=PATH, required=True, help="Output directory.")
OUT_HTML = click.option("--out", type=PATH, required=True, help="HTML file to write (atomically).")
PNG_DIR = click.option(
    "--png-dir", type=PATH, help="Also write each chart as PNG in this directory."
)


def top_option(*, default: int | None, help_text: str) -> Callable[[FC], FC]:
    """``--top N``: keep the first N rows or names; ``help_text`` says which."""
    return click.option(
        "--top",
        type=click.IntRange(min=1),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


AT_LEAST_ONE = click.IntRange(min=1)
"""A count (weeks, names, rows): 0 or less is refused by click, one line, exit 2."""

WEEKS = click.option(
    "--weeks", type=AT_LEAST_ONE, default=12, show_default=True, help="Latest weeks to show."
)
LOOKBACK = click.option(
    "--lookback",
    type=AT_LEAST_ONE,
    default=36,
    show_default=True,
    help="Weeks of the streak window.",
)
BASELINE_WEEKS = click.option(
    "--baseline-weeks",
    type=AT_LEAST_ONE,
    default=12,
    show_default=True,
    help="Weeks of the skew baseline.",
)


def participant_option(*, default: str) -> Callable[[FC], FC]:
    """``--participant``: the class of traders a view is about."""
    return click.option(
        "--participant",
        type=click.Choice(["retail", "institutional"]),
        default=default,
        show_default=True,
        help="Class of traders.",
    )


def _index_symbol(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from optionsflow.ingest.reference.tables import index_symbol

    return index_symbol(value)


INDEX = click.option(
    "--index",
    default="SPX",
    show_default=True,
    callback=_index_symbol,
    help="Index symbol in the vol files (^spx means SPX).",
)


INDEX_VOL = click.option(
    "--index-vol",
    "index_vol",
    type=PATH,
    multiple=True,
    help="Index vols: date[, symbol], iv table, Cboe IV Indexes file(s) or Cboe's "
    "VIX_History.csv (points / 100). Default: the --index rows of the vols.",
)


def weights_option(*, required: bool) -> Callable[[FC], FC]:
    """``--weights``: index weights, ``symbol, weight[, date]``."""
    return click.option(
        "--weights",
        type=PATH,
        required=required,
        help="Index weights: symbol, weight[, date] (dated weights apply per date).",
    )


CHAIN_FILES = click.option(
    "--chain", "chains", type=PATH, multiple=True,
    help="Option-chain file (Cboe quotedata, DataShop Quote Intervals or EOD Summary; "
    "repeatable): its volume and open interest per day.",
)  # fmt: skip
CHAIN_FORMAT = click.option(
    "--input-format",
    "input_format",
    type=click.Choice(["auto", "cboe_quotedata", "cboe_quote_intervals", "cboe_eod_summary"]),
    default="auto",
    show_default=True,
    help="Chain layout; auto recognises each file.",
)
ON_INVALID = click.option(
    "--on-invalid", "on_invalid", default="raise", show_default=True,
    type=click.Choice(["raise", "quarantine"]),
    help="Stop at the first bad row (exit 2), or set bad rows aside and go on.",
)  # fmt: skip


def rate_options(func: FC) -> FC:
    """``--rate R`` (flat, decimal) or ``--rates FILE`` (a ``tenor_days, rate`` table)."""
    func = click.option(
        "--rates", "rates", type=PATH,
        help="CSV/Parquet tenor_days, rate table (decimals), linear in tenor; overrides --rate.",
    )(func)  # fmt: skip
    return click.option(
        "--rate", "rate", type=float, default=0.0, show_default=True,
        help="Flat continuously compounded risk-free rate, decimal (0.01 = 1%).",
    )(func)  # fmt: skip
