"""The Cboe delayed-quotes chain reader: layout, snapshot day, located errors, accounting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optionsflow import schema as s
from optionsflow.errors import OptionsFlowError, ParseError, SourceError, ValidationError
from optionsflow.ingest.reference.chains import load_chain, read_chain
from optionsflow.ingest.reference.snapshot import parse_stamp, snapshot_day

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "chains" / "quotedata_small.csv"
NY = "America/New_York"


def test_fixture_maps_onto_the_canonical_chain() -> None:
    chain = read_chain(FIXTURE).collect()
    assert chain.schema == pl.Schema(s.CHAIN_SCHEMA)
    assert chain.height == 12
    assert set(chain[s.DATE]) == {dt.date(2026, 3, 13)}  # a Saturday download: Friday's close
    assert chain[s.TS][0] == dt.datetime(2026, 3, 13, 20, 15, tzinfo=dt.UTC)  # 16:15 EDT
    put = chain.filter((pl.col(s.STRIKE) == 4400) & (pl.col(s.RIGHT) == "P")).row(0, named=True)
    assert put[s.ROOT] == "SPXW"
    assert put[s.UNDERLYING] == "SPX"
    assert put[s.SETTLEMENT] == "PM"
    assert (put[s.BID], put[s.ASK], put[s.LAST], put[s.VOLUME], put[s.OPEN_INTEREST]) == (
        38.0, 39.2, 38.2, 40, 2200,
    )  # fmt: skip
    assert (put[s.VENDOR_IV], put[s.VENDOR_DELTA], put[s.VENDOR_GAMMA]) == (0.2231, -0.3099, 0.0011)
    assert (put[s.UNDERLYING_BID], put[s.UNDERLYING_ASK], put[s.UNDERLYING_PRICE]) == (
        4499.5, 4501.5, 4500.5,
    )  # fmt: skip
    assert put[s.SOURCE_ROW] == 1
    monthly = chain.filter(pl.col(s.EXPIRY) == dt.date(2026, 4, 17))
    assert set(monthly[s.ROOT]) == {"SPX"}
    assert set(monthly[s.SETTLEMENT].cast(str)) == {"AM"}
    no_iv = monthly.filter((pl.col(s.STRIKE) == 4400) & (pl.col(s.RIGHT) == "C")).row(0, named=True)
    assert no_iv[s.VENDOR_IV] is None
    assert no_iv[s.VENDOR_DELTA] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date: February 5 2022, 8:09 PM EST", "2022-02-05T20:09:00-05:00"),
        ('"Date: June 11, 2022, 8:47 PM EDT"', "2022-06-11T20:47:00-04:00"),
        ("Date: 14 March 2026 at 07:34 GMT-4", "2026-03-14T07:34:00-04:00"),
        ("Date: Mar. 3rd, 2026 12:05 a.m. ET", "2026-03-03T00:05:00-05:00"),
        ("Date: 2026-03-03 09:45:10 UTC", "2026-03-03T09:45:10+00:00"),
        ("Date: 2026-03-03", "2026-03-03T00:00:00-05:00"),
    ],
)
def test_stamp_wordings(text: str, expected: str) -> None:
    assert parse_stamp(text).isoformat() == expected


@pytest.mark.parametrize(
    ("local", "day", "ts"),
    [
        ("2022-02-05 20:09", "2022-02-04", "2022-02-04 16:15"),  # Saturday: Friday's close
        ("2022-02-07 08:00", "2022-02-04", "2022-02-04 16:15"),  # Monday before the open
        ("2022-02-07 11:30", "2022-02-07", "2022-02-07 11:30"),  # inside the session
        ("2022-02-07 19:00", "2022-02-07", "2022-02-07 16:15"),  # after the close
        ("2026-04-03 12:00", "2026-04-02", "2026-04-02 16:15"),  # Good Friday
    ],
)
def test_snapshot_day(local: str, day: str, ts: str) -> None:
    ny = ZoneInfo(NY)
    stamp = dt.datetime.fromisoformat(local).replace(tzinfo=ny)
    got_day, got_ts = snapshot_day(stamp)
    assert got_day == dt.date.fromisoformat(day)
    assert got_ts == dt.datetime.fromisoformat(ts).replace(tzinfo=ny)


def test_a_stamp_without_a_date_is_located() -> None:
    with pytest.raises(ParseError, match="no date found") as info:
        parse_stamp("Date: soon", source="q.csv")
    assert (info.value.source, info.value.row, info.value.column) == ("q.csv", 0, "Date")


def _mutate(tmp_path: Path, line: int, field: int, value: str) -> Path:
    lines = FIXTURE.read_text().splitlines()
    fields = lines[3 + line].split(",")
    fields[field] = value
    lines[3 + line] = ",".join(fields)
    path = tmp_path / "quotedata.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("line", "field", "value", "kind", "column", "reason", "rejected"),
    [
        (2, 15, "abc", ParseError, "put Bid", "not a number", 1),
        (2, 4, "", ParseError, None, None, 0),  # an empty bid is no quote, not an error
        (1, 4, "-1", ValidationError, "call Bid", "must not be negative", 1),
        (3, 10, "2.5", ValidationError, "call Open Interest", "not a whole number", 1),
        (1, 11, "x", ParseError, "Strike", "not a number", 2),
        (1, 11, "4510.00", ValidationError, "call symbol", "strike differs from 'Strike'", 2),
        (1, 0, "Fri Apr 24 2026", ValidationError, "call symbol",
         "expiry differs from 'Expiration Date'", 2),
        (1, 0, "April 10", ParseError, "Expiration Date", "not a date like 'Mon Feb 07 2022'", 2),
        (4, 12, "SPX260417C04500000", ValidationError, "put symbol", "not a put symbol", 1),
        (4, 1, "SPX?", ParseError, "call symbol", "not an option symbol", 1),
    ],
)  # fmt: skip
def test_bad_cells_are_located_and_counted(  # noqa: PLR0917 (one parametrized case)
    tmp_path: Path,
    line: int,
    field: int,
    value: str,
    kind: type[OptionsFlowError],
    column: str | None,
    reason: str | None,
    rejected: int,
) -> None:
    path = _mutate(tmp_path, line, field, value)
    result = load_chain(path, on_invalid="quarantine")
    assert result.counts.read == 12 == result.counts.accepted + result.counts.rejected
    assert result.counts.rejected == rejected == result.rejects.height
    if not rejected:
        assert load_chain(path).chain.equals(result.chain)
        return
    assert result.rejects[s.SOURCE_ROW].to_list() == [line] * rejected
    assert result.rejects["column"][0] == column
    with pytest.raises(kind, match=f"quotedata.csv:{line}: column '{column}'") as info:
        read_chain(path)
    assert (info.value.row, info.value.column, info.value.reason) == (line, column, reason)
    if "differs" not in (reason or ""):  # a disagreement shows the symbol, not the other cell
        assert info.value.value == value


def test_a_short_line_is_a_located_malformed_line(tmp_path: Path) -> None:
    lines = FIXTURE.read_text().splitlines()
    lines[5] = lines[5][:40]
    path = tmp_path / "quotedata.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ParseError, match=r"quotedata.csv:2: malformed line") as info:
        load_chain(path)
    assert info.value.column is None
    assert info.value.value == lines[5]


def test_unknown_and_missing_files(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(SourceError, match="not a known option-chain format"):
        load_chain(other)
    with pytest.raises(SourceError, match="no such file"):
        load_chain(tmp_path / "absent.csv")
    with pytest.raises(SourceError, match="no chain files"):
        load_chain([])


NASTY = ["", "N/A", "-1", "0", "1e308", "nan", "inf", "9" * 30, "\uff12", '"', " 5 ", "x,y"]
cells = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]), max_size=12),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(line=st.integers(1, 6), field=st.integers(0, 21), value=cells)
def test_any_mutated_cell_is_accepted_or_located(
    tmp_path: Path, line: int, field: int, value: str
) -> None:
    path = _mutate(tmp_path, line, field, value)
    result = load_chain(path, on_invalid="quarantine")  # never raises
    c = result.counts
    assert c.read == c.accepted + c.rejected == result.chain.height + result.rejects.height
    assert c.read == 12
    assert all(1 <= r <= 6 for r in result.rejects[s.SOURCE_ROW])
    if c.rejected:
        first = result.rejects.row(0, named=True)
        with pytest.raises(OptionsFlowError) as info:
            load_chain(path)
        assert (info.value.row, info.value.column, info.value.reason) == (
            first[s.SOURCE_ROW], first["column"], first["reason"],
        )  # fmt: skip


@pytest.mark.realdata
def test_real_chain_matches_the_checked_facts(realdata: Path) -> None:
    path = realdata / "cboe_option_chains" / "spx_quotedata_2022-02-04.csv"
    result = load_chain(path)
    chain = result.chain
    assert result.counts.read == result.counts.accepted == 2 * 10_257
    lines = chain.filter(pl.col(s.RIGHT) == "C")
    assert dict(lines.group_by(s.ROOT).len().iter_rows()) == {"SPXW": 6_489, "SPX": 3_768}
    assert lines[s.EXPIRY].n_unique() == 40
    assert (lines[s.EXPIRY].min(), lines[s.EXPIRY].max()) == (
        dt.date(2022, 2, 7), dt.date(2026, 12, 18),
    )  # fmt: skip
    assert (lines[s.STRIKE].min(), lines[s.STRIKE].max()) == (100.0, 10_000.0)
    assert lines.filter(pl.col(s.BID) == 0).height == 659
    assert lines[s.VENDOR_IV].null_count() == 87
    assert set(chain[s.DATE]) == {dt.date(2022, 2, 4)}  # downloaded Saturday 2022-02-05
    second = read_chain(realdata / "cboe_option_chains" / "spx_quotedata_2022-06-10.csv")
    assert set(second.collect()[s.DATE]) == {dt.date(2022, 6, 10)}
