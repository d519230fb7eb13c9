"""Near-duplicate detection with MinHash and banded LSH (datasketch MinHash).

Signatures over word 3-shingles are cut into ``bands`` bands; two texts that share any band are
candidates, and a candidate whose estimated Jaccard similarity reaches ``threshold`` is a near
duplicate. Band keys live in the store (an indexed table), so a lookup costs a handful of indexed
reads whatever the store's size — no all-pairs comparison, no index held in memory.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
BANDS = 16  # 16 bands x 8 rows: candidates from about Jaccard 0.7
SHINGLE = 3
THRESHOLD = 0.8


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < k:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


def signature(text: str) -> np.ndarray:
    from datasketch import MinHash

    # crc32 is a fine 32-bit shingle hash here and several times faster than the sha1 default.
    mh = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32)
    mh.update_batch(list(shingles(text)))
    return mh.hashvalues.astype(np.uint64)


def band_keys(sig: np.ndarray, bands: int = BANDS) -> list[bytes]:
    rows = len(sig) // bands
    keys = []
    for b in range(bands):
        chunk = sig[b * rows:(b + 1) * rows].tobytes()
        keys.append(bytes([b]) + hashlib.blake2b(chunk, digest_size=8).digest())
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


@dataclass
class Match:
    article_id: str
    similarity: float


Rank = tuple[str, str]
Candidate = tuple[np.ndarray, Rank, bool]  # signature, rank, is an original


class NearDuplicateIndex:
    """Finds the original a text nearly duplicates, among stored articles and articles of this
    run not stored yet: the most similar earlier-ranked original (see
    :mod:`storyline.store.duplicates` for the rank, which makes the verdict independent of
    arrival order). The verdict is provisional (it decides whether the article is analysed);
    the store settles it when the article is written.

    ``lookup(keys)`` returns ``{article_id: (signature, rank, is_original)}`` of stored
    candidates sharing a band key.
    """

    def __init__(
        self,
        lookup: Callable[[list[bytes]], dict[str, Candidate]] | None = None,
        threshold: float = THRESHOLD,
    ) -> None:
        self.lookup = lookup
        self.threshold = threshold
        self._local_keys: dict[bytes, list[str]] = {}
        self._local: dict[str, Candidate] = {}

    def find(self, sig: np.ndarray, keys: Iterable[bytes], rank: Rank | None = None
             ) -> Match | None:
        """The best earlier-ranked original (any original when ``rank`` is None)."""
        keys = list(keys)
        candidates: dict[str, Candidate] = {}
        if self.lookup is not None:
            candidates.update(self.lookup(keys))
        for key in keys:
            for other in self._local_keys.get(key, ()):
                candidates[other] = self._local[other]
        best: tuple[float, Rank, str] | None = None
        for other, (other_sig, other_rank, original) in candidates.items():
            if not original or (rank is not None and other_rank >= rank):
                continue
            sim = similarity(sig, other_sig)
            if sim >= self.threshold and (best is None or (-sim, other_rank) < (-best[0], best[1])):
                best = (sim, other_rank, other)
        return Match(best[2], best[0]) if best else None

    def add(self, article_id: str, sig: np.ndarray, keys: Iterable[bytes],
            rank: Rank = ("", ""), original: bool = True) -> None:
        """Remember an article of this run until the store holds it."""
        self._local[article_id] = (sig, rank, original)
        for key in keys:
            self._local_keys.setdefault(key, []).append(article_id)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._local

    def forget(self, article_ids: Iterable[str]) -> None:
        """Articles now in the store (the look-up finds them there)."""
        for article_id in article_ids:
            entry = self._local.pop(article_id, None)
            if entry is None:
                continue
            for key in band_keys(entry[0]):
                ids = self._local_keys.get(key)
                if ids is not None:
                    ids[:] = [i for i in ids if i != article_id]
                    if not ids:
                        del self._local_keys[key]

    def reset_local(self) -> None:
        self._local_keys.clear()
        self._local.clear()
