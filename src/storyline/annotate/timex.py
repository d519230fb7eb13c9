"""Time expressions: find them in text and normalise them against the article's date (DCT).

Values follow TIMEX3: ``2014-05-20`` (day), ``2014-05`` (month), ``2014`` (year), ``199`` (decade),
``2014-W21`` (week), ``2014-Q3`` / ``2014-H2`` (quarter, half), ``2014-SU`` (season), ISO intervals
for ranges (``2024-05-16/2024-05-17``), and ``XXXX-05-20`` when the year is unknown. A weekday or
a year-less month is placed before or after the DCT by the tense of the verb that governs it
("met on Tuesday" looks back, "will travel on Tuesday" looks forward). Without a DCT, relative
expressions keep a relative description (``relative``) for the linking stage to complete.

>>> [(t.text, t.value) for t in find_timexes("He will travel to Lima on Tuesday.", "2014-05-19")]
[('Tuesday', '2014-05-20')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from storyline.meta.dates import valid_date
from storyline.model import TimeExpr

Tense = str | None  # "past", "future" or None when unknown


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    text = resources.files("storyline.data").joinpath("timex.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _alts(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Pattern:
    kind: str
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    lex = lexicon()
    full = [m.capitalize() for m in lex["months"] if len(m) > 4 or m in ("may", "june", "july")]
    abbreviations = [m.capitalize() for m in lex["months"] if m.capitalize() not in full]
    mon = rf"(?:{_alts(full)}|(?:{_alts(abbreviations)})\.?)"
    wd = _alts([w.capitalize() for w in lex["weekdays"]])
    part = _alts(lex["day_parts"])
    season = _alts(lex["seasons"])
    num = rf"(?:\d+|{_alts(lex['numbers'])})"
    ordinal = _alts(lex["ordinals"])
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"(?:1[6-9]|20)\d\d"
    dash = r"\s*[-–—]\s*"
    mod = r"(?:early|late|mid-?|the end of|the beginning of|the start of|the middle of)"
    refs = _alts([*lex["present_ref"], *lex["past_ref"], *lex["future_ref"]])
    sets = _alts([k for k in lex["sets"] if " " in k and not k.startswith("a ")])
    adverbs = _alts([k for k in lex["sets"] if " " not in k])  # "daily" but not "daily paper"
    unit = r"(?:minute|hour|day|week|month|year|decade|centur(?:y|ie))"
    count = (rf"(?:\d+(?:\.\d+)?(?:\s+1/2|½)?|(?:{_alts(lex['numbers'])})(?:\s+and\s+a\s+half)?)")
    vague = _alts(lex["vague_counts"])
    tens, teens, decades = _alts(lex["tens"]), _alts(lex["teens"]), _alts(lex["decades"])
    units = _alts([w for w, n in lex["numbers"].items() if isinstance(n, int) and 1 <= n <= 9
                   and w not in ("a", "an")])
    holidays = _alts(lex["holidays"])
    spelled = (rf"(?:nineteen|eighteen)[\s-]+(?:(?:{tens})(?:[\s-]+(?:{units}))?|{teens}|hundred)"
               rf"|two\s+thousand(?:\s+(?:and\s+)?(?:{units}|{teens}))?")
    fillers = _alts(lex["duration_fillers"])

    def p(kind: str, regex: str, flags: int = 0) -> Pattern:
        return Pattern(kind, re.compile(rf"(?<![\w-])(?:{regex})(?![\w])", flags))

    return (
        p("range_days", rf"(?:(?i:between)\s+{mon}\s+{day}\s+(?i:and)\s+(?:{mon}\s+)?{day}"
                        rf"|(?i:from)\s+{mon}\s+{day}\s+(?i:to|until|through)\s+(?:{mon}\s+)?{day}"
                        rf"|(?i:from)\s+{day}\s+{mon}\s+(?i:to|until)\s+{day}\s+{mon})(?:,?\s+{year})?"),
        p("range_months", rf"(?i:from|between)\s+{mon}\s+(?i:to|and|until|through)\s+{mon}"
                          rf"(?:,?\s+{year})?"),
        p("range_years", rf"(?i:between)\s+{year}\s+(?i:and)\s+{year}|(?i:from)\s+{year}\s+"
                         rf"(?i:to|until|through)\s+{year}|{year}[-–/]{year}(?!-\d)"),
        p("day_range", rf"{mon}\s+{day}{dash}{day}(?:,?\s+{year})?|{day}{dash}{day}\s+{mon}"
                       rf"(?:,?\s+{year})?"),
        p("iso_day", rf"{year}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"),
        p("date", rf"(?:(?:{wd}),?\s+)?(?:(?i:the)\s+)?{day}\s+(?:(?i:of)\s+)?{mon},?\s+{year}"
                  rf"|(?:(?:{wd}),?\s+)?{mon}\s+{day},?\s+{year}"),
        p("day_month", rf"(?:(?:{wd}),?\s+)?(?:(?i:the)\s+)?{day}\s+(?:(?i:of)\s+)?{mon}(?!\s*\d)"
                       rf"|(?:(?:{wd}),?\s+)?{mon}\s+{day}(?![\d:,]\d)"),
        p("month_year", rf"(?:(?i:{mod})\s*)?{mon},?\s+(?:(?i:of)\s+)?(?:{year}|(?i:{spelled}))"),
        p("month_rel_year", rf"(?:{day}\s+)?{mon}(?:\s+{day})?,?\s+(?i:(?:of\s+)?(?:this|last|next)"
                            rf"\s+year)(?!'s)"),
        p("quarter", rf"(?i:(?:(?:the|its|this|last|next)\s+)?(?:end\s+of\s+the\s+|start\s+of\s+the\s+)?"
                     rf"(?:(?:this|last|next)\s+year's\s+|{year}'s\s+)?"
                     rf"(?:{year}\s+)?(?:fiscal[\s-]+)?(?:{ordinal})[\s-]+"
                     rf"quarter(?:\s+of\s+(?:{year}|this\s+year|next\s+year|last\s+year))?)"
                     rf"|Q[1-4](?:\s+{year})?"),
        p("quarter_ref", rf"(?i:the\s+(?:latest|most\s+recent|same|just-ended|recent)\s+"
                         rf"(?:quarter|period)|the\s+{year}\s+(?:quarter|period)|the\s+quarter"
                         rf"|(?:the\s+)?year-(?:ago|earlier)(?:\s+(?:{ordinal}))?\s+"
                         rf"(?:quarter|period)|year-earlier|(?:a\s+)?year\s+earlier)"),
        p("half", rf"(?i:(?:the\s+)?(?:first|second)\s+half(?:\s+of\s+(?:the\s+year|this\s+year|"
                  rf"next\s+year|last\s+year|{year}))?)"),
        p("season", rf"(?i:(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?|beginning\s+of\s+(?:the\s+)?)?"
                    rf"(?:(?:this(?:\s+past)?|last|next|early|late)\s+)?(?:{season})"
                    rf"(?:\s+of\s+(?:{year}|{spelled}))?"
                    rf"|(?:the\s+)?(?:{season})\s+of\s+(?:{year}|{spelled}))"),
        p("spelled_year", rf"(?i:(?:the\s+year\s+)?(?:nineteen|eighteen)[\s-]+(?:(?:{tens})"
                          rf"(?:[\s-]+(?:{units}))?|{teens}|hundred)"
                          rf"|the\s+year\s+two\s+thousand(?:\s+(?:and\s+)?(?:{units}|{teens}))?)"),
        p("year_period", r"(?i:the\s+(?:(?:fiscal|financial|calendar)\s+)?year)"
                         r"(?=\s+(?i:ended|ending|that\s+ended|through|to(?!\s+date))\s)"),
        p("year_ref", r"(?i:(?:(?:earlier|later)\s+in\s+)?the\s+(?:(?:current|full|latest)"
                      r"\s+)?(?:(?:fiscal|financial|calendar)\s+)?year(?![\w-]|\s+(?:\d|two\b|"
                      r"nineteen\b|ago\b|earlier\b|before\b|after\b|when\b|in\s+which\b))"
                      r"|(?:the\s+)?year[\s-]end|year's\s+end)"),
        p("weekend", r"(?i:(?:the|this|last|next|this\s+past)\s+weekend)"),
        p("year_anaphor", r"(?i:the\s+(?:following|same)\s+year|that\s+(?:same\s+)?year)(?![\w-])"),
        p("holiday", rf"(?i:{holidays})"),
        p("decade", r"(?i:(?:the\s+)?(?:early\s+|mid-?|late\s+)?)(?:1[6-9]|20)\d0s"
                    rf"|(?i:the\s+(?:early\s+|mid-?|late\s+)?(?:{decades}))"
                    r"|(?i:(?:the\s+)?end\s+of\s+the\s+decade|this\s+decade|the\s+next\s+decade)"),
        p("relative_day", rf"(?i:(?:yesterday|tomorrow)\s+(?:{part})|today|tonight|overnight|yesterday"
                          rf"|tomorrow|last\s+night|(?:later\s+|earlier\s+)?this\s+(?:{part})"
                          rf"|(?:early|late|mid-?\s*)(?:morning|afternoon|evening)"
                          rf"|(?:(?:the\s+)?day\s+before|the\s+day\s+after)(?=\s*(?:[.,;:!?)]|$))"
                          rf"|the\s+previous\s+day"
                          rf"|the\s+next\s+day|the\s+following\s+day)"),
        p("ago", rf"(?i:(?:(?:nearly|almost|about|more\s+than|some|roughly|over|just)\s+)?"
                 rf"{num}\s+(?:days?|weeks?|months?|years?|decades?)\s+ago"
                 rf"|{num}\s+(?:days?|weeks?|months?|years?)\s+from\s+now)"),
        p("ref", rf"(?i:{refs})"),
        p("set", rf"(?i:(?:every|each)\s+(?:{wd})|{sets}|(?:{adverbs})(?=\s*[.,;:!?])"
                 rf"|(?:(?<=\d\s)|(?<=million\s)|(?<=billion\s)|(?<=percent\s)|(?<=%\s)"
                 rf"|(?<=times\s)|(?<=dollars\s))a\s+(?:year|month|week|day))"),
        p("duration", rf"(?i:(?:(?:the|a|its|their)\s+)?(?:(?:past|last|next|first|coming|previous|"
                      rf"following|final|remaining|initial|entire|full)\s+)?"
                      rf"(?:(?:more\s+than|less\s+than|nearly|almost|about|around|at\s+least|over"
                      rf"|some|up\s+to|roughly|only|just)\s+)?{count}[\s-]+(?:(?:{fillers})\s+)?{unit}s?"
                      rf"(?:\s+and\s+a\s+half)?(?![\s-]+old\b)(?:[\s-]+long)?"
                      rf"|(?:(?:the\s+)?(?:past|last|next|coming)\s+)?(?:{vague})\s+{unit}s"
                      rf"|(?:(?<=for\s)|(?<=over\s)|(?<=within\s)|(?<=lasted\s))(?:{unit}s)"
                      rf"|(?<=\bin\s)(?:weeks|months|years|decades)(?=\s*[.,;:!?])"
                      rf"|decades-long|(?:{unit})s\s+or\s+(?:{unit})s"
                      rf"|(?:the\s+)?(?:past|last|next|coming|previous|following)\s+"
                      rf"(?:{count})\s+quarters|(?:several|a\s+few|few|many|recent)\s+quarters)"),
        p("relative_unit", r"(?i:(?:(?:earlier|later|early|late|mid-?)\s+)?(?:this|last|next)\s+"
                           r"(?:week|month|year)|the\s+end\s+of\s+(?:the|this|next|last)\s+"
                           r"(?:week|month|year)|the\s+(?:past|previous|coming)\s+(?:week|month|year))"),
        p("month_mod", rf"(?i:{mod}|last|next|this)\s*{mon}"),
        p("year_mod", rf"(?i:{mod})\s*{year}"),
        p("clock", rf"(?i:(?:(?:around|about|shortly\s+(?:before|after))\s+)?"
                   rf"(?:(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)|noon|midnight)"
                   rf"(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET))?)"
                   rf"(?:,?\s+(?:(?i:on)\s+)?(?:(?:{wd})(?:,?\s+{mon}\s+{day})?|{mon}\s+{day}|"
                   rf"(?i:today|tonight|yesterday|tomorrow)))?"),
        p("weekday", rf"(?:(?i:last|next|this|early|late)\s+)?(?:{wd})(?:\s+(?i:{part}))?"),
        p("month", rf"{mon}"),
        p("year", rf"(?<![$€£#]){year}(?![\d,.]\d)"),
    )


# -- calendar helpers -------------------------------------------------------------------------

def _month_num(text: str) -> int | None:
    key = text.lower().rstrip(".")
    return lexicon()["months"].get(key)


def _find_month(text: str) -> int | None:
    for word in re.findall(r"[A-Za-z]+", text):
        if word[0].isupper():
            n = _month_num(word)
            if n:
                return n
    return None


def _number(text: str) -> int:
    text = text.lower()
    if text.isdigit():
        return int(text)
    return int(lexicon()["numbers"].get(text, 1))


def _season_of(month: int) -> str:
    return {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(
        month, "FA")


_SEASON_ORDER = ["WI", "SP", "SU", "FA"]


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _day(d: dt.date) -> str:
    return d.isoformat()


def _year_for_month(month: int, day: int | None, dct: dt.date, tense: Tense) -> int:
    """The year of a year-less date: before the DCT if the verb looks back, after if forward,
    unless that puts it more than nine months away (a tense read wrong, or a date told in the
    present); then, as without a tense, the nearest occurrence."""
    this_year = (month, day or 0)
    now = (dct.month, dct.day if day else 0)
    day_of_month = min(day or 15, 28)

    def distance(year: int) -> int:
        return abs((dt.date(year, month, day_of_month) - dct).days)

    nearest = min((dct.year - 1, dct.year, dct.year + 1), key=distance)
    if tense == "future":
        year = dct.year if this_year >= now else dct.year + 1
    elif tense == "past":
        year = dct.year if this_year <= now else dct.year - 1
    else:
        return nearest
    return year if distance(year) <= 270 else nearest


# -- normalisation ------------------------------------------------------------------------------

@dataclass
class Context:
    dct: dt.date | None
    tense: Tense
    anchor: dt.date | None  # the last day-level date mentioned before this expression
    quarter: tuple[int, int] | None = None  # the last quarter named before it: (year, n)
    year: int | None = None  # the last year named in full before it ("in 1995", "May 3, 1995")


Result = tuple[str | None, str, str, str | None]  # value, granularity, method, relative


def _years(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)", text)]


def _days(text: str) -> list[int]:
    cleaned = re.sub(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)", " ", text)
    return [int(d) for d in re.findall(r"(?<!\d)([0-3]?\d)(?:st|nd|rd|th)?(?!\d)", cleaned)]


def _months(text: str) -> list[int]:
    found = []
    for word in re.findall(r"[A-Za-z]+\.?", text):
        if word[0].isupper():
            n = _month_num(word)
            if n:
                found.append(n)
    return found


def _date_value(year: int | None, month: int, day: int | None) -> str:
    y = f"{year:04d}" if year is not None else "XXXX"
    return f"{y}-{month:02d}-{day:02d}" if day else f"{y}-{month:02d}"


def _resolve_year(month: int, day: int | None, ctx: Context, explicit: int | None
                  ) -> tuple[int | None, str]:
    if explicit is not None:
        return explicit, "absolute"
    if ctx.dct is None:
        return None, "partial"
    return _year_for_month(month, day, ctx.dct, ctx.tense), "dct+tense"


def norm_date(text: str, ctx: Context) -> Result:
    months, days, years = _months(text), _days(text), _years(text)
    if not months or not days:
        return None, "day", "absolute", None
    year, method = _resolve_year(months[0], days[0], ctx, years[0] if years else None)
    if not valid_date(year or 2000, months[0], days[0]):
        return None, "day", method, None
    return _date_value(year, months[0], days[0]), "day", method, None


def norm_iso_day(text: str, ctx: Context) -> Result:
    return text, "day", "absolute", None


def _named_year(text: str) -> int:
    """The year a text names in digits or in words ("1997", "nineteen ninety-seven")."""
    years = _years(text)
    if years:
        return years[0]
    spelled = _SPELLED_YEAR.search(text)
    if spelled is None:
        raise ValueError(f"no year in {text!r}")
    return _spelled_year(spelled.group(0))


_SPELLED_YEAR = re.compile(r"(?i)\b(?:nineteen|eighteen|two\s+thousand)\b.*")


def norm_month_year(text: str, ctx: Context) -> Result:
    return _date_value(_named_year(text), _months(text)[0], None), "month", "absolute", None


def norm_month_rel_year(text: str, ctx: Context) -> Result:
    """"January this year", "June 5 last year": the month (or day) in the year named."""
    months, days = _months(text), _days(text)
    year, method = _resolve_rel_year(text.lower(), ctx)
    if year is None:
        return _date_value(None, months[0], days[0] if days else None), "month", "partial", None
    if days and not valid_date(year, months[0], days[0]):
        return None, "day", method, None
    return _date_value(year, months[0], days[0] if days else None), \
        "day" if days else "month", method, None


def norm_year_mod(text: str, ctx: Context) -> Result:
    return str(_years(text)[0]), "year", "absolute", None


def norm_year(text: str, ctx: Context) -> Result:
    return text, "year", "absolute", None


def norm_month(text: str, ctx: Context) -> Result:
    month = _months(text)[0]
    year, method = _resolve_year(month, None, ctx, None)
    return _date_value(year, month, None), "month", method, None


def norm_month_mod(text: str, ctx: Context) -> Result:
    month = _months(text)[0]
    low = text.lower()
    if ctx.dct is None:
        return _date_value(None, month, None), "month", "partial", None
    if low.startswith("last"):
        year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
        return _date_value(year, month, None), "month", "dct", None
    if low.startswith("next"):
        year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
        return _date_value(year, month, None), "month", "dct", None
    if low.startswith("this"):
        return _date_value(ctx.dct.year, month, None), "month", "dct", None
    return norm_month(text, ctx)


def norm_day_range(text: str, ctx: Context) -> Result:
    months, days, years = _months(text), _days(text), _years(text)
    if len(days) < 2 or not months:
        return None, "range", "absolute", None
    year, method = _resolve_year(months[0], days[0], ctx, years[0] if years else None)
    start = _date_value(year, months[0], days[0])
    end = _date_value(year, months[-1], days[1])
    return f"{start}/{end}", "range", method, None


def norm_range_days(text: str, ctx: Context) -> Result:
    months, days, years = _months(text), _days(text), _years(text)
    if len(days) < 2 or not months:
        return None, "range", "absolute", None
    m1, m2 = months[0], months[-1]
    year, method = _resolve_year(m1, days[0], ctx, None)
    if year is not None and ctx.dct is not None and ctx.tense == "future" and not years:
        # An interval that has begun but not ended is still ahead of a forward-looking verb.
        end_year = year if (m1, days[0]) <= (m2, days[1]) else year + 1
        if year > ctx.dct.year and valid_date(year - 1, m2, days[1]) and \
                dt.date(year - 1 + (end_year - year), m2, days[1]) >= ctx.dct:
            year -= 1
    if years:
        end_year = years[-1]
        start_year = end_year if (m1, days[0]) <= (m2, days[1]) else end_year - 1
        method = "absolute"
    else:
        start_year = year
        end_year = None if year is None else (year if (m1, days[0]) <= (m2, days[1]) else year + 1)
    return (f"{_date_value(start_year, m1, days[0])}/{_date_value(end_year, m2, days[1])}",
            "range", method, None)


def norm_range_months(text: str, ctx: Context) -> Result:
    months, years = _months(text), _years(text)
    m1, m2 = months[0], months[-1]
    if years:
        end_year = years[-1]
        start_year = end_year if m1 <= m2 else end_year - 1
        method = "absolute"
    else:
        start, method = _resolve_year(m1, None, ctx, None)
        start_year = start
        end_year = None if start is None else (start if m1 <= m2 else start + 1)
    return (f"{_date_value(start_year, m1, None)}/{_date_value(end_year, m2, None)}", "range",
            method, None)


def norm_range_years(text: str, ctx: Context) -> Result:
    years = _years(text)
    return f"{years[0]}/{years[-1]}", "range", "absolute", None


def _resolve_rel_year(low: str, ctx: Context) -> tuple[int | None, str]:
    explicit = _years(low)
    if explicit:
        return explicit[0], "absolute"
    if ctx.dct is None:
        return None, "relative"
    if "last year" in low:
        return ctx.dct.year - 1, "dct"
    if "next year" in low:
        return ctx.dct.year + 1, "dct"
    return ctx.dct.year, "dct"


def norm_quarter(text: str, ctx: Context) -> Result:
    low = text.lower()
    m = re.search(r"q([1-4])", low)
    n = int(m.group(1)) if m else next(
        v for k, v in lexicon()["ordinals"].items() if re.search(rf"\b{k}\b", low))
    if _years(low) or "last year" in low or "next year" in low or "this year" in low:
        year, method = _resolve_rel_year(low, ctx)
    elif ctx.dct is None:
        year, method = None, "relative"
    else:  # the latest such quarter: a report looks back at quarters (a tense read from a
        # forecast sentence sent "the third quarter" of an October report a year ahead)
        current = (ctx.dct.month - 1) // 3 + 1
        year, method = ctx.dct.year, "dct"
        if n > current:
            year -= 1
    if year is None:
        return None, "quarter", method, f"Q{n}"
    return f"{year}-Q{n}", "quarter", method, None


def norm_quarter_ref(text: str, ctx: Context) -> Result:
    """"the quarter", "the latest period", "a year earlier", "the year-ago quarter": the quarter
    the article reports on (the last one it named), or that quarter a year before. Without a
    quarter named before: the last completed quarter; "a year earlier" is then a year."""
    low = " ".join(text.lower().split())
    back = "ago" in low or "earlier" in low
    explicit = _years(low)
    last = ctx.quarter
    if last is None and ctx.dct is not None:
        current = (ctx.dct.month - 1) // 3 + 1
        last = (ctx.dct.year, current - 1) if current > 1 else (ctx.dct.year - 1, 4)
        if back and "quarter" not in low and "period" not in low:
            return str(ctx.dct.year - 1), "year", "dct", None
    if last is None:
        return None, "quarter", "relative", "quarter"
    year, n = last
    if explicit:
        year = explicit[0]
    elif back:
        year -= 1
    return f"{year}-Q{n}", "quarter", "anchor" if ctx.quarter else "dct", None


_UNIT_CODES = {"minute": "TM", "hour": "TH", "day": "D", "week": "W", "month": "M", "year": "Y",
               "decade": "DE", "century": "CE", "centurie": "CE"}


#: The next smaller unit of a duration code and how many of it make one (for fractions).
_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60),
            "TM": ("TS", 60)}


def _quarters(low: str) -> str:
    """"the next three quarters" P9M (ISO 8601 counts no quarters), "several quarters" PXQ."""
    words = low.split()[:-1]
    numbers = lexicon()["numbers"]
    count = words[-1] if words else ""
    if count.isdigit() or (count in numbers and count not in ("few", "several")):
        return f"P{3 * _number(count)}M"
    return "PXQ"


def norm_duration(text: str, ctx: Context) -> Result:
    """"five years" P5Y, "the past two months" P2M, "a 16-hour shift" PT16H, "several weeks"
    PXW; decades and centuries in years (P20Y, P300Y)."""
    low = " ".join(text.lower().replace("-", " ").split())
    if low.endswith("quarters"):
        return _quarters(low), "duration", "absolute", None
    found = re.search(r"(minute|hour|day|week|month|year|decade|centur(?:y|ie))s?\b", low)
    if found is None:
        return None, "duration", "absolute", None
    unit = found.group(1)
    fillers = set(lexicon()["duration_fillers"])
    before = [w for w in low[:found.start()].split() if w not in fillers]
    numbers = lexicon()["numbers"]
    n: float | None = None
    half = 0.5 if low[found.end():].lstrip("s ").startswith("and a half") else 0.0
    if before[-3:] == ["and", "a", "half"]:  # "two and a half years"
        before, half = before[:-3], 0.5
    elif before and before[-1] in ("1/2", "½"):  # "2 1/2 years"
        before, half = before[:-1], 0.5
    elif before and before[-1].endswith("½"):  # "5½ hours"
        before, half = [*before[:-1], before[-1][:-1]], 0.5
    for size in (3, 2, 1):
        words = " ".join(before[-size:])
        if len(before) >= size and (words in numbers or re.fullmatch(r"\d+(?:\.\d+)?", words)):
            n = float(words) if words[0].isdigit() else float(numbers[words])
            if words in ("several", "a few", "a couple of") and size < len(before) + 1:
                n = None if words != "a couple of" else 2.0
            break
    if n is not None:
        n += half
    code = _UNIT_CODES[unit]
    if n is not None and code in ("DE", "CE"):
        n, code = n * (10 if code == "DE" else 100), "Y"
    if n is not None and n != int(n) and code in _SMALLER and (n % 1) * _SMALLER[code][1] % 1 == 0:
        # a fraction in the next smaller unit, as TimeML writes it: 2 1/2 years P2Y6M,
        # 5 1/2 hours PT5H30M, a day and a half P1DT12H
        smaller, factor = _SMALLER[code]
        whole, rest = int(n), int(round((n % 1) * factor))
        if code.startswith("T"):
            return f"PT{whole}{code[1]}{rest}{smaller[1]}", "duration", "absolute", None
        if smaller.startswith("T"):
            return f"P{whole}{code}T{rest}{smaller[1]}", "duration", "absolute", None
        return f"P{whole}{code}{rest}{smaller}", "duration", "absolute", None
    amount = "X" if n is None else (str(int(n)) if n == int(n) else str(n))
    if code.startswith("T"):
        return f"PT{amount}{code[1]}", "duration", "absolute", None
    if code == "DE":
        return "PXY", "duration", "absolute", None
    if code == "CE":
        return "PXC", "duration", "absolute", None
    return f"P{amount}{code}", "duration", "absolute", None


def norm_ref(text: str, ctx: Context) -> Result:
    low = " ".join(text.lower().split())
    lex = lexicon()
    for name in ("present_ref", "past_ref", "future_ref"):
        if low in (w.lower() for w in lex[name]):
            return name.upper(), "ref", "absolute", None
    return None, "ref", "absolute", None


def norm_set(text: str, ctx: Context) -> Result:
    low = " ".join(text.lower().split())
    weekday = next((v for k, v in lexicon()["weekdays"].items() if k in low), None)
    if weekday is not None:
        return f"XXXX-WXX-{weekday + 1}", "set", "absolute", None
    value = lexicon()["sets"].get(low)
    return (value, "set", "absolute", None) if value else (None, "set", "absolute", None)


def norm_year_period(text: str, ctx: Context) -> Result:
    """"the year ended March 31", "the fiscal year ending June 30": a twelve-month period."""
    return "P1Y", "duration", "absolute", None


def norm_year_ref(text: str, ctx: Context) -> Result:
    """"the year", "the current fiscal year", "earlier in the year", "year-end": the article's
    year; "the latest fiscal year": the one before it."""
    delta = -1 if "latest" in text.lower() else 0
    if ctx.dct is None:
        return None, "year", "relative", f"year{delta:+d}"
    return str(ctx.dct.year + delta), "year", "dct", None


def norm_year_anaphor(text: str, ctx: Context) -> Result:
    """"the following year", "that same year": after (or at) the last year named in full;
    with none named, "the following year" is the one after the article's."""
    following = "following" in text.lower()
    base = ctx.year if ctx.year is not None else (
        ctx.dct.year if ctx.dct is not None and following else None)
    if base is None:
        return None, "year", "relative", "year+1" if following else None
    return str(base + following), "year", "anchor" if ctx.year is not None else "dct", None


