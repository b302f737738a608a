r"""VIX-style model-free variance index from an option chain (the Cboe VIX white-paper method).

For each series (date, underlying, root, expiry) of a chain
(:func:`~optionsflow.volatility.forwards.parity_forwards` gives ``F`` and ``K0``):

* **strike selection**: puts with ``K < K0`` walking down from ``K0`` and calls with
  ``K > K0`` walking up; an option with a zero bid is left out, and once two
  consecutive strikes have zero bids no further strike on that side is used; at
  ``K0`` the average of the put and call mids;
* ``Q(K)`` the quote midpoint, ``dK_i = (K_{i+1} - K_{i-1}) / 2`` over the selected
  strikes (one-sided at the ends);
* the **per-expiry variance**, with ``T = minutes / 525,600`` and rate ``R``::

      sigma^2 = (2/T) sum_i dK_i / K_i^2 e^{RT} Q(K_i)  -  (1/T) (F/K0 - 1)^2

**Terms** (``terms="cboe"``, Cboe's rule for SPX, applied to every underlying): the
expiries on Fridays (Thursdays when the Friday is an NYSE holiday) more than 23 and less
than 37 calendar days out; on a standard third-Friday expiry the AM-settled series (SPX)
is used when listed, on other Fridays the PM-settled one (SPXW). The nearest is the near
term, the farthest the next term. When no expiry of an underlying falls in that window
(monthly-only names), or with ``terms="bracket"``, the terms are the listed expiries just
at or below and just above the tenor (the AM series where an expiry has both).

**Index**, with ``N_i`` the minutes to settlement of the terms, ``N`` the tenor in
minutes and ``N365 = 525,600``::

    index = 100 sqrt( (T1 s1^2 (N2 - N)/(N2 - N1) + T2 s2^2 (N - N1)/(N2 - N1)) N365 / N )

(``s_i^2`` the terms' ``sigma^2``), and ``100 s1`` when both terms are one expiry.

Examples
--------
A flat smile of 20% priced with Black-76 gives back about 20 (the discrete strike
grid costs a few hundredths):

>>> import datetime as dt, numpy as np
>>> from optionsflow.volatility.black import black76_price
>>> d, ts = dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 21, 15, tzinfo=dt.UTC)
>>> expiries = [dt.date(2026, 3, 27), dt.date(2026, 4, 2)]  # 25 days; Thursday before Good Friday
>>> rows = []
>>> for e in expiries:
...     t = ((e - d).days * 1440 - 15) / 525600  # 16:15 ET to 16:00 ET
...     for k in np.arange(50.0, 200.0, 1.0):
...         for right in "CP":
...             p = float(black76_price(100.0, k, t, 0.2, rate=0.0, is_call=right == "C"))
...             rows.append((d, ts, "X", "X", e, "PM", float(k), right, p, p))
>>> cols = ["date", "ts", "underlying", "root", "expiry", "settlement", "strike", "right"]
>>> chain = pl.DataFrame(rows, schema=[*cols, "bid", "ask"], orient="row")
>>> out = variance_index(chain, rate=0.0).collect()
>>> out.select("near_expiry", "far_expiry", "near_k0").row(0)
(datetime.date(2026, 3, 27), datetime.date(2026, 4, 2), 100.0)
>>> round(out["variance_index"][0], 2)
20.05
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from optionsflow.calendar import nyse_holidays
from optionsflow.errors import SchemaError
from optionsflow.schema import (
    DATE,
    EXPIRY,
    FAR_EXPIRY,
    FAR_FORWARD,
    FAR_K0,
    FAR_MINUTES,
    FAR_ROOT,
    FAR_STRIKES,
    FAR_VARIANCE,
    FORWARD,
    K0,
    MINUTES,
    NEAR_EXPIRY,
    NEAR_FORWARD,
    NEAR_K0,
    NEAR_MINUTES,
    NEAR_ROOT,
    NEAR_STRIKES,
    NEAR_VARIANCE,
    RATE,
    ROOT,
    SETTLEMENT,
    STRIKE,
    TENOR_DAYS,
    VARIANCE_INDEX,
    private,
)
from optionsflow.volatility.chain_time import MINUTES_PER_YEAR, RateOption, with_minutes, with_rates
from optionsflow.volatility.forwards import (
    CALL_BID,
    CALL_MID,
    EXPIRY_KEY,
    PUT_BID,
    PUT_MID,
    parity_forwards,
    series_key,
    strike_pairs,
)

__all__ = ["TermRule", "expiry_variance", "variance_index"]

TermRule = Literal["cboe", "bracket"]
"""How the two terms around the tenor are chosen (see the module docstring)."""

N_STRIKES = private("n_strikes")
VARIANCE = private("variance")
_Q, _DK = private("q"), private("dk")


def expiry_variance(chain: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Per-series white-paper variance ``sigma^2`` with its forward, ``K0`` and strike count.

    Parameters
    ----------
    chain
        Options with the series key, ``strike``, ``right``, ``bid``, ``ask``,
        ``minutes`` and ``rate``.

    Returns
    -------
    pl.LazyFrame
        One row per series with a forward: the key, ``minutes``, ``rate``, ``forward``,
        ``k0``, ``__of_n_strikes`` (strikes used) and ``__of_variance``.

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date(2022, 2, 4)
    >>> chain = pl.DataFrame({"date": [d] * 6, "underlying": ["X"] * 6, "root": ["X"] * 6,
    ...     "expiry": [dt.date(2023, 2, 4)] * 6, "strike": [90.0, 90.0, 100.0, 100.0, 110.0, 110.0],
    ...     "right": ["C", "P"] * 3, "bid": [11.0, 1.0, 4.0, 4.0, 1.0, 11.0],
    ...     "ask": [11.0, 1.0, 4.0, 4.0, 1.0, 11.0], "minutes": [525600.0] * 6, "rate": [0.0] * 6})
    >>> row = expiry_variance(chain).collect().row(0, named=True)
    >>> # 2 (10/90^2 + 10 * 4/100^2 + 10/110^2)
    >>> row["k0"], row["__of_n_strikes"], round(row["__of_variance"], 6)
    (100.0, 3, 0.012122)
    """
    key = series_key(chain.lazy())
    fwd = parity_forwards(chain).select(*key, FORWARD, K0)
    k, k0 = pl.col(STRIKE), pl.col(K0)
    put_zero = (k < k0) & ~(pl.col(PUT_BID) > 0).fill_null(value=False)
    call_zero = (k > k0) & ~(pl.col(CALL_BID) > 0).fill_null(value=False)
    put_pair = (put_zero & put_zero.shift(-1).fill_null(value=False)).cast(pl.UInt32)
    call_pair = (call_zero & call_zero.shift(1).fill_null(value=False)).cast(pl.UInt32)
    put_ok = (k < k0) & (pl.col(PUT_BID) > 0) & pl.col(PUT_MID).is_not_null()
    call_ok = (k > k0) & (pl.col(CALL_BID) > 0) & pl.col(CALL_MID).is_not_null()
    at_ok = (k == k0) & pl.col(PUT_MID).is_not_null() & pl.col(CALL_MID).is_not_null()
    q = (
        pl.when(k < k0)
        .then(pl.col(PUT_MID))
        .when(k > k0)
        .then(pl.col(CALL_MID))
        .otherwise((pl.col(PUT_MID) + pl.col(CALL_MID)) / 2)
    )
    prev, nxt = k.shift(1).over(key), k.shift(-1).over(key)
    dk = pl.coalesce((nxt - prev) / 2, nxt - k, k - prev)
    t = pl.col(MINUTES) / MINUTES_PER_YEAR
    growth = (pl.col(RATE) * t).exp()
    selected = (
        strike_pairs(chain)
        .join(fwd, on=key, how="inner")
        .sort([*key, STRIKE])
        .with_columns(
            put_pair.cum_sum(reverse=True).over(key).alias("__of_put_stop"),
            call_pair.cum_sum().over(key).alias("__of_call_stop"),
        )
        .filter(
            (put_ok & (pl.col("__of_put_stop") == 0))
            | (call_ok & (pl.col("__of_call_stop") == 0))
            | at_ok
        )
        .with_columns(q.alias(_Q))
        .with_columns(dk.alias(_DK))
    )
    return (
        selected.group_by(key, maintain_order=True)
        .agg(
            pl.col(MINUTES, RATE, FORWARD, K0).first(),
            pl.len().alias(N_STRIKES),
            (pl.col(_DK) / k.pow(2) * pl.col(_Q)).sum().alias("__of_sum"),
        )
        .with_columns(
            (2 / t * growth * pl.col("__of_sum") - (pl.col(FORWARD) / k0 - 1).pow(2) / t).alias(
                VARIANCE
            )
        )
        .drop("__of_sum")
    )


