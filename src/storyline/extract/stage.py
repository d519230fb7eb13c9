"""Stage ``extract``: quotes, quantities and PLOVER events from the parse and annotations of the
annotate stage (run in the same process, so the parse is reused)."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from storyline.extract.quantities import find_quantities, quantity_id
from storyline.model import Article, Event, Quantity, Quote
from storyline.pipeline import Stage, stage, stage_failure


def _recorder(article: Article, part: str) -> Callable[[int, BaseException], None]:
    """Per-sentence isolation: an extractor reports an exception with the character offset it
    concerns; the article keeps everything else and records the failure with its sentence."""
    starts = [s for s, _ in article.sentences]

    def record(at: int, exc: BaseException) -> None:
        sentence = max(0, bisect.bisect_right(starts, at) - 1) if starts else None
        article.failures.append(stage_failure("extract", exc, sentence=sentence, part=part))

    return record


def quote_id(article_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:16]


@stage("extract", requires=["text", "mentions", "actors"],
       provides=["quotes", "quantities", "events"])
class Extract(Stage):
    skip_duplicates = True

    def warm_up(self) -> None:
        from storyline.annotate.nlp import load_nlp
        from storyline.extract.events import EventExtractor
        from storyline.extract.quotes import QuoteExtractor

        self.nlp = load_nlp()
        self.quotes = QuoteExtractor()
        self.events = EventExtractor()

    def pipe(self, articles: Sequence[Article]) -> list[Article]:
        for article in articles:
            doc = article.hints.get("doc")
            if doc is None:  # run without the annotate stage in this process
                doc = self.nlp(article.text)
            found = self.quotes.extract(doc, article.mentions, article.actors,
                                        _recorder(article, "quotes"))
            article.quotes = [
                Quote(quote_id(article.id, q.content_start, q.content_end), q.kind,
                      q.content_start, q.content_end, article.text[q.content_start:q.content_end],
                      q.cue, q.speaker_text,
                      (q.description or q.speaker) if q.anonymous else q.speaker, q.actor,
                      anonymous=q.anonymous or q.speaker == "anonymous")
                for q in found]
            article.quantities = [
                Quantity(quantity_id(article.id, q.start, q.end), q.text, q.start, q.end, q.value,
                         q.value_max, q.unit, q.normalized_value, q.normalized_unit, q.qualifier,
                         q.measures, q.year)
                for q in find_quantities(article.text, doc,
                                         [(t.start, t.end) for t in article.timexes],
                                         _recorder(article, "quantities"))]
            article.events = self._events(article, doc, found)
        return list(articles)

    def _events(self, article: Article, doc: object, quotes: list) -> list[Event]:  # type: ignore[type-arg]
        published = None
        if article.published:
            published = {"value": article.published,
                         "granularity": article.published_granularity,
                         "method": f"article ({article.published_method})"}
        direct = [(q.content_start, q.content_end) for q in quotes if q.kind == "direct"]
        spans = self.events.extract(doc, article.mentions, article.actors, article.timexes,
                                    article.places, direct, published,
                                    _recorder(article, "events"))

        def refs(codes: list[str], ids: list[int], span: tuple[int, int] | None = None
                 ) -> list[dict[str, object]]:
            out: list[dict[str, object]] = []
            named = {article.actors[i].country or article.actors[i].sector: article.actors[i]
                     for i in ids}
            for code in codes:
                actor = named.get(code)
                out.append({"id": actor.id if actor else None,
                            "name": actor.name if actor else code,
                            "country": code if len(code) == 3 and code not in ("IGO", "NGO",
                                                                                 "MNC") else None,
                            "sector": actor.sector if actor else (code if code in
                                                                   ("IGO", "NGO", "MNC") else None)})
            if span is not None:  # where in the text the party was read from
                person = _person_in(doc, span)
                for ref in out:
                    ref["start"], ref["end"] = span
                    if person and ref["id"] is None:  # a person the coder placed only by
                        ref["person"] = person  # country: "receiver Thomas Brennan" -> brennan
            return out

        return [Event(hashlib.sha1(f"e:{article.id}:{e.trigger_start}:{e.type}".encode())
                      .hexdigest()[:16], e.type, e.mode, e.sentence, e.char_start, e.char_end,
                      e.trigger, e.trigger_start, e.trigger_end,
                      refs(e.actors, e.actor_ids, e.actor_span),
                      refs(e.recipients, e.recipient_ids, e.recipient_span), e.contexts, e.date, e.place,
                      e.modality, e.confidence, e.cameo)
                for e in spans]


def _person_in(doc: Any, span: tuple[int, int]) -> str | None:
    """The surname of the last person the tagger finds in a party's phrase, lower-cased."""
    people = [e for e in getattr(doc, "ents", ()) if e.label_ == "PERSON"
              and span[0] <= e.start_char and e.end_char <= span[1]]
    if not people:
        return None
    last = people[-1][-1]
    return last.lower_ if last.is_alpha else None
