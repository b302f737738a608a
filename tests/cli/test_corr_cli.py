"""``optionsflow corr``: text, JSON and CSV output, Cboe input, one-line errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from optionsflow.cli.corr import corr
from optionsflow.correlation import dispersion_index, implied_correlation

from tolerances import CLI_VS_LIBRARY_REL

DAYS = [dt.date(2026, 1, 5) + dt.timedelta(days=i) for i in range(5)]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    vols = pl.DataFrame(
        [
            (d, s, v * (1 + 0.05 * i))
            for i, d in enumerate(DAYS)
            for s, v in (("A", 0.3), ("B", 0.25), ("C", 0.4), ("SPX", 0.18))
        ],
        schema={"date": pl.Date, "symbol": pl.String, "iv": pl.Float64},
        orient="row",
    )
    weights = pl.DataFrame({"symbol": ["A", "B", "C"], "weight": [0.5, 0.3, 0.2]})
    paths = {"vols": tmp_path / "vols.parquet", "weights": tmp_path / "weights.csv"}
    vols.write_parquet(paths["vols"])
    weights.write_csv(paths["weights"])
    return paths


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(corr, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("written", ["^spx", " spx", "^SPX"])
def test_the_index_as_vendors_write_it_is_the_same_index(
    files: dict[str, Path], written: str
) -> None:
    # the fixture's correlation is the same every day up to rounding: compare values, not ranks
    base = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"])]
    plain = _run(*base, "--format", "json")
    other = _run(*base, "--format", "json", "--index", written)
    assert plain[0] == other[0] == 0, other[2]
    docs = [json.loads(out) for out in (plain[1], other[1])]
    assert docs[0]["index"] == docs[1]["index"] == "SPX"
    rhos = [[r["implied_correlation"] for r in doc["rows"]] for doc in docs]
    assert len(rhos[1]) == len(DAYS)
    assert rhos[1] == pytest.approx(rhos[0], abs=1e-12)


def test_json_matches_the_library(files: dict[str, Path]) -> None:
    code, out, err = _run(
        "--constituent-vols",
        str(files["vols"]),
        "--weights",
        str(files["weights"]),
        "--format",
        "json",
        "--min-history",
        "1",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["index"] == "SPX"
    assert [r["date"] for r in doc["rows"]] == [d.isoformat() for d in DAYS]
    vols = pl.read_parquet(files["vols"])
    index = vols.filter(pl.col("symbol") == "SPX").select("date", "iv")
    names = vols.filter(pl.col("symbol") != "SPX")
    weights = pl.read_csv(files["weights"])
    rho = implied_correlation(index, names, weights).collect()
    disp = dispersion_index(index, names, weights).collect()
    pairs = zip(rho.iter_rows(named=True), disp.iter_rows(named=True), strict=True)
    for row, (r, dsp) in zip(doc["rows"], pairs, strict=True):
        assert row["implied_correlation"] == pytest.approx(
            r["implied_correlation"], rel=CLI_VS_LIBRARY_REL
        )
        assert row["dispersion"] == pytest.approx(dsp["dispersion"], rel=CLI_VS_LIBRARY_REL)
        assert row["n_constituents"] == 3
        assert 0 < row["percentile_1y"] <= 100


def test_text_and_csv(files: dict[str, Path]) -> None:
    base = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"])]
    code, out, _ = _run(*base)
    assert code == 0
    assert "(no percentile: 5 days of history in the past 1y)" in out  # default: 60 days
    code, out, _ = _run(*base, "--min-history", "1")
    assert code == 0
    assert out.startswith("SPX implied correlation on 2026-01-09: ")
    assert "percentile of the past 1y" in out
    assert len(out.strip().splitlines()) == 2 + len(DAYS)
    code, out, _ = _run(*base, "--format", "csv", "--window", "3m")
    assert code == 0
    table = pl.read_csv(io.StringIO(out))
    assert {"date", "implied_correlation", "percentile_3m", "dispersion", "weight_coverage"} <= set(
        table.columns
    )
    assert table.height == len(DAYS)


def test_separate_index_file_and_cboe_layout(files: dict[str, Path], tmp_path: Path) -> None:
    cboe = tmp_path / "UnderlyingIVIndexesEOD_2026-01-05.csv"
    cboe.write_text(
        "underlying_symbol,quote_datetime,iv30,iv60,iv90,iv120,iv180,iv360,number_of_expiry_ivs\n"
        "^SPX,2026-01-05 16:15:00,18,18,18,18,18,18,0\n"
    )
    code, out, err = _run(
        "--index-vol",
        str(cboe),
        "--constituent-vols",
        str(files["vols"]),
        "--weights",
        str(files["weights"]),
        "--index",
        "^SPX",
        "--format",
        "json",
    )
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert [r["date"] for r in rows] == ["2026-01-05"]
    assert rows[0]["index_iv"] == pytest.approx(0.18)


def test_errors_are_one_line(files: dict[str, Path], tmp_path: Path) -> None:
    code, _, err = _run(
        "--constituent-vols", str(tmp_path / "nope.csv"), "--weights", str(files["weights"])
    )
    assert code == 2
    assert err.strip() == f"optionsflow: error: {tmp_path / 'nope.csv'}: no such file"
    bad = tmp_path / "bad_weights.csv"
    bad.write_text("symbol,w\nA,1\n")
    code, _, err = _run("--constituent-vols", str(files["vols"]), "--weights", str(bad))
    assert code == 2
    assert "column 'weight'" in err
    assert len(err.strip().splitlines()) == 1


def test_top_keeps_the_heaviest_names(files: dict[str, Path]) -> None:
    base = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"])]
    code, out, err = _run(*base, "--top", "2", "--format", "json")
    assert code == 0, err
    vols = pl.read_parquet(files["vols"])
    index = vols.filter(pl.col("symbol") == "SPX").select("date", "iv")
    names = vols.filter(pl.col("symbol") != "SPX")
    weights = pl.read_csv(files["weights"])
    rho = implied_correlation(index, names, weights, top_n=2).collect()
    rows = json.loads(out)["rows"]
    assert [r["n_constituents"] for r in rows] == [2] * len(DAYS)
    assert [r["implied_correlation"] for r in rows] == pytest.approx(
        rho["implied_correlation"].to_list(), rel=1e-14
    )
    code, _, err = _run(*base, "--top-n", "2")
    assert code == 2
    assert "No such option '--top-n'" in err


def test_dated_weights_apply_per_date(files: dict[str, Path], tmp_path: Path) -> None:
    dated = tmp_path / "dated.csv"
    pl.DataFrame(
        {
            "date": [d.isoformat() for d in DAYS for _ in range(3)],
            "symbol": ["A", "B", "C"] * len(DAYS),
            "weight": [0.5, 0.3, 0.2] * len(DAYS),
        }
    ).write_csv(dated)
    base = ["--constituent-vols", str(files["vols"]), "--format", "csv"]
    code, static, _ = _run(*base, "--weights", str(files["weights"]))
    assert code == 0
    code, per_date, err = _run(*base, "--weights", str(dated))
    assert code == 0, err
    got, want = (pl.read_csv(io.StringIO(text)) for text in (per_date, static))
    assert got["n_constituents"].to_list() == want["n_constituents"].to_list()
    assert got["implied_correlation"].to_list() == pytest.approx(
        want["implied_correlation"].to_list(), rel=1e-12
    )


def _points(path: Path) -> dict[dt.date, float]:
    """A Cboe history's closes by date, read with the csv module (the oracle)."""
    with path.open(newline="") as fh:
        return {
            dt.datetime.strptime(r["DATE"], "%m/%d/%Y").date(): float(r["CLOSE"])
            for r in csv.DictReader(fh)
        }


