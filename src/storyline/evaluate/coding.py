"""Event coding of one short text exactly as ``storyline ingest`` does it (the same pipeline,
from cleaning to extraction), for the evaluation commands."""

from __future__ import annotations

from typing import Any


class Coder:
    """Runs the analysis pipeline on texts given one at a time; models load once."""

    def __init__(self) -> None:
        from storyline.pipeline import Pipeline

        self.pipeline = Pipeline.from_config({
            "stages": ["main_text", "clean", "identify", "metadata", "annotate", "extract"],
            "options": {"clean": {"min_words": 1}}})
        self.pipeline.warm_up()

    def article(self, text: str, date: str | None = None) -> Any:
        """The analysed article (None when cleaning left nothing)."""
        from storyline.ingest.main_text import article_from_raw
        from storyline.model import RawDocument

        result = self.pipeline.pipe([article_from_raw(RawDocument(
            origin="eval", fmt="text", content=text, published=date, container="jsonl"))])
        return result.articles[0] if result.articles else None

    def events(self, text: str, date: str | None = None) -> tuple[Any, list[Any]]:
        """The article and its events, most confident first."""
        article = self.article(text, date)
        if article is None:
            return None, []
        return article, sorted(article.events, key=lambda e: -e.confidence)
