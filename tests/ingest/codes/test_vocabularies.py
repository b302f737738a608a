"""Vendor condition and exchange tables map onto the canonical vocabularies."""

from collections.abc import Mapping

import polars as pl
import pytest

from optionsflow import schema as s
from optionsflow.ingest.codes.conditions import (
    CBOE_CONDITIONS,
    POLYGON_CONDITIONS,
    cboe_condition,
    condition_rank,
    polygon_condition,
)
from optionsflow.ingest.codes.venues import (
    CBOE_EXCHANGES,
    DATABENTO_PUBLISHERS,
    POLYGON_EXCHANGES,
    VENUE_NAMES,
    exchange_mic,
    unsupported_reason,
    unsupported_venues,
)


def test_every_table_maps_into_the_vocabulary() -> None:
    assert set(CBOE_CONDITIONS.values()) <= set(s.CONDITIONS)
    assert set(POLYGON_CONDITIONS.values()) <= set(s.CONDITIONS)
    for table in (CBOE_EXCHANGES, POLYGON_EXCHANGES, DATABENTO_PUBLISHERS):
        assert set(table.values()) <= set(VENUE_NAMES)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (0, "REGULAR"), (2, "OSEQ"), (13, "LATE"), (18, "AUTO"), (35, "MLET"), (40, "CANC"),
        (41, "CNCL"), (42, "CNCO"), (43, "CNOL"), (44, "CANC"), (95, "ISOI"), (106, "REGULAR"),
        (125, "SLAN"), (126, "SLAI"), (127, "SLCN"), (128, "SLCI"), (129, "SLFT"),
        (130, "MLET"), (135, "TLAT"), (138, "TLET"), (144, "CBMO"), (147, "MCTP"),
        (148, "EXHT"), (77, None), (999, None),
    ],
)  # fmt: skip
def test_cboe_condition_ids(code: int, expected: str | None) -> None:
    assert pl.select(cboe_condition(pl.lit(code))).item() == expected


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([209], "AUTO"),
        ([209, 219], "ISOI"),  # the sweep says more than automatic execution
        ([219, 209], "ISOI"),
        ([201, 209], "CANC"),  # a cancel wins over everything
        ([204, 232], "MLET"),  # the mechanism wins over the late report
        ([227, 219], "ISOI"),  # tie among mechanisms: vocabulary order
        ([248], "EXHT"),
        ([], "REGULAR"),
        ([209, 211], None),  # 211 is not in the table
    ],
)
def test_polygon_condition_lists(codes: list[int], expected: str | None) -> None:
    frame = pl.DataFrame({"c": [codes]}, schema={"c": pl.List(pl.Int64)})
    assert frame.select(polygon_condition(pl.col("c"))).item() == expected


def test_condition_priority_order() -> None:
    ranked = sorted(["AUTO", "REGULAR", "ISOI", "CANC", "LATE", "EXHT"], key=condition_rank)
    assert ranked == ["CANC", "ISOI", "EXHT", "LATE", "AUTO", "REGULAR"]


def test_cboe_exchange_ids_are_the_documented_table() -> None:
    assert dict(CBOE_EXCHANGES) == {
        1: "XNDQ", 4: "AMXO", 5: "XCBO", 6: "XISX", 7: "ARCO", 9: "XPHO", 11: "XBOX",
        22: "MCRY", 31: "GMNI", 42: "C2OX", 43: "XMIO", 47: "XBXO", 60: "BATO", 65: "EDGO",
        69: "MPRL", 71: "EMLD",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("table", "code", "mic"),
    [
        (POLYGON_EXCHANGES, 300, "AMXO"),
        (POLYGON_EXCHANGES, 302, "XCBO"),
        (POLYGON_EXCHANGES, 323, "XPHO"),
        (POLYGON_EXCHANGES, 325, "BATO"),
        (DATABENTO_PUBLISHERS, 22, "XCBO"),
        (DATABENTO_PUBLISHERS, 35, "XPHO"),  # Databento spells PHLX options XPHL
        (DATABENTO_PUBLISHERS, 61, "SPHR"),
        (POLYGON_EXCHANGES, 314, None),  # OPRA itself is no venue
        (DATABENTO_PUBLISHERS, 30, None),
    ],
)
def test_vendor_exchange_codes(table: Mapping[int, str], code: int, mic: str | None) -> None:
    assert pl.select(exchange_mic(pl.lit(code), table)).item() == mic


def test_known_venues_outside_the_schema_are_named() -> None:
    outside = {mic for table in (POLYGON_EXCHANGES, DATABENTO_PUBLISHERS)
               for mic in unsupported_venues(table).values()}  # fmt: skip
    assert outside == set(VENUE_NAMES) - set(s.EXCHANGES)
    if "MXOP" not in s.EXCHANGES:
        assert unsupported_reason(DATABENTO_PUBLISHERS).endswith("(37 = MXOP, MEMX Options)")