def _terms(
    series: pl.LazyFrame, group: list[str], tenor_minutes: float, rule: TermRule
) -> pl.LazyFrame:
    """Keep the near and next terms of each snapshot (``group``) of an underlying."""
    expiry = pl.col(EXPIRY)
    weekday, day = expiry.dt.weekday(), expiry.dt.day()
    holiday_next = expiry.dt.offset_by("1d").is_in(sorted(nyse_holidays()))
    friday = (weekday == 5) | ((weekday == 4) & holiday_next)
    standard = ((weekday == 5) & day.is_between(15, 21)) | (
        (weekday == 4) & holiday_next & day.is_between(14, 20)
    )
    am = pl.col(SETTLEMENT).cast(pl.String) == "AM"
    am_listed = am.any().over([*group, EXPIRY])
    days = (expiry - pl.col(DATE)).dt.total_days()
    series_ok = pl.when(standard & am_listed).then(am).otherwise(~am)
    cboe = friday & (days > 23) & (days < 37) & series_ok
    preferred = pl.col(ROOT) == pl.col(ROOT).sort_by(~am, ROOT).first().over([*group, EXPIRY])
    m = pl.col(MINUTES)
    near_m = m.filter(preferred & (m <= tenor_minutes)).max().over(group)
    far_m = m.filter(preferred & (m > tenor_minutes)).min().over(group)
    bracket = preferred & ((m == near_m) | (m == far_m))
    use_cboe = cboe.any().over(group) if rule == "cboe" else pl.lit(value=False)
    chosen = pl.when(use_cboe).then(cboe).otherwise(bracket)
    return series.filter(chosen)


