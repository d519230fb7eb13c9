"""Story features of an article: weighted sparse vectors built from its words and its names.

Two channels, each TF-IDF weighted (sublinear tf) and L2-normalised on its own, then joined:

- **terms** (``t:``): lower-cased content words — what kind of story it is (an earthquake, an
  arrest, a product launch);
- **names** (``n:``): who, where, when and how many — capitalised words that do not open a sentence,
  numbers (``#:``) and years (``y:``), plus linked actor ids (``a:``) and event keys (``e:``) when
  the pipeline supplies them.

Two stories of the same kind share their terms but not their names (a 2008 and a 2013 earthquake,
one in Papua and one in Aceh), so the names channel is what keeps recurring stories apart; its
weight (``name_weight``) was chosen on the ECB+ dev topics.

IDF comes from a :class:`DocumentFrequencies` table: filled from the batch being clustered, or
from every article seen so far when stories grow one article at a time.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

Vector = dict[str, float]

_TOKEN = re.compile(r"\w+(?:[.'’&-]\w+)*")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*(?:st|nd|rd|th)?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_POSSESSIVE = re.compile(r"['’]s$")
_OPENERS = "\"'`‘“([{"
_SENTENCE_ENDS = ".!?\n"


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words dropped from both channels (``data/story_stopwords.txt``)."""
    text = resources.files("storyline.data").joinpath("story_stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.split("#", 1)[0].strip()))


def _opens_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i] in " \t" or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


def text_features(text: str) -> Counter[str]:
    """Feature counts of a text: ``t:word`` for content words, ``n:``/``#:``/``y:`` for names,
    numbers and years.

    >>> sorted(text_features("Rescuers reached Aceh in 2013 after the 6.1 quake.").elements())
    ['#:6.1', 'n:aceh', 't:2013', 't:aceh', 't:quake', 't:reached', 't:rescuers', 'y:2013']
    """
    stop = stopwords()
    counts: Counter[str] = Counter()
    for match in _TOKEN.finditer(text):
        word = match.group()
        low = _POSSESSIVE.sub("", word.lower())
        if len(low) < 2 or low in stop:
            continue
        if _YEAR.match(low):
            counts["y:" + low] += 1
        elif _NUMBER.match(low):
            counts["#:" + low] += 1
            continue
        elif word[0].isupper() and not _opens_sentence(text, match.start()):
            counts["n:" + low] += 1
        counts["t:" + low] += 1
    return counts


def is_name_feature(feature: str) -> bool:
    return not feature.startswith("t:")


@dataclass
class DocumentFrequencies:
    """Document frequency of each feature, for smoothed IDF ``ln((1 + n) / (1 + df)) + 1``."""

    documents: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    #: counts added since the owner last saved the table (persistence appends only these)
    pending: Counter[str] = field(default_factory=Counter)

    def observe(self, features: Iterable[str]) -> None:
        self.documents += 1
        seen = set(features)
        self.counts.update(seen)
        self.pending.update(seen)

    def idf(self, feature: str) -> float:
        return math.log((1 + self.documents) / (1 + self.counts.get(feature, 0))) + 1.0


def weigh(features: Mapping[str, int], df: DocumentFrequencies, name_weight: float) -> Vector:
    """Unit-length vector: per channel sublinear tf x idf, L2-normalised, names scaled by
    ``name_weight``, then the whole normalised again."""
    channels: dict[bool, Vector] = {False: {}, True: {}}
    for feature, count in features.items():
        if count > 0:
            channels[is_name_feature(feature)][feature] = (1.0 + math.log(count)) * df.idf(feature)
    vector: Vector = {}
    for is_name, weights in channels.items():
        norm = math.sqrt(sum(w * w for w in weights.values()))
        scale = (name_weight if is_name else 1.0) / norm if norm else 0.0
        vector.update({f: w * scale for f, w in weights.items()})
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {f: w / norm for f, w in vector.items()} if norm else {}


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    # the shared features first (a set intersection in C): vectors share few of their features
    return sum(a[f] * b[f] for f in a.keys() & b.keys())


def top_features(vector: Mapping[str, float], k: int) -> list[str]:
    """The ``k`` heaviest features: the blocking keys that find candidate stories."""
    return heapq.nsmallest(k, vector, key=lambda f: (-vector[f], f))
