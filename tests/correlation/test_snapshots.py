"""Dated weights apply as of their date, in every consumer: checked against naive loops."""

from __future__ import annotations

import datetime as dt
import math
import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from optionsflow.correlation import (
    concentration,
    dispersion_index,
    implied_correlation,
    weighting_spread,
    weights_as_of,
)
from optionsflow.correlation.implied import constituent_coverage
from optionsflow.report.positioning import concentration_query, sector_weight_query
from optionsflow.testing import assert_engines_agree

from tolerances import CORRELATION_ABS, CORRELATION_REL, COVERAGE_REL, WEIGHTED_MEAN_REL

START = dt.date(2026, 1, 1)
DATES = [START + dt.timedelta(days=k) for k in range(40)]
NAMES = [f"N{k}" for k in range(8)]
# snapshots: none before day 5; the one of day 30 leaves N7 out; day 20's rows are all invalid
SNAPSHOTS = [DATES[5], DATES[12], DATES[20], DATES[30]]


def _history(seed: int = 7) -> pl.DataFrame:
    rng = random.Random(seed)
    rows: list[tuple[dt.date, str, float | None]] = []
    for day in SNAPSHOTS:
        for name in NAMES:
            if day == DATES[30] and name == "N7":
                continue
            w: float | None = rng.uniform(0.5, 5.0)
            if day == DATES[20]:
                w = [0.0, None, -1.0, float("nan")][rng.randrange(4)]
            elif rng.random() < 0.1:
                w = 0.0  # an invalid row inside a valid snapshot
            rows.append((day, name, w))
    return pl.DataFrame(
        rows, schema={"date": pl.Date, "symbol": pl.String, "weight": pl.Float64}, orient="row"
    )


def _vols(seed: int = 11) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = random.Random(seed)
    rows = [
        (d, n, rng.uniform(0.15, 0.6) if rng.random() > 0.15 else None)
        for d in DATES
        for n in NAMES
    ]
    vols = pl.DataFrame(
        rows, schema={"date": pl.Date, "symbol": pl.String, "iv": pl.Float64}, orient="row"
    )
    index = pl.DataFrame(
        {"date": DATES, "iv": [rng.uniform(0.12, 0.3) for _ in DATES]},
        schema={"date": pl.Date, "iv": pl.Float64},
    )
    return index, vols


def _valid(w: float | None) -> bool:
    return w is not None and math.isfinite(w) and w > 0


def _in_force(history: pl.DataFrame, day: dt.date, *, strict: bool = False) -> dict[str, float]:
    """The naive as-of rule: the valid weights of the latest snapshot with one, on or before."""
    rows = [r for r in history.iter_rows() if _valid(r[2])]
    dates = [d for d, _, _ in rows if (d < day if strict else d <= day)]
    if not dates:
        return {}
    snap = max(dates)
    return {n: w for d, n, w in rows if d == snap}


def _top(weights: dict[str, float], top_n: int | None) -> dict[str, float]:
    if top_n is None:
        return weights
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ranked[:top_n])


def _naive(
    index: pl.DataFrame, vols: pl.DataFrame, history: pl.DataFrame, top_n: int | None
) -> list[tuple[dt.date, float | None, int, float | None, float | None]]:
    """Per date: rho (O(n^2) double sum), names used, coverage and weighted vol, in plain Python."""
    iv = {(d, n): v for d, n, v in vols.iter_rows()}
    out: list[tuple[dt.date, float | None, int, float | None, float | None]] = []
    for day, sigma in index.iter_rows():
        weights = _top(_in_force(history, day), top_n)
        used = {n: w for n, w in weights.items() if _valid(iv.get((day, n)))}
        total = math.fsum(weights.values())
        coverage = math.fsum(used.values()) / total if weights else None
        if not used:
            out.append((day, None, 0, coverage, None))
            continue
        z = math.fsum(used.values())
        w = [x / z for x in used.values()]
        s = [iv[(day, n)] for n in used]
        own = math.fsum((w[i] * s[i]) ** 2 for i in range(len(w)))
        cross = math.fsum(
            w[i] * w[j] * s[i] * s[j] for i in range(len(w)) for j in range(i + 1, len(w))
        )
        rho = (sigma**2 - own) / (2 * cross) if cross else None
        out.append(
            (day, rho, len(used), coverage, math.fsum(a * b for a, b in zip(w, s, strict=True)))
        )
    return out


@pytest.mark.parametrize("top_n", [None, 3])
def test_each_date_uses_the_latest_snapshot_on_or_before_it(top_n: int | None) -> None:
    index, vols = _vols()
    history = _history()
    rho = implied_correlation(index, vols, history, top_n=top_n).collect()
    disp = dispersion_index(index, vols, history, top_n=top_n).collect()
    expected = _naive(index, vols, history, top_n)
    assert rho["date"].to_list() == [e[0] for e in expected]
    assert rho["n_constituents"].to_list() == [e[2] for e in expected]
    for got, cov, wiv, exp in zip(
        rho["implied_correlation"],
        rho["weight_coverage"],
        disp["weighted_iv"],
        expected,
        strict=True,
    ):
        if exp[1] is None:
            assert got is None
        else:
            assert got == pytest.approx(exp[1], rel=CORRELATION_REL, abs=CORRELATION_ABS)
        assert (cov is None) == (exp[3] is None)
        if cov is not None:
            assert cov == pytest.approx(exp[3], rel=COVERAGE_REL)
        assert (wiv is None) == (exp[4] is None)
        if wiv is not None:
            assert wiv == pytest.approx(exp[4], rel=WEIGHTED_MEAN_REL)
    # before the first snapshot: no weights, so no correlation and no coverage
    first = rho.filter(pl.col("date") < SNAPSHOTS[0])
    assert first.height == 5
    assert first["implied_correlation"].null_count() == 5
    assert first["weight_coverage"].null_count() == 5
    # the all-invalid snapshot of day 20 is none: day 12's stays in force until day 30
    assert rho.filter(pl.col("date") == DATES[25])["n_constituents"].item() == expected[25][2]
    assert_engines_agree(implied_correlation(index, vols, history, top_n=top_n), check_exact=False)


