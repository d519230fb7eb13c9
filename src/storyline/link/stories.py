"""Group articles into stories, one article at a time.

A new article joins the story it is most similar to, or opens a new one. Similarity is the
average cosine between the article and the story's articles (average linkage), computed in one
dot product with the story's vector sum; vectors are TF-IDF over words and names (see
:mod:`storyline.link.features`), so shared actors, places, numbers, years and linked events pull
articles together while a story's generic words ("earthquake", "arrested") do not suffice.

Cost stays near-linear: each article is compared only with the candidate stories found through an
inverted index over the heaviest features of each article (blocking), never with every story.
Dates, when known, bound the candidates too: a story whose period ends more than ``max_gap_days``
before the article (or starts that long after it) is not a candidate, so a 2014 visit and a 2024
visit by the same leader stay two stories.

Single-pass assignment depends on arrival order, so :meth:`StoryClusterer.consolidate` merges
stories whose average linkage reaches the same threshold (best pair first, candidates from the same
index) — an incremental average-linkage agglomeration. :func:`cluster_batch` runs exactly this on
a batch (IDF from the batch, articles in date order, then one consolidation); the ECB+ evaluation
uses it with the default :class:`StoryConfig`.

>>> clusterer = StoryClusterer()
>>> a = clusterer.add(StoryInput("a", "Rescuers in Aceh searched the rubble after the quake."))
>>> clusterer.add(StoryInput("b", "In Aceh, rescuers pulled survivors from rubble.")) == a
True
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from storyline.link.features import DocumentFrequencies, Vector, dot, text_features, top_features, weigh


@dataclass(frozen=True)
class StoryConfig:
    """Story clustering parameters; the defaults were chosen on the ECB+ dev topics.

    ``threshold``: least average cosine for an article to join a story (and for two stories to
    merge). ``name_weight``: weight of the names channel against the words channel.
    ``index_keys``: features per article used as blocking keys. ``max_candidates``: stories scored
    per article. ``max_gap_days``: largest gap between an article's date and a story's period.
    """

    threshold: float = 0.2
    name_weight: float = 1.0
    index_keys: int = 20
    max_candidates: int = 50
    max_gap_days: int = 30


@dataclass(frozen=True)
class StoryInput:
    """What story clustering needs of an article.

    ``actors`` are linked actor ids, ``events`` keys of events linked across articles; both are
    optional and count as names. ``title`` is used for the story title when given.
    """

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    actors: tuple[str, ...] = ()
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    """A story: its articles (in arrival order), linked event keys, title and period."""

    id: str
    title: str
    articles: tuple[str, ...]
    events: tuple[str, ...]
    start: date | None
    end: date | None


@dataclass
class _State:
    id: str
    total: Vector = field(default_factory=dict)
    size: int = 0
    articles: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    events: dict[str, None] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None

    def absorb(self, vector: Vector, size: int, articles: Iterable[str], keys: Iterable[str],
               events: Iterable[str], start: date | None, end: date | None) -> None:
        for feature, weight in vector.items():
            self.total[feature] = self.total.get(feature, 0.0) + weight
        self.size += size
        self.articles.extend(articles)
        self.keys.update(keys)
        self.events.update(dict.fromkeys(events))
        if start is not None:
            self.start = start if self.start is None else min(self.start, start)
        if end is not None:
            self.end = end if self.end is None else max(self.end, end)


def _headline(doc: StoryInput) -> str:
    if doc.title:
        return doc.title.strip()
    first = doc.text.strip().split("\n", 1)[0]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."


class StoryClusterer:
    """Incremental story clustering: ``add(article) -> story id``; ``stories()`` lists them.

    ``df`` is the document-frequency table for IDF. By default the clusterer owns one and adds
    each article to it as it arrives; pass a filled table with ``learn_df=False`` to use IDF from a
    batch or from the store instead.
    """

    def __init__(self, config: StoryConfig | None = None, df: DocumentFrequencies | None = None,
                 learn_df: bool = True) -> None:
        self.config = config or StoryConfig()
        self.df = df if df is not None else DocumentFrequencies()
        self.learn_df = learn_df
        self._stories: dict[str, _State] = {}
        self._index: dict[str, set[str]] = {}
        self._story_of: dict[str, str] = {}
        self._vectors: dict[str, Vector] = {}
        self._headlines: dict[str, str] = {}
        self._ids = itertools.count(1)

    @staticmethod
    def features(doc: StoryInput) -> Counter[str]:
        """Feature counts of an article: its text's words and names, plus actors and events."""
        counts = text_features(doc.text)
        counts.update("a:" + actor for actor in doc.actors)
        counts.update("e:" + event for event in doc.events)
        return counts

    def story_of(self, article_id: str) -> str:
        """The story an added article belongs to now (merges can change it)."""
        return self._story_of[article_id]

    def add(self, doc: StoryInput) -> str:
        """Put an article in its story and return the story id; re-adding an id is a no-op."""
        if doc.id in self._story_of:
            return self._story_of[doc.id]
        features = self.features(doc)
        if self.learn_df:
            self.df.observe(features)
        vector = weigh(features, self.df, self.config.name_weight)
        keys = top_features(vector, self.config.index_keys)
        best, best_sim = None, self.config.threshold
        for story in self._candidates(keys, doc.published, doc.published):
            sim = dot(vector, story.total) / story.size
            if sim >= best_sim:
                best, best_sim = story, sim
        if best is None:
            best = _State(id=f"s{next(self._ids)}")
            self._stories[best.id] = best
        best.absorb(vector, 1, [doc.id], keys, doc.events, doc.published, doc.published)
        for key in keys:
            self._index.setdefault(key, set()).add(best.id)
        self._story_of[doc.id] = best.id
        self._vectors[doc.id] = vector
        self._headlines[doc.id] = _headline(doc)
        return best.id

    def _candidates(self, keys: Iterable[str], start: date | None, end: date | None,
                    exclude: str | None = None) -> list[_State]:
        hits: Counter[str] = Counter()
        for key in keys:
            hits.update(self._index.get(key, ()))
        hits.pop(exclude or "", None)
        found = []
        for story_id, _ in hits.most_common():
            story = self._stories[story_id]
            if self._too_far(story, start, end):
                continue
            found.append(story)
            if len(found) == self.config.max_candidates:
                break
        return found

    def _too_far(self, story: _State, start: date | None, end: date | None) -> bool:
        if start is None or end is None or story.start is None or story.end is None:
            return False
        gap = max((start - story.end).days, (story.start - end).days)
        return gap > self.config.max_gap_days

    def _linkage(self, a: _State, b: _State) -> float:
        return dot(a.total, b.total) / (a.size * b.size)

    def consolidate(self) -> int:
        """Merge stories whose average linkage reaches the threshold, best pair first; returns the
        number of merges. Pairs come from the blocking index, so the cost follows the candidates."""
        heap: list[tuple[float, str, str, int, int]] = []

        def push_pairs(story: _State) -> None:
            for other in self._candidates(story.keys, story.start, story.end, exclude=story.id):
                sim = self._linkage(story, other)
                if sim >= self.config.threshold:
                    left, right = sorted((story, other), key=lambda s: s.id)
                    heapq.heappush(heap, (-sim, left.id, right.id, left.size, right.size))

        for story in list(self._stories.values()):
            push_pairs(story)
        merges = 0
        while heap:
            _, left, right, left_size, right_size = heapq.heappop(heap)
            # A pair is stale once either side has merged since it was scored (its size changed).
            if (left not in self._stories or right not in self._stories
                    or self._stories[left].size != left_size or self._stories[right].size != right_size):
                continue
            keep, gone = self._stories[left], self._stories.pop(right)
            keep.absorb(gone.total, gone.size, gone.articles, gone.keys, gone.events, gone.start, gone.end)
            for key in gone.keys:
                postings = self._index[key]
                postings.discard(gone.id)
                postings.add(keep.id)
            for article in gone.articles:
                self._story_of[article] = keep.id
            merges += 1
            push_pairs(keep)
        return merges

    def stories(self) -> list[Story]:
        """Current stories, largest first; the title is the headline of the most central article."""
        out = []
        for state in self._stories.values():
            central = max(state.articles, key=lambda a: dot(self._vectors[a], state.total))
            out.append(Story(id=state.id, title=self._headlines[central], articles=tuple(state.articles),
                             events=tuple(state.events), start=state.start, end=state.end))
        out.sort(key=lambda s: (-len(s.articles), s.id))
        return out


def cluster_batch(docs: Sequence[StoryInput], config: StoryConfig | None = None) -> list[str]:
    """Story id of each article of a batch, in input order.

    The production algorithm on a batch: IDF from the batch, articles added in date order (input
    order for undated ones and ties), then one consolidation.
    """
    df = DocumentFrequencies()
    for doc in docs:
        df.observe(StoryClusterer.features(doc))
    clusterer = StoryClusterer(config, df=df, learn_df=False)
    order = sorted(range(len(docs)), key=lambda i: (docs[i].published or date.min, i))
    for i in order:
        clusterer.add(docs[i])
    clusterer.consolidate()
    return [clusterer.story_of(doc.id) for doc in docs]
