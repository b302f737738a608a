"""Option prices, greeks, implied vols and ATM constant-maturity vols.

* :mod:`~optionsflow.volatility.black`: Black-Scholes-Merton and Black-76 prices and greeks;
* :mod:`~optionsflow.volatility.iv`: the implied-vol solver (Jäckel's "Let's Be
  Rational", :mod:`~optionsflow.volatility.lets_be_rational`) with status codes;
* :mod:`~optionsflow.volatility.expr`: the same as Polars expressions;
* :mod:`~optionsflow.volatility.atm`: ATM vol per expiry and constant-maturity interpolation;
* :mod:`~optionsflow.volatility.chain_time`: minutes to settlement and rates, as Cboe measures them;
* :mod:`~optionsflow.volatility.chain_iv`: Black-76 vols and greeks of every option of a chain;
* :mod:`~optionsflow.volatility.forwards`: put-call parity forwards and ``K0`` per chain expiry;
* :mod:`~optionsflow.volatility.variance`: the Cboe VIX white-paper variance index.

See ``docs/volatility.md`` for formulas, status codes and measured accuracy.
"""

from optionsflow.volatility.atm import atm_term_structure, atm_vol, constant_maturity
from optionsflow.volatility.black import (
    Greeks,
    black76_greeks,
    black76_price,
    bsm_greeks,
    bsm_price,
)
from optionsflow.volatility.chain_iv import CHAIN_IV_STATUSES, ForwardSource, chain_implied_vols
from optionsflow.volatility.chain_time import RateOption, with_minutes, with_rates
from optionsflow.volatility.expr import (
    black76_price_expr,
    bsm_greek_expr,
    bsm_price_expr,
    implied_vol_expr,
    implied_vol_status_expr,
    with_implied_vol,
)
from optionsflow.volatility.forwards import parity_forwards
from optionsflow.volatility.iv import (
    IVResult,
    IVStatus,
    implied_vol,
    implied_vol_black76,
    implied_vol_status,
    solve_implied_vol,
)
from optionsflow.volatility.variance import TermRule, expiry_variance, variance_index

__all__ = [
    "CHAIN_IV_STATUSES",
    "ForwardSource",
    "Greeks",
    "IVResult",
    "IVStatus",
    "RateOption",
    "TermRule",
    "atm_term_structure",
    "atm_vol",
    "black76_greeks",
    "black76_price",
    "black76_price_expr",
    "bsm_greek_expr",
    "bsm_greeks",
    "bsm_price",
    "bsm_price_expr",
    "chain_implied_vols",
    "constant_maturity",
    "expiry_variance",
    "implied_vol",
    "implied_vol_black76",
    "implied_vol_expr",
    "implied_vol_status",
    "implied_vol_status_expr",
    "parity_forwards",
    "solve_implied_vol",
    "variance_index",
    "with_implied_vol",
    "with_minutes",
    "with_rates",
]
