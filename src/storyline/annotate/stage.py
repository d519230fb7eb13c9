"""Stage ``annotate``: one spaCy pass per article (batched with ``nlp.pipe``) gives sentences,
time expressions normalised against the article's date, actors with their mentions, and places."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.errors import InputRejected, Msg
from storyline.model import Article
from storyline.pipeline import Stage, stage

MAX_CHARS = 1_000_000


@stage("annotate", requires=["text", "published"],
       provides=["sentences", "timexes", "mentions", "actors", "places"])
class Annotate(Stage):
    """Options: ``batch_size`` for ``nlp.pipe`` (default 32)."""

    skip_duplicates = True

    def warm_up(self) -> None:
        from storyline.annotate.actors import ActorAnnotator
        from storyline.annotate.nlp import load_nlp
        from storyline.annotate.places import gazetteer

        self.nlp = load_nlp()
        self.actors = ActorAnnotator()
        gazetteer()  # builds the place index once per process

    def pipe(self, articles: Sequence[Article]) -> list[Article]:
        for article in articles:
            if len(article.text) > MAX_CHARS:
                raise InputRejected(Msg.E004, size=len(article.text), limit=MAX_CHARS)
        texts = [a.text for a in articles]
        docs = self.nlp.pipe(texts, batch_size=int(self.options.get("batch_size", 32)))
        for article, doc in zip(articles, docs, strict=True):
            annotate_doc(article, doc, self.actors)
            article.hints["doc"] = doc  # for the extract stage in the same process
        return list(articles)


def annotate_doc(article: Article, doc: Any, actors: Any) -> Article:
    from storyline.annotate.places import resolve_places
    from storyline.annotate.tense import tense_at
    from storyline.annotate.timex import find_timexes

    article.sentences = [(s.start_char, s.end_char) for s in doc.sents]
    dct = article.published if article.published and not article.published.startswith("X") \
        and article.published_granularity == "day" else None
    article.timexes = find_timexes(article.text, dct, lambda s, e: tense_at(doc, s, e))
    article.mentions, article.actors = actors.annotate(doc)
    article.doc_time = None
    if dct is None:  # undated, or dated to the month or year only
        from storyline.annotate.doctime import complete_year_less, doc_time_of

        article.doc_time = doc_time_of(
            article.published, article.timexes, lambda s, e: tense_at(doc, s, e),
            article.text, article.sentences, article.mentions, article.actors)
        article.timexes = complete_year_less(article.timexes, article.doc_time)
    article.places = resolve_places(doc)
    return article
