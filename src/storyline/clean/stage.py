"""Stage ``clean``: boilerplate removal and repairs on the article body."""

from __future__ import annotations

from storyline.clean.cleaner import Cleaner
from storyline.errors import InputRejected, Msg
from storyline.model import Article
from storyline.pipeline import Stage, stage

DEFAULT_MIN_WORDS = 20


@stage("clean", requires=["body"],
       provides=["text", "raw_text", "removed", "repairs", "captions", "headings"])
class Clean(Stage):
    """Options: ``min_words`` (default 20) — shorter cleaned texts are rejected, not stored."""

    def warm_up(self) -> None:
        self.cleaner = Cleaner()
        self.min_words = int(self.options.get("min_words", DEFAULT_MIN_WORDS))

    def process(self, article: Article) -> Article:
        body = article.hints.get("body") or ""
        html = article.hints.get("html") or {}
        result = self.cleaner.clean(body, article.fmt, captions=html.get("captions", ()))
        words = len(result.text.split())
        if words < self.min_words:
            raise InputRejected(Msg.E012, words=words, minimum=self.min_words)
        article.raw_text = body
        article.text = result.text
        article.removed = result.removed
        article.repairs = result.repairs
        article.captions = result.captions
        article.headings = result.headings
        article.hints["clean"] = result
        return article
