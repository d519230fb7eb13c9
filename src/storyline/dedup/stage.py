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
    """Options: ``threshold`` — estimated Jaccard similarity of word 3-shingles (default 0.8).

    Exact re-ingests (an id already stored, or already seen in this run) are flagged ``exists``;
    a near duplicate of an earlier-ranked original, stored or still on its way to the store, gets
    a provisional ``duplicate_of`` and skips analysis. The store settles the verdict when it
    writes the batch (:mod:`storyline.store.duplicates`), so the outcome does not depend on
    batch size, workers or arrival order. Articles stay in the run's index until :meth:`written`
    says the store holds them.
    """

    cross_article = True

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.store: Any = None
        self.threshold = float(options.get("threshold", THRESHOLD))
        self.index = NearDuplicateIndex(threshold=self.threshold)

    def bind(self, **resources: Any) -> None:
        self.store = resources.get("store")
        self.index.lookup = self.store.lsh_candidates if self.store is not None else None
        self.index.reset_local()

    def pipe(self, articles: Sequence[Article]) -> list[Article]:
        from storyline.store.duplicates import rank_of

        existing = self.store.existing_ids([a.id for a in articles]) if self.store else set()
        for article in articles:
            if article.id in existing or article.id in self.index:
                article.hints["exists"] = True
                continue
            sig, keys = article.hints.get("fingerprint") or _fingerprint(article.text)
            article.hints["fingerprint"] = (sig, keys)
            rank = rank_of(article.published, article.id)
            match = self.index.find(sig, keys, rank)
            if match is not None:
                article.duplicate_of = match.article_id
                article.hints["duplicate_similarity"] = round(match.similarity, 3)
            self.index.add(article.id, sig, keys, rank, original=match is None)
        if self.store is None:  # nothing will say these were written: keep only this batch
            self.index.reset_local()
        return list(articles)

    def written(self, article_ids: Sequence[str]) -> None:
        """The store holds these now (its look-up finds them)."""
        self.index.forget(article_ids)
