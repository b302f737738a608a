"""Unusual options activity: contract-days that stand out, ranked, with reasons.

For each contract (``underlying, root, expiry, strike, right``) and New York
trading day, with ``V`` its volume (contracts):

* **baseline**: over the previous ``N = lookback_days`` *trading* days, days
  without a print counting as zero, ``mean = S / n`` and
  ``std = sqrt(SS / n - mean^2)`` with ``S``, ``SS`` the sums of ``V`` and
  ``V^2`` and ``n = min(N, trading days of data before this day)``;
  ``z = (V - mean) / max(std, sqrt(mean))`` (null when ``n < 5`` or
  ``mean = 0``); the ``sqrt(mean)`` floor, a Poisson count's standard
  deviation, keeps a flat history from giving an infinite z;
* **volume / open interest** when open interest is given (as of the start of
  the day: the previous close), from a table or from option chains;
* **sweeps**: intermarket-sweep prints (``ISOI``, ``SLAI``, ``SLCI``) that day;
* **premium**: ``sum(price * size * multiplier)``;
* **bought share**: bought / (bought + sold) contracts of signed prints, and
  **ask share**: contracts printed at or above the ask / ``V``.

A contract-day is flagged when ``V >= min_volume`` and any of: ``z >=
z_score`` (or first volume after ``n >= 5`` silent days), ``V / OI >
volume_oi``, ``sweeps >= sweeps``, ``premium >= premium``, bought share
``>= one_sided`` or ``<= 1 - one_sided``. Its ``score`` is the number of flags
plus ``min(z, 20) / 20``; rows are ranked by score, then premium, then volume (ties: by
contract, so every engine ranks alike), per day.

Volume comes from trade prints or, without them, from option chains
(:func:`chain_activity`: the day's session volume and start-of-day open interest of
every listed option, as Cboe's chain files give them), so volume / OI can be read off
real chains; premium, sweeps and the bought and ask shares need prints and are null
then.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> from optionsflow.testing import at, labelled
>>> days = [dt.date(2026, 11, d) for d in (16, 17, 18, 19, 20, 23)]
>>> quiet = [{"ts": at(d), "size": 10} for d in days[:5]]
>>> loud = [{"ts": at(days[5]), "size": 500, "condition": "ISOI"} for _ in range(3)]
>>> out = unusual_activity(labelled(quiet + loud)).collect()
>>> out.select("date", "volume", "sweeps").row(0)
(datetime.date(2026, 11, 23), 1500, 3)
>>> out["reasons"].to_list()[0]
['volume 150.0x its 5-day average', '3 sweep prints', '100% bought']
"""

from __future__ import annotations

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import PREMIUM_E4
from optionsflow.calendar import trading_day_numbers
from optionsflow.config import Config
from optionsflow.errors import ConfigError

__all__ = ["CONTRACT", "chain_activity", "unusual_activity"]

CONTRACT: tuple[str, ...] = (s.UNDERLYING, *s.CONTRACT_KEY)
"""Key of a contract in the activity table."""
_MIN_HISTORY = 5
_DAY_NO = "day_no"


def _daily(trades: pl.LazyFrame) -> pl.LazyFrame:
    """Per contract-day sums."""
    size = pl.col(s.SIZE)
    price_e4 = (pl.col(s.PRICE) * 1e4).round(0).cast(pl.Int64)
    have = trades.collect_schema()
    side = pl.col(s.SIDE) if s.SIDE in have else pl.lit(None, s.SIDE_DTYPE)
    at_ask = (pl.col(s.PRICE) >= pl.col(s.ASK)) if s.ASK in have else pl.lit(False)
    return (
        trades.with_columns(s.trade_date(), pl.col(s.RIGHT).cast(s.RIGHT_DTYPE))
        .group_by(s.DATE, *CONTRACT)
        .agg(
            size.sum().alias("volume"),
            (price_e4 * size * pl.col(s.MULTIPLIER).cast(pl.Int64)).sum().alias(PREMIUM_E4),
            pl.len().cast(pl.Int64).alias("prints"),
            s.condition_in(s.ISO_CONDITIONS, trades).sum().cast(pl.Int64).alias("sweeps"),
            size.filter(side == 1).sum().alias("bought"),
            size.filter(side == -1).sum().alias("sold"),
            size.filter(at_ask.fill_null(False)).sum().alias("at_ask"),
        )
    )


