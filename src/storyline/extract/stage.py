"""Stage ``extract``: quotes and quantities from the parse and actors of the annotate stage."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from storyline.extract.quantities import find_quantities, quantity_id
from storyline.model import Article, Quantity, Quote
from storyline.pipeline import Stage, stage


def quote_id(article_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:16]


@stage("extract", requires=["text", "mentions", "actors"], provides=["quotes", "quantities"])
class Extract(Stage):
    skip_duplicates = True

    def warm_up(self) -> None:
        from storyline.annotate.nlp import load_nlp
        from storyline.extract.quotes import QuoteExtractor

        self.nlp = load_nlp()
        self.quotes = QuoteExtractor()

    def pipe(self, articles: Sequence[Article]) -> list[Article]:
        for article in articles:
            doc = article.hints.get("doc")
            if doc is None:  # run without the annotate stage in this process
                doc = self.nlp(article.text)
            found = self.quotes.extract(doc, article.mentions, article.actors)
            article.quotes = [
                Quote(quote_id(article.id, q.content_start, q.content_end), q.kind,
                      q.content_start, q.content_end, article.text[q.content_start:q.content_end],
                      q.cue, q.speaker_text, q.speaker, q.actor)
                for q in found]
            article.quantities = [
                Quantity(quantity_id(article.id, q.start, q.end), q.text, q.start, q.end, q.value,
                         q.value_max, q.unit, q.normalized_value, q.normalized_unit, q.qualifier,
                         q.measures, q.year)
                for q in find_quantities(article.text, doc,
                                         [(t.start, t.end) for t in article.timexes])]
        return list(articles)
