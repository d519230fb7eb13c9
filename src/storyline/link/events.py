"""Same-event linking: event mentions from different articles that report one real-world event
become one linked event with several mentions and sources.

Two mentions can be one event when their PLOVER types agree, their actors overlap, their
recipients do not contradict (overlap, or one side names none), their dates can name the same time
(:func:`storyline.link.dates.compatible`, a day of slack) and their places do not name two
countries, nor two towns more than 150 km apart that their own sentences name. Candidates come
from blocking keys ``type|actor|period`` stored with each linked event:
the period is the month for dated events (the neighbouring months are looked up too), the story
for year-less ones ("in May", "on Tuesday" only mean something inside a story). So a new mention is
compared with a handful of linked events, never with the whole store, and a 2014 visit never
absorbs a 2024 one. Sources count distinct articles; near-duplicate articles carry no events (the
dedup stage skips them), so syndicated copies do not inflate the count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from storyline.link import dates

SUMMARY = {
    ("CONSULT", "visit"): "{a} visits {r}", ("CONSULT", "phone"): "{a} and {r} speak by phone",
    ("CONSULT", ""): "{a} meets {r}", ("AGREE", ""): "{a} agree with {r}",
    ("SUPPORT", ""): "{a} supports {r}", ("COOPERATE", ""): "{a} cooperate with {r}",
    ("AID", ""): "{a} sends aid to {r}", ("CONCEDE", ""): "{a} yields to {r}",
    ("RETREAT", ""): "{a} pulls back from {r}", ("REQUEST", ""): "{a} calls on {r}",
    ("ACCUSE", ""): "{a} criticises {r}", ("REJECT", ""): "{a} rejects {r}",
    ("THREATEN", ""): "{a} threatens {r}", ("PROTEST", ""): "protests in {a} against {r}",
    ("SANCTION", ""): "{a} imposes sanctions on {r}", ("MOBILIZE", ""): "{a} mobilises against {r}",
    ("COERCE", ""): "{a} cracks down on {r}", ("ASSAULT", ""): "{a} attacks {r}",
}
ALONE = {
    "AGREE": "{a} reach an agreement", "COOPERATE": "{a} cooperate", "CONSULT": "{a} hold talks",
    "PROTEST": "protests in {a}", "MOBILIZE": "{a} mobilises", "ASSAULT": "fighting involving {a}",
    "SANCTION": "{a} imposes sanctions", "AID": "{a} sends aid", "RETREAT": "{a} pulls back",
    "SUPPORT": "{a} voices support", "ACCUSE": "{a} criticises", "REQUEST": "{a} makes a demand",
    "REJECT": "{a} refuses", "THREATEN": "{a} issues a threat", "CONCEDE": "{a} concedes",
    "COERCE": "{a} cracks down",
}
#: Verbs the templates give in the plural, for a single actor ("Russia agrees with China").
SINGULAR = {" agree ": " agrees ", " cooperate": " cooperates", " reach ": " reaches ",
            " hold ": " holds ", " speak ": " speaks "}


@dataclass
class Mention:
    """What linking needs of one stored event row."""

    id: str
    article_id: str
    type: str
    mode: str
    actors: list[dict[str, Any]]
    recipients: list[dict[str, Any]]
    date: dict[str, Any] | None
    place: dict[str, Any] | None
    trigger: str
    modality: str
    story_id: str | None = None
    words: frozenset[str] = frozenset()

    @cached_property
    def actor_codes(self) -> set[str]:
        return {_code(p) for p in self.actors} - {""}

    @cached_property
    def recipient_codes(self) -> set[str]:
        return {_code(p) for p in self.recipients} - {""}

    @property
    def polarity(self) -> str:
        return polarity(self.modality)

    @cached_property
    def kind(self) -> str:
        return event_kind(self.type, [self.trigger], self.polarity)

    @property
    def date_value(self) -> str | None:
        return (self.date or {}).get("value")

    @classmethod
    def from_row(cls, row: Any) -> Mention:
        d = dict(row)
        return cls(d["id"], d["article_id"], d["type"], d["mode"] or "",
                   json.loads(d["actors"]), json.loads(d["recipients"]),
                   json.loads(d["date"]) if d["date"] else None,
                   json.loads(d["place"]) if d["place"] else None, d["trigger"] or "",
                   d["modality"] or "", d.get("story_id"), content_words(d.get("sentence_text") or ""))


_WORD = re.compile(r"[A-Za-z][\w'-]+")
_STOP = frozenset("""the a an and or of to in on at for with by from as that this is are was were be
been has have had will would could should may might it its their his her they he she said says
says not but after before over about into than then there which who whom what when where""".split())


#: The manual codes an announced meeting as AGREE and an announced withdrawal as CONCEDE: such
#: events link with each other, not with agreements reached or concessions made.
ANNOUNCED = {"AGREE": "CONSULT", "CONCEDE": "RETREAT"}


@lru_cache(maxsize=4)
def _trigger_words(etype: str) -> frozenset[str]:
    from storyline.extract.events.lexicon import lexicon

    spec = lexicon()["types"][etype]
    return frozenset(w.lower() for w in [*spec.get("verbs", []), *spec.get("nouns", [])])


#: Modalities that never link with the asserted event: a denial ("had not bombed") and a
#: supposition ("if troops attack") are their own linked items, each with its own sources.
POLARITIES = {"negated": "negated", "hypothetical": "hypothetical"}


def polarity(modality: str | None) -> str:
    return POLARITIES.get(modality or "", "")


def event_kind(etype: str, triggers: Any, polarity: str = "") -> str:
    """The type linking compares: ``AGREE~CONSULT`` for an AGREE whose trigger is a meeting
    word ("will visit", "the trip"), likewise ``CONCEDE~RETREAT``; the type otherwise; with
    ``!negated`` or ``!hypothetical`` for a denied or supposed event."""
    suffix = f"!{polarity}" if polarity else ""
    announced = ANNOUNCED.get(etype)
    if announced is None:
        return etype + suffix
    words = _trigger_words(announced)
    for trigger in triggers:
        for word in str(trigger).lower().split():
            stems = {word, word.rstrip("s"), word[:-2] if word.endswith(("ed", "es")) else word,
                     word[:-3] if word.endswith("ing") else word}
            if stems & words:
                return f"{etype}~{announced}{suffix}"
    return etype + suffix


def content_words(sentence: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(sentence) if w.lower() not in _STOP)


def _code(party: dict[str, Any]) -> str:
    return str(party.get("country") or party.get("sector") or "")


def _persons(parties: list[dict[str, Any]]) -> set[str]:
    """The people, by surname, an event was done to where the coder could only name their
    country ("wide receiver Thomas Brennan" -> "brennan")."""
    return {str(p["person"]) for p in parties if p.get("person")}


@dataclass
class Linked:
    """A linked event being built or extended."""

    id: str
    type: str
    mode: str
    actors: list[dict[str, Any]]
    recipients: list[dict[str, Any]]
    date: dict[str, Any] | None
    place: dict[str, Any] | None
    story_id: str | None
    articles: set[str] = field(default_factory=set)
    mentions: int = 0
    confidence: float = 0.5
    words: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()
    sources: int = 0  # articles already counted in the store
    cached_keys: list[str] | None = field(default=None, repr=False)
    #: the stored ``words`` JSON of a loaded linked event, decoded on first use (rarely needed)
    stored_words: str | None = field(default=None, repr=False)
    _codes: tuple[set[str], set[str]] | None = field(default=None, repr=False)
    #: the blocking keys as the store holds them (None: not stored yet)
    stored_keys: frozenset[str] | None = field(default=None, repr=False)
    #: '' for an asserted (or reported) event, 'negated' for a denial, 'hypothetical'
    polarity: str = ""

    @property
    def actor_codes(self) -> set[str]:
        return self._party_codes()[0]

    @property
    def recipient_codes(self) -> set[str]:
        return self._party_codes()[1]

    def _party_codes(self) -> tuple[set[str], set[str]]:
        if self._codes is None:
            self._codes = ({_code(p) for p in self.actors} - {""},
                           {_code(p) for p in self.recipients} - {""})
        return self._codes

    def content_words(self) -> frozenset[str]:
        if self.stored_words is not None:
            self.words = frozenset(json.loads(self.stored_words))
            self.stored_words = None
        return self.words

    @property
    def kind(self) -> str:
        return event_kind(self.type, self.triggers, self.polarity)

    def changed(self) -> None:
        """Forget what was derived from the parties and the date (after absorbing a mention)."""
        self.cached_keys = None
        self._codes = None

    def keys(self) -> list[str]:
        """Blocking keys: type, actor and the month (or year) of the date, plus the story, so
        that year-less mentions in the same story find it."""
        if self.cached_keys is None:
            periods = set(_own_periods(self.date_value, self.story_id))
            if self.story_id:
                periods.add(f"story:{self.story_id}")
            self.cached_keys = [f"{self.kind}|{code}|{period}" for code in sorted(self.actor_codes)
                                for period in sorted(periods)]
        return self.cached_keys

    @property
    def date_value(self) -> str | None:
        return (self.date or {}).get("value")

    def summary(self) -> str:
        a = _names(self.actors)
        r = _names([p for p in self.recipients if _code(p) not in self.actor_codes])
        if r:
            template = SUMMARY.get((self.type, self.mode)) or SUMMARY[(self.type, "")]
            said = template.format(a=a, r=r)
        else:
            said = ALONE.get(self.type, "{a}: " + self.type.lower()).format(a=a or "?")
        if a and " and " not in a and said.startswith(a):  # one actor: the verb agrees
            rest = said[len(a):] + " "
            for plural, singular in SINGULAR.items():
                if rest.startswith(plural):
                    rest = singular + rest[len(plural):]
                    break
            said = a + rest.rstrip()
        return {"negated": "denied: ", "hypothetical": "supposed: "}.get(self.polarity, "") + said


def _names(parties: list[dict[str, Any]]) -> str:
    from storyline.annotate.lexicons import lexicons

    labels = lexicons().country_label
    names = [str(labels.get(_code(p)) if p.get("name") in (None, "", _code(p)) else p["name"])
             for p in parties]
    unique = list(dict.fromkeys(n for n in names if n))
    if len(unique) > 1:
        return ", ".join(unique[:-1]) + " and " + unique[-1]
    return unique[0] if unique else ""


def _own_periods(value: str | None, story_id: str | None) -> list[str]:
    """The blocking periods a linked event is filed under: its day (and month, marked ``all:``
    so that month-precise mentions find it), its month, or its year; the story for year-less."""
    year, month, day = dates.parts(value)
    if not year:
        return [f"story:{story_id}"] if story_id else []
    if day:
        return [f"{year}-{month}-{day}", f"all:{year}-{month}"]
    return [f"{year}-{month}", f"all:{year}-{month}"] if month else [year]


def _query_periods(value: str | None, story_id: str | None,
                   window: tuple[int, int] = (-1, 1)) -> list[str]:
    """Where a mention looks: the days around its day (``window``), and month- or year-precise
    events of that month; a month-precise mention looks at the whole month."""
    year, month, day = dates.parts(value)
    if not year:
        return [f"story:{story_id}"] if story_id else []
    if not month:
        return [year]
    if not day:
        return [f"all:{year}-{month}", year]
    start = dates.day_of(value)
    if start is None:
        return [f"all:{year}-{month}", year]
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(window[0], window[1] + 1)]
    months = sorted({d[:7] for d in days})
    return days + months + [year]


def _mention_keys(m: Mention) -> list[str]:
    window = (-1, 1)
    if _from_article(m.date):  # dated only by its article: the event may be weeks away
        window = (-3, 62) if m.modality == "future" else (-62, 3)
    periods = _query_periods(m.date_value, m.story_id, window)
    if m.story_id:
        periods.append(f"story:{m.story_id}")
    return [f"{m.kind}|{code}|{period}" for code in sorted(m.actor_codes) for period in periods]


def linked_id(first_mention: str) -> str:
    return "le_" + hashlib.sha256(first_mention.encode()).hexdigest()[:16]


def _from_article(date: dict[str, Any] | None) -> bool:
    return bool(date) and str(date.get("method", "")).startswith("article")  # type: ignore[union-attr]


def _dates_agree(m: Mention, c: Linked) -> bool:
    """Dates said in the sentence must agree (a day of slack); a mention dated only by its
    article's date ("expected to meet ... in Tokyo", written on the 3rd) agrees with an event
    up to two months after that date when it is future, up to two months before when not
    (three days either way in any case)."""
    if _from_article(m.date) == _from_article(c.date):
        if _from_article(m.date):
            return dates.compatible(m.date_value, c.date_value, slack_days=7)
        return dates.compatible(m.date_value, c.date_value)
    article, event = (m.date, c.date) if _from_article(m.date) else (c.date, m.date)
    day = dates.day_of((article or {}).get("value"))
    other = dates.day_of((event or {}).get("value"))
    if day is None or other is None:
        return dates.compatible(m.date_value, c.date_value)
    future = (m.modality if _from_article(m.date) else "") == "future" or (
        not _from_article(m.date) and other >= day)
    gap = (other - day).days
    return -3 <= gap <= 62 if future else -62 <= gap <= 3


#: Acts one PLOVER mode joins that are different events of one story: a jury convicts, then
#: a sentence is recommended or handed down (both SANCTION `convict`).
DISTINCT_ACTS = (("convict", "guilty", "verdict"), ("sentenc",))


def _acts(triggers: Any) -> set[int]:
    return {i for t in triggers for word in str(t).lower().split()
            for i, stems in enumerate(DISTINCT_ACTS) if word.startswith(stems)}


#: Kinds of place precise enough to tell two happenings apart, and how far apart their points
#: may lie for one event (a town and its district; a county and its seat).
TOWNS = frozenset({"city", "admin2"})
APART_KM = 150.0


def _apart(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Two towns that the mentions' own sentences name, far apart."""
    if not a or not b or a.get("method") != "sentence" or b.get("method") != "sentence":
        return False
    if a.get("kind") not in TOWNS or b.get("kind") not in TOWNS:
        return False
    from storyline.annotate.gazetteer import haversine_km

    try:
        return haversine_km(float(a["lat"]), float(a["lon"]), float(b["lat"]),
                            float(b["lon"])) > APART_KM
    except (KeyError, TypeError, ValueError):
        return False


