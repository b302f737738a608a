"""The command line: the summary on the bundled sample, and one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from optionsflow.cli import main


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
    assert "1 trading days" in out
    assert "Implied correlation: not available" in out


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
    assert frame.height == 50_000
    assert {"side", "side_rule", "participant", "participant_reason"} <= set(frame.columns)
    assert text.startswith("wrote 50,000 trades to")
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