def variance_index(
    chain: pl.LazyFrame | pl.DataFrame,
    *,
    tenor_days: float = 30.0,
    rate: RateOption = 0.0,
    terms: TermRule = "cboe",
) -> pl.LazyFrame:
    r"""Compute the Cboe VIX white-paper index of each (date, underlying) of a chain.

    Parameters
    ----------
    chain
        Canonical chain options (:data:`~optionsflow.schema.CHAIN_SCHEMA`; at least
        ``date``, ``ts``, ``underlying``, ``root``, ``expiry``, ``settlement``,
        ``strike``, ``right``, ``bid``, ``ask``). ``minutes`` and ``rate`` are computed
        (:mod:`~optionsflow.volatility.chain_time`) unless present.
    tenor_days
        Constant maturity in calendar days (30 for VIX).
    rate
        Flat rate (decimal, continuously compounded) or a ``tenor_days, rate`` table.
    terms
        ``"cboe"``: Cboe's Friday 23-37-day window (falling back to ``"bracket"`` for an
        underlying with no expiry there); ``"bracket"``: the expiries around the tenor.

    Returns
    -------
    pl.LazyFrame
        One row per (date, underlying), and ``ts`` when the chain has it (one row per
        snapshot of an intraday chain): ``variance_index`` (vol points), ``tenor_days``,
        and per term (``near_``/``far_``) ``expiry``, ``root``, ``minutes``, ``forward``,
        ``k0``, ``strikes`` (count) and ``variance`` (``sigma^2``).

    Raises
    ------
    SchemaError
        When a needed column is missing.

    Examples
    --------
    See the module docstring for a worked chain; an empty chain gives no rows:

    >>> import datetime as dt
    >>> from optionsflow.schema import CHAIN_SCHEMA
    >>> variance_index(pl.DataFrame(schema=CHAIN_SCHEMA)).collect().height
    0
    """
    lf = chain.lazy()
    have = lf.collect_schema().names()
    needed = [*EXPIRY_KEY, SETTLEMENT, STRIKE, "right", "bid", "ask"]
    needed += [] if MINUTES in have else ["ts"]
    for name in needed:
        if name not in have:
            raise SchemaError("variance_index needs this chain column", column=name)
    if MINUTES not in have:
        lf = with_minutes(lf)
    if RATE not in have:
        lf = with_rates(lf, rate)
    lf = lf.filter(pl.col(MINUTES) > 0)
    key = series_key(lf)
    group = [c for c in key if c not in {ROOT, EXPIRY}]
    settlement = lf.select(*key, SETTLEMENT).unique(key)
    series = expiry_variance(lf).join(settlement, on=key, how="left")
    n = tenor_days * 1440.0
    chosen = _terms(series, group, n, terms).sort(*group, MINUTES)
    fields = {
        EXPIRY: (NEAR_EXPIRY, FAR_EXPIRY),
        ROOT: (NEAR_ROOT, FAR_ROOT),
        MINUTES: (NEAR_MINUTES, FAR_MINUTES),
        FORWARD: (NEAR_FORWARD, FAR_FORWARD),
        K0: (NEAR_K0, FAR_K0),
        N_STRIKES: (NEAR_STRIKES, FAR_STRIKES),
        VARIANCE: (NEAR_VARIANCE, FAR_VARIANCE),
    }
    aggs = [pl.col(c).first().alias(near) for c, (near, _) in fields.items()]
    aggs += [pl.col(c).last().alias(far) for c, (_, far) in fields.items()]
    n1, n2 = pl.col(NEAR_MINUTES), pl.col(FAR_MINUTES)
    w1 = n1 / MINUTES_PER_YEAR * pl.col(NEAR_VARIANCE) * (n2 - n) / (n2 - n1)
    w2 = n2 / MINUTES_PER_YEAR * pl.col(FAR_VARIANCE) * (n - n1) / (n2 - n1)
    total = (
        pl.when(n2 == n1).then(pl.col(NEAR_VARIANCE)).otherwise((w1 + w2) * MINUTES_PER_YEAR / n)
    )
    index = 100 * total.sqrt()
    return (
        chosen.group_by(group, maintain_order=True)
        .agg(aggs)
        .with_columns(index.alias(VARIANCE_INDEX), pl.lit(float(tenor_days)).alias(TENOR_DAYS))
        .select(
            *group,
            VARIANCE_INDEX,
            TENOR_DAYS,
            *[c for pair in fields.values() for c in pair],
        )
        .sort(group)
    )