def score(m: Mention, c: Linked) -> float | None:
    """How likely a mention reports a linked event; None when they cannot be one."""
    if m.kind != c.kind or not (m.actor_codes & c.actor_codes):
        return None
    if m.mode and c.mode and m.mode != c.mode:
        return None  # "seized rifles" and "intercepted boats": two acts of one type
    mine, theirs = _acts([m.trigger]), _acts(c.triggers)
    if mine and theirs and not mine & theirs:
        return None
    if m.recipient_codes and c.recipient_codes and not (m.recipient_codes & c.recipient_codes) \
            and m.recipient_codes != m.actor_codes and c.recipient_codes != c.actor_codes:
        return None  # (an actor acting on its own side is often the coder's domestic default)
    mine_named, theirs_named = _persons(m.recipients), _persons(c.recipients)
    if mine_named and theirs_named and not mine_named & theirs_named:
        return None  # two arrests of two named people ("Brennan", "Haines")
    if not _dates_agree(m, c):
        return None
    if _apart(m.place, c.place):
        return None  # "arrested in Queens" and "arrested in Troy": one event has one place
    if not dates.has_year(m.date_value) and m.story_id != c.story_id:
        return None
    same_day = bool(dates.parts(m.date_value)[2]) and dates.has_year(m.date_value) and \
        dates.parts(m.date_value)[:3] == dates.parts(c.date_value)[:3]
    dated = dates.day_of(m.date_value) is not None and dates.day_of(c.date_value) is not None
    if not dated and not (m.mode and m.mode == c.mode) and \
            m.trigger.lower() not in c.triggers and m.words and (words := c.content_words()) and \
            len(m.words & words) / len(m.words | words) < 0.15:
        return None  # no days to compare: the wording has to agree
    value = 0.5
    value += 0.15 if m.recipient_codes and m.recipient_codes == c.recipient_codes else 0.0
    value += 0.15 if m.actor_codes == c.actor_codes else 0.0
    value += 0.1 if same_day else 0.0
    value += 0.1 if (m.place or {}).get("name") and (m.place or {}).get("name") == (
        c.place or {}).get("name") else 0.0
    return min(value, 1.0)


