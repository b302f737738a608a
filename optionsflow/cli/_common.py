"""Shared pieces of the command line: error handling and option types."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

import click
import polars as pl

from optionsflow.errors import OptionsFlowError

__all__ = [
    "EXIT_BAD_INPUT",
    "FORMAT_OPTION",
    "OUT_OPTION",
    "PATH",
    "Format",
    "emit",
    "handle_errors",
]

P = ParamSpec("P")
R = TypeVar("R")

EXIT_BAD_INPUT = 2
PATH = click.Path(path_type=Path)
"""A path argument, passed on as :class:`pathlib.Path` (existence is the library's to check)."""


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


Format = Literal["text", "json", "csv", "parquet"]
FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "parquet"]),
    default="text",
    show_default=True,
    help="Output format (parquet needs --out).",
)
OUT_OPTION = click.option("--out", type=PATH, help="Write to this file instead of stdout.")


def emit(frame: pl.DataFrame, fmt: Format, out: Path | None) -> None:
    """Write a result table as text, JSON (records), CSV or Parquet."""
    from optionsflow.errors import ConfigError

    if fmt == "parquet":
        if out is None:
            raise ConfigError("--format parquet needs --out FILE", column="out")
        frame.write_parquet(out)
        click.echo(f"wrote {frame.height:,} rows to {out}", err=True)
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
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text)
        click.echo(f"wrote {frame.height:,} rows to {out}", err=True)
