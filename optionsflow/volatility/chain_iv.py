r"""Implied vols and greeks of every option of a chain, Black-76 on a forward, with a status.

Each option is priced at its quote midpoint (``(bid + ask) / 2``, DESIGN.md section 6) and
solved with the Black-76 model on a forward ``F`` (:func:`~optionsflow.volatility.iv.
implied_vol_black76`, "Let's Be Rational"), ``T = minutes / 525,600`` to settlement
(:mod:`~optionsflow.volatility.chain_time`) and the rate ``r``:

* ``forward="parity"``: the series' put-call parity forward
  (:func:`~optionsflow.volatility.forwards.parity_forwards`), so European index options
  (SPX) and options on futures (VIX, whose forward is the VIX future, not the spot)
  come out right, and a call and a put at one strike get one vol;
* ``forward="vendor"``: the chain's ``vendor_forward`` (Cboe's ``implied_underlying_price``).

American single-stock and ETF options are solved the same way, as European options on the
parity forward (whose ``C - P`` already holds the dividends and carry): an approximation,
since early exercise adds a premium to the American price that Black-76 reads as vol. The
premium is small out of the money and grows in the money (deep puts when rates are
positive, deep calls before a dividend), so each strike's vol is read from its
out-of-the-money side: ``otm`` marks that option (a call with ``K >= F``, a put with
``K < F``), ``strike_iv`` is its vol (or the in-the-money side's when it has none) and
``strike_iv_right`` says which side was used.

``iv_status`` (Enum :data:`CHAIN_IV_STATUSES`): the solver's reasons
(:class:`~optionsflow.volatility.iv.IVStatus`: ``ok``, ``below_intrinsic``,
``above_maximum``, ``no_time_value``, ``invalid_input``) and, checked first, the chain's:
``expired`` (no time left), ``no_quote`` (bid or ask missing, or ask 0), ``crossed``
(ask < bid), ``zero_bid`` (no bid: the mid is not a price), ``no_forward`` (no forward for
the series). Greeks (``delta``, ``gamma``, ``vega``, ``theta``; Black-76 with respect to the
forward, per year) stand beside the vol; all are null unless the status is ``ok``.

Examples
--------
>>> import datetime as dt
>>> from optionsflow.volatility.black import black76_price
>>> d = dt.date(2022, 2, 4)
>>> p = [float(black76_price(100.0, 100.0, 0.5, 0.2, rate=0.0, is_call=c)) for c in (True, False)]
>>> chain = pl.DataFrame({"date": [d] * 3, "underlying": ["X"] * 3, "root": ["X"] * 3,
...     "expiry": [dt.date(2022, 8, 5)] * 3, "strike": [100.0, 100.0, 110.0],
...     "right": ["C", "P", "C"], "bid": [p[0], p[1], 0.0], "ask": [p[0], p[1], 0.5],
...     "minutes": [262800.0] * 3, "rate": [0.0] * 3})
>>> out = chain_implied_vols(chain).collect()
>>> [round(v, 12) if v else v for v in out["iv"]], out["iv_status"].to_list()
([0.2, 0.2, None], ['ok', 'ok', 'zero_bid'])
>>> out.select("strike", "right", "otm", "strike_iv_right").rows()
[(100.0, 'C', True, 'C'), (100.0, 'P', False, 'C'), (110.0, 'C', True, None)]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl

from optionsflow.errors import SchemaError
from optionsflow.schema import (
    ASK,
    BID,
    DELTA,
    FORWARD,
    GAMMA,
    IV,
    IV_STATUS,
    MID,
    MINUTES,
    OTM,
    RATE,
    RIGHT,
    RIGHT_DTYPE,
    STRIKE,
    STRIKE_IV,
    STRIKE_IV_RIGHT,
    THETA,
    VEGA,
    VENDOR_FORWARD,
)
from optionsflow.volatility.black import black76_greeks
from optionsflow.volatility.chain_time import MINUTES_PER_YEAR, RateOption, with_minutes, with_rates
from optionsflow.volatility.forwards import mid_expr, parity_forwards, series_key
from optionsflow.volatility.iv import IVStatus, solve_implied_vol

__all__ = ["CHAIN_IV_STATUSES", "ForwardSource", "chain_implied_vols"]

ForwardSource = Literal["parity", "vendor"]
"""Where an option's forward comes from: put-call parity on the chain, or the vendor's."""

CHAIN_IV_STATUSES: tuple[str, ...] = (
    *(status.label for status in IVStatus),
    "expired", "no_quote", "crossed", "zero_bid", "no_forward",
)  # fmt: skip
"""Labels of ``iv_status`` for chain options, the solver's first."""
_STATUS_DTYPE = pl.Enum(list(CHAIN_IV_STATUSES))
_OUT = (FORWARD, IV, IV_STATUS, DELTA, GAMMA, VEGA, THETA)


def _solve(batch: pl.DataFrame) -> pl.DataFrame:
    """Solve and take greeks for the rows that passed the chain checks."""
    price = batch[MID].to_numpy()
    forward, strike = batch[FORWARD].to_numpy(), batch[STRIKE].to_numpy()
    tau = batch[MINUTES].to_numpy() / MINUTES_PER_YEAR
    rate = batch[RATE].to_numpy()
    call = (batch[RIGHT].cast(pl.String) == "C").to_numpy()
    result = solve_implied_vol(price, forward, strike, tau, rate=rate, dividend=rate, is_call=call)
    ok = result.status == IVStatus.OK
    vol = np.where(ok, result.vol, np.nan)
    greeks = black76_greeks(forward, strike, tau, np.where(ok, vol, 0.2), rate=rate, is_call=call)
    labels = np.array([s.label for s in IVStatus])[result.status.astype(np.int64)]
    out = {
        IV: vol,
        DELTA: greeks.delta,
        GAMMA: greeks.gamma,
        VEGA: greeks.vega,
        THETA: greeks.theta,
    }
    return pl.DataFrame(
        {k: np.where(ok, v, np.nan) for k, v in out.items()} | {IV_STATUS: labels}
    ).with_columns(pl.col(IV, DELTA, GAMMA, VEGA, THETA).fill_nan(None))


