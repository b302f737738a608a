"""Eager = lazy = streaming for the chain stages, on both real SPX chains."""

from __future__ import annotations

from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from optionsflow.ingest.reference.chains import load_chain
from optionsflow.testing import assert_engines_agree
from optionsflow.volatility.chain_iv import chain_implied_vols
from optionsflow.volatility.chain_time import with_minutes, with_rates
from optionsflow.volatility.forwards import parity_forwards
from optionsflow.volatility.variance import variance_index

from tolerances import VARIANCE_SUM_REL

DAYS = ["2022-02-04", "2022-06-10"]


@pytest.mark.realdata
@pytest.mark.parametrize("day", DAYS)
def test_engines_agree_on_a_real_chain(realdata: Path, day: str) -> None:
    chain = load_chain(realdata / "cboe_option_chains" / f"spx_quotedata_{day}.csv").chain
    # the engines sum the white-paper terms in other orders: the last bits differ
    index = assert_engines_agree(
        variance_index(chain.lazy(), rate=0.001), rel_tol=VARIANCE_SUM_REL, abs_tol=0.0
    )
    eager = variance_index(chain, rate=0.001).collect()
    assert_frame_equal(index, eager, rel_tol=VARIANCE_SUM_REL, abs_tol=0.0)
    timed = with_rates(with_minutes(chain), 0.001)
    assert_engines_agree(parity_forwards(timed), check_exact=True)
    ivs = assert_engines_agree(chain_implied_vols(chain.lazy(), rate=0.001), check_exact=True)
    assert ivs.height == chain.height
