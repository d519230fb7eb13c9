"""A story's headline, generated from its event data: the dominant linked event (asserted, reported
by the most sources) with its date, summary, place and source count, and the denials of it —
"10 Nov 2011 — Sudan attacks South Sudan, in Yida (9 sources); denied (4)". Every part comes from
the linked events, which cite their sentences; nothing is invented. Without linked events the
story keeps the headline of its most central article, and so does a story whose main event only
one outlet reports.
"""

from __future__ import annotations

import json
from typing import Any

from storyline.link import dates

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _day(value: str | None) -> str:
    """'10 Nov 2011', 'Nov 2011', '2011'; '' for a year-less or missing date."""
    year, month, day = dates.parts(value)
    if not year:
        return ""
    if month and day:
        return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
    return f"{_MONTHS[int(month) - 1]} {year}" if month else str(year)


#: Sources a linked event needs to head its story.
MIN_SOURCES = 2


def _codes(actors_json: str | None) -> set[str]:
    return {str(p.get("country") or p.get("sector") or "")
            for p in json.loads(actors_json or "[]")} - {""}


def story_headline(conn: Any, story_id: str) -> str | None:
    """The generated headline of a story, or None when no asserted event of it is reported by two
    sources or more (one outlet's reading is not yet the story's headline)."""
    rows = conn.execute(
        """SELECT l.id, l.type, l.summary, l.sources, l.confidence, l.date_value, l.place,
                  l.actors, l.recipients, l.polarity
           FROM linked_events l WHERE l.id IN (
               SELECT DISTINCT e.linked_id FROM events e JOIN articles a ON a.id = e.article_id
               WHERE a.story_id = ? AND e.linked_id IS NOT NULL)""", (story_id,)).fetchall()
    asserted = [r for r in rows if not r["polarity"]]
    if not asserted:
        return None
    # most sources; then one actor acting on another before an event with no other side
    lead = max(asserted, key=lambda r: (r["sources"],
                                        bool(_codes(r["recipients"]) - _codes(r["actors"])),
                                        r["confidence"] or 0,
                                        dates.has_year(r["date_value"] or ""), r["id"]))
    if lead["sources"] < MIN_SOURCES:
        return None
    place = json.loads(lead["place"]) if lead["place"] else None
    where = ""
    if place and place.get("name") and place["name"].lower() not in lead["summary"].lower():
        where = f", in {place['name']}"
    n = lead["sources"]
    text = f"{lead['summary']}{where} ({n} source{'s' if n != 1 else ''})"
    denials = [r for r in rows if r["polarity"] == "negated" and r["type"] == lead["type"]
               and _codes(r["actors"]) & _codes(lead["actors"])]
    if denials:
        text += f"; denied ({sum(r['sources'] for r in denials)})"
    when = _day(lead["date_value"])
    return f"{when} — {text}" if when else text