def norm_weekend(text: str, ctx: Context) -> Result:
    """"this weekend": the one of the article's week; "last weekend" the one before it, "next
    weekend" the one after the article's own weekend (or this week's, said on a weekday); "the
    weekend" the last one if the verb looks back, the coming one if it looks forward. Value: the
    ISO week and WE (1990-W32-WE)."""
    low = text.lower()
    if ctx.dct is None:
        return None, "week", "relative", "weekend"
    weekday = ctx.dct.weekday()
    this_saturday = ctx.dct + dt.timedelta(days=5 - weekday)
    in_weekend = weekday >= 5
    week = dt.timedelta(days=7)
    if "last" in low:
        saturday = this_saturday - week
    elif "this" in low and "past" not in low:
        saturday = this_saturday
    elif "next" in low:
        saturday = this_saturday + week if in_weekend else this_saturday
    elif ctx.tense == "future":
        saturday = this_saturday + week if weekday == 6 else this_saturday
    else:
        saturday = this_saturday if in_weekend else this_saturday - week
    return f"{_week(saturday)}-WE", "week", "dct+tense", None


def norm_half(text: str, ctx: Context) -> Result:
    low = text.lower()
    n = 1 if "first" in low else 2
    year, method = _resolve_rel_year(low, ctx)
    if year is None:
        return None, "half", method, f"H{n}"
    return f"{year}-H{n}", "half", method, None


