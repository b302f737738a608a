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
import math
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Self, TypeVar

from optionsflow.errors import ConfigError

__all__ = [
    "ALSO",
    "RANGES",
    "Config",
    "MarketConfig",
    "ParticipantConfig",
    "UnusualConfig",
    "config_reference",
    "config_toml",
    "load_config",
]


class ConfigKeyError(ConfigError):
    """A bad config value, rendered ``config.toml: table.key: reason (got value)``."""

    def _render(self) -> str:
        parts = [self.source] if self.source is not None else []
        if self.column is not None:
            parts.append(self.column)
        parts.append(self.reason if self.value is None else f"{self.reason} (got {self.value!r})")
        return ": ".join(parts)


def _between(low: float, high: float) -> tuple[str, Callable[[float], bool]]:
    return f"must be a finite number in [{low}, {high}]", lambda v: low <= v <= high


def _above(low: float) -> tuple[str, Callable[[float], bool]]:
    return f"must be a finite number > {low}", lambda v: math.isfinite(v) and v > low


def _at_least(low: int) -> tuple[str, Callable[[float], bool]]:
    return (f"must be > {low - 1}" if low == 1 else f"must be >= {low}"), lambda v: v >= low


RANGES: dict[str, tuple[str, Callable[[float], bool]]] = {
    "participant.retail_max_size": _at_least(1),
    "participant.block_size": _at_least(1),
    "participant.block_premium": _above(0),
    "unusual.lookback_days": _at_least(2),
    "unusual.min_volume": _at_least(0),
    "unusual.z_score": _above(0),
    "unusual.volume_oi": _above(0),
    "unusual.sweeps": _at_least(1),
    "unusual.premium": _above(0),
    "unusual.one_sided": ("must be a finite number in (0.5, 1]", lambda v: 0.5 < v <= 1),
    "market.rate": _between(-0.5, 0.5),
    "market.dividend": _between(-0.5, 0.5),
}
"""The range of every config key: the reason shown, and the test a value must pass.

A NaN fails every test; rates and yields are fractions a year, so ``rate = 5``
(meant as 5%) is refused rather than read as 500%.
"""

ALSO: dict[str, str] = {"participant.retail_max_size": "must be < participant.block_size"}
"""Checks between keys, beside :data:`RANGES` (the key named is the one refused)."""


def _check_ranges(section: object, name: str) -> None:
    for field in dataclasses.fields(section):  # type: ignore[arg-type]
        key = f"{name}.{field.name}"
        value = getattr(section, field.name)
        reason, ok = RANGES[key]
        if not ok(value):
            raise ConfigKeyError(reason, column=key, value=value)


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

    def __post_init__(self) -> None:
        """Check every value's range (:class:`~optionsflow.errors.ConfigError` naming the key)."""
        _check_ranges(self, "participant")
        if self.retail_max_size >= self.block_size:
            raise ConfigKeyError(
                f"{ALSO['participant.retail_max_size']} ({self.block_size})",
                column="participant.retail_max_size", value=self.retail_max_size,
            )  # fmt: skip


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

    def __post_init__(self) -> None:
        """Check every value's range (:class:`~optionsflow.errors.ConfigError` naming the key)."""
        _check_ranges(self, "unusual")


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

    def __post_init__(self) -> None:
        """Check every value's range (:class:`~optionsflow.errors.ConfigError` naming the key)."""
        _check_ranges(self, "market")


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
            raise ConfigKeyError("unknown config table", source=source, column=unknown[0])
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
        raise ConfigKeyError("expected a table", source=source, column=name)
    defaults = kind()
    values: dict[str, Any] = {}
    for key, value in table.items():
        if not hasattr(defaults, key):
            raise ConfigKeyError("unknown config key", source=source, column=f"{name}.{key}")
        expected = type(getattr(defaults, key))
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or isinstance(value, bool):
            raise ConfigKeyError(
                f"expected {expected.__name__}", source=source, column=f"{name}.{key}", value=value
            )
        values[key] = expected(value)
    try:
        return kind(**values)
    except ConfigError as exc:  # a range check: say which file
        raise ConfigKeyError(
            exc.reason, source=source, column=exc.column, value=exc.value
        ) from None


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
    except IsADirectoryError as exc:
        raise ConfigError("is a directory, not a config file", source=str(p)) from exc
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"not UTF-8 text (byte 0x{exc.object[exc.start]:02X} on line {line}); "
            "TOML files must be UTF-8",
            source=str(p),
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", source=str(p)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", source=str(p)) from exc
    return Config.from_mapping(data, source=str(p))


def _effects(kind: type[Any]) -> dict[str, str]:
    """Each field's description, from the "Attributes" section of the class docstring."""
    doc = (kind.__doc__ or "").split("Attributes\n    ----------\n", 1)[-1]
    effects: dict[str, list[str]] = {}
    name = ""
    for line in doc.splitlines():
        if line.startswith("        ") and name:
            effects[name].append(line.strip())
        elif line.strip():
            name = line.strip()
            effects[name] = []
    return {key: " ".join(words) for key, words in effects.items()}


def _keys() -> list[tuple[str, str, object, str, str]]:
    """(key, type, default, range, effect) of every config key, in declaration order."""
    rows = []
    for section, kind in _SECTIONS.items():
        effects = _effects(kind)
        for field in dataclasses.fields(kind):
            key = f"{section}.{field.name}"
            default = getattr(kind(), field.name)
            checks = (RANGES[key][0], ALSO.get(key))
            ranges = "; ".join(c.removeprefix("must be ") for c in checks if c)
            rows.append((key, type(default).__name__, default, ranges, effects[field.name]))
    return rows


def config_reference() -> str:
    """Render every config key as a Markdown table: key, type, range, default and effect.

    ``docs/config.md`` holds this table (``optionsflow config --reference``); a
    test fails when the two drift.

    Examples
    --------
    >>> print(config_reference().splitlines()[2])
    | key | type | range | default | effect |
    >>> "| `participant.block_size` | int | > 0 | `100` |" in config_reference()
    True
    """
    lines = [
        "<!-- generated by `optionsflow config --reference` from optionsflow/config.py -->",
        "",
        "| key | type | range | default | effect |",
        "|---|---|---|---|---|",
    ]
    for key, kind, default, ranges, effect in _keys():
        lines.append(f"| `{key}` | {kind} | {ranges} | `{default!r}` | {effect} |")
    return "\n".join(lines) + "\n"


def config_toml(config: Config, *, source: str | None = None) -> str:
    """Write ``config`` as TOML that :func:`load_config` reads back to the same values.

    Each key has its effect as a comment above it.

    Examples
    --------
    >>> text = config_toml(Config.from_mapping({"unusual": {"sweeps": 5}}))
    >>> print(text.splitlines()[3])
    retail_max_size = 99
    >>> Config.from_mapping(tomllib.loads(text)).unusual.sweeps
    5
    """
    origin = f"defaults, overridden by {source}" if source else "defaults"
    lines = [f"# optionsflow config in effect ({origin})"]
    section = ""
    for key, _, _, ranges, effect in _keys():
        table, name = key.split(".")
        if table != section:
            lines += ["", f"[{table}]"] if section else [f"[{table}]"]
            section = table
        value = getattr(getattr(config, table), name)
        lines.append(f"# {effect} ({ranges})")
        lines.append(f"{name} = {value!r}")
    return "\n".join(lines) + "\n"
