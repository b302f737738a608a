"""Participant rules: each row of the rule table in optionsflow.classify.participant."""

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.classify.participant import classify_participant
from optionsflow.config import Config, ParticipantConfig
from optionsflow.errors import SchemaError
from optionsflow.testing import trades

CASES = [
    ({"condition": "MLET", "size": 2}, "institutional", "multi_leg"),
    ({"condition": "TLAT", "size": 2}, "institutional", "stock_tied"),
    ({"condition": "SLAN", "size": 5}, "retail", "auction"),
    ({"condition": "SLAN", "size": 99}, "retail", "auction"),
    ({"condition": "SLAN", "size": 100}, "institutional", "block_size"),
    ({"condition": "SLAI", "size": 5}, "retail", "auction"),
    ({"condition": "ISOI", "size": 5}, "institutional", "iso_sweep"),
    ({"condition": "SLCN", "size": 500}, "institutional", "cross"),
    ({"condition": "SLFT", "size": 10}, "institutional", "floor"),
    # 2 contracts at $600 = $120,000 of premium: a block by premium
    ({"condition": "AUTO", "size": 2, "price": 600.0}, "institutional", "block_premium"),
    ({"condition": "AUTO", "size": 250}, "institutional", "block_size"),
    ({"condition": "AUTO", "size": 99}, "retail", "small_size"),
    ({"condition": "AUTO", "size": 3}, "retail", "small_size"),
]


@pytest.mark.parametrize(("row", "who", "why"), CASES)
def test_rule_table(row: dict[str, object], who: str, why: str) -> None:
    out = classify_participant(trades([row])).collect()
    assert out.row(0, named=True)[s.PARTICIPANT] == who
    assert out.row(0, named=True)[s.PARTICIPANT_REASON] == why


def test_null_size_is_unknown() -> None:
    frame = trades([{"size": 1}]).with_columns(pl.lit(None, pl.Int64).alias(s.SIZE))
    out = classify_participant(frame).collect()
    assert out.row(0)[-2:] == ("unknown", "unknown")


def test_thresholds_come_from_config() -> None:
    cfg = Config(participant=ParticipantConfig(retail_max_size=9, block_size=10))
    out = classify_participant(trades([{"size": 10}, {"size": 9}]), config=cfg).collect()
    assert out[s.PARTICIPANT_REASON].to_list() == ["block_size", "small_size"]


def test_missing_column() -> None:
    with pytest.raises(SchemaError, match="required by reconstruct_orders") as err:
        classify_participant(trades([{}]).drop(s.MULTIPLIER))
    assert err.value.column == "multiplier"


def test_output_dtype() -> None:
    out = classify_participant(trades([{}])).collect()
    assert out.schema[s.PARTICIPANT] == s.PARTICIPANT_DTYPE
