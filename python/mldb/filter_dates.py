"""Dates in filters (``created > '2026-08-03'``): ISO 8601 / RFC 3339 only, read the same
by every client (docs/schema.md). A date or time without an offset is UTC, so a filter
means the same instants on every machine; other spellings ('Aug 3 2026', '2026/08/03',
'2026-02-30') are refused rather than guessed at."""

import calendar
import re

_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?)?",
    re.ASCII,
)


def parse_iso_date(text):
    """Milliseconds since 1970 of ``YYYY-MM-DD``, optionally followed by ``THH:MM``, ``:SS``,
    ``.fraction`` (cut to milliseconds) and ``Z`` or ``±HH:MM``; None for anything else.

    Example: ``parse_iso_date('2026-08-03T12:00+02:00') == 1785751200000``."""
    m = _ISO.fullmatch(text)
    if not m:
        return None
    y, mo, d, hh, mi, ss, frac, zone = m.groups()
    year, month, day = int(y), int(mo), int(d)
    hour, minute, second = int(hh or 0), int(mi or 0), int(ss or 0)
    ms = int((frac or "")[:3].ljust(3, "0"))
    if not 1 <= month <= 12 or not 1 <= day <= _days_in(year, month) or hour > 23 or minute > 59 or second > 59:
        return None
    offset = 0
    if zone and zone not in ("Z", "z"):
        digits = zone[1:].replace(":", "")
        oh, om = int(digits[:2]), int(digits[2:])
        if oh > 23 or om > 59:
            return None
        offset = (-1 if zone[0] == "-" else 1) * (oh * 60 + om)
    days = _days_from_civil(year, month, day)
    return (days * 86_400 + hour * 3600 + (minute - offset) * 60 + second) * 1000 + ms


def _days_in(year, month):
    return 29 if month == 2 and calendar.isleap(year) else (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month]


def _days_from_civil(year, month, day):
    """Days since 1970-01-01 of a proleptic Gregorian date (year 0 included)."""
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468
