"""The learned typer combined with the rules, sentence by sentence.

- A rule event stays when the typer sees some event in its sentence or an event of its type
  (``KEEP``); its confidence becomes the mean of the rule's and the typer's. Rules alone code
  sport ("rallied to defeat"), travel ("walked to reach the camp") and speech ("called for") as
  events; the typer, trained on labelled news, knows better.
- When the rules find nothing and the typer is confident that the sentence reports an event of a
  type (``ADD_ANY``, ``ADD_TYPE``), the word that carries that type best (by the typer's own
  weights) becomes the trigger and the parties are read from the parse as for a rule trigger.
  Parties that name no country (a gunman, police, a jury, "a man was arrested") take the country
  the sentence's places, else the whole text, point to (``context_country``).

The thresholds were chosen on the real-text dev split (``gold/real/events-dev.jsonl``), never on
the test split.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from storyline.extract.events.classifier import ANY, EventTyper, sentence_features
from storyline.extract.events.lexicon import GROUPS, SPEECH
from storyline.extract.events.parties import AGENTS, LEGAL, context_country, generic_agent
from storyline.extract.events.span import EventSpan
from storyline.extract.events.triggers import in_body_name
from storyline.model import Actor, Mention, Place

#: Verbs of comment and opinion: never the trigger the typer falls back on ("..., adding that").
COMMENT = frozenset({"add", "note", "explain", "stress", "write", "insist", "argue", "remark",
                     "reply", "emphasize", "emphasise", "mention", "acknowledge", "believe",
                     "think", "hope", "expect", "describe", "comment", "say"})

#: Nouns of a person's office: a party, never the trigger ("spokeswoman Heather Nauert said").
ROLES = frozenset({"spokesman", "spokeswoman", "spokesperson", "minister", "president",
                   "official", "secretary", "ambassador", "envoy", "chief", "head", "leader",
                   "director", "governor", "mayor", "chairman", "chairwoman", "commander",
                   "premier", "chancellor", "king", "queen", "prince", "senator", "lawmaker",
                   "diplomat", "representative", "delegate", "adviser", "advisor", "aide"})


def _office(lemma: str) -> bool:
    return lemma in ROLES or lemma in _sector_words()


@lru_cache(maxsize=1)
def _sector_words() -> frozenset[str]:
    from storyline.annotate.lexicons import lexicons

    return frozenset(keyword for keyword, _ in lexicons().sectors)


KEEP = 0.15
ADD_ANY = 0.6
ADD_TYPE = 0.5


#: Endings of nouns that name acts ("deployment", "evacuation", "shelling", "refusal"); a noun
#: the lexicon does not list carries an event for the typer only with one of them.
EVENT_NOUN_ENDINGS = ("tion", "sion", "ment", "ing", "ance", "ence", "al", "ure", "ade", "cy",
                      "age")

class LearnedTyping:
    def __init__(self, typer: EventTyper) -> None:
        self.typer = typer

    def weigh(self, ex: Any, sent: Any, found: list[tuple[Any, EventSpan]],
              mentions: list[Mention], actors: list[Actor], places: list[Place],
              quoted: list[tuple[int, int]]) -> list[tuple[Any, EventSpan]]:
        features = sentence_features(sent)
        probs = self.typer.scores(features)
        kept = []
        for tok, event in found:
            p_type = probs.get(event.type, 0.0)
            if probs[ANY] < KEEP and p_type < KEEP and not _named_by_object(ex, tok, event):
                continue
            event.confidence = round((event.confidence + p_type) / 2, 3)
            kept.append((tok, event))
        if kept or probs[ANY] < ADD_ANY:
            return kept
        ranked = sorted(((p, t) for t, p in probs.items() if t != ANY), reverse=True)
        for p, etype in ranked[:2]:
            if p < ADD_TYPE:
                break
            for tok in self._triggers(sent, etype, quoted, ex):
                event = self._event(ex, tok, etype, sent, mentions, actors, places)
                if event is not None:
                    event.confidence = round(p * 0.8, 3)
                    return [(tok, event)]
        return []

    def _triggers(self, sent: Any, etype: str, quoted: list[tuple[int, int]], ex: Any
                  ) -> list[Any]:
        """Verbs and nouns of the sentence that carry ``etype`` by the typer's weights, best
        first."""
        index = self.typer.labels.index(etype)
        scored = []
        for tok in sent:
            if tok.pos_ not in ("VERB", "NOUN") or any(s <= tok.idx < e for s, e in quoted):
                continue
            if ex._is_content(tok) or tok.ent_type_ in ("DATE", "TIME") or in_body_name(tok):
                continue
            lemma = tok.lemma_.lower()
            if lemma in SPEECH or lemma in COMMENT or lemma == "accord" and tok.lower_ == \
                    "according":
                continue  # "..., police said", "according to": the report, not the event
            if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in SPEECH:
                continue  # "..., the ministry's statement said": the report itself
            if tok.pos_ == "NOUN" and (lemma in GROUPS or tok.lower_ in GROUPS or
                                       lemma in AGENTS or _office(lemma)):
                continue  # a party ("police", "the coast", "a spokeswoman"), not what it does
            if tok.pos_ == "VERB" and ex._object_match(
                    tok, ex.lex["verb_objects"].get(lemma, {})) == "":
                continue  # the object makes it no event: "sent condolences", "denied charges"
            key = ex._noun_key(tok) if tok.pos_ == "NOUN" else None
            if key is not None and ex._type_for(tok, ex.lex["nouns"].get(key, ["COOPERATE"])) == "":
                continue  # a rule says it is none: "received a distress call"
            if tok.pos_ == "NOUN" and key is None and not lemma.endswith(EVENT_NOUN_ENDINGS):
                continue  # a thing, not an act: "near the border"
            if tok.pos_ == "VERB" and lemma in ex.lex["verbs"] and \
                    ex._type_for(tok, ex.lex["verbs"][lemma]) == "":
                continue  # a rule says it is none: "threatening to raise tensions"

            names = [f"w:{lemma}", f"v:{lemma}"] + [
                f"vo:{lemma}|{c.lemma_.lower()}" for c in tok.children
                if c.dep_ in ("dobj", "nsubjpass", "attr")] + [
                f"vp:{lemma}|{c.lower_}" for c in tok.children if c.dep_ == "prt"]
            score = sum(w for name in names for i, w in self.typer.weights.get(name, ())
                        if i == index)
            if score > 0:
                scored.append((score, tok.i, tok))
        return [tok for _, _, tok in sorted(scored, key=lambda x: (-x[0], x[1]))[:3]]

    def _event(self, ex: Any, tok: Any, etype: str, sent: Any, mentions: list[Mention],
               actors: list[Actor], places: list[Place]) -> EventSpan | None:
        make = ex._verb_event if tok.pos_ == "VERB" else ex._noun_event
        event = make(tok, mentions, actors, places, forced=etype)
        if event is not None or tok.pos_ != "VERB":
            return event
        if etype == "ASSAULT" and ex._not_an_attack(
                tok, tok.lemma_.lower(), next((c for c in tok.children if c.dep_ == "dobj"), None)):
            return None  # fired from a job, a road accident
        # parties that name no country: a gunman, police, a jury, a passive without agent
        country = context_country(sent, mentions, actors, ex._context(places))
        if country is None:
            return None
        subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        passive = subject is not None and subject.dep_ == "nsubjpass"
        generic = subject is None or generic_agent(subject)
        if not generic and not passive:
            return None
        recipients: list[tuple[str, int | None]] = []
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if passive or (obj is not None and (obj.lemma_.lower() in AGENTS or
                                            obj.ent_type_ == "PERSON")):
            recipients = [(country, None)] if etype in LEGAL or etype == "ASSAULT" else []
        mode = str(ex.lex["types"][etype].get("modes", {}).get(tok.lemma_.lower(), ""))
        return ex._event(etype, mode, tok, [(country, None)], recipients)


def _named_by_object(ex: Any, tok: Any, event: EventSpan) -> bool:
    """A verb whose object names the event's own type ("provided food relief", "imposed
    sanctions"): the rule's evidence is the words themselves, which the typer may not have
    seen often enough to outvote."""
    if tok.pos_ != "VERB":
        return False
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None:
        return False
    key = ex._noun_key(obj)
    return key is not None and event.type in ex.lex["nouns"].get(key, ())
