"""The default chain: eager = lazy = streaming, and the sample regenerates exactly."""

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest

from optionsflow.batch.layout import read_store
from optionsflow.batch.pipeline import flow_partials
from optionsflow.synth import sector_map, synth_day
from optionsflow.synth.sample import SAMPLE_END, SampleSpec, build_sample, truth_partials
from optionsflow.testing import assert_engines_agree


def test_eager_lazy_streaming_agree() -> None:
    day = synth_day(dt.date(2026, 11, 17), 5_000)
    smap = sector_map()
    eager = flow_partials(day, sectors=smap).collect()
    lazy = flow_partials(day.lazy(), sectors=smap.lazy())
    assert assert_engines_agree(lazy, check_exact=True).equals(eager)


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_sample_builder_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    spec = SampleSpec(weeks=1, history_trades_per_day=300, week_trades_per_day=300)
    a = build_sample(tmp_path / "a", spec)
    b = build_sample(tmp_path / "b", spec)
    assert a == b
    assert a["trades/trades_2026-11-20.parquet"] == 300
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


@pytest.mark.parametrize("day", [dt.date(2026, 11, 16), dt.date(2026, 11, 20)])
def test_bundled_raw_week_is_what_the_generator_makes(sample_dir: Path, day: dt.date) -> None:
    stored = pl.read_parquet(sample_dir / "trades" / f"trades_{day.isoformat()}.parquet")
    assert stored.equals(synth_day(day, SampleSpec().week_trades_per_day))


@pytest.mark.parametrize("day", [dt.date(2025, 8, 25), dt.date(2026, 11, 13)])
def test_bundled_partials_are_what_the_generator_makes(sample_dir: Path, day: dt.date) -> None:
    spec = SampleSpec()
    trades = synth_day(day, spec.history_trades_per_day)
    smap = sector_map()
    stored = read_store(sample_dir / "store").collect().filter(pl.col("date") == day)
    assert stored.equals(flow_partials(trades, sectors=smap).collect())
    truth = pl.read_parquet(sample_dir / "partials/truth.parquet").filter(pl.col("date") == day)
    assert truth.equals(truth_partials(trades, sectors=smap).collect())


def test_bundled_sample_spans_what_the_summary_needs(sample_dir: Path) -> None:
    dates = pl.read_parquet(sample_dir / "partials/truth.parquet")["date"]
    first, last = dates.min(), dates.max()
    assert isinstance(first, dt.date)
    assert last == SAMPLE_END
    assert (SAMPLE_END - first).days >= 7 * 60
    first_vol = pl.read_parquet(sample_dir / "vols.parquet")["date"].min()
    assert isinstance(first_vol, dt.date)
    assert (SAMPLE_END - first_vol).days >= 365
