"""Read ECB+ and score story clustering and cross-document event linking on it.

ECB+ (Cybulska & Vossen 2014) holds 982 news documents in 43 topics. Each topic covers two real
events of the same kind — the original ECB documents (``*ecb.xml``) tell one, the ECB+ additions
(``*ecbplus.xml``) another (two different earthquakes, two different arrests of the same sort).
Gold stories are these sub-topics (topic x half); gold event clusters are the cross-document
instances of ``ACTION_*`` / ``NEG_ACTION_*`` mentions.

What is scored, per split (standard split of Cybulska & Vossen 2015: dev and test topics below,
the rest train):

- **Stories**: every document of the split goes through the story clusterer together (no topic is
  given), scored with BCubed precision/recall/F1 against the sub-topics.
- **Events** (when a ``link_events`` callable is supplied): CoNLL F1, the mean of the MUC, B3 and
  CEAF-e F1 scores, over the gold event mentions that the prediction finds, and that mention
  recall. Gold mentions are limited to the sentences the ECB+ release marks as validated
  (``ECBplus_coreference_sentences.csv``) when that file is present, as in the literature.

Scorers take clusterings as ``{item: cluster_label}`` mappings so they serve both documents and
mentions.
"""

from __future__ import annotations

import csv
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import Msg, StorylineError
from storyline.ingest.token_xml import detokenise

DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
TEST_TOPICS = frozenset(range(36, 46))
SPLITS = ("dev", "test")
SENTENCES_FILE = "ECBplus_coreference_sentences.csv"

_FILE = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$")
_EVENT_TAG = re.compile(r"^(NEG_)?ACTION_")

Clustering = Mapping[Hashable, Hashable]