def test_real_cboe_files_and_compare_with_cor1m(realdata: Path, tmp_path: Path) -> None:
    """VIX as the index vol, VXAPL/VXAZN as constituents, COR1M beside: Cboe's formula by hand."""
    history, single = realdata / "cboe_index_history", realdata / "cboe_single_stock_vol_indices"
    weights = tmp_path / "weights.csv"
    weights.write_text("symbol,weight\nAAPL,0.6\nAMZN,0.4\n")
    args = [
        "--index-vol", str(history / "VIX_History.csv"),
        "--constituent-vols", str(single / "VXAPL_History.csv"),
        "--constituent-vols", str(single / "VXAZN_History.csv"),
        "--weights", str(weights),
        "--compare", str(history / "COR1M_History.csv"),
    ]  # fmt: skip
    result = CliRunner().invoke(corr, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    notes = result.stderr.splitlines()
    assert len(notes) == 4
    assert notes[0].startswith("optionsflow: note: VIX_History.csv: Cboe VIX ")
    assert "read as implied_correlation = CLOSE / 100 (41.68 -> 0.4168 on 2026-03-27)" in notes[3]
    rows = {r["date"]: r for r in json.loads(result.stdout)["rows"]}
    vix, aapl = _points(history / "VIX_History.csv"), _points(single / "VXAPL_History.csv")
    amzn, cor1m = _points(single / "VXAZN_History.csv"), _points(history / "COR1M_History.csv")
    days = sorted(d for d in vix if d in aapl and d in amzn and d in cor1m)[-10:]
    assert days[-1] == dt.date(2022, 5, 9)
    for day in days:
        index, a, b = vix[day] / 100, 0.6 * aapl[day] / 100, 0.4 * amzn[day] / 100
        rho = (index**2 - a**2 - b**2) / (2 * a * b)
        row = rows[day.isoformat()]
        assert row["implied_correlation"] == pytest.approx(rho, rel=CLI_VS_LIBRARY_REL)
        assert row["cboe_cor1m"] == pytest.approx(cor1m[day] / 100)
        assert row["diff_cor1m"] == pytest.approx(rho - cor1m[day] / 100, rel=1e-9, abs=1e-12)
    # 2022-05-09: VIX 34.75, VXAPL 43.41, VXAZN 57.32 -> two names far above the index give
    # rho 0.0029 against COR1M's 0.5175 (500 names)
    assert rows["2022-05-09"]["implied_correlation"] == pytest.approx(0.0029097, abs=1e-7)
    assert rows["2022-05-09"]["diff_cor1m"] == pytest.approx(0.0029097 - 0.5175, abs=1e-7)
    assert rows["2026-03-27"]["diff_cor1m"] is None  # no constituent vols that day

    last = CliRunner().invoke(corr, [*args, "--last", "3", "--format", "csv"])
    assert last.exit_code == 0, last.stderr
    table = pl.read_csv(io.StringIO(last.stdout), try_parse_dates=True)
    assert table["date"].to_list() == sorted(vix)[-3:]
    assert table["cboe_cor1m"].to_list() == pytest.approx(
        [cor1m[d] / 100 for d in sorted(vix)[-3:]]
    )

    text = CliRunner().invoke(corr, [*args, "--last", "2"])
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert (
        lines[0] == "Cboe COR1M: no date in common with ours among the dates shown"
    )  # the last 2 dates have no names
    assert lines[1].split()[-3:] == ["cover", "COR1M", "diff"]
    assert lines[3].split()[0] == "2026-03-27"
    assert lines[3].split()[-2:] == ["0.417", "n/a"]
    assert len(lines) == 2 + 2


def test_last_keeps_the_latest_dates(files: dict[str, Path]) -> None:
    base = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"])]
    code, out, _ = _run(*base, "--last", "2", "--format", "json", "--min-history", "1")
    assert code == 0
    assert [r["date"] for r in json.loads(out)["rows"]] == [d.isoformat() for d in DAYS[-2:]]
    code, _, err = _run(*base, "--last", "0")
    assert code == 2
    assert "--last" in err


def test_compare_sentence_and_columns(files: dict[str, Path], tmp_path: Path) -> None:
    """Text: the latest date both have, and the mean (absolute) difference over those dates."""
    cor1m = tmp_path / "COR1M_History.csv"
    closes = [40.0, 50.0, 60.0]  # the first three days only
    cor1m.write_text(
        "DATE,OPEN,HIGH,LOW,CLOSE\n"
        + "".join(f"{d:%m/%d/%Y},1,1,1,{c}\n" for d, c in zip(DAYS, closes, strict=False))
    )
    base = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"]),
            "--compare", str(cor1m)]  # fmt: skip
    code, out, _ = _run(*base, "--format", "json")
    assert code == 0
    rows = json.loads(out)["rows"]
    rho = [r["implied_correlation"] for r in rows]
    diffs = [rho[i] - closes[i] / 100 for i in range(3)]
    assert [r["diff_cor1m"] for r in rows] == pytest.approx([*diffs, None, None])
    code, out, _ = _run(*base)
    assert code == 0
    mean, mean_abs = sum(diffs) / 3, sum(map(abs, diffs)) / 3
    assert out.splitlines()[1] == (
        f"implied_correlation vs Cboe COR1M on {DAYS[2]}: {rho[2]:.3f} vs 0.600 ({diffs[2]:+.3f}); "
        f"over 3 dates shown: mean difference {mean:+.3f}, mean absolute {mean_abs:.3f}"
    )


