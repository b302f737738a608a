from pathlib import Path

import pytest

from optionsflow.config import Config, load_config
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
