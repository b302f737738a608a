"""Bad input never crashes: located errors in strict mode, accounting in quarantine mode."""

import gzip
import zipfile
from pathlib import Path

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, ParseError, SchemaError, SourceError
from optionsflow.ingest import IngestWarning, load_trades, scan_trades

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
CBOE = FIXTURES / "cboe" / "UnderlyingOptionsTrades_2026-03-06.csv"
POLYGON = FIXTURES / "polygon" / "2026-03-06.csv"


def cut_gzip(tmp_path: Path, source: Path, keep: float) -> Path:
    """A gzip of 2,000 distinct Cboe lines, cut after ``keep`` of its bytes."""
    header, *lines = source.read_text().splitlines()
    body = [lines[i % 4].replace(",100", f",{i:07d}", 1) for i in range(2000)]
    data = gzip.compress(("\n".join([header, *body]) + "\n").encode())
    path = tmp_path / f"{source.stem}.csv.gz"
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("hello,world\n1,2\n")
    with pytest.raises(SourceError, match="unknown format"):
        load_trades(path)
    result = load_trades([path, CBOE], on_invalid="quarantine")
    assert result.counts.failed_files == 1
    assert result.counts.accepted == 5
    assert result.rejects.select("source", "source_row").row(0) == (str(path), 0)
    with pytest.warns(IngestWarning, match="unknown format"):
        assert scan_trades([path, CBOE], on_invalid="quarantine").collect().height == 5


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "UnderlyingOptionsTrades_2026-03-06.csv"
    path.write_bytes(b"")
    with pytest.raises(ParseError, match=r"\.csv:0: empty file"):
        load_trades(path)
    gz = tmp_path / "empty.csv.gz"
    gz.write_bytes(gzip.compress(b""))
    with pytest.raises(ParseError, match="empty file"):
        load_trades(gz)


def test_header_only_reads_nothing(tmp_path: Path) -> None:
    path = tmp_path / CBOE.name
    path.write_text(CBOE.read_text().splitlines()[0] + "\n")
    result = load_trades(path)
    assert result.counts.read == 0
    assert result.trades.schema == load_trades(CBOE).trades.schema


def test_wrong_delimiter(tmp_path: Path) -> None:
    path = tmp_path / CBOE.name
    path.write_text(CBOE.read_text().replace(",", ";"))
    with pytest.raises(ParseError) as info:
        load_trades(path)
    assert str(info.value) == f"{path}:0: wrong delimiter: expected ',' (got ';')"


def test_truncated_gzip_strict_names_the_row(tmp_path: Path) -> None:
    path = cut_gzip(tmp_path, CBOE, 0.6)
    with pytest.raises(ParseError, match=r"gzip data is truncated or corrupt") as info:
        load_trades(path)
    assert info.value.row is not None
    assert info.value.row > 1
    with pytest.raises(ParseError, match="truncated or corrupt"):
        scan_trades(path).collect()


def test_truncated_gzip_quarantine_keeps_the_complete_rows(tmp_path: Path) -> None:
    path = cut_gzip(tmp_path, CBOE, 0.6)
    result = load_trades(path, on_invalid="quarantine")
    c = result.counts
    broken = result.rejects.filter(pl.col("reason").str.contains("truncated"))
    assert c.failed_files == 1
    assert broken.height == 1
    lost_from = broken["source_row"].item()
    assert c.read == lost_from - 1  # every complete row before the break was read
    assert c.read == c.accepted + c.rejected + c.cancelled + c.duplicates
    assert 100 < c.read < 2000
    assert c.rejected == 0
    assert broken["raw"].item()  # the cut-off partial line is shown


def test_corrupt_zip_and_zstd(tmp_path: Path) -> None:
    archive = tmp_path / "day.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(CBOE, CBOE.name)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[:-30])  # central directory gone
    with pytest.raises(OptionsFlowError, match="zip"):
        load_trades(cut)
    zstandard = pytest.importorskip("zstandard")
    data = zstandard.ZstdCompressor().compress(CBOE.read_bytes() * 50)
    z = tmp_path / "cut.csv.zst"
    z.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError, match="zstd data is truncated or corrupt"):
        load_trades(z)


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(OptionsFlowError):
        load_trades(path)


def test_missing_path_and_bad_option(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        load_trades(tmp_path / "nope.csv")
    with pytest.raises(OptionsFlowError, match="on_invalid"):
        load_trades(CBOE, on_invalid="ignore")  # type: ignore[arg-type]


def test_directories_and_globs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("one", "two"):
        (tmp_path / "a" / f"{name}_2026-03-06.csv").write_bytes(POLYGON.read_bytes())
    (tmp_path / "a" / ".hidden").write_text("ignored")
    by_dir = load_trades(tmp_path / "a")
    by_glob = load_trades(str(tmp_path / "a" / "*.csv"))
    assert by_dir.counts.read == by_glob.counts.read == 12
    assert by_dir.trades[s.SOURCE].n_unique() == 2


def test_missing_column_is_a_schema_error(tmp_path: Path) -> None:
    path = tmp_path / POLYGON.name
    path.write_text(POLYGON.read_text().replace("sip_timestamp,size", "sip_timestamp,volume"))
    with pytest.raises(SchemaError) as info:
        load_trades(path)
    assert (info.value.source, info.value.column) == (str(path), "size")
