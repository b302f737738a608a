"""One exception hierarchy for everything optionsflow raises on purpose.

Every error carries where it happened (``source`` file, 1-based data ``row``,
``column``) and renders compiler-style, so a nightly log line points at the
exact cell::

    trades.csv:17: column 'strike': expected a number (got 'N/A')

Examples
--------
>>> err = ParseError("expected a number", source="trades.csv", row=17,
...                  column="strike", value="N/A")
>>> str(err)
"trades.csv:17: column 'strike': expected a number (got 'N/A')"
>>> isinstance(err, OptionsFlowError)
True
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "OptionsFlowError",
    "OptionsFlowWarning",
    "ParseError",
    "SchemaError",
    "SectorCoverageWarning",
    "SourceError",
    "ValidationError",
]


class OptionsFlowError(Exception):
    """Base class of all optionsflow errors.

    Parameters
    ----------
    reason
        What is wrong, in words a user can act on.
    source
        File (or other source name) the problem was found in.
    row
        1-based data row within ``source`` (the header is row 0).
    column
        Column the problem concerns.
    value
        The offending raw value, shown as ``(got '...')``.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.row = row
        self.column = column
        self.value = value
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source if self.row is None else f"{self.source}:{self.row}"
        elif self.row is not None:
            where = f"row {self.row}"
        parts = [where] if where else []
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        parts.append(self.reason if self.value is None else f"{self.reason} (got '{self.value}')")
        return ": ".join(parts)


class SchemaError(OptionsFlowError):
    """A frame lacks a required column or has one of the wrong dtype."""


class ParseError(OptionsFlowError):
    """A value in a vendor file cannot be parsed into the canonical schema."""


class ValidationError(OptionsFlowError):
    """A value parses but breaks a domain rule (size <= 0, price <= 0, ...)."""


class ConfigError(OptionsFlowError):
    """A configuration file or option is invalid."""


class SourceError(OptionsFlowError):
    """An input path does not exist, is unreadable, or is not a known format."""


class OptionsFlowWarning(UserWarning):
    """Base class of the warnings optionsflow issues: the result stands, but read it with care."""


class SectorCoverageWarning(OptionsFlowWarning):
    """A sector map knows few of the traded underlyings: sector views describe little flow."""