def chain_activity(chain: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Give each listed option's volume and open interest per day from option chains.

    A chain's ``volume`` is the session's up to its snapshot and its ``open_interest``
    is as of the start of the day (:data:`~optionsflow.schema.CHAIN_SCHEMA`), so the
    day's values are those of the day's last snapshot of the option (a Quote Intervals
    file has many, a quotedata or EOD Summary file one).

    Parameters
    ----------
    chain
        Canonical chain options (:func:`~optionsflow.ingest.read_chain`) of any days.

    Returns
    -------
    pl.LazyFrame
        One row per ``date, underlying, root, expiry, strike, right``: ``volume`` and
        ``open_interest`` (Int64, null where the chain has none), sorted by the key.

    Examples
    --------
    Two half-hourly snapshots of one option: 30 contracts by 10:30, 75 by the close:

    >>> import datetime as dt
    >>> d = dt.date(2021, 4, 26)
    >>> ts = [dt.datetime(2021, 4, 26, h, 30, tzinfo=dt.UTC) for h in (14, 20)]
    >>> chain = pl.DataFrame({"date": [d, d], "ts": ts, "underlying": "A", "root": "A",
    ...     "expiry": dt.date(2021, 5, 21), "strike": 140.0, "right": "C",
    ...     "volume": [30, 75], "open_interest": [1410, 1410]})
    >>> chain_activity(chain).select("date", "volume", "open_interest").collect().rows()
    [(datetime.date(2021, 4, 26), 75, 1410)]
    """
    lf = chain.lazy()
    needed = (s.DATE, s.TS, *CONTRACT, s.VOLUME, s.OPEN_INTEREST)
    s.require_columns(lf, needed, by="chain_activity")
    return (
        lf.sort(s.TS, maintain_order=True)
        .group_by(s.DATE, *CONTRACT)
        .agg(
            pl.col(s.VOLUME).cast(pl.Int64).last(),
            pl.col(s.OPEN_INTEREST).cast(pl.Int64).last(),
        )
        .with_columns(pl.col(s.RIGHT).cast(s.RIGHT_DTYPE))
        .sort(s.DATE, *CONTRACT)
    )


def _chain_daily(activity: pl.LazyFrame) -> pl.LazyFrame:
    """Give the per contract-day sums of :func:`_daily` that a chain has: volume only."""
    unknown = ("prints", "sweeps", "bought", "sold", "at_ask", PREMIUM_E4)
    return activity.select(
        s.DATE, *CONTRACT, pl.col(s.VOLUME).fill_null(0).alias("volume"),
        *(pl.lit(None, pl.Int64).alias(c) for c in unknown),
    )  # fmt: skip


def _baseline(daily: pl.LazyFrame, lookback: int) -> pl.LazyFrame:
    """Trailing per-contract mean / std of daily volume over trading days."""
    numbered = daily.join(trading_day_numbers(), on=s.DATE, how="left")
    window = (
        numbered.sort(*CONTRACT, _DAY_NO)
        .rolling(
            index_column=_DAY_NO,
            period=f"{lookback}i",
            offset=f"-{lookback + 1}i",
            closed="right",
            group_by=list(CONTRACT),
        )
        .agg(
            pl.col("volume").sum().cast(pl.Float64).alias("_s"),
            (pl.col("volume").cast(pl.Float64) ** 2).sum().alias("_ss"),
        )
    )
    first = pl.col(_DAY_NO).min()
    return (
        numbered.join(window, on=[*CONTRACT, _DAY_NO], how="left")
        .with_columns(
            (pl.col(_DAY_NO) - first).clip(0, lookback).alias("baseline_days"),
        )
        .with_columns(
            pl.when(pl.col("baseline_days") > 0)
            .then(pl.col("_s").fill_null(0.0) / pl.col("baseline_days"))
            .alias("baseline_mean"),
        )
        .with_columns(
            (pl.col("_ss").fill_null(0.0) / pl.col("baseline_days") - pl.col("baseline_mean") ** 2)
            .clip(lower_bound=0.0)
            .sqrt()
            .alias("baseline_std"),
        )
        .drop("_s", "_ss")
    )


def unusual_activity(
    trades: pl.LazyFrame | pl.DataFrame | None = None,
    open_interest: pl.LazyFrame | pl.DataFrame | None = None,
    *,
    chain: pl.LazyFrame | pl.DataFrame | None = None,
    config: Config | None = None,
    only_flagged: bool = True,
) -> pl.LazyFrame:
    """Rank contract-days by how unusual their activity is.

    Parameters
    ----------
    trades
        Canonical trades of every day to consider, ideally with ``side``
        (from :func:`~optionsflow.sign_trades`); the first ``lookback_days``
        days serve as history. None: the volume is the ``chain``'s.
    open_interest
        ``root, expiry, strike, right, open_interest`` and optionally
        ``date`` (open interest at the start of that day).
    chain
        Canonical option chains (:func:`~optionsflow.ingest.read_chain`): their
        open interest per day (:func:`chain_activity`) instead of ``open_interest``,
        and, without ``trades``, their volume.
    config
        Thresholds (``config.unusual``).
    only_flagged
        Keep only contract-days with at least one flag.

    Returns
    -------
    pl.LazyFrame
        Per contract-day: volume, premium, prints, sweeps, bought, sold,
        bought_share, ask_share, baseline_mean/std/days, z_score, volume_oi,
        one Boolean per flag (``flag_*``), ``score``, ``reasons`` (list of
        strings) and ``rank`` within the day; sorted by date and rank.

    Raises
    ------
    ConfigError
        Without ``trades`` and ``chain``, or with both ``open_interest`` and ``chain``.

    Examples
    --------
    150 contracts traded (75 bought, 75 sold) against an open interest of 100:

    >>> import datetime as dt
    >>> from optionsflow.testing import labelled
    >>> prints = labelled([{"size": 75}, {"size": 75, "side": -1}])
    >>> oi = pl.DataFrame({"root": ["XOM"], "expiry": [dt.date(2026, 12, 18)], "strike": [110.0],
    ...                    "right": ["C"], "open_interest": [100]})
    >>> unusual_activity(prints, oi).select("volume", "volume_oi", "reasons").collect().rows()
    [(150, 1.5, ['volume/OI 1.5'])]

    The same option in a chain alone, 150 traded on the day against 100 open:

    >>> chain = oi.with_columns(date=dt.date(2026, 11, 23), underlying=pl.lit("XOM"), volume=150,
    ...     ts=pl.lit(dt.datetime(2026, 11, 23, 21, tzinfo=dt.UTC)))
    >>> unusual_activity(chain=chain).select("volume", "volume_oi", "premium").collect().rows()
    [(150, 1.5, None)]
    """
    cfg = (config or Config()).unusual
    if chain is not None and open_interest is not None:
        raise ConfigError("give open interest once: a table or chains, not both")
    activity = None if chain is None else chain_activity(chain)
    if trades is not None:
        lf = trades.lazy()
        needed = (s.TS, *CONTRACT, s.PRICE, s.SIZE, s.MULTIPLIER, s.CONDITION)
        s.require_columns(lf, needed, by="unusual_activity")
        daily = _daily(lf)
    elif activity is not None:
        daily = _chain_daily(activity)
    else:
        raise ConfigError("unusual_activity needs trades or option chains")
    if activity is not None:
        open_interest = activity
    out = _baseline(daily, cfg.lookback_days)
    volume = pl.col("volume").cast(pl.Float64)
    oi = pl.lit(None, pl.Float64)
    if open_interest is not None:
        oi_lf = open_interest.lazy()
        keys = [k for k in (s.DATE, *s.CONTRACT_KEY) if k in oi_lf.collect_schema()]
        s.require_columns(oi_lf, (*s.CONTRACT_KEY, "open_interest"), by="unusual_activity")
        typed = [pl.col(k).cast(s.TRADE_SCHEMA.get(k, pl.Date())) for k in keys]
        out = out.join(oi_lf.select(*typed, "open_interest"), on=keys, how="left")
        oi = pl.col("open_interest").cast(pl.Float64)
    signed = pl.col("bought") + pl.col("sold")
    mean, std, n = pl.col("baseline_mean"), pl.col("baseline_std"), pl.col("baseline_days")
    out = out.with_columns(
        pl.when(signed > 0).then(pl.col("bought") / signed).alias("bought_share"),
        (pl.col("at_ask") / volume).alias("ask_share"),
        pl.when((mean > 0) & (n >= _MIN_HISTORY))
        .then((volume - mean) / pl.max_horizontal(std, mean.sqrt()))
        .alias("z_score"),
        pl.when(oi > 0).then(volume / oi).alias("volume_oi"),
        (pl.col(PREMIUM_E4) / 1e4).alias("premium"),
    )
    active = pl.col("volume") >= cfg.min_volume
    new = (mean == 0) & (n >= _MIN_HISTORY)
    flags = {
        "flag_volume": active & ((pl.col("z_score") >= cfg.z_score) | new),
        "flag_oi": active & (pl.col("volume_oi") > cfg.volume_oi),
        "flag_sweeps": pl.col("sweeps") >= cfg.sweeps,
        "flag_premium": pl.col("premium") >= cfg.premium,
        "flag_one_sided": active
        & (
            (pl.col("bought_share") >= cfg.one_sided)
            | (pl.col("bought_share") <= 1 - cfg.one_sided)
        ),
    }
    out = out.with_columns(v.fill_null(False).alias(k) for k, v in flags.items())
    ratio = pl.format("{}x", (volume / mean).round(1))
    reasons = pl.concat_list(
        pl.when(pl.col("flag_volume") & new).then(pl.format("first volume in {} trading days", n)),
        pl.when(pl.col("flag_volume") & ~new).then(
            pl.format("volume {} its {}-day average", ratio, n)
        ),
        pl.when(pl.col("flag_oi")).then(pl.format("volume/OI {}", pl.col("volume_oi").round(1))),
        pl.when(pl.col("flag_sweeps")).then(pl.format("{} sweep prints", pl.col("sweeps"))),
        pl.when(pl.col("flag_premium")).then(
            pl.format("premium ${}M", (pl.col("premium") / 1e6).round(1))
        ),
        pl.when(pl.col("flag_one_sided")).then(
            pl.when(pl.col("bought_share") >= 0.5)
            .then(pl.format("{}% bought", (100 * pl.col("bought_share")).round(0).cast(pl.Int64)))
            .otherwise(
                pl.format("{}% sold", (100 * (1 - pl.col("bought_share"))).round(0).cast(pl.Int64))
            )
        ),
    ).list.drop_nulls()
    score = pl.sum_horizontal(pl.col(k).cast(pl.Int32) for k in flags) + (
        pl.col("z_score").fill_null(0.0).clip(0.0, 20.0) / 20.0
    )
    out = out.with_columns(reasons.alias("reasons"), score.alias("score"))
    if only_flagged:
        out = out.filter(pl.any_horizontal(pl.col(k) for k in flags))
    out = out.with_columns(
        pl.struct(pl.col("score").neg(), pl.col("premium").neg(), pl.col("volume").neg(), *CONTRACT)
        .rank("ordinal")
        .over(s.DATE)
        .cast(pl.Int64)
        .alias("rank")
    )
    return out.drop(_DAY_NO, "at_ask", PREMIUM_E4).sort(s.DATE, "rank")
