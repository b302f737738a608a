"""Shared test helpers: tiny canonical frames built by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from optionsflow import schema as s

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SHARED = ROOT.parent / "shared" / "realdata"

T0 = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)

DEFAULTS: dict[str, Any] = {
    s.SEQ: None,
    s.UNDERLYING: "XOM",
    s.ROOT: "XOM",
    s.EXPIRY: dt.date(2026, 12, 18),
    s.STRIKE: 110.0,
    s.RIGHT: "C",
    s.PRICE: 1.00,
    s.SIZE: 1,
    s.MULTIPLIER: 100,
    s.EXCHANGE: "XCBO",
    s.CONDITION: "AUTO",
    s.BID: 0.95,
    s.ASK: 1.05,
    s.BID_SIZE: 10,
    s.ASK_SIZE: 20,
    s.BID_EX: 0.95,
    s.ASK_EX: 1.05,
    s.BID_SIZE_EX: 5,
    s.ASK_SIZE_EX: 5,
    s.UNDERLYING_PRICE: 108.0,
    s.SOURCE: "test",
    s.SOURCE_ROW: None,
}


def trades(rows: list[dict[str, Any]], **extra_schema: pl.DataType) -> pl.DataFrame:
    """Canonical trades from partial row dicts; ``ts`` defaults to T0 + i ms, seq to i."""
    full = []
    for i, row in enumerate(rows):
        r = {s.TS: T0 + dt.timedelta(milliseconds=i), **DEFAULTS, **row}
        r[s.SEQ] = i + 1 if r[s.SEQ] is None else r[s.SEQ]
        r[s.SOURCE_ROW] = i + 1 if r[s.SOURCE_ROW] is None else r[s.SOURCE_ROW]
        full.append(r)
    schema = {**s.TRADE_SCHEMA, **extra_schema}
    extra = [c for c in full[0] if c not in schema]
    if extra:
        raise KeyError(f"unknown test columns {extra}")
    return pl.DataFrame(full, schema=schema)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not (SAMPLE / "sectors.csv").is_file():
        pytest.skip("sample_data not present")
    return SAMPLE


def labelled(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Trades carrying ``side`` and ``participant`` given per row (defaults +1, retail)."""
    base = [{k: v for k, v in r.items() if k not in (s.SIDE, s.PARTICIPANT)} for r in rows]
    return trades(base).with_columns(
        pl.Series(s.SIDE, [r.get(s.SIDE, 1) for r in rows], dtype=s.SIDE_DTYPE),
        pl.Series(
            s.PARTICIPANT, [r.get(s.PARTICIPANT, "retail") for r in rows], dtype=s.PARTICIPANT_DTYPE
        ),
    )


def at(day: dt.date, hour: int = 15) -> dt.datetime:
    """A UTC timestamp during the New York session of ``day``."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