def norm_season(text: str, ctx: Context) -> Result:
    low = text.lower()
    code = next(v for k, v in lexicon()["seasons"].items() if k in low)
    if _years(low) or _SPELLED_YEAR.search(low):
        return f"{_named_year(low)}-{code}", "season", "absolute", None
    if ctx.dct is None:
        return None, "season", "relative", code
    current = _season_of(ctx.dct.month)
    year = ctx.dct.year
    order = _SEASON_ORDER.index
    if "last" in low:
        year = year if order(code) < order(current) else year - 1
    elif "next" in low:
        year = year if order(code) > order(current) else year + 1
    elif "this" not in low and ctx.tense == "past" and order(code) > order(current):
        year -= 1
    elif "this" not in low and ctx.tense == "future" and order(code) < order(current):
        year += 1
    return f"{year}-{code}", "season", "dct", None


def _word_number(words: list[str]) -> int:
    lex = lexicon()
    total = 0
    for w in words:
        total += 10 * lex["tens"][w] if w in lex["tens"] else lex["teens"].get(
            w, lex["numbers"].get(w, 0))
    return total


def _spelled_year(text: str) -> int:
    """'nineteen ninety-six' -> 1996, 'the year two thousand and one' -> 2001."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w not in ("the", "year", "and")]
    if words[:2] == ["two", "thousand"]:
        return 2000 + _word_number(words[2:])
    century = lexicon()["teens"][words[0]] * 100
    if words[1:] == ["hundred"]:
        return century
    return century + _word_number(words[1:])


def norm_spelled_year(text: str, ctx: Context) -> Result:
    return str(_spelled_year(text)), "year", "absolute", None


def norm_holiday(text: str, ctx: Context) -> Result:
    """A holiday's day in the year its tense points to ('Thanksgiving Day' -> 1999-11-25)."""
    key = " ".join(text.lower().split())
    code = str(lexicon()["holidays"][key])
    month = int(code[:2])
    fixed = code[3:].isdigit()
    if ctx.dct is None:
        return (f"XXXX-{code}" if fixed else f"XXXX-{month:02d}"), "day" if fixed else "month", \
            "partial", None
    year = _year_for_month(month, int(code[3:]) if fixed else 15, ctx.dct, ctx.tense)
    if fixed:
        return f"{year:04d}-{code}", "day", "dct+tense", None
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(code[3:5])
    first = dt.date(year, month, 1)
    days = [first + dt.timedelta(days=i) for i in range(31)
            if (first + dt.timedelta(days=i)).month == month
            and (first + dt.timedelta(days=i)).weekday() == weekday]
    day = days[-1] if code[5] == "L" else days[int(code[5]) - 1]
    return day.isoformat(), "day", "dct+tense", None


