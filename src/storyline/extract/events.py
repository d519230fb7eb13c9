"""PLOVER events from the dependency parse: type, mode, actors, recipients, modality, trigger,
date and place — per sentence, with the sentence and character offsets behind every event.

Triggers are verbs and nouns from ``data/plover.yaml``; ambiguous verbs are settled by their object
("sign an agreement" -> AGREE, "impose sanctions" -> SANCTION). Actors and recipients are read
from the parse: subject and object, the agent of a passive ("were detained by police"), the
possessor of a nominal event ("Modi's visit to Japan"), both sides of "talks between X and Y", the
host/visitor inversion ("Egypt hosted the Sudanese minister"), coordination on either side. Codes
come from the annotate stage's actors: their ISO country, or IGO/NGO for organisations without
one; a capital or seat of power counts for its country. Events inside direct quotes are speech,
not events. This is the first version: see ``storyline eval events``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from storyline.annotate.nlp import span_at
from storyline.model import Actor, Mention, Place, TimeExpr

MODALS_FUTURE = frozenset({"will", "shall", "'ll", "wo"})
MODALS_HYPOTHETICAL = frozenset({"would", "could", "might", "may", "should"})
FORWARD = frozenset({"expect", "plan", "set", "due", "aim", "schedule", "prepare", "intend", "go",
                     "hope", "want", "seek", "agree", "promise", "vow", "pledge", "threaten",
                     "decide", "offer", "propose"})
SPEECH = frozenset({"say", "report", "tell", "claim", "allege", "state", "announce"})
WORKERS = frozenset({"worker", "workers", "union", "unions", "employee", "employees", "staff",
                     "docker", "dockers", "driver", "drivers", "teacher", "teachers", "doctor",
                     "doctors", "nurse", "nurses", "student", "students", "farmer", "farmers",
                     "protester", "protesters", "miner", "miners", "pilot", "pilots"})
REVERSAL = frozenset({"lift", "ease", "relax", "scrap", "end"})
JOINT_MARKS = frozenset({"joint", "combined"})
JOINT_TYPES = frozenset({"AGREE", "COOPERATE", "ASSAULT", "RETREAT"})
RECIPIENT_PREPS = frozenset({"to", "with", "on", "against", "from", "at", "for", "into", "in"})


@dataclass
class EventSpan:
    type: str
    mode: str
    trigger: str
    trigger_start: int
    trigger_end: int
    sentence: int
    char_start: int
    char_end: int
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    actor_ids: list[int] = field(default_factory=list)
    recipient_ids: list[int] = field(default_factory=list)
    modality: str = "asserted"
    date: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    cameo: str = ""
    confidence: float = 0.5
    contexts: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    data = yaml.safe_load(resources.files("storyline.data").joinpath("plover.yaml")
                          .read_text("utf-8"))
    verbs: dict[str, list[str]] = {}
    nouns: dict[str, list[str]] = {}
    for name, spec in data["types"].items():
        for lemma in spec.get("verbs", []):
            verbs.setdefault(lemma, []).append(name)
        for lemma in spec.get("nouns", []):
            nouns.setdefault(lemma, []).append(name)
    return {"types": data["types"], "verbs": verbs, "nouns": nouns,
            "objects": data["object_types"], "hosts": frozenset(data["host_verbs"]),
            "object_verbs": frozenset(data.get("object_verbs", [])),
            "joint_nouns": frozenset(data.get("joint_nouns", [])),
            "phrasal": data.get("phrasal", {}),
            "verb_objects": {**data.get("object_only", {}), **data.get("verb_objects", {})},
            "object_only": frozenset(data.get("object_only", {})) - frozenset(verbs),
            "contexts": data.get("contexts", {}),
            "recipient_defaults": data.get("recipient_defaults", {}),
            "mutual": frozenset(data.get("mutual_verbs", [])),
            "undergo": frozenset(data.get("undergo_verbs", [])),
            "aid_cues": frozenset(data.get("aid_cues", [])),
            "mediators": frozenset(data.get("mediator_verbs", []))}


GROUPS = frozenset({"police", "troops", "soldier", "soldiers", "protester", "protesters",
                    "demonstrator", "demonstrators", "worker", "workers", "force", "forces", "army",
                    "navy", "rebel", "rebels", "militant", "militants", "gunman", "gunmen",
                    "student", "students", "farmer", "farmers", "activist", "activists",
                    "authorities", "government", "official", "officials", "ministry", "court",
                    "prosecutor", "prosecutors", "union", "unions", "guard", "guards", "coast",
                    "military", "fighters", "villagers", "residents", "lawmakers", "parliament",
                    "regulator", "regulators", "judge", "judges", "opposition", "militia",
                    "militias", "insurgents", "officers", "agents", "delegation",
                    "negotiators", "diplomats", "embassy", "company", "firm", "cabinet"})
PRONOUNS = frozenset({"he", "she", "they", "it", "his", "her", "their", "its"})
PEOPLE = frozenset({"protester", "demonstrator", "journalist", "activist", "people", "civilian",
                    "teacher", "doctor", "nurse", "driver", "employee", "thousand", "hundred",
                    "student", "worker", "opponent", "critic", "member", "leader", "villager",
                    "resident", "prisoner", "detainee", "migrant", "refugee", "suspect", "marcher",
                    "shopkeeper", "trader", "landowner", "merchant", "pensioner",
                    "dissident", "citizen", "crowd", "supporter", "farmer", "miner", "rally",
                    "protest", "march", "rebel", "fighter", "militant", "position", "town",
                    "village", "city", "camp", "opposition"})
MOVEMENT = frozenset({"return", "leave"})
ANSWERS = frozenset({"reject", "refuse", "decline", "dismiss", "accept", "welcome", "deny",
                     "spurn", "rebuff", "receive"})
SIDES = frozenset({"side", "sides", "pair", "two", "both", "neighbours", "neighbors", "countries",
                   "nations", "governments", "leaders", "parties", "delegations", "capitals"})
HOSTILE = frozenset({"retaliate", "respond", "punish", "strike", "attack", "hit", "sanction",
                     "retake", "crush", "destroy", "defend", "fight", "avenge"})
FORCES = frozenset({"troop", "troops", "force", "forces", "soldier", "soldiers", "peacekeeper",
                    "peacekeepers", "army", "contingent", "military", "fighter", "fighters",
                    "rebel", "rebels", "unit", "units", "militia", "battalion", "mission"})
CONTENT_VERBS = frozenset({"agree", "promise", "pledge", "vow", "offer", "propose", "demand",
                           "request", "urge", "ask", "threaten", "extend", "renew"})
VERBAL = frozenset({"REQUEST", "REJECT", "THREATEN", "ACCUSE", "AGREE", "SUPPORT"})
TEMPORAL = frozenset({"when", "once", "after", "before", "during", "while", "as", "until"})
CIRCUMSTANCE = frozenset({"after", "before", "since", "amid", "despite", "following", "during",
                          "until", "as", "because", "over", "like", "unlike"})
DOMESTIC = frozenset({"COERCE", "ASSAULT", "CONCEDE", "THREATEN", "PROTEST"})


def _codes_in(token: Any, mentions: list[Mention], actors: list[Actor]) -> list[tuple[str, int]]:
    """Codes of every actor named anywhere in a token's subtree, in order."""
    start = token.left_edge.idx
    end = token.right_edge.idx + len(token.right_edge.text)
    out: list[tuple[str, int]] = []
    for m in mentions:
        if m.actor is not None and start <= m.start and m.end <= end:
            actor = actors[m.actor]
            code = actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else None)
            if code and code not in {c for c, _ in out}:
                out.append((code, m.actor))
    return out


