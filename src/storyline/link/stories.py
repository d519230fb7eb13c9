"""Group articles into stories incrementally: a new article joins a story or opens one.

Similarity between an article and a story is the average cosine between the article and the
story's articles (average linkage), one dot product with the story's vector sum. Vectors are TF-IDF
over words and names (see :mod:`storyline.link.features`): shared actors, places, numbers, years and
linked events pull articles together, while the generic words of a kind of story ("earthquake",
"arrested") do not suffice — so two earthquakes, or two visits by the same leader, stay apart.

Adding a batch (:meth:`StoryClusterer.add_many`) opens a story per new article, then merges stories
best pair first while their average linkage reaches the threshold: average-linkage agglomeration,
started from the new articles because older stories were already merged as far as they go. One
article (:meth:`~StoryClusterer.add`) is a batch of one: it joins its most similar story if that is
similar enough. Arrival order matters only for articles added one at a time; :meth:`refine` moves
such articles to the story that suits them best now and merges again.

Cost stays near-linear: every comparison goes to candidate stories found through an inverted index
over each article's heaviest features (blocking), never to all stories. Dates, when known, bound
the candidates too: a story whose period ends more than ``max_gap_days`` before an article (or
starts that long after it) is not a candidate.

:func:`cluster_batch` is :meth:`~StoryClusterer.add_many` on a fresh clusterer with the default
:class:`StoryConfig`; the ECB+ evaluation uses it.

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
from datetime import date, timedelta

from storyline.link.features import DocumentFrequencies, Vector, dot, text_features, top_features, weigh


@dataclass(frozen=True)
class StoryConfig:
    """Story clustering parameters; threshold and name weight were chosen on ECB+ train and dev.

    ``threshold``: least average cosine for an article to join a story and for two stories to
    merge. ``name_weight``: weight of the names channel against the words channel.
    ``index_keys``: features per article used as blocking keys. ``max_candidates``: stories scored
    per comparison. ``max_gap_days``: largest gap between an article's date and a story's period.
    """

    threshold: float = 0.2
    name_weight: float = 1.25
    index_keys: int = 20
    max_candidates: int = 20
    max_gap_days: int = 30
    near_threshold: float = 0.12
    near_days: int = 10
    max_postings: int = 100


@dataclass(frozen=True)
class StoryInput:
    """What story clustering needs of an article.

    ``actors`` are linked actor ids and ``events`` keys of events linked across articles; both are
    optional and count as names. ``title`` becomes the story title when the article is central.
    """

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    actors: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    not_before: date | None = None  # undated: the latest year the text mentions bounds its date


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
class _Member:
    features: Counter[str]
    vector: Vector
    keys: tuple[str, ...]
    headline: str
    published: date | None
    events: tuple[str, ...]
    not_before: date | None = None


@dataclass
class _State:
    id: str
    total: Vector = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    start: date | None = None
    end: date | None = None
    title: str | None = None  # kept for stories restored without their members' vectors
    not_before: date | None = None  # no member can be older than this (years its texts mention)

    def bound(self, not_before: date | None) -> None:
        if not_before is not None and (self.not_before is None or not_before > self.not_before):
            self.not_before = not_before

    @property
    def size(self) -> int:
        return len(self.articles)

    def widen(self, start: date | None, end: date | None) -> None:
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
    """Incremental story clustering: ``add(article) -> story id``; ``stories()`` lists the stories.

    ``df`` is the document-frequency table behind IDF. By default the clusterer owns one and counts
    each batch into it before weighing the batch; pass a filled table with ``learn_df=False`` to
    take IDF from the store instead.
    """

    def __init__(self, config: StoryConfig | None = None, df: DocumentFrequencies | None = None,
                 learn_df: bool = True) -> None:
        self.config = config or StoryConfig()
        self.df = df if df is not None else DocumentFrequencies()
        self.learn_df = learn_df
        self._stories: dict[str, _State] = {}
        # feature -> story ids, oldest first (a dict keeps insertion order); only the most
        # recent ``max_postings`` of a feature are candidates, so a feature shared by thousands of
        # stories over the years does not make each new article compare with all of them
        self._index: dict[str, dict[str, None]] = {}
        self._story_of: dict[str, str] = {}
        self._members: dict[str, _Member] = {}
        self._added_alone: set[str] = set()
        self._next = 1
        #: stories opened, changed or merged away since the caller last cleared it (persistence)
        self.touched: set[str] = set()
        #: story id -> the story it was merged into, since the caller last cleared it
        self.merged: dict[str, str] = {}

    @staticmethod
    def features(doc: StoryInput) -> Counter[str]:
        """Feature counts of an article: its text's words and names, plus actors and events."""
        counts = text_features(doc.text)
        counts.update("a:" + actor for actor in doc.actors)
        counts.update("e:" + event for event in doc.events)
        return counts

    def story_of(self, article_id: str) -> str:
        """The story an added article belongs to now (later merges can change it)."""
        return self._story_of[article_id]

    def add(self, doc: StoryInput) -> str:
        """Put one article in its story and return the story id."""
        story_id = self.add_many([doc])[0]
        self._added_alone.add(doc.id)
        return story_id

    def add_many(self, docs: Sequence[StoryInput]) -> list[str]:
        """Put a batch of articles in their stories and return their story ids, in input order.

        Each new article opens a story; stories then merge best pair first while their average
        linkage reaches the threshold, starting from the new ones. Articles already added are
        skipped.
        """
        fresh = list({d.id: d for d in docs if d.id not in self._story_of}.values())
        counts = [self.features(d) for d in fresh]
        if self.learn_df:
            for features in counts:
                self.df.observe(features)
        opened = []
        for doc, features in zip(fresh, counts, strict=True):
            vector = weigh(features, self.df, self.config.name_weight)
            member = _Member(features, vector, tuple(top_features(vector, self.config.index_keys)),
                             _headline(doc), doc.published, doc.events, doc.not_before)
            self._members[doc.id] = member
            story = self._open()
            self._join(story, doc.id)
            opened.append(story.id)
        self._merge(opened)
        return [self._story_of[d.id] for d in docs]

    def refine(self, max_rounds: int = 3) -> int:
        """Re-home the articles added one at a time, then merge again; returns how many moved.

        An article added alone was weighed with the IDF of its day and joined the best story of
        that moment. Here each such article is weighed again with today's IDF and moves to the
        candidate story whose average linkage to it is now highest (and at least the threshold),
        or to a story of its own when no story, its own included, is close enough. Call it after
        a run of single additions (at the end of a stream's batch); ``add_many`` needs no refining.
        """
        for article in self._added_alone:
            self._reweigh(article)
        moved_total = 0
        touched: set[str] = set()
        for _ in range(max_rounds):
            moved = 0
            for article in sorted(self._added_alone):
                target = self._better_home(article)
                if target is None:
                    continue
                touched.add(self._story_of[article])
                self._leave(article)
                story = self._stories.get(target) or self._open()
                self._join(story, article)
                touched.add(story.id)
                moved += 1
            moved_total += moved
            if not moved:
                break
        self._added_alone.clear()
        self._merge(touched)
        return moved_total

    def consolidate(self) -> int:
        """Merge every pair of stories whose average linkage reaches the threshold, best first
        (needed only after the threshold or IDF changed); returns the number of merges."""
        return self._merge(list(self._stories))

    def articles_of(self, story_id: str) -> list[str]:
        """The articles of a story, in arrival order; empty for an unknown or merged-away id."""
        state = self._stories.get(story_id)
        return list(state.articles) if state is not None else []

    def story(self, story_id: str) -> Story | None:
        """One story, or None when the id is unknown or its story was merged into another."""
        state = self._stories.get(story_id)
        return self._describe(state) if state is not None else None

    def stories(self) -> list[Story]:
        """Current stories, largest first; the title is the headline of the most central article."""
        out = [self._describe(state) for state in self._stories.values()]
        out.sort(key=lambda s: (-len(s.articles), s.id))
        return out

    def _describe(self, state: _State) -> Story:
        members = [self._members[a] for a in state.articles if a in self._members]
        title = state.title or ""
        if members:
            central = max(members, key=lambda m: dot(m.vector, state.total))
            if state.title is None or len(members) == state.size:
                title = central.headline
            elif dot(central.vector, state.total) / max(state.size, 1) > 0.5:
                title = central.headline
        events = dict.fromkeys(e for m in members for e in m.events)
        return Story(id=state.id, title=title, articles=tuple(state.articles),
                     events=tuple(events), start=state.start, end=state.end)

    # --- persistence -----------------------------------------------------------------------------

    def export_story(self, story_id: str, max_features: int | None = None) -> dict[str, object] | None:
        """A story's state as plain data (None when it was merged away): its vector sum, pruned
        to the heaviest features, its blocking keys, articles, period and title. Members' own
        vectors are not kept: a restored story can take new articles and merge, not re-home old
        ones."""
        state = self._stories.get(story_id)
        if state is None:
            return None
        total = _heaviest(state.total, max_features or PRUNED_FEATURES)
        return {"id": state.id, "total": {k: round(v, 5) for k, v in total.items()},
                "keys": sorted(state.keys), "articles": list(state.articles),
                "start": state.start.isoformat() if state.start else None,
                "end": state.end.isoformat() if state.end else None,
                "title": self._describe(state).title,
                "not_before": state.not_before.isoformat() if state.not_before else None}

    def restore(self, stories: Iterable[dict[str, object]], next_id: int) -> None:
        """Load stories exported by :meth:`export_story` (the IDF table is restored by the
        caller into ``df``); new stories are numbered from ``next_id``."""
        for data in stories:
            state = _State(id=str(data["id"]), total=dict(data["total"]),  # type: ignore[arg-type]
                           articles=list(data["articles"]),  # type: ignore[call-overload]
                           keys=set(data["keys"]),  # type: ignore[call-overload]
                           start=date.fromisoformat(str(data["start"])) if data["start"] else None,
                           end=date.fromisoformat(str(data["end"])) if data["end"] else None,
                           title=str(data.get("title") or ""),
                           not_before=date.fromisoformat(str(data["not_before"]))
                           if data.get("not_before") else None)
            self._stories[state.id] = state
            for key in state.keys:
                self._post(key, state.id)
            for article in state.articles:
                self._story_of[article] = state.id
        self._next = max(next_id, max((_number(k) for k in self._stories), default=0) + 1)

    @property
    def next_id(self) -> int:
        """The number the next new story will get (numbers of merged-away stories are not
        reused)."""
        return self._next

    # --- internals -------------------------------------------------------------------------------

    def _open(self) -> _State:
        story = _State(id=f"s{self._next}")
        self._next += 1
        self._stories[story.id] = story
        self.touched.add(story.id)
        return story

    def _join(self, story: _State, article: str) -> None:
        member = self._members[article]
        for feature, weight in member.vector.items():
            story.total[feature] = story.total.get(feature, 0.0) + weight
        story.articles.append(article)
        self.touched.add(story.id)
        story.keys.update(member.keys)
        story.widen(member.published, member.published)
        story.bound(member.not_before)
        for key in member.keys:
            self._post(key, story.id)
        self._story_of[article] = story.id

    def leave(self, article: str) -> bool:
        """Take a stored article out of its story (its member vector may be forgotten: the
        story's sum keeps its words then). False when it is in no story."""
        story_id = self._story_of.get(article)
        if story_id is None:
            return False
        if article in self._members:
            self._leave(article)
            return True
        self._story_of.pop(article)
        story = self._stories[story_id]
        story.articles.remove(article)
        self.touched.add(story.id)
        if not story.articles:
            self._drop(story)
        return True

    def _leave(self, article: str) -> None:
        story = self._stories[self._story_of.pop(article)]
        story.articles.remove(article)
        self.touched.add(story.id)
        if not story.articles:
            self._drop(story)
            return
        for feature, weight in self._members[article].vector.items():
            story.total[feature] -= weight
        dates = [d for a in story.articles if (d := self._members[a].published) is not None]
        story.start, story.end = (min(dates), max(dates)) if dates else (None, None)

    def _reweigh(self, article: str) -> None:
        """Recompute an article's vector with today's IDF (it was weighed when it arrived)."""
        member = self._members[article]
        story = self._stories[self._story_of[article]]
        for feature, weight in member.vector.items():
            story.total[feature] -= weight
        member.vector = weigh(member.features, self.df, self.config.name_weight)
        member.keys = tuple(top_features(member.vector, self.config.index_keys))
        for feature, weight in member.vector.items():
            story.total[feature] = story.total.get(feature, 0.0) + weight
        story.keys.update(member.keys)
        for key in member.keys:
            self._post(key, story.id)

    def _drop(self, story: _State) -> None:
        del self._stories[story.id]
        self.touched.add(story.id)
        for key in story.keys:
            postings = self._index.get(key)
            if postings is not None:
                postings.pop(story.id, None)
                if not postings:
                    del self._index[key]

    def _better_home(self, article: str) -> str | None:
        """Story id (``""`` for a new story) the article should move to, or None to stay."""
        member = self._members[article]
        own = self._stories[self._story_of[article]]
        threshold = self.config.threshold
        if own.size > 1:
            own_sim = (dot(member.vector, own.total) - dot(member.vector, member.vector)) / (own.size - 1)
        else:
            own_sim = threshold
        best, best_sim = None, max(own_sim, threshold)
        for story in self._candidates(member.keys, member.published, member.published, exclude=own.id,
                                      not_before=member.not_before):
            sim = dot(member.vector, story.total) / story.size
            if sim > best_sim:
                best, best_sim = story.id, sim
        if best is None and own_sim < threshold:
            return ""
        return best

    def _candidates(self, keys: Iterable[str], start: date | None, end: date | None,
                    exclude: str = "", not_before: date | None = None) -> list[_State]:
        hits: Counter[str] = Counter()
        for key in keys:
            postings = self._index.get(key)
            if postings:
                hits.update(itertools.islice(reversed(postings), self.config.max_postings))
        hits.pop(exclude, None)
        # _too_far inlined with the window computed once: in a dense store most hits are the
        # same kind of story in other months, and this loop is the hot one
        gap = timedelta(days=self.config.max_gap_days)
        lo, hi = (start - gap, end + gap) if start is not None and end is not None else (None, None)
        found = []
        stories = self._stories
        limit = self.config.max_candidates
        for story_id, count in hits.most_common():
            if count < MIN_HITS:
                break
            story = stories[story_id]
            s_start, s_end = story.start, story.end
            if s_end is not None and ((not_before is not None and s_end < not_before)
                                      or (lo is not None and s_end < lo)):
                continue
            if end is not None and story.not_before is not None and end < story.not_before:
                continue
            if hi is not None and s_start is not None and s_start > hi:
                continue
            found.append(story)
            if len(found) == limit:
                break
        return found

    def _threshold(self, a: _State, b: _State) -> float:
        """Dated stories a few days apart merge at a lower similarity: reports of one happening
        from different angles (the quake, the aid, the disease risk) share fewer words."""
        if None in (a.start, a.end, b.start, b.end):
            return self.config.threshold
        gap = max((a.start - b.end).days, (b.start - a.end).days)  # type: ignore[operator]
        return self.config.near_threshold if gap <= self.config.near_days else self.config.threshold

    def _post(self, key: str, story_id: str) -> None:
        postings = self._index.setdefault(key, {})
        postings.pop(story_id, None)  # most recently touched last
        postings[story_id] = None

    def forget_members(self) -> None:
        """Drop the per-article vectors kept since the last call (after the state is saved):
        memory stays flat over a long run; stories keep their sums, keys and titles."""
        # only the stories of the members held now (not every story: that grew with the store)
        holding = {self._story_of[a] for a in self._members if a in self._story_of}
        for story_id in holding:
            state = self._stories.get(story_id)
            if state is not None:
                state.title = self._describe(state).title
                # as saved, so a resumed run goes on from the same state as an unbroken one
                state.total = _heaviest(state.total, PRUNED_FEATURES)
        self._members.clear()
        self._added_alone.clear()

    def _merge(self, seeds: Iterable[str]) -> int:
        heap: list[tuple[float, str, str, int, int]] = []

        def push_pairs(story: _State) -> None:
            # a large story is looked up by its heaviest features, not by every member's keys
            keys = story.keys if len(story.keys) <= 2 * self.config.index_keys else \
                top_features(story.total, 2 * self.config.index_keys)
            for other in self._candidates(keys, story.start, story.end, exclude=story.id,
                                          not_before=story.not_before):
                sim = dot(story.total, other.total) / (story.size * other.size)
                if sim >= self._threshold(story, other):
                    # the larger (then older) story keeps its id: ids users saw stay valid
                    left, right = sorted((story, other), key=lambda s: (-s.size, _number(s.id)))
                    heapq.heappush(heap, (-sim, left.id, right.id, left.size, right.size))

        for story_id in seeds:
            if story_id in self._stories:
                push_pairs(self._stories[story_id])
        merges = 0
        while heap:
            _, left, right, left_size, right_size = heapq.heappop(heap)
            # A pair is stale once either side has changed since it was scored (sizes only grow here).
            if (left not in self._stories or right not in self._stories
                    or self._stories[left].size != left_size or self._stories[right].size != right_size):
                continue
            keep, gone = self._stories[left], self._stories[right]
            self._drop(gone)
            self.touched.add(keep.id)
            self.merged[gone.id] = keep.id
            for old, into in list(self.merged.items()):
                if into == gone.id:
                    self.merged[old] = keep.id
            for feature, weight in gone.total.items():
                keep.total[feature] = keep.total.get(feature, 0.0) + weight
            keep.articles.extend(gone.articles)
            keep.keys.update(gone.keys)
            keep.widen(gone.start, gone.end)
            keep.bound(gone.not_before)
            for key in gone.keys:
                self._post(key, keep.id)
            for article in gone.articles:
                self._story_of[article] = keep.id
            merges += 1
            push_pairs(keep)
        return merges


MIN_HITS = 2
PRUNED_FEATURES = 300  # features kept of a story's vector sum once its members are forgotten


def _heaviest(total: Vector, k: int) -> Vector:
    if len(total) <= k:
        return dict(total)
    return dict(heapq.nlargest(k, total.items(), key=lambda kv: kv[1]))


def _number(story_id: str) -> int:
    return int(story_id[1:]) if story_id[1:].isdigit() else 0


def cluster_batch(docs: Sequence[StoryInput], config: StoryConfig | None = None) -> list[str]:
    """Story id of each article of a batch, in input order: :meth:`StoryClusterer.add_many` on a
    fresh clusterer, so IDF comes from the batch."""
    return StoryClusterer(config).add_many(docs)
