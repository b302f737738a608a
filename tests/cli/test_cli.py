"""The command line: the summary on the bundled sample, and one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from optionsflow.batch.pipeline import classify_trades
from optionsflow.classify import STACKS
from optionsflow.cli import main
from optionsflow.ingest import scan_trades


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_summary_on_the_bundled_sample(sample_dir: Path) -> None:
    code, out, err = _run("summary")
    assert code == 0, err
    assert out.startswith("Options flow, week 2026-W47 (2026-11-16 to 2026-11-20, 5 trading days)")
    assert "Retail share of volume:" in out
    assert "bought calls in" in out
    assert "Implied correlation" in out


def test_summary_json_keys(sample_dir: Path) -> None:
    code, out, _ = _run("summary", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["week"] == "2026-W47"
    assert 0 < doc["retail_share"] < 1
    for who in ("retail", "institutional"):
        streak = doc["call_buying_streak"][who]
        assert {"weeks_positive", "weeks", "current_streak"} <= set(streak)
        assert streak["weeks"] == 36
    assert {"participant", "sector", "skew", "vs_baseline"} <= set(doc["sector_skew"][0])
    assert {"value", "percentile_1y"} <= set(doc["implied_correlation"])


def test_summary_markdown_has_the_sector_table(sample_dir: Path) -> None:
    code, out, _ = _run("summary", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Options flow, week 2026-W47")
    assert "| participant | sector | skew | baseline | vs baseline | share |" in out


def test_user_trades_without_vols_say_so(sample_dir: Path) -> None:
    code, out, _ = _run("summary", str(sample_dir / "trades" / "trades_2026-11-20.parquet"))
    assert code == 0
    assert "(2026-11-16 to 2026-11-20, 1 trading day)" in out
    assert "Implied correlation: needs index and constituent vols and weights (--vols" in out
    assert "Index concentration and sector weights: need index weights (--weights)." in out
    assert "Top unusual activity: " in out  # from the trade file given


def test_bad_path_is_one_line_exit_2(tmp_path: Path) -> None:
    code, out, err = _run("summary", str(tmp_path / "missing.parquet"))
    assert code == 2
    assert out == ""
    assert err == f"optionsflow: error: {tmp_path / 'missing.parquet'}: no such file or directory\n"


def test_wrong_schema_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "odd.parquet"
    pl.DataFrame({"ts": [1], "price": [1.0]}).write_parquet(path)
    code, _, err = _run("summary", str(path))
    assert code == 2
    assert err.count("\n") == 1
    assert f"{path}: column 'seq': missing canonical columns" in err


def test_not_parquet_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "trades.parquet"
    path.write_text("underlying,price\nSPY,1.0\n")
    code, _, err = _run("summary", str(path))
    assert code == 2
    assert err == f"optionsflow: error: {path}: unknown format (header starts 'underlying,price')\n"


def test_bad_config_is_one_line_exit_2(tmp_path: Path, sample_dir: Path) -> None:
    cfg = tmp_path / "of.toml"
    cfg.write_text("[participant]\nretail_max = 3\n")
    code, _, err = _run("summary", "--config", str(cfg))
    assert code == 2
    assert err.strip() == f"optionsflow: error: {cfg}: participant.retail_max: unknown config key"


def test_no_traceback_from_the_installed_entry_point(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "optionsflow", "summary", str(tmp_path / "x.parquet")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("optionsflow: error:")


def test_synth_writes_one_file_per_day(tmp_path: Path) -> None:
    code, out, err = _run(
        "synth",
        "--days",
        "2",
        "--trades-per-day",
        "1000",
        "--end",
        "2026-11-20",
        "--out",
        str(tmp_path),
    )
    assert code == 0, err
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["trades_2026-11-19.parquet", "trades_2026-11-20.parquet"]
    assert pl.read_parquet(tmp_path / files[0]).height == 1000
    assert "wrote 2 days, 2,000 trades" in out


@pytest.mark.parametrize("args", [["--days", "0"], ["--trades-per-day", "-5"]])
def test_synth_rejects_nonpositive_sizes(tmp_path: Path, args: list[str]) -> None:
    code, _, err = _run("synth", *args, "--out", str(tmp_path))
    assert code == 2
    assert "must be positive" in err


def test_classify_writes_labels_and_evaluates(sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "signed.parquet"
    day = str(sample_dir / "trades" / "trades_2026-11-20.parquet")
    code, text, err = _run("classify", day, "--out", str(out), "--evaluate")
    assert code == 0, err
    frame = pl.read_parquet(out)
    assert frame.height == 24_000
    assert {"side", "side_rule", "participant", "participant_reason"} <= set(frame.columns)
    assert text.startswith("wrote 24,000 trades to")
    assert "accuracy" in text
    assert "trade_size_ex" in text


def test_classify_rejects_unknown_stack(sample_dir: Path, tmp_path: Path) -> None:
    day = str(sample_dir / "trades" / "trades_2026-11-20.parquet")
    code, _, err = _run("classify", day, "--out", str(tmp_path / "x.parquet"), "--layers", "magic")
    assert code == 2
    assert "expected a stack (gsu_large, gsu_small, lee_ready) or rule:source pairs" in err
    code, _, err = _run("classify", day, "--out", str(tmp_path / "x.parquet"), "--layers",
                        "quote:best,nonsense:ex")  # fmt: skip
    assert code == 2
    assert "unknown signing layer ('nonsense', 'ex')" in err


@pytest.mark.parametrize("command", ["flow", "streaks", "skew"])
def test_flow_views_in_every_format(sample_dir: Path, tmp_path: Path, command: str) -> None:
    code, text, err = _run(command, "--weeks", "2")
    assert code == 0, err
    assert "2026-W47" in text
    assert "2026-W46" in text
    assert "2026-W45" not in text
    code, text, _ = _run(command, "--weeks", "1", "--format", "json")
    rows = json.loads(text)
    assert {r["week"] for r in rows} == {"2026-W47"}
    code, text, _ = _run(command, "--weeks", "1", "--format", "csv")
    assert text.splitlines()[0].startswith("week,week_start")
    out = tmp_path / "v.parquet"
    code, _, err = _run(command, "--weeks", "1", "--format", "parquet", "--out", str(out))
    assert code == 0
    assert pl.read_parquet(out).height == len(rows)
    code, _, err = _run(command, "--format", "parquet")
    assert code == 2
    assert "--format parquet needs --out FILE" in err


def test_streaks_view_agrees_with_the_summary(sample_dir: Path) -> None:
    _, text, _ = _run("streaks", "--weeks", "1", "--format", "json")
    (row,) = json.loads(text)
    _, summary_text, _ = _run("summary", "--format", "json")
    retail = json.loads(summary_text)["call_buying_streak"]["retail"]
    assert (row["weeks_positive"], row["current_streak"]) == (
        retail["weeks_positive"],
        retail["current_streak"],
    )


def test_unusual_lists_ranked_reasons(sample_dir: Path) -> None:
    code, text, err = _run("unusual", "--top", "3", "--format", "json")
    assert code == 0, err
    rows = json.loads(text)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert all(r["reasons"] for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    code, text, _ = _run("unusual", "--top", "3", "--format", "csv")
    assert "; " in text.splitlines()[1]  # reasons joined in one CSV cell


# --- one vocabulary: --store, --sectors, --out, --top -------------------------------------------


@pytest.mark.parametrize("old", ["--history", "--partials"])
@pytest.mark.parametrize("command", ["summary", "flow", "streaks", "skew"])
def test_stored_partials_are_store_everywhere(sample_dir: Path, command: str, old: str) -> None:
    store = str(sample_dir / "store")
    code, _, err = _run(command, old, store)
    assert code == 2
    assert f"No such option '{old}'" in err


def test_store_alone_reads_only_the_store(sample_dir: Path, tmp_path: Path) -> None:
    store = sample_dir / "store"
    code, text, err = _run("streaks", "--store", str(store), "--weeks", "1", "--format", "json")
    assert code == 0, err
    assert err == ""  # stored partials keep their sectors: no note
    (row,) = json.loads(text)
    assert row["week"] == "2026-W46"  # the store ends the week before the sample's raw week
    # a directory (or glob) of daily files reads as the same store
    frame = pl.read_parquet(store)
    for week, part in frame.group_by(pl.col("date").dt.truncate("1w")):
        part.write_parquet(tmp_path / f"{week[0]}.parquet")
    for spec in (tmp_path, tmp_path / "*.parquet"):
        code, again, err = _run("streaks", "--store", str(spec), "--weeks", "1", "--format", "json")
        assert code == 0, err
        assert json.loads(again) == [row]


def test_paths_over_a_store_replace_its_days(sample_dir: Path) -> None:
    store = str(sample_dir / "store")
    trades, sectors = str(sample_dir / "trades"), str(sample_dir / "sectors.csv")
    code, text, err = _run("summary", trades, "--store", store, "--sectors", sectors, "--format",
                           "json")  # fmt: skip
    assert code == 0, err
    _, bundled, _ = _run("summary", "--format", "json")
    mine, theirs = json.loads(text), json.loads(bundled)
    for doc in (mine, theirs):  # the bundled run also has index closes
        for streak in doc["call_buying_streak"].values():
            streak.pop("index_return")
    assert mine["call_buying_streak"] == theirs["call_buying_streak"]
    assert mine["sector_skew"] == theirs["sector_skew"]


def test_own_trades_without_sectors_are_unmapped_and_said_so(sample_dir: Path) -> None:
    store = str(sample_dir / "store")
    code, out, err = _run("summary", str(sample_dir / "trades"), "--store", store)
    assert code == 0, err
    assert err == (
        "optionsflow: note: no --sectors: the trades' sectors read 'Unmapped'; "
        "sector views need --sectors FILE (symbol, sector[, theme])\n"
    )
    assert "Unmapped" not in out
    assert "index products included); the sectors it tilts to need a sector map" in out
    code, text, err = _run("skew", str(sample_dir / "trades"), "--weeks", "1", "--format", "json")
    assert code == 0
    assert {r["sector"] for r in json.loads(text)} == {"Unmapped"}
    assert "--sectors" in err


def test_bundled_sample_keeps_its_sector_map(sample_dir: Path) -> None:
    code, text, err = _run("skew", "--weeks", "1", "--format", "json")
    assert code == 0
    assert err == ""
    assert "Unmapped" not in {r["sector"] for r in json.loads(text)}


@pytest.mark.parametrize(
    ("args", "fmt"),
    [
        (["summary"], "markdown"),
        (["flow", "--weeks", "1"], "csv"),
        (["unusual", "--top", "2"], "text"),
        (["corr", "--constituent-vols", "{s}/vols.parquet", "--weights", "{s}/weights.csv"], "csv"),
    ],
)
def test_out_writes_what_stdout_would_show(
    sample_dir: Path, tmp_path: Path, args: list[str], fmt: str
) -> None:
    args = [a.format(s=sample_dir) for a in args]
    code, shown, _ = _run(*args, "--format", fmt)
    assert code == 0
    target = tmp_path / "out.txt"
    code, text, err = _run(*args, "--format", fmt, "--out", str(target))
    assert code == 0, err
    assert text == ""
    assert err.startswith("wrote ")
    assert err.endswith(f" to {target}\n")
    written = target.read_text()
    if args[0] == "corr":  # parallel float sums differ in the last bits
        assert written.splitlines()[0] == shown.splitlines()[0]
        assert len(written.splitlines()) == len(shown.splitlines())
    else:
        assert written == shown
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left


def test_out_into_a_missing_directory_is_one_line(tmp_path: Path, sample_dir: Path) -> None:
    vols, weights = str(sample_dir / "vols.parquet"), str(sample_dir / "weights.csv")
    target = str(tmp_path / "nope" / "corr.txt")
    code, out, err = _run("corr", "--constituent-vols", vols, "--weights", weights, "--out", target)
    assert code == 2
    assert out == ""
    assert err == f"optionsflow: error: {tmp_path / 'nope'}: directory does not exist\n"


def test_classify_evaluate_needs_true_side_before_writing(sample_dir: Path, tmp_path: Path) -> None:
    day = tmp_path / "day.parquet"
    pl.read_parquet(sample_dir / "trades" / "trades_2026-11-20.parquet").drop(
        "true_side"
    ).write_parquet(day)
    out = tmp_path / "signed.parquet"
    code, text, err = _run("classify", str(day), "--out", str(out), "--evaluate")
    assert code == 2
    assert text == ""
    assert err == (
        f"optionsflow: error: {day}: column 'true_side': needed by --evaluate but missing\n"
    )
    assert not out.exists()


def test_classify_passes_its_options_to_the_library(sample_dir: Path, tmp_path: Path) -> None:
    day = sample_dir / "trades" / "trades_2026-11-20.parquet"
    out = tmp_path / "signed.parquet"
    args = ["--layers", "lee_ready", "--fill", "const", "--price-compare", "float"]
    code, _, err = _run("classify", str(day), "--out", str(out), *args, "--sign-complex")
    assert code == 0, err
    expected = classify_trades(
        scan_trades([day]),
        layers=STACKS["lee_ready"],
        fill="const",
        price_compare="float",
        sign_complex=True,
    ).collect()
    assert pl.read_parquet(out).equals(expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["signed.parquet"]


# --- choosing the week ---------------------------------------------------------------------


def test_week_and_as_of_pick_an_earlier_week(sample_dir: Path) -> None:
    code, text, err = _run("summary", "--week", "2026-W40", "--format", "json")
    assert code == 0, err
    doc = json.loads(text)
    assert (doc["week"], doc["week_start"], doc["week_end"]) == (
        "2026-W40",
        "2026-09-28",
        "2026-10-02",
    )
    code, again, _ = _run("summary", "--as-of", "2026-10-01", "--format", "json")
    assert code == 0
    assert json.loads(again)["week"] == "2026-W40"
    assert json.loads(again)["days"] == 4  # Monday 28 September to Thursday 1 October
    code, rows, _ = _run("streaks", "--week", "2026-W40", "--weeks", "1", "--format", "json")
    assert code == 0
    assert [r["week"] for r in json.loads(rows)] == ["2026-W40"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2026-47"], "expected an ISO week such as 2026-W47 (got '2026-47')"),
        (["--week", "2026-W46", "--as-of", "2026-11-01"], "give --week or --as-of, not both"),
    ],
)
@pytest.mark.parametrize("command", ["summary", "report", "flow", "streaks", "skew"])
def test_bad_week_is_one_line(
    sample_dir: Path, tmp_path: Path, command: str, args: list[str], message: str
) -> None:
    out = ["--out", str(tmp_path / "r.html")] if command == "report" else []
    code, _, err = _run(command, *args, *out)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_summary_reads_the_index_vol_from_a_cboe_history(sample_dir: Path, tmp_path: Path) -> None:
    """The sample's SPX vols as Cboe's VIX_History.csv (points) tell the same correlation."""
    vols = pl.read_parquet(sample_dir / "vols.parquet")
    others = tmp_path / "names.parquet"
    vols.filter(pl.col("symbol") != "SPX").write_parquet(others)
    vix = tmp_path / "VIX_History.csv"
    spx = vols.filter(pl.col("symbol") == "SPX").sort("date")
    vix.write_text(
        "DATE,OPEN,HIGH,LOW,CLOSE\n"
        + "".join(f"{d:%m/%d/%Y},1,1,1,{100 * v!r}\n" for d, v in spx.select("date", "iv").rows())
    )
    code, out, _ = _run("summary", "--format", "json")
    assert code == 0
    expected = json.loads(out)["implied_correlation"]
    code, out, err = _run(
        "summary", "--vols", str(others), "--index-vol", str(vix), "--format", "json"
    )
    assert code == 0, err
    assert err.startswith("optionsflow: note: VIX_History.csv: Cboe VIX (30-day implied vol")
    got = json.loads(out)["implied_correlation"]
    assert got["date"] == expected["date"] == "2026-11-20"
    assert got["value"] == pytest.approx(expected["value"], rel=1e-12)
    assert got["percentile_1y"] == pytest.approx(expected["percentile_1y"])
    code, _, err = _run("summary", "--index-vol", str(vix))  # bundled vols + Cboe index vol
    assert code == 0, err
    code, _, err = _run("summary", str(sample_dir / "trades"), "--index-vol", str(vix))
    assert code == 2
    assert err.endswith("column 'vols': --index-vol needs --vols (the constituents' vols)\n")
