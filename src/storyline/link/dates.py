"""TIMEX3 date values across articles: whether two dates can name the same day, which of two is
the more precise, and completing a year-less or relative value from a story's period.

Values are the ones ``annotate.timex`` writes: ``2014-05-20``, ``2014-05``, ``2014``, ``2015-H2``,
ranges ``2024-05-16/2024-05-17``, year-less ``XXXX-05-16``, weekdays ``XXXX-WXX-2``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_DAY = re.compile(r"^(\d{4}|XXXX)-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4}|XXXX)-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEKDAY = re.compile(r"^XXXX-WXX-([1-7])$")


def parts(value: str | None) -> tuple[str | None, str | None, str | None]:
    """(year, month, day) of a value's start; None where unknown."""
    if not value:
        return None, None, None
    start = value.split("/")[0]
    for pattern in (_DAY, _MONTH, _YEAR):
        m = pattern.match(start)
        if m:
            groups = list(m.groups()) + [None] * (3 - len(m.groups()))
            year = None if groups[0] == "XXXX" else groups[0]
            return year, groups[1], groups[2]
    m = re.match(r"^(\d{4})", start)
    return (m.group(1) if m else None), None, None


def has_year(value: str | None) -> bool:
    return parts(value)[0] is not None


def compatible(a: str | None, b: str | None, slack_days: int = 1) -> bool:
    """Whether two values can name the same time: unknown parts agree with anything; two full
    days may differ by ``slack_days`` (reports dated the day after)."""
    if not a or not b:
        return True
    ya, ma, da = parts(a)
    yb, mb, db = parts(b)
    if ya and yb and ya != yb:
        return _near_new_year(a, b, slack_days)
    if ma and mb and ma != mb:
        return ya is not None and yb is not None and _within(a, b, slack_days)
    if da and db and da != db:
        if ya and yb:
            return _within(a, b, slack_days)
        return abs(int(da) - int(db)) <= slack_days
    return True


def day_of(value: str | None) -> dt.date | None:
    """The first day of a full date value (with a year), else None."""
    if not value or not has_year(value) or not parts(value)[2]:
        return None
    return _day(value)


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.split("/")[0])
    except ValueError:
        return None


def _within(a: str, b: str, slack: int) -> bool:
    da, db = _day(a), _day(b)
    return da is not None and db is not None and abs((da - db).days) <= slack


def _near_new_year(a: str, b: str, slack: int) -> bool:
    return _within(a, b, slack)


def precision(date: dict[str, Any] | None) -> tuple[int, int, int]:
    """Sort key, higher is better: has a year, said in the sentence (not the article's date), how
    fine the value is."""
    if not date or not date.get("value"):
        return (0, 0, 0)
    value = str(date["value"])
    year, month, day = parts(value)
    fine = 3 if day else 2 if month else 1
    return (1 if year else 0, 1 if date.get("method") == "sentence" else 0, fine)


def complete(value: str, start: dt.date, end: dt.date, future: bool = False) -> str | None:
    """A year-less or weekday value placed in a story's period ``start``..``end``: the year (or
    week) that puts it nearest the period; weekdays fall on or after the period's start when the
    event is future, else on or before its end. None when the value needs nothing or cannot be
    placed."""
    if has_year(value):
        return None
    m = _WEEKDAY.match(value)
    if m:
        weekday = int(m.group(1)) - 1  # ISO: Monday = 1
        if future:
            delta = (weekday - start.weekday()) % 7
            return (start + dt.timedelta(days=delta)).isoformat()
        delta = (end.weekday() - weekday) % 7
        return (end - dt.timedelta(days=delta)).isoformat()
    pieces = value.split("/")
    if not all(p.startswith("XXXX") for p in pieces):
        return None
    middle = start + (end - start) / 2
    best: tuple[int, str] | None = None
    for year in (middle.year - 1, middle.year, middle.year + 1):
        filled = [p.replace("XXXX", str(year), 1) for p in pieces]
        first = filled[0]
        try:
            anchor = dt.date.fromisoformat(first if len(first) == 10 else f"{first}-01"
                                           if len(first) == 7 else "")
        except ValueError:
            return None
        distance = 0 if start <= anchor <= end else min(abs((anchor - start).days),
                                                        abs((anchor - end).days))
        if best is None or distance < best[0]:
            best = (distance, "/".join(filled))
    return best[1] if best else None


def granularity(value: str) -> str:
    year, month, day = parts(value)
    if "/" in value:
        return "range"
    return "day" if day else "month" if month else "year" if year else "unknown"


def resolve_relative(relative: str, start: dt.date, end: dt.date) -> str | None:
    """A relative expression of an undated article ("weekday:1:future" = next Tuesday,
    "P-1D" = yesterday) placed against its story's period: future and forward offsets from the
    period's start, the rest back from its end."""
    m = re.match(r"^weekday:([0-6]):(\w+)$", relative)
    if m:
        weekday, direction = int(m.group(1)), m.group(2)
        if direction == "future":
            return (start + dt.timedelta(days=(weekday - start.weekday()) % 7)).isoformat()
        return (end - dt.timedelta(days=(end.weekday() - weekday) % 7)).isoformat()
    m = re.match(r"^P([+-]\d+)([DWMY])$", relative)
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2)
    base = start if n > 0 else end
    if unit == "D":
        return (base + dt.timedelta(days=n)).isoformat()
    if unit == "W":
        return (base + dt.timedelta(weeks=n)).isoformat()
    if unit == "M":
        month = base.month - 1 + n
        return f"{base.year + month // 12:04d}-{month % 12 + 1:02d}"
    return f"{base.year + n:04d}"