def norm_decade(text: str, ctx: Context) -> Result:
    m = re.search(r"((?:1[6-9]|20)\d)0s", text)
    if m:
        return m.group(1), "decade", "absolute", None
    words = lexicon()["decades"]
    named = next((words[w] for w in re.findall(r"[a-z]+", text.lower()) if w in words), None)
    if named is not None:  # "the nineties": of the last century that had them
        return f"19{named}", "decade", "absolute", None
    if ctx.dct is None:
        return None, "decade", "relative", "decade"
    decade = ctx.dct.year // 10
    if "next decade" in text.lower():
        decade += 1
    return str(decade), "decade", "dct", None


def norm_relative_day(text: str, ctx: Context) -> Result:
    low = " ".join(text.lower().split())
    offsets = {"yesterday": -1, "last night": -1, "tomorrow": 1}
    low = re.sub(r"^(?:later|earlier)\s+", "", low)
    low = re.sub(r"^(yesterday|tomorrow)\s+\w+$", r"\1", low)
    if "before" in low or "previous" in low:
        base = ctx.anchor or ctx.dct
        if base is None:
            return None, "day", "relative", "P-1D"
        return _day(base - dt.timedelta(days=1)), "day", "anchor" if ctx.anchor else "dct", None
    if "day after" in low or "next day" in low or "following" in low:
        base = ctx.anchor or ctx.dct
        if base is None:
            return None, "day", "relative", "P+1D"
        return _day(base + dt.timedelta(days=1)), "day", "anchor" if ctx.anchor else "dct", None
    offset = offsets.get(low, 0)
    if ctx.dct is None:
        return None, "day", "relative", f"P{offset:+d}D"
    return _day(ctx.dct + dt.timedelta(days=offset)), "day", "dct", None


