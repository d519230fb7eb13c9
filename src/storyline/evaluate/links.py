"""Cross-document event linking on real news: ``storyline eval links gold/real/links-dev.jsonl``.

The gold (``gold/real/LINKS-ANNOTATION.md``) groups the PLOVER event mentions of the real-text
event gold into clusters, one per real-world event, across ECB+ documents. Scoring runs storyline
as a user would: every document of the split is fed to ``storyline ingest`` (its whole text, into
a throw-away store, with the default pipeline), and the stored events with their linked events
are read back. Then:

- each gold mention is *found* when a stored event of the same document has the same PLOVER type
  and its sentence overlaps the gold trigger (several: the one whose trigger overlaps the gold
  trigger, then the nearest trigger). A document the store keeps as a copy of another is read
  through that original (what a user sees); a rejected document finds nothing. ``mention_recall``
  is found / gold mentions;
- over the found mentions, *pairs* of mentions from different documents: a gold pair is in the
  same gold cluster, a predicted pair in the same storyline linked event. ``pairwise`` precision
  and recall compare the two sets; ``bcubed`` and ``conll_f1`` score the clusters (gold clusters
  vs linked events, both restricted to the found mentions).

>>> score_links([{"id": "a", "mentions": [{"doc": "d1"}, {"doc": "d2"}]}],
...             {("a", 0): "x", ("a", 1): "x"})["pairwise"]
{'precision': 1.0, 'recall': 1.0, 'f1': 1.0, 'gold_pairs': 1, 'predicted_pairs': 1, 'correct': 1}
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.evaluate.ecbplus import bcubed, conll_f1
from storyline.evaluate.realtext import (
    default_eval_root,
    document_text,
    passage_sha1,
    position_map,
)

MentionKey = tuple[str, int]  # (cluster id, index of the mention in the cluster)


def load_gold(path: str | Path, split: str = "all") -> list[dict[str, Any]]:
    """The cluster records of ``path`` (``split``: all, dev or test)."""
    records = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines()
               if line.strip()]
    records = [r for r in records if split == "all" or r.get("split") == split]
    if not records:
        raise StorylineError(Msg.E109, detail=f"no gold clusters for split {split!r} in {path}")
    return records


# -- scoring (no storyline run needed) ------------------------------------------------------------


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score_links(gold: Sequence[Mapping[str, Any]],
                found: Mapping[MentionKey, Hashable]) -> dict[str, Any]:
    """Score the linked events ``found`` gives the gold mentions it found.

    ``gold``: cluster records, each with ``id`` and ``mentions`` (each with ``doc``); ``found``:
    ``(cluster id, mention index)`` -> the id of the storyline linked event the mention was found
    in (missing = not found). Pairs count only mentions of different documents.
    """
    docs: dict[MentionKey, str] = {}
    key: dict[MentionKey, Hashable] = {}
    total = linked_clusters = linked_found = 0
    for record in gold:
        mentions = record["mentions"]
        total += len(mentions)
        if len({m["doc"] for m in mentions}) > 1:
            linked_clusters += 1
        hit_docs = set()
        for i, mention in enumerate(mentions):
            k = (str(record["id"]), i)
            docs[k] = str(mention["doc"])
            if k in found:
                key[k] = str(record["id"])
                hit_docs.add(docs[k])
        linked_found += len(hit_docs) > 1
    response = {k: ("pred", found[k]) for k in key}
    gold_pairs = predicted_pairs = correct = 0
    for a, b in combinations(sorted(key), 2):
        if docs[a] == docs[b]:
            continue
        same_gold = key[a] == key[b]
        same_pred = response[a] == response[b]
        gold_pairs += same_gold
        predicted_pairs += same_pred
        correct += same_gold and same_pred
    pairwise: dict[str, Any] = _prf(correct, predicted_pairs, gold_pairs)
    pairwise.update(gold_pairs=gold_pairs, predicted_pairs=predicted_pairs, correct=correct)
    return {
        "gold_clusters": len(gold),
        "gold_linked_clusters": linked_clusters,
        "gold_mentions": total,
        "found_mentions": len(key),
        "mention_recall": round(len(key) / total, 4) if total else 0.0,
        "linked_clusters_found": linked_found,
        "pairwise": pairwise,
        "bcubed": bcubed(key, response) if key else _prf(0, 0, 0),
        "conll_f1": conll_f1(key, response) if key else 0.0,
    }


# -- running storyline ----------------------------------------------------------------------------


def _mapped_span(where: list[int | None], start: int, end: int) -> tuple[int, int] | None:
    inside = [p for p in where[max(0, start):max(0, end)] if p is not None]
    return (inside[0], inside[-1] + 1) if inside else None


StoredEvent = tuple[str, tuple[int, int], tuple[int, int], Hashable]  # type, sentence, trigger, linked


def run_storyline(docs: Sequence[str], eval_root: str | Path | None = None
                  ) -> tuple[dict[str, list[StoredEvent]], dict[str, Any]]:
    """Ingest ``docs`` (their whole text) into a throw-away store with the default pipeline, as
    ``storyline ingest`` does; return each document's stored events, offsets mapped into the
    document text, and the ingest report."""
    from storyline.ingest.main_text import article_from_raw
    from storyline.ingest.run import ingest_items
    from storyline.model import RawDocument
    from storyline.pipeline import Pipeline
    from storyline.store.sqlite import Store

    root = str(eval_root or default_eval_root())
    texts = {doc: document_text(doc, root) for doc in docs}
    raws = [RawDocument(origin=doc, fmt="text", content=texts[doc]) for doc in docs]
    identify = Pipeline.from_config({"stages": ["main_text", "clean", "identify"]})
    with tempfile.TemporaryDirectory(prefix="storyline-links-") as tmp:
        store = Store(Path(tmp) / "links.db")
        try:
            report = ingest_items(list(raws), store, Pipeline.from_config(None))
            conn = store.conn
            articles = {row[0]: (row[1], row[2]) for row in conn.execute(
                "SELECT id, text, duplicate_of FROM articles")}
            by_article: dict[str, list[tuple[Any, ...]]] = {}
            for row in conn.execute(
                    "SELECT id, article_id, type, char_start, char_end, trigger_start, "
                    "trigger_end, linked_id FROM events"):
                by_article.setdefault(row[1], []).append(tuple(row))
        finally:
            store.close()
    events: dict[str, list[StoredEvent]] = {}
    routed = {"documents": len(docs), "analysed": 0, "copies": 0, "not_stored": 0}
    for doc, raw in zip(docs, raws, strict=True):
        result = identify.pipe([article_from_raw(raw)])
        article_id = result.articles[0].id if result.articles else None
        hops = 0
        while article_id in articles and articles[article_id][1] and hops < 5:
            article_id, hops = articles[article_id][1], hops + 1
        if article_id not in articles:
            routed["not_stored"] += 1
            events[doc] = []
            continue
        routed["copies" if hops else "analysed"] += 1
        where = position_map(texts[doc], articles[article_id][0])
        found: list[StoredEvent] = []
        for event_id, _, kind, c0, c1, t0, t1, linked in by_article.get(article_id, []):
            sentence = _mapped_span(where, int(c0 or 0), int(c1 or 0))
            trigger = _mapped_span(where, int(t0 or 0), int(t1 or 0)) if t0 is not None else None
            if sentence is None:
                continue
            found.append((str(kind), sentence, trigger or sentence, linked or event_id))
        events[doc] = found
    return events, {**report.as_dict(), **routed}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def align(gold: Sequence[Mapping[str, Any]], events: Mapping[str, Sequence[StoredEvent]]
          ) -> dict[MentionKey, Hashable]:
    """Each gold mention -> the linked event of the stored event that finds it (see module)."""
    found: dict[MentionKey, Hashable] = {}
    for record in gold:
        for i, mention in enumerate(record["mentions"]):
            span = (int(mention["start"]), int(mention["end"]))
            best: tuple[int, int] | None = None
            for kind, sentence, trigger, linked in events.get(str(mention["doc"]), ()):
                if kind != mention["type"] or not _overlaps(sentence, span):
                    continue
                distance = 0 if _overlaps(trigger, span) else min(
                    abs(trigger[0] - span[1]), abs(span[0] - trigger[1]))
                rank = (0 if distance == 0 else 1, distance)
                if best is None or rank < best:
                    best = rank
                    found[(str(record["id"]), i)] = linked
    return found


def check_texts(gold: Iterable[Mapping[str, Any]], eval_root: str | Path | None = None) -> None:
    """Raise when a gold document no longer matches its hash (the shared text changed)."""
    root = str(eval_root or default_eval_root())
    for record in gold:
        for mention in record["mentions"]:
            if passage_sha1(document_text(str(mention["doc"]), root)) != mention.get("sha1"):
                raise StorylineError(Msg.E111, detail=f"{record['id']}: {mention['doc']} no "
                                     "longer matches its hash (was the shared text changed?)")


def evaluate_links(path: str | Path, split: str = "all",
                   eval_root: str | Path | None = None) -> dict[str, Any]:
    """Ingest the documents of the gold clusters of ``split`` and score storyline's linked events
    against them (see the module docstring for the measures)."""
    gold = load_gold(path, split)
    check_texts(gold, eval_root)
    docs = sorted({str(m["doc"]) for r in gold for m in r["mentions"]})
    started = time.perf_counter()
    events, ingest = run_storyline(docs, eval_root)
    result = score_links(gold, align(gold, events))
    result.update(split=split, documents=len(docs), ingest=ingest,
                  seconds=round(time.perf_counter() - started, 1))
    return result
