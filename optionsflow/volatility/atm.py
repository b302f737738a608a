"""ATM implied vol per expiry, and constant-maturity vols by total-variance interpolation.

Pipeline (every step lazy, one row per underlying and day at the end):

1. **One price per contract and day**: the quote midpoint ``(bid + ask)/2`` when
   ``ask >= bid`` (DESIGN.md section 6), or the trade ``price`` (size-weighted mean
   of the day's prints when a ``size`` column is present). Rows with ``expiry``
   on or before the date, or without a positive price, are dropped.
2. **Forward** per underlying, day and expiry, with ``T`` = calendar days / 365:

   * ``"parity"``: at the strike where ``|C - P|`` is smallest (the Cboe VIX rule),
     ``F = K + e^{rT} (C - P)``; needs a call and a put at one strike;
   * ``"underlying"``: ``F = S e^{(r - q) T}``, ``S`` the day's mean
     ``underlying_price``.
3. **Vols** of the out-of-the-money options (calls with ``K >= F``, puts with
   ``K < F``) by the Black-76 solver with that forward
   (:func:`optionsflow.volatility.iv.solve_implied_vol`); failures are dropped.
4. **ATM vol** per expiry, interpolated linearly between the two neighbouring strikes in

   * ``"forward"``: log-moneyness ``k = ln(K/F)``, at ``k = 0`` (forward ATM);
   * ``"delta50"``: ``-d1 = k/(sigma sqrt T) - sigma sqrt T / 2`` at 0, i.e. where the
     undiscounted call delta ``Phi(d1)`` is 50%.

   An expiry whose strikes do not straddle the target has no ATM vol.
5. **Constant maturity** ``tenor`` days: with the nearest expiries ``T1 <= tenor < T2``
   (calendar days) and total variances ``w_i = sigma_i**2 T_i``,
   ``w = w1 + (w2 - w1)(tenor - T1)/(T2 - T1)`` and ``sigma = sqrt(w / tenor)``.
   Outside the listed expiries: null, or (``extrapolate="flat"``) the nearest
   expiry's vol.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> d = dt.date(2026, 1, 5)
>>> term = pl.DataFrame({"date": [d, d], "symbol": ["SPX", "SPX"],
...                      "expiry": [d + dt.timedelta(days=20), d + dt.timedelta(days=40)],
...                      "iv": [0.20, 0.30]})
>>> out = constant_maturity(term, tenor_days=30).collect()
>>> round(out["iv"][0], 6)  # sqrt((0.04*20 + 0.09*40)/2/30)
0.270801
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from optionsflow.errors import ConfigError
from optionsflow.schema import (
    ASK,
    BID,
    DATE,
    EXPIRY,
    FAR_EXPIRY,
    FORWARD,
    IV,
    N_OPTIONS,
    NEAR_EXPIRY,
    NEW_YORK,
    PRICE,
    RIGHT,
    SIZE,
    STRIKE,
    SYMBOL,
    TAU,
    TENOR_DAYS,
    TS,
    UNDERLYING,
    UNDERLYING_PRICE,
    require_columns,
)
from optionsflow.volatility.expr import implied_vol_expr

__all__ = [
    "FAR_EXPIRY",
    "FORWARD",
    "IV",
    "NEAR_EXPIRY",
    "N_OPTIONS",
    "SYMBOL",
    "TAU",
    "TENOR_DAYS",
    "atm_term_structure",
    "atm_vol",
    "constant_maturity",
]


AtmMethod = Literal["forward", "delta50"]
ForwardSource = Literal["parity", "underlying"]
PriceSource = Literal["mid", "price"]
Extrapolate = Literal["none", "flat"]

_PX, _C, _P, _S, _KEY, _DAYS = "__of_px", "__of_c", "__of_p", "__of_s", "__of_key", "__of_days"
_KEYS = [DATE, SYMBOL, EXPIRY]


def _contracts(lf: pl.LazyFrame, price: PriceSource, forward: ForwardSource) -> pl.LazyFrame:
    """One price (and spot) per date, symbol, expiry, strike and right."""
    have = lf.collect_schema()
    need = [UNDERLYING, EXPIRY, STRIKE, RIGHT, *([BID, ASK] if price == "mid" else [PRICE])]
    need += [UNDERLYING_PRICE] if forward == "underlying" else []
    require_columns(lf, [*need, TS if TS in have and DATE not in have else DATE], by="atm vol")
    date = (
        pl.col(DATE)
        if DATE in have
        else pl.col(TS).dt.convert_time_zone(NEW_YORK).dt.date().alias(DATE)
    )
    bid, ask = pl.col(BID), pl.col(ASK)
    px = pl.when(ask >= bid).then((bid + ask) / 2) if price == "mid" else pl.col(PRICE)
    weight = pl.col(SIZE).cast(pl.Float64) if price == "price" and SIZE in have else pl.lit(1.0)
    spot = pl.col(UNDERLYING_PRICE) if forward == "underlying" else pl.lit(None, pl.Float64)
    rows = lf.select(
        date,
        pl.col(UNDERLYING).alias(SYMBOL),
        pl.col(EXPIRY),
        pl.col(STRIKE).cast(pl.Float64),
        (pl.col(RIGHT).cast(pl.String) == "C").alias(_C),
        px.cast(pl.Float64).alias(_PX),
        weight.alias("__of_w"),
        spot.cast(pl.Float64).alias(_S),
    ).filter((pl.col(_PX) > 0) & (pl.col(EXPIRY) > pl.col(DATE)))
    w = pl.col("__of_w")
    return rows.group_by([*_KEYS, STRIKE, _C]).agg(
        ((pl.col(_PX) * w).sum() / w.sum()).alias(_PX), pl.col(_S).mean()
    )


def _forwards(
    contracts: pl.LazyFrame, forward: ForwardSource, rate: float, dividend: float
) -> pl.LazyFrame:
    tau = (pl.col(EXPIRY) - pl.col(DATE)).dt.total_days() / 365.0
    if forward == "underlying":
        spot = contracts.group_by(DATE, SYMBOL).agg(pl.col(_S).mean())
        return (
            contracts.select(_KEYS)
            .unique()
            .join(spot, on=[DATE, SYMBOL])
            .with_columns(tau.alias(TAU))
            .with_columns((pl.col(_S) * ((rate - dividend) * pl.col(TAU)).exp()).alias(FORWARD))
            .select(*_KEYS, TAU, FORWARD)
        )
    calls = contracts.filter(pl.col(_C)).select(*_KEYS, STRIKE, pl.col(_PX).alias("__of_call"))
    puts = contracts.filter(~pl.col(_C)).select(*_KEYS, STRIKE, pl.col(_PX).alias("__of_put"))
    diff = pl.col("__of_call") - pl.col("__of_put")
    closest = [diff.abs(), pl.col(STRIKE)]
    return (
        calls.join(puts, on=[*_KEYS, STRIKE])
        .group_by(_KEYS)
        .agg(pl.col(STRIKE).sort_by(closest).first(), diff.sort_by(closest).first().alias("__d"))
        .with_columns(tau.alias(TAU))
        .with_columns((pl.col(STRIKE) + (rate * pl.col(TAU)).exp() * pl.col("__d")).alias(FORWARD))
        .select(*_KEYS, TAU, FORWARD)
    )


def atm_term_structure(
    options: pl.LazyFrame | pl.DataFrame,
    *,
    method: AtmMethod = "forward",
    forward: ForwardSource = "parity",
    price: PriceSource = "mid",
    rate: float = 0.0,
    dividend: float = 0.0,
) -> pl.LazyFrame:
    """ATM implied vol per underlying, day and expiry (steps 1-4 of the module docstring).

    Parameters
    ----------
    options
        Option quotes or trades with ``underlying``, ``expiry``, ``strike``,
        ``right`` and ``date`` (or ``ts``, converted to the New York date), plus
        ``bid``/``ask`` (``price="mid"``) or ``price`` (``price="price"``), and
        ``underlying_price`` when ``forward="underlying"``.
    method
        ``"forward"`` (ATM-forward strike) or ``"delta50"`` (50-delta call).
    forward
        ``"parity"`` (put-call parity) or ``"underlying"`` (spot carried at ``rate - dividend``).
    price
        ``"mid"`` (quote midpoint) or ``"price"`` (trade price).
    rate, dividend
        Continuously compounded rate (discounting, both methods) and dividend
        yield (``forward="underlying"`` only).

    Returns
    -------
    pl.LazyFrame
        ``date, symbol, expiry, tau, forward, iv, n_options``, sorted by the
        first three; expiries without an ATM vol are left out.

    Raises
    ------
    SchemaError
        When a needed column is missing.
    ConfigError
        When an option is not one of its allowed values.
    """
    for name, value, allowed in (
        ("method", method, ("forward", "delta50")),
        ("forward", forward, ("parity", "underlying")),
        ("price", price, ("mid", "price")),
    ):
        if value not in allowed:
            raise ConfigError(f"must be one of {allowed}, got {value!r}", column=name)
    contracts = _contracts(options.lazy(), price, forward)
    fwd = _forwards(contracts, forward, rate, dividend)
    k, tau, iv = pl.col(STRIKE), pl.col(TAU), pl.col(IV)
    otm = contracts.join(fwd, on=_KEYS).filter(pl.col(_C) == (k >= pl.col(FORWARD)))
    solved = otm.with_columns(
        implied_vol_expr(_PX, FORWARD, STRIKE, TAU, rate=rate, dividend=rate, is_call=_C).alias(IV)
    ).filter(iv.is_not_null())
    logm = (k / pl.col(FORWARD)).log()
    key = logm if method == "forward" else logm / (iv * tau.sqrt()) - 0.5 * iv * tau.sqrt()
    nxt_key, nxt_iv = pl.col(_KEY).shift(-1).over(_KEYS), iv.shift(-1).over(_KEYS)
    atm = (
        pl.when(pl.col(_KEY) == 0)
        .then(iv)
        .otherwise(iv + (nxt_iv - iv) * (-pl.col(_KEY)) / (nxt_key - pl.col(_KEY)))
    )
    straddles = (pl.col(_KEY) == 0) | ((pl.col(_KEY) < 0) & (nxt_key > 0))
    return (
        solved.with_columns(key.alias(_KEY))
        .sort([*_KEYS, _KEY])
        .with_columns(atm.alias("__of_atm"), straddles.alias("__of_hit"))
        .group_by([*_KEYS, TAU, FORWARD])
        .agg(
            pl.col("__of_atm").filter(pl.col("__of_hit")).first().alias(IV),
            pl.len().cast(pl.UInt32).alias(N_OPTIONS),
        )
        .filter(iv.is_not_null())
        .select(*_KEYS, TAU, FORWARD, IV, N_OPTIONS)
        .sort(_KEYS)
    )


def constant_maturity(
    term: pl.LazyFrame | pl.DataFrame,
    *,
    tenor_days: int | Sequence[int] = 30,
    extrapolate: Extrapolate = "none",
) -> pl.LazyFrame:
    """Interpolate vols per expiry to fixed tenors in total variance (step 5).

    Parameters
    ----------
    term
        ``date``, ``symbol``, ``expiry`` (Date) and ``iv`` (Float64, decimal): one
        vol per expiry, e.g. :func:`atm_term_structure` or the expiry vols of
        :func:`optionsflow.ingest.reference.cboe_iv.read_cboe_iv_expiries`. Rows with a
        null, non-finite or non-positive vol, or an expiry not after the date, are dropped.
    tenor_days
        Target tenor(s) in calendar days, e.g. ``30`` or ``(30, 91)``.
    extrapolate
        ``"none"``: null outside the listed expiries; ``"flat"``: the nearest
        expiry's vol there.

    Returns
    -------
    pl.LazyFrame
        ``date, symbol, tenor_days (Int32), iv, near_expiry, far_expiry``, sorted;
        ``far_expiry`` is null when the tenor is matched exactly or extrapolated.

    Raises
    ------
    ConfigError
        When a tenor is not a positive integer or ``extrapolate`` is unknown.
    """
    tenors = [tenor_days] if isinstance(tenor_days, int) else list(tenor_days)
    if not tenors or any(not isinstance(t, int) or t < 1 for t in tenors):
        raise ConfigError(f"tenors must be positive integers, got {tenors}", column=TENOR_DAYS)
    if extrapolate not in ("none", "flat"):
        raise ConfigError(f"must be 'none' or 'flat', got {extrapolate!r}", column="extrapolate")
    lf = term.lazy()
    require_columns(lf, [DATE, SYMBOL, EXPIRY, IV], by="constant_maturity")
    iv, days, tenor = pl.col(IV), pl.col(_DAYS), pl.col(TENOR_DAYS)
    rows = (
        lf.select(DATE, SYMBOL, EXPIRY, pl.col(IV).cast(pl.Float64))
        .with_columns((pl.col(EXPIRY) - pl.col(DATE)).dt.total_days().alias(_DAYS))
        .filter(iv.is_finite() & (iv > 0) & (days > 0))
        .join(pl.LazyFrame({TENOR_DAYS: tenors}, schema={TENOR_DAYS: pl.Int32}), how="cross")
    )
    near, far = days <= tenor, days > tenor
    g = rows.group_by(DATE, SYMBOL, TENOR_DAYS).agg(
        days.filter(near).max().alias("__d1"),
        iv.filter(near).sort_by(days.filter(near)).last().alias("__v1"),
        pl.col(EXPIRY).filter(near).max().alias(NEAR_EXPIRY),
        days.filter(far).min().alias("__d2"),
        iv.filter(far).sort_by(days.filter(far)).first().alias("__v2"),
        pl.col(EXPIRY).filter(far).min().alias(FAR_EXPIRY),
    )
    d1, d2, v1, v2 = pl.col("__d1"), pl.col("__d2"), pl.col("__v1"), pl.col("__v2")
    w1, w2 = v1 * v1 * d1, v2 * v2 * d2
    interp = ((w1 + (w2 - w1) * (tenor - d1) / (d2 - d1)) / tenor).sqrt()
    flat = extrapolate == "flat"
    value = (
        pl.when(d1 == tenor)
        .then(v1)
        .when(d1.is_not_null() & d2.is_not_null())
        .then(interp)
        .when(pl.lit(flat))
        .then(pl.coalesce(v1, v2))
        .otherwise(None)
    )
    exact_or_one_side = (d1 == tenor) | d1.is_null() | d2.is_null()
    return (
        g.with_columns(
            value.alias(IV),
            pl.when(exact_or_one_side).then(None).otherwise(pl.col(FAR_EXPIRY)).alias(FAR_EXPIRY),
            pl.when(d1.is_null())
            .then(pl.col(FAR_EXPIRY))
            .otherwise(pl.col(NEAR_EXPIRY))
            .alias(NEAR_EXPIRY),
        )
        .select(DATE, SYMBOL, TENOR_DAYS, IV, NEAR_EXPIRY, FAR_EXPIRY)
        .sort(DATE, SYMBOL, TENOR_DAYS)
    )


def atm_vol(
    options: pl.LazyFrame | pl.DataFrame,
    *,
    tenor_days: int | Sequence[int] = 30,
    method: AtmMethod = "forward",
    forward: ForwardSource = "parity",
    price: PriceSource = "mid",
    rate: float = 0.0,
    dividend: float = 0.0,
    extrapolate: Extrapolate = "none",
) -> pl.LazyFrame:
    """ATM constant-maturity vol per underlying and day, from option quotes or trades.

    :func:`atm_term_structure` followed by :func:`constant_maturity`; the
    parameters are theirs. Filter on ``tenor_days`` and pass the result to
    :func:`optionsflow.correlation.implied_correlation` as constituent vols.

    Returns
    -------
    pl.LazyFrame
        ``date, symbol, tenor_days, iv, near_expiry, far_expiry``.

    Examples
    --------
    Quotes priced at a flat 20% vol for 20 days and 30% for 40 days (spot 100, no
    rates) give a 30-day vol of ``sqrt((0.2**2 * 20 + 0.3**2 * 40) / 2 / 30)``:

    >>> import datetime as dt
    >>> from optionsflow import bsm_price
    >>> d = dt.date(2026, 1, 5)
    >>> quotes = pl.DataFrame([{"date": d, "underlying": "XOM", "expiry": d + dt.timedelta(n),
    ...     "strike": k, "right": r, "bid": float(bsm_price(100, k, n / 365, v, is_call=r == "C"))}
    ...     for n, v in ((20, 0.2), (40, 0.3)) for k in (95.0, 100.0, 105.0) for r in "CP"])
    >>> out = atm_vol(quotes.with_columns(ask=pl.col("bid")), tenor_days=30).collect()
    >>> out.select("symbol", "tenor_days", pl.col("iv").round(6)).rows()
    [('XOM', 30, 0.270801)]
    """
    term = atm_term_structure(
        options, method=method, forward=forward, price=price, rate=rate, dividend=dividend
    )
    return constant_maturity(term, tenor_days=tenor_days, extrapolate=extrapolate)
