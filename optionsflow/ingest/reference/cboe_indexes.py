"""Cboe's vol, correlation and dispersion indexes: what each measures, of which underlying.

The symbol decides how an index history is converted
(:mod:`optionsflow.ingest.reference.cboe_history`): all of these are quoted in
points, 100 x the decimal the correlation stages use.

Examples
--------
>>> index_of("VXAPL").underlying, index_of("COR3M").kind
('AAPL', 'correlation')
"""

from __future__ import annotations

import dataclasses
import re
from typing import Literal

from optionsflow.errors import SchemaError

__all__ = ["CBOE_INDEXES", "CboeIndex", "IndexKind", "index_of"]

IndexKind = Literal["vol", "constituent_vol", "correlation", "dispersion"]


@dataclasses.dataclass(frozen=True)
class CboeIndex:
    """One Cboe index: its symbol, what it measures, and of which underlying."""

    symbol: str
    kind: IndexKind
    underlying: str
    """The underlying (``SPX`` for VIX, ``AAPL`` for VXAPL); the index for COR1M and DSPX."""
    what: str
    days: int = 30
    """The tenor in calendar days (VIX 30, VIX9D 9, VIX3M 90, COR1Y 360: months as 30 days and
    a year as 360, the days of the ``iv30`` ... ``iv360`` columns they compare with)."""

    @property
    def scale(self) -> float:
        """Index points per decimal unit: every kind read here is quoted x 100."""
        return 100.0


def _vol(symbol: str, underlying: str, what: str) -> tuple[str, CboeIndex]:
    return symbol, CboeIndex(symbol, "vol", underlying, what)


CBOE_INDEXES: dict[str, CboeIndex] = dict(
    [
        _vol("VIX", "SPX", "30-day implied vol of the S&P 500"),
        _vol("VXN", "NDX", "30-day implied vol of the Nasdaq-100"),
        _vol("RVX", "RUT", "30-day implied vol of the Russell 2000"),
        _vol("VXD", "DJX", "30-day implied vol of the Dow Jones Industrial Average"),
        _vol("VVIX", "VIX", "30-day implied vol of VIX"),
        _vol("VXAPL", "AAPL", "30-day implied vol of Apple"),
        _vol("VXAZN", "AMZN", "30-day implied vol of Amazon"),
        _vol("VXGOG", "GOOG", "30-day implied vol of Alphabet"),
        _vol("VXGS", "GS", "30-day implied vol of Goldman Sachs"),
        _vol("VXIBM", "IBM", "30-day implied vol of IBM"),
        ("VIXEQ", CboeIndex("VIXEQ", "constituent_vol", "SPX",
                            "cap-weighted 30-day implied vol of the S&P 500 members")),
        ("DSPX", CboeIndex("DSPX", "dispersion", "SPX", "dispersion of the S&P 500")),
    ]
)  # fmt: skip
"""The indexes read by symbol; ``VIX<n><D|M|Y>`` (VIX9D, VIX3M, ...) are S&P 500 vols of
that tenor and ``COR<n><D|M|Y>`` (COR1M, COR3M, ...) S&P 500 implied correlations."""

RANGE: dict[IndexKind, tuple[float, float, bool]] = {
    "vol": (0.0, 1000.0, False),
    "constituent_vol": (0.0, 1000.0, False),
    "correlation": (-100.0, 100.0, True),
    "dispersion": (0.0, 1000.0, True),  # DSPX prints 0.0 when the index vol tops the basket's
}
"""Accepted values (points) of each kind: low, high, and whether ``low`` itself is."""

_FAMILY = re.compile(r"^(VIX|COR)(\d+)([DMY])$")


def index_of(symbol: str, *, source: str | None = None) -> CboeIndex:
    """Look up the Cboe index ``symbol`` (``VIX``, ``COR1M``, ...): its kind and underlying.

    Raises
    ------
    SchemaError
        When ``symbol`` is of no known kind (naming ``source`` when given).

    Examples
    --------
    >>> index_of("VIX3M").what, index_of("VIX3M").days, index_of("DSPX").kind
    ('3-month implied vol of the S&P 500', 90, 'dispersion')
    """
    known = CBOE_INDEXES.get(symbol)
    if known is not None:
        return known
    family = _FAMILY.match(symbol)
    if family is not None:
        tenor = f"{family[2]}-{ {'D': 'day', 'M': 'month', 'Y': 'year'}[family[3]] }"
        days = int(family[2]) * {"D": 1, "M": 30, "Y": 360}[family[3]]
        if family[1] == "VIX":
            return CboeIndex(symbol, "vol", "SPX", f"{tenor} implied vol of the S&P 500", days)
        return CboeIndex(
            symbol, "correlation", "SPX", f"{tenor} implied correlation of the S&P 500", days
        )
    names = ", ".join([*sorted(CBOE_INDEXES), "VIX<n><D|M|Y>", "COR<n><D|M|Y>"])
    raise SchemaError(
        f"not a Cboe vol, correlation or dispersion index (known: {names})",
        source=source,
        value=symbol,
    )
