"""Thresholds and settings, with defaults in code and overrides from TOML.

A config file holds one table per concern; every key is optional::

    [participant]
    retail_max_size = 99        # largest print (contracts) still considered retail
    block_size = 100            # prints of at least this many contracts are blocks
    block_premium = 100000.0    # prints of at least this premium (USD) are blocks

Examples
--------
>>> cfg = Config()
>>> cfg.participant.block_size
100
>>> Config.from_mapping({"participant": {"block_size": 250}}).participant.block_size
250
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self, TypeVar

from optionsflow.errors import ConfigError

__all__ = ["Config", "ParticipantConfig", "load_config"]


@dataclasses.dataclass(frozen=True, slots=True)
class ParticipantConfig:
    """Cut-offs of the retail / institutional rules.

    Size buckets follow Cboe Open-Close: small < 100, medium 100-199,
    large > 199 contracts.

    Attributes
    ----------
    retail_max_size
        Largest print, in contracts, that can still be retail.
    block_size
        Prints of at least this many contracts are institutional blocks.
    block_premium
        Prints of at least this premium (price x size x multiplier, USD) are
        institutional blocks whatever their size.
    """

    retail_max_size: int = 99
    block_size: int = 100
    block_premium: float = 100_000.0


@dataclasses.dataclass(frozen=True, slots=True)
class Config:
    """All optionsflow settings."""

    participant: ParticipantConfig = dataclasses.field(default_factory=ParticipantConfig)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str | None = None) -> Self:
        """Build a config from nested mappings (as parsed from TOML).

        Unknown tables or keys and values of the wrong type raise
        :class:`~optionsflow.errors.ConfigError` naming the key.
        """
        sections = {
            name: _section(kind, data.get(name, {}), name, source)
            for name, kind in _SECTIONS.items()
        }
        unknown = sorted(set(data) - set(sections))
        if unknown:
            raise ConfigError("unknown config table", source=source, column=unknown[0])
        return cls(**sections)


T = TypeVar("T")

_SECTIONS: dict[str, type[Any]] = {"participant": ParticipantConfig}


def _section(kind: type[T], table: object, name: str, source: str | None) -> T:
    """Build one config section, checking keys and value types."""
    if not isinstance(table, Mapping):
        raise ConfigError("expected a table", source=source, column=name)
    defaults = kind()
    values: dict[str, Any] = {}
    for key, value in table.items():
        if not hasattr(defaults, key):
            raise ConfigError("unknown config key", source=source, column=f"{name}.{key}")
        expected = type(getattr(defaults, key))
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or isinstance(value, bool):
            raise ConfigError(
                f"expected {expected.__name__}", source=source, column=f"{name}.{key}", value=value
            )
        values[key] = expected(value)
    return kind(**values)


def load_config(path: str | Path | None) -> Config:
    """Read a TOML config file; ``None`` gives the defaults.

    Raises
    ------
    ConfigError
        When the file is missing, is not valid TOML, or has unknown keys.
    """
    if path is None:
        return Config()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("config file not found", source=str(p)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", source=str(p)) from exc
    return Config.from_mapping(data, source=str(p))
