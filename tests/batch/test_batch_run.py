"""run_batch: the store it writes, incremental re-runs and why, failures, the lock, progress."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.aggregate.partials import PARTIAL_KEYS, PARTIAL_SCHEMA, merge_partials
from optionsflow.batch import plan as plan_module
from optionsflow.batch import read_store, run_batch
from optionsflow.batch.layout import day_file, lock_store
from optionsflow.batch.pipeline import flow_partials
from optionsflow.batch.progress import ProgressEvent, ProgressReporter
from optionsflow.batch.provenance import PROVENANCE_KEY, fingerprint, read_provenance
from optionsflow.config import Config
from optionsflow.errors import ConfigError, SourceError
from optionsflow.ingest import scan_trades
from optionsflow.ingest.accounting import REJECT_SCHEMA
from optionsflow.synth import sector_map, synth_day
from optionsflow.testing import trades

from batch_helpers import DAYS, N_TRADES, day_path, file_stats, make_days, snapshot


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_days(tmp_path_factory.mktemp("inputs"))


@pytest.fixture
def own_inputs(tmp_path: Path, inputs: Path) -> Path:
    """A private copy of the inputs (same bytes and mtimes) for tests that change them."""
    return Path(shutil.copytree(inputs, tmp_path / "inputs"))


def statuses(report: object) -> list[tuple[str, str, str]]:
    days = getattr(report, "days", ())
    return [(d.day.isoformat(), d.status, d.reason) for d in days]


def test_store_layout_provenance_and_accounting(inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    report = run_batch([inputs], store=store)
    assert report.exit_code == 0
    assert [d.status for d in report.days] == ["written"] * len(DAYS)
    assert {d.reason for d in report.days} == {"new day"}
    assert report.totals.read == N_TRADES * len(DAYS)
    for day in DAYS:
        partials = day_file(store, "partials", day)
        assert partials.relative_to(store).as_posix() == f"partials/date={day}/part-0.parquet"
        assert s.DATE not in pl.read_parquet_schema(partials)  # the date is the directory's
        assert pl.read_parquet_schema(day_file(store, "rejects", day)) == REJECT_SCHEMA
        assert not day_file(store, "trades", day).exists()
        prov = read_provenance(partials)
        assert prov is not None
        assert prov == read_provenance(day_file(store, "rejects", day))
        c = prov.counts
        assert c.read == c.accepted + c.rejected + c.cancelled + c.duplicates == N_TRADES
        assert [Path(f.path).name for f in prov.inputs] == [day_path(inputs, day).name]
        assert prov.inputs[0].fingerprint == fingerprint(day_path(inputs, day))
        assert prov.inputs[0].size == day_path(inputs, day).stat().st_size
        assert PROVENANCE_KEY in pl.read_parquet_metadata(partials)
    assert (store / ".lock").is_file()


def test_read_store_equals_merged_day_partials(inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_batch([inputs], store=store)
    stored = read_store(store)
    assert stored.collect_schema() == pl.Schema(PARTIAL_SCHEMA)
    oracle = merge_partials(*(flow_partials(scan_trades(day_path(inputs, d))) for d in DAYS))
    got = stored.sort(PARTIAL_KEYS, nulls_last=True).collect()
    assert got.equals(oracle.collect())


def test_read_store_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="does not exist"):
        read_store(tmp_path / "none")
    with pytest.raises(SourceError, match="holds no day") as err:
        read_store(tmp_path)
    assert err.value.source == str(tmp_path)


def test_second_run_writes_nothing(inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_batch([inputs], store=store)
    before = file_stats(store)
    again = run_batch([inputs], store=store)
    assert {(d.status, d.reason) for d in again.days} == {("skipped", "up to date")}
    assert again.written == ()
    assert again.exit_code == 0
    assert file_stats(store) == before


def test_up_to_date_check_reads_no_input_content(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    run_batch([inputs], store=store)

    def no_reading(path: object) -> str:
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(plan_module, "fingerprint", no_reading)
    plan = run_batch([inputs], store=store, dry_run=True)
    assert {d.reason for d in plan.days} == {"up to date"}


def test_changed_input_redoes_exactly_that_day(own_inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_batch([own_inputs], store=store)
    changed = DAYS[1]
    synth_day(changed, N_TRADES + 100).write_parquet(day_path(own_inputs, changed))
    report = run_batch([own_inputs], store=store)
    assert [d.day for d in report.written] == [changed]
    assert report.days[1].reason == f"input changed: {day_path(own_inputs, changed).name} (size)"
    assert {d.reason for d in report.skipped} == {"up to date"}
    prov = read_provenance(day_file(store, "partials", changed))
    assert prov is not None
    assert prov.counts.read == N_TRADES + 100


def test_same_size_new_content_is_found_by_fingerprint(own_inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_batch([own_inputs], store=store)
    path = day_path(own_inputs, DAYS[0])
    data = bytearray(path.read_bytes())
    st = path.stat()
    other = day_path(own_inputs, DAYS[1]).read_bytes()
    path.write_bytes(other[: len(data)].ljust(len(data), b"\0"))  # same size, new bytes
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    plan = run_batch([own_inputs], store=store, dry_run=True)
    assert plan.days[0].reason == f"input changed: {path.name} (content)"


def test_touched_input_is_skipped_after_fingerprint(own_inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_batch([own_inputs], store=store)
    path = day_path(own_inputs, DAYS[2])
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    before = file_stats(store)
    report = run_batch([own_inputs], store=store)
    assert report.days[2].status == "skipped"
    assert report.days[2].reason == "up to date (same content, new modification time)"
    assert file_stats(store) == before


def test_config_sector_map_and_code_changes_redo_all_days(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    run_batch([inputs], store=store)
    cfg = Config.from_mapping({"participant": {"block_size": 250}})
    report = run_batch([inputs], store=store, config=cfg)
    assert {(d.status, d.reason) for d in report.days} == {("written", "config changed")}
    toml = tmp_path / "optionsflow.toml"
    toml.write_text("participant = { block_size = 250 }\n")
    assert {d.reason for d in run_batch([inputs], store=store, config=toml).days} == {"up to date"}
    report = run_batch([inputs], store=store, config=cfg, sectors=sector_map())
    assert {(d.status, d.reason) for d in report.days} == {("written", "sector map changed")}
    stored = read_store(store).select(s.SECTOR).unique().collect()
    assert stored.height > 1
    monkeypatch.setattr(plan_module, "code_version", lambda: "99.0")
    report = run_batch([inputs], store=store, config=cfg, sectors=sector_map())
    assert {d.reason for d in report.days} == {"code version changed (0.1.0 -> 99.0)"}


def test_corrupt_day_fails_with_located_reason_others_complete(
    own_inputs: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    bad = day_path(own_inputs, DAYS[2])
    bad.write_bytes(b"PAR1 these are not the bytes of a Parquet file")
    report = run_batch([own_inputs], store=store)
    assert report.exit_code == 2
    assert [d.day for d in report.failed] == [DAYS[2]]
    failed = report.failed[0].result
    assert failed is not None
    assert failed.error is not None
    assert str(bad) in failed.error
    assert [d.day for d in report.written] == [DAYS[0], DAYS[1], DAYS[3]]
    assert not day_file(store, "partials", DAYS[2]).exists()
    assert not day_file(store, "rejects", DAYS[2]).exists()
    assert any(line.startswith(f"failed {DAYS[2]}: {bad}") for line in report.lines())
    again = run_batch([own_inputs], store=store)  # the failed day is tried again, alone
    assert [(d.day, d.status) for d in again.days if d.status != "skipped"] == [(DAYS[2], "failed")]
    assert again.exit_code == 2


def test_force_dry_run_and_date_range(inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    plan = run_batch([inputs], store=store, dry_run=True, date_from="2026-11-17")
    assert [(d.day, d.status) for d in plan.days] == [(d, "planned") for d in DAYS[1:]]
    assert not store.exists()  # a dry run writes nothing, not even the store directory
    report = run_batch([inputs], store=store, date_from=DAYS[1], date_to=DAYS[2])
    assert [d.day for d in report.written] == DAYS[1:3]
    forced = run_batch([inputs], store=store, force=True, date_to=dt.date(2026, 11, 17))
    assert statuses(forced) == [
        (str(DAYS[0]), "written", "forced"),
        (str(DAYS[1]), "written", "forced"),
    ]
    with pytest.raises(ConfigError, match="YYYY-MM-DD") as err:
        run_batch([inputs], store=store, date_from="17 Nov")
    assert err.value.column == "date_from"


def test_keep_trades(inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_batch([inputs], store=store, date_to=DAYS[0])
    report = run_batch([inputs], store=store, date_to=DAYS[0], keep_trades=True)
    assert report.days[0].reason == "trades file missing"
    trades = pl.read_parquet(day_file(store, "trades", DAYS[0]))
    assert trades.height == N_TRADES
    assert {"side", "side_rule", "participant", "delta"} <= set(trades.columns)
    assert snapshot(store)["trades", DAYS[0]][1] == read_provenance(
        day_file(store, "partials", DAYS[0])
    )
    run_batch([inputs], store=store, date_to=DAYS[0], force=True)
    assert not day_file(store, "trades", DAYS[0]).exists()  # no stale labelled trades left


def test_files_without_a_day_are_ignored_and_the_store_below_inputs_is_skipped(
    own_inputs: Path,
) -> None:
    (own_inputs / "README.txt").write_text("notes")
    store = own_inputs / "store"
    run_batch([own_inputs], store=store)
    report = run_batch([own_inputs], store=store)
    assert [p.name for p, _ in report.ignored] == ["README.txt"]
    assert {d.reason for d in report.days} == {"up to date"}


def test_store_locked_by_another_run(inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    with lock_store(store), pytest.raises(SourceError) as err:
        run_batch([inputs], store=store)
    assert f"pid {os.getpid()}" in str(err.value)
    assert err.value.source == str(store)
    assert not list(store.glob("partials/*"))
    assert run_batch([inputs], store=store).exit_code == 0  # released


def test_bad_options(inputs: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        run_batch([inputs], store=tmp_path, workers=0)
    with pytest.raises(ConfigError, match="not both"):
        run_batch([inputs], store=tmp_path, workers=2, dask="local")


def test_progress_callback_and_lines(inputs: Path, tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    run_batch([inputs], store=tmp_path / "a", progress=events.append)
    assert [e.done for e in events] == [1, 2, 3, 4]
    assert {e.total for e in events} == {4}
    assert events[-1].rows == N_TRADES * len(DAYS)
    out = io.StringIO()
    run_batch([inputs], store=tmp_path / "b", progress=ProgressReporter(out))
    lines = out.getvalue().splitlines()
    assert len(lines) == len(DAYS)
    assert lines[0].startswith(f"{DAYS[0]}  read 2,000  accepted ")
    assert lines[0].endswith(" s")
    bar = io.StringIO()
    run_batch([inputs], store=tmp_path / "c", progress=ProgressReporter(bar, mode="bar"))
    assert bar.getvalue().count("\r") == len(DAYS)
    assert "days 4/4" in bar.getvalue()
    assert "trades/s" in bar.getvalue()


def test_rejects_and_accounting_of_a_day_with_bad_rows(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    day = dt.date(2026, 11, 16)  # testing.T0's day
    rows: list[dict[str, object]] = [
        {"price": 1.05},
        {"condition": "CANC"},
        {"price": -1.0},
        {"size": 3},
    ]
    trades(rows).write_parquet(folder / f"trades_{day}.parquet")
    store = tmp_path / "store"
    report = run_batch([folder], store=store)
    counts = report.days[0].result.counts if report.days[0].result else None
    assert counts is not None
    assert (counts.read, counts.accepted, counts.rejected, counts.cancelled) == (4, 2, 1, 1)
    rejects = pl.read_parquet(day_file(store, "rejects", day))
    assert rejects.select("source_row", "column", "reason").rows() == [
        (3, "price", "must be a finite number > 0 and <= 100,000")
    ]
    prov = read_provenance(day_file(store, "rejects", day))
    assert prov is not None
    assert prov.counts == counts
    assert read_store(store).select(pl.col("trades").sum()).collect().item() == 2


def test_trades_outside_the_files_day_are_rejected_not_stored(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    synth_day(DAYS[0], 300).write_parquet(folder / f"trades_{DAYS[1]}.parquet")
    store = tmp_path / "store"
    report = run_batch([folder], store=store)
    result = report.days[0].result
    assert result is not None
    assert (result.status, result.counts.read, result.counts.rejected) == ("written", 300, 300)
    reasons = pl.read_parquet(day_file(store, "rejects", DAYS[1]))["reason"].unique().to_list()
    assert reasons == [f"outside the file's trading day {DAYS[1]}"]
    assert read_store(store).collect().height == 0


@pytest.mark.realdata
def test_polygon_trades_with_their_quotes_file(realdata: Path, tmp_path: Path) -> None:
    sample = realdata / "polygon_massive_examples"
    folder = tmp_path / "polygon"
    folder.mkdir()
    shutil.copy(sample / "options_trades_example.csv.gz", folder / "trades_2023-03-13.csv.gz")
    shutil.copy(sample / "options_quotes_example.csv.gz", folder / "quotes_2023-03-13.csv.gz")
    store = tmp_path / "store"
    report = run_batch([folder], store=store)
    result = report.days[0].result
    assert result is not None
    assert result.status == "written"
    c = result.counts
    assert (c.read, c.accepted, c.duplicates) == (62, 59, 3)
    prov = read_provenance(day_file(store, "partials", dt.date(2023, 3, 13)))
    assert prov is not None
    assert [(Path(f.path).name, f.role) for f in prov.inputs] == [
        ("trades_2023-03-13.csv.gz", "trades"),
        ("quotes_2023-03-13.csv.gz", "quotes"),
    ]
    assert read_store(store).select(pl.col("trades").sum()).collect().item() == 59


def test_store_that_is_a_file(inputs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.write_text("not a directory")
    with pytest.raises(SourceError, match="cannot create the store") as err:
        run_batch([inputs], store=store)
    assert err.value.source == str(store)


def test_relative_paths_become_absolute_for_workers(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(inputs, tmp_path / "in", copy_function=shutil.copy2)
    monkeypatch.chdir(tmp_path)
    report = run_batch(["in"], store="store", workers=2, date_to=dt.datetime(2026, 11, 17, 9))
    assert [d.day for d in report.written] == DAYS[:2]
    prov = read_provenance(day_file(tmp_path / "store", "partials", DAYS[0]))
    assert prov is not None
    assert prov.inputs[0].path == str(tmp_path / "in" / f"trades_{DAYS[0]}.parquet")
