"""Stage ``dedup``: exact re-ingests become no-ops, near duplicates get ``duplicate_of``.

Cross-article: it asks the store which ids exist and which stored signatures share an LSH band, so
it runs in the main process after the per-article stages. Later stages skip flagged duplicates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.dedup.near_duplicates import THRESHOLD, NearDuplicateIndex, band_keys, signature
from storyline.model import Article
from storyline.pipeline import Stage, stage


def _fingerprint(text: str) -> tuple[Any, list[bytes]]:
    sig = signature(text)
    return sig, band_keys(sig)


@stage("fingerprint", requires=["text"], provides=["minhash"])
class Fingerprint(Stage):
    """MinHash signature and LSH band keys of the cleaned text (per article, so it runs in the
    worker processes)."""

    def warm_up(self) -> None:
        signature("warm up")  # imports datasketch once

    def process(self, article: Article) -> Article:
        sig = signature(article.text)
        article.hints["fingerprint"] = (sig, band_keys(sig))
        return article


@stage("dedup", requires=["id", "minhash"], provides=["duplicate_of"])
class Dedup(Stage):
    """Options: ``threshold`` — estimated Jaccard similarity of word 3-shingles (default 0.8)."""

    cross_article = True

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.store: Any = None
        self.index = NearDuplicateIndex(threshold=float(options.get("threshold", THRESHOLD)))

    def bind(self, **resources: Any) -> None:
        self.store = resources.get("store")
        self.index.lookup = self.store.lsh_candidates if self.store is not None else None

    def pipe(self, articles: Sequence[Article]) -> list[Article]:
        existing = self.store.existing_ids([a.id for a in articles]) if self.store else set()
        seen: set[str] = set()
        for article in articles:
            if article.id in existing or article.id in seen:
                article.hints["exists"] = True
                continue
            seen.add(article.id)
            sig, keys = article.hints.get("fingerprint") or _fingerprint(article.text)
            match = self.index.find(sig, keys)
            if match is not None:
                article.duplicate_of = match.article_id
                article.hints["duplicate_similarity"] = round(match.similarity, 3)
            else:
                self.index.add(article.id, sig, keys)
                article.hints["minhash"] = (sig, keys)
        if self.store is not None:  # the batch is stored before the next one comes
            self.index.reset_local()
        return list(articles)
