"""Issue #15 acceptance: a hostile user's inputs, generated, against every reader and command.

Every case asserts the command line's contract, not a particular message: no traceback, exit
status 0 or 2 (never 1), a one-line error; strict ingest located as ``file:row: column`` when a
row is at fault; quarantine keeps going and accounts for every row:
``read = accepted + rejected + cancelled + duplicates`` = the file's real row count.
The mutations are drawn from a seeded generator, so a failure reproduces.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from optionsflow.cli import main
from optionsflow.testing import trades

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
CBOE = FIXTURES / "cboe" / "UnderlyingOptionsTrades_2026-03-06.csv"
POLYGON = FIXTURES / "polygon" / "2026-03-06.csv"
DBN = FIXTURES / "databento" / "opra_2026-03-06.trades.dbn"

HOSTILE = ["", "nan", "inf", "-1", "0", "1e308", "abc", "2026-13-45", "N/A", "  ", '"', "1,5"]
LINE = re.compile(r"read (\S+) \| accepted (\S+) \| rejected (\S+) \| cancelled (\S+) \| "
                  r"duplicates (\S+)")  # fmt: skip
LOCATED = re.compile(r"^optionsflow: error: .+:\d+: ")  # file:row: (then the column, if one is)
AT_COLUMN = re.compile(r"^optionsflow: error: .+:\d+: column '[^']+': ")


def run(args: Sequence[object]) -> Result:
    """Invoke the CLI and check the contract every input must keep."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    shown = f"{args}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert result.exit_code in (0, 2), shown
    assert "Traceback" not in result.output, shown
    if result.exit_code == 2:
        errors = [ln for ln in result.stderr.splitlines() if "error" in ln.lower()]
        assert len(errors) == 1, shown
    return result


def mutate_csv(source: Path, rng: random.Random, out: Path) -> tuple[Path, int | None]:
    """Damage one cell of one data row; return the file and its real data-row count."""
    header, *rows = source.read_text().splitlines()
    row = rng.randrange(len(rows))
    cells = rows[row].split(",")
    col = rng.randrange(len(cells))
    kind = rng.choice(["cell", "cell", "cell", "drop", "extra", "cut"])
    real: int | None = len(rows)
    if kind == "cell":
        cells[col] = rng.choice(HOSTILE)
        rows[row] = ",".join(cells)
    elif kind == "drop":
        rows[row] = ",".join(cells[:col] + cells[col + 1 :])
    elif kind == "extra":
        rows[row] = ",".join([*cells, "surplus"])
    else:  # cut the file inside the row
        rows = [*rows[:row], rows[row][: rng.randrange(1, len(rows[row]))]]
        real = None
    out.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return out, real


def accounting(result: Result) -> tuple[int, ...]:
    match = LINE.search(result.stdout)
    assert match, result.output
    read, *parts = (int(x.replace(",", "")) for x in match.groups())
    assert read == sum(parts), result.stdout
    return (read, *parts)


def check_ingest(path: Path, real_rows: int | None, tmp: Path) -> None:
    out = tmp / f"{path.stem}.out.parquet"
    strict = run(["ingest", path, "--out", out])
    quarantined = run(["ingest", path, "--out", out, "--on-invalid", "quarantine"])
    if quarantined.exit_code == 0:
        read, _, rejected, *_ = accounting(quarantined)
        if real_rows is not None:
            assert read == real_rows, (path.read_text(errors="replace"), quarantined.stdout)
        if rejected and strict.exit_code == 2 and "rejected" not in strict.stderr:
            assert LOCATED.match(strict.stderr.strip().splitlines()[-1]), strict.stderr
    leftovers = [p.name for p in tmp.iterdir() if p.name.startswith(".")]
    assert not leftovers, leftovers


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("source", [CBOE, POLYGON], ids=["cboe", "polygon"])
def test_damaged_vendor_csv(tmp_path: Path, source: Path, seed: int) -> None:
    rng = random.Random(f"{source.name}-{seed}")
    path, real = mutate_csv(source, rng, tmp_path / source.name)
    check_ingest(path, real, tmp_path)


@pytest.mark.parametrize(
    "content",
    [b"", b"\n", b"\x00\xff\xfe garbage \x89PNG", "sym,caf\xe9\n1,2\n".encode("latin-1")],
    ids=["empty", "blank", "binary", "latin1"],
)
def test_files_that_are_not_trades(tmp_path: Path, content: bytes) -> None:
    for name in ("UnderlyingOptionsTrades_2026-03-06.csv", "2026-03-06.csv", "x.parquet", "x.dbn"):
        path = tmp_path / name
        path.write_bytes(content)
        check_ingest(path, None, tmp_path)


@pytest.mark.parametrize("cut", [1, 20, 57, 200])
def test_truncated_dbn(tmp_path: Path, cut: int) -> None:
    data = DBN.read_bytes()
    path = tmp_path / DBN.name
    path.write_bytes(data[: max(1, len(data) - cut)])
    check_ingest(path, None, tmp_path)