def test_coverage_names_the_snapshot_in_force() -> None:
    _, vols = _vols()
    history = _history()
    out = constituent_coverage(vols, history).collect()
    iv = {(d, n): v for d, n, v in vols.iter_rows()}
    for day, n_weighted, n_used, no_vol, n_unweighted in out.iter_rows():
        weights = _in_force(history, day)
        assert n_weighted == len(weights)
        assert no_vol == sorted(n for n in weights if not _valid(iv.get((day, n))))
        assert n_used == len(weights) - len(no_vol)
        has_vol = {n for n in NAMES if _valid(iv.get((day, n)))}
        assert n_unweighted == len(has_vol - set(weights))


def test_a_snapshot_per_date_is_the_exact_date_join() -> None:
    # every vol date has its own snapshot: each date's numbers are those of its own weights,
    # computed here one date at a time with static weights
    index, vols = _vols()
    rng = random.Random(3)
    history = pl.DataFrame(
        [(d, n, rng.uniform(0.5, 5.0)) for d in DATES for n in NAMES],
        schema={"date": pl.Date, "symbol": pl.String, "weight": pl.Float64},
        orient="row",
    )
    dated = implied_correlation(index, vols, history).collect()
    one_by_one = pl.concat(
        implied_correlation(
            index.filter(pl.col("date") == d),
            vols.filter(pl.col("date") == d),
            history.filter(pl.col("date") == d).drop("date"),
        ).collect()
        for d in DATES
    )
    assert_frame_equal(dated, one_by_one, check_exact=False, rel_tol=CORRELATION_REL)


def test_weights_as_of_matches_the_naive_rule() -> None:
    history = _history()
    days = pl.DataFrame({"date": DATES})
    for strict in (False, True):
        got = weights_as_of(history, days, strict=strict).collect()
        expected = sorted(
            (d, n, w) for d in DATES for n, w in _in_force(history, d, strict=strict).items()
        )
        assert got.rows() == expected


def test_weighting_spread_drops_a_name_the_snapshot_in_force_leaves_out() -> None:
    # N7 is in the day-12 snapshot, not in day 30's: from day 31 its return has no weight
    history = _history()
    prices = pl.DataFrame(
        [(d, n, 100.0 + k + (3.0 if n == "N7" else 1.0) * j) for j, d in enumerate(DATES)
         for k, n in enumerate(NAMES)],
        schema={"date": pl.Date, "symbol": pl.String, "close": pl.Float64},
        orient="row",
    )  # fmt: skip
    out = weighting_spread(prices, history).collect()
    closes = {(d, n): c for d, n, c in prices.iter_rows()}
    for day, n, cap in out.select("date", "n_constituents", "cap_weighted_return").iter_rows():
        prev = day - dt.timedelta(days=1)
        weights = _in_force(history, day, strict=True)
        rets = {m: closes[(day, m)] / closes[(prev, m)] - 1 for m in weights}
        assert n == len(weights)
        total = math.fsum(weights.values())
        assert cap == pytest.approx(
            math.fsum(weights[m] * rets[m] for m in weights) / total, rel=WEIGHTED_MEAN_REL
        )
    assert out["date"].min() == SNAPSHOTS[0] + dt.timedelta(days=1)  # none before, nor on, day 5


@pytest.mark.parametrize("end", [DATES[4], DATES[5], DATES[19], DATES[25], DATES[39]])
def test_report_weights_are_the_snapshot_in_force(end: dt.date) -> None:
    history = _history()
    sectors = pl.DataFrame({"symbol": NAMES, "sector": ["A", "A", "B", "B", "B", "C", "C", "C"]})
    weights = _in_force(history, end)
    conc = concentration_query(history.lazy(), end, top=2).collect()
    sect = sector_weight_query(history.lazy(), sectors.lazy(), end).collect()
    if not weights:
        assert conc.height == 0
        assert sect.height == 0
        return
    total = math.fsum(weights.values())
    top = sorted(weights.values(), reverse=True)[:2]
    assert conc["top_share"].item() == pytest.approx(math.fsum(top) / total, rel=COVERAGE_REL)
    # the same as concentration of the weights as of end
    as_of = weights_as_of(history, pl.DataFrame({"date": [end]})).drop("date")
    assert conc["top_share"].item() == pytest.approx(
        concentration(as_of, top=2).collect()["top_share"].item(), rel=COVERAGE_REL
    )
    sector_of = dict(zip(sectors["symbol"], sectors["sector"], strict=True))
    snaps = sorted({d for d, _, w in history.iter_rows() if _valid(w) and d <= end})
    for sector, weight, peak in sect.select("sector", "sector_weight", "peak").iter_rows():

        def share(ws: dict[str, float], sector: str = sector) -> float:
            return math.fsum(w for n, w in ws.items() if sector_of[n] == sector) / math.fsum(
                ws.values()
            )

        assert weight == pytest.approx(share(weights), rel=COVERAGE_REL)
        assert peak == pytest.approx(
            max(share(_in_force(history, d)) for d in snaps), rel=COVERAGE_REL
        )
