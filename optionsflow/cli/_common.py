"""Shared pieces of the command line: error handling and option types."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import click
import polars as pl

from optionsflow.errors import OptionsFlowError

__all__ = ["EXIT_BAD_INPUT", "PATH", "handle_errors"]

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
