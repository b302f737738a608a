"""Polars expressions give the NumPy kernels' numbers, lazily, streaming, with nulls."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import polars as pl
import pytest

from optionsflow.errors import ConfigError
from optionsflow.testing import assert_engines_agree
from optionsflow.volatility import (
    black76_price,
    black76_price_expr,
    bsm_greek_expr,
    bsm_greeks,
    bsm_price,
    bsm_price_expr,
    implied_vol_expr,
    implied_vol_status_expr,
    solve_implied_vol,
    with_implied_vol,
)
from optionsflow.volatility.expr import IV_STATUS_DTYPE, Greek

from tolerances import BLACK76_REFERENCE_ABS, IV_FROM_ROUNDED_PRICE_REL

GREEKS: tuple[Greek, ...] = ("delta", "gamma", "vega", "theta")


def _frame(n: int = 500) -> pl.DataFrame:
    rng = np.random.default_rng(5)
    return pl.DataFrame(
        {
            "spot": np.full(n, 100.0),
            "strike": rng.uniform(60, 140, n),
            "tau": rng.uniform(0.01, 2.0, n),
            "sigma": rng.uniform(0.1, 0.9, n),
            "rate": rng.uniform(0.0, 0.05, n),
            "div": rng.uniform(0.0, 0.03, n),
            "right": rng.choice(["C", "P"], n),
        }
    ).with_columns(pl.col("right").cast(pl.Enum(["C", "P"])))


def test_price_and_greeks_equal_numpy() -> None:
    df = _frame()
    call = (df["right"] == "C").to_numpy()
    args = [df[c].to_numpy() for c in ("spot", "strike", "tau", "sigma")]
    kw = {"rate": df["rate"].to_numpy(), "dividend": df["div"].to_numpy(), "is_call": call}
    is_call = pl.col("right") == "C"
    out = df.select(
        bsm_price_expr(
            "spot", "strike", "tau", "sigma", rate="rate", dividend="div", is_call=is_call
        ).alias("price"),
        *(
            bsm_greek_expr(
                g, "spot", "strike", "tau", "sigma", rate="rate", dividend="div", is_call=is_call
            ).alias(g)
            for g in GREEKS
        ),
    )
    np.testing.assert_array_equal(out["price"].to_numpy(), bsm_price(*args, **kw))
    greeks = bsm_greeks(*args, **kw)
    for g in GREEKS:
        np.testing.assert_array_equal(out[g].to_numpy(), getattr(greeks, g))
    b76 = df.select(black76_price_expr("spot", "strike", "tau", "sigma", rate="rate"))
    np.testing.assert_array_equal(
        b76.to_series().to_numpy(), black76_price(*args, rate=kw["rate"], is_call=True)
    )


def test_implied_vol_lazy_eager_streaming_agree() -> None:
    df = _frame().with_columns(
        bsm_price_expr(
            "spot",
            "strike",
            "tau",
            "sigma",
            rate="rate",
            dividend="div",
            is_call=pl.col("right") == "C",
        ).alias("price")
    )
    lf = with_implied_vol(
        df.lazy(),
        price="price",
        spot="spot",
        strike="strike",
        tau="tau",
        rate="rate",
        dividend="div",
    )
    eager = assert_engines_agree(lf)
    ok = (eager["iv_status"] == "ok").to_numpy()
    assert ok.mean() > 0.95  # the rest: deep in the money, no time value after rounding
    assert set(eager["iv_status"].to_list()) <= {"ok", "no_time_value"}
    direct = solve_implied_vol(
        df["price"].to_numpy(),
        100.0,
        df["strike"].to_numpy(),
        df["tau"].to_numpy(),
        rate=df["rate"].to_numpy(),
        dividend=df["div"].to_numpy(),
        is_call=(df["right"] == "C").to_numpy(),
    )
    np.testing.assert_array_equal(eager["iv"].to_numpy()[ok], direct.vol[ok])
    np.testing.assert_allclose(
        eager["iv"].to_numpy()[ok], df["sigma"].to_numpy()[ok], rtol=IV_FROM_ROUNDED_PRICE_REL
    )
    assert eager["iv"].null_count() == (~ok).sum()
    assert eager["iv_status"].dtype == IV_STATUS_DTYPE
    single = df.select(
        implied_vol_expr(
            "price",
            "spot",
            "strike",
            "tau",
            rate="rate",
            dividend="div",
            is_call=pl.col("right") == "C",
        )
    )
    np.testing.assert_array_equal(single.to_series().to_numpy(), eager["iv"].to_numpy())


def test_nulls_and_failures_become_null_with_a_status() -> None:
    df = pl.DataFrame(
        {
            "price": [12.0, None, 9.0, 12.0, 2.0],
            "spot": [100.0, 100.0, 100.0, None, 100.0],
            "strike": [90.0] * 5,
            "right": ["C", "C", "C", "C", None],
        }
    )
    call = pl.col("right") == "C"
    out = df.select(
        implied_vol_expr("price", "spot", "strike", 0.5, is_call=call).alias("iv"),
        implied_vol_status_expr("price", "spot", "strike", 0.5, is_call=call).alias("status"),
        bsm_price_expr("spot", "strike", 0.5, 0.2, is_call=call).alias("p"),
    )
    assert out["status"].to_list() == [
        "ok",
        "invalid_input",
        "below_intrinsic",
        "invalid_input",
        "invalid_input",
    ]
    assert out["iv"].null_count() == 4
    assert out["iv"][0] == pytest.approx(float(solve_implied_vol(12.0, 100.0, 90.0, 0.5).vol))
    assert out["p"].is_null().to_list() == [False, False, False, True, True]


def test_black76_model_and_default_right_column() -> None:
    df = pl.DataFrame({"price": [20.0], "fwd": [100.0], "strike": [90.0], "right": ["C"]})
    out = with_implied_vol(df, price="price", spot="fwd", tau=30.0, model="black76").collect()
    assert out["iv"][0] == pytest.approx(0.07011701801482094, abs=BLACK76_REFERENCE_ABS)
    assert out.columns == ["price", "fwd", "strike", "right", "iv", "iv_status"]


def test_unknown_options_raise_config_errors() -> None:
    with pytest.raises(ConfigError, match="unknown greek") as err:
        bsm_greek_expr(cast(Any, "rho"), "s", "k", "t", "v")  # deliberately unknown
    assert err.value.column == "greek"
    with pytest.raises(ConfigError, match="unknown model"):
        with_implied_vol(pl.LazyFrame(), model=cast(Any, "heston"))  # deliberately unknown