class EventLinker:
    """Links the stored events of new articles into ``linked_events`` (one transaction)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._loaded: dict[str, Linked] = {}
        self._batch_keys: dict[str, dict[str, None]] = {}

    def link(self, article_ids: list[str], stories: dict[str, str]) -> int:
        """Link the events of these articles (their story ids given); returns the number of
        linked events created or extended."""
        if not article_ids:
            return 0
        marks = ",".join("?" * len(article_ids))
        rows = self.conn.execute(
            f"""SELECT e.*, substr(a.text, e.char_start + 1, e.char_end - e.char_start) AS sentence_text
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE e.article_id IN ({marks}) AND e.linked_id IS NULL
                ORDER BY e.article_id, e.trigger_start""", article_ids).fetchall()
        touched: dict[str, Linked] = {}
        # per batch: linked events read from the store, and the blocking keys of those this
        # batch opened or changed (they are saved at the end), so that mentions of one article
        # that share their keys do not read and decode the same rows again
        self._loaded, self._batch_keys = {}, {}
        updates = []
        for row in rows:
            mention = Mention.from_row(row)
            mention.story_id = stories.get(mention.article_id)
            best: tuple[float, Linked] | None = None
            for candidate in self._candidates(mention, touched):
                value = score(mention, candidate)
                if value is not None and (best is None or value > best[0]):
                    best = (value, candidate)
            if best is None:
                target = Linked(linked_id(mention.id), mention.type, mention.mode,
                                mention.actors, mention.recipients, mention.date, mention.place,
                                mention.story_id, words=mention.words,
                                triggers=frozenset({mention.trigger.lower()}),
                                polarity=mention.polarity)
                confidence = 0.5
            else:
                confidence, target = best
                self._absorb(target, mention)
            target.mentions += 1
            target.articles.add(mention.article_id)
            target.confidence = max(target.confidence, confidence)
            touched[target.id] = target
            for key in target.keys():
                self._batch_keys.setdefault(key, {})[target.id] = None
            updates.append((target.id, mention.id))
        self.conn.executemany("UPDATE events SET linked_id = ? WHERE id = ?", updates)
        for linked in touched.values():
            self._save(linked)
        return len(touched)

    def _candidates(self, m: Mention, touched: dict[str, Linked]) -> list[Linked]:
        keys = _mention_keys(m)
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        ids = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT linked_id FROM linked_event_keys WHERE key IN ({marks}) LIMIT 60",
            keys)]
        found: dict[str, Linked] = {}
        missing = []
        for i in ids:
            known = touched.get(i) or self._loaded.get(i)
            if known is not None:
                found[i] = known
            else:
                missing.append(i)
        if missing:
            marks = ",".join("?" * len(missing))
            for row in self.conn.execute(f"SELECT * FROM linked_events WHERE id IN ({marks})",
                                         missing):
                found[row["id"]] = self._loaded[row["id"]] = self._load(row)
        for key in keys:  # opened or changed in this batch and not saved yet
            for i in self._batch_keys.get(key, ()):
                if i not in found:
                    found[i] = touched[i]
        return list(found.values())

    def _load(self, row: Any) -> Linked:
        d = dict(row)
        linked = Linked(d["id"], d["type"], d["mode"] or "", json.loads(d["actors"]),
                        json.loads(d["recipients"]),
                        json.loads(d["date"]) if d["date"] else None,
                        json.loads(d["place"]) if d["place"] else None, d["story_id"],
                        mentions=d["mentions"], confidence=d["confidence"] or 0.5,
                        stored_words=d["words"] or "[]",
                        triggers=frozenset(json.loads(d["triggers"] or "[]")),
                        sources=d["sources"], polarity=d.get("polarity") or "")
        linked.stored_keys = frozenset(linked.keys())  # what _save wrote from these fields
        return linked

    @staticmethod
    def _absorb(target: Linked, m: Mention) -> None:
        """The linked event keeps the most precise date, the recipients once someone names
        them, a named place, and the union of coordinated actors."""
        target.changed()  # the date or the parties may change below
        if dates.precision(m.date) > dates.precision(target.date):
            target.date = m.date
        if not target.recipients and m.recipients:
            target.recipients = m.recipients
        elif _persons(m.recipients) - _persons(target.recipients):  # other names of them
            known_named = _persons(target.recipients)
            target.recipients = target.recipients + [
                p for p in m.recipients if p.get("person") and p["person"] not in known_named]
        if not target.place and m.place:
            target.place = m.place
        if not target.mode and m.mode:
            target.mode = m.mode
        known = target.actor_codes
        target.actors = target.actors + [p for p in m.actors if _code(p) not in known]
        target.changed()
        if len(target.content_words()) < 120:
            target.words = target.words | m.words
        target.triggers = target.triggers | {m.trigger.lower()}

    def _sources(self, linked: Linked) -> int:
        """Distinct articles behind a linked event (its mentions are already written)."""
        if not linked.sources:
            return len(linked.articles)
        return int(self.conn.execute(
            "SELECT count(DISTINCT article_id) FROM events WHERE linked_id = ?",
            (linked.id,)).fetchone()[0])

    def _save(self, linked: Linked) -> None:
        self.conn.execute(
            """INSERT INTO linked_events (id, type, mode, date_value, date, place, actors,
               recipients, summary, story_id, mentions, sources, confidence, words, triggers,
               polarity)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET mode = excluded.mode,
               date_value = excluded.date_value, date = excluded.date, place = excluded.place,
               actors = excluded.actors, recipients = excluded.recipients,
               summary = excluded.summary, story_id = coalesce(linked_events.story_id,
               excluded.story_id), mentions = excluded.mentions, sources = excluded.sources,
               confidence = excluded.confidence, words = excluded.words,
               triggers = excluded.triggers""",
            (linked.id, linked.type, linked.mode, linked.date_value,
             json.dumps(linked.date) if linked.date else None,
             json.dumps(linked.place, ensure_ascii=False) if linked.place else None,
             json.dumps(linked.actors, ensure_ascii=False),
             json.dumps(linked.recipients, ensure_ascii=False), linked.summary(),
             linked.story_id, linked.mentions, self._sources(linked), linked.confidence,
             linked.stored_words if linked.stored_words is not None
             else json.dumps(sorted(linked.words)[:200]), json.dumps(sorted(linked.triggers)),
             linked.polarity))
        keys = frozenset(linked.keys())
        if keys != linked.stored_keys:  # most extended events keep their keys: no rewrite
            if linked.stored_keys is not None:
                self.conn.execute("DELETE FROM linked_event_keys WHERE linked_id = ?",
                                  (linked.id,))
            self.conn.executemany("INSERT OR IGNORE INTO linked_event_keys VALUES (?, ?)",
                                  [(k, linked.id) for k in sorted(keys)])
            linked.stored_keys = keys


def source_counts(conn: Any, linked_ids: list[str]) -> Counter[str]:
    marks = ",".join("?" * len(linked_ids))
    return Counter({r[0]: r[1] for r in conn.execute(
        f"SELECT linked_id, count(DISTINCT article_id) FROM events WHERE linked_id IN ({marks}) "
        "GROUP BY linked_id", linked_ids)})


def link_in_memory(mentions: list[Mention]) -> dict[str, str]:
    """The same linking over mentions held in memory (evaluation, benchmarks): mention id ->
    linked event id, with the blocking keys in a dict instead of the store."""
    index: dict[str, list[Linked]] = {}
    out: dict[str, str] = {}
    for m in mentions:
        keys = _mention_keys(m)
        seen: dict[str, Linked] = {}
        for key in keys:
            for linked in index.get(key, ()):
                seen[linked.id] = linked
        best: tuple[float, Linked] | None = None
        for candidate in seen.values():
            value = score(m, candidate)
            if value is not None and (best is None or value > best[0]):
                best = (value, candidate)
        if best is None:
            target = Linked(linked_id(m.id), m.type, m.mode, m.actors, m.recipients, m.date,
                            m.place, m.story_id, words=m.words,
                            triggers=frozenset({m.trigger.lower()}), polarity=m.polarity)
        else:
            target = best[1]
            old_keys = set(target.keys())
            EventLinker._absorb(target, m)
            for key in set(target.keys()) - old_keys:
                index.setdefault(key, []).append(target)
        if best is None:
            for key in target.keys():
                index.setdefault(key, []).append(target)
        target.mentions += 1
        target.articles.add(m.article_id)
        out[m.id] = target.id
    return out
