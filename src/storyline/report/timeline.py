"""Timelines: the linked events of a story, an actor or a pair of actors, oldest first, each with
its date and granularity, a one-line summary and the sentences of its sources.

Actors are ISO codes (``RUS``), sector codes (``IGO``) or actor ids; a dyad is two of them in either
direction. Year-less dates that linking could not place sort last.
"""

from __future__ import annotations

import json
from typing import Any

from storyline.link import dates


def _linked_ids(conn: Any, story: str | None, actor: str | None,
                dyad: tuple[str, str] | None) -> list[str]:
    if story:
        return [r[0] for r in conn.execute(
            """SELECT DISTINCT e.linked_id FROM events e JOIN articles a ON a.id = e.article_id
               WHERE a.story_id = ? AND e.linked_id IS NOT NULL""", (story,))]
    codes = [actor] if actor else list(dyad or ())
    found: dict[str, set[str]] = {}
    for code in codes:
        key = code.upper() if len(code) <= 3 else code
        found[code] = {r[0] for r in conn.execute(
            """SELECT DISTINCT e.linked_id FROM event_codes c JOIN events e ON e.id = c.event_id
               WHERE (c.code = ? OR c.actor_id = ?) AND e.linked_id IS NOT NULL""", (key, code))}
    if actor:
        return sorted(found[actor])
    a, b = codes
    return sorted(found[a] & found[b])


def timeline(conn: Any, story: str | None = None, actor: str | None = None,
             dyad: tuple[str, str] | None = None, limit: int = 500) -> dict[str, Any]:
    """``{"entries": [{"date": {"value", "granularity"}, "summary", "place" (name, country,
    lat, lon, ... or None), "event_ids", "sources": [{"article_id", "sentence", "outlet",
    "published"}], "polarity"
    ('' asserted, 'negated', 'hypothetical'), "denies" (the id of the asserted entry a denial is
    about, or None)}]}``, oldest first. Denials link only with denials: their sources never
    count for the event they deny."""
    ids = _linked_ids(conn, story, actor, dyad)
    entries = []
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT * FROM linked_events WHERE id IN ({marks})", chunk).fetchall()
        mentions: dict[str, list[Any]] = {}
        for m in conn.execute(
                f"""SELECT e.id, e.linked_id, e.article_id, a.published, a.source,
                           substr(a.text, e.char_start + 1, e.char_end - e.char_start) AS sentence
                    FROM events e JOIN articles a ON a.id = e.article_id
                    WHERE e.linked_id IN ({marks}) ORDER BY a.published, e.article_id,
                    e.char_start""", chunk):
            mentions.setdefault(m["linked_id"], []).append(m)
        for row in rows:
            value = row["date_value"]
            date = json.loads(row["date"]) if row["date"] else {}
            sources, seen = [], set()
            for m in mentions.get(row["id"], []):
                key = (m["article_id"], m["sentence"])
                if key not in seen:
                    seen.add(key)
                    sources.append({"article_id": m["article_id"],
                                    "sentence": " ".join(str(m["sentence"]).split()),
                                    "outlet": m["source"] or None,
                                    "published": m["published"] or None})
            entries.append({
                "id": row["id"], "type": row["type"], "polarity": row["polarity"] or "",
                "actors": json.loads(row["actors"] or "[]"),
                "recipients": json.loads(row["recipients"] or "[]"),
                "date": {"value": value, "granularity": date.get("granularity")
                         or (dates.granularity(value) if value else None)},
                "summary": row["summary"],
                "place": json.loads(row["place"]) if row["place"] else None,
                "event_ids": [m["id"] for m in mentions.get(row["id"], [])],
                "sources": sources,
            })
    for e in entries:  # a denial is shown with the event it denies, never as its source
        e["denies"] = _denied(e, entries) if e["polarity"] else None
    entries.sort(key=_order)
    return {"entries": entries[:limit]}


def _codes(parties: list[dict[str, Any]]) -> set[str]:
    return {str(p.get("country") or p.get("sector") or "") for p in parties} - {""}


def _denied(entry: dict[str, Any], entries: list[dict[str, Any]]) -> str | None:
    """The asserted entry a denial or supposition is about: same type, a shared actor; the one
    that shares most recipients, then has most sources."""
    about = [o for o in entries if not o["polarity"] and o["type"] == entry["type"]
             and _codes(o["actors"]) & _codes(entry["actors"])]
    best = max(about, key=lambda o: (
        len(_codes(o["recipients"]) & _codes(entry["recipients"])),
        len({s["article_id"] for s in o["sources"]}), o["id"]), default=None)
    return best["id"] if best else None


def _order(entry: dict[str, Any]) -> tuple[int, str, str]:
    value = entry["date"]["value"] or ""
    return (0 if dates.has_year(value) else 1, value, entry["summary"] or "")


def as_text(data: dict[str, Any]) -> str:
    lines = []
    for e in data["entries"]:
        when = e["date"]["value"] or "undated"
        n = len({s["article_id"] for s in e["sources"]})
        lines.append(f"{when:<24} {e['summary']}  [{n} source{'s' if n != 1 else ''}]")
        for s in e["sources"]:
            lines.append(f"    [{_cite(s)}] {s['sentence']}")
    return "\n".join(lines) if lines else "no events"


def _cite(source: dict[str, Any]) -> str:
    """"USA Today 2011-11-10 · 60e98b63a19a1d08": outlet and date as a reader cites them, the
    article id to look it up (``storyline show``)."""
    said = " ".join(str(x) for x in (source.get("outlet"), (source.get("published") or "")[:10])
                    if x)
    return f"{said} · {source['article_id']}" if said else str(source["article_id"])


def as_markdown(data: dict[str, Any], title: str = "Timeline") -> str:
    lines = [f"# {title}", ""]
    for e in data["entries"]:
        when = e["date"]["value"] or "undated"
        lines.append(f"- **{when}** — {e['summary']}")
        for s in e["sources"]:
            lines.append(f"  - > {s['sentence']} ({_cite(s)})")
    if len(lines) == 2:
        lines.append("No events.")
    return "\n".join(lines) + "\n"
