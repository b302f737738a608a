"""The partial store: reads check the schema, re-run days replace stored ones, writes are atomic."""

import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.aggregate.partials import merge_partials
from optionsflow.batch.pipeline import flow_partials
from optionsflow.batch.store import partials_of, read_partials, replace_days, write_atomic
from optionsflow.errors import SchemaError, SourceError
from optionsflow.synth import synth_day

DAYS = [dt.date(2026, 11, 16), dt.date(2026, 11, 17)]


@pytest.fixture(scope="module")
def two_days() -> tuple[pl.DataFrame, pl.DataFrame]:
    a, b = (flow_partials(synth_day(d, 400), greeks=False).collect() for d in DAYS)
    return a, b


def test_read_partials_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_partials(tmp_path / "none.parquet")
    path = tmp_path / "p.parquet"
    pl.DataFrame({"date": [DAYS[0]]}).write_parquet(path)
    with pytest.raises(SchemaError) as err:
        read_partials(path)
    assert err.value.source == str(path)


def test_replace_days_replaces_instead_of_adding(
    two_days: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    a, b = two_days
    stored = merge_partials(a, b)
    # day two computed again (here: doubled counts) replaces the stored day two
    again = b.with_columns(pl.col("contracts") * 2)
    out = replace_days(stored, again).collect()
    per_day = out.group_by(s.DATE).agg(pl.col("contracts").sum()).sort(s.DATE)
    assert per_day["contracts"].to_list() == [a["contracts"].sum(), 2 * b["contracts"].sum()]


def test_partials_of_files_win_over_the_store(
    tmp_path: Path, two_days: tuple[pl.DataFrame, pl.DataFrame]
) -> None:
    a, b = two_days
    store = tmp_path / "store.parquet"
    write_atomic(merge_partials(a, b.with_columns(pl.col("contracts") * 3)).collect(), store)
    day_two = tmp_path / "trades_2026-11-17.parquet"
    synth_day(DAYS[1], 400).write_parquet(day_two)
    out = partials_of([day_two], store=store).collect()
    expected = flow_partials(synth_day(DAYS[1], 400)).collect()
    assert out.filter(pl.col(s.DATE) == DAYS[1])["contracts"].sum() == expected["contracts"].sum()
    assert out.filter(pl.col(s.DATE) == DAYS[0])["contracts"].sum() == a["contracts"].sum()


def test_partials_of_needs_an_input() -> None:
    with pytest.raises(SourceError, match="no input"):
        partials_of([])


def test_write_atomic_replaces_whole_files_only(tmp_path: Path) -> None:
    target = tmp_path / "day.parquet"
    write_atomic(pl.DataFrame({"a": [1]}), target)
    write_atomic(pl.DataFrame({"a": [2, 3]}), target)
    assert pl.read_parquet(target)["a"].to_list() == [2, 3]
    assert os.listdir(tmp_path) == ["day.parquet"]


def test_write_atomic_refuses_a_directory_and_a_missing_parent(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory"):
        write_atomic(pl.DataFrame({"a": [1]}), tmp_path)
    with pytest.raises(SourceError, match="does not exist"):
        write_atomic(pl.DataFrame({"a": [1]}), tmp_path / "missing" / "day.parquet")
    assert os.listdir(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "day.parquet"
    write_atomic(pl.DataFrame({"a": [1]}), target)

    class Boom(pl.DataFrame):
        def write_parquet(self, *args: object, **kwargs: object) -> None:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(Boom({"a": [9]}), target)
    assert pl.read_parquet(target)["a"].to_list() == [1]
    assert os.listdir(tmp_path) == ["day.parquet"]
