"""Publication dates: parse date strings, find datelines, read dates from URLs.

Values are TIMEX3-style strings with a granularity: ``2014-05-19`` (day), ``2014-05`` (month),
``2014`` (year), or ``XXXX-05-19`` when a dateline gives no year. Nothing here ever falls back to
the current date.

>>> parse_date_string("Mon, 19 May 2014 10:00:00 GMT")
DateValue(value='2014-05-19', granularity='day')
>>> date_from_url("https://example.com/2014/05/19/some-story")
DateValue(value='2014-05-19', granularity='day')
>>> parse_dateline("May 19, 2014")
DateValue(value='2014-05-19', granularity='day')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class DateValue:
    value: str
    granularity: str


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("storyline.data").joinpath("dates.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    months: dict[str, int] = data["months"]
    month_re = "|".join(sorted(months, key=len, reverse=True))
    mon = rf"(?P<mon>{month_re})\.?"
    day = r"(?P<d>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?!\d)"
    year = r"(?P<y>(?:19|20)\d\d)"
    weekday = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    forms = [
        rf"{weekday}{mon}\s+{day}(?:,?\s+{year})?",
        rf"{weekday}{day}(?:\s+of)?\s+{mon},?(?:\s+{year})?",
        rf"{year}-(?P<m>0[1-9]|1[0-2])-(?P<d2>0[1-9]|[12]\d|3[01])",
        rf"{mon}\s+{year}",
    ]
    labels = "|".join(re.escape(x) for x in data["dateline_labels"])
    clock = r"(?:\s*(?:[,|·•]|-|at)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}[+-]?\d*\)?)?)?"
    date_alts = [re.compile(f, re.IGNORECASE) for f in forms]
    line_alts = [
        re.compile(rf"(?:(?:{labels})\s*:?\s*)?{f}{clock}\s*\.?", re.IGNORECASE) for f in forms
    ]
    place = r"(?P<place>[A-Z][A-Za-z.'’ -]{1,40}?)"
    agency = r"(?:\s*\((?P<agency>[^()]{1,50})\))?"
    dash = r"\s*[-–—:]+\s*"
    inline = [
        re.compile(rf"{place},\s+(?:{f}){agency}{dash}", re.IGNORECASE) for f in forms[:2]
    ] + [re.compile(rf"{place}\s*\((?P<agency>[^()]{{1,50}})\){dash}"),
         re.compile(r"(?P<place>[A-Z][A-Z.'’ -]{1,30}[A-Z])\s+[-–—]+\s+(?=[A-Z\"“‘])")]
    inline_upper_place = re.compile(r"[A-Z][A-Z.'’ -]{1,40}")
    return {
        "months": months,
        "dates": date_alts,
        "lines": line_alts,
        "inline": inline,
        "upper_place": inline_upper_place,
        "url": [re.compile(p, re.IGNORECASE) for p in data["url_patterns"]],
    }


def valid_date(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def _from_groups(g: dict[str, str | None]) -> DateValue | None:
    months = _data()["months"]
    m = int(g["m"]) if g.get("m") else months.get((g.get("mon") or "").lower().rstrip("."))
    if m is None:
        return None
    d_raw = g.get("d") or g.get("d2")
    y = g.get("y")
    if d_raw is None:
        return DateValue(f"{int(y):04d}-{m:02d}", "month") if y else None
    d = int(d_raw)
    if y is None:
        if not valid_date(2000, m, d):  # a leap year, so 29 February passes
            return None
        return DateValue(f"XXXX-{m:02d}-{d:02d}", "day")
    if not valid_date(int(y), m, d):
        return None
    return DateValue(f"{int(y):04d}-{m:02d}-{d:02d}", "day")


def parse_date_string(text: str | None) -> DateValue | None:
    """A date from a metadata string (ISO 8601, RFC 2822, 'May 19, 2014', '2014-05', '2014')."""
    if not text:
        return None
    s = text.strip()
    m = re.match(r"((?:19|20)\d\d)(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?(?:[T ].*)?$", s)
    if m:
        y, mo, d = m.groups()
        if d and valid_date(int(y), int(mo), int(d)):
            return DateValue(f"{y}-{mo}-{d}", "day")
        if mo and not d:
            return DateValue(f"{y}-{mo}", "month")
        if not mo:
            return DateValue(y, "year")
    try:
        from email.utils import parsedate_to_datetime

        parsed = parsedate_to_datetime(s)
        return DateValue(parsed.date().isoformat(), "day")
    except (TypeError, ValueError, IndexError):
        pass
    whole = parse_dateline(s)
    if whole:
        return whole
    for pattern in _data()["dates"]:
        found = pattern.search(s)
        if found:
            value = _from_groups(found.groupdict())
            if value:
                return value
    return None


def parse_dateline(line: str) -> DateValue | None:
    """A date when the whole line is a dateline ('May 19, 2014', 'Published: 19 May 2014 10:32')."""
    s = line.strip()
    if len(s) > 80:
        return None
    for pattern in _data()["lines"]:
        found = pattern.fullmatch(s)
        if found:
            return _from_groups(found.groupdict())
    return None


def parse_inline_dateline(paragraph: str) -> tuple[DateValue | None, str] | None:
    """A news-agency dateline opening a paragraph: 'JAKARTA, March 4 (Agency) — ...'.

    Returns the date (None when the dateline has only a place) and the dateline text to remove.
    """
    data = _data()
    for i, pattern in enumerate(data["inline"]):
        found = pattern.match(paragraph)
        if not found:
            continue
        groups = found.groupdict()
        place = groups.get("place") or ""
        # A place-only dateline must be in capitals ("JAKARTA (Reuters) -") to be trusted.
        place_only = i >= len(data["inline"]) - 2
        if place_only and not data["upper_place"].fullmatch(place):
            continue
        if len(place.split()) > 4:
            continue
        value = None if place_only else _from_groups(groups)
        return value, found.group(0)
    return None


def date_from_url(url: str | None) -> DateValue | None:
    """A date written in a URL's path or query (``/2014/05/19/``, ``20150322``, ``2014-05-19``)."""
    if not url:
        return None
    for pattern in _data()["url"]:
        for found in pattern.finditer(url):
            value = _from_groups(found.groupdict())
            if value:
                return value
    return None