def norm_ago(text: str, ctx: Context) -> Result:
    low = text.lower()
    low = re.sub(r"^(?:nearly|almost|about|more\s+than|some|roughly|over|just)\s+", "", low)
    m = re.search(r"(\d+|[a-z]+(?: [a-z]+)*?)\s+(day|week|month|year|decade)s?", low)
    assert m is not None
    qty = m.group(1).removeprefix("in ")
    n = _number(qty)
    unit = m.group(2)
    if unit == "decade":  # "two decades ago": the year twenty years before
        n, unit = n * 10, "year"
    sign = -1 if "ago" in low else 1
    if ctx.dct is None:
        return None, unit, "relative", f"P{sign * n:+d}{unit[0].upper()}"
    if unit == "week":  # "six weeks ago": that week
        return _week(ctx.dct + dt.timedelta(days=sign * n * 7)), "week", "dct", None
    if unit == "day":
        return _day(ctx.dct + dt.timedelta(days=sign * n)), "day", "dct", None
    if unit == "month":
        y, mo = _add_months(ctx.dct.year, ctx.dct.month, sign * n)
        return f"{y:04d}-{mo:02d}", "month", "dct", None
    return str(ctx.dct.year + sign * n), "year", "dct", None


def norm_relative_unit(text: str, ctx: Context) -> Result:
    low = " ".join(text.lower().split())
    unit = next(u for u in ("week", "month", "year") if u in low)
    delta = -1 if ("last" in low or "past" in low or "previous" in low) else (
        1 if ("next" in low or "coming" in low) else 0)
    if ctx.dct is None:
        return None, unit, "relative", f"{unit}{delta:+d}"
    if unit == "week":
        return _week(ctx.dct + dt.timedelta(days=7 * delta)), "week", "dct", None
    if unit == "month":
        y, mo = _add_months(ctx.dct.year, ctx.dct.month, delta)
        return f"{y:04d}-{mo:02d}", "month", "dct", None
    return str(ctx.dct.year + delta), "year", "dct", None


