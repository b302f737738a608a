"""``optionsflow chain`` and ``optionsflow vix``: the library's results, one-line errors."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from optionsflow import schema as s
from optionsflow.cli import main
from optionsflow.ingest import read_chain, read_vol_table
from optionsflow.volatility import chain_implied_vols

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chains"
QUOTEDATA = FIXTURES / "quotedata_small.csv"
INTERVALS = FIXTURES / "UnderlyingOptionsIntervals_1800sec_calcs_oi_2026-03-06.csv"
EOD_CALCS = FIXTURES / "UnderlyingOptionsEODCalcs_2026-03-06.csv"
EOD_QUOTES = FIXTURES / "UnderlyingOptionsEODQuotes_2026-03-06.csv"


def test_chain_writes_the_library_chain_with_ivs(tmp_path: Path) -> None:
    out = tmp_path / "chain.parquet"
    result = CliRunner().invoke(
        main, ["chain", str(QUOTEDATA), "--out", str(out), "--rate", "0.01"]
    )
    assert result.exit_code == 0, result.output
    assert "read 12 = accepted 12 + rejected 0" in result.stdout
    want = chain_implied_vols(read_chain(QUOTEDATA), rate=0.01).collect()
    assert pl.read_parquet(out).equals(want)


def test_chain_with_a_rate_curve_and_the_vendor_forward(tmp_path: Path) -> None:
    curve = tmp_path / "curve.csv"
    curve.write_text("tenor_days,rate\n7,0.001\n90,0.003\n")
    out = tmp_path / "c.parquet"
    args = [
        "chain",
        str(INTERVALS),
        "--out",
        str(out),
        "--rates",
        str(curve),
        "--forward",
        "vendor",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    chain = pl.read_parquet(out)
    assert chain.height == 5
    rates = chain[s.RATE].to_numpy()
    assert rates.min() >= 0.001
    assert rates.max() <= 0.003
    assert chain[s.FORWARD].to_list() == chain[s.VENDOR_FORWARD].to_list()


def test_chain_recognises_every_layout_in_one_run(tmp_path: Path) -> None:
    out = tmp_path / "chain.parquet"
    files = [EOD_CALCS, EOD_QUOTES, QUOTEDATA, INTERVALS]
    result = CliRunner().invoke(main, ["chain", *map(str, files), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "read 26 = accepted 26 + rejected 0" in result.stdout  # 6 + 3 + 12 + 5 options
    assert pl.read_parquet(out).equals(chain_implied_vols(read_chain(files)).collect())
    bad = tmp_path / EOD_CALCS.name
    bad.write_text(EOD_CALCS.read_text().replace("48.7000", "4x.7"))
    failed = CliRunner().invoke(main, ["vix", str(bad)])
    assert failed.exit_code == 2
    assert f"{EOD_CALCS.name}:2: column 'bid_1545': not a number (got '4x.7')" in failed.stderr


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "quotedata.csv"
    bad.write_text(QUOTEDATA.read_text().replace("139.5", "abc"))
    result = CliRunner().invoke(main, ["chain", str(bad), "--out", str(tmp_path / "c.parquet")])
    assert result.exit_code == 2
    assert "quotedata.csv:1: column 'call Bid': not a number (got 'abc')" in result.stderr
    quarantined = CliRunner().invoke(
        main,
        ["chain", str(bad), "--out", str(tmp_path / "c.parquet"), "--on-invalid", "quarantine"],
    )
    assert quarantined.exit_code == 0
    assert "read 12 = accepted 11 + rejected 1" in quarantined.stdout
    rejects = pl.read_parquet(tmp_path / "c.rejects.parquet")
    assert rejects.select(s.SOURCE_ROW, "column").rows() == [(1, "call Bid")]


@pytest.mark.realdata
def test_vix_prints_the_published_close(realdata: Path) -> None:
    path = realdata / "cboe_option_chains" / "spx_quotedata_2022-02-04.csv"
    result = CliRunner().invoke(main, ["vix", str(path), "--rate", "0.001", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pl.read_csv(io.StringIO(result.stdout))
    assert table.height == 1
    assert round(table[s.VARIANCE_INDEX][0], 2) == 23.22
    assert table[s.NEAR_EXPIRY][0] == "2022-03-04"


@pytest.mark.realdata
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_saved_vix_table_is_a_vol_table_for_corr(
    realdata: Path, tmp_path: Path, fmt: str
) -> None:
    path = realdata / "cboe_option_chains" / "spx_quotedata_2022-02-04.csv"
    out = tmp_path / f"vix.{fmt}"
    result = CliRunner().invoke(
        main, ["vix", str(path), "--rate", "0.001", "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    vols = read_vol_table(out).collect()
    assert vols.columns == [s.DATE, s.SYMBOL, s.IV]
    assert vols.row(0)[:2] == (read_chain(path).collect()[s.DATE][0], "SPX")
    assert round(vols[s.IV][0], 4) == 0.2322


def test_unusual_takes_open_interest_once(tmp_path: Path) -> None:
    oi = tmp_path / "oi.csv"
    oi.write_text("root,expiry,strike,right,open_interest\nSPX,2026-03-20,6800,C,1\n")
    result = CliRunner().invoke(
        main, ["unusual", "--chain", str(EOD_CALCS), "--open-interest", str(oi)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "give --open-interest or --chain, not both" in result.stderr


@pytest.mark.realdata
def test_unusual_from_a_chain_alone(realdata: Path) -> None:
    from optionsflow.aggregate.unusual import unusual_activity  # noqa: PLC0415

    path = realdata / "cboe_option_chains" / "spx_quotedata_2022-02-04.csv"
    result = CliRunner().invoke(
        main, ["unusual", "--chain", str(path), "--top", "5", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    table = pl.read_csv(io.StringIO(result.stdout), try_parse_dates=True)
    want = unusual_activity(chain=read_chain(path)).filter(pl.col("rank") <= 5).collect()
    assert (
        table.select("rank", "root", "strike", "volume").rows()
        == want.select("rank", "root", "strike", "volume").rows()
    )
    # all 381 flagged options have one flag (volume/OI) and no premium: the most traded comes
    # first, the 3900 put of 2022-02-11 (the file's row: volume 15,978, open interest 5,325)
    top = table.row(0, named=True)
    assert (top["strike"], top["right"], top["volume"]) == (3900.0, "P", 15978)
    assert top["volume_oi"] == pytest.approx(15978 / 5325, rel=1e-12)


@pytest.mark.realdata
def test_unusual_from_a_chain_with_a_bad_row_in_quarantine(calcs_intervals: Path) -> None:
    # the Calcs sample's row 325 has a negative ask size: strict mode stops there, located
    strict = CliRunner().invoke(main, ["unusual", "--chain", str(calcs_intervals)])
    assert strict.exit_code == 2
    assert ":325: column 'ask_size'" in strict.stderr
    args = ["unusual", "--chain", str(calcs_intervals), "--on-invalid", "quarantine"]
    kept = CliRunner().invoke(main, [*args, "--format", "csv"])
    assert kept.exit_code == 0, kept.stderr
    assert "--chain: 1 of 20,160 rows rejected" in kept.stderr
    assert kept.stdout.count("\n") - 1 == 8  # the options flagged for volume/OI (docs/flow.md)