def split_of(topic: int) -> str:
    """``"dev"``, ``"test"`` or ``"train"`` for an ECB+ topic number."""
    if topic in DEV_TOPICS:
        return "dev"
    return "test" if topic in TEST_TOPICS else "train"


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventMention:
    """A gold event mention: its trigger tokens as character spans and its gold cluster.

    ``cluster`` is the CROSS_DOC_COREF instance id; a mention in a within-document chain only gets
    ``<doc_id>/intra/<chain>``, and a mention in no chain gets ``<doc_id>/<m_id>`` (a singleton).
    """

    doc_id: str
    m_id: str
    tag: str
    token_spans: tuple[tuple[int, int], ...]
    sentence: int
    cluster: str
    validated: bool

    @property
    def start(self) -> int:
        return self.token_spans[0][0]

    @property
    def end(self) -> int:
        return self.token_spans[-1][1]

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` covers part of any trigger token."""
        return any(s < end and start < e for s, e in self.token_spans)


@dataclass(frozen=True)
class EcbDocument:
    """One ECB+ document with its full token text (tokens joined by spaces, sentences by newlines).

    ``tokens`` holds the character span of each token, ``sentences`` its sentence number; every
    sentence is kept, annotated or not, so the text is the whole article.
    """

    doc_id: str
    topic: int
    half: str
    text: str
    tokens: tuple[tuple[int, int], ...]
    sentences: tuple[int, ...]
    mentions: tuple[EventMention, ...]

    @property
    def subtopic(self) -> str:
        """The gold story: topic x half, e.g. ``"36ecbplus"``."""
        return f"{self.topic}{self.half}"

    @property
    def split(self) -> str:
        return split_of(self.topic)


def reconstructed_text(doc: EcbDocument) -> str:
    """The document as an outlet would print it (see :func:`storyline.ingest.token_xml.detokenise`),
    one sentence a line. ``doc.text`` keeps the tokens apart (token-joined)."""
    return detokenise((doc.text[start:end], sentence)
                      for (start, end), sentence in zip(doc.tokens, doc.sentences, strict=True))


def _validated_sentences(root: Path) -> dict[str, set[int]] | None:
    for folder in (root, root.parent):
        path = folder / SENTENCES_FILE
        if path.is_file():
            selected: dict[str, set[int]] = defaultdict(set)
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    selected[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
            return selected
    return None


def read_document(path: Path, validated: set[int] | None = None) -> EcbDocument:
    """Parse one ECB+ XML file; ``validated`` lists its checked sentences (None: all count)."""
    match = _FILE.match(path.name)
    if match is None:
        raise StorylineError(Msg.E111, detail=f"not an ECB+ file name: {path.name}")
    topic, half = int(match.group(1)), match.group(3)
    doc_id = path.name.removesuffix(".xml")
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise StorylineError(Msg.E111, detail=f"{path.name}: {exc}") from exc

    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    sentences: list[int] = []
    index_of: dict[str, int] = {}
    offset = 0
    for token in root.iter("token"):
        sentence = int(token.get("sentence", "0"))
        if spans:
            sep = " " if sentence == sentences[-1] else "\n"
            parts.append(sep)
            offset += 1
        word = token.text or ""
        parts.append(word)
        index_of[token.get("t_id", "")] = len(spans)
        spans.append((offset, offset + len(word)))
        sentences.append(sentence)
        offset += len(word)

    cluster_of: dict[str, str] = {}
    for relation in root.iter("CROSS_DOC_COREF"):
        for source in relation.iter("source"):
            cluster_of[source.get("m_id", "")] = relation.get("note", "")
    for relation in root.iter("INTRA_DOC_COREF"):
        chain = f"{doc_id}/intra/{relation.get('r_id', '')}"
        for source in relation.iter("source"):
            cluster_of.setdefault(source.get("m_id", ""), chain)

    mentions: list[EventMention] = []
    seen: set[tuple[int, ...]] = set()
    markables = root.find("Markables")
    for markable in markables if markables is not None else ():
        if not _EVENT_TAG.match(markable.tag):
            continue
        indices = sorted(index_of[a.get("t_id", "")] for a in markable.iter("token_anchor")
                         if a.get("t_id", "") in index_of)
        if not indices or tuple(indices) in seen:
            continue
        seen.add(tuple(indices))
        m_id = markable.get("m_id", "")
        sentence = sentences[indices[0]]
        mentions.append(EventMention(
            doc_id=doc_id, m_id=m_id, tag=markable.tag,
            token_spans=tuple(spans[i] for i in indices), sentence=sentence,
            cluster=cluster_of.get(m_id) or f"{doc_id}/{m_id}",
            validated=validated is None or sentence in validated,
        ))
    mentions.sort(key=lambda m: m.token_spans)
    return EcbDocument(doc_id=doc_id, topic=topic, half=half, text="".join(parts), tokens=tuple(spans),
                       sentences=tuple(sentences), mentions=tuple(mentions))


def read_corpus(root: str | Path) -> list[EcbDocument]:
    """Every document under an ECB+ folder (``ECB+/<topic>/*.xml``, or the folder holding ``ECB+``).

    Documents come sorted by topic, then file number, then half.
    """
    root = Path(root)
    if (root / "ECB+").is_dir():
        root = root / "ECB+"
    files = [p for p in root.glob("*/*.xml") if _FILE.match(p.name)]
    if not files:
        raise StorylineError(Msg.E111, detail=f"no ECB+ documents (<topic>/<topic>_<n>ecb.xml) in {root}")
    selected = _validated_sentences(root)

    def order(p: Path) -> tuple[int, int, str]:
        m = _FILE.match(p.name)
        assert m is not None
        return int(m.group(1)), int(m.group(2)), m.group(3)

    docs = []
    for path in sorted(files, key=order):
        key = path.name.removesuffix(".xml")
        docs.append(read_document(path, None if selected is None else selected.get(key, set())))
    return docs


# --- scorers -------------------------------------------------------------------------------------


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _rounded(precision: float, recall: float) -> dict[str, float]:
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(_f1(precision, recall), 4)}


def clusters_of(assignment: Clustering) -> list[set[Hashable]]:
    """Group ``{item: label}`` into a list of item sets."""
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item, label in assignment.items():
        groups[label].add(item)
    return list(groups.values())


def _b3(key: Sequence[set[Hashable]], response: Sequence[set[Hashable]]) -> tuple[float, float]:
    def side(a: Sequence[set[Hashable]], b: Sequence[set[Hashable]]) -> float:
        where = {m: i for i, c in enumerate(b) for m in c}
        total = sum(len(c) for c in a)
        score = 0.0
        for c in a:
            for m in c:
                j = where.get(m)
                score += len(c & b[j]) / len(c) if j is not None else 0.0
        return score / total if total else 0.0

    return side(response, key), side(key, response)


def _muc(key: Sequence[set[Hashable]], response: Sequence[set[Hashable]]) -> tuple[float, float]:
    def side(a: Sequence[set[Hashable]], b: Sequence[set[Hashable]]) -> float:
        where = {m: i for i, c in enumerate(b) for m in c}
        num = den = 0
        for c in a:
            parts = {where.get(m, ("alone", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num / den if den else 0.0

    return side(response, key), side(key, response)


def _ceaf_e(key: Sequence[set[Hashable]], response: Sequence[set[Hashable]]) -> tuple[float, float]:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if not key or not response:
        return 0.0, 0.0
    where = {m: j for j, c in enumerate(response) for m in c}
    phi = np.zeros((len(key), len(response)))
    for i, c in enumerate(key):
        for m in c:
            j = where.get(m)
            if j is not None:
                phi[i, j] += 1
    sizes_k = np.array([len(c) for c in key], dtype=float)[:, None]
    sizes_r = np.array([len(c) for c in response], dtype=float)[None, :]
    phi = 2 * phi / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(phi, maximize=True)
    best = float(phi[rows, cols].sum())
    return best / len(response), best / len(key)


def bcubed(gold: Clustering, predicted: Clustering) -> dict[str, float]:
    """BCubed precision/recall/F1 (Bagga & Baldwin 1998) of ``{item: label}`` clusterings.

    Per item, precision is the share of its predicted cluster that shares its gold cluster, recall
    the share of its gold cluster that shares its predicted cluster; both are averaged over items.
    Items missing on one side count as misses on that side.
    """
    return _rounded(*_b3(clusters_of(gold), clusters_of(predicted)))


def muc(gold: Clustering, predicted: Clustering) -> dict[str, float]:
    """MUC link-based precision/recall/F1 (Vilain et al. 1995)."""
    return _rounded(*_muc(clusters_of(gold), clusters_of(predicted)))


def ceaf_e(gold: Clustering, predicted: Clustering) -> dict[str, float]:
    """Entity-based CEAF with phi4 similarity (Luo 2005), optimal alignment by the Hungarian method."""
    return _rounded(*_ceaf_e(clusters_of(gold), clusters_of(predicted)))


def conll_f1(gold: Clustering, predicted: Clustering) -> float:
    """CoNLL F1: the mean of the MUC, B3 and CEAF-e F1 scores, rounded to four places."""
    key, response = clusters_of(gold), clusters_of(predicted)
    scores = [_f1(*scorer(key, response)) for scorer in (_muc, _b3, _ceaf_e)]
    return round(sum(scores) / 3, 4)


# --- evaluation ----------------------------------------------------------------------------------

PredictedMention = tuple[str, int, int, Hashable]
LinkEvents = Callable[[Sequence[EcbDocument]], Iterable[PredictedMention]]


def align_mentions(gold: Iterable[EventMention],
                   predicted: Iterable[PredictedMention]) -> dict[tuple[str, str], Hashable]:
    """Map each found gold mention ``(doc_id, m_id)`` to the cluster of the prediction that finds it.

    A prediction finds a gold mention when its character span overlaps one of the mention's
    trigger tokens; when several do, the one overlapping most characters wins, then the shortest
    (the tightest fit), then the earliest.
    """
    by_doc: dict[str, list[tuple[int, int, Hashable]]] = defaultdict(list)
    for doc_id, start, end, cluster in predicted:
        by_doc[doc_id].append((start, end, cluster))
    found: dict[tuple[str, str], Hashable] = {}
    for mention in gold:
        best: tuple[int, int, int] | None = None
        for start, end, cluster in by_doc.get(mention.doc_id, ()):
            overlap = sum(max(0, min(end, e) - max(start, s)) for s, e in mention.token_spans)
            if overlap and (best is None or (overlap, start - end, -start) > best):
                best = (overlap, start - end, -start)
                found[(mention.doc_id, mention.m_id)] = cluster
    return found


def score_event_linking(docs: Sequence[EcbDocument],
                        predicted: Iterable[PredictedMention]) -> dict[str, Any]:
    """CoNLL F1 over the validated gold event mentions that ``predicted`` finds, plus that recall."""
    gold = [m for d in docs for m in d.mentions if m.validated]
    found = align_mentions(gold, predicted)
    key = {(m.doc_id, m.m_id): m.cluster for m in gold if (m.doc_id, m.m_id) in found}
    response = {k: ("pred", found[k]) for k in key}
    return {
        "event_conll_f1": conll_f1(key, response) if key else 0.0,
        "mention_recall": round(len(key) / len(gold), 4) if gold else 0.0,
        "gold_mentions": len(gold),
    }


def evaluate_stories(root: str | Path, link_events: LinkEvents | None = None,
                     cluster: Callable[[Sequence[EcbDocument]], list[Hashable]] | None = None,
                     ) -> dict[str, dict[str, Any]]:
    """Score story clustering (and optionally event linking) on ECB+ dev and test topics.

    ``root`` is the ECB+ folder (or the folder that holds it). For each split, all its documents
    are clustered together by ``cluster`` (default: :func:`cluster_documents`, the production
    :class:`~storyline.link.stories.StoryClusterer` in batch mode) and scored against the
    sub-topics. Result per split: ``bcubed`` ``{"precision", "recall", "f1"}``, ``documents``,
    ``stories`` (predicted), ``gold_stories`` and ``seconds``.

    ``link_events`` contract: it receives the :class:`EcbDocument` list of one split (use
    ``doc.text``; ``doc.mentions`` is the gold and must not be read) and returns predicted event
    mentions as ``(doc_id, char_start, char_end, cluster_id)`` tuples, character offsets into
    ``doc.text``, cluster ids any hashable shared by coreferent mentions across documents. A gold
    mention counts as found when a predicted span overlaps one of its trigger tokens. The split
    then also gets ``event_conll_f1`` (CoNLL F1 over the found gold mentions, predicted clusters
    restricted to them), ``mention_recall`` (found / gold mentions) and ``gold_mentions``.
    """
    docs = read_corpus(root)
    clusterer = cluster or cluster_documents
    results: dict[str, dict[str, Any]] = {}
    for split in SPLITS:
        part = [d for d in docs if d.split == split]
        started = time.perf_counter()
        labels = clusterer(part)
        gold = {d.doc_id: d.subtopic for d in part}
        predicted = {d.doc_id: label for d, label in zip(part, labels, strict=True)}
        result: dict[str, Any] = {
            "bcubed": bcubed(gold, predicted),
            "documents": len(part),
            "stories": len(set(labels)),
            "gold_stories": len(set(gold.values())),
        }
        if link_events is not None:
            result.update(score_event_linking(part, link_events(part)))
        result["seconds"] = round(time.perf_counter() - started, 2)
        results[split] = result
    return results


def cluster_documents(docs: Sequence[EcbDocument]) -> list[Hashable]:
    """Story ids for ECB+ documents from the production story clusterer, run in batch mode."""
    from storyline.link.stories import StoryInput, cluster_batch

    return list(cluster_batch([StoryInput(id=d.doc_id, text=d.text) for d in docs]))
