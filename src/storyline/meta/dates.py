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
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class DateValue:
    """``alt`` is the day-first reading of a numeric date whose order the numbers leave open;
    ``updated`` marks a dateline that gives only the time of an update ('Updated: …')."""

    value: str
    granularity: str
    alt: str | None = None
    updated: bool = False


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
    numeric = (r"(?<![\d/.])(?P<n1>0?[1-9]|[12]\d|3[01])/(?P<n2>0?[1-9]|[12]\d|3[01])/"
               r"(?P<ny>(?:19|20)\d\d|\d\d)(?![\d/])")
    dotted = rf"(?<![\d.])(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<m>0?[1-9]|1[0-2])\.{year}(?!\d)"
    date_alts = [re.compile(f, re.IGNORECASE) for f in forms]
    line_forms = [*date_alts, *(re.compile(f, re.IGNORECASE) for f in (numeric, dotted))]
    labels = "|".join(re.escape(x) for x in sorted(data["dateline_labels"], key=len, reverse=True))
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
        "line_forms": line_forms,
        "label": re.compile(rf"(?<!\w)(?:{labels})(?!\w)", re.IGNORECASE),
        "words": frozenset(data["dateline_words"]),
        "day_first": frozenset(data["day_first_domains"]),
        "inline": inline,
        "upper_place": inline_upper_place,
        "url": [re.compile(p, re.IGNORECASE) for p in data["url_patterns"]],
    }


def day_first_domains() -> frozenset[str]:
    """Country-code domains whose outlets write numeric dates day first."""
    return frozenset(_data()["day_first"])


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


# Tokenised text puts spaces inside numbers and abbreviations ("10: 00", "4 / 9 / 2007", "a. m.").
_SPACED_SEP = re.compile(r"(?<=\d) ?([:/]) ?(?=\d)")
_SPACED_DOT = re.compile(r"(?<=\d)\. (?=\d\d(?!\d))")
_SPACED_DASH = re.compile(r"(?<=\b(?:19|20)\d\d) - (?=\d\d - \d\d\b)|(?<=\d\d) - (?=\d\d\b)")
_SPACED_MERIDIEM = re.compile(r"\b([ap])\. ?m\.", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*(?:[ap]\.?m?\.?|hours|hrs)(?!\w))?",
                    re.IGNORECASE)
_ZONE = re.compile(r"\(?\b[A-Z]{1,5}\s*[+-]\s*\d{1,2}(?::?\d{2})?\)?|\([A-Z]{2,5}\)")
_WORD = re.compile(r"[^\W\d_][\w'’.]*")


def despace(line: str) -> str:
    """Undo a tokeniser's spaces inside dates, clock times and 'a. m.'."""
    s = _SPACED_SEP.sub(r"\1", line)
    s = _SPACED_DOT.sub(".", s)
    s = _SPACED_DASH.sub("-", s)
    return _SPACED_MERIDIEM.sub(lambda m: f"{m.group(1)}m", s)


def _numeric(groups: dict[str, str | None]) -> DateValue | None:
    """A date written in numbers: month first unless the numbers say otherwise (``alt``)."""
    n1, n2, ny = int(groups["n1"] or 0), int(groups["n2"] or 0), groups["ny"] or ""
    y = int(ny) if len(ny) == 4 else (2000 + int(ny) if int(ny) < 70 else 1900 + int(ny))
    month_first = f"{y:04d}-{n1:02d}-{n2:02d}" if valid_date(y, n1, n2) else None
    day_first = f"{y:04d}-{n2:02d}-{n1:02d}" if valid_date(y, n2, n1) else None
    if month_first and day_first and month_first != day_first:
        return DateValue(month_first, "day", alt=day_first)
    value = month_first or day_first
    return DateValue(value, "day") if value else None


def full_dates(text: str, limit: int = 20) -> list[DateValue]:
    """Dates with day, month and year written out in a text ('Nov. 19, 2019', '19 November 2019'),
    in text order, at most ``limit``."""
    found: list[tuple[int, DateValue]] = []
    for pattern in _data()["dates"][:2]:
        for m in pattern.finditer(text):
            value = _from_groups(m.groupdict()) if m.group("y") else None
            if value is not None and value.granularity == "day":
                found.append((m.start(), value))
    return [v for _, v in sorted(found, key=lambda x: x[0])[:limit]]


def parse_dateline(line: str, labelled: bool = False) -> DateValue | None:
    """A date when the line is a dateline: the date, clock times, time zones, dateline words and at
    most three capitalised words ('Published: 19 May 2014 10:32', 'Reuters May 19, 2014, 2.16PM
    IST', 'Posted at 3:21 PM ET, 01/5/2011'). With ``labelled``, only a line with a label such as
    'Published' counts. The first date of the line is taken ('First posted: … Updated: …')."""
    s = despace(line.strip())
    if len(s) > 100:
        return None
    data = _data()
    if labelled and not data["label"].search(s):
        return None
    matches = [m for pattern in data["line_forms"] for m in pattern.finditer(s)]
    if not matches:
        return None
    keep = [True] * len(s)
    for m in matches:
        keep[m.start():m.end()] = [False] * (m.end() - m.start())
    rest = "".join(c if k else " " for c, k in zip(s, keep, strict=True))
    rest = _ZONE.sub(" ", _CLOCK.sub(" ", rest))
    words = _WORD.findall(rest)
    names = 0
    for word in words:
        low = word.lower().rstrip(".")
        if low in data["words"] or word.lower() in data["words"] or _WEEKDAY.fullmatch(low):
            continue
        if word.isupper() and len(word) <= 5:  # a time zone or an agency: EDT, AKDT, AFP
            continue
        if not word[0].isupper():
            return None
        names += 1
    byline = bool(words) and words[0].lower() == "by"
    if names > (3 if byline else 2) or re.search(r"\d", re.sub(r"[\s|,.;:()\-–—@+/]", "", rest)):
        return None
    first = min(matches, key=lambda m: (m.start(), -m.end()))
    groups = first.groupdict()
    value = _numeric(groups) if groups.get("n1") else _from_groups(groups)
    if value is not None and _UPDATED.search(s[:first.start()]) and not data["label"].search(s):
        value = replace(value, updated=True)
    return value


_UPDATED = re.compile(r"\bupdated\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?")


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
