"""Dates in filters (``created > '2026-08-03'``), read as JavaScript's ``Date.parse``
reads the ISO forms: a date alone is UTC midnight, a date and time without an
offset is local time. Other spellings V8 happens to accept ('Aug 3 2026') are
refused here, so the filter fails loudly instead of meaning something else."""

import calendar
import datetime
import re

_ISO = re.compile(
    r"([+-][0-9]{6}|[0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)?"
    r"(Z|z|[+-][0-9]{2}:?[0-9]{2})?"
)


def parse_date_ms(text):
    """Milliseconds since 1970 of an ISO date such as '2026-08-03' or '2026-08-03T10:00Z', or None."""
    m = _ISO.fullmatch(text.strip())
    if not m:
        return None
    year, month, day, hh, mm, ss, frac, zone = m.groups()
    month = int(month or 1)
    day = int(day or 1)
    hour, minute, second = int(hh or 0), int(mm or 0), int(ss or 0)
    ms = int((frac or "0")[:3].ljust(3, "0"))
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute < 60 and second < 60):
        return None
    if hour > 24 or (hour == 24 and (minute or second or ms)):
        return None
    try:
        return _to_ms(int(year), month, day, hour, minute, second, ms, hh is None, zone)
    except (ValueError, OverflowError, OSError):
        return None


def _to_ms(year, month, day, hour, minute, second, ms, date_only, zone):
    if date_only and zone is None or zone in ("Z", "z"):
        # Days past the month's end roll over as V8 rolls them ('2026-02-30' is March 2).
        days = calendar.timegm((year, month, 1, 0, 0, 0)) // 86400 + day - 1
        return (days * 86400 + hour * 3600 + minute * 60 + second) * 1000 + ms
    if zone is not None:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        days = calendar.timegm((year, month, 1, 0, 0, 0)) // 86400 + day - 1
        return (days * 86400 + hour * 3600 + (minute - offset) * 60 + second) * 1000 + ms
    # No offset with a time: local time, as JavaScript reads it.
    base = datetime.datetime(year, month, 1) + datetime.timedelta(days=day - 1, hours=hour, minutes=minute, seconds=second)
    return int(base.timestamp()) * 1000 + ms
