"""Thresholds and settings, with defaults in code and overrides from TOML.

A config file holds one table per concern; every key is optional::

    [participant]
    retail_max_size = 99        # largest print (contracts) still considered retail
    block_size = 100            # prints of at least this many contracts are blocks
    block_premium = 100000.0    # prints of at least this premium (USD) are blocks

    [unusual]
    lookback_days = 20          # trading days of the volume baseline
    min_volume = 100            # contracts a contract-day needs before it can be unusual
    z_score = 3.0               # volume z-score that is unusual
    volume_oi = 1.0             # volume / open interest above this is unusual
    sweeps = 3                  # sweep prints in a day that are unusual
    premium = 1000000.0         # premium (USD) in a day that is unusual
    one_sided = 0.8             # bought (or sold) share of signed volume that is unusual

    [market]
    rate = 0.0                  # risk-free rate for the greeks of delta-adjusted notional
    dividend = 0.0              # dividend yield for the same

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

__all__ = ["Config", "MarketConfig", "ParticipantConfig", "UnusualConfig", "load_config"]


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
class UnusualConfig:
    """Thresholds of :func:`~optionsflow.aggregate.unusual.unusual_activity`.

    Attributes
    ----------
    lookback_days
        Trading days of the per-contract volume baseline.
    min_volume
        Contracts a contract-day needs before any flag is raised.
    z_score
        Volume z-score against the baseline that is unusual.
    volume_oi
        Volume over open interest above this is unusual.
    sweeps
        Sweep prints (ISO) in a contract-day that are unusual.
    premium
        Premium (USD) in a contract-day that is unusual.
    one_sided
        Share of signed volume on one side (bought or sold) that is unusual.
    """

    lookback_days: int = 20
    min_volume: int = 100
    z_score: float = 3.0
    volume_oi: float = 1.0
    sweeps: int = 3
    premium: float = 1_000_000.0
    one_sided: float = 0.8


@dataclasses.dataclass(frozen=True, slots=True)
class MarketConfig:
    """Market inputs of the greeks computed for delta-adjusted notional.

    Attributes
    ----------
    rate
        Continuously compounded risk-free rate.
    dividend
        Continuous dividend yield applied to every underlying.
    """

    rate: float = 0.0
    dividend: float = 0.0


@dataclasses.dataclass(frozen=True, slots=True)
class Config:
    """All optionsflow settings."""

    participant: ParticipantConfig = dataclasses.field(default_factory=ParticipantConfig)
    unusual: UnusualConfig = dataclasses.field(default_factory=UnusualConfig)
    market: MarketConfig = dataclasses.field(default_factory=MarketConfig)

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

_SECTIONS: dict[str, type[Any]] = {
    "participant": ParticipantConfig,
    "unusual": UnusualConfig,
    "market": MarketConfig,
}


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

    Examples
    --------
    Keys left out keep their defaults:

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "optionsflow.toml"
    ...     _ = path.write_text("participant = { retail_max_size = 49, block_size = 50 }")
    ...     cfg = load_config(path)
    >>> cfg.participant.retail_max_size, cfg.participant.block_size, cfg.unusual.min_volume
    (49, 50, 100)
    >>> load_config(None) == Config()
    True
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
