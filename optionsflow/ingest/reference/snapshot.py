r"""The trading day and time of a chain snapshot, from the free-text stamp vendors write.

Cboe's delayed-quotes download stamps the file with the moment it was taken, in
wordings that vary between downloads::

    Date: February 5 2022, 8:09 PM EST
    Date: June 11, 2022, 8:47 PM EDT
    Date: 14 March 2026 at 07:34 GMT-4

:func:`parse_stamp` reads any of them (month by name or abbreviation, day and year
in either order, a 12- or 24-hour clock, a zone ``EST``/``EDT``/``ET``/``UTC``/``GMT±h``;
New York time when no zone is given). :func:`snapshot_day` then says which trading
day's quotes the file holds: a download on a weekend or holiday, or on a trading day
before the 09:30 ET open, holds the previous trading day's close; a download after
the close holds that day's close. The snapshot's ``ts`` is the download time when it
falls inside a session, else the close (:data:`CLOSE`, 16:15 ET, when index options
stop trading) of the day it holds.

Examples
--------
>>> stamp = parse_stamp("Date: February 5 2022, 8:09 PM EST")
>>> stamp.isoformat()
'2022-02-05T20:09:00-05:00'
>>> day, ts = snapshot_day(stamp)
>>> day, ts.isoformat()
(datetime.date(2022, 2, 4), '2022-02-04T16:15:00-05:00')
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from optionsflow.calendar import is_trading_day, last_trading_day_on_or_before
from optionsflow.errors import ParseError
from optionsflow.schema import NEW_YORK

__all__ = ["CLOSE", "OPEN", "parse_stamp", "snapshot_day"]

OPEN = dt.time(9, 30)
"""Regular session open, New York time."""
CLOSE = dt.time(16, 15)
"""Close of index option trading (SPX, VIX), New York time: the moment of an end-of-day snapshot."""

_NY = ZoneInfo(NEW_YORK)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?")
_ZONE = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b|\b(EST|EDT|ET|UTC|GMT|Z)\b")
_FIXED = {"EST": -5, "EDT": -4, "UTC": 0, "GMT": 0, "Z": 0}


def _zone(text: str) -> dt.tzinfo:
    hit = _ZONE.search(text)
    if hit is None or hit.group(4) == "ET":
        return _NY
    if hit.group(4) is not None:
        return dt.timezone(dt.timedelta(hours=_FIXED[hit.group(4)]))
    sign = -1 if hit.group(1) == "-" else 1
    minutes = int(hit.group(2)) * 60 + int(hit.group(3) or 0)
    return dt.timezone(sign * dt.timedelta(minutes=minutes))


def _date(text: str) -> dt.date | None:
    iso = _ISO.search(text)
    if iso is not None:
        return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    month, year = _MONTH.search(text), _YEAR.search(text)
    if month is None or year is None:
        return None
    rest = _TIME.sub(" ", text.replace(year.group(0), " ", 1))
    days = [int(d) for d in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", rest)]
    days = [d for d in days if 1 <= d <= 31]
    if not days:
        return None
    try:
        return dt.date(int(year.group(0)), _MONTHS[month.group(1).lower()], days[0])
    except ValueError:
        return None


def parse_stamp(text: str, *, source: str | None = None) -> dt.datetime:
    """Parse a vendor's free-text snapshot stamp into an aware datetime.

    Parameters
    ----------
    text
        The stamp, with or without a ``Date:`` label and quotes.
    source
        File named in the error.

    Returns
    -------
    datetime.datetime
        The stamp in its own zone (New York when it names none); midnight when it has no time.

    Raises
    ------
    ParseError
        When no calendar date can be found in ``text``.

    Examples
    --------
    >>> parse_stamp("Date: 14 March 2026 at 07:34 GMT-4").isoformat()
    '2026-03-14T07:34:00-04:00'
    >>> parse_stamp('"Date: June 11, 2022, 8:47 PM EDT"').isoformat()
    '2022-06-11T20:47:00-04:00'
    >>> parse_stamp("Date: 2022-06-10 16:15").isoformat()
    '2022-06-10T16:15:00-04:00'
    """
    body = text.strip().strip('"').strip()
    body = re.sub(r"^date\s*:\s*", "", body, flags=re.IGNORECASE)
    day = _date(body)
    if day is None:
        raise ParseError(
            "snapshot stamp: no date found", source=source, row=0, column="Date", value=text
        )
    clock = _TIME.search(body.replace(day.isoformat(), " "))
    hour = minute = second = 0
    if clock is not None:
        hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        half = (clock.group(4) or "").replace(".", "").upper()
        if half == "PM" and hour < 12:
            hour += 12
        elif half == "AM" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            raise ParseError(
                "snapshot stamp: not a time of day", source=source, row=0, column="Date", value=text
            )
    naive = dt.datetime.combine(day, dt.time(hour, minute, second))
    return naive.replace(tzinfo=_zone(body))


def snapshot_day(stamp: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """Return the trading day a snapshot taken at ``stamp`` holds, and the moment it stands for.

    Parameters
    ----------
    stamp
        Aware time of the download.

    Returns
    -------
    tuple of (datetime.date, datetime.datetime)
        The trading day and the snapshot's time in New York (the stamp inside a session,
        else that day's :data:`CLOSE`).

    Examples
    --------
    A download on a Wednesday during the session, and one before the open:

    >>> import datetime as dt
    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> snapshot_day(dt.datetime(2026, 3, 11, 11, 0, tzinfo=ny))[1].isoformat()
    '2026-03-11T11:00:00-04:00'
    >>> snapshot_day(dt.datetime(2026, 3, 11, 7, 34, tzinfo=ny))[0]
    datetime.date(2026, 3, 10)
    """
    local = stamp.astimezone(_NY)
    day = local.date()
    if is_trading_day(day) and local.time() < OPEN:
        day = last_trading_day_on_or_before(day - dt.timedelta(days=1))
    elif not is_trading_day(day):
        day = last_trading_day_on_or_before(day)
    close = dt.datetime.combine(day, CLOSE, tzinfo=_NY)
    return day, min(local, close)