def norm_weekday(text: str, ctx: Context) -> Result:
    low = text.lower()
    weekday = next(v for k, v in lexicon()["weekdays"].items() if k in low)
    direction = "future" if low.startswith("next") else (
        "past" if low.startswith("last") else ctx.tense or "past")
    if ctx.dct is None:
        return None, "day", "relative", f"weekday:{weekday}:{direction}"
    diff = (weekday - ctx.dct.weekday()) % 7
    if diff == 0 and not low.startswith(("next", "last")):
        day = ctx.dct  # the article's own weekday is its day, whatever the tense
    elif direction == "future":
        day = ctx.dct + dt.timedelta(days=diff or 7)
    elif low.startswith("this") and diff:
        day = ctx.dct + dt.timedelta(days=diff)
    elif diff == 0 and not low.startswith("last"):
        day = ctx.dct  # "the Kremlin said Monday" in an article of that Monday: the same day
    else:
        day = ctx.dct - dt.timedelta(days=(7 - diff) % 7 or 7)
    return _day(day), "day", "dct+tense", None


_PART_CODES = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
               "tonight": "NI", "overnight": "NI"}


def _clock(text: str) -> str | None:
    """"7:15 p.m." -> "19:15", "noon" -> "12:00"."""
    low = text.lower()
    if re.search(r"\bnoon\b", low):
        return "12:00"
    if "midnight" in low:
        return "24:00"
    m = re.search(r"(\d{1,2})(?::(\d\d))?\s*([ap])\.?m", low)
    if m is None:
        return None
    hour = int(m.group(1)) % 12 + (12 if m.group(3) == "p" else 0)
    return f"{hour:02d}:{m.group(2) or '00'}"


