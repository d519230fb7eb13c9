"""Briefings: a short extractive summary of a story (or of a pair of actors over a period) that
cites every sentence, then key quotes and key figures.

The sentences are the articles' own: for the linked events reported by most sources, the most
compact sentence that reports each, in time order, near-repeats dropped (their citations merged).
Where sources disagree — two values for the same figure, two dates for the same event — the
briefing says so and cites both sides. Nothing is generated that the articles do not say.
"""

from __future__ import annotations

import json
import re
from typing import Any

from storyline.link import dates
from storyline.report.timeline import _linked_ids

WORD = re.compile(r"[\w'-]+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def _similar(a: str, b: str, threshold: float = 0.5) -> bool:
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= threshold


def _compact(sentences: list[str]) -> str:
    """The sentence that tells the event as most of its sources do: of those that say
    something (eight to sixty words), the one sharing most words with the others (the same
    sentence in two outlets counts twice), the shorter on a tie."""
    words = [_words(s) for s in sentences]

    def centrality(i: int) -> float:
        return sum(len(words[i] & w) / len(words[i] | w) for j, w in enumerate(words)
                   if j != i and words[i] and w)

    ranked = sorted(range(len(sentences)), key=lambda i: (
        not 8 <= len(sentences[i].split()) <= 60, -round(centrality(i), 6), len(sentences[i]),
        sentences[i]))
    return sentences[ranked[0]]


def brief(conn: Any, story: str | None = None, dyad: tuple[str, str] | None = None,
          since: str | None = None, until: str | None = None, max_sentences: int = 6
          ) -> dict[str, Any]:
    ids = _linked_ids(conn, story, None, dyad)
    linked = []
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join("?" * len(chunk))
        linked += [dict(r) for r in conn.execute(
            f"SELECT * FROM linked_events WHERE id IN ({marks})", chunk)]
    if since:
        linked = [e for e in linked if (e["date_value"] or "") >= since]
    if until:
        linked = [e for e in linked if (e["date_value"] or "") <= until + "Z"]
    mentions: dict[str, list[dict[str, Any]]] = {}
    for e in linked:
        mentions[e["id"]] = [dict(r) for r in conn.execute(
            """SELECT e.id, e.article_id, e.date, e.modality,
                      substr(a.text, e.char_start + 1, e.char_end - e.char_start) AS sentence
               FROM events e JOIN articles a ON a.id = e.article_id WHERE e.linked_id = ?
               ORDER BY e.article_id, e.char_start""", (e["id"],))]
    # asserted events first: a denial or a supposition never leads, however many sources it has
    ranked = sorted(linked, key=lambda e: (bool(e.get("polarity")), -e["sources"],
                                           -(e["confidence"] or 0), e["id"]))
    chosen: list[dict[str, Any]] = []
    for e in ranked:
        # the sentences that tell it as done (not "intends to invade soon") when there are any
        told = [m for m in mentions[e["id"]] if m["modality"] not in ("future", "hypothetical")]
        texts = [" ".join(str(m["sentence"]).split()) for m in told or mentions[e["id"]]]
        if not texts:
            continue
        text = _compact(texts)
        articles = sorted({m["article_id"] for m in mentions[e["id"]]})
        date = {"value": e["date_value"], "granularity": dates.granularity(e["date_value"])
                if e["date_value"] else None}
        same = next((c for c in chosen if _similar(c["text"], text)), None)
        if same is not None:
            same["article_ids"] = sorted(set(same["article_ids"]) | set(articles))
            continue
        if len(chosen) < max_sentences:
            chosen.append({"text": text, "article_ids": articles, "date": date,
                           "summary": e["summary"], "linked_id": e["id"],
                           "polarity": e.get("polarity") or "",
                           "denies": denied_event(e, linked) if e.get("polarity") else None})
    # the lead: the asserted event most sources report; then the rest in time order
    lead = chosen[:1] if chosen and not chosen[0]["polarity"] else []
    chosen = lead + sorted(chosen[len(lead):], key=lambda c: (
        0 if dates.has_year(c["date"]["value"]) else 1, c["date"]["value"] or ""))
    _cite(conn, chosen)
    article_ids = sorted({m["article_id"] for ms in mentions.values() for m in ms})
    if story:
        article_ids = sorted(set(article_ids) | {r[0] for r in conn.execute(
            "SELECT id FROM articles WHERE story_id = ?", (story,))})
    disagreements = _date_disagreements(chosen, mentions) + _figure_disagreements(conn,
                                                                                   article_ids)
    title = None
    if story:
        row = conn.execute("SELECT title, start, end FROM stories WHERE id = ?", (story,)).fetchone()
        title = row["title"] if row else None
    return {"title": title or (" – ".join(dyad) if dyad else story), "sentences": chosen,
            "quotes": _key_quotes(conn, article_ids), "figures": _key_figures(conn, article_ids),
            "disagreements": disagreements, "article_ids": article_ids,
            "outlets": _outlets(conn, article_ids)}


def _outlets(conn: Any, article_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each article's outlet and publication date, to cite quotes and figures as sentences are."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in (article_ids[i:i + 500] for i in range(0, len(article_ids), 500)):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
                f"SELECT id, source, published FROM articles WHERE id IN ({marks})", chunk):
            found[row[0]] = {"outlet": row[1] or None, "published": row[2] or None}
    return found


def denied_event(e: dict[str, Any], linked: list[dict[str, Any]]) -> str | None:
    """The asserted linked event a denial (or supposition) is about: same type, a shared actor,
    the most sources."""
    def codes(row: dict[str, Any], side: str = "actors") -> set[str]:
        return {str(p.get("country") or p.get("sector") or "") for p in
                json.loads(row[side] or "[]")} - {""}

    about = [o for o in linked if not o.get("polarity") and o["type"] == e["type"]
             and codes(o) & codes(e)]
    best = max(about, key=lambda o: (len(codes(o, "recipients") & codes(e, "recipients")),
                                     o["sources"], o["id"]), default=None)
    return best["id"] if best else None


def _cite(conn: Any, chosen: list[dict[str, Any]]) -> None:
    """Each sentence's sources as a reader cites them: outlet and publication date."""
    ids = sorted({a for c in chosen for a in c["article_ids"]})
    rows: dict[str, Any] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join("?" * len(chunk))
        rows.update({r["id"]: r for r in conn.execute(
            f"SELECT id, source, published FROM articles WHERE id IN ({marks})", chunk)})
    for c in chosen:
        c["sources"] = [{"article_id": a, "outlet": rows[a]["source"] if a in rows else None,
                         "published": rows[a]["published"] if a in rows else None}
                        for a in c["article_ids"]]


def citation(source: dict[str, Any]) -> str:
    """'Reuters 2011-11-10'; the article id stands in for an unknown outlet."""
    outlet = source.get("outlet") or source["article_id"]
    return f"{outlet} {source['published']}" if source.get("published") else str(outlet)


def _date_disagreements(chosen: list[dict[str, Any]], mentions: dict[str, list[dict[str, Any]]]
                        ) -> list[dict[str, Any]]:
    out = []
    for c in chosen:
        said: dict[str, set[str]] = {}
        for m in mentions[c["linked_id"]]:
            date = json.loads(m["date"]) if m["date"] else None
            value = (date or {}).get("value")
            if date and date.get("method") == "sentence" and dates.parts(value)[2] and \
                    dates.has_year(value):
                said.setdefault(str(value), set()).add(m["article_id"])
        if len(said) > 1:
            out.append({"about": c["summary"], "kind": "date",
                        "values": [{"value": v, "article_ids": sorted(a)}
                                   for v, a in sorted(said.items())]})
    return out


def _figures(conn: Any, article_ids: list[str], with_context: bool = False
             ) -> list[dict[str, Any]]:
    if not article_ids:
        return []
    marks = ",".join("?" * len(article_ids))
    context = (", substr(a.text, max(1, q.char_start - 120), q.char_end - q.char_start + 240) "
               "AS context") if with_context else ""
    return [dict(r) for r in conn.execute(
        f"""SELECT q.article_id, q.text, q.normalized_value, q.normalized_unit, q.measures, q.year
                   {context}
            FROM quantities q JOIN articles a ON a.id = q.article_id
            WHERE q.article_id IN ({marks}) AND q.normalized_value IS NOT NULL
            ORDER BY q.article_id, q.char_start""", article_ids)]


#: Units whose figures are never set against each other as one figure.
NOT_COMPARED = frozenset({"day", "week", "month", "year", "km", "mile", "m", "km2", "ha"})


def _figure_disagreements(conn: Any, article_ids: list[str]) -> list[dict[str, Any]]:
    """Two articles giving different values for what looks like the same figure: same unit and
    year, and either the same thing measured or the same words around it ("a loan deal of 1.5
    billion dollars for the Mombasa port" / "a loan agreement for the Mombasa port upgrade worth
    1.2 billion dollars")."""
    # spans of time and distances are too often different spans and places of one story ("the
    # bombing went on for three days", "the camp lies 20 km from the border") to compare
    figures = [f for f in _figures(conn, article_ids, with_context=True)
               if f["normalized_unit"] and f["normalized_unit"] not in NOT_COMPARED]
    out: list[dict[str, Any]] = []
    used: set[int] = set()
    for i, a in enumerate(figures):
        if i in used:
            continue
        group = [a]
        words_a = _words(a["context"]) - _words(a["text"])
        for j in range(i + 1, len(figures)):
            b = figures[j]
            if j in used or b["article_id"] == a["article_id"] or \
                    b["normalized_unit"] != a["normalized_unit"] or b["year"] != a["year"]:
                continue
            same_thing = a["measures"] and a["measures"].lower() == (b["measures"] or "").lower()
            shared = words_a & (_words(b["context"]) - _words(b["text"])) - STOP
            if same_thing or len(shared) >= 3:
                group.append(b)
                used.add(j)
        values: dict[float, set[str]] = {}
        texts: dict[float, str] = {}
        for f in group:
            values.setdefault(f["normalized_value"], set()).add(f["article_id"])
            texts.setdefault(f["normalized_value"], f["text"])
        if len(values) > 1:
            named = next((f["measures"] for f in group if f["measures"]), None)
            out.append({"about": named or a["text"],
                        "kind": "figure",
                        "values": [{"value": texts[v], "article_ids": sorted(arts)}
                                   for v, arts in sorted(values.items())]})
    return out


STOP = frozenset("""the a an and or of to in on at for with by from as that this is are was were be
been has have had will would could should may it its their his her they he she said says not but
after before over about into than then there which who what when where also more""".split())


def _key_figures(conn: Any, article_ids: list[str], limit: int = 6) -> list[dict[str, Any]]:
    seen: dict[tuple[str, Any], dict[str, Any]] = {}
    for f in _figures(conn, article_ids):
        if not f["measures"]:
            continue
        key = (f["measures"].lower(), f["normalized_value"])
        if key in seen:
            seen[key]["article_ids"] = sorted(set(seen[key]["article_ids"]) | {f["article_id"]})
        else:
            seen[key] = {"text": f["text"], "measures": f["measures"],
                         "article_ids": [f["article_id"]]}
    ranked = sorted(seen.values(), key=lambda f: -len(f["article_ids"]))
    return ranked[:limit]


def _key_quotes(conn: Any, article_ids: list[str], limit: int = 3) -> list[dict[str, Any]]:
    if not article_ids:
        return []
    marks = ",".join("?" * len(article_ids))
    rows = conn.execute(
        f"""SELECT q.article_id, q.content, q.kind, coalesce(a.name, q.speaker_name) AS speaker
            FROM quotes q LEFT JOIN actors a ON a.id = q.actor_id
            WHERE q.article_id IN ({marks}) AND q.kind = 'direct'
            ORDER BY q.article_id, q.char_start""", article_ids).fetchall()
    out, speakers = [], set()
    for r in sorted(rows, key=lambda r: abs(len(r["content"].split()) - 25)):
        if not r["speaker"] or r["speaker"] in speakers:
            continue
        speakers.add(r["speaker"])
        out.append({"speaker": r["speaker"], "content": " ".join(r["content"].split()),
                    "article_id": r["article_id"]})
        if len(out) == limit:
            break
    return out


def as_text(data: dict[str, Any], markdown: bool = False) -> str:
    head = f"# {data['title']}" if markdown else str(data["title"] or "")
    lines = [head, ""]
    for s in data["sentences"]:
        when = s["date"]["value"] or "undated"
        cite = "; ".join(citation(x) for x in s.get("sources") or
                         [{"article_id": a} for a in s["article_ids"]])
        label = {"negated": "Denied: ", "hypothetical": "Supposed: "}.get(s.get("polarity"), "")
        line = f"{label}{s['text']} [{cite}] (event date: {when})"
        lines.append(f"- {line}" if markdown else line)
    if not data["sentences"]:
        lines.append("No linked events yet.")
    outlets = data.get("outlets") or {}

    def cited(article_id: str) -> str:
        return citation({"article_id": article_id, **outlets.get(article_id, {})})

    if data["disagreements"]:
        lines += ["", "## Where sources disagree" if markdown else "Where sources disagree:"]
        for d in data["disagreements"]:
            sides = "; ".join(f"{v['value']} ({', '.join(cited(a) for a in v['article_ids'])})"
                              for v in d["values"])
            lines.append(f"- {d['about']}: {sides}")
    if data["quotes"]:
        lines += ["", "## Key quotes" if markdown else "Key quotes:"]
        for q in data["quotes"]:
            lines.append(f"- {q['speaker']}: “{q['content']}” [{cited(q['article_id'])}]")
    if data["figures"]:
        lines += ["", "## Key figures" if markdown else "Key figures:"]
        for f in data["figures"]:
            lines.append(f"- {f['text']} ({f['measures']}) "
                         f"[{'; '.join(cited(a) for a in f['article_ids'])}]")
    return "\n".join(lines) + "\n"
