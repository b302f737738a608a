"""Any mutation of one row of a fixture gives an accepted row or a located reject, never a crash."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optionsflow.errors import OptionsFlowError
from optionsflow.ingest import load_trades

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
CASES = {
    "cboe": FIXTURES / "cboe" / "UnderlyingOptionsTrades_2026-03-06.csv",
    "polygon": FIXTURES / "polygon" / "2026-03-06.csv",
    "calcs": FIXTURES / "cboe" / "UnderlyingOptionsTradesCalcs_2025-07-01.csv",
}
NASTY = ["", "N/A", "-1", "0", "1e308", "nan", "inf", "9" * 30, "\uff12", '"', "\x00", " 5 ", "1,2"]
cells = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]), max_size=12),
)


@st.composite
def mutations(draw: st.DrawFn, text: str) -> tuple[list[str], int]:
    header, *lines = text.splitlines()
    row = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["cell", "cut", "twice", "line"]))
    line = lines[row]
    if kind == "cell":
        fields = line.split(",")
        fields[draw(st.integers(0, len(fields) - 1))] = draw(cells)
        lines[row] = ",".join(fields)
    elif kind == "cut":
        lines[row] = line[: draw(st.integers(1, max(1, len(line) - 1)))]
    elif kind == "twice":
        lines.insert(row, line)
    else:
        lines[row] = draw(cells.filter(lambda c: c.strip() != ""))
    return [header, *lines], len(lines)


@pytest.mark.parametrize("case", sorted(CASES))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_mutated_row_is_accepted_or_located(
    tmp_path: Path, case: str, data: st.DataObject
) -> None:
    source = CASES[case]
    lines, rows = data.draw(mutations(source.read_text()))
    path = tmp_path / source.name
    path.write_text("\n".join(lines) + "\n")

    result = load_trades(path, on_invalid="quarantine")  # never raises
    c = result.counts
    assert c.read == rows
    assert c.read == c.accepted + c.rejected + c.cancelled + c.duplicates
    assert result.trades.height == c.accepted
    assert result.rejects.height == c.rejected
    assert all(1 <= r <= rows for r in result.rejects["source_row"])
    assert result.rejects["reason"].null_count() == 0

    if c.rejected:  # strict mode raises the first reject, located alike
        with pytest.raises(OptionsFlowError) as info:
            load_trades(path)
        first = result.rejects.row(0, named=True)
        assert info.value.source == str(path)
        assert (info.value.row, info.value.column) == (first["source_row"], first["column"])
        assert info.value.reason == first["reason"]
    else:
        assert load_trades(path).trades.equals(result.trades)
