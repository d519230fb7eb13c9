"""Does the verb that governs a span look back or forward? (from a spaCy dependency parse)

"met on Tuesday" -> past; "will travel on Tuesday", "is due to arrive on Friday", "meets on
Tuesday", "plans to sign in May" -> future. Used to place weekdays and year-less months.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from storyline.annotate.nlp import span_at
from storyline.annotate.timex import Tense, lexicon

_MODALS = frozenset({"will", "shall", "'ll", "wo", "would", "could", "might", "may"})
_PERFECT = frozenset({"has", "have", "'ve", "had"})


@lru_cache(maxsize=1)
def _future_cues() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()["future_cues"])


@lru_cache(maxsize=1)
def _forward_verbs() -> frozenset[str]:
    return frozenset(lexicon()["forward_verbs"])


@lru_cache(maxsize=1)
def _intention_verbs() -> frozenset[str]:
    return frozenset(lexicon()["intention_verbs"])


@lru_cache(maxsize=1)
def _scheduling_verbs() -> frozenset[str]:
    """Verbs whose object is an event set for later ("scheduled a hearing", "planned a
    march"): the forward verbs that do not only move an event (postpone, delay, ...)."""
    return _forward_verbs() & frozenset({"schedule", "reschedule", "plan", "set", "slate",
                                         "book"})


def tense_at(doc: Any, start: int, end: int) -> Tense:
    span = span_at(doc, start, end)
    if span is None or len(span) == 0:
        return None
    token = span.root
    inside = {t.i for t in span}
    preposition = token.head.lower_ if token.head.pos_ == "ADP" else ""
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        if token.lower_ in ("next", "upcoming", "forthcoming", "coming"):
            return "future"
        if token.i not in inside and token.pos_ in ("NOUN", "PROPN"):
            # Attached to a noun ("the election on January 25"): the clause's tense says nothing
            # about when that thing happens, unless the noun is marked as coming.
            if any(c.lower_ in ("next", "upcoming", "coming", "forthcoming", "planned")
                   for c in token.children):
                return "future"
            if token.dep_ == "dobj" and token.head.lemma_ in _scheduling_verbs():
                return "future"  # "scheduled a news conference Thursday": it lies ahead
            return None
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return None
    if token.lemma_ in _forward_verbs() and preposition in ("for", "until", "till", "to", "after"):
        return "future"  # "postponed the trial until September 14", "scheduled for March 26"
    if token.lemma_ in _scheduling_verbs() and any(c.dep_ == "dobj" for c in token.children):
        return "future"  # "has scheduled a news conference Thursday", "planned a march Saturday"
    return verb_tense(token)


def verb_tense(verb: Any, depth: int = 0) -> Tense:
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & _MODALS:
        return "future"
    if aux & _PERFECT:
        return "past"
    if "to" in aux or verb.tag_ == "VB":
        head = verb.head
        if head.lower_ in _future_cues() or head.lemma_ in _future_cues():
            return "future"
        if head.i != verb.i and head.lemma_ in _intention_verbs():
            return "future"  # "agreed to meet on Monday": the meeting lies ahead
        if head.i != verb.i and depth < 3 and head.pos_ in ("VERB", "AUX"):
            return verb_tense(head, depth + 1)  # "began to recede on Wednesday"
        return "future"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        if aux & {"is", "are", "am", "'s", "'re"}:
            return "future"  # "is planned for April 6"
        if aux & {"was", "were"} or verb.dep_ in ("ROOT", "conj", "ccomp"):
            return "past"
        if verb.dep_ == "acl" and verb.lemma_ not in _forward_verbs():
            return "past"  # "the year ended March 31", "shares bought from Aug. 26"
        return None  # a participle modifying a noun ("campaigning allowed from ...")
    if verb.tag_ == "VBG":
        if aux & {"was", "were"}:
            return "past"
        head = verb.head
        if (not aux and verb.dep_ in ("advcl", "conj") and head.i != verb.i and depth < 3
                and head.pos_ in ("VERB", "AUX")):
            return verb_tense(head, depth + 1)  # "has slumped, closing unchanged Friday"
        return "future"
    if verb.tag_ in ("VBZ", "VBP"):
        if verb.lemma_ == "be" and any(c.dep_ in ("acomp", "xcomp") and c.lower_ in
                                       _future_cues() for c in verb.children):
            return "future"
        return "future"
    return None
