r"""Forwards from put-call parity, per chain expiry, and the strike ``K0`` below them.

For each (date, underlying, root, expiry) of a chain:

* the **quote midpoint** of every option, ``(bid + ask) / 2`` when ``ask >= bid``
  (DESIGN.md section 6);
* the **parity strike** ``K*``: among strikes where the call and the put both have a
  positive bid, the one with the smallest ``|C - P|`` of mids (the lowest on a tie);
* the **forward** ``F = K* + e^{rT} (C - P)`` with ``T = minutes / 525,600``;
* ``K0``: the listed strike equal to or immediately below ``F``.

The chain must carry ``minutes`` and ``rate``
(:mod:`~optionsflow.volatility.chain_time`).

Examples
--------
>>> import datetime as dt
>>> d, e = dt.date(2022, 2, 4), dt.date(2022, 3, 4)
>>> chain = pl.DataFrame({
...     "date": [d] * 4, "underlying": ["SPX"] * 4, "root": ["SPXW"] * 4, "expiry": [e] * 4,
...     "strike": [100.0, 100.0, 105.0, 105.0], "right": ["C", "P", "C", "P"],
...     "bid": [3.0, 1.0, 1.0, 4.0], "ask": [3.2, 1.2, 1.2, 4.2],
...     "minutes": [0.0] * 4, "rate": [0.0] * 4})
>>> parity_forwards(chain).collect().select("strike", "forward", "k0").row(0)
(100.0, 102.0, 100.0)
"""

from __future__ import annotations

import polars as pl

from optionsflow.schema import (
    ASK,
    BID,
    DATE,
    EXPIRY,
    FORWARD,
    K0,
    MID,
    MINUTES,
    RATE,
    RIGHT,
    ROOT,
    STRIKE,
    TS,
    UNDERLYING,
    private,
)
from optionsflow.volatility.chain_time import MINUTES_PER_YEAR

__all__ = ["EXPIRY_KEY", "mid_expr", "parity_forwards", "series_key", "strike_pairs"]

EXPIRY_KEY: tuple[str, ...] = (DATE, UNDERLYING, ROOT, EXPIRY)
"""One series of a chain: its snapshot day, underlying, root and expiry."""


def series_key(lf: pl.LazyFrame) -> list[str]:
    """Name a chain's series key: :data:`EXPIRY_KEY`, with ``ts`` after ``date`` when present.

    A chain of several snapshots a day (Quote Intervals) has one series per snapshot.

    Examples
    --------
    >>> series_key(pl.LazyFrame(schema=["date", "ts", "underlying", "root", "expiry"]))
    ['date', 'ts', 'underlying', 'root', 'expiry']
    """
    key = list(EXPIRY_KEY)
    return [DATE, TS, *key[1:]] if TS in lf.collect_schema().names() else key


CALL_BID, PUT_BID = private("call_bid"), private("put_bid")
CALL_MID, PUT_MID = private("call_mid"), private("put_mid")


def mid_expr(bid: str = BID, ask: str = ASK) -> pl.Expr:
    """Quote midpoint: ``(bid + ask) / 2`` when ``ask >= bid``, else null.

    Examples
    --------
    >>> pl.DataFrame({"bid": [1.0, 2.0], "ask": [1.5, 1.0]}).select(mid_expr())["mid"].to_list()
    [1.25, None]
    """
    return pl.when(pl.col(ask) >= pl.col(bid)).then((pl.col(bid) + pl.col(ask)) / 2).alias(MID)


def strike_pairs(chain: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """One row per series and strike with the call's and put's bid and mid side by side.

    Returns
    -------
    pl.LazyFrame
        :data:`EXPIRY_KEY`, ``strike``, ``minutes``, ``rate`` and the private columns
        ``__of_call_bid``, ``__of_call_mid``, ``__of_put_bid``, ``__of_put_mid``
        (null where the side is not listed), sorted by key and strike.

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date(2022, 2, 4)
    >>> chain = pl.DataFrame({"date": [d, d], "underlying": ["X", "X"], "root": ["X", "X"],
    ...     "expiry": [d, d], "strike": [1.0, 1.0], "right": ["C", "P"], "bid": [1.0, 2.0],
    ...     "ask": [2.0, 3.0], "minutes": [1.0, 1.0], "rate": [0.0, 0.0]})
    >>> strike_pairs(chain).collect().select("__of_call_mid", "__of_put_mid").row(0)
    (1.5, 2.5)
    """
    lf = chain.lazy().with_columns(mid_expr())
    keys = [*series_key(lf), STRIKE]
    right = pl.col(RIGHT).cast(pl.String)

    def side(name: str) -> list[pl.Expr]:
        return [
            pl.col(BID).filter(right == name).first(),
            pl.col(MID).filter(right == name).first(),
        ]

    call_bid, call_mid = side("C")
    put_bid, put_mid = side("P")
    return (
        lf.group_by(keys)
        .agg(
            pl.col(MINUTES).first(),
            pl.col(RATE).first(),
            call_bid.alias(CALL_BID),
            call_mid.alias(CALL_MID),
            put_bid.alias(PUT_BID),
            put_mid.alias(PUT_MID),
        )
        .sort(keys)
    )


def parity_forwards(chain: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Forward and ``K0`` of every series of a chain, from put-call parity on mids.

    Parameters
    ----------
    chain
        Options with :data:`EXPIRY_KEY`, ``strike``, ``right``, ``bid``, ``ask``,
        ``minutes`` and ``rate``.

    Returns
    -------
    pl.LazyFrame
        One row per series: :data:`EXPIRY_KEY`, ``minutes``, ``rate``, ``strike``
        (the parity strike ``K*``), ``forward`` and ``k0``. A series with no strike
        where both sides have a positive bid has no row.

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date(2022, 2, 4)
    >>> chain = pl.DataFrame({"date": [d] * 2, "underlying": ["X"] * 2, "root": ["X"] * 2,
    ...     "expiry": [dt.date(2023, 2, 4)] * 2, "strike": [100.0] * 2, "right": ["C", "P"],
    ...     "bid": [5.0, 4.0], "ask": [5.0, 4.0], "minutes": [525600.0] * 2, "rate": [0.05] * 2})
    >>> round(parity_forwards(chain).collect()["forward"][0], 6)  # 100 + e^0.05 (5 - 4)
    101.051271
    """
    key = series_key(chain.lazy())
    pairs = strike_pairs(chain)
    both = (pl.col(CALL_BID) > 0) & (pl.col(PUT_BID) > 0) & pl.col(CALL_MID).is_not_null()
    both &= pl.col(PUT_MID).is_not_null()
    diff = pl.col(CALL_MID) - pl.col(PUT_MID)
    growth = (pl.col(RATE) * pl.col(MINUTES) / MINUTES_PER_YEAR).exp()
    forwards = (
        pairs.filter(both)
        .with_columns(diff.abs().alias("__of_abs"))
        .sort([*key, "__of_abs", STRIKE])
        .group_by(key, maintain_order=True)
        .first()
        .with_columns((pl.col(STRIKE) + growth * diff).alias(FORWARD))
        .select(*key, MINUTES, RATE, STRIKE, FORWARD)
    )
    strikes = pairs.select(*key, pl.col(STRIKE).alias(K0))
    below = forwards.join(strikes, on=key).filter(pl.col(K0) <= pl.col(FORWARD))
    k0 = below.group_by(key).agg(pl.col(K0).max())
    return forwards.join(k0, on=key, how="left").sort(key)
