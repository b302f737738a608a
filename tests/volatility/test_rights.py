"""Issue #15 item 8: ``is_call`` takes booleans or "C" / "P", and nothing else."""

import numpy as np
import polars as pl
import pytest

from optionsflow.errors import ConfigError
from optionsflow.volatility import bsm_price, implied_vol, solve_implied_vol
from optionsflow.volatility.expr import (
    bsm_greek_expr,
    bsm_price_expr,
    implied_vol_expr,
    implied_vol_status_expr,
    with_implied_vol,
)

S, K, T, VOL = 100.0, 105.0, 0.5, 0.25
# a 0.25-vol put and call, priced by the library's own put-call parity check below
PUT = float(bsm_price(S, K, T, VOL, is_call=False))
CALL = float(bsm_price(S, K, T, VOL, is_call=True))


def test_parity_of_the_reference_prices() -> None:
    # call - put = S - K (no rate, no dividend): the two prices are a call and a put
    assert pytest.approx(S - K, abs=1e-12) == CALL - PUT


@pytest.mark.parametrize(
    "right",
    ["P", np.str_("P"), ["P", "P"], ("P", "P"), np.array(["P", "P"]), pl.Series(["P", "P"]),
     pl.Series(["P", "P"], dtype=pl.Enum(["C", "P"])), pl.Series(["P", "P"], dtype=pl.Categorical),
     False, [False, False], np.array([False, False]), pl.Series([False, False])],
)  # fmt: skip
def test_put_given_any_accepted_way_is_a_put(right: object) -> None:
    vol = implied_vol([PUT, PUT], S, K, T, is_call=right)  # type: ignore[arg-type]
    assert np.allclose(vol, VOL, atol=1e-12, rtol=0)


def test_mixed_rights_and_booleans() -> None:
    rights: list[bool | str] = ["C", "P", True]
    vol = implied_vol([CALL, PUT, CALL], S, K, T, is_call=rights)
    assert np.allclose(vol, VOL, atol=1e-12, rtol=0)
    prices = bsm_price(S, K, T, VOL, is_call=["C", "P"])
    assert prices.tolist() == [CALL, PUT]


@pytest.mark.parametrize(
    ("right", "shown"),
    [("X", "'X'"), ("p", "'p'"), (["C", "put"], "'put'"), (1, "1"), ([1, 0], "1"),
     (np.array([1.0, 0.0]), "1.0"), (None, None), (["C", None], None)],
)  # fmt: skip
def test_anything_else_is_a_config_error_naming_the_argument(right: object, shown: str) -> None:
    with pytest.raises(ConfigError) as info:
        solve_implied_vol([PUT, PUT], S, K, T, is_call=right)  # type: ignore[arg-type]
    assert info.value.column == "is_call"
    text = str(info.value)
    assert text.startswith("is_call: expected booleans or 'C' / 'P'")
    if shown is not None:
        assert text.endswith(f"(got {shown})")
    with pytest.raises(ConfigError, match="is_call"):
        bsm_price(S, K, T, VOL, is_call=right)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["streaming", "in-memory"])
def test_expressions_take_rights_columns_and_literals(engine: str) -> None:
    frame = pl.LazyFrame({
        "price": [CALL, PUT], "right": ["C", "P"], "flag": [True, False],
    }).with_columns(pl.col("right").cast(pl.Enum(["C", "P"])).alias("enum"))  # fmt: skip
    out = frame.select(
        implied_vol_expr("price", S, K, T, is_call="right").alias("text"),
        implied_vol_expr("price", S, K, T, is_call="enum").alias("enum"),
        implied_vol_expr("price", S, K, T, is_call="flag").alias("flag"),
        implied_vol_status_expr("price", S, K, T, is_call="right").alias("status"),
        bsm_price_expr(S, K, T, VOL, is_call="enum").alias("model"),
        bsm_greek_expr("delta", S, K, T, VOL, is_call="right").alias("delta"),
    ).collect(engine=engine)  # type: ignore[call-overload]
    for name in ("text", "enum", "flag"):
        assert np.allclose(out[name].to_numpy(), VOL, atol=1e-12, rtol=0)
    assert out["status"].to_list() == ["ok", "ok"]
    assert out["model"].to_list() == [CALL, PUT]
    assert out["delta"][0] > 0 > out["delta"][1]
    put = pl.LazyFrame({"price": [PUT]}).select(implied_vol_expr("price", S, K, T, is_call="P"))
    assert put.collect(engine=engine).item() == pytest.approx(VOL, abs=1e-12)  # type: ignore[call-overload]
    solved = with_implied_vol(pl.LazyFrame({"price": [PUT], "S": [S]}), spot="S", strike=K,
                              tau=T, is_call="P").collect(engine=engine)  # type: ignore[call-overload]  # fmt: skip
    assert solved["iv"].item() == pytest.approx(VOL, abs=1e-12)


@pytest.mark.parametrize("engine", ["streaming", "in-memory"])
def test_a_bad_rights_column_is_a_config_error(engine: str) -> None:
    frame = pl.LazyFrame({"price": [CALL, PUT], "right": ["C", "X"], "n": [1, 0]})
    with pytest.raises(ConfigError) as info:
        frame.select(implied_vol_expr("price", S, K, T, is_call="right")).collect(engine=engine)  # type: ignore[call-overload]
    assert str(info.value) == "is_call: expected booleans or 'C' / 'P' (got 'X')"
    assert info.value.column == "is_call"
    with pytest.raises(ConfigError, match="not Int64"):
        frame.select(bsm_price_expr(S, K, T, VOL, is_call="n")).collect(engine=engine)  # type: ignore[call-overload]


def test_null_right_in_a_column_gives_null_like_other_inputs() -> None:
    frame = pl.DataFrame({"price": [PUT, PUT], "right": ["P", None]})
    out = frame.select(implied_vol_expr("price", S, K, T, is_call="right"))
    assert out.to_series()[0] == pytest.approx(VOL, abs=1e-12)
    assert out.to_series()[1] is None