def test_header_only_csv_reads_zero_rows(tmp_path: Path) -> None:
    path = tmp_path / CBOE.name
    path.write_text(CBOE.read_text().splitlines()[0] + "\n")
    result = run(["ingest", path, "--out", tmp_path / "o.parquet"])
    assert result.exit_code == 0
    assert accounting(result)[0] == 0


@pytest.mark.parametrize(
    "values",
    [{"price": float("nan")}, {"price": -1.0}, {"size": 0}, {"bid": float("inf")},
     {"expiry": trades([{}])["ts"].dt.date()[0].replace(year=2020)}],
    ids=["nan-price", "negative-price", "zero-size", "inf-bid", "expired"],
)  # fmt: skip
def test_canonical_parquet_with_a_bad_row(tmp_path: Path, values: dict[str, object]) -> None:
    path = tmp_path / "day.parquet"
    trades([{}, values, {}]).write_parquet(path)
    check_ingest(path, 3, tmp_path)
    strict = run(["ingest", path, "--out", tmp_path / "o.parquet"])
    assert strict.exit_code == 2
    assert AT_COLUMN.match(strict.stderr.strip()), strict.stderr


# --- reference tables, config and arguments, against every command ----------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    day = tmp / "day.parquet"
    trades([{"size": 10}, {"size": 300, "strike": 120.0}, {"underlying": "SPY", "root": "SPY"}]
           ).write_parquet(day)  # fmt: skip
    files = {
        "day": day,
        "dir": tmp / "adir",
        "latin": tmp / "latin.toml",
        "badtoml": tmp / "bad.toml",
        "range": tmp / "range.toml",
        "dup_sectors": tmp / "sectors.csv",
        "lower_sectors": tmp / "lower.csv",
        "vols_dup": tmp / "vols.csv",
        "vols_points": tmp / "points.csv",
        "vols_ok": tmp / "vols_ok.csv",
        "weights_neg": tmp / "weights.csv",
        "weights_ok": tmp / "weights_ok.csv",
        "vix": tmp / "VIX_History.csv",
        "vix_bad": tmp / "bad" / "VIX_History.csv",
        "vix_unnamed": tmp / "spx_vol.csv",
        "cor1m": tmp / "COR1M_History.csv",
        "nomatch": tmp / "nomatch.csv",
        "prices_bad": tmp / "prices.csv",
    }
    files["dir"].mkdir()
    files["latin"].write_bytes(b"[participant]\nblock_size = 100 # caf\xe9\n")
    files["badtoml"].write_text("[participant\nblock_size = ")
    files["range"].write_text("[participant]\nblock_size = 0\n")
    files["dup_sectors"].write_text("symbol,sector\nXOM,Energy\nXOM,Tech\n")
    files["lower_sectors"].write_text("symbol,sector\nabc,Energy\n")
    files["vols_dup"].write_text("date,symbol,iv\n2026-11-16,SPX,0.2\n2026-11-16,XOM,0.3\n"
                                 "2026-11-16,XOM,0.4\n")  # fmt: skip
    files["vols_points"].write_text("date,symbol,iv\n2026-11-16,SPX,20.0\n2026-11-16,XOM,30.0\n")
    files["vols_ok"].write_text("date,symbol,iv\n2026-11-16,SPX,0.2\n2026-11-16,XOM,0.3\n")
    files["weights_neg"].write_text("symbol,weight\nXOM,-0.5\n")
    files["weights_ok"].write_text("symbol,weight\nXOM,1.0\n")
    ohlc = "DATE,OPEN,HIGH,LOW,CLOSE\n"
    files["vix"].write_text(f"{ohlc}11/16/2026,17.24,17.24,17.24,20.0\n")
    files["vix_bad"].parent.mkdir()
    files["vix_bad"].write_text(f"{ohlc}11/13/2026,17.24,17.24,17.24,20.0\n11/16/2026,1,2,1,n/a\n")
    files["vix_unnamed"].write_text(f"{ohlc}11/16/2026,17.24,17.24,17.24,20.0\n")
    files["cor1m"].write_text(f"{ohlc}11/16/2026,30,30,30,30\n")
    files["nomatch"].write_text("date,symbol,iv\n2026-11-16,SPX,0.2\n2026-11-16,ZZZZ,0.3\n")
    files["prices_bad"].write_text("date,close\n2026-11-16,abc\n")
    return files