def _code_of(actor: Actor) -> str | None:
    return actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else None)


def _own_codes(head: Any, mentions: list[Mention]) -> bool:
    """Whether the phrase names an actor itself ("the two Koreas' leaders")."""
    start = head.left_edge.idx
    end = head.right_edge.idx + len(head.right_edge.text)
    return any(start <= m.start and m.end <= end for m in mentions if m.actor is not None)


def _of_phrase_codes(head: Any, mentions: list[Mention], actors: list[Actor],
                     places: list[Place]) -> list[tuple[str, int | None]]:
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return _codes_for(pobj, mentions, actors, places)
    return []


def _codes_for(token: Any, mentions: list[Mention], actors: list[Actor],
               places: list[Place]) -> list[tuple[str, int | None]]:
    """Codes of the actors a phrase names (its head and coordinated heads)."""
    from storyline.annotate.lexicons import lexicons

    heads = [token] + [c for c in token.conjuncts if c.i > token.i]
    codes: list[tuple[str, int | None]] = []
    for head in heads:
        if head.lemma_.lower() in SIDES and any(c.lower_ in ("two", "both", "the", "their") for c in
                                                 head.children) and not _own_codes(head, mentions):
            # "the two sides", "the pair": the last two parties named before
            seen_codes: list[tuple[str, int | None]] = []
            for m in reversed([m for m in mentions if m.end <= head.idx and m.actor is not None]):
                actor = actors[m.actor]  # type: ignore[index]
                code = actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else None)
                if code and code not in {c for c, _ in seen_codes}:
                    seen_codes.append((code, m.actor))
                if len(seen_codes) == 2:
                    break
            if len(seen_codes) == 2:
                codes.extend(reversed(seen_codes))
                continue
        if head.lower_ in PRONOUNS:
            earlier = [m for m in mentions if m.actor is not None and m.end <= head.idx and
                       (actors[m.actor].country or actors[m.actor].sector in ("IGO", "NGO"))]
            if head.lower_ in ("he", "she", "his", "her"):
                earlier = [m for m in earlier if actors[m.actor].kind == "person"]  # type: ignore[index]
            if earlier:
                actor = actors[earlier[-1].actor]  # type: ignore[index]
                codes.append((actor.country or actor.sector, earlier[-1].actor))  # type: ignore[arg-type]
            continue
        start = head.left_edge.idx
        end = head.idx + len(head.text)
        # the head's own phrase up to the head, plus its compound/possessive modifiers
        found = None
        for m in mentions:
            if m.actor is None:
                continue
            if m.start <= head.idx < m.end:
                found = m
                break
        if found is None or not _code_of(actors[found.actor]):  # type: ignore[index]
            found = None
            for m in mentions:
                if m.actor is not None and start <= m.start and m.end <= end and \
                        _code_of(actors[m.actor]):
                    found = m
        if found is None:
            # "the foreign ministers of Kenya and Ethiopia", "officials from Chad"
            inner = _of_phrase_codes(head, mentions, actors, places)
            if inner:
                codes.extend(inner)
                continue
        if found is not None:
            actor = actors[found.actor]  # type: ignore[index]
            code = actor.country or (actor.sector if actor.sector in ("IGO", "NGO") else None)
            if code:
                codes.append((code, found.actor))
                continue
        placed = next((p for p in places if p.start <= head.idx < p.end and p.country), None)
        if placed is not None:
            codes.append((placed.country, None))  # type: ignore[arg-type]
            continue
        lex = lexicons()
        adjectives = [t for t in head.doc[head.left_edge.i:head.i] if t.pos_ in ("ADJ", "PROPN")]
        demonyms = [lex.demonyms.get(t.lower_) or lex.country_names.get(t.lower_)
                    for t in adjectives]
        demonyms = [d for d in demonyms if d]
        if demonyms:  # "Iranian police", "American and Iranian negotiators"
            codes.extend((d, None) for d in demonyms)
            continue
        phrase = head.doc[head.left_edge.i:head.i + 1].text
        iso = lex.country_in(phrase)
        if iso:  # "the Kenyan government"
            codes.append((iso, None))
            continue
        if (head.lemma_.lower() in GROUPS or head.lower_ in GROUPS or
                head.lemma_.lower() in PEOPLE) and not codes:
            # "police in Lagos", "protesters gathered in Nairobi": where they are
            sent = head.sent
            here = [p for p in places if head.idx < p.start < sent.end_char and p.country]
            if here:
                codes.append((here[0].country, None))  # type: ignore[arg-type]
    seen: set[str] = set()
    unique = []
    for code, index in codes:
        if code not in seen:
            seen.add(code)
            unique.append((code, index))
    return unique


