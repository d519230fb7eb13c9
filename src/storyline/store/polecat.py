"""POLECAT event records (JSON Lines) from the store, with the field names and nesting of the
records NGEC — the coder that produces the POLECAT dataset — writes, plus PLOVER JSON's
``link``, ``quad_code`` and ``text_info`` fields and storyline's own ``modality`` and
``confidence``. The schema is ``data/polecat.schema.json``; the README's "Exports" section
documents every field.

One record per event mention (a sentence of one story), as POLECAT has. A linked event's
mentions share its ``link`` id. Modality: PLOVER writes the auxiliary modes future, hypothetical
and negation into ``contexts`` (PLOVER manual, "Auxiliary modes"), and so does this export; by
default every modality goes out (PLOVER notes negated events "can be excluded": pass
``modalities``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import IO, Any

from storyline.store.gdelt import country_names

#: storyline modality -> PLOVER auxiliary mode (written into ``contexts``)
AUXILIARY = {"future": "future", "hypothetical": "hypothetical", "negated": "negation"}
#: PLOVER's four groups (quad codes): 1 verbal cooperation, 2 material cooperation, 3 verbal
#: conflict, 4 material conflict (DESIGN.md, PLOVER manual)
QUAD_CODE = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2,
             "RETREAT": 2, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4,
             "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}

_SQL = """
    SELECT e.id, e.article_id, e.type, e.mode, e.sentence, e.char_start, e.char_end,
           e.trigger, e.trigger_start, e.trigger_end, e.actors, e.recipients, e.contexts,
           e.date, e.place, e.modality, e.confidence, e.linked_id, a.url, a.source, a.title,
           a.published, a.pipeline_version, a.language
    FROM events e JOIN articles a ON a.id = e.article_id
    ORDER BY e.sort_key, e.id"""


def _party(ref: dict[str, Any], text: str) -> dict[str, Any]:
    start, end = ref.get("start"), ref.get("end")
    spoken = text[start:end] if start is not None and end is not None else None
    country = ref.get("country") or ""
    return {
        "text": spoken if spoken else ref.get("name") or "",
        "qa_start_char": start, "qa_end_char": end,
        "wiki": None,  # storyline does not resolve actors to Wikipedia
        "actor_id": ref.get("id"),
        "name": ref.get("name") or "",
        "country": country,
        "country_name": country_names().get(country)
        or ("Intergovernmental Organization" if country == "IGO" else ""),
        "code_1": ref.get("sector") or "",
        "code_2": "",
    }


def _geolocation(place: dict[str, Any] | None) -> dict[str, Any]:
    if not place or not place.get("name"):
        return {"geo": None, "reason": "no place resolved for this event"}
    geonameid = place.get("geonameid")
    return {"geo": {
        "resolved_placename": place["name"],
        "search_placename": place["name"],
        "geonameid": None if geonameid is None else str(geonameid),
        "country_code3": place.get("country") or "",
        "admin1_name": place.get("admin1") or "",
        "lat": place.get("lat"), "lon": place.get("lon"),
        "feature_type": place.get("kind") or "",
    }, "reason": f"event place ({place.get('method') or 'resolved'})"}


def record(row: dict[str, Any], text: str) -> dict[str, Any]:
    """One POLECAT record of a stored event row (its JSON columns decoded) and its article text."""
    date = row["date"] or {}
    contexts = list(row["contexts"])
    aux = AUXILIARY.get(row["modality"] or "")
    if aux and aux not in contexts:
        contexts.append(aux)
    place = row["place"]
    published = row["published"]
    return {
        "id": row["id"],
        "date": published,
        "pub_date": published,
        "date_resolved": date.get("value"),
        "date_raw": None,  # storyline keeps the normalised value, not the words
        "date_granularity": date.get("granularity"),
        "date_method": date.get("method"),
        "event_type": row["type"],
        "event_mode": [row["mode"]] if row["mode"] else [],
        "contexts": contexts,
        "quad_code": QUAD_CODE.get(row["type"]),
        "event_text": text[row["char_start"]:row["char_end"]] if row["char_start"] is not None
        else "",
        "text_info": {"sequence": row["sentence"], "start": row["char_start"],
                      "end": row["char_end"], "trigger": row["trigger"],
                      "trigger_start": row["trigger_start"], "trigger_end": row["trigger_end"]},
        "story_id": row["article_id"],
        "publisher": row["source"],
        "headline": row["title"],
        "url": row["url"],
        "language": row["language"],
        "attributes": {
            "ACTOR": [_party(r, text) for r in row["actors"]],
            "RECIP": [_party(r, text) for r in row["recipients"]],
            "LOC": [] if not place or not place.get("name") else [{
                "text": place["name"], "qa_start_char": place.get("start"),
                "qa_end_char": place.get("end")}],
        },
        "event_geolocation": _geolocation(place),
        "link": row["linked_id"],
        "modality": row["modality"],
        "confidence": row["confidence"],
        "version": row["pipeline_version"],
    }


def records(conn: sqlite3.Connection, modalities: frozenset[str] | None = None
            ) -> Iterator[dict[str, Any]]:
    """Every event mention of the chosen modalities (None: all) as a POLECAT record."""
    texts: dict[str, str] = {}
    for r in conn.execute(_SQL):
        if modalities is not None and r["modality"] not in modalities:
            continue
        row = dict(r)
        for key in ("actors", "recipients", "contexts"):
            row[key] = json.loads(row[key] or "[]")
        for key in ("date", "place"):
            row[key] = json.loads(row[key]) if row[key] else None
        if row["article_id"] not in texts:
            if len(texts) >= 64:
                texts.pop(next(iter(texts)))
            found = conn.execute("SELECT text FROM articles WHERE id = ?",
                                 (row["article_id"],)).fetchone()
            texts[row["article_id"]] = found[0] if found else ""
        yield record(row, texts[row["article_id"]])


def write(conn: sqlite3.Connection, out: IO[bytes], modalities: frozenset[str] | None = None
          ) -> int:
    count = 0
    for rec in records(conn, modalities):
        out.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
        count += 1
    return count
