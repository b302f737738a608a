"""Small wording helpers shared by the text renderers.

Examples
--------
>>> ordinal(44), ordinal(22.4)
('44th', '22nd')
"""

from __future__ import annotations

__all__ = ["ordinal"]


def ordinal(n: float) -> str:
    """Spell a rank as an English ordinal, rounded to a whole number.

    Parameters
    ----------
    n
        The rank (a percentile, a position).

    Returns
    -------
    str
        ``n`` rounded, with its suffix.

    Examples
    --------
    >>> [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 44, 101, 112)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '44th', '101st', '112th']
    >>> ordinal(43.6)
    '44th'
    """
    k = round(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
