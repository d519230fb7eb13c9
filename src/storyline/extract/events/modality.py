"""Modality of an event: negated, hypothetical, future, reported or asserted, from its verb's
auxiliaries, marks and governing verbs; and whether its own date lies after the article's."""

from __future__ import annotations

from typing import Any

from storyline.extract.events.lexicon import (
    ANSWERABLE,
    DENIED_LINKS,
    DENYING,
    FORWARD,
    MODALS_FUTURE,
    MODALS_HYPOTHETICAL,
    SPEECH,
    TEMPORAL,
    WEIGHING,
)
from storyline.extract.events.parties import codes_for
from storyline.extract.events.span import EventSpan
from storyline.model import Actor, Mention, Place


def after_article(date: dict[str, Any] | None, published: dict[str, Any] | None) -> bool:
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


#: Adjectives whose infinitive has not happened: "reluctant to detain", "unable to stop".
RELUCTANT = frozenset({"reluctant", "unwilling", "hesitant", "loath", "loth", "unable", "afraid",
                       "wary"})
#: Words before an event noun that say it has not happened (yet).
UNREAL_FUTURE = frozenset({"pending", "planned", "impending", "imminent", "looming", "upcoming",
                           "proposed", "scheduled", "expected", "forthcoming"})
UNREAL_HYPOTHETICAL = frozenset({"possible", "potential", "feared", "rumoured",
                                 "rumored", "hypothetical", "would-be"})


def denied(tok: Any) -> bool:
    """Whether a denial governs the event at ``tok``: "denied (that) they carried out the
    strike", "denied any bombing", "denied striking", "denied any link to the ambush"."""
    if tok.lemma_.lower() in ANSWERABLE:
        return False  # "denied the request": a refusal (REJECT), nothing negated
    if tok.dep_ == "amod" and tok.tag_ == "VBG" and tok.head.dep_ == "dobj" and \
            tok.head.head.lemma_.lower() in DENYING:
        return True  # "denied shelling Ethiopian territory" parsed as an adjective
    node = tok
    for _ in range(4):
        if node.dep_ not in ("dobj", "ccomp", "xcomp", "pobj", "prep", "pcomp") or node.head is node:
            return False
        head = node.head
        if head.pos_ == "VERB" and head.lemma_.lower() in DENYING:
            # a phrase on the verb itself counts only after a link ("denied any links | to the
            # raid"); "denied the request | for talks": the talks are what was asked
            return node.dep_ != "prep" or any(c.dep_ == "dobj" and c.lower_ in DENIED_LINKS
                                              for c in head.children)
        if head.pos_ in ("NOUN", "PROPN") and head.lower_ not in DENIED_LINKS:
            return False
        if head.pos_ == "VERB" and node.dep_ not in ("ccomp", "xcomp") and node is not tok:
            return False
        node = head
    return False


class ModalityRules:
    def _modality(self, tok: Any) -> str:
        if denied(tok) or (tok.pos_ not in ("VERB", "AUX") and tok.head.pos_ == "VERB"
                           and denied(tok.head)):
            return "negated"
        if tok.pos_ in ("NOUN", "PROPN"):
            ahead = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound")}
            if ahead & UNREAL_HYPOTHETICAL:
                return "hypothetical"  # "a possible attack", "a feared invasion"
            if ahead & UNREAL_FUTURE:
                return "future"  # "Eritrea's pending invasion", "a planned strike"
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
        if verb.dep_ in ("xcomp", "dobj", "ccomp") and head.i != verb.i and \
                head.lemma_.lower() in WEIGHING:
            return "hypothetical"  # "is considering sending aid", "weighs imposing tariffs"
        if verb.dep_ in ("xcomp",) and head.lemma_.lower() in FORWARD:
            return "future"
        if verb.dep_ == "xcomp" and head.lemma_.lower() in RELUCTANT:
            return "hypothetical"  # "police have been reluctant to detain them"
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
        return bool({c for c, _ in codes_for(speaker, mentions, actors, places)}
                    & set(event.actors))