def time_of_day(text: str, day: str | None) -> str | None:
    """The TIMEX3 value of a time of day on ``day``: "10 p.m. Wednesday" -> day + "T22:00",
    "Friday morning" -> day + "TMO"."""
    if not day or len(day) != 10:
        return None
    clock = _clock(text)
    if clock:
        return f"{day}T{clock}"
    low = text.lower()
    part = next((code for word, code in _PART_CODES.items() if re.search(rf"\b{word}\b", low)),
                None)
    return f"{day}T{part}" if part else None


def norm_clock(text: str, ctx: Context) -> Result:
    """A clock time, on the day it names (a weekday, a date, "tomorrow") or the article's."""
    rest = re.sub(r"^.*?(?:[aApP]\.[mM]\.?|\b[aApP][mM]\b|[nN]oon|[mM]idnight)"
                  r"(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET))?,?\s*(?:on\s+)?",
                  "", text)
    if rest:
        for norm in (norm_date, norm_weekday, norm_relative_day):
            try:
                value, granularity, method, relative = norm(rest, ctx)
            except (StopIteration, IndexError, ValueError):
                continue
            if value and granularity == "day":
                return value, "day", method, None
    if ctx.dct is None:
        return None, "day", "relative", "P+0D"
    return _day(ctx.dct), "day", "dct", None


NORMALISERS: dict[str, Callable[[str, Context], Result]] = {
    "clock": norm_clock,
    "range_days": norm_range_days,
    "range_months": norm_range_months,
    "range_years": norm_range_years,
    "day_range": norm_day_range,
    "iso_day": norm_iso_day,
    "date": norm_date,
    "day_month": norm_date,
    "month_year": norm_month_year,
    "month_rel_year": norm_month_rel_year,
    "year_period": norm_year_period,
    "year_ref": norm_year_ref,
    "weekend": norm_weekend,
    "year_anaphor": norm_year_anaphor,
    "quarter": norm_quarter,
    "quarter_ref": norm_quarter_ref,
    "duration": norm_duration,
    "ref": norm_ref,
    "set": norm_set,
    "half": norm_half,
    "season": norm_season,
    "decade": norm_decade,
    "spelled_year": norm_spelled_year,
    "holiday": norm_holiday,
    "relative_day": norm_relative_day,
    "ago": norm_ago,
    "relative_unit": norm_relative_unit,
    "month_mod": norm_month_mod,
    "year_mod": norm_year_mod,
    "weekday": norm_weekday,
    "month": norm_month,
    "year": norm_year,
}

# -- recognition --------------------------------------------------------------------------------

_BARE_MAY_OK = re.compile(
    r"(?i:\b(?:in|by|since|until|till|from|of|early|late|mid|last|next|this|before|after|during|"
    r"through|to|and|or|between|on)\s*-?\s*)$")
_LEADING_PREP = re.compile(r"(?i)^(?:on|in|by|since|until|till|at|through|during)\s+")


def _season_ok(text: str, start: int, span: str) -> bool:
    """'in spring', 'last summer', 'the summer of 1998' — not 'Winter Olympics'."""
    words = span.lower().split()
    if len(words) > 1 and words[0] != "the":
        return True
    if re.search(r"\d{4}", span):
        return True
    if span[0].isupper() and start > 0 and text[max(0, start - 2):start].strip() not in ("", ".", "!", "?"):
        return False
    before = text[max(0, start - 20):start].split()
    after = text[start + len(span):start + len(span) + 15].split()
    if after and after[0][:1].isupper():
        return False
    cues = set(lexicon()["season_cues"])
    return bool(before) and before[-1].lower() in cues


def _month_is_a_name(text: str, end: int, span: str) -> bool:
    """'Jan Kavan': a month abbreviation without its full stop, before a capitalised word."""
    return span.isalpha() and span.lower() not in ("may", "june", "july") and len(span) <= 4 \
        and bool(re.match(r"\s+[A-Z][a-z]", text[end:end + 3]))


def _is_a_title(text: str, start: int, span: str) -> bool:
    """'60 Minutes', 'Seven Days': a capitalised unit inside a sentence names a title."""
    unit = re.search(r"(?i)(?:minute|hour|day|week|month|year|decade)s?\b", span)
    return unit is not None and unit.group(0)[0].isupper() and \
        not re.search(r"(?:^|[.!?]\s+)$", text[max(0, start - 3):start])


