"""Errors raised from inside a Polars query, rendered from their fields only.

Polars' in-memory engine appends expression context to the arguments of an
exception raised in a user function; these subclasses render ``str(err)`` from
``source``, ``row``, ``column``, ``reason`` and ``value`` alone, so the message
stays ``file:row: column 'x': reason (got 'value')`` wherever it is raised.

Examples
--------
>>> err = LocatedParseError("expected a number", source="t.csv", row=3, column="price", value="x")
>>> err.args = (err.args[0] + " + context",)
>>> str(err), isinstance(err, ParseError)
("t.csv:3: column 'price': expected a number (got 'x')", True)
"""

from __future__ import annotations

from optionsflow.errors import ParseError, ValidationError

__all__ = ["LocatedParseError", "LocatedValidationError"]


class LocatedParseError(ParseError):
    """A :class:`~optionsflow.errors.ParseError` whose message ignores added arguments."""

    def __str__(self) -> str:
        return self._render()


class LocatedValidationError(ValidationError):
    """A :class:`~optionsflow.errors.ValidationError` whose message ignores added arguments."""

    def __str__(self) -> str:
        return self._render()