def _cases(f: dict[str, Path]) -> list[list[object]]:
    day, d = f["day"], f["dir"]
    nodir = d / "missing" / "x.out"
    corr = ["corr", "--constituent-vols"]
    return [
        # item 12: bad numbers, unwritable --out / --rejects, unreadable --config
        ["streaks", day, "--lookback", "-5"],
        ["summary", day, "--baseline-weeks", "-1"],
        ["skew", day, "--baseline-weeks", "0"],
        ["flow", day, "--out", d],
        ["summary", day, "--out", d],
        ["flow", day, "--out", nodir],
        ["ingest", day, "--out", nodir],
        ["ingest", day, "--out", d / "o.parquet", "--rejects", nodir],
        ["classify", day, "--out", d],
        ["summary", day, "--config", f["latin"]],
        ["summary", day, "--config", d],
        ["flow", day, "--config", f["badtoml"]],
        ["flow", day, "--config", f["range"]],
        # item 14: choices and counts
        ["flow", day, "--weeks", "0"],
        ["unusual", day, "--top", "0"],
        ["flow", day, "--by", "participant,foo"],
        ["streaks", day, "--participant", "Retail"],
        ["streaks", day, "--measure", "notional"],
        ["skew", day, "--group", "industry"],
        ["synth", "--days", "0", "--out", d / "s"],
        ["batch", day, "--store", d / "st", "--workers", "0"],
        # reference tables
        ["skew", day, "--sectors", f["dup_sectors"]],
        ["summary", day, "--vols", f["vols_dup"], "--weights", f["weights_ok"]],
        ["summary", day, "--vols", f["vols_points"], "--weights", f["weights_ok"]],
        ["summary", day, "--vols", f["vols_ok"], "--weights", f["weights_neg"]],
        ["summary", day, "--index-prices", f["prices_bad"]],
        [*corr, f["nomatch"], "--weights", f["weights_ok"]],
        [*corr, f["vols_dup"], "--weights", f["weights_ok"]],
        [*corr, f["vols_ok"], "--weights", f["weights_ok"], "--index-vol", f["vix_bad"]],
        [*corr, f["vols_ok"], "--weights", f["weights_ok"], "--index-vol", f["vix_unnamed"]],
        [*corr, f["vols_ok"], "--weights", f["weights_ok"], "--index-vol", f["cor1m"]],
        [*corr, f["vols_ok"], "--weights", f["weights_ok"], "--compare", f["vix_unnamed"]],
        [*corr, f["vols_ok"], "--weights", f["weights_neg"]],
        [*corr, f["vols_points"], "--weights", f["weights_ok"]],
        [*corr, f["nomatch"], "--weights", f["weights_ok"], "--min-history", "0"],
        [*corr, f["vols_ok"], "--weights", f["weights_ok"], "--index", "NDX"],
        [*corr, d / "none.csv", "--weights", f["weights_ok"]],
    ]


def test_every_bad_argument_is_one_line_and_exit_2(inputs: dict[str, Path]) -> None:
    for args in _cases(inputs):
        result = run(args)
        assert result.exit_code == 2, (args, result.output)
    assert not [p.name for p in inputs["dir"].iterdir() if p.name.startswith(".")]


def test_names_and_index_said(inputs: dict[str, Path]) -> None:
    base = ["corr", "--constituent-vols", inputs["vols_ok"], "--weights", inputs["weights_ok"]]
    bad = run([*base, "--index-vol", inputs["vix_bad"]]).stderr
    located = f"{inputs['vix_bad']}:2: column 'CLOSE': expected a number (got 'n/a')"
    assert bad == f"optionsflow: error: {located}\n"
    unnamed = run([*base, "--index-vol", inputs["vix_unnamed"]]).stderr
    assert f"{inputs['vix_unnamed']}: a DATE,OPEN,HIGH,LOW,CLOSE history names its index" in unnamed
    cor1m = run([*base, "--index-vol", inputs["cor1m"]]).stderr
    assert "COR1M is the 1-month implied correlation of the S&P 500, not the vol" in cor1m
    assert "no vols of the index 'NDX'" in run([*base, "--index", "NDX"]).stderr


def test_cboe_vix_history_is_read_in_points_with_a_note(inputs: dict[str, Path]) -> None:
    """Cboe's own VIX_History.csv (points) is an index vol: 20.0 points -> iv 0.2."""
    base = ["corr", "--constituent-vols", inputs["vols_ok"], "--weights", inputs["weights_ok"]]
    result = run([*base, "--index-vol", inputs["vix"], "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "optionsflow: note: VIX_History.csv: Cboe VIX (30-day implied vol of the S&P 500) in "
        "index points, read as SPX iv = CLOSE / 100 (20 -> 0.2 on 2026-11-16)\n"
    )
    assert "2026-11-16" in result.stdout
    assert ",0.2," in result.stdout  # index_iv


def test_a_map_that_covers_little_is_a_warning_line(inputs: dict[str, Path]) -> None:
    result = run(["skew", inputs["day"], "--sectors", inputs["lower_sectors"]])
    assert result.exit_code == 0
    assert "optionsflow: warning: " in result.stderr
    assert "covers 0.0% of single-name premium" in result.stderr
