"""``optionsflow ingest``: the accounting line, the files written, exit status 2 on bad input."""

from pathlib import Path

import polars as pl
from click.testing import CliRunner

from optionsflow import schema as s
from optionsflow.cli.ingest import ingest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
GOOD = FIXTURES / "cboe" / "UnderlyingOptionsTrades_2026-03-06.csv"
BAD = FIXTURES / "cboe" / "UnderlyingOptionsTrades_2026-03-09.csv"
POLYGON = FIXTURES / "polygon" / "2026-03-06.csv"
QUOTES = FIXTURES / "polygon" / "quotes_2026-03-06.csv"


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(ingest, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_ingest_prints_the_accounting_and_writes_parquet(tmp_path: Path) -> None:
    out = tmp_path / "day.parquet"
    code, stdout, _ = run(GOOD, "--out", out)
    assert code == 0
    assert stdout == (
        f"read 8 | accepted 5 | rejected 0 | cancelled 2 | duplicates 1 | trades -> {out}\n"
    )
    written = pl.read_parquet(out)
    s.validate_trades(written)
    assert written[s.SEQ].to_list() == [1001, 1002, 1003, 1004, 1007]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.parquet"]  # no temp file left


def test_strict_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "day.parquet"
    code, stdout, stderr = run(BAD, "--out", out)
    assert code == 2
    assert stdout == ""
    assert stderr == (
        f"optionsflow: error: {BAD}:2: column 'trade_price': expected a number (got 'N/A')\n"
    )
    assert not out.exists()


def test_quarantine_writes_the_rejects(tmp_path: Path) -> None:
    out, rejects = tmp_path / "day.parquet", tmp_path / "bad.parquet"
    code, stdout, _ = run(BAD, "--out", out, "--rejects", rejects)
    assert code == 0
    assert stdout.startswith("read 15 | accepted 1 | rejected 14 | cancelled 0 | duplicates 0 |")
    assert pl.read_parquet(rejects)["source_row"].to_list() == list(range(2, 16))
    default = tmp_path / "other.parquet"
    code, stdout, _ = run(BAD, "--out", default, "--on-invalid", "quarantine")
    assert code == 0
    assert (tmp_path / "other.rejects.parquet").is_file()


def test_polygon_with_quotes_and_input_format(tmp_path: Path) -> None:
    out = tmp_path / "day.parquet"
    code, stdout, _ = run(POLYGON, "--out", out, "--input-format", "polygon", "--quotes", QUOTES)
    assert code == 0, stdout
    assert pl.read_parquet(out)[s.BID].to_list() == [1.2, 1.2, 2.4, None]


def test_missing_input_exits_2(tmp_path: Path) -> None:
    code, _, stderr = run(tmp_path / "nope.csv", "--out", tmp_path / "x.parquet")
    assert code == 2
    assert stderr.startswith("optionsflow: error: ")
    assert "no such file" in stderr


def test_format_is_the_output_format_elsewhere_so_ingest_takes_input_format(tmp_path: Path) -> None:
    code, _, stderr = run(GOOD, "--out", tmp_path / "x.parquet", "--format", "cboe")
    assert code == 2
    assert "No such option '--format'" in stderr
