"""Retail or institutional: a participant label for every print.

OPRA prints carry no participant field, so the label is inferred from how a
trade printed (DESIGN.md section 6), at the level of the *order* the print
belongs to (:func:`~optionsflow.classify.orders.reconstruct_orders`, run first
when the order columns are absent): a sweep split into five 40-lot prints is
one 200-lot institutional order. Rules are tried in order; the first that
applies sets ``participant`` and names itself in ``participant_reason``:

=================  ==================================================  =============
reason             condition                                           participant
=================  ==================================================  =============
``multi_leg``      multi-leg sale condition (MLET, MLAT, ...)          institutional
``stock_tied``     stock-tied sale condition (TLET, TLAT, ...)         institutional
``auction``        SLAN/SLAI auction, order size <= retail_max_size    retail
``iso_sweep``      the order is a sweep (ISO, or two or more venues)   institutional
``cross``          cross (SLCN, SLCI)                                  institutional
``floor``          floor trade (SLFT)                                  institutional
``block_premium``  order premium >= block_premium                      institutional
``block_size``     order size >= block_size                            institutional
``small_size``     order size <= retail_max_size                       retail
``unknown``        none of the above (e.g. null size)                  unknown
=================  ==================================================  =============

Price-improvement auctions are where wholesalers route retail orders, so the
``auction`` rule finds retail flow that routed that way only: it is a lower
bound on retail. Size buckets follow Cboe Open-Close (< 100, 100-199, > 199
contracts). Premium is ``price * size * multiplier``.

Examples
--------
>>> import polars as pl
>>> from optionsflow.testing import trades
>>> prints = trades([
...     {"condition": "SLAN", "size": 5, "price": 1.2},
...     {"condition": "ISOI", "size": 20, "price": 2.0, "strike": 120.0},
...     {"condition": "AUTO", "size": 3, "price": 0.5, "strike": 130.0},
...     {"condition": "AUTO", "size": 250, "price": 1.0, "strike": 140.0},
...     {"condition": "SLCN", "size": 500, "price": 3.0, "strike": 150.0},
... ])
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
from optionsflow.classify.orders import (
    IS_SWEEP,
    ORDER_COLUMNS,
    ORDER_PREMIUM,
    ORDER_SIZE,
    order_columns,
)
from optionsflow.config import Config
from optionsflow.schema import Participant

__all__ = ["classify_participant"]


def classify_participant(
    trades: pl.LazyFrame | pl.DataFrame, *, config: Config | None = None
) -> pl.LazyFrame:
    """Label each print ``retail``, ``institutional`` or ``unknown``.

    Parameters
    ----------
    trades
        Canonical trades, ideally signed (``side``); order columns
        (``order_size``, ...) are used when present, else reconstructed.
    config
        Thresholds (``config.participant``); defaults when ``None``.

    Returns
    -------
    pl.LazyFrame
        The input plus ``participant`` and ``participant_reason`` (Enums; the
        reasons are :data:`~optionsflow.schema.PARTICIPANT_REASONS`), per the
        rule table in the module docstring.

    Examples
    --------
    A 50-lot is retail under the default cut-offs (at most 99 contracts) and a
    block once blocks start at 25:

    >>> from optionsflow import Config
    >>> from optionsflow.testing import trades
    >>> prints = trades([{"size": 50, "price": 1.05}])
    >>> classify_participant(prints).select("participant_reason").collect().item()
    'small_size'
    >>> strict = Config.from_mapping({"participant": {"retail_max_size": 24, "block_size": 25}})
    >>> classify_participant(prints, config=strict).select("participant").collect().item()
    'institutional'
    """
    lf = trades.lazy()
    if set(ORDER_COLUMNS) <= set(lf.collect_schema().names()):
        return _labelled(lf, config)
    # orders and labels are built on a narrow frame, then set beside the source once
    source = lf.cache()
    orders = order_columns(source, config=config, carry=[s.CONDITION])
    labels = _labelled(orders, config).select(*ORDER_COLUMNS, s.PARTICIPANT, s.PARTICIPANT_REASON)
    return s.beside(source, labels)


def _labelled(lf: pl.LazyFrame, config: Config | None) -> pl.LazyFrame:
    """``lf`` (with condition and order columns) plus the participant columns."""
    cfg = (config or Config()).participant
    s.require_columns(lf, (s.CONDITION, ORDER_SIZE, ORDER_PREMIUM, IS_SWEEP),
                      by="classify_participant")  # fmt: skip
    have = lf.collect_schema()
    size = pl.col(ORDER_SIZE)
    small = size <= cfg.retail_max_size
    rules: dict[str, tuple[Participant, pl.Expr]] = {
        "multi_leg": ("institutional", s.condition_in(s.MULTILEG_CONDITIONS, have)),
        "stock_tied": ("institutional", s.condition_in(s.STOCK_TIED_CONDITIONS, have)),
        "auction": ("retail", s.condition_in(s.RETAIL_AUCTION_CONDITIONS, have) & small),
        "iso_sweep": ("institutional", pl.col(IS_SWEEP)),
        "cross": ("institutional", s.condition_in(s.CROSS_CONDITIONS, have)),
        "floor": ("institutional", s.condition_in(s.FLOOR_CONDITIONS, have)),
        "block_premium": ("institutional", pl.col(ORDER_PREMIUM) >= cfg.block_premium),
        "block_size": ("institutional", size >= cfg.block_size),
        "small_size": ("retail", small),
    }
    order = s.PARTICIPANT_REASONS[:-1]  # the schema's order is the order rules are tried in
    first = pl.coalesce(
        [pl.when(rules[name][1].fill_null(False)).then(pl.lit(i, pl.UInt32))
         for i, name in enumerate(order)]
    ).fill_null(len(order))  # fmt: skip
    labels = [rules[name][0] for name in order] + ["unknown"]
    reasons = pl.Series(s.PARTICIPANT_REASONS, dtype=s.PARTICIPANT_REASON_DTYPE)
    return lf.with_columns(
        pl.lit(pl.Series(labels, dtype=s.PARTICIPANT_DTYPE)).gather(first).alias(s.PARTICIPANT),
        pl.lit(reasons).gather(first).alias(s.PARTICIPANT_REASON),
    )
