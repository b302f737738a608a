"""Small wording helpers shared by the text renderers: readable numbers for people.

Text and Markdown say ``$1.2M``, ``12,345 contracts``, ``4.1 pts`` and ``1 week``;
JSON, CSV and Parquet keep the raw numbers.

Examples
--------
>>> ordinal(44), ordinal(22.4)
('44th', '22nd')
>>> money(1_234_567.0), count(12345), pts(0.041), plural(1, "week")
('$1.2M', '12,345', '4.1 pts', '1 week')
"""

from __future__ import annotations

__all__ = ["count", "join_names", "money", "ordinal", "pct", "plural", "pts"]

_UNITS: tuple[tuple[float, str], ...] = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


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


def money(x: float | None, *, signed: bool = False) -> str:
    """Format an amount of currency with ``$`` and a K/M/B/T suffix.

    Parameters
    ----------
    x
        Amount in currency units (``None`` prints ``n/a``).
    signed
        Always show the sign (``+$1.2M``).

    Returns
    -------
    str
        Three significant figures at most above a thousand, whole dollars below.

    Examples
    --------
    >>> [money(v) for v in (0.0, 950.0, 1_234.0, 89_884_666.0, 1.5e9, -2_500_000.0)]
    ['$0', '$950', '$1.2K', '$89.9M', '$1.5B', '-$2.5M']
    >>> money(123_456.0), money(999_999.0), money(999.0), money(12.5, signed=True), money(None)
    ('$123K', '$1.0M', '$999', '+$12', 'n/a')
    """
    if x is None:
        return "n/a"
    sign = "-" if x < 0 else ("+" if signed and x > 0 else "")
    a = abs(x)
    for scale, unit in _UNITS:
        if a >= 0.9995 * scale:  # 999,999 reads $1.0M, not $1000K
            v = a / scale
            text = f"{v:.0f}" if v >= 100 else f"{v:.1f}"
            return f"{sign}${text}{unit}"
    return f"{sign}${a:,.0f}"


def count(n: float | None) -> str:
    """Format a number of contracts (or prints) with thousands separators.

    Parameters
    ----------
    n
        The count (``None`` prints ``n/a``).

    Returns
    -------
    str
        Rounded to a whole number, with commas.

    Examples
    --------
    >>> count(1234567), count(-290489.0), count(0), count(None)
    ('1,234,567', '-290,489', '0', 'n/a')
    """
    return "n/a" if n is None else f"{round(n):,}"


def pct(x: float | None, *, signed: bool = False, digits: int = 1) -> str:
    """Format a ratio as a percentage.

    Parameters
    ----------
    x
        The ratio (0.25 is 25%; ``None`` prints ``n/a``).
    signed
        Always show the sign.
    digits
        Decimal places.

    Returns
    -------
    str
        ``x`` as a percentage.

    Examples
    --------
    >>> pct(0.25), pct(0.071, signed=True), pct(None)
    ('25.0%', '+7.1%', 'n/a')
    """
    if x is None:
        return "n/a"
    return f"{x:+.{digits}%}" if signed else f"{x:.{digits}%}"


def pts(x: float | None, *, signed: bool = False) -> str:
    """Format a difference of two ratios in percentage points (``4.1 pts``, not ``4.1%``).

    Parameters
    ----------
    x
        The difference of two ratios (0.041 is 4.1 points; ``None`` prints ``n/a``).
    signed
        Always show the sign.

    Returns
    -------
    str
        ``x`` times 100, one decimal, with ``pts`` (``pt`` when it reads 1.0).

    Examples
    --------
    >>> pts(0.041), pts(-0.023, signed=True), pts(0.01), pts(None)
    ('4.1 pts', '-2.3 pts', '1.0 pt', 'n/a')
    """
    if x is None:
        return "n/a"
    text = f"{100 * x:+.1f}" if signed else f"{100 * x:.1f}"
    unit = "pt" if text.lstrip("+-") == "1.0" else "pts"
    return f"{text} {unit}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """Say ``n word`` with the word in the right number.

    Parameters
    ----------
    n
        How many.
    word
        The singular (``"week"``, ``"trading day"``).
    many
        The plural when it is not ``word + "s"``.

    Returns
    -------
    str
        ``"1 week"``, ``"2 weeks"``, ``"0 weeks"``.

    Examples
    --------
    >>> plural(1, "week"), plural(36, "week"), plural(1, "trading day"), plural(0, "week")
    ('1 week', '36 weeks', '1 trading day', '0 weeks')
    >>> plural(2, "constituent"), plural(3, "index", "indices")
    ('2 constituents', '3 indices')
    """
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def join_names(items: list[str], empty: str = "none") -> str:
    """Join names as English prose: ``A``, ``A and B``, ``A, B and C``.

    Parameters
    ----------
    items
        The names.
    empty
        What to say when there is none.

    Returns
    -------
    str
        The names joined.

    Examples
    --------
    >>> join_names(["Energy"]), join_names(["Energy", "Utilities", "Materials"]), join_names([])
    ('Energy', 'Energy, Utilities and Materials', 'none')
    """
    if not items:
        return empty
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