def chain_implied_vols(
    chain: pl.LazyFrame | pl.DataFrame,
    *,
    rate: RateOption = 0.0,
    forward: ForwardSource = "parity",
) -> pl.LazyFrame:
    """Add ``forward``, ``iv``, ``iv_status`` and Black-76 greeks to every option of a chain.

    Parameters
    ----------
    chain
        Canonical chain options (needs the series key, ``strike``, ``right``, ``bid``,
        ``ask``, and ``ts``/``settlement`` unless ``minutes`` is given).
    rate
        Flat rate or ``tenor_days, rate`` table, used unless the chain has ``rate``.
    forward
        ``"parity"`` or ``"vendor"`` (the ``vendor_forward`` column).

    Returns
    -------
    pl.LazyFrame
        The chain (with ``minutes``, ``rate``) plus ``forward``, ``iv``, ``iv_status``,
        ``delta``, ``gamma``, ``vega``, ``theta``, and per series and strike ``otm``,
        ``strike_iv`` and ``strike_iv_right`` (the side whose vol is read, see the
        module notes on American options); rows in the chain's order.

    Raises
    ------
    SchemaError
        When ``forward="vendor"`` and the chain has no ``vendor_forward``.

    Examples
    --------
    See the module docstring; a call quoted at a crossed market is not solved:

    >>> import datetime as dt
    >>> chain = pl.DataFrame({"date": [dt.date(2022, 2, 4)], "underlying": ["X"],
    ...     "root": ["X"], "expiry": [dt.date(2022, 8, 5)], "strike": [100.0], "right": ["C"],
    ...     "bid": [6.0], "ask": [5.0], "minutes": [262800.0], "rate": [0.0],
    ...     "vendor_forward": [100.0]})
    >>> chain_implied_vols(chain, forward="vendor").collect()["iv_status"].to_list()
    ['crossed']
    """
    lf = chain.lazy()
    have = lf.collect_schema().names()
    if MINUTES not in have:
        lf = with_minutes(lf)
    if RATE not in have:
        lf = with_rates(lf, rate)
    key = series_key(lf)
    row = "__of_iv_row"
    lf = lf.with_row_index(row)
    if forward == "vendor":
        if VENDOR_FORWARD not in have:
            raise SchemaError(
                "forward='vendor' needs the chain's vendor forward", column=VENDOR_FORWARD
            )
        lf = lf.with_columns(pl.col(VENDOR_FORWARD).alias(FORWARD))
    else:
        fwd = parity_forwards(lf).select(*key, FORWARD)
        lf = lf.join(fwd, on=key, how="left")
    bid, ask = pl.col(BID), pl.col(ASK)
    chain_status = (
        pl.when(pl.col(MINUTES) <= 0).then(pl.lit("expired"))
        .when(bid.is_null() | ask.is_null() | (ask <= 0)).then(pl.lit("no_quote"))
        .when(ask < bid).then(pl.lit("crossed"))
        .when(bid <= 0).then(pl.lit("zero_bid"))
        .when(~(pl.col(FORWARD) > 0).fill_null(value=False)).then(pl.lit("no_forward"))
    )  # fmt: skip
    lf = lf.with_columns(mid_expr(), chain_status.alias("__of_chain_status"))
    solvable = lf.filter(pl.col("__of_chain_status").is_null())
    solved = solvable.select(row, MID, FORWARD, STRIKE, MINUTES, RATE, RIGHT).map_batches(
        lambda b: b.select(row).hstack(_solve(b)),
        schema={row: pl.UInt32(), IV: pl.Float64(), DELTA: pl.Float64(), GAMMA: pl.Float64(),
                VEGA: pl.Float64(), THETA: pl.Float64(), IV_STATUS: pl.String()},
    )  # fmt: skip
    status = pl.coalesce(pl.col("__of_chain_status"), pl.col(IV_STATUS)).cast(_STATUS_DTYPE)
    return (
        lf.drop(MID)
        .join(solved, on=row, how="left")
        .sort(row)
        .with_columns(status.alias(IV_STATUS))
        .with_columns(_strike_vols([*key, STRIKE]))
        .drop(row, "__of_chain_status")
    )


def _strike_vols(strike_key: list[str]) -> list[pl.Expr]:
    """``otm``, and the strike's vol from its out-of-the-money side first, with that side."""
    call = pl.col(RIGHT).cast(pl.String) == "C"
    otm = call == (pl.col(STRIKE) >= pl.col(FORWARD))  # calls at or above F, puts below
    solved = pl.col(IV).is_not_null()

    def side(want: pl.Expr, column: pl.Expr) -> pl.Expr:
        return column.filter(solved & want).first().over(strike_key)

    return [
        otm.alias(OTM),
        pl.coalesce(side(otm, pl.col(IV)), side(~otm, pl.col(IV))).alias(STRIKE_IV),
        pl.coalesce(side(otm, pl.col(RIGHT)), side(~otm, pl.col(RIGHT)))
        .cast(RIGHT_DTYPE)
        .alias(STRIKE_IV_RIGHT),
    ]
