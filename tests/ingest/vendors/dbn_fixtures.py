"""Write the small Databento DBN fixtures of ``tests/fixtures/ingest/databento``.

Run ``python tests/ingest/vendors/dbn_fixtures.py`` (needs ``databento-dbn``) to regenerate
them; the tests read the committed files. Day 2026-03-06 (EST, UTC-5), window
[2026-03-06 00:00 UTC, 2026-03-07 00:00 UTC).

Instruments: 101 = ``SPY   260320C00600000``, 102 = ``SPXW  260306P05900000``,
103 = mapped to a malformed symbol ``BAD``, 104 = no mapping at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from databento_dbn.metadata import MappingInterval

HERE = Path(__file__).resolve().parents[2] / "fixtures" / "ingest" / "databento"
DAY = dt.date(2026, 3, 6)
START = 1_772_755_200_000_000_000  # 2026-03-06T00:00:00Z
END = 1_772_841_600_000_000_000  # 2026-03-07T00:00:00Z
OPEN = 1_772_807_400_000_000_000  # 2026-03-06T14:30:00Z = 09:30 New York
UNDEF_PRICE = 2**63 - 1
SYMBOLS = {
    "SPY   260320C00600000": "101",
    "SPXW  260306P05900000": "102",
    "BAD": "103",
}


# databento_dbn 0.72's stub is wrong in two ways the ignores below name: it types enum
# members (SType.RAW_SYMBOL, Action.TRADE, Side.NONE) as str, and a record's `levels` as a
# list, where the runtime takes the members and rejects a list ("not an instance of ...").


@dataclass
class _Interval:  # a databento_dbn.metadata.MappingInterval
    start_date: dt.date
    end_date: dt.date
    symbol: str


@dataclass
class _Mapping:  # a databento_dbn.metadata.SymbolMapping
    raw_symbol: str
    intervals: Sequence[MappingInterval]


def _metadata(schema: str) -> bytes:
    import databento_dbn as d  # noqa: PLC0415

    mappings = [
        _Mapping(raw, [_Interval(DAY, DAY + dt.timedelta(days=1), iid)])
        for raw, iid in SYMBOLS.items()
    ]
    meta = d.Metadata(
        "OPRA.PILLAR", START, d.SType.RAW_SYMBOL, d.SType.INSTRUMENT_ID, d.Schema(schema),  # type: ignore[arg-type]
        symbols=list(SYMBOLS), partial=[], not_found=[], mappings=mappings, end=END,
    )  # fmt: skip
    return bytes(meta.encode())


def _px(value: float) -> int:
    return round(value * 1e9)


def trades() -> bytes:
    """Six trades: four good (one on publisher 37, MEMX), then the bad ones."""
    import databento_dbn as d  # noqa: PLC0415

    rows = [
        # publisher, instrument, ts offset (ns), price, size, sequence
        (22, 101, 125_000_000, _px(1.25), 10, 11),  # XCBO, 09:30:00.125 ET
        (36, 102, 60_000_000_000, _px(12.5), 3, 12),  # BATO, 09:31:00
        (37, 101, 61_000_000_000, _px(1.3), 2, 13),  # MXOP (MEMX Options)
        (22, 101, 62_000_000_000, UNDEF_PRICE, 1, 14),  # undefined price
        (99, 101, 63_000_000_000, _px(1.3), 1, 15),  # unknown publisher
        (22, 104, 64_000_000_000, _px(1.3), 1, 16),  # no symbol mapping
        (22, 103, 65_000_000_000, _px(1.3), 1, 17),  # malformed symbol
        (22, 101, 86_400_000_000_000, _px(1.3), 1, 18),  # next day: outside window
    ]
    trade, none = d.Action.TRADE, d.Side.NONE
    body = b"".join(
        bytes(d.TradeMsg(pub, iid, OPEN + off, px, size, trade, none, 0, OPEN + off + 1_000,  # type: ignore[arg-type]
                         flags=194, sequence=seq))
        for pub, iid, off, px, size, seq in rows
    )  # fmt: skip
    return _metadata("trades") + body


def tbbo() -> bytes:
    """Two trades with the printing venue's BBO just before each."""
    import databento_dbn as d  # noqa: PLC0415

    levels = [
        d.BidAskPair(bid_px=_px(1.2), ask_px=_px(1.3), bid_sz=4, ask_sz=7),
        d.BidAskPair(bid_px=UNDEF_PRICE, ask_px=_px(12.6), bid_sz=0, ask_sz=5),
    ]
    rows = [(22, 101, 125_000_000, _px(1.25), 10, 11), (36, 102, 60_000_000_000, _px(12.5), 3, 12)]
    trade, none = d.Action.TRADE, d.Side.NONE
    body = b"".join(
        bytes(d.MBP1Msg(pub, iid, OPEN + off, px, size, trade, none, 0, OPEN + off + 1_000,  # type: ignore[arg-type]
                        flags=194, sequence=seq, levels=level))  # type: ignore[arg-type]
        for (pub, iid, off, px, size, seq), level in zip(rows, levels, strict=True)
    )  # fmt: skip
    return _metadata("tbbo") + body


def tcbbo() -> bytes:
    """One trade with the consolidated NBBO just before it."""
    import databento_dbn as d  # noqa: PLC0415

    level = d.ConsolidatedBidAskPair(bid_px=_px(1.21), ask_px=_px(1.27), bid_sz=40, ask_sz=55,
                                     bid_pb=22, ask_pb=36)  # fmt: skip
    msg = d.CMBP1Msg(d.RType.TCBBO, 22, 101, OPEN + 125_000_000, _px(1.25), 10, d.Action.TRADE,  # type: ignore[arg-type]
                     d.Side.NONE, OPEN + 125_001_000, flags=194, levels=level)  # type: ignore[arg-type]  # fmt: skip
    return _metadata("tcbbo") + bytes(msg)


def cbbo() -> bytes:
    """Consolidated BBO of instrument 101 at two one-second interval closes."""
    import databento_dbn as d  # noqa: PLC0415

    def rec(close: int, bid: float, ask: float) -> bytes:
        level = d.ConsolidatedBidAskPair(bid_px=_px(bid), ask_px=_px(ask), bid_sz=9, ask_sz=11,
                                         bid_pb=22, ask_pb=22)  # fmt: skip
        msg = d.CBBOMsg(d.RType.CBBO_1S, 30, 101, OPEN + close - 500_000_000, _px(bid), 1,
                        d.Side.NONE, OPEN + close, flags=194, levels=level)  # type: ignore[arg-type]  # fmt: skip
        return bytes(msg)

    # closes at 09:29:59 and 09:30:00.125 (the latter exactly at trade 1: must not be used)
    return _metadata("cbbo-1s") + rec(-1_000_000_000, 1.19, 1.28) + rec(125_000_000, 1.22, 1.24)


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for name, make in (("trades", trades), ("tbbo", tbbo), ("tcbbo", tcbbo), ("cbbo-1s", cbbo)):
        (HERE / f"opra_2026-03-06.{name}.dbn").write_bytes(make())


if __name__ == "__main__":
    main()
