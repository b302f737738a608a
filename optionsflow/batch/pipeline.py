"""The default chain of stages, shared by the CLI, batch jobs and the sample builder.

Examples
--------
>>> import datetime as dt
>>> from optionsflow.synth import synth_day
>>> trades = synth_day(dt.date(2026, 11, 20), 500)
>>> labelled = classify_trades(trades).collect()
>>> {"side", "side_rule", "participant", "participant_reason"} <= set(labelled.columns)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from optionsflow.aggregate.partials import daily_flow
from optionsflow.classify.participant import classify_participant
from optionsflow.classify.rules import Compare
from optionsflow.classify.side import GSU_LARGE, Layer, sign_trades
from optionsflow.config import Config

__all__ = ["classify_trades", "flow_partials", "labelled_partials"]


def classify_trades(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    layers: Sequence[Layer] = GSU_LARGE,
    config: Config | None = None,
    fill: Literal["none", "random", "const"] = "none",
    price_compare: Compare = "tick",
    sign_complex: bool = False,
) -> pl.LazyFrame:
    """Sign trades and label participants: ``sign_trades`` then ``classify_participant``.

    Parameters
    ----------
    trades
        Canonical trades.
    layers
        Signing stack (see :func:`~optionsflow.classify.side.sign_trades`).
    config
        Thresholds; defaults when ``None``.
    fill
        What unsigned prints get: ``"none"`` (null), ``"const"`` (0) or
        ``"random"`` (+1/-1); see :func:`~optionsflow.classify.side.sign_trades`.
    price_compare
        ``"tick"`` compares prices in integer ticks of 1e-4, ``"float"`` as raw floats.
    sign_complex
        Also sign multi-leg and stock-tied prints.

    Returns
    -------
    pl.LazyFrame
        ``trades`` plus ``side``, ``side_rule``, ``participant`` and
        ``participant_reason``.

    Examples
    --------
    A 5-lot lifting the ask and a 300-lot hitting the bid:

    >>> from optionsflow.testing import trades
    >>> prints = trades([{"price": 1.05, "size": 5}, {"price": 0.95, "size": 300}])
    >>> out = classify_trades(prints).select("side", "participant", "participant_reason")
    >>> out.collect().rows()
    [(1, 'retail', 'small_size'), (-1, 'institutional', 'block_size')]

    A print at the midpoint with equal depth stays unsigned unless filled:

    >>> mid = trades([{"price": 1.00, "bid_size": 20, "ask_size": 20}])
    >>> [classify_trades(mid, fill=f).collect()["side"].item() for f in ("none", "const")]
    [None, 0]
    """
    signed = sign_trades(
        trades, layers=layers, fill=fill, price_compare=price_compare, sign_complex=sign_complex
    )
    return classify_participant(signed, config=config)


def flow_partials(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    sectors: pl.LazyFrame | pl.DataFrame | None = None,
    layers: Sequence[Layer] = GSU_LARGE,
    config: Config | None = None,
    greeks: bool = True,
) -> pl.LazyFrame:
    """Daily partials of raw canonical trades through the default classifiers.

    With ``greeks`` each print's implied vol and delta are computed
    (:func:`~optionsflow.volatility.enrich.with_greeks`, market inputs from
    ``config.market``) so the partials carry delta-adjusted notional; a
    vendor-given ``delta`` is kept.

    Parameters
    ----------
    trades
        Canonical trades.
    sectors
        ``symbol, sector[, theme]`` map.
    layers
        Signing stack.
    config
        Thresholds and market inputs.
    greeks
        Compute deltas for delta-adjusted notional.

    Returns
    -------
    pl.LazyFrame
        Daily partials (:func:`~optionsflow.aggregate.partials.daily_flow`).

    Examples
    --------
    Two retail call buys at the ask (5 + 3 lots at 1.05) and a 300-lot put sold
    at 0.95 make two cells; every print got a delta:

    >>> from optionsflow.testing import trades
    >>> prints = trades([{"price": 1.05, "size": 5}, {"price": 1.05, "size": 3},
    ...                  {"price": 0.95, "size": 300, "right": "P", "strike": 100.0}])
    >>> cells = flow_partials(prints).collect()
    >>> cells.select("right", "side", "participant",
    ...              "contracts", "premium_e4", "delta_prints").rows()
    [('C', 1, 'retail', 8, 8400000, 2), ('P', -1, 'institutional', 300, 285000000, 1)]
    """
    labelled = classify_trades(trades, layers=layers, config=config)
    return labelled_partials(labelled, sectors=sectors, config=config, greeks=greeks)


def labelled_partials(
    labelled: pl.LazyFrame | pl.DataFrame,
    *,
    sectors: pl.LazyFrame | pl.DataFrame | None = None,
    config: Config | None = None,
    greeks: bool = True,
) -> pl.LazyFrame:
    """Daily partials of trades already labelled by :func:`classify_trades`.

    The second half of :func:`flow_partials`, for a caller that keeps the labelled
    trades for something else too (the CLI's unusual-activity table), so they are
    classified once. With ``greeks`` each print's vol and delta come from
    :func:`~optionsflow.volatility.enrich.with_greeks` (market inputs from
    ``config.market``).

    Examples
    --------
    >>> from optionsflow.testing import trades
    >>> prints = trades([{"price": 1.05, "size": 5}, {"price": 0.95, "size": 300}])
    >>> labelled = classify_trades(prints)
    >>> labelled_partials(labelled).collect().equals(flow_partials(prints).collect())
    True
    """
    if greeks:  # imported here: the IV solver (and SciPy) only for the runs that need deltas
        from optionsflow.volatility.enrich import with_greeks  # noqa: PLC0415

        market = (config or Config()).market
        labelled = with_greeks(labelled, rate=market.rate, dividend=market.dividend)
    return daily_flow(labelled, sectors=sectors)
