"""Readers of the store: the weekly story over many stored weeks; a store seeded from partials."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from optionsflow.aggregate.partials import PARTIAL_KEYS, merge_partials
from optionsflow.batch import read_store, run_batch, store_partials
from optionsflow.batch.layout import day_file
from optionsflow.batch.pipeline import flow_partials
from optionsflow.batch.provenance import read_provenance
from optionsflow.cli import main
from optionsflow.ingest import scan_trades
from optionsflow.report.summary import weekly_summary

from batch_helpers import DAYS, day_path, make_days

WEDNESDAYS = [dt.date(2026, 2, 4) + dt.timedelta(weeks=k) for k in range(40)]


def test_forty_stored_weeks_give_the_full_streak(tmp_path: Path) -> None:
    inputs = make_days(tmp_path / "inputs", WEDNESDAYS, 300)
    store = tmp_path / "store"
    assert run_batch([inputs], store=store, workers=2).exit_code == 0
    summary = weekly_summary(read_store(store))
    streak = summary.call_buying_streak["retail"]
    assert streak.weeks == 36  # the whole lookback, not "1 of 1"
    oracle = merge_partials(*(flow_partials(scan_trades(day_path(inputs, d))) for d in WEDNESDAYS))
    assert weekly_summary(oracle) == summary
    # the command line tells the same story from the same store
    result = CliRunner().invoke(main, ["summary", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    told = json.loads(result.stdout)["call_buying_streak"]["retail"]
    assert (told["weeks_positive"], told["weeks"], told["current_streak"]) == (
        streak.weeks_positive, 36, streak.current_streak,
    )  # fmt: skip
    # --week picks an earlier week of the store: its window ends there
    earlier = CliRunner().invoke(main, ["summary", "--store", str(store), "--week", "2026-W40",
                                        "--format", "json"])  # fmt: skip
    assert json.loads(earlier.stdout)["week"] == "2026-W40"
    cut = weekly_summary(read_store(store).filter(pl.col("date") <= dt.date(2026, 10, 4)))
    assert json.loads(earlier.stdout)["call_buying_streak"]["retail"]["weeks_positive"] == (
        cut.call_buying_streak["retail"].weeks_positive
    )


@pytest.fixture
def history(tmp_path: Path) -> Path:
    inputs = make_days(tmp_path / "inputs", DAYS, 300)
    path = tmp_path / "history.parquet"
    merge_partials(
        *(flow_partials(scan_trades(day_path(inputs, d))) for d in DAYS[:2])
    ).collect().write_parquet(path)
    return path


def test_store_seeded_from_a_partials_file(history: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert store_partials(history, store) == DAYS[:2]
    got = read_store(store).sort(PARTIAL_KEYS, nulls_last=True).collect()
    assert got.equals(pl.read_parquet(history))
    prov = read_provenance(day_file(store, "partials", DAYS[0]))
    assert prov is not None
    assert [(f.role, Path(f.path).name) for f in prov.inputs] == [("partials", "history.parquet")]
    assert (
        prov.counts.read
        == prov.counts.accepted
        == int(got.filter(pl.col("date") == DAYS[0])["trades"].sum())
    )
    assert store_partials(history, store) == []  # stored days are kept unless replace=True
    report = run_batch([tmp_path / "inputs"], store=store)
    assert [(d.day, d.reason) for d in report.days] == [
        (DAYS[0], "stored day was imported from partials"),
        (DAYS[1], "stored day was imported from partials"),
        (DAYS[2], "new day"),
        (DAYS[3], "new day"),
    ]
    assert (
        read_store(store)
        .sort(PARTIAL_KEYS, nulls_last=True)
        .collect()
        .filter(pl.col("date") <= DAYS[1])
        .equals(pl.read_parquet(history))
    )  # computed again from the files: the same partials