def _later(date: dict[str, Any] | None, published: dict[str, Any] | None) -> bool:
    """Whether an event's own date lies wholly after the publication day."""
    if not date or not published or date.get("method") != "sentence":
        return False
    value, day = str(date.get("value") or ""), str(published.get("value") or "")
    if not value[:4].isdigit() or len(day) < 10:
        return False
    start = value.split("/")[0]
    if len(start) == 4 or not start[5:7].isdigit():
        return start[:4] > day[:4]
    if len(start) == 7:
        return start > day[:7]
    return start[:10] > day[:10]


class EventExtractor:
    def __init__(self) -> None:
        self.lex = lexicon()

    def extract(self, doc: Any, mentions: list[Mention], actors: list[Actor],
                timexes: list[TimeExpr], places: list[Place],
                quoted: list[tuple[int, int]] = (),  # type: ignore[assignment]
                published: dict[str, Any] | None = None,
                on_error: Callable[[int, BaseException], None] | None = None
                ) -> list[EventSpan]:
        """Events of a parsed article, sentence by sentence. With ``on_error(char_offset,
        exc)``, a sentence whose analysis raises is reported and loses its events only."""
        events: list[EventSpan] = []
        for index, sent in enumerate(doc.sents):
            if on_error is None:
                self._sentence(index, sent, events, mentions, actors, timexes, places, quoted,
                               published)
                continue
            found = len(events)
            try:
                self._sentence(index, sent, events, mentions, actors, timexes, places, quoted,
                               published)
            except Exception as exc:  # noqa: BLE001 - one sentence, not the article
                del events[found:]
                on_error(sent.start_char, exc)
        return events

    def _sentence(self, index: int, sent: Any, events: list[EventSpan], mentions: list[Mention],
                  actors: list[Actor], timexes: list[TimeExpr], places: list[Place],
                  quoted: list[tuple[int, int]], published: dict[str, Any] | None) -> None:
        """Adds the events of one sentence to ``events``."""
        for tok in sent:
            if any(s <= tok.idx < e for s, e in quoted) or self._is_content(tok):
                continue
            if tok.ent_type_ in ("DATE", "TIME"):
                continue  # "March", "May": months, not marches
            event = None
            phrasal = next((f"{tok.lemma_.lower()} {c.lower_}" for c in tok.children
                            if c.dep_ == "prt"), "")
            if tok.pos_ == "VERB" and (tok.lemma_.lower() in self.lex["verbs"]
                                       or phrasal in self.lex["phrasal"]
                                       or self._object_event(tok) is not None):
                event = self._verb_event(tok, mentions, actors, places)
            elif tok.pos_ in ("NOUN", "PROPN") and self._noun_key(tok) is not None:
                event = self._noun_event(tok, mentions, actors, places)
            if event is None:
                continue
            self._default_recipients(event, tok, sent, mentions, actors, places)
            event.sentence = index
            event.char_start, event.char_end = sent.start_char, sent.end_char
            event.modality = self._modality(tok)
            if event.modality == "reported" and self._own_word(tok, event, mentions, actors,
                                                               places):
                event.modality = "asserted"  # "the minister said she had approved it": her own act
            event.date = self._date(sent, tok, timexes, published)
            if event.modality in ("asserted", "reported") and _later(event.date, published):
                event.modality = "future"  # "the queen's trip to Oslo in June", written in April
            event.place = self._place(sent, places)
            event.cameo = str(self.lex["types"][event.type].get("cameo", ""))
            sentence = f" {sent.text.lower()} "
            event.contexts = [name for name, words in self.lex["contexts"].items()
                              if any(f" {w} " in sentence for w in words)]
            same = next((e for e in events if e.sentence == index and e.type == event.type
                         and e.actors == event.actors and (
                             not e.recipients or not event.recipients
                             or e.recipients == event.recipients)
                         and (e.date or {}).get("value") == (event.date or {}).get("value")),
                        None)
            if same is not None:  # one action told twice ("arrived ... for a visit")
                if not same.recipients and event.recipients:
                    same.recipients, same.recipient_ids = event.recipients, event.recipient_ids
                continue
            events.append(event)

    # -- triggers ---------------------------------------------------------------------------

    def _type_for(self, tok: Any, candidates: list[str]) -> str:
        lemma = tok.lemma_.lower()
        particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
        if particle and f"{lemma} {particle}" in self.lex["phrasal"]:
            return str(self.lex["phrasal"][f"{lemma} {particle}"])
        if lemma in ("order", "tell", "instruct", "command") and any(
                c.dep_ in ("xcomp", "ccomp", "advcl") and c.i > tok.i and (
                    c.lemma_.lower() in MOVEMENT or "RETREAT" in self.lex["verbs"].get(
                        c.lemma_.lower(), [])) for c in tok.subtree):
            return "RETREAT"  # "told the brigade to go back to its bases"
        specific = self.lex["verb_objects"].get(lemma, {})
        if specific:
            found = self._object_match(tok, specific)
            if found is not None:
                return found
        if lemma == "call" and tok.pos_ in ("NOUN", "PROPN"):
            preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
            if any(c.lower_ == "phone" for c in tok.children) or preps & {"with", "between"}:
                return "CONSULT"
            if preps & {"for", "from", "on", "by"} or tok.head.lemma_.lower() in ANSWERS:
                return "REQUEST"  # "rejected calls from ECOWAS to hold elections"
        if tok.pos_ in ("NOUN", "PROPN") and lemma == "strike":
            military = {"air", "drone", "missile", "military", "rocket", "artillery",
                        "preemptive", "retaliatory", "nuclear", "precision"}
            governor = tok.head.head if tok.head.dep_ == "prep" else tok.head
            if any(c.lower_ in military for c in tok.children) or \
                    governor.lemma_.lower() in HOSTILE | {"launch", "conduct", "carry", "order"}:
                return "ASSAULT"
            return "PROTEST"
        joint = next((c for c in tok.children if c.dep_ == "dobj" and any(
            g.lower_ in JOINT_MARKS for g in c.children)
            and c.lemma_.lower() in self.lex["joint_nouns"] | {"patrol"}), None)
        if tok.pos_ == "VERB" and joint is not None:
            return "COOPERATE"  # "deploy joint border patrols"
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        crowd = subject is not None and (subject.lemma_.lower() in WORKERS or
                                         subject.lemma_.lower() in PEOPLE)
        if lemma == "protest" and tok.pos_ == "VERB":
            return "PROTEST" if crowd or subject is None else "ACCUSE"
        if crowd and lemma in ("block", "occupy", "blockade", "storm", "march", "boycott", "clash"):
            return "PROTEST"  # protesters blocking roads
        if lemma in ("vow", "promise", "pledge") and any(
                c.dep_ == "xcomp" and c.lemma_.lower() in HOSTILE for c in tok.children):
            return "THREATEN"  # "vowed to retaliate"
        if lemma == "call" and any(c.dep_ in ("oprd", "xcomp") for c in tok.children) and \
                any(c.dep_ == "dobj" and c.tag_ not in ("WP", "WDT") for c in tok.children):
            return "ACCUSE"  # "called the sale a violation of its sovereignty"
        light = tok.pos_ in ("NOUN", "PROPN") or lemma in self.lex["object_verbs"]
        objects = self.lex["objects"] if light else {}
        if tok.lemma_.lower() in REVERSAL:
            return "RETREAT"  # "lifted the ban", "eased the blockade": undoing a measure
        if tok.lemma_.lower() == "sign":
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is not None:
                phrase = " ".join(t.lower_ for t in obj.subtree)
                if any(w in phrase for w in ("cooperation", "partnership", "friendship",
                                              "memorandum of understanding", "access",
                                              "declaration", "defence industry")):
                    return "SUPPORT"  # signing a cooperation accord is support, not a settlement
        for child in tok.children:
            if child.dep_ in ("dobj", "attr", "nsubjpass"):
                for key in (child.lower_, child.lemma_.lower()):
                    if key in objects:
                        return str(objects[key])
        if lemma == "call":
            preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
            return "REQUEST" if preps & {"for", "on"} or any(c.dep_ == "xcomp" for c in
                                                               tok.children) else "CONSULT"
        if lemma in ("strike", "clash"):
            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            if subjects and (subjects[0].lemma_.lower() in WORKERS or
                             subjects[0].lemma_.lower() in ("protester", "demonstrator")):
                return "PROTEST"
            return "ASSAULT"
        if lemma in ("withdraw", "withdrawal"):
            from storyline.annotate.lexicons import lexicons

            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"):
                for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                    name = pobj.doc[pobj.left_edge.i:pobj.i + 1].text
                    if lexicons().igos.get(name.lower().removeprefix("the ")):
                        return "SANCTION"  # leaving a bloc
        if lemma == "welcome":  # welcoming a visitor is a meeting; a decision, support
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if tok.dep_ == "acl" or (obj is not None and obj.ent_type_ not in ("PERSON", "NORP")
                                     and obj.lemma_.lower() not in GROUPS):
                return "SUPPORT"
            return "CONSULT"
        if lemma == "warn":
            return "THREATEN" if any(c.dep_ == "ccomp" for c in tok.children) else "ACCUSE"
        return candidates[0]

    @staticmethod
    def _personal(obj: Any) -> bool:
        """Whether an object names people ("39 prisoners", "a British aid worker", "him")."""
        words = [obj] + [c for c in obj.children if c.dep_ in ("compound", "prep")]
        words += [g for c in obj.children if c.dep_ == "prep" for g in c.children]
        people = PEOPLE | GROUPS | {"hostage", "prisoner", "detainee", "journalist", "worker",
                                    "national", "citizen", "captive", "person", "man", "woman",
                                    "child", "crew", "sailor", "fisherman", "priest", "tourist"}
        return any(w.ent_type_ in ("PERSON", "NORP") or w.lemma_.lower() in people or
                   w.pos_ == "PRON" or w.pos_ == "NUM" for w in words)

    @staticmethod
    def _object_words(tok: Any) -> list[Any]:
        """The object's words a verb is settled by: objects, passive subjects and prepositional
        objects, their compounds and their of-phrases ("a state of emergency", "the highest level
        of combat readiness", "mobile internet services")."""
        heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        heads += [g for c in tok.children if c.dep_ in ("prep", "prt") for g in c.children
                  if g.dep_ == "pobj"]  # "withdrew from the grain deal"
        words: list[Any] = []
        for head in heads:
            words.append(head)
            words += [c for c in head.children if c.dep_ in ("compound", "amod")]
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
                for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                    words.append(pobj)
                    words += [c for c in pobj.children if c.dep_ in ("compound", "amod")]
        return words

    def _object_match(self, tok: Any, table: dict[str, str]) -> str | None:
        words = self._object_words(tok)
        for word in words:  # two-word keys first: "martial law"
            if word.i > 0 and f"{word.doc[word.i - 1].lower_} {word.lower_}" in table:
                return str(table[f"{word.doc[word.i - 1].lower_} {word.lower_}"])
        for word in words:
            for key in (word.lower_, word.lemma_.lower()):
                if key in table:
                    return str(table[key] or "")
        return None

    def _object_event(self, tok: Any) -> str | None:
        """The type of a verb that is an event only with certain objects ("ordered the army")."""
        lemma = tok.lemma_.lower()
        if lemma not in self.lex["object_only"]:
            return None
        return self._object_match(tok, self.lex["verb_objects"][lemma])

    def _is_trigger(self, tok: Any) -> bool:
        if tok.ent_type_ in ("DATE", "TIME"):
            return False  # "March", "May"
        return (tok.pos_ == "VERB" and (tok.lemma_.lower() in self.lex["verbs"] or
                                        self._object_event(tok) is not None)) or (
            tok.pos_ in ("NOUN", "PROPN") and self._noun_key(tok) is not None)

    def _is_content(self, tok: Any) -> bool:
        """What another event promises, asks, refuses or threatens, or its purpose: not an
        event of its own ("asked Ethiopia to withdraw", "refused to extradite", "rallied to
        denounce", "a truce to let civilians leave")."""
        head = tok.head
        if head.i == tok.i:
            return False
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        if tok.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl") and infinitive:
            for up in (head, head.head):
                if self._is_trigger(up) or up.lemma_.lower() in FORWARD:
                    return up.lemma_.lower() not in ("expect", "plan", "set", "due", "schedule",
                                                      "go", "aim", "prepare", "intend", "hope",
                                                      "want", "seek", "decide")
        if tok.dep_ == "advcl" and infinitive and head.pos_ == "VERB" and \
                head.lemma_.lower() not in FORWARD and (
                    self._is_trigger(head) or head.lemma_.lower() in self.lex["object_verbs"]):
            return True  # a purpose: "approved a loan to support the budget"
        if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.lemma_.lower() in (
                "demand", "call", "urge", "protest", "denounce", "demonstrate") and \
                self._is_trigger(head):
            return True  # "blocked the highways, demanding fuel": part of the protest
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj" and head.lower_ in (
                "on", "for", "against", "about", "over") and head.head.pos_ in ("NOUN", "PROPN") and \
                self._is_trigger(head.head):
            return True  # "a ban on opposition rallies", "calls for his release"
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "compound" and \
                head.lemma_.lower() in GROUPS | FORCES:
            return True  # "riot police"
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj" and head.dep_ == "prep" and \
                head.head.pos_ == "VERB" and tok.lemma_.lower() in self.lex["verb_objects"].get(
                    head.head.lemma_.lower(), {}):
            return True  # "withdrew from the grain deal": the verb carries it
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "pobj"):
            verb = head if head.pos_ == "VERB" else head.head
            if verb.pos_ == "VERB" and verb.lemma_.lower() in CONTENT_VERBS and \
                    verb.lemma_.lower() not in ANSWERS:
                return True  # "agreed to extend their treaty" (but "rejected a proposal" is two)
        return False

    def _prep_target(self, holder: Any, mentions: list[Mention], actors: list[Actor],
                     places: list[Place], depth: int = 0) -> list[tuple[str, int | None]]:
        """Codes named in a prepositional target, looking one phrase deeper if needed ("to the
        border with Guyana")."""
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS:
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                codes = _codes_for(pobj, mentions, actors, places)
                if not codes and depth < 2:
                    codes = self._prep_target(pobj, mentions, actors, places, depth + 1)
                if codes:
                    return codes
        return []

    def _noun_key(self, tok: Any) -> str | None:
        for key in (tok.lower_, tok.lemma_.lower()):
            if key in self.lex["nouns"]:
                return key
            if key in self.lex["joint_nouns"] and any(
                    c.lower_ in ("joint", "combined") for c in tok.children):
                return key
        return None

    def _verb_event(self, tok: Any, mentions: list[Mention], actors: list[Actor],
                    places: list[Place]) -> EventSpan | None:
        lemma = tok.lemma_.lower()
        if lemma in MOVEMENT:
            # "the brigade went back to base", "peacekeepers began leaving": only forces retreat
            subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subject is None and tok.dep_ in ("xcomp", "advcl", "ccomp"):
                subject = next((c for c in tok.head.children if c.dep_ in ("dobj", "nsubj")),
                               None)
            if subject is None or subject.lemma_.lower() not in FORCES:
                return None
        etype = self._type_for(tok, self.lex["verbs"].get(lemma, ["CONSULT"]))
        if not etype:
            return None  # "granted oil concessions"
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        released = obj or next((c for c in tok.children if c.dep_ == "nsubjpass"), None) or (
            tok.head if tok.dep_ == "acl" else None)
        if lemma in ("release", "free") and released is not None and not self._personal(released):
            return None  # "released treated water", "a statement released by the palace"
        if lemma in self.lex["hosts"] and etype == "CONSULT" and obj is not None and \
                self._noun_key(obj) is not None and obj.lemma_.lower() not in ("delegation",):
            return None  # "received a request": the noun is the event
        subj = next((c for c in tok.children if c.dep_ in ("nsubj",)), None)
        subjpass = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        agent = next((gc for c in tok.children if c.dep_ == "agent" for gc in c.children
                      if gc.dep_ == "pobj"), None)
        obj = next((c for c in tok.children if c.dep_ in ("dobj",)), None)
        if subj is None and subjpass is None and tok.dep_ in ("xcomp", "conj", "advcl") and \
                tok.head.i != tok.i:
            # "Zambia is expected to sign": the subject of the passive governs the infinitive
            subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")),
                        None)
        if subj is None and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN"):
            subj = tok.head  # "thousands of people protesting outside parliament"
        actor_tok = agent or subj
        recip_tok = subjpass if agent is not None or subjpass is not None else obj
        if tok.dep_ == "acl" and agent is not None and obj is None:
            # "a gesture welcomed by the Vatican", "reforms demanded by Brussels": aimed at
            # whoever made the gesture / must make the reforms
            recip_tok = tok.head
            up = tok.head
            while not _codes_for(recip_tok, mentions, actors, places) and up.head.i != up.i:
                up = up.head  # climb to the clause that has a subject
                recip_tok = next((c for c in up.children if c.dep_ == "nsubj"), recip_tok)
        if lemma in self.lex["hosts"] and etype == "CONSULT":
            actor_tok, recip_tok = obj, subj
            between = None
            if obj is not None and self._noun_key(obj) is not None:
                between = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ ==
                                "between" for g in c.children if g.dep_ == "pobj"), None)
            if between is not None:  # "Oman hosted talks between X and Y": X, Y -> Oman
                actor_tok = between
        actor_codes = _codes_for(actor_tok, mentions, actors, places) if actor_tok is not None \
            else []
        recip_codes = _codes_for(recip_tok, mentions, actors, places) if recip_tok is not None \
            else []
        own = recip_tok is not None and any(c.dep_ == "poss" and c.lower_ in PRONOUNS
                                            for c in recip_tok.children)
        if own or (recip_codes and recip_codes == actor_codes and recip_tok is not None
                   and recip_tok.lemma_.lower() not in PEOPLE):
            recip_codes = []  # "withdrew its troops from Niger": the troops are the actor's
        if not recip_codes:
            holders = [tok] + ([recip_tok, *recip_tok.conjuncts] if recip_tok is not None else [])
            for holder in holders:  # "imposed sanctions on Iran", "sent aid to Morocco"
                recip_codes = self._prep_target(holder, mentions, actors, places)
                if recip_codes:
                    break
        if not recip_codes and etype in VERBAL:
            # "demanded that China withdraw", "refused Egypt's request": the other party named
            # inside what is demanded, refused, threatened
            for child in tok.children:
                if child.dep_ in ("ccomp", "xcomp", "dobj"):
                    inner = [c for c in _codes_in(child, mentions, actors)
                             if c[0] not in {a for a, _ in actor_codes}]
                    if inner:
                        recip_codes = inner[:1]
                        break
        if not recip_codes and etype in ("COERCE", "PROTEST") or (
                not recip_codes and recip_tok is not None
                and recip_tok.lemma_.lower() in PEOPLE and etype in DOMESTIC):
            recip_codes = list(actor_codes[:1])  # police arresting protesters: a domestic event
        if not actor_codes:
            return None
        if etype == "MOBILIZE" and any(t.lemma_.lower() in self.lex["aid_cues"]
                                       for t in tok.subtree):
            etype = "AID"  # "deploy police to Haiti to lead a security mission"
        mode = str(self.lex["types"][etype].get("modes", {}).get(lemma, ""))
        return self._event(etype, mode, tok, actor_codes, recip_codes)

    def _noun_event(self, tok: Any, mentions: list[Mention], actors: list[Actor],
                    places: list[Place]) -> EventSpan | None:
        head = tok.head
        own_actor = any(c.dep_ == "poss" and c.lower_ not in PRONOUNS for c in tok.children)
        if head.pos_ == "VERB" and head.lemma_.lower() in self.lex["verbs"] and \
                head.lemma_.lower() not in ANSWERS and not own_actor:
            return None  # the verb carries it ("sign an agreement", but "condemned Russia's
            # invasion of Ukraine" is two events)
        lemma = self._noun_key(tok) or tok.lemma_.lower()
        etype = self._type_for(tok, self.lex["nouns"].get(lemma, ["COOPERATE"]))
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        actor_codes: list[tuple[str, int | None]] = []
        recip_codes: list[tuple[str, int | None]] = []
        if poss is not None:
            actor_codes = _codes_for(poss, mentions, actors, places)
        for child in tok.children:
            if child.dep_ == "prep":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if child.lower_ == "between":
                    sides = _codes_for(pobj, mentions, actors, places)
                    if sides:
                        actor_codes = actor_codes or sides[:1]
                        recip_codes = sides[1:]
                elif child.lower_ in ("by", "from") and not actor_codes:
                    actor_codes = _codes_for(pobj, mentions, actors, places)
                elif (child.lower_ in RECIPIENT_PREPS or child.lower_ in ("about", "over") and
                      etype in ("ACCUSE", "THREATEN", "REQUEST")) and not recip_codes:
                    recip_codes = _codes_for(pobj, mentions, actors, places)
        if actor_codes and not recip_codes and etype == "CONSULT":
            for child in tok.children:  # "the chancellor's Lima visit": the host
                if child.dep_ == "compound":
                    recip_codes = [c for c in _codes_for(child, mentions, actors, places)
                                   if c[0] not in {a for a, _ in actor_codes}]
                    if recip_codes:
                        break
        if not actor_codes:
            for child in tok.children:
                if child.dep_ in ("compound", "amod"):
                    actor_codes = _codes_for(child, mentions, actors, places)
                    if actor_codes:
                        break
        if not actor_codes and head.pos_ == "VERB" and tok.dep_ in ("dobj", "attr"):
            # a light verb: "held talks", "staged a protest", "... and issued a warning"
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            governor = head
            while subj is None and governor.dep_ in ("conj", "xcomp", "advcl") and \
                    governor.head.i != governor.i:
                governor = governor.head
                subj = next((c for c in governor.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                actor_codes = _codes_for(subj, mentions, actors, places)
                prep_objs = [g for c in head.children if c.dep_ == "prep"
                             and c.lower_ in RECIPIENT_PREPS for g in c.children
                             if g.dep_ == "pobj"]
                for pobj in prep_objs:
                    recip_codes = recip_codes or _codes_for(pobj, mentions, actors, places)
        if actor_codes and not recip_codes and etype == "CONSULT":
            # "the emir's attendance at a summit at a resort near Nairobi"
            recip_codes = [c for c in self._prep_target(tok, mentions, actors, places)
                           if c[0] not in {a for a, _ in actor_codes}]
        for acl in (c for c in tok.children if c.dep_ == "acl" and c.pos_ == "VERB"):
            # "talks mediated by Beijing": the mediator is the recipient; "an agreement reached
            # with the junta": the other party
            agent = next((g for c in acl.children if c.dep_ == "agent" for g in c.children
                          if g.dep_ == "pobj"), None)
            if agent is not None and acl.lemma_.lower() in self.lex["mediators"]:
                recip_codes = _codes_for(agent, mentions, actors, places)
            elif not recip_codes:
                recip_codes = self._prep_target(acl, mentions, actors, places)
        clause = head.head if tok.dep_ == "pobj" and head.dep_ == "prep" else None
        if clause is not None and clause.dep_ == "prep":  # "ahead of talks"
            clause = clause.head
        by_agent = any(c.dep_ == "prep" and c.lower_ == "by" for c in tok.children)
        allowed = {"ASSAULT": ("in",), "PROTEST": ("on", "in"), "COOPERATE": ("in", "during")}
        if not actor_codes and clause is not None and clause.pos_ in ("VERB", "AUX") and \
                not by_agent and etype in ("CONSULT", "AGREE", "ASSAULT", "PROTEST",
                                           "COOPERATE") and \
                head.lower_ in allowed.get(etype, (head.lower_,)):
            # "after talks mediated by Beijing", "during a phone call with ...", "went on
            # strike", "killed 26 people in an ambush": the clause's subject takes part
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                actor_codes = _codes_for(subj, mentions, actors, places)
            if etype == "PROTEST" and not recip_codes and any(
                    c.dep_ == "prep" and c.lower_ in ("against", "over")
                    for c in clause.children):
                recip_codes = list(actor_codes[:1])
        if actor_codes and not recip_codes and tok.dep_ == "dobj" and \
                head.lemma_.lower() in self.lex["undergo"]:
            # "a move that drew criticism from Pyongyang": aimed at the mover
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.dep_ and subj.tag_ == "WDT":
                subj = head.head if head.dep_ == "relcl" else subj
            if subj is not None:
                recip_codes = _codes_for(subj, mentions, actors, places)
                if not recip_codes and subj.dep_ in ("npadvmod", "appos", "nsubj"):
                    owner = next((c for c in subj.head.children if c.dep_ == "nsubj"), None)
                    if owner is not None and owner.i != subj.i:
                        recip_codes = _codes_for(owner, mentions, actors, places)
        if actor_codes and not recip_codes and tok.dep_ == "dobj" and \
                head.lemma_.lower() in ANSWERS:
            # "Greece rejected a Turkish proposal": the proposal was made to Greece
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                recip_codes = _codes_for(subj, mentions, actors, places)
        if not actor_codes and etype in ("PROTEST", "COERCE"):
            # "protests spread", "the crackdown on activists": where it happens
            sent = tok.sent
            here = [p for p in places if sent.start_char <= p.start < sent.end_char and p.country]
            if here:
                actor_codes = [(here[0].country, None)]  # type: ignore[list-item]
        if not actor_codes:
            return None
        mode = str(self.lex["types"][etype].get("modes", {}).get(lemma, ""))
        return self._event(etype, mode, tok, actor_codes, recip_codes, confidence=0.4)

    def _event(self, etype: str, mode: str, tok: Any, actor_codes: list[tuple[str, int | None]],
               recip_codes: list[tuple[str, int | None]], confidence: float = 0.6) -> EventSpan:
        actor_set = {c for c, _ in actor_codes}
        recipients = [(c, i) for c, i in recip_codes if c not in actor_set or len(recip_codes) == 1
                      and len(actor_codes) == 1]
        if etype in JOINT_TYPES and len(actor_codes) >= 2 and not any(
                c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
            recipients = []  # "X and Y signed", "held joint drills": no recipient
        if etype == "CONSULT" and len(actor_codes) >= 2 and not recipients:
            # "talks between X and Y", "X and Y met": the first named is the actor
            actor_codes, recipients = actor_codes[:1], actor_codes[1:]
        return EventSpan(
            type=etype, mode=mode, trigger=tok.text, trigger_start=tok.idx,
            trigger_end=tok.idx + len(tok.text), sentence=0, char_start=0, char_end=0,
            actors=[c for c, _ in actor_codes], recipients=[c for c, _ in recipients],
            actor_ids=[i for _, i in actor_codes if i is not None],
            recipient_ids=[i for _, i in recipients if i is not None], confidence=confidence)

    def _default_recipients(self, event: EventSpan, tok: Any, sent: Any, mentions: list[Mention],
                            actors: list[Actor], places: list[Place]) -> None:
        """Fill the recipient the parse did not name, by the type's prior (``recipient_defaults``
        in plover.yaml): the other party named nearest the trigger, or the actor's own country
        for a domestic event."""
        prior = self.lex["recipient_defaults"].get(event.type)
        if prior is None:
            return
        if prior == "other" or event.type != "CONCEDE":
            own = set(event.actors)
            if event.recipients and set(event.recipients) <= own:
                if prior == "other":
                    event.recipients, event.recipient_ids = [], []  # troops moved at home
            elif event.recipients:
                return
            scope = sent if prior == "other" else tok.subtree
            party = self._nearest_party(tok, scope, own, mentions, actors, places)
            if party is not None:
                event.recipients = [party[0]]
                event.recipient_ids = [party[1]] if party[1] is not None else []
                return
        if event.recipients or prior != "self" or not event.actors:
            return
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        mutual = tok.lemma_.lower() in self.lex["mutual"] or (
            len(event.actors) > 1 and event.type == "ASSAULT") or (
            subject is not None and subject.lemma_.lower() in SIDES)
        if event.type == "PROTEST" and tok.pos_ in ("NOUN", "PROPN"):
            # "a strike by air traffic controllers": no target unless one is stated
            holders = [tok, tok.head] if tok.dep_ == "dobj" else [tok]
            if tok.dep_ == "pobj" and tok.head.dep_ == "prep":  # "went on strike against ..."
                holders.append(tok.head.head)
            mutual = not any(c.dep_ in ("xcomp", "advcl") or (c.dep_ == "prep" and c.lower_ in (
                "against", "over")) for h in holders for c in h.children)
        if not mutual:
            event.recipients = event.actors[:1]
            event.recipient_ids = event.actor_ids[:1]

    def _nearest_party(self, tok: Any, scope: Any, exclude: set[str], mentions: list[Mention],
                       actors: list[Actor], places: list[Place]) -> tuple[str, int | None] | None:
        """The party named nearest after (else before) the trigger, within a span of tokens:
        an actor, a place's country, a demonym. Reporters ("..., witnesses said", "according
        to ...") do not count."""
        from storyline.annotate.lexicons import lexicons

        tokens = list(scope)
        if not tokens:
            return None
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t.text) for t in tokens)
        covered = {t.idx for t in tokens}
        reporting = set()
        for t in tok.sent:
            if t.lemma_.lower() in SPEECH and t.is_ancestor(tok):
                for c in t.children:
                    if c.dep_ == "nsubj":
                        reporting.update(x.idx for x in c.subtree)
            if t.lower_ == "according":
                reporting.update(x.idx for x in t.subtree)
        for child in tok.children:  # circumstances are not targets: "after a rise in ..."
            if (child.dep_ == "prep" and child.lower_ in CIRCUMSTANCE) or child.dep_ in (
                    "npadvmod", "relcl") or (child.dep_ == "conj" and child.pos_ == "VERB" and any(
                        g.dep_ == "nsubj" for g in child.children)):
                reporting.update(x.idx for x in child.subtree)
        for t in tokens:  # another event's parties are its own ("a move that Kyiv criticised")
            up = t.head
            while up.i != tok.i and up.head.i != up.i and not up.is_ancestor(tok):
                if up.pos_ == "VERB" and up.dep_ in ("relcl", "conj", "advcl", "ccomp", "acl") and \
                        self._is_trigger(up):
                    reporting.add(t.idx)
                    break
                if (up.dep_ == "prep" and up.lower_ in CIRCUMSTANCE) or any(
                        c.dep_ == "mark" and c.lower_ in CIRCUMSTANCE for c in up.children):
                    reporting.add(t.idx)  # "... along the river after a rise in crossings"
                    break
                up = up.head
        found: list[tuple[int, str, int | None]] = []

        def add(pos: int, code: str | None, index: int | None) -> None:
            if code and code not in exclude and start <= pos < end and pos not in reporting \
                    and (pos in covered or any(t.idx <= pos < t.idx + len(t.text) for t in tokens)):
                found.append((pos, code, index))

        for m in mentions:
            if m.actor is not None:
                a = actors[m.actor]
                add(m.start, a.country or (a.sector if a.sector in ("IGO", "NGO") else None),
                    m.actor)
        for p in places:
            add(p.start, p.country, None)
        lex = lexicons()
        for t in tokens:
            if t.pos_ in ("ADJ", "PROPN"):
                add(t.idx, lex.demonyms.get(t.lower_), None)
            elif t.lower_ in ("his", "her") and t.idx > tok.idx:  # "called for his release"
                resolved = _codes_for(t, mentions, actors, places)
                if resolved:
                    add(t.idx, resolved[0][0], resolved[0][1])
        if not found:
            return None
        after = [f for f in found if f[0] >= tok.idx]
        pos, code, index = min(after, key=lambda f: f[0]) if after else max(found, key=lambda f: f[0])
        return code, index

    # -- attributes --------------------------------------------------------------------------

    def _modality(self, tok: Any) -> str:
        verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
        if tok.pos_ not in ("VERB", "AUX") and tok.dep_ == "pobj" and verb.dep_ == "prep" and \
                verb.lower_ in TEMPORAL:
            return self._modality(verb.head)  # "during the envoy's stay, both sides will sign"
        if verb.dep_ == "advcl" and verb.head.i != verb.i and any(
                c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL for c in verb.children) \
                and not any(c.dep_ == "neg" for c in verb.children):
            governing = self._modality(verb.head)
            if governing == "future":
                return governing  # "... will sign when the premier flies to Hanoi"
        aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if any(c.dep_ == "neg" for c in verb.children):
            return "negated"
        if aux & MODALS_HYPOTHETICAL or any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
            return "hypothetical"
        if aux & MODALS_FUTURE:
            return "future"
        head = verb.head
        if verb.dep_ in ("xcomp",) and head.lemma_.lower() in FORWARD:
            return "future"
        if any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children) and \
                head.lemma_.lower() in FORWARD:
            return "future"
        if verb.dep_ == "ccomp" and head.lemma_.lower() in SPEECH:
            return "reported"
        return "asserted"

    @staticmethod
    def _own_word(tok: Any, event: EventSpan, mentions: list[Mention], actors: list[Actor],
                  places: list[Place]) -> bool:
        """Whether the one who reports an event is its actor."""
        verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
        speaker = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if speaker is None:
            return False
        return bool({c for c, _ in _codes_for(speaker, mentions, actors, places)}
                    & set(event.actors))

    def _date(self, sent: Any, tok: Any, timexes: list[TimeExpr],
              published: dict[str, Any] | None) -> dict[str, Any] | None:
        inside = [t for t in timexes if sent.start_char <= t.start < sent.end_char and t.value]
        if not inside:
            pending = [t for t in timexes if sent.start_char <= t.start < sent.end_char
                       and t.relative and not published]
            if pending:  # "on Tuesday" in an undated article: resolved later from its story
                t = min(pending, key=lambda t: abs(t.start - tok.idx))
                return {"value": None, "relative": t.relative, "granularity": t.granularity,
                        "method": "sentence"}
            return dict(published) if published else None
        related = self._relative_to(tok, inside)
        if related is not None:
            return related
        # a date inside another event's phrase is that event's ("ahead of the king's visit to
        # the fair, and of the mayor's stay at the expo in October": October is the mayor's)
        others = [o for o in sent if o.i != tok.i and not o.is_ancestor(tok) and self._is_trigger(o)]
        own = []
        for t in inside:
            span = span_at(sent.doc, t.start, t.end)
            if span is None or not any(o.is_ancestor(span.root) or o.i == span.root.i
                                       for o in others):
                own.append(t)
        if not own and published:
            return dict(published)
        t = min(own or inside, key=lambda t: abs(t.start - tok.idx))
        return {"value": t.value, "granularity": t.granularity, "method": "sentence"}

    @staticmethod
    def _relative_to(tok: Any, inside: list[TimeExpr]) -> dict[str, Any] | None:
        """"on Friday, two days before her tour": the tour is two days after that Friday."""
        import datetime as dt

        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ not in ("before", "after"):
            return None
        units = {"day": 1, "days": 1, "week": 7, "weeks": 7}
        unit = prep.head if prep.head.lower_ in units else next(
            (c for c in prep.children if c.dep_ == "npadvmod" and c.lower_ in units), None)
        if unit is None:
            return None  # "two days before her tour": the unit may hang on either side
        days = units[unit.lower_]
        count = next((c for c in unit.children if c.dep_ in ("nummod", "det")), None)
        words = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
        n = words.get(count.lower_) if count is not None else None
        if n is None and count is not None and count.like_num and count.text.isdigit():
            n = int(count.text)
        if n is None:
            return None
        span_start = unit.left_edge.idx
        anchors = [t for t in inside if t.granularity == "day" and len(str(t.value)) == 10
                   and not span_start <= t.start <= tok.idx]
        if not anchors:
            return None
        anchor = min(anchors, key=lambda t: abs(t.start - span_start))
        try:
            base = dt.date.fromisoformat(str(anchor.value))
        except ValueError:
            return None
        shift = dt.timedelta(days=n * days)
        value = base + shift if prep.lower_ == "before" else base - shift
        return {"value": value.isoformat(), "granularity": "day", "method": "sentence"}

    def _place(self, sent: Any, places: list[Place]) -> dict[str, Any] | None:
        for p in places:
            if sent.start_char <= p.start < sent.end_char and p.kind != "country":
                return {"name": p.name, "geonameid": p.geonameid, "country": p.country,
                        "lat": p.lat, "lon": p.lon}
        return None
