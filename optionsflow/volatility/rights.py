"""Call or put: the ``is_call`` argument of every pricing and implied-vol function, checked.

``is_call`` takes booleans (True = call) or the canonical rights ``"C"`` / ``"P"``:
a scalar, a sequence, a NumPy array, a Polars Series (Boolean, String, Categorical
or the canonical ``right`` Enum). Anything else - another letter, a number, a
missing value - raises :class:`~optionsflow.errors.ConfigError` naming the
argument, rather than being taken as true (``bool("P")`` is True: a put priced
as a call).

Examples
--------
>>> call_flags(["C", "P"]).tolist(), call_flags(False).tolist()
([True, False], False)
>>> call_flags("X")
Traceback (most recent call last):
...
optionsflow.volatility.rights.RightError: is_call: expected booleans or 'C' / 'P' (got 'X')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import numpy as np
import polars as pl
from numpy.typing import ArrayLike, NDArray

from optionsflow.errors import ConfigError

__all__ = ["CallLike", "RightError", "call_flags", "call_series"]

CallLike = ArrayLike | pl.Series | Sequence[bool | str]
"""What ``is_call`` takes: booleans or ``"C"`` / ``"P"``, scalar or many."""

_EXPECTED = "expected booleans or 'C' / 'P'"


class RightError(ConfigError):
    """A bad ``is_call``; rendered from its fields only (it may be raised inside a query).

    Polars re-creates an exception raised in a user function from its message with
    the expression appended; the first line is the message, so it is parsed back.
    """

    def __init__(
        self, reason: str, *, column: str | None = None, value: object = None, **where: object
    ) -> None:
        if column is None and ": " in reason:  # re-created by Polars from its message
            column, _, reason = reason.split("\n", 1)[0].partition(": ")
        super().__init__(reason, column=column, value=value, **where)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self._render()

    def _render(self) -> str:
        head = f"{self.column}: " if self.column else ""
        return head + (self.reason if self.value is None else f"{self.reason} (got {self.value!r})")


def call_flags(value: CallLike, *, name: str = "is_call") -> NDArray[np.bool_]:
    """``is_call`` as a boolean array (True = call), or :class:`RightError`.

    Parameters
    ----------
    value
        Booleans, ``"C"`` / ``"P"``, as a scalar, sequence, array or Series.
    name
        The argument named in the error.
    """
    if isinstance(value, pl.Series):
        flags, null = call_series(value, name=name)
        if null.any():
            _raise(name, None)
        return flags
    # a list keeps its elements' types ([True, "P"] would otherwise read as two strings)
    array = np.asarray(value, dtype=object if isinstance(value, list | tuple) else None)
    if array.dtype == np.bool_:
        return array
    if array.dtype.kind in "US":
        is_c = array == "C"
        ok = is_c | (array == "P")
    elif array.dtype.kind == "O":  # booleans and rights mixed, or anything
        flat = [_flag(v) for v in array.ravel()]
        ok = np.array([f is not None for f in flat], dtype=bool).reshape(array.shape)
        is_c = np.array([bool(f) for f in flat], dtype=bool).reshape(array.shape)
    else:
        _raise(name, _scalar(array))
    if not bool(np.all(ok)):
        _raise(name, _scalar(array[~ok]))
    return np.asarray(is_c, dtype=bool)


def _raise(name: str, value: object) -> NoReturn:
    if value is None:
        raise RightError(f"{_EXPECTED}, not a missing value", column=name)
    raise RightError(_EXPECTED, column=name, value=value)


def _flag(value: object) -> bool | None:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    return {"C": True, "P": False}.get(value) if isinstance(value, str) else None


def _scalar(array: NDArray[np.generic]) -> object:
    first = array.ravel()[0] if array.size else None
    return first.item() if isinstance(first, np.generic) else first


def call_series(
    series: pl.Series, *, name: str = "is_call"
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Read a Boolean or C/P text Series as flags (True = call) and a null mask.

    Raises
    ------
    RightError
        For another dtype, or a text value other than ``"C"`` / ``"P"``.
    """
    null = series.is_null().to_numpy()
    dtype = series.dtype
    if dtype == pl.Boolean:
        return series.fill_null(value=False).to_numpy(), null
    if dtype == pl.String or isinstance(dtype, pl.Enum | pl.Categorical):
        text = series.cast(pl.String)
        bad = text.is_not_null() & ~text.is_in(["C", "P"])
        if bad.any():
            raise RightError(_EXPECTED, column=name, value=text.filter(bad)[0])
        return (text == "C").fill_null(value=False).to_numpy(), null
    if dtype == pl.Null:
        return np.zeros(len(series), dtype=bool), null
    raise RightError(f"{_EXPECTED}, not {dtype}", column=name)