def _history(path: Path, rows: list[tuple[str, float]]) -> Path:
    lines = ["DATE,OPEN,HIGH,LOW,CLOSE", *(f"{d},{v},{v},{v},{v}" for d, v in rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_two_files_with_the_same_vols_are_refused(files: dict[str, Path], tmp_path: Path) -> None:
    # VIX and VIX1M are both 30-day S&P 500 vols: two index vols a date would double every row
    vix = _history(tmp_path / "VIX_History.csv", [("01/05/2026", 18.0)])
    one = _history(tmp_path / "VIX1M_History.csv", [("01/05/2026", 18.5)])
    args = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"])]
    result = CliRunner().invoke(corr, [*args, "--index-vol", str(vix), "--index-vol", str(one)])
    assert result.exit_code == 2
    assert f"two vols of SPX on 2026-01-05, from {vix} and {one}" in result.output


def test_a_history_of_another_tenor_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    nine = _history(tmp_path / "VIX9D_History.csv", [("01/05/2026", 15.0)])
    args = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"])]
    result = CliRunner().invoke(corr, [*args, "--index-vol", str(nine)])
    assert result.exit_code == 2
    assert "VIX9D is a 9-day vol; the vols asked for are 30-day" in result.output
    cor3m = _history(tmp_path / "COR3M_History.csv", [("01/05/2026", 20.0)])
    result = CliRunner().invoke(corr, [*args, "--compare", str(cor3m)])
    assert result.exit_code == 2
    assert "Cboe COR3M is a 90-day index; ours is iv30" in result.output


def test_an_index_compared_twice_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    a = _history(tmp_path / "COR1M_History.csv", [("01/05/2026", 20.0)])
    b = _history(tmp_path / "cboe_cor1m_history.csv", [("01/05/2026", 20.0)])
    args = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"])]
    result = CliRunner().invoke(corr, [*args, "--compare", str(a), "--compare", str(b)])
    assert result.exit_code == 2
    assert f"--compare names Cboe COR1M twice ({a} and {b})" in result.output


def test_a_bad_byte_in_a_history_is_located(files: dict[str, Path], tmp_path: Path) -> None:
    path = _history(tmp_path / "VIX_History.csv", [("01/05/2026", 18.0), ("01/06/2026", 18.2)])
    path.write_bytes(path.read_bytes().replace(b"01/06/2026", b"01/06/2\xff26"))
    args = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"])]
    result = CliRunner().invoke(corr, [*args, "--index-vol", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:2: invalid UTF-8 bytes" in result.output


def test_quiet_silences_the_conversion_note(files: dict[str, Path], tmp_path: Path) -> None:
    vix = _history(tmp_path / "VIX_History.csv", [(f"01/0{d.day}/2026", 18.0) for d in DAYS])
    args = ["--constituent-vols", str(files["vols"]), "--weights", str(files["weights"]),
            "--index-vol", str(vix)]  # fmt: skip
    loud, quiet = CliRunner().invoke(corr, args), CliRunner().invoke(corr, [*args, "-q"])
    assert loud.exit_code == quiet.exit_code == 0
    assert "VIX_History.csv" in loud.stderr
    assert quiet.stderr == ""
    assert quiet.stdout == loud.stdout
