"""Learned event typing: how likely a sentence is to report each PLOVER type, or none.

Rules find who acts on whom; which kind of event a sentence reports, if any, is learned from
labelled news (``storyline train events``; the data and the figures are in the README). The
model is one logistic regression per type plus one for "any event", over features of the parsed
sentence: lemmas and lemma pairs, each verb with its object, particle and negation, and named
entities by kind (so that names do not become vocabulary). The weights ship with the package as
``data/event_typer.json.gz`` (a few hundred kilobytes, no pickle); scikit-learn is needed only to
train them again.

>>> typer = EventTyper.load()
>>> sorted(typer.labels)[:3]
['ACCUSE', 'AGREE', 'AID']
"""

from __future__ import annotations

import gzip
import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

ANY = "EVENT"  # the label of "reports some event"
WEIGHTS = "event_typer.json.gz"
_SKIP_POS = frozenset({"PUNCT", "SPACE", "SYM", "NUM", "X", "DET", "CCONJ", "SCONJ"})


def sentence_features(sent: Any) -> dict[str, float]:
    """Features of a parsed sentence (a spaCy ``Span``), L2-normalised."""
    feats: dict[str, float] = {}

    def add(name: str) -> None:
        feats[name] = 1.0

    words = []
    for tok in sent:
        if tok.pos_ in _SKIP_POS:
            continue
        if tok.ent_type_ in ("PERSON", "GPE", "NORP", "ORG", "LOC", "FAC", "DATE", "TIME",
                             "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
            word = f"<{tok.ent_type_}>"
        else:
            word = tok.lemma_.lower()
        words.append(word)
        add(f"w:{word}")
    for a, b in zip(words, words[1:], strict=False):
        add(f"b:{a}_{b}")
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") or tok.pos_ == "AUX" and tok.dep_ != "ROOT":
            continue
        lemma = tok.lemma_.lower()
        add(f"v:{lemma}")
        for child in tok.children:
            if child.dep_ in ("dobj", "nsubjpass", "attr"):
                obj = f"<{child.ent_type_}>" if child.ent_type_ else child.lemma_.lower()
                add(f"vo:{lemma}|{obj}")
            elif child.dep_ == "prt":
                add(f"vp:{lemma}|{child.lower_}")
            elif child.dep_ == "neg":
                add(f"vn:{lemma}")
                add("neg")
            elif child.dep_ == "prep":
                add(f"vr:{lemma}|{child.lower_}")
            elif child.dep_ in ("aux", "auxpass") and child.lower_ in (
                    "will", "would", "could", "might", "may", "should", "to"):
                add(f"aux:{child.lower_}")
        if tok.dep_ == "ROOT":
            add(f"root:{lemma}")
    norm = math.sqrt(len(feats)) or 1.0
    return {k: v / norm for k, v in feats.items()}


class EventTyper:
    """Probabilities of each PLOVER type (and of any event) for a parsed sentence."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.labels: list[str] = list(model["labels"])
        self.intercepts: list[float] = list(model["intercepts"])
        # feature -> [(label index, weight)]: only the weights that matter are kept
        self.weights: dict[str, list[tuple[int, float]]] = {
            f: [(int(i), float(w)) for i, w in pairs] for f, pairs in model["weights"].items()}
        self.meta: dict[str, Any] = dict(model.get("meta", {}))

    @classmethod
    def load(cls) -> EventTyper:
        return _load()

    def scores(self, features: dict[str, float]) -> dict[str, float]:
        """Probability per label (``EVENT`` included), each from its own logistic model."""
        logits = list(self.intercepts)
        for name, value in features.items():
            for index, weight in self.weights.get(name, ()):
                logits[index] += weight * value
        return {label: 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
                for label, z in zip(self.labels, logits, strict=True)}

    def predict(self, sent: Any) -> dict[str, float]:
        return self.scores(sentence_features(sent))


@lru_cache(maxsize=1)
def _load() -> EventTyper:
    raw = resources.files("storyline.data").joinpath(WEIGHTS).read_bytes()
    return EventTyper(json.loads(gzip.decompress(raw)))


def model_to_json(labels: list[str], intercepts: list[float],
                  weights: dict[str, list[tuple[int, float]]], meta: dict[str, Any]) -> bytes:
    """The shipped file: deterministic JSON (sorted keys, rounded weights), gzipped with a fixed
    timestamp, so that the same training gives the same bytes."""
    model = {"labels": labels, "intercepts": [round(x, 5) for x in intercepts],
             "weights": {f: [[i, round(w, 5)] for i, w in pairs]
                         for f, pairs in sorted(weights.items())},
             "meta": meta}
    data = json.dumps(model, sort_keys=True, separators=(",", ":")).encode()
    return gzip.compress(data, compresslevel=9, mtime=0)
