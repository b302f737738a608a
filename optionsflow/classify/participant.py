"""Retail or institutional: a participant label for every print.

OPRA prints carry no participant field, so the label is inferred from how a
trade printed (DESIGN.md section 6). Rules are tried in order; the first that
applies sets ``participant`` and names itself in ``participant_reason``:

=================  ==============================================  =============
reason             condition                                       participant
=================  ==============================================  =============
``multi_leg``      multi-leg sale condition (MLET, MLAT, ...)      institutional
``stock_tied``     stock-tied sale condition (TLET, TLAT, ...)     institutional
``auction``        SLAN/SLAI auction and size <= retail_max_size   retail
``iso_sweep``      intermarket sweep (ISOI, SLAI, SLCI)            institutional
``cross``          cross (SLCN, SLCI)                              institutional
``floor``          floor trade (SLFT)                              institutional
``block_premium``  premium >= block_premium                        institutional
``block_size``     size >= block_size                              institutional
``small_size``     size <= retail_max_size                         retail
``unknown``        none of the above (e.g. null size)              unknown
=================  ==============================================  =============

Price-improvement auctions are where wholesalers route retail orders, so the
``auction`` rule finds retail flow that routed that way only: it is a lower
bound on retail. Premium is ``price * size * multiplier``.

Examples
--------
>>> import polars as pl
>>> from optionsflow.classify.participant import classify_participant
>>> prints = pl.LazyFrame({
...     "condition": ["SLAN", "ISOI", "AUTO", "AUTO", "SLCN"],
...     "size": [5, 20, 3, 250, 500], "price": [1.2, 2.0, 0.5, 1.0, 3.0],
...     "multiplier": [100] * 5,
... })
>>> out = classify_participant(prints).collect()
>>> for row in out.select("participant", "participant_reason").rows():
...     print(*row)
retail auction
institutional iso_sweep
retail small_size
institutional block_size
institutional cross
"""

from __future__ import annotations

import polars as pl

from optionsflow import schema as s
from optionsflow.config import Config

__all__ = ["PREMIUM", "classify_participant", "premium"]

PREMIUM = "premium"
"""Column name of a print's premium, ``price * size * multiplier``."""


def premium() -> pl.Expr:
    """Premium in currency units: ``price * size * multiplier``."""
    return (pl.col(s.PRICE) * pl.col(s.SIZE) * pl.col(s.MULTIPLIER)).alias(PREMIUM)


def classify_participant(
    trades: pl.LazyFrame | pl.DataFrame, *, config: Config | None = None
) -> pl.LazyFrame:
    """Label each print ``retail``, ``institutional`` or ``unknown``.

    Parameters
    ----------
    trades
        Trades with ``condition``, ``size``, ``price`` and ``multiplier``.
    config
        Thresholds (``config.participant``); defaults when ``None``.

    Returns
    -------
    pl.LazyFrame
        The input plus ``participant`` (Enum) and ``participant_reason``
        (String), per the rule table in the module docstring.
    """
    cfg = (config or Config()).participant
    lf = trades.lazy()
    s.require_columns(lf, (s.CONDITION, s.SIZE, s.PRICE, s.MULTIPLIER), by="classify_participant")
    size = pl.col(s.SIZE)
    prem = premium()
    small = size <= cfg.retail_max_size
    rules: list[tuple[str, str, pl.Expr]] = [
        ("multi_leg", "institutional", s.condition_in(s.MULTILEG_CONDITIONS, lf)),
        ("stock_tied", "institutional", s.condition_in(s.STOCK_TIED_CONDITIONS, lf)),
        ("auction", "retail", s.condition_in(s.RETAIL_AUCTION_CONDITIONS, lf) & small),
        ("iso_sweep", "institutional", s.condition_in(s.ISO_CONDITIONS, lf)),
        ("cross", "institutional", s.condition_in(s.CROSS_CONDITIONS, lf)),
        ("floor", "institutional", s.condition_in(s.FLOOR_CONDITIONS, lf)),
        ("block_premium", "institutional", prem >= cfg.block_premium),
        ("block_size", "institutional", size >= cfg.block_size),
        ("small_size", "retail", small),
    ]
    reason: pl.Expr = pl.lit("unknown")
    who: pl.Expr = pl.lit("unknown")
    for name, label, cond in reversed(rules):
        hit = cond.fill_null(False)
        reason = pl.when(hit).then(pl.lit(name)).otherwise(reason)
        who = pl.when(hit).then(pl.lit(label)).otherwise(who)
    return lf.with_columns(
        who.cast(s.PARTICIPANT_DTYPE).alias(s.PARTICIPANT),
        reason.alias(s.PARTICIPANT_REASON),
    )
