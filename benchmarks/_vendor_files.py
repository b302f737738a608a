"""Write a canonical day back out in vendor formats (benchmark inputs, not a library feature).

* :func:`write_cboe_csv` - Cboe DataShop ``UnderlyingOptionsTrades`` CSV with a ragged
  per-venue quote tail (1-3 venues per print, the printing venue among them);
* :func:`write_polygon` - Polygon ``trades_v1`` and ``quotes_v1`` CSV.gz (two quotes per
  trade, strictly before it).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import polars as pl

from optionsflow import schema as s
from optionsflow.ingest.codes.conditions import CBOE_CONDITIONS, POLYGON_CONDITIONS
from optionsflow.ingest.codes.symbology import format_osi
from optionsflow.ingest.codes.venues import CBOE_EXCHANGES, POLYGON_EXCHANGES

__all__ = ["write_cboe_csv", "write_polygon"]

CBOE_HEADER = (
    "underlying_symbol,quote_datetime,sequence_number,root,expiration,strike,option_type,"
    "exchange_id,trade_size,trade_price,trade_condition_id,canceled_trade_condition_id,"
    "best_bid,best_ask,underlying_bid,underlying_ask,number_of_exchanges,"
    "{exchange,bid_size,bid,ask_size,ask}[number_of_exchanges]"
)


def _inverse(
    table: dict[int, str] | object, prefer: dict[str, int] | None = None
) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, name in table.items():  # type: ignore[attr-defined]
        out.setdefault(name, code)
    return out | (prefer or {})


def _num(col: str | pl.Expr, decimals: int) -> pl.Expr:
    expr = pl.col(col) if isinstance(col, str) else col
    return expr.round(decimals).cast(pl.String)


def write_cboe_csv(day: pl.DataFrame, path: Path, *, seed: int = 7) -> None:
    """Write ``day`` as a Cboe DataShop Option Trades CSV."""
    rng = np.random.default_rng(seed)
    n = day.height
    cond = _inverse(CBOE_CONDITIONS, {"REGULAR": 0, "MLET": 130, "TLET": 138})
    venue = _inverse(CBOE_EXCHANGES) | {"SPHR": 43}  # Sapphire is not in Cboe's table
    codes = list(venue.values())
    n_ex = rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1])
    other1 = rng.choice(codes, size=n)
    other2 = rng.choice(codes, size=n)
    first = rng.random(n) < 0.5
    ny = pl.col(s.TS).dt.convert_time_zone(s.NEW_YORK)
    ex_id = pl.col(s.EXCHANGE).cast(pl.String).replace_strict(venue, return_dtype=pl.String)
    own = pl.concat_str(
        ex_id, _num(s.BID_SIZE_EX, 0), _num(s.BID_EX, 4), _num(s.ASK_SIZE_EX, 0),
        _num(s.ASK_EX, 4), separator=",",
    )  # fmt: skip

    def other(code: str) -> pl.Expr:
        return pl.concat_str(
            pl.col(code), _num(s.BID_SIZE, 0), _num(s.BID, 4), _num(s.ASK_SIZE, 0),
            _num(s.ASK, 4), separator=",",
        )  # fmt: skip

    tail = (
        pl.when(pl.col("_n") == 1).then(own)
        .when(pl.col("_n") == 2).then(
            pl.when(pl.col("_first")).then(pl.concat_str(own, other("_o1"), separator=","))
            .otherwise(pl.concat_str(other("_o1"), own, separator=","))
        )
        .otherwise(pl.concat_str(other("_o1"), own, other("_o2"), separator=","))
    )  # fmt: skip
    under = pl.when(pl.col(s.UNDERLYING) == "SPX").then(pl.lit("^SPX")).otherwise(s.UNDERLYING)
    line = pl.concat_str(
        under, ny.dt.strftime("%Y-%m-%d %H:%M:%S%.3f"), pl.col(s.SEQ).cast(pl.String),
        pl.col(s.ROOT), pl.col(s.EXPIRY).dt.strftime("%Y-%m-%d"),
        _fixed3(pl.col(s.STRIKE)),
        pl.col(s.RIGHT).cast(pl.String), ex_id, pl.col(s.SIZE).cast(pl.String),
        _num(s.PRICE, 4),
        pl.col(s.CONDITION).cast(pl.String).replace_strict(cond, return_dtype=pl.String),
        pl.lit("0"), _num(s.BID, 4), _num(s.ASK, 4),
        _num(pl.col(s.UNDERLYING_PRICE) - 0.01, 2), _num(pl.col(s.UNDERLYING_PRICE) + 0.01, 2),
        pl.col("_n").cast(pl.String), tail, separator=",",
    )  # fmt: skip
    body = day.with_columns(
        pl.Series("_n", n_ex), pl.Series("_o1", other1).cast(pl.String),
        pl.Series("_o2", other2).cast(pl.String), pl.Series("_first", first),
    ).select(line.alias("line"))  # fmt: skip
    with path.open("w") as fh:
        fh.write(CBOE_HEADER + "\n")
        body.write_csv(fh, include_header=False, quote_style="never")


def _fixed3(x: pl.Expr) -> pl.Expr:
    milli = (x * 1000).round(0).cast(pl.Int64)
    return pl.concat_str(
        (milli // 1000).cast(pl.String), pl.lit("."),
        (milli % 1000).cast(pl.String).str.zfill(3),
    )  # fmt: skip


def write_polygon(
    day: pl.DataFrame, trades_path: Path, quotes_path: Path, *, seed: int = 11
) -> None:
    """Write ``day`` as Polygon ``trades_v1`` and ``quotes_v1`` CSV.gz files."""
    rng = np.random.default_rng(seed)
    n = day.height
    cond = _inverse(POLYGON_CONDITIONS)
    venue = _inverse(POLYGON_EXCHANGES)
    ticker = format_osi(
        pl.col(s.ROOT), pl.col(s.EXPIRY), pl.col(s.RIGHT), pl.col(s.STRIKE), style="polygon"
    )
    ts = pl.col(s.TS).dt.epoch("ns")
    conds = (
        pl.col(s.CONDITION).cast(pl.String).replace_strict(cond, default="", return_dtype=pl.String)
    )
    iso_auto = pl.col(s.CONDITION).cast(pl.String) == "ISOI"
    trades = day.select(
        ticker.alias("ticker"),
        pl.when(iso_auto).then(pl.lit("209,219")).otherwise(conds).alias("conditions"),
        pl.lit(0).alias("correction"),
        pl.col(s.EXCHANGE).cast(pl.String).replace_strict(venue, return_dtype=pl.Int64)
        .alias("exchange"),
        (ts - pl.Series(rng.integers(1_000, 500_000, n))).alias("participant_timestamp"),
        pl.col(s.PRICE).alias("price"), ts.alias("sip_timestamp"), pl.col(s.SIZE).alias("size"),
    )  # fmt: skip
    quotes = pl.concat(
        [
            day.select(
                ticker.alias("ticker"),
                pl.col(s.EXCHANGE)
                .cast(pl.String)
                .replace_strict(venue, return_dtype=pl.Int64)
                .alias("ask_exchange"),
                pl.col(s.ASK).alias("ask_price"),
                pl.col(s.ASK_SIZE).alias("ask_size"),
                pl.col(s.EXCHANGE)
                .cast(pl.String)
                .replace_strict(venue, return_dtype=pl.Int64)
                .alias("bid_exchange"),
                pl.col(s.BID).alias("bid_price"),
                pl.col(s.BID_SIZE).alias("bid_size"),
                (ts - pl.Series(rng.integers(lag, lag * 50, n))).alias("sip_timestamp"),
            )
            for lag in (1_000, 100_000)
        ]
    ).sort("sip_timestamp")
    quotes = quotes.with_columns(
        pl.int_range(1, pl.len() + 1).alias("sequence_number")
    ).select(
        "ticker", "ask_exchange", "ask_price", "ask_size", "bid_exchange", "bid_price",
        "bid_size", "sequence_number", "sip_timestamp",
    )  # fmt: skip
    for frame, target in ((trades, trades_path), (quotes, quotes_path)):
        plain = target.with_suffix("")
        frame.write_csv(plain)
        with plain.open("rb") as src, gzip.open(target, "wb", compresslevel=1) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        plain.unlink()
