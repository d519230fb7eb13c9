"""The event extractor: each sentence's triggers coded into events (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storyline.extract.events.arguments import ArgumentRules
from storyline.extract.events.dating import DatingRules
from storyline.extract.events.lexicon import lexicon
from storyline.extract.events.modality import ModalityRules, after_article
from storyline.extract.events.span import EventSpan
from storyline.extract.events.triggers import TriggerRules
from storyline.model import Actor, Mention, Place, TimeExpr

#: The PLOVER manual (AGREE; CONSULT, AID and RETREAT "Potential ambiguities"; auxiliary modes):
#: cooperation announced for the future is AGREE, an announced withdrawal CONCEDE.
FUTURE_TYPE = {"CONSULT": "AGREE", "SUPPORT": "AGREE", "COOPERATE": "AGREE", "AID": "AGREE",
               "RETREAT": "CONCEDE"}


class EventExtractor(TriggerRules, ArgumentRules, ModalityRules, DatingRules):
    """Sentence by sentence: triggers, their type, parties, modality, date and place."""

    def __init__(self, learned: bool = True) -> None:
        self.lex = lexicon()
        self.context_places: list[Place] = []
        self.typer = None
        if learned:
            from storyline.extract.events.classifier import EventTyper
            from storyline.extract.events.learned import LearnedTyping

            self.typer = EventTyper.load()
            self.learned = LearnedTyping(self.typer)

    def extract(self, doc: Any, mentions: list[Mention], actors: list[Actor],
                timexes: list[TimeExpr], places: list[Place],
                quoted: list[tuple[int, int]] = (),  # type: ignore[assignment]
                published: dict[str, Any] | None = None,
                on_error: Callable[[int, BaseException], None] | None = None
                ) -> list[EventSpan]:
        """Events of a parsed article, sentence by sentence. With ``on_error(char_offset,
        exc)``, a sentence whose analysis raises is reported and loses its events only.
        Places named only as attributes ("Russian", "the Texas Department of Health") take no
        part: the parties' rules read demonyms and organisations themselves."""
        # places named as attributes ("a San Diego man") still tell which country the text is in
        self.context_places = list(places)
        places = [p for p in places if not p.associative]
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
        """Adds the events of one sentence to ``events``: the rules' events, weighed by the
        learned typer (dropped when it sees no event of their kind), or, when the rules find
        none, the event the typer sees, with its parties read from the parse."""
        found: list[tuple[Any, EventSpan]] = []
        game = any(t.lower_ in self.lex["sport_words"] for t in sent)
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
                                       or self._object_event(tok) is not None
                                       or self._party_event(tok) is not None
                                       or self._light_event(tok) is not None):
                event = self._verb_event(tok, mentions, actors, places)
            elif tok.pos_ in ("NOUN", "PROPN") and self._noun_key(tok) is not None:
                event = self._noun_event(tok, mentions, actors, places)
            if event is not None:
                found.append((tok, event))
        if self.typer is not None and not any(s <= sent.start_char < e for s, e in quoted):
            found = self.learned.weigh(self, sent, found, mentions, actors, places, quoted)
        if game:  # a game told: its blocks, cuts and offers are no events; a player's arrest is
            found = [(tok, e) for tok, e in found if e.type in ("COERCE", "ACCUSE", "SANCTION")]
        for tok, event in found:
            self._finish(index, sent, tok, event, events, mentions, actors, timexes, places,
                         published)

    def _finish(self, index: int, sent: Any, tok: Any, event: EventSpan, events: list[EventSpan],
                mentions: list[Mention], actors: list[Actor], timexes: list[TimeExpr],
                places: list[Place], published: dict[str, Any] | None) -> None:
        """Recipient prior, modality, date, place, contexts; one action told twice is kept
        once."""
        self._default_recipients(event, tok, sent, mentions, actors, places)
        if event.reciprocal:
            self._reciprocal(event, sent, places)
        event.sentence = index
        event.char_start, event.char_end = sent.start_char, sent.end_char
        event.modality = self._modality(tok)
        if tok.dep_ in ("acl", "relcl") and tok.head.dep_ in ("dobj", "pobj", "nsubjpass"):
            # "lifted sanctions imposed nine years ago", "released a ship it seized": the clause
            # tells what the main act is about; it is background, less the sentence's event
            event.confidence = round(event.confidence * BACKGROUND, 3)
        if event.modality == "reported" and self._own_word(tok, event, mentions, actors, places):
            event.modality = "asserted"  # "the minister said she had approved it": her own act
        event.date = self._date(sent, tok, timexes, published)
        if event.modality in ("asserted", "reported") and after_article(event.date, published):
            event.modality = "future"  # "the queen's trip to Oslo in June", written in April
        if event.modality == "negated" and event.type in REFUSABLE and _will_not(tok):
            # "Britain will not lift the ban", "Hungary won't accept the migrants": a refusal,
            # which the manual codes REJECT ("all rejections and refusals")
            event.type, event.mode, event.modality = "REJECT", "", "asserted"
        if event.modality == "future" and event.type in FUTURE_TYPE:
            # the manual: a future meeting or visit is AGREE, an announced withdrawal CONCEDE
            event.type, event.mode = FUTURE_TYPE[event.type], ""
        event.place = self._place(sent, tok, places, mentions)
        spec = self.lex["types"][event.type]
        event.cameo = str((spec.get("cameo_cues") or {}).get(tok.lemma_.lower(),
                                                             spec.get("cameo", "")))
        if event.modality == "future" and event.type in ("AGREE", "CONCEDE"):
            event.cameo = "03"  # CAMEO codes announced cooperation and concessions as intent
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
            return
        events.append(event)

    @staticmethod
    def _reciprocal(event: EventSpan, sent: Any, places: list[Place]) -> None:
        """The manual (CONSULT; Compound and Reciprocal Actors): when one side hosts, the
        visitor is the actor and the host the recipient; otherwise every participant is an
        actor and there is no recipient. The host is the partner whose country the meeting
        takes place in (this sentence or the one before: "arrived in Jakarta ... held talks
        with her Indonesian counterpart")."""
        doc = sent.doc
        before = doc[sent.start - 1].sent if sent.start > 0 else sent
        where = {p.country for p in places if before.start_char <= p.start < sent.end_char
                 and p.country}
        if set(event.recipients) & where and not set(event.actors) & where:
            return  # hosted by the recipient: a visit
        event.actors = event.actors + [c for c in event.recipients if c not in event.actors]
        event.actor_ids = event.actor_ids + [i for i in event.recipient_ids
                                             if i not in event.actor_ids]
        event.recipients, event.recipient_ids = [], []


BACKGROUND = 0.5

#: Cooperative acts whose announced refusal ("will not lift", "won't meet") is a REJECT.
REFUSABLE = frozenset({"CONCEDE", "RETREAT", "AGREE", "AID", "COOPERATE", "SUPPORT", "CONSULT"})


def _will_not(tok: Any) -> bool:
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"have", "'ve"}:
        return False  # "would not have resigned": a counterfactual, no refusal
    return bool(aux & {"will", "wo", "would", "shall"}) and any(
        c.dep_ == "neg" for c in verb.children)