def _ref_ok(text: str, start: int, end: int, span: str) -> bool:
    """'as soon as', 'soon after': a conjunction, not a time; 'the past century': a modifier of
    the unit, not PAST_REF."""
    low = span.lower()
    after = text[end:end + 12].lower()
    if low == "soon":
        return not (re.search(r"\bas\s+$", text[max(0, start - 4):start].lower())
                    or re.match(r"\s+(?:after|as)\b", after))
    if low.endswith("the past"):
        return not re.match(r"\s+(?:\d|(?:centur|decade|year|month|week|day|hour)\w*\b)", after)
    return True


def recognise(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, kind)`` spans, longest first, then pattern order."""
    lex = lexicon()
    blockers = {b.lower() for b in lex["year_blockers"]}
    candidates: list[tuple[int, int, int, str]] = []
    for rank, pattern in enumerate(patterns()):
        for m in pattern.regex.finditer(text):
            start, end = m.span()
            span = text[start:end]
            if pattern.kind in ("year", "year_mod", "month_year", "date"):
                after = text[end:end + 20].lstrip().lower()
                if pattern.kind == "year" and (after.split(" ", 1)[0].strip(".,;") in blockers
                                                or after.startswith("%")):
                    continue
            if pattern.kind == "month" and span.rstrip(".") == "May":
                if not _BARE_MAY_OK.search(text[max(0, start - 12):start]):
                    continue
            if pattern.kind == "season" and not _season_ok(text, start, span):
                continue
            if pattern.kind == "duration" and _is_a_title(text, start, span):
                continue
            if pattern.kind == "month" and _month_is_a_name(text, end, span):
                continue
            if pattern.kind == "ref" and not _ref_ok(text, start, end, span):
                continue
            candidates.append((start, end, rank, pattern.kind))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int, str]] = []
    for start, end, _rank, kind in candidates:
        if any(start < e and s < end for s, e, _ in taken):
            continue
        taken.append((start, end, kind))
    return sorted(taken)


def find_timexes(
    text: str,
    dct: str | dt.date | None,
    tense_of: Callable[[int, int], Tense] | None = None,
) -> list[TimeExpr]:
    """Every time expression in ``text`` with its normalised value.

    ``tense_of(start, end)`` tells whether the verb governing a span looks back or forward (see
    :func:`storyline.annotate.tense.tense_at`); without it a cue-word heuristic decides.
    """
    dct_date = _parse_dct(dct)
    tense_fn = tense_of or (lambda s, e: heuristic_tense(text, s, e))
    found: list[TimeExpr] = []
    anchor: dt.date | None = None
    quarter: tuple[int, int] | None = None
    named_year: int | None = None
    for start, end, kind in recognise(text):
        span = text[start:end]
        needs_tense = kind in ("weekday", "clock", "month", "day_month", "date", "day_range",
                               "holiday", "weekend",
                               "range_days", "range_months", "season", "month_mod")
        tense = tense_fn(start, end) if needs_tense else None
        if kind == "ago" and quarter is not None and re.fullmatch(r"(?i)(?:a|one)\s+year\s+ago",
                                                                  span):
            kind = "quarter_ref"  # "sales rose 5% from a year ago": that quarter a year before
        ctx = Context(dct_date, tense, anchor, quarter, named_year)
        try:
            value, granularity, method, relative = NORMALISERS[kind](span, ctx)
        except (StopIteration, IndexError, ValueError):
            continue
        if value is None and relative is None and method != "partial":
            continue
        if granularity == "day" and value and not value.startswith("X") and "/" not in value:
            anchor = dt.date.fromisoformat(value)
        if method == "absolute" and value and re.match(r"\d{4}(?!\d)", value):
            named_year = int(value[:4])
        if kind == "quarter" and value and _reported_quarter(
                (int(value[:4]), int(value[-1])), quarter, dct_date):
            quarter = int(value[:4]), int(value[-1])
        clock = time_of_day(span, value) if kind in ("clock", "weekday", "relative_day") \
            else None
        found.append(TimeExpr(text=span, start=start, end=end, value=value,
                              granularity=granularity, kind=kind, method=method,
                              relative=relative, tense=tense, timex3=clock))
    return found


def _reported_quarter(named: tuple[int, int], last: tuple[int, int] | None,
                      dct: dt.date | None) -> bool:
    """Is a quarter just named the one the report is now about ("the quarter", "the latest
    period")? The first one named is, unless it is still to come. After it, a quarter not yet
    over is an outlook ("expects losses to continue into the fourth quarter") and an earlier
    quarter of the same year a comparison ("after a flat second quarter")."""
    current = (dct.year, (dct.month - 1) // 3 + 1) if dct is not None else None
    if last is None:
        return current is None or named <= current
    if current is not None and named >= current:
        return False
    return named[0] != last[0] or named[1] > last[1]


def _parse_dct(dct: str | dt.date | None) -> dt.date | None:
    if dct is None or isinstance(dct, dt.date):
        return dct
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", dct)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


_FUTURE_CUE = re.compile(
    r"(?i)\b(?:will|shall|'ll|is|are)\s+(?:\w+\s+)?(?:due|set|expected|scheduled|going)\b|"
    r"\b(?:will|shall|would|could|might)\b|'ll\b|\b(?:plans?|aims?|intends?|hopes?)\s+to\b")
_PAST_CUE = re.compile(r"(?i)\b(?:was|were|had|has|have|did|said|\w+ed)\b")


def heuristic_tense(text: str, start: int, end: int) -> Tense:
    """Without a parse: forward-looking cue words in the clause before the span, else the past."""
    clause_start = max(text.rfind(".", 0, start), text.rfind(";", 0, start), 0)
    clause = text[clause_start:start]
    if _FUTURE_CUE.search(clause):
        return "future"
    if _PAST_CUE.search(clause):
        return "past"
    return None


def strip_preposition(text: str) -> str:
    return _LEADING_PREP.sub("", text)
