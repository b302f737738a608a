"""``optionsflow config``: the config in effect as TOML, or the reference of every key."""

from __future__ import annotations

from pathlib import Path

import click

from optionsflow.cli._common import handle_errors, write_text
from optionsflow.cli._options import CONFIG, OUT


@click.command()
@click.option(
    "--show", is_flag=True,
    help="Print the config in effect (defaults, overridden by --config) as TOML [default].",
)  # fmt: skip
@click.option(
    "--reference", is_flag=True,
    help="Print every key's type, range, default and effect as Markdown (docs/config.md).",
)  # fmt: skip
@CONFIG
@OUT
@handle_errors
def config(*, show: bool, reference: bool, config_path: Path | None, out: Path | None) -> None:
    """Print the config in effect as TOML, or the reference table of every key.

    The TOML printed is a valid config file: `--out my.toml`, edit, then pass it
    back with `--config my.toml` to any command.

    Examples:

    \b
      optionsflow config --show
      optionsflow config --show --config thresholds.toml
      optionsflow config --reference --out docs/config-table.md
    """
    from optionsflow.errors import ConfigError

    if show and reference:
        raise ConfigError("give --show or --reference, not both", column="reference")
    from optionsflow.config import config_reference, config_toml, load_config

    if reference:
        write_text(config_reference(), out, what="the config reference")
        return
    text = config_toml(load_config(config_path), source=str(config_path) if config_path else None)
    write_text(text, out, what="the config")
