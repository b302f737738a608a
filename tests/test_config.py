import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from optionsflow.cli import main
from optionsflow.config import (
    RANGES,
    Config,
    MarketConfig,
    ParticipantConfig,
    config_reference,
    load_config,
)
from optionsflow.errors import ConfigError


def test_defaults() -> None:
    cfg = load_config(None)
    assert cfg == Config()
    assert (cfg.participant.retail_max_size, cfg.participant.block_size) == (99, 100)
    assert cfg.participant.block_premium == 100_000.0


def test_toml_overrides(tmp_path: Path) -> None:
    path = tmp_path / "of.toml"
    path.write_text("[participant]\nblock_size = 250\nblock_premium = 50000\n")
    cfg = load_config(path)
    assert cfg.participant.block_size == 250
    assert cfg.participant.block_premium == 50_000.0
    assert isinstance(cfg.participant.block_premium, float)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("[participant]\nblock_sise = 3\n", "participant.block_sise"),
        ("[participants]\n", "participants"),
        ("[participant]\nblock_size = 'big'\n", "participant.block_size"),
        ("[participant]\nblock_size = true\n", "participant.block_size"),
        ("participant = 3\n", "participant"),
    ],
)
def test_bad_keys_are_named(tmp_path: Path, text: str, column: str) -> None:
    path = tmp_path / "of.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.column == column
    assert err.value.source == str(path)


def test_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[participant\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[participant]\nblock_size = 0\n", "participant.block_size: must be > 0 (got 0)"),
        ("[participant]\nretail_max_size = -5\n",
         "participant.retail_max_size: must be > 0 (got -5)"),
        ("[participant]\nblock_premium = -1\n",
         "participant.block_premium: must be a finite number > 0 (got -1.0)"),
        ("[participant]\nblock_premium = nan\n",
         "participant.block_premium: must be a finite number > 0 (got nan)"),
        ("[participant]\nretail_max_size = 100\n",
         "participant.retail_max_size: must be < participant.block_size (100) (got 100)"),
        ("[participant]\nretail_max_size = 120\nblock_size = 120\n",
         "participant.retail_max_size: must be < participant.block_size (120) (got 120)"),
        ("[market]\nrate = inf\n", "market.rate: must be a finite number in [-0.5, 0.5] (got inf)"),
        ("[market]\nrate = 5\n", "market.rate: must be a finite number in [-0.5, 0.5] (got 5.0)"),
        ("[market]\ndividend = -inf\n",
         "market.dividend: must be a finite number in [-0.5, 0.5] (got -inf)"),
        ("[unusual]\nlookback_days = 1\n", "unusual.lookback_days: must be >= 2 (got 1)"),
        ("[unusual]\nmin_volume = -1\n", "unusual.min_volume: must be >= 0 (got -1)"),
        ("[unusual]\nz_score = 0\n", "unusual.z_score: must be a finite number > 0 (got 0.0)"),
        ("[unusual]\nvolume_oi = inf\n",
         "unusual.volume_oi: must be a finite number > 0 (got inf)"),
        ("[unusual]\nsweeps = 0\n", "unusual.sweeps: must be > 0 (got 0)"),
        ("[unusual]\npremium = -3\n", "unusual.premium: must be a finite number > 0 (got -3.0)"),
        ("[unusual]\none_sided = 0.5\n",
         "unusual.one_sided: must be a finite number in (0.5, 1] (got 0.5)"),
        ("[unusual]\none_sided = 1.5\n",
         "unusual.one_sided: must be a finite number in (0.5, 1] (got 1.5)"),
    ],
)  # fmt: skip
def test_values_out_of_range_are_located(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}: {message}"
    assert err.value.source == str(path)
    assert err.value.column == message.split(":", maxsplit=1)[0]


def test_every_key_has_a_range_and_the_defaults_pass() -> None:
    cfg = Config()
    keys = {f"{table}.{key}" for table in ("participant", "unusual", "market")
            for key in getattr(cfg, table).__slots__}  # fmt: skip
    assert keys == set(RANGES)
    edge = "[participant]\nretail_max_size = 1\nblock_size = 2\n[unusual]\none_sided = 1.0\n"
    assert Config.from_mapping(tomllib.loads(edge)).participant.block_size == 2


def test_sections_built_in_code_are_checked_too() -> None:
    with pytest.raises(ConfigError, match=r"^participant\.block_size: must be > 0 \(got 0\)$"):
        ParticipantConfig(block_size=0)
    with pytest.raises(ConfigError, match=r"market\.rate"):
        MarketConfig(rate=float("nan"))


def test_docs_config_md_holds_the_generated_reference() -> None:
    """docs/config.md and the code agree (regenerate: `optionsflow config --reference`)."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "config.md").read_text()
    table = config_reference()
    assert table in doc, "docs/config.md is stale: run `optionsflow config --reference`"
    keys = [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]
    assert keys == list(RANGES)  # every key with a range check is documented, and no other


def test_reference_rows_come_from_the_code() -> None:
    rows = {
        line.split("`")[1]: [cell.strip() for cell in line.strip("|").split("|")]
        for line in config_reference().splitlines()
        if line.startswith("| `")
    }
    assert rows["participant.retail_max_size"][1:4] == [
        "int",
        "> 0; < participant.block_size",
        "`99`",
    ]
    assert rows["unusual.one_sided"][1:4] == ["float", "a finite number in (0.5, 1]", "`0.8`"]
    assert rows["market.rate"][4] == "Continuously compounded risk-free rate."


@pytest.mark.parametrize(
    "text",
    ["", "[unusual]\nsweeps = 5\npremium = 2500000\n",
     "[participant]\nretail_max_size = 9\nblock_size = 10\nblock_premium = 0.1\n"
     "[market]\nrate = -0.01\ndividend = 1e-05\n"],
)  # fmt: skip
def test_config_show_round_trips_through_tomllib(tmp_path: Path, text: str) -> None:
    path = tmp_path / "of.toml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["config", "--show", "--config", str(path)])
    assert result.exit_code == 0, result.stderr
    shown = tomllib.loads(result.stdout)
    assert Config.from_mapping(shown) == load_config(path)
    assert sorted(f"{t}.{k}" for t in shown for k in shown[t]) == sorted(RANGES)
    assert result.stdout.startswith(
        f"# optionsflow config in effect (defaults, overridden by {path})"
    )
    # the printed file is itself a config file
    again = tmp_path / "again.toml"
    again.write_text(result.stdout)
    assert load_config(again) == load_config(path)


def test_config_command_defaults_and_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0
    assert Config.from_mapping(tomllib.loads(result.stdout)) == Config()
    bad = tmp_path / "bad.toml"
    bad.write_text("[participant]\nblock_size = 0\n")
    result = CliRunner().invoke(main, ["config", "--show", "--config", str(bad)])
    assert result.exit_code == 2
    assert (
        result.stderr == f"optionsflow: error: {bad}: participant.block_size: must be > 0 (got 0)\n"
    )
